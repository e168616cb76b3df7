"""Lines -> Endpoint: the page grammar (English and zh-cn labels), tolerant of order and gaps."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from generator.ir.model import Body, Diagnostic, Endpoint, Example, Location, Param, Response, Source
from generator.scrape.blocks import MAX_FIELD_DEPTH, MAX_FIELDS, Line, Page, PageError
from generator.scrape.checks import check_page
from generator.scrape.elements import infer_page_elements
from generator.scrape.examples import parse_curl, parse_json_example
from generator.scrape.identity import identify
from generator.scrape.repair import apply_repairs
from generator.scrape.sections import Section, Sections, cut_sections
from generator.scrape.tree import RawField, names_in, read_tree, to_param, to_response_field
from generator.scrape.vocab import AUTH_WORDS, CJK, HTTP_METHODS, SYNC_WORDS, label_of

_ENDPOINT = re.compile(r"^(?P<method>" + "|".join(HTTP_METHODS) + r")\s*(?P<path>/\S*)$")
_SINCE = re.compile(r"(?:Since|起始版本)\s*(?P<version>\d+(?:\.\d+)*)\s*$")
_STATUS = re.compile(r"^(?P<status>[1-5]\d\d)\b")
_PATH = re.compile(r"^/[^\s]*$")
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(slots=True)
class Meta:
    method: str | None = None
    group: str | None = None
    since: str | None = None
    is_async: bool | None = None
    auth: bool | None = None
    line: int | None = None


def parse_page(page: Page) -> Endpoint:
    check_limits(page)
    sections = cut_sections(page.lines)
    src = Source(file=page.file)
    lang = page.lang if page.layout == "html" else _guess_lang(sections)
    request_example = _request_example(sections, page.file)
    response_example, example_repair = _response_example(sections, page.file)
    curl_names = {k for k, _ in request_example.query} if request_example else set()
    hints = (
        _name_hints(
            page.lines,
            request_example.body if request_example else None,
            response_example.parsed if response_example else None,
        )
        | curl_names
    )
    meta, breadcrumb, title = _read_header(sections)
    _read_labelled_values(sections, meta)
    method, shown_path = _endpoint(sections, meta, request_example, page.file)
    warnings: list[Diagnostic] = []
    operation_id = _operation_id(sections, page, title, request_example, warnings)
    flat = page.layout == "flat"
    endpoint = Endpoint(
        operation_id=operation_id,
        title=title or operation_id,
        description=page.summary or "",
        breadcrumb=breadcrumb,
        group=meta.group or (breadcrumb[-1] if breadcrumb else ""),
        method=method,
        path=shown_path,
        since=meta.since,
        documented_async=meta.is_async,
        documented_auth=meta.auth,
        lang=lang,
        layout=page.layout,
        request_example=request_example,
        response_example=response_example,
        warnings=warnings,
        source=src,
    )
    warnings = endpoint.warnings  # pydantic copied the list; later readers append to the endpoint's own
    _read_request(endpoint, sections, flat=flat, hints=hints, warnings=warnings)
    endpoint.response = _read_response(sections, flat=flat, hints=hints, file=page.file, warnings=warnings)
    _note_truncation(endpoint, sections, page)
    apply_repairs(endpoint, example_repair)
    infer_page_elements(endpoint)
    check_page(endpoint, sections, flat=flat)
    return endpoint


def check_limits(page: Page) -> None:
    """Refuse field trees no real page has (deeper than MAX_FIELD_DEPTH, more than MAX_FIELDS
    fields): their cost grows with every node, and the IR's serializer stops at ~250 levels."""
    fields = 0
    for line in page.lines:
        if line.kind != "field":
            continue
        if line.depth >= MAX_FIELD_DEPTH:
            raise PageError(f"fields nested more than {MAX_FIELD_DEPTH} levels deep", line.lineno)
        fields += 1
        if fields > MAX_FIELDS:
            raise PageError(f"the page lists more than {MAX_FIELDS} fields", line.lineno)


def _guess_lang(sections: Sections) -> Any:
    chrome = [line.text for line in sections.chrome] + [s.line.text for s in sections.sections]
    return "zh-cn" if any(CJK.search(text) for text in chrome) else "en"


# --- header -------------------------------------------------------------------------------


def _read_header(sections: Sections) -> tuple[Meta, list[str], str | None]:
    lines = sections.header
    found = _find_meta(lines)
    meta = Meta()
    breadcrumb: list[str] = []
    rest = lines
    if found is not None:
        first, last, meta = found
        meta.line = lines[first].lineno
        before = [line for line in lines[:first] if "/" in line.text or line is lines[first - 1]]
        if before:
            breadcrumb = [seg.strip() for seg in before[-1].text.split("/") if seg.strip()]
        rest = lines[last + 1 :]
    elif len(lines) >= 3 and lines[1].text == lines[2].text and "/" in lines[0].text:
        breadcrumb = [seg.strip() for seg in lines[0].text.split("/") if seg.strip()]
        rest = lines[1:]
    title = _title(rest)
    return meta, breadcrumb, title


_MAX_BADGES = 5  # method, group, since, mode, auth


def _find_meta(lines: list[Line]) -> tuple[int, int, Meta] | None:
    """(first, last line, meta): the meta line, glued (`POSTVM Instance OperationsSince 3.3.0...`) or
    spaced, or its badges on lines of their own (a theme that makes each badge a block)."""
    for index, line in enumerate(lines):
        meta = _parse_meta(line.text)
        if meta is not None:
            return index, index, meta
    for index, line in enumerate(lines):
        if line.text not in HTTP_METHODS:
            continue
        for end in range(min(len(lines), index + _MAX_BADGES), index + 1, -1):  # the longest run that parses
            meta = _parse_meta(" ".join(ln.text for ln in lines[index:end]))
            if meta is not None:
                return index, end - 1, meta
    return None


def _parse_meta(text: str) -> Meta | None:
    """`POSTVM Instance OperationsSince 3.3.0SynchronousAuth Required` (or its zh-cn form)."""
    method = next((m for m in HTTP_METHODS if text.startswith(m)), None)
    if method is None:
        return None
    rest = text[len(method) :].strip()
    meta = Meta(method=method)
    found = False
    for word in sorted(AUTH_WORDS, key=len, reverse=True):
        if rest.endswith(word):
            meta.auth, rest, found = AUTH_WORDS[word], rest[: -len(word)].rstrip(), True
            break
    for word in sorted(SYNC_WORDS, key=len, reverse=True):
        if rest.endswith(word):
            meta.is_async, rest, found = SYNC_WORDS[word], rest[: -len(word)].rstrip(), True
            break
    since = _SINCE.search(rest)
    if since:
        meta.since, rest, found = since.group("version"), rest[: since.start()].rstrip(), True
    if not found or rest.startswith("/"):
        return None
    meta.group = rest.strip() or None
    return meta


def _title(lines: list[Line]) -> str | None:
    for first, second in pairwise(lines):
        if first.text == second.text:
            return first.text
    candidates = [line.text for line in lines if not _ENDPOINT.match(line.text) and line.text not in HTTP_METHODS]
    return candidates[0] if candidates else None


def _read_labelled_values(sections: Sections, meta: Meta) -> None:
    """The newer layout: `Since` / `4.0.0`, `Execution Mode` / `Synchronous`, `Auth Context` / ..."""
    for section in sections.sections:
        value = section.lines[0].text if section.lines else ""
        if section.label == "since" and meta.since is None and re.fullmatch(r"\d+(?:\.\d+)*", value):
            meta.since = value
        elif section.label == "mode" and meta.is_async is None and value in SYNC_WORDS:
            meta.is_async = SYNC_WORDS[value]
        elif section.label == "auth_context" and meta.auth is None and value in AUTH_WORDS:
            meta.auth = AUTH_WORDS[value]


def _endpoint(sections: Sections, meta: Meta, curl: Any, file: str) -> tuple[str, str]:
    section = sections.first("endpoint")
    candidates = list(section.lines) if section else []
    candidates += sections.header  # the newer layout: method and path on their own lines
    for index, line in enumerate(candidates):
        glued = _ENDPOINT.match(line.text)
        if glued:
            return glued.group("method"), glued.group("path")
        if line.text in HTTP_METHODS and index + 1 < len(candidates) and candidates[index + 1].text.startswith("/"):
            return line.text, _checked_path(candidates[index + 1])
    if curl is not None and curl.method and curl.path:
        return curl.method, curl.path
    if meta.method and section and section.lines and section.lines[0].text.startswith("/"):
        return meta.method, _checked_path(section.lines[0])
    if meta.method and section is None:
        return meta.method, ""  # cut before its Endpoint block: kept, with a truncation warning
    where = section.line.lineno if section else None
    raise PageError("no endpoint (method and path) found on the page", where)


def _checked_path(line: Line) -> str:
    """A path runs to the end of its line; anything after a space is another block glued to it."""
    if not _PATH.match(line.text):
        raise PageError(f"the endpoint path does not parse: {line.text[:120]!r}", line.lineno)
    return line.text


def _operation_id(sections: Sections, page: Page, title: str | None, curl: Any, warnings: list[Diagnostic]) -> str:
    section = sections.first("operation_id")
    shown = section.lines[0].text if section and section.lines else ""
    body = curl.body if curl is not None else None
    found = identify(shown=shown, canonical_slug=page.canonical_slug, title=title, body=body, file=page.file)
    if found is None:
        raise PageError(
            "no operation id: the page shows no `Operation ID`, and neither its title, its canonical URL, "
            "its curl body nor its file name names an API",
            section.line.lineno if section else None,
        )
    if found.guessed:
        warnings.append(
            Diagnostic(
                code="operation-id-guessed",
                message=f"operation id {found.operation_id!r} guessed from {found.evidence}; "
                "add an Operation ID to the page or name the file after the API",
                source=Source(file=page.file),
            )
        )
    return found.operation_id


# --- examples -----------------------------------------------------------------------------


def _request_example(sections: Sections, file: str) -> Any:
    section = sections.first("request_example")
    if section is None or not section.lines:
        return None
    text = " ".join(line.text.rstrip("\\").strip() for line in section.lines)
    return parse_curl(text, Source(file=file, line=section.lines[0].lineno))


def _response_example(sections: Sections, file: str) -> tuple[Example | None, str | None]:
    section = sections.first("response_example")
    if section is None or not section.lines:
        return None, None
    lines = list(section.lines)
    status = None
    first = _STATUS.match(lines[0].text)
    if first and lines[0].text.strip() == first.group("status"):
        status = int(first.group("status"))
        lines = lines[1:]
    if not lines:
        return Example(status=status, raw="", source=Source(file=file, line=section.line.lineno)), None
    raw = "\n".join(line.text for line in lines)
    return parse_json_example(raw, status, Source(file=file, line=lines[0].lineno))


def _name_hints(lines: list[Line], body: Any, example: Any) -> frozenset[str]:
    hints: set[str] = set()
    _collect_keys(body, hints)
    _collect_keys(example, hints)
    for line in lines:
        if line.kind == "para":
            hints |= names_in(line.text)
    return frozenset(h for h in hints if _IDENT.match(h))


def _collect_keys(value: Any, out: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            out.add(str(key))
            _collect_keys(item, out)
    elif isinstance(value, list):
        for item in value:
            _collect_keys(item, out)


# --- request ------------------------------------------------------------------------------


def _read_request(
    endpoint: Endpoint, sections: Sections, *, flat: bool, hints: frozenset[str], warnings: list[Diagnostic]
) -> None:
    file = endpoint.source.file
    for label, location in (("path", Location.PATH), ("query", Location.QUERY)):
        for section in sections.all(label):
            raws = read_tree(_param_lines(section), flat=flat, hints=hints, file=file, warnings=warnings)
            target = endpoint.path_params if location == Location.PATH else endpoint.query_params
            target.extend(to_param(raw, location, file) for raw in raws)
    for section in sections.all("body"):
        raws = read_tree(_param_lines(section), flat=flat, hints=hints, file=file, warnings=warnings)
        endpoint.body = _body(raws, file, section.line.lineno, endpoint.body)


def _param_lines(section: Section) -> list[Line]:
    return [line for line in section.lines if label_of(line.text) is None and line.text != "application/json"]


def _body(raws: list[RawField], file: str, lineno: int, previous: Body | None) -> Body:
    body = previous or Body(source=Source(file=file, line=lineno))
    for raw in raws:
        param = to_param(raw, Location.BODY_TOP, file)
        if body.shown_wrapper is None and param.type in ("Object", "object") and not raw.head.name.endswith("Tags"):
            body.shown_wrapper = body.wrapper = param.name
            body.wrapper_required = param.required
            body.wrapper_description = param.description
            body.params = param.children
            _relocate(body.params, Location.BODY)
        else:
            body.top_level.append(param)
    return body


def _relocate(params: list[Param], location: Location) -> None:
    for param in params:
        param.location = location
        _relocate(param.children, location)


# --- response -----------------------------------------------------------------------------


def _read_response(
    sections: Sections, *, flat: bool, hints: frozenset[str], file: str, warnings: list[Diagnostic]
) -> Response:
    section = sections.first("responses")
    response = Response()
    if section is None:
        return response
    field_lines: list[Line] = []
    mode = "start"
    block_lines: dict[str, list[Line]] = {"success": [], "error": []}
    for line in section.lines:
        label = label_of(line.text) if line.kind == "plain" else None
        status = _STATUS.match(line.text) if line.kind == "plain" and mode == "start" else None
        if status and line.text.split()[0] == status.group("status") and len(line.text) <= 40:
            response.status = int(status.group("status"))
        elif label == "tree_hint":
            response.block = "tree"
        elif label == "empty_hint":
            response.block = "empty-object"
        elif label == "delete_hint":
            response.block = "delete"
        elif label in ("success", "error"):
            mode = label
        elif mode in block_lines:
            block_lines[mode].append(line)
        elif line.kind in ("field", "para") or (flat and line.kind == "plain"):
            field_lines.append(line)
    if field_lines:
        response.block = "tree"
        raws = read_tree(field_lines, flat=flat, hints=hints, file=file, warnings=warnings)
        response.fields = _dedupe_fields([to_response_field(raw, file) for raw in raws], warnings, file)
    if block_lines["error"]:
        raw = "\n".join(line.text for line in block_lines["error"])
        response.error_example, _ = parse_json_example(
            raw, None, Source(file=file, line=block_lines["error"][0].lineno)
        )
    return response


def _dedupe_fields(fields: list[Any], warnings: list[Diagnostic], file: str) -> list[Any]:
    seen: dict[str, Any] = {}
    for node in fields:
        if node.name in seen:
            warnings.append(
                Diagnostic(
                    code="duplicate-field",
                    message=f"response field {node.name!r} is listed twice",
                    source=node.source or Source(file=file),
                )
            )
            continue
        seen[node.name] = node
        node.children = _dedupe_fields(node.children, warnings, file)
    return list(seen.values())


def _note_truncation(endpoint: Endpoint, sections: Sections, page: Page) -> None:
    labels = set(sections.labels())
    missing = [name for name in ("endpoint", "request_example", "response_example") if name not in labels]
    newer = "mode" in labels or "auth_context" in labels
    if not endpoint.path:
        endpoint.warnings.append(
            Diagnostic(
                code="no-endpoint",
                message="the page shows no endpoint path: the operation cannot be called",
                source=Source(file=page.file, line=page.lines[-1].lineno if page.lines else None),
            )
        )
    if missing and not newer and page.lines:
        last = page.lines[-1]
        endpoint.warnings.append(
            Diagnostic(
                code="truncated-page",
                message=f"the page ends early (no {', '.join(m.replace('_', ' ') for m in missing)} block)",
                source=Source(file=page.file, line=last.lineno),
            )
        )


def dumps_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
