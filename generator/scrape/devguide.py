"""A Dev Guide page (a GuideDoc, from its HTML or its text form) -> the same IR Endpoint as an explorer page.

What the family shows is read as shown: the navigation path (the breadcrumb; zh-cn pages' segments are
Chinese, and so is the group, its last segment), the title (`Name`, or `Title (Name)` whose name is the
operation id), the summary, `METHOD zstack/v1/...` (the first URL; the path is taken from the API root, so
`zstack/v1/x` is `/zstack/v1/x`), the Authorization header (auth), the curl (the first, for Query APIs),
the parameter table, the response sample, field tables and error example.

What it does not show is either left unknown and said so (`Endpoint.not_shown`: sync/async), or
inferred where ZStack's conventions make it certain, each with an `Inference` record:

* `query-standard-params`: a Query API (GET, `Query...`) lists no parameters; every Query API takes
  APIQueryMessage's (conditions, limit, start, count, groupBy, replyWithCount, sortBy, sortDirection,
  fields), which are added, marked `inferred` (nothing else: `filterName` is not on every Query API);
* `since-from-rows`: the API's starting version is the earliest of its request rows' (of its top-level
  response rows for a Query API, or an API without request rows);
* `tags-optional`: systemTags / userTags on a row that does not say whether it is required (an English
  page's Chinese description, which never carries the `Optional.` prefix): optional on every API;
* `operation-id-*`: the operation id, when the title is neither the name nor `Title (Name)`: the SDK
  sample's `XAction`, else what identity.py finds (the curl wrapper, the file name).

The explorer's repairs (repair.py) run on the result, so a doc bug is repaired and recorded the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ir.model import (
    Body,
    Endpoint,
    Inference,
    Param,
    Repair,
    RequestExample,
    Response,
    Source,
)
from generator.scrape.blocks import PageError
from generator.scrape.checks import check_curl_body
from generator.scrape.devguide_doc import TOP_HEADINGS, TYPE_HEADING, Block, GuideDoc, Table, heading_of
from generator.scrape.devguide_fields import read_request_table, read_response_tables
from generator.scrape.devguide_infer import TAGS, infer_query_params, infer_since, unshown_required
from generator.scrape.elements import infer_page_elements
from generator.scrape.examples import loads_bounded, parse_curl, parse_json_example
from generator.scrape.identity import identify
from generator.scrape.repair import apply_repairs
from generator.scrape.vocab import HTTP_METHODS

_URL = re.compile(r"^(?P<method>" + "|".join(HTTP_METHODS) + r")\s+(?P<path>\S+)$")
_TITLE_NAME = re.compile(r"^(?P<title>.*?)\s*[(（](?P<name>[A-Za-z_][A-Za-z0-9_]*)[)）]$")
_SDK_CLASS = re.compile(r"^(?P<name>[A-Z][A-Za-z0-9_]*)Action\s+action\s*=")


@dataclass(slots=True)
class _Section:
    key: str  # a heading key (devguide_doc.HEADINGS), `type` for `#name`, or `top` before any heading
    part: str  # request | response | sdk | top: the top-level heading it is under
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)

    def code(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "code"]

    def lines(self) -> list[tuple[int, str]]:
        return [
            (b.lineno + i, line.strip())
            for b in self.blocks
            if b.kind in ("code", "text")
            for i, line in enumerate(b.text.splitlines())
            if line.strip()
        ]


def _sections(blocks: list[Block]) -> list[_Section]:
    sections = [_Section("top", "top", None)]
    part = "top"
    for block in blocks:
        if block.kind == "heading":
            key = heading_of(block.text) or ("type" if TYPE_HEADING.match(block.text) else "other")
            part = key if key in TOP_HEADINGS else part
            sections.append(_Section(key, part, block))
        else:
            sections[-1].blocks.append(block)
    return sections


def parse_guide(doc: GuideDoc) -> Endpoint:
    sections = _sections(doc.blocks)
    src = Source(file=doc.file)
    method, shown_path, url_line = _url(sections, doc)
    title, named = _title(doc.title)
    curl = _curl(sections, doc.file)
    inferences: list[Inference] = []
    operation_id = _operation_id(doc, title, named, curl, sections, inferences)
    endpoint = Endpoint(
        operation_id=operation_id,
        title=title or operation_id,
        description=doc.summary,
        breadcrumb=doc.crumbs,
        group=doc.crumbs[-1] if doc.crumbs else "",
        method=method,
        path=_root_path(shown_path),
        documented_auth=_auth(sections, curl),
        lang=doc.lang,
        family="devguide",
        layout=doc.layout,
        not_shown=["async"],
        request_example=curl,
        inferences=inferences,
        source=src,
    )
    if endpoint.path != "/" + shown_path.lstrip("/"):
        endpoint.shown_path = shown_path
        endpoint.repairs.append(
            Repair(
                rule="url-prefix",
                target="path",
                shown=shown_path,
                repaired=endpoint.path,
                reason="the URL lacks the `zstack/` root every other URL of the family has",
                source=Source(file=doc.file, line=url_line),
            )
        )
    request_since = _read_request(endpoint, sections, _body_sample(sections))
    response_since, example_repair = _read_response(endpoint, sections)
    queryable = next((s.heading.lineno for s in sections if s.key == "queryable" and s.heading), None)
    infer_query_params(endpoint, has_table=_first(sections, "params") is not None, queryable_line=queryable)
    infer_since(endpoint, request_since, response_since)
    apply_repairs(endpoint, example_repair)
    infer_page_elements(endpoint)
    _check(endpoint, sections)
    return endpoint


def _first(sections: list[_Section], key: str, part: str | None = None) -> _Section | None:
    return next((s for s in sections if s.key == key and (part is None or s.part == part)), None)


def _title(shown: str) -> tuple[str, str | None]:
    """`Create VM (CreateVmInstance)` / `创建云主机(CreateVmInstance)` -> (title, name); else (title, None)."""
    match = _TITLE_NAME.match(shown.strip())
    if match is not None and match.group("title"):
        return match.group("title"), match.group("name")
    return shown.strip(), None


def _url(sections: list[_Section], doc: GuideDoc) -> tuple[str, str, int | None]:
    section = _first(sections, "urls")
    if section is None:
        raise PageError("a Dev Guide page without a `URLs` block: no method and path", None)
    for lineno, line in section.lines():
        match = _URL.match(line)
        if match is not None:
            return match.group("method"), match.group("path"), lineno
    where = section.heading.lineno if section.heading else None
    raise PageError("the `URLs` block holds no `METHOD zstack/v1/...` line", where)


def _root_path(shown: str) -> str:
    """URLs are written from the API root (`zstack/v1/...`); one IAM2 page writes `/v1/...`."""
    path = "/" + shown.lstrip("/")
    if path.startswith("/v1/"):
        path = "/zstack" + path
    return path


def _curl(sections: list[_Section], file: str) -> RequestExample | None:
    section = _first(sections, "curl")
    if section is None:
        return None
    lines = [(lineno, line) for lineno, line in section.lines()]
    starts = [i for i, (_, line) in enumerate(lines) if line.startswith("curl")]
    if not starts:
        return None
    end = starts[1] if len(starts) > 1 else len(lines)  # Query APIs: by condition, then by UUID
    taken = lines[starts[0] : end]
    text = " ".join(line.rstrip("\\").strip() for _, line in taken)
    return parse_curl(text, Source(file=file, line=taken[0][0]))


def _auth(sections: list[_Section], curl: RequestExample | None) -> bool:
    headers = _first(sections, "headers")
    if headers is not None and any(line.lower().startswith("authorization") for _, line in headers.lines()):
        return True
    return curl is not None and any(key.lower() == "authorization" for key in curl.headers)


def _operation_id(
    doc: GuideDoc,
    title: str,
    named: str | None,
    curl: RequestExample | None,
    sections: list[_Section],
    inferences: list[Inference],
) -> str:
    if named is not None:
        return named
    found = identify(shown="", canonical_slug=None, title=title, body=curl.body if curl else None, file=doc.file)
    if found is not None and found.evidence.startswith("the title"):
        return found.operation_id
    sdk = _sdk_class(sections)
    if sdk is not None:
        evidence, operation_id, rule = "the SDK sample's action class", sdk, "operation-id-sdk-sample"
    elif found is not None:
        evidence, operation_id, rule = found.evidence, found.operation_id, "operation-id-" + found.evidence.split()[-1]
    else:
        raise PageError(
            "no operation id: neither the title, the SDK sample, the curl body nor the file name names an API",
            doc.title_line,
        )
    inferences.append(
        Inference(
            rule=rule,
            target="operation_id",
            value=operation_id,
            reason=f"the title {title!r} is not the API name; {evidence} names it",
            source=Source(file=doc.file, line=doc.title_line),
        )
    )
    return operation_id


def _sdk_class(sections: list[_Section]) -> str | None:
    for section in sections:
        if section.part != "sdk":
            continue
        for _, line in section.lines():
            match = _SDK_CLASS.match(line)
            if match is not None:
                return match.group("name")
    return None


def _body_sample(sections: list[_Section]) -> object:
    section = _first(sections, "body", "request")
    for block in section.code() if section else []:
        try:
            return loads_bounded(block.text)
        except ValueError:
            continue
    return None


def _read_request(endpoint: Endpoint, sections: list[_Section], sample: object) -> list[str]:
    """The parameter table's rows into the endpoint; returns their starting versions."""
    tables = [b.table for s in sections if s.key == "params" for b in s.blocks if b.table is not None]
    file = endpoint.source.file
    since: list[str] = []
    wrapper = None
    wrapped: list[Param] = []
    top_level: list[Param] = []
    for table in tables:
        rows = read_request_table(table, file, endpoint.warnings, endpoint.lang)
        endpoint.path_params += rows.path
        endpoint.query_params += rows.query
        wrapped += rows.wrapped
        top_level += rows.top_level
        wrapper = wrapper or rows.wrapper
        since += rows.since
    unshown_required([*endpoint.path_params, *endpoint.query_params, *wrapped, *top_level], endpoint)
    wrapper = wrapper or _sample_wrapper(sample)
    if wrapped and wrapper is None:
        raise PageError("body rows inside a structure whose name the page does not give", None)
    if wrapper is not None or top_level:
        section = _first(sections, "body", "request") or _first(sections, "params")
        line = section.heading.lineno if section and section.heading else None
        endpoint.body = Body(
            wrapper=wrapper,
            shown_wrapper=wrapper,
            params=wrapped,
            top_level=top_level,
            source=Source(file=file, line=line),
        )
    return since


def _sample_wrapper(sample: object) -> str | None:
    """The Body sample's one object-valued key besides the tags (`{"params": {...}, "systemTags": []}`)."""
    if not isinstance(sample, dict):
        return None
    keys = [k for k, v in sample.items() if isinstance(v, dict) and k not in TAGS]
    return keys[0] if len(keys) == 1 else None


def _read_response(endpoint: Endpoint, sections: list[_Section]) -> tuple[list[str], str | None]:
    """The response sample, tables and error example into the endpoint; returns the top-level rows'
    starting versions and the example's repair, if it needed one."""
    response_sections = [s for s in sections if s.part == "response"]
    tables: list[tuple[str | None, Table]] = []
    samples: list[Block] = []
    for section in response_sections:
        heading = section.heading.text[1:] if section.key == "type" and section.heading else None
        for block in section.blocks:
            if block.table is not None:
                tables.append((heading, block.table))
            elif block.kind == "code" and not tables:
                samples.append(block)
    response = Response()
    endpoint.response = response
    example_repair = None
    if samples:
        block = samples[0]
        example, example_repair = parse_json_example(
            block.text, None, Source(file=endpoint.source.file, line=block.lineno)
        )
        if not tables and isinstance(example.parsed, dict) and set(example.parsed) == {"error"}:
            response.block = "empty-object"  # `{}` on success; this is the error it returns on failure
            response.error_example = example
            return [], None
        endpoint.response_example = example
    if not tables:
        return [], example_repair
    read = read_response_tables(tables, endpoint.source.file, endpoint.warnings)
    response.fields = read.fields
    response.block = "tree" if read.fields else "none"
    return read.since, example_repair


def _check(endpoint: Endpoint, sections: list[_Section]) -> None:
    """What the page announces against what was read: a parameter table that gave no parameter, a
    response type (`#inventory`) whose table gave no field."""
    # Parameters the page's rows did not give (a path variable added by a repair, a Query API's standard
    # ones) do not count: a table announced and read as nothing is a page not understood.
    for section in sections:
        heading = section.heading
        if heading is None or any(b.table is not None and b.table.rows for b in section.blocks):
            continue
        if section.key == "params":
            raise PageError(
                f"{heading.text!r}: 0 parameters read from {len(section.blocks)} blocks: "
                "the parameter table was not understood",
                heading.lineno,
            )
        if section.key == "type" and section.part == "response":
            raise PageError(
                f"{heading.text!r}: a response type announced, but no row of its table was read: "
                "the table was not understood",
                heading.lineno,
            )
    check_curl_body(endpoint)
