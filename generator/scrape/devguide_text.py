"""The text extraction of a Dev Guide page -> a GuideDoc (devguide_doc.py).

What a text extraction gives (../shared/reference/devguide-layouts.md, section 4, "space"): the
navigation path one segment per line, segments two blank lines apart, then the title (and, in the
`Title (Name)` form, a summary one blank line below it); headings on lines of their own; JSON and curl
as their lines; table rows with their cells joined by single spaces and empty cells dropped. A row whose
description or values cell holds list items breaks: the row up to the description, one `  • item` line
per item, then the Starting Version alone on the next line.

A row is read by its columns (the header row names them): name (with an `(optional)` / `(可选)`
marker), type (one word), location (`url`, `query`, `body`, `body (contained in the X structure)`,
`body(包含在X结构中)`), the description, and the starting version when the row ends with one (a
version has a dot: `0.6`, `3.3.0`, so a description ending in a number is not taken for one).
"""

from __future__ import annotations

import re

from generator.scrape.blocks import MAX_LINES, PageError
from generator.scrape.devguide_doc import (
    TYPE_HEADING,
    Block,
    Cell,
    GuideDoc,
    Row,
    Table,
    header_columns,
    heading_of,
)
from generator.scrape.vocab import CJK

_ITEM = re.compile(r"^\s*[•·▪◦‣○●]\s*(?P<text>.*)$")
_VERSION = re.compile(r"^\d+(?:\.\d+)+$")
_TRAILING_VERSION = re.compile(r"(?:^|\s)(?P<version>\d+(?:\.\d+)+)$")
_NAME = re.compile(r"^(?P<name>[^\s(（]+)\s*(?P<marker>[(（]\s*(?:optional|可选)\s*[)）])?\s*(?P<rest>.*)$", re.I)
_LOCATION = re.compile(r"^(?P<location>url|query|path|body(?:\s*[(（][^()（）]*[)）])?)(?:\s+|$)(?P<rest>.*)$", re.I)
_JSON_START = ("{", "[")
_NOTES = ("Note:", "Note：", "说明：", "说明:", "注意：")  # a free note after a table, not a row


def guide_text(file: str, text: str) -> GuideDoc:
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        raise PageError(f"the page has more than {MAX_LINES} lines of content", MAX_LINES)
    start = next((i for i, line in enumerate(lines) if heading_of(line) == "request"), 0)
    doc = GuideDoc(file=file, layout="devguide-text")
    _read_header(doc, lines[:start])
    _Reader(doc, lines, start).run()
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    doc.lang = "zh-cn" if any(CJK.search(h) for h in headings) else "en"
    return doc


def _read_header(doc: GuideDoc, lines: list[str]) -> None:
    """Chunks of lines two or more blank lines apart: the navigation path's segments, then the title
    chunk (the title, and the summary a single blank line below it)."""
    chunks: list[list[tuple[int, str]]] = [[]]
    blanks = 0
    for lineno, raw in enumerate(lines, start=1):
        if not raw.strip():
            blanks += 1
            continue
        if blanks >= 2 and chunks[-1]:
            chunks.append([])
        blanks = 0
        chunks[-1].append((lineno, raw.strip()))
    chunks = [chunk for chunk in chunks if chunk]
    if not chunks:
        return
    *crumbs, last = chunks
    doc.crumbs = [text for chunk in crumbs for _, text in chunk]
    doc.title_line, doc.title = last[0]
    doc.summary = " ".join(text for _, text in last[1:])


class _Reader:
    def __init__(self, doc: GuideDoc, lines: list[str], start: int) -> None:
        self.doc = doc
        self.lines = lines
        self.at = start
        self.table: Table | None = None
        self.row: Row | None = None
        self.tabbed = False  # the table's header separates its titles by tabs: so do its rows

    def run(self) -> None:
        while self.at < len(self.lines):
            raw = self.lines[self.at]
            lineno = self.at + 1
            self.at += 1
            line = raw.strip()
            if not line:
                if not self.tab_row_follows():  # blank lines between tab-separated rows keep the table
                    self.end_table()
                continue
            if self.heading(line, lineno):
                continue
            if self.table is not None and self.table_line(raw, line, lineno):
                continue
            columns = header_columns(line)
            if columns is not None:
                self.end_table()
                self.table = Table(columns)
                self.tabbed = "\t" in raw.strip()
                self.doc.blocks.append(Block("table", line, lineno, self.table))
            elif line.startswith(_JSON_START):
                self.code(self.json_lines(raw), lineno)
            elif line.startswith("curl ") or line == "curl":
                self.code(self.curl_lines(raw), lineno)
            else:
                self.doc.blocks.append(Block("text", line, lineno))

    def heading(self, line: str, lineno: int) -> bool:
        key = heading_of(line) if len(line) < 40 else None
        joined = None
        if key is None and self.at < len(self.lines) and len(line) < 20:  # `Curl` / `Sample` broken over lines
            joined = f"{line} {self.lines[self.at].strip()}"
            key = heading_of(joined)
        if key is None and not TYPE_HEADING.match(line):
            return False
        self.end_table()
        if joined is not None and key is not None:
            self.at += 1
            line = joined
        self.doc.blocks.append(Block("heading", line, lineno))
        return True

    def end_table(self) -> None:
        self.table = None
        self.row = None
        self.tabbed = False

    def tab_row_follows(self) -> bool:
        if self.table is None or not self.tabbed:
            return False
        following = next((line for line in self.lines[self.at :] if line.strip()), "")
        return "\t" in following.strip() and header_columns(following) is None

    def table_line(self, raw: str, line: str, lineno: int) -> bool:
        assert self.table is not None
        item = _ITEM.match(raw)
        if item is not None:
            if self.row is None:
                raise PageError(f"a list item {line[:60]!r} before any row of the table", lineno)
            _add_item(self.row, self.table.columns, item.group("text").strip())
            return True
        if self.row is not None and self.row_awaits_version(line):
            self.row.cells["since"] = Cell(line)
            return True
        if header_columns(line) is not None or line.startswith(_NOTES):
            return False
        self.row = read_row(line, self.table.columns, lineno)
        self.table.rows.append(self.row)
        return True

    def row_awaits_version(self, line: str) -> bool:
        """The Starting Version alone on the line after a row's list items."""
        row = self.row
        if row is None or not _VERSION.match(line) or "since" not in (self.table.columns if self.table else []):
            return False
        return any(cell.items for cell in row.cells.values()) and not row.cells.get("since", Cell()).text

    def code(self, lines: list[str], lineno: int) -> None:
        self.end_table()
        self.doc.blocks.append(Block("code", "\n".join(lines), lineno))

    def json_lines(self, first: str) -> list[str]:
        """A JSON sample: from its opening bracket to the line that closes it."""
        taken = [first.rstrip()]
        depth = _depth_change(first)
        while depth > 0 and self.at < len(self.lines):
            line = self.lines[self.at]
            if not line.strip():
                break
            taken.append(line.rstrip())
            depth += _depth_change(line)
            self.at += 1
        return taken

    def curl_lines(self, first: str) -> list[str]:
        """A curl: its lines while they end with ` \\`."""
        taken = [first.strip()]
        while taken[-1].endswith("\\") and self.at < len(self.lines) and self.lines[self.at].strip():
            taken.append(self.lines[self.at].strip())
            self.at += 1
        return taken


def _depth_change(line: str) -> int:
    depth = 0
    in_string = escaped = False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return depth


def read_row(line: str, columns: list[str], lineno: int) -> Row:
    """One row line -> its cells, by the columns the header names."""
    if "\t" in line:
        return _tab_row(line, columns, lineno)
    cells: dict[str, Cell] = {}
    name = _NAME.match(line)
    if name is None:
        raise PageError(f"a table row that does not parse: {line[:120]!r}", lineno)
    cells["name"] = Cell(name.group("name") + (f" {name.group('marker')}" if name.group("marker") else ""))
    rest = name.group("rest")
    if "type" in columns:
        type_name, _, rest = rest.partition(" ")
        if not type_name:
            raise PageError(f"a table row without a type: {line[:120]!r}", lineno)
        cells["type"] = Cell(type_name)
    if "location" in columns:
        location = _LOCATION.match(rest)
        if location is None:
            raise PageError(f"a table row whose location is not url/query/body: {line[:120]!r}", lineno)
        cells["location"] = Cell(location.group("location"))
        rest = location.group("rest")
    rest = rest.strip()
    since = _TRAILING_VERSION.search(rest) if "since" in columns else None
    if since is not None:
        cells["since"] = Cell(since.group("version"))
        rest = rest[: since.start()].rstrip()
    cells["description"] = Cell(rest)
    return Row(cells, lineno)


def _tab_row(line: str, columns: list[str], lineno: int) -> Row:
    """A row whose cells are tab-separated (what copying a table out of a browser gives): a cell per
    column, empty ones kept, so no cell is guessed from its words."""
    parts = [part.strip() for part in line.split("\t")]
    if len(parts) > len(columns):
        raise PageError(f"a table row with {len(parts)} cells under {len(columns)} columns: {line[:120]!r}", lineno)
    cells = {column: Cell(part) for column, part in zip(columns, parts, strict=False) if column and part}
    name = _NAME.match(cells.get("name", Cell()).text)
    if name is None or name.group("rest"):
        raise PageError(f"a table row whose first cell is not a name: {line[:120]!r}", lineno)
    if "location" in cells and _LOCATION.fullmatch(cells["location"].text) is None:
        raise PageError(f"a table row whose location is not url/query/body: {line[:120]!r}", lineno)
    return Row(cells, lineno)


def _add_item(row: Row, columns: list[str], item: str) -> None:
    """A list item of the row: a valid value where the table has a values column (request tables: the
    text form cannot tell a description's sub-points from the values, and the values are what pages
    list), else a point of the description (response tables: enum constants)."""
    column = "values" if "values" in columns else "description"
    cell = row.cells.setdefault(column, Cell())
    cell.items = (*cell.items, item)
