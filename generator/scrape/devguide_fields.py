"""Dev Guide tables -> parameters and response fields.

The request table: one row per parameter, `Name | Type | Location | Description | Optional Value |
Starting Version`. Required is unmarked; optional is marked by the description starting `Optional.` (en
dev guide) or by a suffix on the name, `name (optional)` / `name (可选)` (API reference v5, zh-cn). The
location says where it travels: `url` (path), `query`, `body` (top level of the body), `body (contained in
the X structure)` / `body(包含在X结构中)` (inside the wrapper object X).

The response tables: the top-level fields, then one table per nested type headed `#name`, depth first;
each is attached to the first field of that name not yet expanded, searched from the innermost table
shown so far outwards (the order depth-first tables come in). A recursive class (`cause ErrorCode`) has no
table; an enum's constants are the list items of its description cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.ir.model import Diagnostic, Kind, Location, Param, ResponseField, Source
from generator.scrape.blocks import Line, PageError
from generator.scrape.devguide_doc import Cell, Row, Table
from generator.scrape.fields import FieldHead
from generator.scrape.tree import RawField, description_and_values, to_response_field
from generator.scrape.vocab import CJK, IDENTIFIER, kind_of

_OPTIONAL_MARK = re.compile(r"\s*[(（]\s*(?:optional|可选)\s*[)）]\s*$", re.I)
_WRAPPED = re.compile(
    r"^body\s*[(（]\s*(?:contained in (?:the )?(?P<en>[A-Za-z_][A-Za-z0-9_]*) structure"
    r"|包含在\s*(?P<zh>[A-Za-z_][A-Za-z0-9_]*)\s*结构中)\s*[)）]$",
    re.I,
)
_LOCATIONS = {"url": Location.PATH, "path": Location.PATH, "query": Location.QUERY, "body": Location.BODY_TOP}
_VERSION = re.compile(r"^\d+(?:\.\d+)+$")
_CONTAINERS = frozenset({Kind.NAMED, Kind.OBJECT, Kind.LIST, Kind.MAP})


@dataclass(slots=True)
class RequestRows:
    """The parameters of the request table, by where they travel, and the wrapper the rows name."""

    path: list[Param] = field(default_factory=list)
    query: list[Param] = field(default_factory=list)
    wrapped: list[Param] = field(default_factory=list)
    top_level: list[Param] = field(default_factory=list)
    wrapper: str | None = None
    since: list[str] = field(default_factory=list)  # the rows' starting versions


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def earliest(versions: list[str]) -> str | None:
    shown = [v for v in versions if _VERSION.match(v)]
    return min(shown, key=version_key) if shown else None


def read_request_table(table: Table, file: str, warnings: list[Diagnostic], lang: str) -> RequestRows:
    """`lang` decides how optional parameters are marked when no row shows a name marker: zh-cn pages
    mark them on the name, English dev guide pages in the description (`Optional. ...`), which a Chinese
    description lacks: such a row does not show whether it is required (`Param.required_shown`)."""
    rows = RequestRows()
    marked_names = lang == "zh-cn" or any(_OPTIONAL_MARK.search(_text(row, "name")) for row in table.rows)
    for row in table.rows:
        param, wrapper = _param(row, file, marked_names)
        if param is None:
            continue
        if wrapper is not None:
            if rows.wrapper is not None and wrapper != rows.wrapper:
                warnings.append(
                    Diagnostic(
                        code="two-body-wrappers",
                        message=f"rows name two body wrappers, {rows.wrapper!r} and {wrapper!r}; "
                        f"{param.name!r} is read into the first",
                        source=Source(file=file, line=row.lineno),
                    )
                )
            rows.wrapper = rows.wrapper or wrapper
        target = {
            Location.PATH: rows.path,
            Location.QUERY: rows.query,
            Location.BODY: rows.wrapped,
            Location.BODY_TOP: rows.top_level,
        }[param.location]
        target.append(param)
        since = _text(row, "since")
        if since:
            rows.since.append(since)
    return rows


def _text(row: Row, column: str) -> str:
    cell = row.cells.get(column)
    return cell.text.strip() if cell is not None else ""


def _param(row: Row, file: str, marked_names: bool) -> tuple[Param | None, str | None]:
    shown_name = _text(row, "name")
    name = _OPTIONAL_MARK.sub("", shown_name)
    if not name:
        return None, None
    if not IDENTIFIER.fullmatch(name):
        raise PageError(f"a request parameter name that is no identifier: {shown_name[:80]!r}", row.lineno)
    type_name = _text(row, "type")
    if not type_name:
        raise PageError(f"request parameter {name!r} has no type", row.lineno)
    location, wrapper = _location(_text(row, "location"), name, row.lineno)
    description_cell = row.cells.get("description", Cell())
    text = " ".join([description_cell.text, *description_cell.items]).strip()
    description, described_values, said_optional = description_and_values([text])
    values_cell = row.cells.get("values", Cell())
    values = list(values_cell.items) or _listed(values_cell.text) or described_values
    optional = said_optional or name != shown_name
    shown = optional or marked_names or not CJK.search(description)
    return (
        Param(
            name=name,
            type=type_name,
            kind=kind_of(type_name),
            required=not optional,
            required_shown=shown,
            description=description,
            location=location,
            valid_values=values,
            source=Source(file=file, line=row.lineno),
        ),
        wrapper,
    )


def _listed(text: str) -> list[str]:
    return [v.strip() for v in re.split(r"[,，|]", text) if v.strip()]


def _location(shown: str, name: str, lineno: int) -> tuple[Location, str | None]:
    word = " ".join(shown.split())
    if word.casefold() in _LOCATIONS:
        return _LOCATIONS[word.casefold()], None
    wrapped = _WRAPPED.match(word)
    if wrapped is not None:
        return Location.BODY, wrapped.group("en") or wrapped.group("zh")
    if not word and name in ("systemTags", "userTags"):
        return Location.BODY_TOP, None
    raise PageError(f"request parameter {name!r}: location {shown!r} is none of url, query, body", lineno)


# --- response tables ------------------------------------------------------------------------------


@dataclass(slots=True)
class ResponseTables:
    fields: list[ResponseField] = field(default_factory=list)
    since: list[str] = field(default_factory=list)  # the top-level rows' starting versions


def read_response_tables(
    tables: list[tuple[str | None, Table]], file: str, warnings: list[Diagnostic]
) -> ResponseTables:
    """(`#name` heading or None, table) pairs in page order -> the response tree."""
    out = ResponseTables()
    roots: list[RawField] = []
    stack: list[list[RawField]] = []
    for heading, table in tables:
        nodes = [n for n in (_raw_field(row) for row in table.rows) if n is not None]
        if heading is None and not roots:
            roots = nodes
            stack = [roots]
            out.since = [s for row in table.rows if (s := _text(row, "since"))]
            continue
        parent = _parent_of(heading, stack) if heading is not None else None
        if parent is None:
            warnings.append(
                Diagnostic(
                    code="response-table-unplaced",
                    message=f"the response table {('#' + heading) if heading else 'without a #name heading'} "
                    "matches no field shown above it; its fields are left out",
                    source=Source(file=file, line=table.rows[0].lineno if table.rows else None),
                )
            )
            continue
        parent.children = nodes
        stack.append(nodes)
    out.fields = [to_response_field(raw, file) for raw in roots]
    return out


def _parent_of(name: str, stack: list[list[RawField]]) -> RawField | None:
    """The first field called `name`, not yet expanded, that can hold fields: in the innermost table shown
    so far, else the one around it."""
    while stack:
        for node in stack[-1]:
            if node.head.name == name and not node.children and kind_of(node.head.type) in _CONTAINERS:
                return node
        stack.pop()
    return None


def _raw_field(row: Row) -> RawField | None:
    name, type_name = _text(row, "name"), _text(row, "type")
    if not name:
        return None
    if not type_name:
        raise PageError(f"response field {name!r} has no type", row.lineno)
    cell = row.cells.get("description", Cell())
    head = FieldHead(name, type_name, False)
    line = Line(name, row.lineno)
    raw = RawField(head, line, [cell.text] if cell.text else [])
    if cell.items and kind_of(type_name) == Kind.NAMED:  # an enum: its constants, as the explorer nests them
        raw.children = [RawField(FieldHead(item, type_name, False), line) for item in cell.items]
    elif cell.items:
        raw.paragraphs = [" ".join([cell.text, *cell.items]).strip()]
    return raw
