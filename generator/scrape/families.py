"""One API documented by both families: an API explorer page and a Dev Guide page (`sdkgen scrape
explorer/ devguide/`). The IR keeps one endpoint, and a diagnostic for every point where they disagree.

Policy: **the explorer wins on what it shows** (it is the current documentation: it shows sync/async, the
operation id, the parameters of Query APIs, every field with its Required badge), and **the Dev Guide fills
what the explorer page does not show**: the since-version, navigation path, group and auth of a flat page
without a header, the summary, the response fields of a flat page (which shows no tree), a parameter's
valid values or description where the explorer gives none. Each fill is an `Inference` (rule
`family-merge`) naming the Dev Guide page. A parameter only one family lists is not added: it is a
disagreement for the docs team (`sdkgen lint`), as are a required flag, a type, a location, the method,
path, body wrapper, auth or since-version, and response fields one family lacks.

Not disagreements: what the Dev Guide cannot show (`Endpoint.not_shown`: sync/async, Query APIs'
parameters), its inferred values, rows that do not say whether they are required, and an error-only
response shown as a tree of `error` on one side and as "returns {}" on the other.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.ir.model import Diagnostic, Endpoint, Inference, Kind, Param, ResponseField, Source

_TYPE_ALIASES = {"int": "integer", "bool": "boolean", "char": "character"}
_NO_TREE = ("delete", "empty-object", "none")


def merge_families(explorer: Endpoint, guide: Endpoint) -> tuple[Endpoint, list[Diagnostic]]:
    """The explorer's endpoint with the Dev Guide's fills (a copy), and the disagreements."""
    merged = explorer.model_copy(deep=True)
    notes = list(_disagreements(merged, guide))
    _fill(merged, guide)
    return merged, notes


def _note(code: str, guide: Endpoint, explorer: Endpoint, what: str, line_source: Source | None = None) -> Diagnostic:
    return Diagnostic(
        code=code,
        message=f"{guide.operation_id}: {what} (Dev Guide page vs explorer page {explorer.source.file}); "
        "the IR uses the explorer's",
        source=line_source or guide.source,
    )


def _canonical(type_name: str) -> str:
    lowered = "".join(type_name.split()).lower()
    return _TYPE_ALIASES.get(lowered, lowered)


def _disagreements(explorer: Endpoint, guide: Endpoint) -> Iterator[Diagnostic]:
    if (explorer.method, explorer.path) != (guide.method, guide.path):
        what = f"endpoint {guide.method} {guide.path} vs {explorer.method} {explorer.path}"
        yield _note("family-endpoint-differs", guide, explorer, what)
    wrappers = (guide.body.wrapper if guide.body else None, explorer.body.wrapper if explorer.body else None)
    if wrappers[0] != wrappers[1]:
        what = f"body wrapper {wrappers[0] or 'none'} vs {wrappers[1] or 'none'}"
        yield _note("family-endpoint-differs", guide, explorer, what)
    for attribute in ("documented_auth", "since"):
        ours, theirs = getattr(guide, attribute), getattr(explorer, attribute)
        if ours is not None and theirs is not None and ours != theirs:
            label = "auth" if attribute == "documented_auth" else "since"
            yield _note("family-endpoint-differs", guide, explorer, f"{label} {ours} vs {theirs}")
    yield from _param_disagreements(explorer, guide)
    yield from _response_disagreements(explorer, guide)


def _params(endpoint: Endpoint) -> dict[str, Param]:
    return {param.name: param for param in endpoint.all_params()}


def _param_disagreements(explorer: Endpoint, guide: Endpoint) -> Iterator[Diagnostic]:
    ours, theirs = _params(guide), _params(explorer)
    unshown = "query-params" in guide.not_shown
    for name, param in ours.items():
        if name not in theirs and not param.inferred:
            what = f"parameter {name!r} ({param.location.value}) is listed only on the Dev Guide page"
            yield _note("family-param-missing", guide, explorer, what, param.source)
    for name, param in theirs.items():
        if name not in ours and not (unshown and param.location.value == "query"):
            what = f"parameter {name!r} ({param.location.value}) is listed only on the explorer page"
            yield _note("family-param-missing", guide, explorer, what, param.source)
    for name in ours.keys() & theirs.keys():
        g, e = ours[name], theirs[name]
        if g.inferred:
            continue
        if g.required_shown and e.required_shown and g.required != e.required:
            what = f"parameter {name!r} is {_required(g)} vs {_required(e)}"
            yield _note("family-param-required", guide, explorer, what, g.source)
        if _canonical(g.type) != _canonical(e.type):
            yield _note("family-param-type", guide, explorer, f"parameter {name!r} is {g.type} vs {e.type}", g.source)
        if g.location != e.location:
            what = f"parameter {name!r} travels in {g.location.value} vs {e.location.value}"
            yield _note("family-param-location", guide, explorer, what, g.source)


def _required(param: Param) -> str:
    return "required" if param.required else "optional"


def _flatten(fields: list[ResponseField], prefix: str = "") -> dict[str, ResponseField]:
    """Response fields by dotted path (enum constants are values, not fields)."""
    flat: dict[str, ResponseField] = {}
    for node in fields:
        path = prefix + node.name
        if path in flat:
            continue
        flat[path] = node
        if node.kind != Kind.ENUM:
            for key, child in _flatten(node.children, path + ".").items():
                flat.setdefault(key, child)
    return flat


def _error_only(endpoint: Endpoint) -> bool:
    return not endpoint.response.fields or [f.name for f in endpoint.response.fields] == ["error"]


def _shape(endpoint: Endpoint) -> str:
    if _error_only(endpoint):
        return "empty on success (only an error on failure)"
    return "fields " + ", ".join(f.name for f in endpoint.response.fields)


def _response_disagreements(explorer: Endpoint, guide: Endpoint) -> Iterator[Diagnostic]:
    ours, theirs = guide.response, explorer.response
    if theirs.block == "none" and not theirs.fields:
        return  # the explorer page shows no response (flat form): the Dev Guide fills it
    if ours.block in _NO_TREE or theirs.block in _NO_TREE:
        if _error_only(guide) != _error_only(explorer):
            what = f"the response is {_shape(guide)} vs {_shape(explorer)}"
            yield _note("family-response-differs", guide, explorer, what)
        return
    flat_ours, flat_theirs = _flatten(ours.fields), _flatten(theirs.fields)
    for path in flat_ours.keys() - flat_theirs.keys():
        what = f"response field {path!r} is shown only on the Dev Guide page"
        yield _note("family-response-differs", guide, explorer, what, flat_ours[path].source)
    for path in flat_theirs.keys() - flat_ours.keys():
        what = f"response field {path!r} is shown only on the explorer page"
        yield _note("family-response-differs", guide, explorer, what, flat_theirs[path].source)
    for path in flat_ours.keys() & flat_theirs.keys():
        g, e = flat_ours[path], flat_theirs[path]
        if _canonical(g.type) != _canonical(e.type):
            what = f"response field {path!r} is {g.type} vs {e.type}"
            yield _note("family-response-differs", guide, explorer, what, g.source)


def _fill(merged: Endpoint, guide: Endpoint) -> None:
    def filled(target: str, value: object) -> None:
        merged.inferences.append(
            Inference(
                rule="family-merge",
                target=target,
                value=value,  # type: ignore[arg-type]
                reason=f"the explorer page does not show it; the Dev Guide page {guide.source.file} does",
                source=guide.source,
            )
        )

    if merged.since is None and guide.since is not None:
        merged.since = guide.since
        filled("since", guide.since)
    if merged.documented_auth is None and guide.documented_auth is not None:
        merged.documented_auth = guide.documented_auth
        filled("documented_auth", guide.documented_auth)
    if not merged.breadcrumb and guide.breadcrumb:
        merged.breadcrumb = list(guide.breadcrumb)
        filled("breadcrumb", merged.breadcrumb)
    if not merged.group and guide.group:
        merged.group = guide.group
        filled("group", guide.group)
    if not merged.description and guide.description:
        merged.description = guide.description
        filled("description", guide.description)
    if merged.response.block == "none" and not merged.response.fields and guide.response.fields:
        merged.response.fields = [f.model_copy(deep=True) for f in guide.response.fields]
        merged.response.block = guide.response.block
        filled("response.fields", [f.name for f in guide.response.fields])
    ours = _params(guide)
    for param in merged.all_params():
        other = ours.get(param.name)
        if other is None or other.inferred:
            continue
        if not param.valid_values and other.valid_values:
            param.valid_values = list(other.valid_values)
            filled(f"param:{param.name}.valid_values", param.valid_values)
        if not param.description and other.description:
            param.description = other.description
            filled(f"param:{param.name}.description", param.description)
