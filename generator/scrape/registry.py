"""Named types shared by all endpoints: collected from response trees, merged, conflicts reported.

Each endpoint keeps its response tree as its page showed it; the registry holds each class once
(`ErrorCode`, `VmCdRomInventory`, enums), with nested classes by reference, so recursion
(`ErrorCode.cause`) is a reference, never an endless expansion.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from generator.ir.model import Diagnostic, ElementSource, Endpoint, Kind, NamedType, ResponseField, Source

REGISTRY_SHAPE = "registry-shape"  # the rule of element types matched to a registry type here


def build_types(endpoints: list[Endpoint]) -> tuple[dict[str, NamedType], list[Diagnostic]]:
    """Every page's description of each class, merged into one (in operation id order, so the result
    does not depend on the order of the pages): the union of the fields, children and element types
    from whichever page shows them, a `type-conflict` diagnostic where two pages disagree."""
    types: dict[str, NamedType] = {}
    diagnostics: list[Diagnostic] = []
    ordered = sorted(endpoints, key=lambda e: e.operation_id)
    shapes = _ShapeIndex()
    for enums in (True, False):  # enums first: a class some page shows as an enum is one (Gson sends its name)
        for endpoint in ordered:
            for node in _walk(endpoint.response.fields):
                if node.ref and (node.children or node.kind == Kind.ENUM) and (node.kind == Kind.ENUM) == enums:
                    _merge(types, node, endpoint, diagnostics)
                    if not enums and types[node.ref].kind == "object":
                        shapes.add(node.ref, [c.name for c in node.children])
    for endpoint in ordered:
        for node in _walk(endpoint.response.fields):
            if node.kind == Kind.LIST and node.children and node.ref is None:
                _infer_element_type(types, shapes, node, endpoint)
            elif node.ref and node.ref not in types and node.kind == Kind.OBJECT:
                types[node.ref] = NamedType(name=node.ref, kind="object", sources=_src(node))
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
    first = existing.sources[0].file if existing.sources else "another page"
    if existing.kind != kind:
        out.append(
            _conflict(
                node,
                f"type {node.ref} is an {existing.kind} on {first} but an {kind} on "
                f"{endpoint.operation_id}; keeping the {existing.kind}"
                + (" (and the fields that page shows)" if kind == "object" else ""),
            )
        )
        if kind == "object":  # enums are merged first: the enum's Java fields, as that page shows them
            _merge_fields(existing.fields, node.children, _Where(node.ref, first, endpoint.operation_id), out)
        return
    if len(existing.sources) < 3:
        existing.sources.extend(_src(node))
    _add_values(existing.enum_values, node.enum_values)
    _merge_fields(existing.fields, node.children, _Where(node.ref, first, endpoint.operation_id), out)


class _Where:
    """Whose fields are merged (`VmInstanceInventory.vmNics`), and the two pages, for diagnostics."""

    def __init__(self, path: str, first: str, operation: str) -> None:
        self.path, self.first, self.operation = path, first, operation

    def inner(self, name: str) -> _Where:
        return _Where(f"{self.path}.{name}", self.first, self.operation)


def _merge_fields(
    known: list[ResponseField], incoming: list[ResponseField], where: _Where, out: list[Diagnostic]
) -> None:
    """`incoming` (one page's fields) into `known` (the merged ones): new fields appended, known ones filled."""
    by_name = {f.name: f for f in known}
    for child in incoming:
        before = by_name.get(child.name)
        if before is None:
            known.append(_shallow(child))
            by_name[child.name] = known[-1]
        elif (before.type, before.kind) != (child.type, child.kind):
            out.append(
                _conflict(
                    child,
                    f"{where.path}.{child.name} is {before.type} ({before.kind.value}) on {where.first} "
                    f"but {child.type} ({child.kind.value}) on {where.operation}; keeping the first",
                )
            )
        else:
            _fill(before, child, where.inner(child.name), out)


def _fill(before: ResponseField, child: ResponseField, where: _Where, out: list[Diagnostic]) -> None:
    """What another page says of a field the merged type has: description, values, element, children."""
    if not before.description and child.description:
        before.description = child.description
    _add_values(before.enum_values, child.enum_values)
    if before.ref is None and child.ref is not None:
        before.ref = child.ref
    if before.element_type is None and child.element_type is not None:
        before.element_type, before.element_source = child.element_type, child.element_source
        before.element_type_inferred = child.element_type_inferred
    elif before.element_type is not None and child.element_type not in (None, before.element_type):
        out.append(
            _conflict(
                child,
                f"the elements of {where.path} are {before.element_type} on {where.first} "
                f"but {child.element_type} on {where.operation}; keeping the first",
            )
        )
    if before.element_source is None and child.element_source is not None:
        before.element_source = child.element_source
    if before.ref is None and child.children:
        _merge_fields(before.children, child.children, where, out)


def _add_values(values: list[str], more: list[str]) -> None:
    for value in more:
        if value not in values:
            values.append(value)


def _conflict(node: ResponseField, message: str) -> Diagnostic:
    return Diagnostic(code="type-conflict", message=message, source=node.source or Source(file="?"))


class _ShapeIndex:
    """Object types by the field names any page showed for them: a lookup instead of a scan per list."""

    def __init__(self) -> None:
        self._by_names: dict[tuple[str, ...], list[str]] = {}

    def add(self, name: str, fields: list[str]) -> None:
        names = self._by_names.setdefault(tuple(fields), [])
        if name not in names:
            names.append(name)

    def matching(self, names: list[str]) -> list[str]:
        return self._by_names.get(tuple(names), [])


def _infer_element_type(
    types: dict[str, NamedType], shapes: _ShapeIndex, node: ResponseField, endpoint: Endpoint
) -> None:
    names = [c.name for c in node.children]
    candidate: str | None = None
    detail = ""
    if endpoint.is_query and node.name == "inventories" and endpoint.operation_id.startswith("Query"):
        candidate = endpoint.operation_id[len("Query") :] + "Inventory"
        detail = f"the inventories of {endpoint.operation_id}"
        if candidate in types and candidate not in shapes.matching(names) and types[candidate].fields:
            candidate = None
    if candidate is None:
        matches = shapes.matching(names)
        candidate = matches[0] if len(matches) == 1 else None
        detail = f"the fields of {candidate}"
    if candidate is None:
        return
    node.element_type, node.element_type_inferred, node.ref = candidate, True, candidate
    node.element_source = ElementSource(rule=REGISTRY_SHAPE, detail=detail, source=node.source)
    if candidate not in types:
        types[candidate] = NamedType(name=candidate, kind="object", fields=_shape(node), sources=_src(node))
        shapes.add(candidate, names)
