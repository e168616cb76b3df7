"""Import statements for generated modules, laid out as isort/ruff and black want them.

Generated code must pass `ruff check` (with isort rules) untouched, and black has less to do when the
input is already in its layout, so the order and wrapping are computed here rather than fixed later.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from generator.render.emit import LINE_LENGTH

_NATURAL = re.compile(r"\d+|\D+")
_TYPING = frozenset({"Annotated", "Any", "Literal", "TYPE_CHECKING"})
_WIRE = frozenset({"GsonFloat", "GsonInt", "ZStackDatetime"})
_BASES = frozenset({"RequestModel", "ResponseModel"})


def relative_module(source: str, target: str) -> str:
    """The relative import path from module `source` to module `target` (both below the package)."""
    source_package = source.split(".")[:-1]
    target_parts = target.split(".")
    common = 0
    while common < min(len(source_package), len(target_parts) - 1) and source_package[common] == target_parts[common]:
        common += 1
    dots = "." * (len(source_package) - common + 1)
    return dots + ".".join(target_parts[common:])


def import_lines(module: str, names: Iterable[str], class_module: Mapping[str, str]) -> list[str]:
    """Sorted, isort-compatible import lines for the names a module uses (stdlib, pydantic, relative)."""
    needed = set(names)
    stdlib: dict[str, set[str]] = {}
    third: dict[str, set[str]] = {}
    local: dict[str, set[str]] = {}
    for name in sorted(needed):
        if name in _TYPING:
            stdlib.setdefault("typing", set()).add(name)
        elif name == "StrEnum":
            stdlib.setdefault("enum", set()).add(name)
        elif name == "Field":
            third.setdefault("pydantic", set()).add(name)
        elif name in _WIRE:
            local.setdefault(relative_module(module, "_runtime.wire"), set()).add(name)
        elif name in _BASES:
            local.setdefault(relative_module(module, "models._base"), set()).add(name)
        elif name in ("OperationSpec", "ParamSpec"):
            local.setdefault(relative_module(module, "_runtime.spec"), set()).add(name)
        elif name in class_module and class_module[name] != module:
            local.setdefault(relative_module(module, class_module[name]), set()).add(name)

    def block(groups: dict[str, set[str]], order: list[str]) -> list[str]:
        return [line for mod in order for line in import_statement(mod, sorted(groups[mod], key=isort_key))]

    # isort (ruff's default): relative imports furthest first, then by module name.
    local_order = sorted(local, key=lambda m: (-(len(m) - len(m.lstrip("."))), m.lstrip(".")))
    sections = [block(stdlib, sorted(stdlib)), block(third, sorted(third)), block(local, local_order)]
    lines: list[str] = []
    for section in sections:
        if section:
            lines += [*([""] if lines else []), *section]
    return lines


def import_statement(module: str, names: list[str], indent: int = 0) -> list[str]:
    """`from module import a, b` in black's layout: one line if it fits, else one name per line."""
    line = f"from {module} import {', '.join(names)}"
    if indent + len(line) <= LINE_LENGTH:
        return [line]
    return [f"from {module} import (", *(f"    {name}," for name in names), ")"]


def isort_key(name: str) -> tuple[object, ...]:
    """isort/ruff order within one import: CONSTANTS, Classes, functions; case-insensitive, natural."""
    kind = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    natural = tuple((0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in _NATURAL.findall(name))
    return kind, natural, name
