"""The operation objects of the OpenAPI export: parameters, request body, responses and the
`x-zstack-*` extensions that say what OpenAPI cannot (see the package docstring)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from generator.errors import SdkgenError
from generator.ir.model import Body, Endpoint, Param, Repair
from generator.openapi.schemas import (
    ASYNC_JOB_RESPONSE,
    ERROR_RESPONSE,
    Schema,
    Types,
    fields_object,
    param_schema,
    params_object,
    wire_name,
)

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_BODY_METHODS = frozenset({"post", "put", "patch"})
_PATH_VARIABLE = re.compile(r"\{([^{}]+)\}")
_SAFE_SUFFIX = re.compile(r"^[A-Za-z0-9_.-]+$")


def check_unique_operation_ids(endpoints: list[Endpoint]) -> None:
    seen: dict[str, Endpoint] = {}
    for ep in endpoints:
        if ep.operation_id in seen:
            raise SdkgenError(
                f"{ep.source}: operation id {ep.operation_id} is also defined by {seen[ep.operation_id].source}"
            )
        seen[ep.operation_id] = ep


def http_method(ep: Endpoint) -> str:
    method = ep.method.lower()
    if method not in _HTTP_METHODS:
        raise SdkgenError(f"{ep.source}: {ep.operation_id}: unsupported HTTP method {ep.method!r}")
    return method


def assign_path_keys(endpoints: list[Endpoint]) -> dict[str, str]:
    """Operation id -> key in `paths`; operations sharing method + path get a `#suffix` each."""
    sharing: dict[tuple[str, str], list[Endpoint]] = defaultdict(list)
    for ep in endpoints:  # already sorted by operation id, so each group is too
        sharing[(http_method(ep), ep.path)].append(ep)
    keys: dict[str, str] = {}
    for (_, path), group in sharing.items():
        if len(group) == 1:
            keys[group[0].operation_id] = path
            continue
        wrapper_use: defaultdict[str | None, int] = defaultdict(int)
        for ep in group:
            wrapper_use[_wrapper_suffix(ep)] += 1
        for ep in group:
            suffix = _wrapper_suffix(ep)
            if suffix is None or wrapper_use[suffix] > 1:
                suffix = ep.operation_id  # unique by construction: ids were checked
            keys[ep.operation_id] = f"{path}#{suffix}"
    return keys


def _wrapper_suffix(ep: Endpoint) -> str | None:
    wrapper = ep.body.wrapper if ep.body is not None else None
    # A suffix with braces or slashes would read as a path variable or segment.
    return wrapper if wrapper and _SAFE_SUFFIX.match(wrapper) else None


def sorted_methods(item: dict[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in sorted(item)}


def operation_object(ep: Endpoint, types: Types) -> dict[str, Any]:
    """The operation object of one endpoint (what `paths[path][method]` holds)."""
    op: dict[str, Any] = {
        "operationId": ep.operation_id,
        "summary": ep.title,
        "tags": [ep.group],
    }
    if ep.description:
        op["description"] = ep.description
    parameters = _parameters(ep, types)
    if parameters:
        op["parameters"] = parameters
    if ep.body is not None and http_method(ep) in _BODY_METHODS:
        op["requestBody"] = _request_body(ep.body, types)
    op["responses"] = _responses(ep, types)
    if ep.documented_auth is False:
        op["security"] = []
    op.update(_operation_extensions(ep))
    return op


def _operation_extensions(ep: Endpoint) -> dict[str, Any]:
    ext: dict[str, Any] = {"x-zstack-path": ep.path, "x-zstack-source": ep.source.file}
    if ep.shown_path is not None and ep.shown_path != ep.path:
        ext["x-zstack-shown-path"] = ep.shown_path
    if ep.since is not None:
        ext["x-zstack-since"] = ep.since
    if ep.documented_async is not None:
        ext["x-zstack-documented-async"] = ep.documented_async
    if ep.documented_auth is not None:
        ext["x-zstack-auth"] = ep.documented_auth
    if ep.breadcrumb:
        ext["x-zstack-breadcrumb"] = list(ep.breadcrumb)
    if ep.body is not None and ep.body.wrapper is not None:
        ext["x-zstack-wrapper"] = ep.body.wrapper
    if ep.body is not None and ep.body.shown_wrapper is not None:
        ext["x-zstack-shown-wrapper"] = ep.body.shown_wrapper
    if ep.repairs:
        ext["x-zstack-repairs"] = [_repair(r) for r in ep.repairs]
    if ep.is_query:
        ext["x-zstack-query"] = True
    orphans = _orphan_path_params(ep)
    if orphans:
        ext["x-zstack-orphan-path-params"] = orphans
    return ext


def _repair(repair: Repair) -> dict[str, Any]:
    return {
        "rule": repair.rule,
        "target": repair.target,
        "shown": repair.shown,
        "repaired": repair.repaired,
        "reason": repair.reason,
    }


def _path_variables(path: str) -> list[str]:
    return _PATH_VARIABLE.findall(path)


def _parameters(ep: Endpoint, types: Types) -> list[dict[str, Any]]:
    """Path parameters (documented, then inferred from the template), then query parameters."""
    variables = _path_variables(ep.path)
    params: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(location: str, entry: dict[str, Any]) -> None:
        # A duplicate (name, in) would make the document invalid; the first one shown wins.
        if (location, entry["name"]) not in seen:
            seen.add((location, entry["name"]))
            params.append(entry)

    for p in ep.path_params:
        if wire_name(p) in variables:
            add("path", _path_parameter(p, types))
    for name in variables:
        if ("path", name) not in seen:
            add("path", _inferred_path_parameter(name))
    for p in ep.query_params:
        add("query", _query_parameter(p, types))
    return params


def _orphan_path_params(ep: Endpoint) -> list[dict[str, Any]]:
    """Path parameters the page lists but the path template lacks: OpenAPI cannot declare them."""
    variables = set(_path_variables(ep.path))
    return [
        {"name": p.name, "required": p.required, "description": p.description}
        for p in ep.path_params
        if wire_name(p) not in variables
    ]


def _path_parameter(p: Param, types: Types) -> dict[str, Any]:
    entry = _parameter_entry(p, "path", types)
    entry["required"] = True  # OpenAPI insists; the page's label is kept beside it
    if not p.required:
        entry["x-zstack-documented-required"] = False
    return entry


def _inferred_path_parameter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "x-zstack-inferred": True,
    }


def _query_parameter(p: Param, types: Types) -> dict[str, Any]:
    return _parameter_entry(p, "query", types)


def _parameter_entry(p: Param, location: str, types: Types) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": wire_name(p), "in": location, "required": p.required}
    if p.description:
        entry["description"] = p.description
    entry["schema"] = param_schema(p, types)
    if p.shown_location is not None and p.shown_location.value != location:
        entry["x-zstack-shown-location"] = p.shown_location.value
    if wire_name(p) != p.name:
        entry["x-zstack-name"] = p.name
    return entry


def _request_body(body: Body, types: Types) -> dict[str, Any]:
    """`{wrapper: {...params}, ...top_level}`; required when the wrapper or any top-level is."""
    properties: dict[str, Schema] = {}
    required: list[str] = []
    if body.wrapper is not None:
        wrapper_schema = params_object(body.params, types)
        if body.wrapper_description:
            wrapper_schema["description"] = body.wrapper_description
        properties[body.wrapper] = wrapper_schema
        if body.wrapper_required:
            required.append(body.wrapper)
        top_level = list(body.top_level)
    else:
        top_level = [*body.params, *body.top_level]  # no wrapper: everything sits at the top
    top = params_object(top_level, types)
    for name, prop in top["properties"].items():
        properties.setdefault(name, prop)
    required += [name for name in top.get("required", []) if name not in required]
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return {"required": bool(required), "content": {"application/json": {"schema": schema}}}


def _responses(ep: Endpoint, types: Types) -> dict[str, Any]:
    media: dict[str, Any] = {"schema": _response_schema(ep, types)}
    example = ep.response_example
    if example is not None and example.parse_error is None and example.parsed is not None:
        media["example"] = example.parsed
    status = str(ep.response.status)
    responses: dict[str, Any] = {status: {"description": "Success", "content": {"application/json": media}}}
    if http_method(ep) != "get":
        # ZStack answers every write with 202 + a job location (whatever the page's sync label);
        # GET is always answered directly.
        responses.setdefault("202", {"$ref": f"#/components/responses/{ASYNC_JOB_RESPONSE}"})
    responses.setdefault("503", {"$ref": f"#/components/responses/{ERROR_RESPONSE}"})
    return responses


def _response_schema(ep: Endpoint, types: Types) -> Schema:
    if ep.response.block == "tree" and ep.response.fields:
        return fields_object(ep.response.fields, types)
    return {"type": "object"}
