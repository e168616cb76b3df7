"""The element types of lists, from what the pages show, each with its evidence (`ElementSource`).

Two stages, both pure functions of their inputs (they fill `element_type` / `element_source` in place):

* `infer_page_elements(endpoint)`: what one page says, run when the page is parsed (its result is cached
  with the page). In order of strength: a documented generic (`List<String>`); the element fields shown
  under the list (`field-tree`); the request example's concrete elements (`request-example`) or the
  response example's (`response-example`); a name of UUIDs (`l3NetworkUuids`: `uuid-name`); the curl's
  `["<systemTags>"]` placeholder for a name that reads as text (`curl-placeholder`; the site writes
  that placeholder for every list, objects included, so the name must say text); a query value, which
  is text in the URL (`query-string`).
* `link_elements(endpoint, types)` / `link_type_elements(types)`: what needs the whole registry, run
  where the IR is assembled (full and patch builds alike): "See X." naming a registry type
  (`see-reference`).

A list nothing decides keeps `element_type = None` (rendered `list[Any]`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Final

from pydantic import JsonValue

from generator.ir.model import ElementSource, Endpoint, Kind, Location, NamedType, Param, ResponseField, Source
from generator.scrape.tree import names_in

# The last word of a list's name that says its elements are text (with the curl's string placeholder).
TEXT_NOUNS: Final[frozenset[str]] = frozenset(
    {
        "tags", "names", "ips", "urls", "uris", "cidrs", "emails", "hostnames", "macs", "paths", "types",
        "versions", "fields", "numbers", "addresses", "domains", "dns", "uuids",
    }
)  # fmt: skip
_PLACEHOLDER = re.compile(r"^<[^<>]*>$")
_GENERIC = re.compile(r"^\s*(?:java\.util\.)?(?:List|ArrayList|Set|HashSet|Collection)\s*<\s*([\w.]+)\s*>\s*$")
_LAST_WORD = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+")

_Decided = tuple[str | None, ElementSource] | None  # (element type, why); None: this rule says nothing


def is_inferred(source: ElementSource | None) -> bool:
    """An element type a rule decided (not written as `List<X>` on the page)."""
    return source is not None and source.rule != "documented"


# --- one page -------------------------------------------------------------------------------------


def infer_page_elements(endpoint: Endpoint) -> None:
    """Element types of the page's own lists: request parameters and response fields."""
    example = endpoint.request_example
    body = example.body if example is not None and isinstance(example.body, dict) else {}
    wrapper = endpoint.body.shown_wrapper or endpoint.body.wrapper if endpoint.body is not None else None
    inner = body.get(wrapper) if wrapper and isinstance(body.get(wrapper), dict) else {}
    shown = {**body, **inner} if isinstance(inner, dict) else dict(body)
    query = dict(example.query) if example is not None else {}
    curl_source = example.source if example is not None else None
    for param in endpoint.all_params():
        _request_param(param, shown.get(param.name), query, curl_source)
    response = endpoint.response_example
    parsed = response.parsed if response is not None and response.parse_error is None else None
    _response_fields(endpoint.response.fields, [parsed] if isinstance(parsed, dict) else [],
                     response.source if response is not None else None)  # fmt: skip


def _request_param(param: Param, value: JsonValue, query: dict[str, str], curl: Source | None) -> None:
    if param.kind == Kind.LIST and param.element_type is None and not param.children and not param.valid_values:
        decided = (
            _documented(param.type, param.source)
            or _from_values(value if isinstance(value, list) else [], "request-example", curl, param.name)
            or _uuid_name(param.name, param.source)
            or _placeholder(param.name, value, curl)
            or _query_value(param, query, curl)
        )
        if decided is not None:
            param.element_type, param.element_source = decided
    values = value if isinstance(value, dict) else {}
    for child in param.children:
        _request_param(child, values.get(child.name), query, curl)


def _documented(type_name: str, source: Source | None) -> _Decided:
    match = _GENERIC.match(type_name)
    if match is None:
        return None
    return match.group(1), ElementSource(rule="documented", detail=type_name, source=source)


def _uuid_name(name: str, source: Source | None) -> _Decided:
    if not (name.endswith(("Uuids", "UUIDs")) or name.lower() == "uuids"):
        return None
    return "String", ElementSource(rule="uuid-name", detail=f"{name}: a list of UUIDs", source=source)


def _placeholder(name: str, value: JsonValue, curl: Source | None) -> _Decided:
    """`"systemTags":["<systemTags>"]`: the string placeholder, for a name whose last word says text."""
    if not (isinstance(value, list) and value and all(isinstance(v, str) and _PLACEHOLDER.match(v) for v in value)):
        return None
    words = _LAST_WORD.findall(name)
    if not words or words[-1].lower() not in TEXT_NOUNS:
        return None
    shown = f'"{name}":["{value[0]}"]'
    return "String", ElementSource(rule="curl-placeholder", detail=shown, source=curl)


def _query_value(param: Param, query: dict[str, str], curl: Source | None) -> _Decided:
    if param.location != Location.QUERY:
        return None
    wire = param.wire_name or param.name
    detail = f"{wire}={query[wire]}" if wire in query else f"{wire}: a query parameter"
    return "String", ElementSource(rule="query-string", detail=detail, source=curl if wire in query else param.source)


def _from_values(values: list[JsonValue], rule: str, source: Source | None, name: str) -> _Decided:
    """The Java-style type name of concrete example elements (all of one JSON type), else None."""
    concrete = [v for v in values if not (isinstance(v, str) and _PLACEHOLDER.match(v))]
    if not concrete or len(concrete) != len(values):
        return None
    element = _json_type(concrete)
    if element is None:
        return None
    shown = _shown(values[0])
    return element, ElementSource(rule=rule, detail=f'"{name}":[{shown}, ...]', source=source)


def _json_type(values: list[JsonValue]) -> str | None:
    if all(isinstance(v, bool) for v in values):
        return "Boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "Long"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "Double"
    if all(isinstance(v, str) for v in values):
        return "String"
    if all(isinstance(v, dict) for v in values):
        return "Map"
    return None


def _shown(value: JsonValue) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f'"{key}": ...' for key in list(value)[:3]) + "}"
    text = f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _response_fields(fields: list[ResponseField], examples: list[JsonValue], source: Source | None) -> None:
    """`examples`: the values the example shows for the object holding `fields` (one per list element)."""
    for node in fields:
        values = [ex[node.name] for ex in examples if isinstance(ex, dict) and node.name in ex]
        elements = [item for v in values if isinstance(v, list) for item in v]
        if node.kind == Kind.LIST and node.element_type is None and node.element_source is None:
            decided = (
                _field_tree(node)
                or _documented(node.type, node.source)
                or _from_values(elements, "response-example", source, node.name)
                or _uuid_name(node.name, node.source)
            )
            if decided is not None:
                node.element_type, node.element_source = decided
                node.element_type_inferred = node.element_type is not None and is_inferred(node.element_source)
        inner: list[JsonValue] = list(elements)
        if node.kind == Kind.MAP:  # the children are the values' fields
            inner = [item for v in values if isinstance(v, dict) for item in v.values()]
        elif node.kind != Kind.LIST:
            inner = [v for v in values if isinstance(v, dict)]
        _response_fields(node.children, inner, source)


def _field_tree(node: ResponseField) -> _Decided:
    """Children under a list name the element's fields: an object of those fields (its class, if named)."""
    if not node.children or node.kind != Kind.LIST:
        return None
    names = ", ".join(child.name for child in node.children[:4]) + (", ..." if len(node.children) > 4 else "")
    return node.ref, ElementSource(rule="field-tree", detail=f"{node.name}: {{{names}}}", source=node.source)


# --- the whole registry ---------------------------------------------------------------------------


def link_elements(endpoint: Endpoint, types: Mapping[str, NamedType]) -> None:
    """ "See X." naming a registry type, on the endpoint's lists nothing else decided."""
    for node in _walk(endpoint.response.fields):
        _link_field(node, types)
    for param in _walk_params(list(endpoint.all_params())):
        if param.kind != Kind.LIST or param.element_type is not None or param.children:
            continue
        named = _referenced(param.description, types, enums_only=True)
        if named is not None:
            param.element_type = named
            param.element_source = ElementSource(rule="see-reference", detail=_see(named), source=param.source)


def link_type_elements(types: Mapping[str, NamedType]) -> None:
    for named in types.values():
        for node in _walk(named.fields):
            _link_field(node, types)


def _link_field(node: ResponseField, types: Mapping[str, NamedType]) -> None:
    if node.kind != Kind.LIST or node.element_type is not None or node.children or node.ref:
        return
    named = _referenced(node.description, types, enums_only=False)
    if named is not None:
        node.element_type, node.ref, node.element_type_inferred = named, named, True
        node.element_source = ElementSource(rule="see-reference", detail=_see(named), source=node.source)


def _referenced(description: str, types: Mapping[str, NamedType], *, enums_only: bool) -> str | None:
    found = sorted(name for name in names_in(description) if name in types)
    if len(found) != 1 or (enums_only and types[found[0]].kind != "enum"):
        return None
    return found[0]


def _see(name: str) -> str:
    return f"See {name}."


def _walk(fields: list[ResponseField]) -> Iterator[ResponseField]:
    for node in fields:
        yield node
        yield from _walk(node.children)


def _walk_params(params: list[Param]) -> Iterator[Param]:
    for param in params:
        yield param
        yield from _walk_params(param.children)


__all__ = ["TEXT_NOUNS", "infer_page_elements", "is_inferred", "link_elements", "link_type_elements"]
