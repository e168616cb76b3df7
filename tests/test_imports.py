"""generator/ imports one way: no import cycle between its modules, and no private `_name` imported
from another module. Every import counts, also those inside functions or under TYPE_CHECKING, and
importing `a.b.c` counts as importing the packages `a.b` and `a` too (Python runs their __init__), except
the importing module's own packages (they were started before it, as a package's __init__ may import
its own submodules)."""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(GENERATOR.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(GENERATOR.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> tuple[set[str], list[str]]:
    """The generator modules `name` imports, and the private names it takes from other modules."""
    found: set[str] = set()
    private: list[str] = []
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])]
                )
            targets = [base]
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in known:
                    targets.append(submodule)
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    private.append(f"{name}: from {base} import {alias.name}")
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[:i]) for i in range(1, len(parts) + 1) if ".".join(parts[:i]) in known)
    parts = name.split(".")
    own = (
        {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
        if path.name == "__init__.py"
        else {".".join(parts[:i]) for i in range(1, len(parts))} | {name}
    )
    return found - own, private


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    private: list[str] = []
    for name, path in modules.items():
        graph[name], taken = _imports(name, path, set(modules))
        private += taken
    return graph, private


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in sorted(graph.get(node, ())):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_checker_finds_a_cycle_and_a_private_import(tmp_path: Path) -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from generator.build.run import _x, build\n", encoding="utf-8")
    found, private = _imports("generator.m", source, {"generator", "generator.build", "generator.build.run"})
    assert found == {"generator.build", "generator.build.run"}  # not `generator`: m's own package
    assert private == ["generator.m: from generator.build.run import _x"]


def test_no_import_cycle_in_generator() -> None:
    graph, _ = _graph()
    assert "generator.build.run" in graph["generator.cli"]  # the walk sees imports inside functions
    assert _cycles(graph) == []


def test_no_private_name_imported_across_modules() -> None:
    _, private = _graph()
    assert private == []
