"""How many list annotations of a generated SDK say what their elements are.

    python bench/count_list_types.py [--package generated/zstack_sdk] [--ir generated/api.json]

Part 1 reads the package's `api/` and `models/` modules with `ast` and counts every `list[...]` in an
annotation (fields, method parameters, return types), by element: `Any`, `str`, a model class, ...
Part 2 reads the IR and counts its lists (request parameters, response fields of the operations and
of the registry types) by where their element type came from (`element_source.rule`; `none` where
no page says).
"""

from __future__ import annotations

import argparse
import ast
import json
from collections import Counter
from pathlib import Path
from typing import Any

_SCALARS = {"str", "bool", "GsonInt", "GsonFloat", "ZStackDatetime", "int", "float"}


def _element_class(node: ast.expr) -> str:
    text = ast.unparse(node)
    if text == "Any":
        return "Any"
    if text in _SCALARS:
        return "scalar"
    if text.startswith("Literal["):
        return "Literal"
    if text.startswith(("dict[", "list[")):
        return text.split("[", 1)[0] + "[...]"
    return "model" if text[:1].isupper() else "other"


def _lists_in(annotation: ast.expr | None) -> list[str]:
    if annotation is None:
        return []
    found = []
    for node in ast.walk(annotation):
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "list":
            found.append(_element_class(node.slice))
    return found


def count_annotations(package: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for folder in ("api", "models"):
        for path in sorted((package / folder).glob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                annotations: list[ast.expr | None] = []
                if isinstance(node, ast.AnnAssign):
                    annotations.append(node.annotation)
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    args = node.args
                    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                    annotations += [a.annotation for a in every if a is not None]
                    annotations.append(node.returns)
                for annotation in annotations:
                    counts.update(_lists_in(annotation))
    return counts


def _walk(nodes: list[dict[str, Any]]) -> Any:
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


def count_ir(ir_path: Path) -> dict[str, Counter[str]]:
    ir = json.loads(ir_path.read_text(encoding="utf-8"))
    out: dict[str, Counter[str]] = {"request": Counter(), "response": Counter(), "types": Counter()}

    def rule(node: dict[str, Any]) -> str:
        source = node.get("element_source")
        if source:
            return str(source.get("rule"))
        if node.get("children"):
            return "children"
        return "legacy" if node.get("element_type") else "none"

    for endpoint in ir["endpoints"]:
        body = endpoint.get("body") or {}
        params = [
            *endpoint.get("path_params", []),
            *endpoint.get("query_params", []),
            *body.get("params", []),
            *body.get("top_level", []),
        ]
        out["request"].update(rule(p) for p in _walk(params) if p.get("kind") == "list")
        out["response"].update(
            rule(f) for f in _walk(endpoint.get("response", {}).get("fields", [])) if f.get("kind") == "list"
        )
    for named in ir["types"].values():
        out["types"].update(rule(f) for f in _walk(named.get("fields", [])) if f.get("kind") == "list")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", type=Path, default=Path("generated/zstack_sdk"))
    parser.add_argument("--ir", type=Path, default=Path("generated/api.json"))
    args = parser.parse_args()
    counts = count_annotations(args.package)
    total = sum(counts.values())
    share = counts["Any"] / total if total else 0.0
    print(f"list annotations in {args.package}/api and /models: {total}")
    print(f"  list[Any]: {counts['Any']} ({share:.1%})")
    for name, count in counts.most_common():
        if name != "Any":
            print(f"  list[{name}]: {count}")
    if args.ir.exists():
        for where, by_rule in count_ir(args.ir).items():
            print(f"IR lists, {where}: {sum(by_rule.values())}, by element-type evidence:")
            for name, count in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])):
                print(f"  {name}: {count}")


if __name__ == "__main__":
    main()
