"""What a Dev Guide page does not show, supplied where ZStack's conventions make it certain, each with an
`Inference` record (devguide.py's docstring lists the rules)."""

from __future__ import annotations

import re

from generator.ir.model import Diagnostic, Endpoint, Inference, Location, Param, Source
from generator.scrape.devguide_fields import earliest
from generator.scrape.vocab import kind_of

_QUERY_API = re.compile(r"^Query[A-Z0-9]")
_PATH_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
TAGS = ("systemTags", "userTags")

# APIQueryMessage's parameters: every Query API takes them (name, type, required, valid values).
QUERY_STANDARD_PARAMS: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    ("conditions", "List", True, ()),
    ("limit", "Integer", False, ()),
    ("start", "Integer", False, ()),
    ("count", "Boolean", False, ()),
    ("groupBy", "String", False, ()),
    ("replyWithCount", "Boolean", False, ()),
    ("sortBy", "String", False, ()),
    ("sortDirection", "String", False, ("asc", "desc")),
    ("fields", "List", False, ()),
)


def unshown_required(params: list[Param], endpoint: Endpoint) -> None:
    """Rows that do not say whether they are required: the tags are optional on every API (APIMessage's
    systemTags/userTags); the others keep the family's default (required) with a warning."""
    for param in params:
        if param.required_shown:
            continue
        if param.name in TAGS:
            param.required = False
            endpoint.inferences.append(
                Inference(
                    rule="tags-optional",
                    target=f"param:{param.name}.required",
                    value=False,
                    reason="the row does not say; systemTags and userTags are optional on every API",
                    source=param.source,
                )
            )
            continue
        endpoint.warnings.append(
            Diagnostic(
                code="required-not-shown",
                message=f"parameter {param.name!r}: its description is Chinese and carries no `Optional.` "
                "marker, so the page does not say whether it is required; read as required",
                source=param.source or endpoint.source,
            )
        )


def infer_query_params(endpoint: Endpoint, *, has_table: bool, queryable_line: int | None) -> None:
    is_query = endpoint.method == "GET" and _QUERY_API.match(endpoint.operation_id) is not None
    if not is_query or has_table:
        return
    listed = {p.name for p in endpoint.all_params()}
    source = Source(file=endpoint.source.file, line=queryable_line)
    added = []
    for name in _PATH_VARIABLE.findall(endpoint.path.split("?", 1)[0]):
        if name not in listed:  # the URL's variables: a path parameter each
            endpoint.path_params.append(
                Param(name=name, type="String", kind=kind_of("String"), required=True, location=Location.PATH,
                      inferred=True, source=source)
            )  # fmt: skip
            added.append(name)
    for name, type_name, required, values in QUERY_STANDARD_PARAMS:
        if name in listed:
            continue
        endpoint.query_params.append(
            Param(
                name=name,
                type=type_name,
                kind=kind_of(type_name),
                required=required,
                location=Location.QUERY,
                valid_values=list(values),
                inferred=True,
                source=source,
            )
        )
        added.append(name)
    endpoint.not_shown.append("query-params")
    endpoint.inferences.append(
        Inference(
            rule="query-standard-params",
            target="query_params",
            value=added,
            reason="a Dev Guide Query API lists its queryable fields, not its parameters; every Query API "
            "takes APIQueryMessage's, and its URL's variables as path parameters",
            source=source,
        )
    )


def infer_since(endpoint: Endpoint, request: list[str], response: list[str]) -> None:
    from_rows, where = earliest(request), "request parameter rows"
    if from_rows is None or "query-params" in endpoint.not_shown:
        from_rows, where = earliest(response), "top-level response field rows"
    if from_rows is None:
        return
    endpoint.since = from_rows
    endpoint.inferences.append(
        Inference(
            rule="since-from-rows",
            target="since",
            value=from_rows,
            reason=f"the page shows a starting version per row; the API's is the earliest of its {where}",
            source=endpoint.source,
        )
    )
