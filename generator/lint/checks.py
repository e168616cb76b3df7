"""The lint checks: one endpoint of the IR -> findings.

Two sources: what the scraper already noticed (its warnings and repairs keep what the page
showed beside what the server expects), and checks of the IR itself: types, descriptions,
the curl example against the field list, the response example against the response tree.
Each check is one function in CHECKS; none of them reads anything but the endpoint, except
that a finding without a line number looks the shown text up in the page file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.ir.model import Endpoint, Kind, Location, Param, RequestExample, ResponseField
from generator.lint.examples import check_example
from generator.lint.model import Finding, finding
from generator.scrape.vocab import CJK, TYPE_KINDS

_PATH_VAR = re.compile(r"\{([^{}/]+)\}")
_PLACEHOLDER = re.compile(r"^(?:<[^<>]*>|\{[^{}]*\})$")
_PYTHON_BOOL = frozenset({"True", "False", "None"})
_TYPE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_$.]*(?:<[A-Za-z0-9_$., <>?\[\]]*>)?(?:\[\])*$")
_LOWER_CASE_KNOWN = frozenset(t for t in TYPE_KINDS if t[:1].islower())
# Primitive spellings of other languages: no Java class is called this.
_FOREIGN_PRIMITIVES = frozenset({"Int", "Bool", "Str", "Dict", "Tuple", "Int32", "Int64", "Float64", "UInt"})
_PLACEHOLDER_DESCRIPTIONS = frozenset(
    {"no description provided.", "no description provided", "no description.", "暂无描述。", "暂无描述", "todo", "tbd"}
)
_MAX_LOCATE_BYTES = 8 * 1024 * 1024


@dataclass(slots=True)
class PageContext:
    """One endpoint being linted, and the page file for lines the IR does not carry."""

    endpoint: Endpoint
    _text: list[str] | None = field(default=None, init=False)

    @property
    def file(self) -> str:
        return self.endpoint.source.file

    def emit(self, rule: str, line: int | None, message: str, file: str | None = None) -> Finding:
        return finding(rule, file or self.file, line, message, self.endpoint.operation_id)

    def locate(self, needle: str, after: int = 0) -> int | None:
        """The first line (after `after`) that shows `needle`, as text or HTML-escaped."""
        if not needle:
            return None
        lines = self._lines()
        forms = {needle, html.escape(needle, quote=False)}
        for index in range(max(after, 0), len(lines)):
            if any(form in lines[index] for form in forms):
                return index + 1
        return None if after <= 0 else self.locate(needle)

    def _lines(self) -> list[str]:
        if self._text is None:
            self._text = _read_lines(Path(self.file))
        return self._text


def _read_lines(path: Path) -> list[str]:
    try:
        if not path.is_file() or path.stat().st_size > _MAX_LOCATE_BYTES:
            return []
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


Check = Callable[[PageContext], Iterable[Finding]]


# --- what the scraper noticed ---------------------------------------------------------------


def scraper_warnings(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    for warning in endpoint.warnings:
        line = warning.source.line
        if line is None and warning.code in ("query-in-endpoint", "concrete-uuid-in-path", "path-variable-unlisted"):
            line = ctx.locate(endpoint.shown_path or endpoint.path)
        yield ctx.emit(warning.code, line, warning.message, warning.source.file)


def scraper_repairs(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    body_line = endpoint.body.source.line if endpoint.body and endpoint.body.source else None
    for repair in endpoint.repairs:
        line = repair.source.line if repair.source else None
        if repair.rule == "lowercase-wrapper":
            shown = str(repair.shown)
            yield ctx.emit(
                "lowercase-wrapper",
                line or ctx.locate(shown, body_line or 0),
                f"body wrapper `{shown}` is lower-cased; the server reads `{repair.repaired}`",
            )
        elif repair.rule == "get-delete-query":
            moved = [p for p in endpoint.query_params if p.shown_location in (Location.BODY, Location.BODY_TOP)]
            names = ", ".join(f"`{p.name}`" for p in moved) or f"wrapper `{repair.shown}`"
            first = moved[0].source.line if moved and moved[0].source else line
            yield ctx.emit(
                "params-in-body-section",
                first,
                f"{endpoint.method} lists {names} under Body Fields; they travel in the query string",
            )
        elif repair.rule == "missing-action-wrapper":
            yield ctx.emit(
                "missing-action-wrapper",
                line or body_line,
                f"the PUT body has no wrapper object; the server reads it under `{repair.repaired}`",
            )


# --- the endpoint -----------------------------------------------------------------------------


def path_params(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    variables = set(_PATH_VAR.findall(endpoint.path))
    for param in endpoint.path_params:
        line = _line(param)
        if endpoint.path and param.name not in variables:
            yield ctx.emit(
                "path-param-unused",
                line,
                f"path parameter `{param.name}` does not occur in the endpoint {endpoint.path}",
            )
        if not param.required:
            yield ctx.emit("path-param-optional", line, f"path parameter `{param.name}` is not marked Required")


# --- fields -----------------------------------------------------------------------------------


def types(ctx: PageContext) -> Iterator[Finding]:
    for what, type_name, line in _typed_nodes(ctx.endpoint):
        reason = suspicious_type(type_name)
        if reason:
            yield ctx.emit("suspicious-type", line, f"{what} has type `{type_name}`: {reason}")


def suspicious_type(type_name: str) -> str | None:
    """Why a documented type name looks wrong, or None."""
    if not _TYPE_NAME.match(type_name):
        return "not a type name"
    base = type_name.split("<", 1)[0].removesuffix("[]")
    if base[:1].islower() and base not in _LOWER_CASE_KNOWN and type_name not in _LOWER_CASE_KNOWN:
        return "a lower-case name that is no Java primitive (a field name in the type column?)"
    if base in _FOREIGN_PRIMITIVES:
        return "not a Java type"
    return None


def descriptions(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    english = endpoint.lang == "en"
    for what, text, line in _described_nodes(ctx):
        stripped = text.strip()
        if stripped.casefold() in _PLACEHOLDER_DESCRIPTIONS:
            yield ctx.emit("placeholder-description", line, f"{what} is described as {_snippet(stripped)}")
        elif not stripped:
            yield ctx.emit("missing-description", line, f"{what} has no description")
        elif english and CJK.search(stripped):
            yield ctx.emit("untranslated-description", line, f"{what} has a Chinese description: {_snippet(stripped)}")


def _snippet(text: str, limit: int = 40) -> str:
    return f'"{_clip(text, limit)}"'


# --- the request example -----------------------------------------------------------------------


def curl_example(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    curl = endpoint.request_example
    if curl is None:
        return
    line = curl.source.line if curl.source else None
    if curl.parse_error:
        yield ctx.emit("malformed-curl", line, curl.parse_error)
    method = (curl.method or endpoint.method).upper()
    if curl.body_raw is not None and method in ("GET", "DELETE"):
        yield ctx.emit(
            f"curl-{method.lower()}-body",
            line,
            f"the {method} example sends a body (-d); the server reads parameters from the query string only",
        )
    for key, value in curl.query:
        if not _PLACEHOLDER.match(value):
            how = "a Python-style literal" if value in _PYTHON_BOOL else "a literal, not a placeholder"
            yield ctx.emit("curl-query-literal", line, f"the curl query sends `{_clip(key)}={_clip(value)}`: {how}")
    if curl.parse_error is None:  # what a broken curl sends is not known
        yield from _curl_names(ctx, curl, line)
    if curl.path and endpoint.path:
        shown = (endpoint.shown_path or endpoint.path).split("?", 1)[0]
        if not _fills_template(curl.path, shown):
            yield ctx.emit(
                "curl-path-mismatch", line, f"the curl URL path {_clip(curl.path)} is not the endpoint {_clip(shown)}"
            )


def _fills_template(path: str, template: str) -> bool:
    """Whether `path` is `template` with its `{variables}` left as they are or given values (the Dev Guide's
    curl samples send a real UUID where the explorer's show `{uuid}`)."""
    sent, shown = path.rstrip("/").split("/"), template.rstrip("/").split("/")
    return len(sent) == len(shown) and all(
        a == b or (b.startswith("{") and b.endswith("}") and a != "") for a, b in zip(sent, shown, strict=True)
    )


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _curl_names(ctx: PageContext, curl: RequestExample, line: int | None) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    wrappers = _wrapper_keys(endpoint)
    sent = _sent_names(curl, wrappers)
    listed = {n for p in endpoint.all_params() for n in _names_of(p)} | wrappers
    for name in sorted(sent - listed):
        yield ctx.emit("curl-param-unlisted", line, f"the curl example sends `{name}`, which the page does not list")
    sendable = [p for p in endpoint.all_params() if p.location != Location.PATH]
    for param in sendable:
        if not set(_names_of(param)) & sent:
            yield ctx.emit("curl-param-missing", _line(param) or line, f"the curl example does not send `{param.name}`")


def _names_of(param: Param) -> tuple[str, ...]:
    return (param.name, param.wire_name) if param.wire_name else (param.name,)


def _wrapper_keys(endpoint: Endpoint) -> set[str]:
    """Keys that hold wrapped fields: the wrapper as shown and as repaired, and second wrappers."""
    keys: set[str] = set()
    if endpoint.body is not None:
        keys |= {k for k in (endpoint.body.wrapper, endpoint.body.shown_wrapper) if k}
        keys |= {p.name for p in endpoint.body.top_level if p.kind == Kind.OBJECT and p.children}
    keys |= {str(r.shown) for r in endpoint.repairs if r.rule == "lowercase-wrapper" and isinstance(r.shown, str)}
    return keys


def _sent_names(curl: RequestExample, wrappers: set[str]) -> set[str]:
    sent = {key for key, _ in curl.query}
    if isinstance(curl.body, dict):
        for key, value in curl.body.items():
            sent.add(key)
            if key in wrappers and isinstance(value, dict):
                sent |= set(value)
    return sent


# --- the response example ----------------------------------------------------------------------


def response_example(ctx: PageContext) -> Iterator[Finding]:
    endpoint = ctx.endpoint
    example = endpoint.response_example
    if example is None or example.parsed is None or endpoint.response.block != "tree":
        return
    if not endpoint.response.fields:
        return
    line = example.source.line if example.source else None
    for issue in check_example(example.parsed, endpoint.response.fields):
        yield ctx.emit(issue.rule, line, issue.message)


def error_example(ctx: PageContext) -> Iterator[Finding]:
    example = ctx.endpoint.response.error_example
    if example is not None and example.parse_error:
        line = example.source.line if example.source else None
        yield ctx.emit("malformed-example-json", line, f"the error example is not valid JSON: {example.parse_error}")


# --- walking the endpoint ----------------------------------------------------------------------


def _line(node: Param | ResponseField) -> int | None:
    return node.source.line if node.source else None


def _walk_params(params: Iterable[Param], prefix: str = "") -> Iterator[tuple[str, Param]]:
    for param in params:
        name = f"{prefix}{param.name}"
        yield name, param
        yield from _walk_params(param.children, f"{name}.")


def _walk_fields(fields: Iterable[ResponseField], prefix: str = "") -> Iterator[tuple[str, ResponseField]]:
    for node in fields:
        name = f"{prefix}{node.name}"
        yield name, node
        yield from _walk_fields(node.children, f"{name}.")


def _typed_nodes(endpoint: Endpoint) -> Iterator[tuple[str, str, int | None]]:
    """(what, type, line) of every parameter and response field, `what` naming it for a message."""
    for name, param in _walk_params(endpoint.all_params()):
        yield f"parameter `{name}`", param.type, _line(param)
    for name, node in _walk_fields(endpoint.response.fields):
        yield f"response field `{name}`", node.type, _line(node)


def _described_nodes(ctx: PageContext) -> Iterator[tuple[str, str, int | None]]:
    """(what, description, line) of the body wrapper, every parameter and response field."""
    body = ctx.endpoint.body
    if body is not None and body.shown_wrapper:
        after = body.source.line if body.source and body.source.line else 0
        yield f"body wrapper `{body.shown_wrapper}`", body.wrapper_description, ctx.locate(body.shown_wrapper, after)
    for name, param in _walk_params(ctx.endpoint.all_params()):
        yield f"parameter `{name}`", param.description, _line(param)
    for name, node in _walk_fields(ctx.endpoint.response.fields):
        yield f"response field `{name}`", node.description, _line(node)


CHECKS: tuple[Check, ...] = (
    scraper_warnings,
    scraper_repairs,
    path_params,
    types,
    descriptions,
    curl_example,
    response_example,
    error_example,
)


def lint_endpoint(endpoint: Endpoint) -> list[Finding]:
    ctx = PageContext(endpoint)
    return [item for check in CHECKS for item in check(ctx)]
