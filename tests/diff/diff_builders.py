"""Hand-built IR pieces for the differ's tests: only what a test cares about is spelled out."""

from __future__ import annotations

from collections.abc import Iterable

from generator.ir.model import IR, Body, Endpoint, Kind, Location, NamedType, Param, Response, ResponseField, Source

_KINDS = {
    "string": Kind.STRING,
    "integer": Kind.INTEGER,
    "int": Kind.INTEGER,
    "long": Kind.INTEGER,
    "boolean": Kind.BOOLEAN,
    "float": Kind.NUMBER,
    "double": Kind.NUMBER,
    "timestamp": Kind.TIMESTAMP,
    "list": Kind.LIST,
    "set": Kind.LIST,
    "map": Kind.MAP,
    "linkedhashmap": Kind.MAP,
}


def kind_of(type_name: str, has_children: bool = False) -> Kind:
    return _KINDS.get(type_name.lower(), Kind.OBJECT if has_children else Kind.NAMED)


def param(
    name: str,
    type: str = "String",
    *,
    required: bool = False,
    location: Location = Location.BODY,
    shown_location: Location | None = None,
    kind: Kind | None = None,
    element_type: str | None = None,
    description: str = "",
    children: Iterable[Param] = (),
) -> Param:
    kids = list(children)
    return Param(
        name=name,
        type=type,
        kind=kind or kind_of(type, bool(kids)),
        element_type=element_type,
        required=required,
        location=location,
        shown_location=shown_location,
        description=description,
        children=kids,
    )


def field(
    name: str,
    type: str = "String",
    *children: ResponseField,
    kind: Kind | None = None,
    element_type: str | None = None,
    element_type_inferred: bool = False,
    ref: str | None = None,
    recursive: bool = False,
    description: str = "",
) -> ResponseField:
    return ResponseField(
        name=name,
        type=type,
        kind=kind or kind_of(type, bool(children)),
        element_type=element_type,
        element_type_inferred=element_type_inferred,
        ref=ref,
        recursive=recursive,
        description=description,
        children=list(children),
    )


def enum_field(name: str, type: str, *constants: str) -> ResponseField:
    """An enum-typed field with its constants shown as children, as the pages show them."""
    return field(name, type, *(field(c, type, kind=Kind.ENUM) for c in constants), kind=Kind.ENUM)


def endpoint(
    operation_id: str,
    method: str = "POST",
    path: str = "/zstack/v1/things",
    *,
    wrapper: str | None = "params",
    params: Iterable[Param] = (),
    path_params: Iterable[Param] = (),
    query_params: Iterable[Param] = (),
    top_level: Iterable[Param] = (),
    fields: Iterable[ResponseField] = (),
    group: str = "Thing Operations",
    since: str | None = None,
    documented_async: bool | None = None,
    documented_auth: bool | None = True,
) -> Endpoint:
    body_params, body_top = list(params), list(top_level)
    has_body = wrapper is not None or body_params or body_top
    return Endpoint(
        operation_id=operation_id,
        title=operation_id,
        group=group,
        method=method,
        path=path,
        since=since,
        documented_async=documented_async,
        documented_auth=documented_auth,
        path_params=list(path_params),
        query_params=list(query_params),
        body=Body(wrapper=wrapper, params=body_params, top_level=body_top) if has_body else None,
        response=Response(block="tree", fields=list(fields)),
        source=Source(file=f"{operation_id}.txt"),
    )


def ir(*endpoints: Endpoint, types: dict[str, NamedType] | None = None) -> IR:
    return IR(endpoints=list(endpoints), types=types or {})
