"""One endpoint -> everything its method, spec, models, fixture and test need (names and source text)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.ir.model import Endpoint, Location, NamedType, Param
from generator.render.conform import conform_example
from generator.render.escape import doc_lines, valid_text
from generator.render.naming import argument_names
from generator.render.samples import Sample, sample_for
from generator.render.types import ClassDef, FieldDef, RequestTypes, ResponseTypes

CONTEXT_PATH = "/zstack"
_QUERY_CONDITIONS = "conditions"


@dataclass
class ParamPlan:
    field: FieldDef
    location: str  # ParamSpec.location
    sample: Sample
    argument: str  # the method's keyword argument (`fields`), set to the model's `field.attr` (`fields_`)
    description: tuple[str, ...] = ()  # what it means (the page's text and valid values), as lines


@dataclass
class OperationPlan:
    operation_id: str
    method_name: str
    spec_name: str
    http_method: str
    path: str  # below the context path
    wrapper: str | None
    is_query: bool
    auth: bool
    request_class: str | None
    response_class: str
    params: list[ParamPlan]
    doc: list[str]
    fixture: dict[str, Any] = field(default_factory=dict)
    title: str = ""  # the page's title, as shown

    @property
    def signature_params(self) -> list[ParamPlan]:
        """Keyword-only arguments: required ones first, each group in page order."""
        return [p for p in self.params if p.field.required] + [p for p in self.params if not p.field.required]

    @property
    def sample_imports(self) -> set[str]:
        return {name for p in self.params for name in p.sample.imports}


def spec_path(path: str) -> str:
    """`/zstack/v1/vm-instances` -> `/v1/vm-instances`: specs hold the path below the context path."""
    if path == CONTEXT_PATH or path.startswith(CONTEXT_PATH + "/"):
        path = path[len(CONTEXT_PATH) :]
    return path if path.startswith("/") else "/" + path


def _wire_name(endpoint: Endpoint, param: Param) -> str:
    """The name the server reads: the IR's repaired wire name, else `q` for query conditions."""
    if param.wire_name:
        return param.wire_name
    for repair in endpoint.repairs:
        if repair.target == f"param:{param.name}" and isinstance(repair.repaired, str) and repair.repaired:
            return repair.repaired
    if endpoint.is_query and param.name == _QUERY_CONDITIONS:
        return "q"
    return param.name


def request_params(endpoint: Endpoint) -> list[Param]:
    """The request's parameters with their wire names; a wire name listed twice keeps its first place.

    Query conditions are optional whatever the page says: no condition lists everything, which is
    the call people make most.
    """
    seen: set[str] = set()
    params: list[Param] = []
    for param in endpoint.all_params():
        wire = _wire_name(endpoint, param)
        if wire in seen:
            continue
        seen.add(wire)
        update: dict[str, Any] = {"wire_name": wire}
        if endpoint.is_query and param.name == _QUERY_CONDITIONS:
            # `Q.eq(...)` conditions are strings; listing everything (no condition) is the common call.
            update.update(required=False, element_type="String")
        params.append(param.model_copy(update=update))
    return params


def argument_text(fdef: FieldDef, param: Param) -> list[str]:
    """What an argument means, as lines: the page's description and the valid values."""
    text = list(fdef.description) or ["No description on the page."]
    if param.valid_values:
        text.append("One of: " + ", ".join(param.valid_values) + ".")
    return text


def operation_doc(endpoint: Endpoint, plans: list[ParamPlan], response_class: str) -> list[str]:
    """Title, HTTP line, arguments with their page descriptions, and what is returned (as lines)."""
    lines = doc_lines(endpoint.title) or [endpoint.operation_id]
    http = f"`{endpoint.method} {spec_path(endpoint.path)}`"
    lines += ["", f"{http} (since {endpoint.since})." if endpoint.since else f"{http}."]
    if plans:
        lines += ["", "Args:"]
        for plan in plans:
            text = list(plan.description)
            lines.append(f"    {plan.argument}: {text[0]}")
            lines += [f"        {line}" if line else "" for line in text[1:]]
    lines += ["", "Returns:", f"    {response_class}: the parsed response (unknown keys kept)."]
    return lines


def plan_operation(
    endpoint: Endpoint,
    *,
    method_name: str,
    request_class: str,
    response_class: str,
    requests: RequestTypes,
    responses: ResponseTypes,
    enum_values: dict[str, list[str]],
) -> OperationPlan:
    params = request_params(endpoint)
    path = (endpoint.operation_id,)
    request_def: ClassDef | None = None
    if params:
        doc = [f"Parameters of `{endpoint.operation_id}`."]
        request_def = requests.class_for(request_class, params, doc, path)
        requests.module.add(request_def)
    response_doc = [f"The result of `{endpoint.operation_id}`."]
    responses.module.add(responses.class_for(response_class, endpoint.response.fields, response_doc, path))
    fields = request_def.fields if request_def else []
    arguments = argument_names([param.name for param in params], [fdef.attr for fdef in fields])
    plans = [
        ParamPlan(
            fdef,
            _location(param),
            sample_for(param, requests, enum_values, endpoint.operation_id),
            argument,
            tuple(argument_text(fdef, param)),
        )
        for fdef, param, argument in zip(fields, params, arguments, strict=True)
    ]
    plan = OperationPlan(
        operation_id=endpoint.operation_id,
        method_name=method_name,
        spec_name=f"_SPEC_{method_name.upper()}",
        http_method=endpoint.method.upper(),
        path=valid_text(spec_path(endpoint.path)),
        wrapper=valid_text(endpoint.body.wrapper) if endpoint.body and endpoint.body.wrapper is not None else None,
        is_query=endpoint.is_query,
        auth=endpoint.documented_auth is not False,
        request_class=request_class if request_def else None,
        response_class=response_class,
        params=plans,
        doc=operation_doc(endpoint, plans, response_class),
        title=valid_text(endpoint.title),
    )
    plan.fixture = fixture(endpoint, plan, requests.registry.types)
    return plan


def _location(param: Param) -> str:
    return Location(param.location).value


def _text(value: Any) -> str:
    """A scalar as the query string carries it: booleans lower-case, containers as compact JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _query_pairs(key: str, value: Any) -> list[tuple[str, str]]:
    """The documented encoding: lists repeat the key, maps use dotted keys (`k.key=v`)."""
    if isinstance(value, list):
        return [(key, _text(item)) for item in value]
    if isinstance(value, dict):
        return [pair for sub, item in value.items() for pair in _query_pairs(f"{key}.{sub}", item)]
    return [(key, _text(value))]


def _query_api_pairs(wire: str, value: Any, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Query APIs: one `q` per condition, `sort=+f`/`-f` (the server reads no sortBy), `fields=a,b`."""
    if wire == "sortBy":
        sign = "-" if str(values.get("sortDirection", "asc")).lower().startswith("desc") else "+"
        return [("sort", f"{sign}{value}")]
    if wire == "sortDirection":
        return []
    if wire == "fields" and isinstance(value, list):
        return [("fields", ",".join(str(v) for v in value))]
    return _query_pairs(wire, value)


def _query_dict(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Pairs as the fixture's `query` object: a repeated key holds a list."""
    query: dict[str, Any] = {}
    for key, value in pairs:
        if key in query:
            query[key] = [*query[key], value] if isinstance(query[key], list) else [query[key], value]
        else:
            query[key] = [value] if key == "q" else value
    return query


def fixture(endpoint: Endpoint, plan: OperationPlan, types: dict[str, NamedType]) -> dict[str, Any]:
    """What the fake server answers for this operation, and the request the generated test sends.

    The request is written from the docs' rules (sec. 4-5 of the REST conventions), independently of
    the runtime's encoder, so the generated tests check one against the other.
    """
    path_values: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    wrapped: dict[str, Any] = {}
    top: dict[str, Any] = {}
    in_query = plan.http_method in ("GET", "DELETE")
    wire_values = {p.field.wire: p.sample.wire for p in plan.params}
    for p in plan.params:
        value = p.sample.wire
        if p.location == "path":
            path_values[p.field.wire] = _text(value)
        elif p.location == "query" or in_query:
            pairs += (
                _query_api_pairs(p.field.wire, value, wire_values)
                if plan.is_query
                else _query_pairs(p.field.wire, value)
            )
        elif p.location == "body":
            wrapped[p.field.wire] = value
        else:
            top[p.field.wire] = value
    body: dict[str, Any] | None = None
    if not in_query:
        body = {plan.wrapper: wrapped} if plan.wrapper is not None else dict(wrapped)
        body.update(top)
    example = endpoint.response_example
    shown = example.parsed if example is not None and isinstance(example.parsed, dict) else {}
    response, dropped = conform_example(shown, endpoint.response.fields, types)
    conformed = {"dropped_from_example": dropped} if dropped else {}
    return {
        "operation_id": plan.operation_id,
        "method": plan.http_method,
        "path": plan.path,
        "wrapper": plan.wrapper,
        "is_query": plan.is_query,
        "auth": plan.auth,
        "request": {"path": path_values, "query": _query_dict(pairs), "body": body},
        "response": response,
        **conformed,
    }
