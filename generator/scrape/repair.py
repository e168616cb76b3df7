"""Known doc bugs -> repaired values, each with its reason. One rule per function, listed in RULES.

The IR keeps what the page says beside what the server expects, so users can audit every repair.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from generator.ir.model import Body, Diagnostic, Endpoint, Kind, Location, Param, Repair, Source

_HEX_UUID = re.compile(r"^[0-9a-f]{32}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_PATH_VAR = re.compile(r"\{([^{}/]+)\}")  # `{` excluded: a run of `{` would backtrack quadratically
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
_TAGS = ("systemTags", "userTags")


def lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def recase_action(shown: str, operation_id: str) -> str | None:
    """`startvminstance` -> `startVmInstance`, `migratevm` -> `migrateVm` (words of the API name)."""
    if shown.lower() == operation_id.lower():
        return lower_first(operation_id)
    words = _CAMEL_WORD.findall(operation_id)
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            joined = "".join(words[start:end])
            if joined.lower() == shown.lower():
                return lower_first(joined)
    return None


def _repair(
    endpoint: Endpoint, rule: str, target: str, shown: Any, repaired: Any, reason: str, source: Source | None = None
) -> None:
    endpoint.repairs.append(
        Repair(
            rule=rule, target=target, shown=shown, repaired=repaired, reason=reason, source=source or endpoint.source
        )
    )


def _warn(endpoint: Endpoint, code: str, message: str, source: Source | None = None) -> None:
    endpoint.warnings.append(Diagnostic(code=code, message=message, source=source or endpoint.source))


def repair_path(endpoint: Endpoint) -> None:
    """Endpoint paths with a query string, a bare `?` or a concrete UUID become a clean template."""
    shown = endpoint.path
    path = shown.split("?", 1)[0].split("#", 1)[0]
    listed = [p.name for p in endpoint.path_params]
    segments = path.split("/")
    for index, segment in enumerate(segments):
        if _HEX_UUID.match(segment):
            used = set(_PATH_VAR.findall("/".join(segments)))
            name = next((n for n in listed if n not in used), "uuid")
            segments[index] = "{" + name + "}"
            _warn(endpoint, "concrete-uuid-in-path", f"the endpoint shows a concrete UUID {segment} for {{{name}}}")
    path = "/".join(segments)
    if "?" in shown:
        _warn(endpoint, "query-in-endpoint", f"the endpoint {shown!r} carries a query string")
    if path != shown:
        endpoint.shown_path = shown
        endpoint.path = path
        _repair(
            endpoint, "endpoint-template", "path", shown, path, "an endpoint path is a template without a query string"
        )


def add_unlisted_path_params(endpoint: Endpoint) -> None:
    listed = {p.name for p in endpoint.path_params}
    for name in _PATH_VAR.findall(endpoint.path):
        if name in listed:
            continue
        moved = _take_param(endpoint, name)
        param = moved or Param(name=name, type="String", kind=Kind.STRING, required=True, location=Location.PATH)
        shown_location = param.location
        param.location, param.required = Location.PATH, True
        if moved is not None:
            param.shown_location = shown_location
        endpoint.path_params.append(param)
        _warn(endpoint, "path-variable-unlisted", f"path variable {{{name}}} is not listed under Path Parameters")


def _take_param(endpoint: Endpoint, name: str) -> Param | None:
    groups: list[list[Param]] = [endpoint.query_params]
    if endpoint.body is not None:
        groups += [endpoint.body.params, endpoint.body.top_level]
    for group in groups:
        for index, param in enumerate(group):
            if param.name == name:
                return group.pop(index)
    return None


def repair_flat_nesting(endpoint: Endpoint) -> None:
    """The flat rendering loses nesting: put fields back into the wrapper, as the curl body shows."""
    body = endpoint.body
    if body is None or body.wrapper is None or body.params or endpoint.layout != "flat":
        return
    curl_body = endpoint.request_example.body if endpoint.request_example else None
    inner = curl_body.get(body.shown_wrapper) if isinstance(curl_body, dict) and body.shown_wrapper else None
    if isinstance(inner, dict):
        wrapped_names = set(inner)
        reason = "the flat rendering loses nesting; the curl body shows these fields inside the wrapper"
    else:
        wrapped_names = {p.name for p in body.top_level if p.name not in _TAGS}
        reason = "the flat rendering loses nesting and the curl shows no body; all but the tags assumed wrapped"
    stay = [p for p in body.top_level if p.name not in wrapped_names]
    moved = [p for p in body.top_level if p.name in wrapped_names]
    if not moved:
        return
    for param in moved:
        param.location = Location.BODY
    body.params, body.top_level = moved, stay
    _repair(endpoint, "flat-nesting", "body.params", None, [p.name for p in moved], reason)


def repair_wrapper(endpoint: Endpoint) -> None:
    body = endpoint.body
    if body is None or endpoint.method in ("GET", "DELETE"):
        return
    if body.wrapper is None and endpoint.method == "PUT" and (body.params or body.top_level):
        body.wrapper = lower_first(endpoint.operation_id)
        _repair(
            endpoint,
            "missing-action-wrapper",
            "body.wrapper",
            None,
            body.wrapper,
            "PUT APIs are actions: the server reads the body under the API name in lowerCamel",
        )
        return
    shown = body.shown_wrapper
    if shown is None:
        return
    if shown == "param":
        _warn(
            endpoint,
            "singular-param-wrapper",
            "the body wrapper is `param`; create APIs normally use `params`",
            body.source,
        )
    elif (
        shown != "params"
        and shown.islower()
        and (fixed := recase_action(shown, endpoint.operation_id))
        and fixed != shown
    ):
        body.wrapper = fixed
        _repair(
            endpoint,
            "lowercase-wrapper",
            "body.wrapper",
            shown,
            fixed,
            "action keys are case-sensitive; the server expects the API name in lowerCamel",
        )
    for param in body.top_level:
        if param.kind == Kind.OBJECT and param.children and param.name.islower():
            fixed = recase_action(param.name, endpoint.operation_id)
            if fixed and fixed != param.name:
                _repair(
                    endpoint,
                    "lowercase-wrapper",
                    f"body.{param.name}",
                    param.name,
                    fixed,
                    "action keys are case-sensitive; the server expects lowerCamel",
                )
                param.name = fixed


def repair_get_delete_params(endpoint: Endpoint) -> None:
    """GET and DELETE carry parameters in the query string, whatever section the page lists them in."""
    body = endpoint.body
    if body is None or endpoint.method not in ("GET", "DELETE"):
        return
    moved: list[Param] = []
    for param in [*body.params, *body.top_level]:
        param.shown_location = param.location
        param.location = Location.QUERY
        moved.append(param)
    endpoint.query_params.extend(moved)
    endpoint.body = None
    if moved or body.shown_wrapper:
        _repair(
            endpoint,
            "get-delete-query",
            "body",
            body.shown_wrapper,
            [p.name for p in moved],
            f"{endpoint.method} parameters travel in the query string; the server ignores a body",
        )


def repair_query_conditions(endpoint: Endpoint) -> None:
    is_query = endpoint.method == "GET" and re.match(r"Query[A-Z0-9]", endpoint.operation_id) is not None
    endpoint.is_query = is_query
    if not is_query:
        return
    for param in endpoint.query_params:
        if param.name == "conditions":
            param.wire_name = "q"
            _repair(
                endpoint,
                "query-conditions",
                "param:conditions",
                "conditions",
                "q",
                "Query APIs document `conditions`; the server reads one `q=` per condition",
            )


def note_example_repair(endpoint: Endpoint, example_repair: str | None) -> None:
    example = endpoint.response_example
    if example is None or example.parse_error is None:
        return
    _warn(
        endpoint,
        "malformed-example-json",
        f"the response example is not valid JSON: {example.parse_error}",
        example.source,
    )
    if example_repair:
        _repair(endpoint, "malformed-example-json", "response_example", None, None, example_repair, example.source)


def dedupe_params(endpoint: Endpoint) -> None:
    groups: list[list[Param]] = [endpoint.path_params, endpoint.query_params]
    if endpoint.body:
        groups += [endpoint.body.params, endpoint.body.top_level]
    for group in groups:
        seen: set[str] = set()
        for param in list(group):
            if param.name in seen:
                group.remove(param)
                _warn(endpoint, "duplicate-field", f"parameter {param.name!r} is listed twice", param.source)
            seen.add(param.name)


RULES: tuple[Callable[[Endpoint], None], ...] = (
    dedupe_params,
    repair_path,
    repair_flat_nesting,
    repair_wrapper,
    repair_get_delete_params,
    add_unlisted_path_params,
    repair_query_conditions,
)


def apply_repairs(endpoint: Endpoint, example_repair: str | None) -> None:
    for rule in RULES:
        rule(endpoint)
    note_example_repair(endpoint, example_repair)


__all__ = ["RULES", "Body", "apply_repairs", "lower_first", "recase_action"]
