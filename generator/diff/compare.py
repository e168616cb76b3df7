"""Compare two IRs operation by operation and list every change with its severity.

Operations are matched by operation id; an operation only in OLD and one only in
NEW that share method, path and body wrapper and most parameter names are one
rename. Within an operation, parameters are matched by name (nested ones by
dotted name) and response fields by dotted path, always on the IR's repaired
values (wire location, server-side wrapper key) so that a documentation quirk
that the scraper repaired is not reported as an API change. A parameter that
only moved between the page's sections is reported as a non-breaking location
change. What one side's documentation family cannot show is not compared (families.py). Enum
constants, the `Required` labels of response fields, titles,
examples and valid values are not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import JsonValue

from generator.diff.families import (
    async_comparable,
    description_comparable,
    presence_comparable,
    required_comparable,
    responses_comparable,
    section_moves_comparable,
)
from generator.diff.model import Change, ChangeKind, DiffReport, VersionInfo
from generator.diff.rules import is_breaking
from generator.ir.model import IR, Endpoint, Kind, Location, NamedType, Param, ResponseField

# Share of parameter names two operations must have in common to be one renamed operation.
_RENAME_MIN_SIMILARITY = 0.5

# Java's primitive and boxed spellings of one type; other names compare case-insensitively.
_TYPE_ALIASES = {"int": "integer", "bool": "boolean", "char": "character"}

# Whether a class is shown with its fields, as enum constants or not at all says
# nothing about its type: these kinds compare by type name alone.
_CLASS_KINDS = frozenset({Kind.OBJECT, Kind.NAMED, Kind.ENUM})

_PATH_VARIABLE = re.compile(r"\{[^{}]*\}")
_WHITESPACE = re.compile(r"\s+")


def diff_irs(old: IR, new: IR, old_source: str = "OLD", new_source: str = "NEW") -> DiffReport:
    """Every change from `old` to `new`, by operation name.

    Within one operation: operation-level changes, then parameters (added,
    removed, changed; page order), then response fields (the same).
    """
    old_ops = _index(old.endpoints)
    new_ops = _index(new.endpoints)
    per_operation = _added_removed_renamed(old, new, old_ops, new_ops)
    for name in old_ops.keys() & new_ops.keys():
        changes = compare_endpoints(old_ops[name], new_ops[name], old.types, new.types)
        if changes:
            per_operation[name] = changes

    groups = {ep.operation_id: ep.group for ep in old.endpoints}
    groups.update({ep.operation_id: ep.group for ep in new.endpoints})
    return DiffReport(
        old=VersionInfo(source=old_source, operations=len(old_ops)),
        new=VersionInfo(source=new_source, operations=len(new_ops)),
        changes=[change for name in sorted(per_operation) for change in per_operation[name]],
        groups={name: groups[name] for name in sorted(per_operation)},
    )


def _added_removed_renamed(
    old: IR, new: IR, old_ops: dict[str, Endpoint], new_ops: dict[str, Endpoint]
) -> dict[str, list[Change]]:
    """Changes of operations found on one side only, by operation name (a rename under its new name)."""
    removed = [old_ops[name] for name in sorted(old_ops.keys() - new_ops.keys())]
    added = [new_ops[name] for name in sorted(new_ops.keys() - old_ops.keys())]
    renames = match_renames(removed, added)
    renamed_old = {o.operation_id for o, _ in renames}
    renamed_new = {n.operation_id for _, n in renames}

    per_operation: dict[str, list[Change]] = {}
    for ep in removed:
        if ep.operation_id not in renamed_old:
            per_operation[ep.operation_id] = [_operation_change(ChangeKind.OPERATION_REMOVED, ep, old=_signature(ep))]
    for ep in added:
        if ep.operation_id not in renamed_new:
            per_operation[ep.operation_id] = [_operation_change(ChangeKind.OPERATION_ADDED, ep, new=_signature(ep))]
    for old_ep, new_ep in renames:
        rename = _operation_change(
            ChangeKind.OPERATION_RENAMED, new_ep, old=old_ep.operation_id, new=new_ep.operation_id
        )
        per_operation[new_ep.operation_id] = [rename, *compare_endpoints(old_ep, new_ep, old.types, new.types)]
    return per_operation


def _index(endpoints: Iterable[Endpoint]) -> dict[str, Endpoint]:
    """Endpoints by operation id; a duplicate id keeps its first page (the scraper reports the others)."""
    index: dict[str, Endpoint] = {}
    for ep in endpoints:
        index.setdefault(ep.operation_id, ep)
    return index


def _signature(ep: Endpoint) -> JsonValue:
    return {"method": ep.method.upper(), "path": ep.path}


def _operation_change(kind: ChangeKind, ep: Endpoint, old: JsonValue = None, new: JsonValue = None) -> Change:
    return _change(ep.operation_id, kind, None, old, new)


def _change(
    operation: str, kind: ChangeKind, path: str | None, old: JsonValue, new: JsonValue, doc_only: bool = False
) -> Change:
    breaking = is_breaking(kind, old, new, doc_only=doc_only)
    return Change(operation=operation, kind=kind, path=path, breaking=breaking, old=old, new=new)


# --- renames ---------------------------------------------------------------


def match_renames(removed: list[Endpoint], added: list[Endpoint]) -> list[tuple[Endpoint, Endpoint]]:
    """Pair OLD-only with NEW-only operations that are one operation under a new name.

    Candidates share method, path template and wrapper key (on the wire they are
    the same request) and at least half their parameter names; the most similar
    pairs are taken first, each operation at most once, ties broken by name.
    """
    by_wire: dict[tuple[str, str, str | None], list[Endpoint]] = {}
    for ep in added:
        by_wire.setdefault(_wire_identity(ep), []).append(ep)
    candidates: list[tuple[float, str, str, Endpoint, Endpoint]] = []
    for old_ep in removed:
        for new_ep in by_wire.get(_wire_identity(old_ep), []):
            score = _param_similarity(old_ep, new_ep)
            if score >= _RENAME_MIN_SIMILARITY:
                candidates.append((-score, old_ep.operation_id, new_ep.operation_id, old_ep, new_ep))
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    pairs: list[tuple[Endpoint, Endpoint]] = []
    for _, old_name, new_name, old_ep, new_ep in candidates:
        if old_name not in taken_old and new_name not in taken_new:
            taken_old.add(old_name)
            taken_new.add(new_name)
            pairs.append((old_ep, new_ep))
    return sorted(pairs, key=lambda p: p[1].operation_id)


def _wire_identity(ep: Endpoint) -> tuple[str, str, str | None]:
    return ep.method.upper(), normalize_path(ep.path), _wrapper(ep)


def _param_similarity(a: Endpoint, b: Endpoint) -> float:
    """Jaccard similarity of the operations' own parameter names.

    Top-level body fields (systemTags, userTags) are shared by nearly every
    operation and say nothing about whether two are the same one: left out.
    """
    names_a = {p.name for p in a.all_params() if p.location is not Location.BODY_TOP}
    names_b = {p.name for p in b.all_params() if p.location is not Location.BODY_TOP}
    if not names_a and not names_b:
        return 1.0
    return len(names_a & names_b) / len(names_a | names_b)


def normalize_path(path: str) -> str:
    """The path template with variable names blanked: `{uuid}` and `{vmUuid}` are the same URL."""
    return _PATH_VARIABLE.sub("{}", path.strip()).rstrip("/") or "/"


def _wrapper(ep: Endpoint) -> str | None:
    return ep.body.wrapper if ep.body is not None else None


# --- one operation -----------------------------------------------------------


def compare_endpoints(
    old: Endpoint,
    new: Endpoint,
    old_types: dict[str, NamedType] | None = None,
    new_types: dict[str, NamedType] | None = None,
) -> list[Change]:
    """The changes inside one operation (named by its NEW operation id)."""
    name = new.operation_id
    changes = list(_endpoint_level_changes(name, old, new))
    changes.extend(_param_changes(name, (old, _flatten_params(old)), (new, _flatten_params(new))))
    if responses_comparable(old, new):
        old_fields = _flatten_response(old.response.fields, old_types or {})
        new_fields = _flatten_response(new.response.fields, new_types or {})
        changes.extend(_response_changes(name, old_fields, new_fields))
    return changes


def _endpoint_level_changes(name: str, old: Endpoint, new: Endpoint) -> Iterator[Change]:
    if old.method.upper() != new.method.upper():
        yield _change(name, ChangeKind.METHOD_CHANGED, None, old.method.upper(), new.method.upper())
    if normalize_path(old.path) != normalize_path(new.path):
        yield _change(name, ChangeKind.PATH_CHANGED, None, old.path, new.path)
    if _wrapper(old) != _wrapper(new):
        yield _change(name, ChangeKind.WRAPPER_CHANGED, None, _wrapper(old), _wrapper(new))
    if old.documented_async != new.documented_async and async_comparable(old, new):
        yield _change(name, ChangeKind.ASYNC_CHANGED, None, old.documented_async, new.documented_async)
    # A page that does not say (None: a flat page has no auth line) is not a change of what the API wants.
    if old.documented_auth != new.documented_auth and None not in (old.documented_auth, new.documented_auth):
        yield _change(name, ChangeKind.AUTH_CHANGED, None, old.documented_auth, new.documented_auth)
    if old.since != new.since:
        yield _change(name, ChangeKind.SINCE_CHANGED, None, old.since, new.since)


# --- types -------------------------------------------------------------------


@dataclass(frozen=True)
class TypeRef:
    """A documented type reduced to what decides whether two are the same."""

    kind: Kind
    name: str  # as documented, for reports
    element: str | None = None  # only when documented (not inferred)

    def family(self) -> str:
        return "class" if self.kind in _CLASS_KINDS else self.kind.value

    def same_as(self, other: TypeRef) -> bool:
        """Same kind family and name (`int` = `Integer`, `Long` = `long`); elements when both sides give one."""
        if self == other:
            return True  # the common case, decided without normalizing anything
        if self.family() != other.family() or _canonical(self.name) != _canonical(other.name):
            return False
        if self.element is None or other.element is None:
            return True
        return _canonical(self.element) == _canonical(other.element)

    def shown(self, with_element: bool) -> str:
        if with_element and self.element is not None and "<" not in self.name:
            return f"{self.name}<{self.element}>"
        return self.name


@cache
def _canonical(type_name: str) -> str:
    lowered = _WHITESPACE.sub("", type_name).lower()
    return _TYPE_ALIASES.get(lowered, lowered)


def _type_change_values(old: TypeRef, new: TypeRef) -> tuple[str, str]:
    """Type names for a report; the element types too when only they differ."""
    element_only = _canonical(old.name) == _canonical(new.name)
    return old.shown(element_only), new.shown(element_only)


def _param_type(p: Param) -> TypeRef:
    # An element type read off the examples or the name (`element_source`) is not a documented type.
    return TypeRef(p.kind, p.type, None if p.element_source is not None else p.element_type)


def _field_type(f: ResponseField) -> TypeRef:
    return TypeRef(f.kind, f.type, None if f.element_type_inferred else f.element_type)


# --- parameters ----------------------------------------------------------------


def _flatten_params(ep: Endpoint) -> dict[str, Param]:
    """Request parameters by (dotted) name in page order.

    A name used twice in one operation (a path `uuid` and a body `uuid`) is
    told apart by its location: `uuid@body`.
    """
    flat: dict[str, Param] = {}
    for param in ep.all_params():
        for dotted, p in _walk_param(param, ""):
            key = dotted if dotted not in flat else f"{dotted}@{p.location.value}"
            flat.setdefault(key, p)
    return flat


def _walk_param(param: Param, prefix: str) -> Iterator[tuple[str, Param]]:
    dotted = f"{prefix}{param.name}"
    yield dotted, param
    for child in param.children:
        yield from _walk_param(child, f"{dotted}.")


def _param_summary(p: Param) -> JsonValue:
    return {"type": p.type, "location": p.location.value, "required": p.required}


def _param_changes(
    name: str, old_side: tuple[Endpoint, dict[str, Param]], new_side: tuple[Endpoint, dict[str, Param]]
) -> Iterator[Change]:
    (old_ep, old), (new_ep, new) = old_side, new_side
    for key, p in new.items():
        if key not in old and presence_comparable(p, old_ep):
            yield _change(name, ChangeKind.PARAM_ADDED, key, None, _param_summary(p))
    for key, p in old.items():
        if key not in new and presence_comparable(p, new_ep):
            yield _change(name, ChangeKind.PARAM_REMOVED, key, _param_summary(p), None)
    sections = section_moves_comparable(old_ep, new_ep)
    for key, new_p in new.items():
        old_p = old.get(key)
        if old_p is not None:
            yield from _one_param_changes(name, key, old_p, new_p, sections)


def _one_param_changes(name: str, key: str, old: Param, new: Param, sections: bool) -> Iterator[Change]:
    if old.required != new.required and required_comparable(old, new):
        yield _change(name, ChangeKind.PARAM_REQUIRED_CHANGED, key, old.required, new.required)
    old_type, new_type = _param_type(old), _param_type(new)
    if not old_type.same_as(new_type):
        shown_old, shown_new = _type_change_values(old_type, new_type)
        yield _change(name, ChangeKind.PARAM_TYPE_CHANGED, key, shown_old, shown_new)
    yield from _location_change(name, key, old, new, sections)
    if _descriptions_differ(old.description, new.description) and description_comparable(old, new):
        yield _change(name, ChangeKind.DESCRIPTION_CHANGED, f"request.{key}", old.description, new.description)


def _location_change(name: str, key: str, old: Param, new: Param, sections: bool) -> Iterator[Change]:
    """A move on the wire (breaking), or else a move between the page's sections only (doc-only).

    A parameter a page lists in the body but whose name fills a path variable
    travels in the path (the scraper repairs `location`, keeping `shown_location`):
    when only the page's section changed, clients send it where they always did.
    """
    if old.location != new.location:
        yield _change(name, ChangeKind.PARAM_LOCATION_CHANGED, key, old.location.value, new.location.value)
        return
    old_shown, new_shown = old.shown_location or old.location, new.shown_location or new.location
    if old_shown != new_shown and sections:
        kind = ChangeKind.PARAM_LOCATION_CHANGED
        yield _change(name, kind, key, old_shown.value, new_shown.value, doc_only=True)


def _descriptions_differ(old: str, new: str) -> bool:
    """Different words; a change of spacing or line breaks alone does not count."""
    return old != new and _WHITESPACE.sub(" ", old).strip() != _WHITESPACE.sub(" ", new).strip()


# --- response fields -------------------------------------------------------------


def _flatten_response(fields: list[ResponseField], types: dict[str, NamedType]) -> dict[str, ResponseField]:
    """Response fields by dotted path in page order.

    Enum constants shown as children of an enum field are values, not fields, and
    a `recursive` node (a class already on the path) has no children. A field
    shown without children but pointing at a registry type is expanded from the
    registry, once per path, so both sides are compared at the same depth.
    """
    flat: dict[str, ResponseField] = {}
    for field in fields:
        _walk_field(field, "", types, (), flat)
    return flat


def _walk_field(
    field: ResponseField,
    prefix: str,
    types: dict[str, NamedType],
    refs_on_path: tuple[str, ...],
    flat: dict[str, ResponseField],
) -> None:
    dotted = f"{prefix}{field.name}"
    if dotted in flat:
        return  # a name shown twice at one level: the first one is the field
    flat[dotted] = field
    for child in _children(field, types, refs_on_path):
        _walk_field(child, f"{dotted}.", types, (*refs_on_path, *_ref_list(field)), flat)


def _children(field: ResponseField, types: dict[str, NamedType], refs_on_path: tuple[str, ...]) -> list[ResponseField]:
    if field.kind is Kind.ENUM or field.recursive:
        return []
    if field.children:
        return field.children
    if field.ref is not None and field.ref not in refs_on_path:
        named = types.get(field.ref)
        if named is not None and named.kind == "object":
            return named.fields
    return []


def _ref_list(field: ResponseField) -> tuple[str, ...]:
    return (field.ref,) if field.ref is not None else ()


def _response_changes(name: str, old: dict[str, ResponseField], new: dict[str, ResponseField]) -> Iterator[Change]:
    for path, f in new.items():
        if path not in old:
            yield _change(name, ChangeKind.RESPONSE_FIELD_ADDED, path, None, f.type)
    for path, f in old.items():
        if path not in new:
            yield _change(name, ChangeKind.RESPONSE_FIELD_REMOVED, path, f.type, None)
    for path, new_f in new.items():
        old_f = old.get(path)
        if old_f is None:
            continue
        old_type, new_type = _field_type(old_f), _field_type(new_f)
        if not old_type.same_as(new_type):
            shown_old, shown_new = _type_change_values(old_type, new_type)
            yield _change(name, ChangeKind.RESPONSE_FIELD_TYPE_CHANGED, path, shown_old, shown_new)
        if _descriptions_differ(old_f.description, new_f.description):
            described = f"response.{path}"
            yield _change(name, ChangeKind.DESCRIPTION_CHANGED, described, old_f.description, new_f.description)
