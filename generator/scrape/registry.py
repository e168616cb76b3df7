"""Named types shared by all endpoints: collected from response trees, merged, conflicts reported.

Each endpoint keeps its response tree as its page showed it; the registry holds each class once
(`ErrorCode`, `VmCdRomInventory`, enums), with nested classes by reference, so recursion
(`ErrorCode.cause`) is a reference, never an endless expansion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from generator.ir.model import Diagnostic, Endpoint, Kind, NamedType, ResponseField, Source


def build_types(endpoints: list[Endpoint]) -> tuple[dict[str, NamedType], list[Diagnostic]]:
    types: dict[str, NamedType] = {}
    diagnostics: list[Diagnostic] = []
    ordered = sorted(endpoints, key=lambda e: e.operation_id)
    for endpoint in ordered:
        for node in _walk(endpoint.response.fields):
            if node.ref and (node.children or node.kind == Kind.ENUM):
                _merge(types, node, endpoint, diagnostics)
    shapes = _ShapeIndex(types)
    for endpoint in ordered:
        for node in _walk(endpoint.response.fields):
            if node.kind == Kind.LIST and node.children and node.ref is None:
                _infer_element_type(types, shapes, node, endpoint)
            elif node.ref and node.ref not in types and node.kind == Kind.OBJECT:
                types[node.ref] = NamedType(name=node.ref, kind="object", sources=_src(node))
                shapes.add(types[node.ref])
            if node.ref and node.ref in types and endpoint.operation_id not in types[node.ref].used_by:
                types[node.ref].used_by.append(endpoint.operation_id)
    for named in types.values():
        named.used_by.sort()
    return dict(sorted(types.items())), diagnostics


def _walk(fields: list[ResponseField]) -> Iterator[ResponseField]:
    for node in fields:
        yield node
        yield from _walk(node.children)


def _src(node: ResponseField) -> list[Source]:
    return [node.source] if node.source else []


def _shape(node: ResponseField) -> list[ResponseField]:
    """A type's fields: nested registry types by reference (no children), anonymous ones inline."""
    return [_shallow(child) for child in node.children]


def _shallow(node: ResponseField) -> ResponseField:
    children = [] if node.ref else [_shallow(c) for c in node.children]
    return node.model_copy(
        update={"children": children, "recursive": False, "source": None, "description": node.description}
    )


def _merge(types: dict[str, NamedType], node: ResponseField, endpoint: Endpoint, out: list[Diagnostic]) -> None:
    assert node.ref is not None
    kind: Literal["object", "enum"] = "enum" if node.kind == Kind.ENUM else "object"
    existing = types.get(node.ref)
    if existing is None:
        types[node.ref] = NamedType(
            name=node.ref, kind=kind, fields=_shape(node), enum_values=list(node.enum_values), sources=_src(node)
        )
        return
    if existing.kind != kind:
        first = existing.sources[0].file if existing.sources else "another page"
        out.append(
            _conflict(
                node,
                f"type {node.ref} is an {existing.kind} on {first} but an {kind} on "
                f"{endpoint.operation_id}; keeping the {existing.kind}",
            )
        )
        return
    if len(existing.sources) < 3:
        existing.sources.extend(_src(node))
    for value in node.enum_values:
        if value not in existing.enum_values:
            existing.enum_values.append(value)
    known = {f.name: f for f in existing.fields}
    for child in node.children:
        before = known.get(child.name)
        if before is None:
            existing.fields.append(_shallow(child))
            known[child.name] = existing.fields[-1]
        elif (before.type, before.kind) != (child.type, child.kind):
            first = existing.sources[0].file if existing.sources else "another page"
            out.append(
                _conflict(
                    child,
                    f"{node.ref}.{child.name} is {before.type} ({before.kind.value}) on {first} "
                    f"but {child.type} ({child.kind.value}) on {endpoint.operation_id}; "
                    f"keeping the first",
                )
            )


def _conflict(node: ResponseField, message: str) -> Diagnostic:
    return Diagnostic(code="type-conflict", message=message, source=node.source or Source(file="?"))


class _ShapeIndex:
    """Object types by their field names, in registry order: a lookup instead of a scan per list."""

    def __init__(self, types: dict[str, NamedType]) -> None:
        self._by_names: dict[tuple[str, ...], list[str]] = {}
        for named in types.values():
            self.add(named)

    def add(self, named: NamedType) -> None:
        if named.kind == "object":
            self._by_names.setdefault(tuple(f.name for f in named.fields), []).append(named.name)

    def matching(self, names: list[str]) -> list[str]:
        return self._by_names.get(tuple(names), [])


def _infer_element_type(
    types: dict[str, NamedType], shapes: _ShapeIndex, node: ResponseField, endpoint: Endpoint
) -> None:
    names = [c.name for c in node.children]
    candidate: str | None = None
    if endpoint.is_query and node.name == "inventories" and endpoint.operation_id.startswith("Query"):
        candidate = endpoint.operation_id[len("Query") :] + "Inventory"
        if candidate in types and [f.name for f in types[candidate].fields] != names and types[candidate].fields:
            candidate = None
    if candidate is None:
        matches = shapes.matching(names)
        candidate = matches[0] if len(matches) == 1 else None
    if candidate is None:
        return
    node.element_type, node.element_type_inferred, node.ref = candidate, True, candidate
    if candidate not in types:
        types[candidate] = NamedType(name=candidate, kind="object", fields=_shape(node), sources=_src(node))
        shapes.add(types[candidate])
