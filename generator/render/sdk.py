"""Render the SDK: plan -> {relative path: file text}, every .py black-formatted and compile()-checked.

Nothing is written here; `generator.render.output` swaps the whole tree into place. Rendering the
same IR twice gives the same bytes: everything is sorted, nothing depends on time or environment.
"""

from __future__ import annotations

import ast
import html
import keyword
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.errors import UsageError
from generator.ir.model import IR
from generator.render.emit import RUNTIME_DIR, call_lines, check_compiles, format_python, render
from generator.render.escape import doc_lines, json_text, plain_text, py_str
from generator.render.imports import import_lines, import_statement, isort_key, relative_module
from generator.render.operations import OperationPlan
from generator.render.output import MARKER_FILE
from generator.render.plan import GroupPlan, SdkPlan, plan_sdk
from generator.render.types import ClassDef, ModuleModels

DEFAULT_PACKAGE = "zstack_sdk"
_PACKAGE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")
_RUNTIME_TESTING = "testing.py"


@dataclass(frozen=True)
class RenderedSdk:
    files: dict[str, str]  # relative path -> text, sorted by path
    operations: int
    groups: int
    types: int


def check_package_name(name: str) -> str:
    if not _PACKAGE_NAME.match(name) or keyword.iskeyword(name) or name.startswith("__"):
        raise UsageError(f"invalid package name {name!r}: use lower-case letters, digits and underscores")
    return name


# --- models ---------------------------------------------------------------------------------------


def field_lines(cls: ClassDef) -> list[str]:
    """Field declarations, one physical line each (relative to the class body)."""
    lines: list[str] = []
    for f in cls.fields:
        args = f.field_args
        if args:
            lines += call_lines(f"{f.attr}: {f.annotation} = Field", args, indent=4)
        else:
            lines.append(f"{f.attr}: {f.annotation}")
    return lines


def _rebuild_names(classes: list[ClassDef]) -> list[str]:
    """Model classes to rebuild at the end: all of them once any refers to a class defined later."""
    defined: set[str] = set()
    local = {c.name for c in classes}
    forward = False
    for cls in classes:
        if (cls.dependencies() & local) - defined - {cls.name}:
            forward = True
        defined.add(cls.name)
    return [c.name for c in classes if not c.is_enum] if forward else []


def render_models(module: ModuleModels, doc: list[str], class_module: Mapping[str, str]) -> str:
    names: set[str] = set()
    for cls in module.classes:
        names |= cls.dependencies() | cls.helpers() | {cls.base}
        if any(f.field_args or f.ann.lenient_union for f in cls.fields):
            names.add("Field")
    names -= set(module.class_names())
    views = [
        {"name": c.name, "base": c.base, "doc": c.doc, "members": c.members, "field_lines": field_lines(c)}
        for c in module.classes
    ]
    text = render(
        "models_module.py.j2",
        doc=doc,
        imports=import_lines(module.module, names, class_module),
        classes=views,
        rebuild=_rebuild_names(module.classes),
    )
    return text


# --- API groups -----------------------------------------------------------------------------------


def _operation_view(op: OperationPlan) -> dict[str, object]:
    arguments = []
    for p in op.signature_params:
        default = "" if p.field.required else " = None"
        arguments.append({"argument": f"{p.field.attr}: {p.field.annotation}{default}"})
    return {
        "operation_id": op.operation_id,
        "method_name": op.method_name,
        "spec_name": op.spec_name,
        "http_method": op.http_method,
        "path": op.path,
        "wrapper": op.wrapper,
        "is_query": op.is_query,
        "auth": op.auth,
        "request_class": op.request_class,
        "response_class": op.response_class,
        "params": op.params,
        "signature_params": arguments,
        "doc": op.doc,
        "call_lines": {
            prefix: call_lines(
                f"return {'await ' if prefix else ''}self._transport.call",
                [op.spec_name, "request" if op.request_class else "None", op.response_class],
                indent=8,
            )
            for prefix in ("", "async ")
        },
    }


def render_api(group: GroupPlan, class_module: Mapping[str, str]) -> str:
    module = f"api.{group.attr}"
    names: set[str] = {"TYPE_CHECKING", "OperationSpec", "ParamSpec"}
    for op in group.operations:
        names.add(op.response_class)
        if op.request_class:
            names.add(op.request_class)
        for p in op.params:
            names |= set(p.field.ann.classes) | set(p.field.ann.helpers)
    text = render(
        "api_group.py.j2",
        doc=doc_lines(f"{group.name} (generated by sdkgen; do not edit)."),
        imports=import_lines(module, names, class_module),
        group=group,
        operations=[_operation_view(op) for op in group.operations],
        classes=[(group.api_class, "SyncTransport", ""), (group.async_class, "AsyncTransport", "async ")],
    )
    return text


def owners_of(group: GroupPlan) -> dict[str, str]:
    """Definitions in a group's modules -> the operation they belong to (for compile error messages)."""
    owners: dict[str, str] = dict(group.class_owner)
    for op in group.operations:
        owners[op.method_name] = op.operation_id
        owners[op.spec_name] = op.operation_id
        owners[op.response_class] = op.operation_id
        if op.request_class:
            owners[op.request_class] = op.operation_id
    return owners


# --- package files --------------------------------------------------------------------------------


def runtime_exports(runtime_init: Path) -> list[str]:
    """The runtime's `__all__`, re-exported lazily from the package root."""
    try:
        tree = ast.parse(runtime_init.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            if isinstance(value, list | tuple):
                return sorted(str(v) for v in value)
    return []


def _lazy_init(doc: list[str], module: str, exports: dict[str, str], extra_lines: list[str] | None = None) -> str:
    """A package `__init__` exporting `exports` (name -> module below the package) on first access."""
    source = f"{module}.__init__" if module else "__init__"
    relative = {name: relative_module(source, target) for name, target in exports.items()}
    by_module: dict[str, list[str]] = {}
    for name, target in relative.items():
        by_module.setdefault(target, []).append(name)
    type_imports = [
        (target, sorted(names, key=isort_key))
        for target, names in sorted(
            by_module.items(), key=lambda kv: (-(len(kv[0]) - len(kv[0].lstrip("."))), kv[0].lstrip("."))
        )
    ]
    return render(
        "lazy_init.py.j2",
        doc=doc,
        type_imports=type_imports,
        exports=sorted(relative.items()),
        extra_lines=extra_lines or [],
    )


def _runtime_files(package: str) -> dict[str, str]:
    """templates/runtime/*.py copied verbatim: `_runtime/` plus `testing.py` at the package root."""
    files: dict[str, str] = {}
    if not RUNTIME_DIR.is_dir():
        return files
    for path in sorted(RUNTIME_DIR.iterdir()):
        if not path.is_file() or path.suffix != ".py":
            continue
        target = f"{package}/testing.py" if path.name == _RUNTIME_TESTING else f"{package}/_runtime/{path.name}"
        files[target] = path.read_text(encoding="utf-8")
    return files


def fixture_file(op: OperationPlan) -> str:
    """`<Name>.json`: the operation id when it is a safe file name, else its class-name stem."""
    stem = op.response_class.removesuffix("Response")
    return f"{stem}.json"


def _pyproject(package: str) -> str:
    return render("pyproject.toml.j2", package=package, distribution=package.replace("_", "-"), version=__version__)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_README_QUERIES = ("QueryVmInstance",)
_README_ACTIONS = ("StartVmInstance", "CreateVmCdRom")


def _readme_action_rank(call: tuple[GroupPlan, OperationPlan]) -> tuple[bool, int, str]:
    """The README's example call: a well-known one, else the one with fewest required arguments."""
    op = call[1]
    required = sum(1 for p in op.params if p.field.required)
    return op.operation_id not in _README_ACTIONS, required or 99, op.operation_id


def _readme(plan: SdkPlan) -> str:
    groups = [(g.attr, _markdown_cell(g.name), len(g.operations)) for g in plan.groups]
    calls = [(g, op) for g in plan.groups for op in g.operations]
    queries = sorted(calls, key=lambda c: (c[1].operation_id not in _README_QUERIES, c[1].operation_id))
    query = next(({"group": g.attr, "method": op.method_name} for g, op in queries if op.is_query), None)
    actions = [(g, op) for g, op in calls if not op.is_query and op.http_method != "GET"] or calls
    action = None
    if actions:
        group, op = min(actions, key=_readme_action_rank)
        arguments = ", ".join(f"{p.field.attr}={p.sample.source}" for p in op.signature_params if p.field.required)
        action = {"group": group.attr, "method": op.method_name, "arguments": arguments}
    counts = f"{_plural(len(plan.operations), 'operation')} in {_plural(len(plan.groups), 'group')}"
    return render(
        "README.md.j2",
        package=plan.package,
        distribution=plan.package.replace("_", "-"),
        groups=groups,
        counts=counts,
        query=query,
        action=action,
    )


def _markdown_cell(text: str) -> str:
    """Doc text inside a Markdown table cell: one line, no HTML, no cell breaks."""
    return html.escape(plain_text(text), quote=False).replace("|", "\\|")


def _test_module(plan: SdkPlan) -> str:
    """`tests/test_operations.py`: every operation called once through the client."""
    ops = []
    stdlib: set[str] = set()
    classes: set[str] = set()
    for group in plan.groups:
        for op in group.operations:
            for p in op.params:
                for item in p.sample.imports:
                    if item.startswith("class:"):
                        classes.add(item.removeprefix("class:"))
                    else:
                        stdlib.add(item)
            classes.add(op.response_class)
            ops.append(
                {
                    "test_name": f"test_{group.attr}_{op.method_name}",
                    "group": group.attr,
                    "method": op.method_name,
                    "kwargs": [(p.field.attr, p.sample.source) for p in op.signature_params],
                    "response_class": op.response_class,
                    "fixture": fixture_file(op),
                }
            )
    by_module: dict[str, list[str]] = {}
    for cls in classes:
        by_module.setdefault(f"{plan.package}.{plan.defined_in[cls]}", []).append(cls)
    testing = ["DEFAULT_ACCOUNT", "DEFAULT_PASSWORD", "FakeZStack"]
    first_party = [(plan.package, ["AsyncClient", "Client"]), *by_module.items(), (f"{plan.package}.testing", testing)]
    imports = [f"import {module}" for module in sorted(stdlib | {"asyncio"})]
    imports += [""] if imports else []
    for module, names in sorted(first_party):
        imports += import_statement(module, sorted(names, key=isort_key))
    imports += ["", "from .support import check_call"]
    return render(
        "test_operations.py.j2",
        doc=[
            "Every operation called once through `Client` against the fake server (generated by sdkgen).",
            "",
            "Each test checks that the request went out as the docs describe it (path, query string, body",
            "under its wrapper key) and that the documented response example parses into the response model",
            "without losing a value.",
        ],
        imports=imports,
        operations=ops,
        async_op=min(ops, key=lambda op: str(op["test_name"])) if ops else None,
    )


def _tests(plan: SdkPlan) -> dict[str, str]:
    files = {
        "tests/__init__.py": "",
        "tests/conftest.py": render("tests_conftest.py.j2", package=plan.package),
        "tests/support.py": render("tests_support.py.j2", package=plan.package),
        "tests/test_operations.py": _test_module(plan),
    }
    owners = {f"test_{g.attr}_{op.method_name}": op.operation_id for g in plan.groups for op in g.operations}
    return {path: format_python(path, text, owners) if text else text for path, text in files.items()}


def _client(plan: SdkPlan) -> str:
    type_imports: list[str] = []
    for group in sorted(plan.groups, key=lambda g: g.attr):
        names = sorted([group.api_class, group.async_class], key=isort_key)
        type_imports += import_statement(f".api.{group.attr}", names, indent=4)
    return render("client.py.j2", groups=plan.groups, type_imports=type_imports)


def render_sdk(ir: IR, package: str = DEFAULT_PACKAGE) -> RenderedSdk:
    """Every file of the SDK package folder, formatted and compile-checked, keyed by relative path."""
    check_package_name(package)
    plan = plan_sdk(ir, package, RUNTIME_DIR / "client.py")
    files: dict[str, str] = {}
    pkg = package
    files.update(_runtime_files(pkg))
    for path, text in list(files.items()):
        check_compiles(path, text)  # copied verbatim, but it must compile too
    files[MARKER_FILE] = "This folder is generated by sdkgen and replaced on every run; do not edit.\n"
    files["pyproject.toml"] = _pyproject(pkg)
    files["README.md"] = _readme(plan)
    files[f"{pkg}/py.typed"] = ""
    files[f"{pkg}/models/_base.py"] = format_python(f"{pkg}/models/_base.py", render("models_base.py.j2"))
    for type_module in plan.type_modules:
        path = f"{pkg}/{type_module.module.replace('.', '/')}.py"
        names = ", ".join(c.name for c in type_module.classes)
        doc = [f"Shared type{'s' if len(type_module.classes) > 1 else ''} {names} (generated by sdkgen; do not edit)."]
        files[path] = format_python(path, render_models(type_module, doc, plan.class_module))
    files[f"{pkg}/models/types/__init__.py"] = '"""Types shared by several operations (one module per type)."""\n'
    for group in plan.groups:
        owners = owners_of(group)
        path = f"{pkg}/models/{group.attr}.py"
        doc = doc_lines(f"Models of {group.name} (generated by sdkgen; do not edit).")
        files[path] = format_python(path, render_models(group.models, doc, plan.class_module), owners)
        path = f"{pkg}/api/{group.attr}.py"
        files[path] = format_python(path, render_api(group, plan.class_module), owners)
        for op in group.operations:
            files[f"{pkg}/fixtures/{fixture_file(op)}"] = json_text(op.fixture)
    files.update(_package_inits(plan))
    files[f"{pkg}/client.py"] = format_python(f"{pkg}/client.py", _client(plan))
    files.update(_tests(plan))
    return RenderedSdk(
        files=dict(sorted(files.items())),
        operations=len(plan.operations),
        groups=len(plan.groups),
        types=len(ir.types),
    )


def _package_inits(plan: SdkPlan) -> dict[str, str]:
    pkg = plan.package
    model_exports = {name: module for name, module in plan.class_module.items() if module.startswith("models.")}
    api_exports = {name: module for name, module in plan.class_module.items() if module.startswith("api.")}
    root_exports = {"AsyncClient": "client", "Client": "client"}
    root_exports.update({name: "_runtime" for name in runtime_exports(RUNTIME_DIR / "__init__.py")})
    inits = {
        f"{pkg}/__init__.py": _lazy_init(
            [
                f"Typed Python client for the ZStack Cloud REST API ({len(plan.operations)} operations).",
                "",
                "Generated by sdkgen; do not edit. `from " + pkg + " import Client` is cheap: API groups and",
                "their models are imported on first use.",
            ],
            "",
            root_exports,
            [f"__version__ = {py_str(__version__)}"],
        ),
        f"{pkg}/models/__init__.py": _lazy_init(
            ["Request, response and shared models, imported on first access (generated by sdkgen)."],
            "models",
            model_exports,
        ),
        f"{pkg}/api/__init__.py": _lazy_init(
            ["One class per docs group (sync and async), imported on first access (generated by sdkgen)."],
            "api",
            api_exports,
        ),
    }
    return {path: format_python(path, text) for path, text in inits.items()}


__all__ = ["DEFAULT_PACKAGE", "MARKER_FILE", "RenderedSdk", "check_package_name", "render_sdk"]
