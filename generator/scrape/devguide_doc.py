"""A Dev Guide page reduced to what both of its forms (HTML, text extraction) show: the header (navigation
path, title, summary) and a run of blocks (headings, code, sentences, tables of cells).

The older ZStack documentation family ("Dev Guide" / "API reference" pages of releases 3.x-5.x) writes
each API as `API Request` (URLs, Headers, Body, Curl Sample, Request Parameters table) and `API Response`
(a sample and one table per nested type). devguide_html.py and devguide_text.py read their form into a
`GuideDoc`; devguide.py reads a `GuideDoc` into an Endpoint, so the two forms give one IR.

The family is told apart from the API explorer by its content (`is_devguide_lines`: an `API Request`
heading followed by `URLs`), not by a file or folder name: a folder may mix both families.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal

from generator.scrape.htmlfields import COLUMN_TITLES

BlockKind = Literal["heading", "code", "text", "table"]
GuideLayout = Literal["devguide-html", "devguide-text"]

# Canonical heading -> its spellings (en dev guide v3/v4 and 4.x html5, en API reference v5, zh-cn).
HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "request": ("API Request", "API请求"),
    "urls": ("URLs",),
    "headers": ("Headers", "请求头"),
    "body": ("Body", "请求体"),
    "curl": ("Curl Sample", "Curl Example", "Curl示例", "Curl 示例"),
    "params": ("Request Parameters", "参数列表"),
    "queryable": ("Queryable Fields", "可查询字段"),
    "response": ("API Response", "API返回"),
    "sample": ("Sample Response", "Response Example", "返回示例"),
    "sdk": ("SDK Sample", "SDK示例"),
    "java": ("Java SDK",),
    "python": ("Python SDK",),
}
HEADING_OF: Final[dict[str, str]] = {
    " ".join(spelling.split()).casefold(): key for key, spellings in HEADINGS.items() for spelling in spellings
}
# The headings of the top level (`h2`); the others are sub-headings (`h3`).
TOP_HEADINGS: Final[frozenset[str]] = frozenset({"request", "response", "sdk"})
TYPE_HEADING = re.compile(r"^#(?P<name>[A-Za-z_][A-Za-z0-9_]*)$")  # `#inventory`: the table of a nested type
_TITLE_MAX_WORDS = 4  # a column title runs to three words (`Optional Value`, `Starting Version`)


def heading_of(text: str) -> str | None:
    """The canonical heading of a line (`Curl Sample` -> `curl`), the 4.3.6 copies' `Curl\\nSample` too."""
    return HEADING_OF.get(" ".join(text.split()).casefold())


def is_devguide_lines(lines: Iterable[str]) -> bool:
    """A Dev Guide page: an `API Request` heading with a `URLs` heading after it (the explorer's words for
    these are `Request Inputs` and `Endpoint`)."""
    seen_request = False
    for line in lines:
        key = heading_of(line) if len(line) < 40 else None
        if key == "request":
            seen_request = True
        elif key == "urls" and seen_request:
            return True
    return False


def column_meanings(titles: list[str]) -> list[str] | None:
    """Column titles -> meanings (name, type, location, description, values, since); None unless the row
    names at least the name and type columns and every title is known."""
    meanings = [COLUMN_TITLES.get(title.strip().rstrip(":：").casefold()) for title in titles]
    if None in meanings or "name" not in meanings or "type" not in meanings:
        return None
    return [m for m in meanings if m is not None]


def header_columns(line: str) -> list[str] | None:
    """A header row as the text form gives it (`Name Type Location Description Optional Value Starting
    Version`): the titles split greedily, longest known title first."""
    words = line.split()
    if not 2 <= len(words) <= 24:
        return None
    titles: list[str] = []
    at = 0
    while at < len(words):
        for size in range(min(_TITLE_MAX_WORDS, len(words) - at), 0, -1):
            candidate = " ".join(words[at : at + size])
            if candidate.casefold() in COLUMN_TITLES:
                titles.append(candidate)
                at += size
                break
        else:
            return None
    return column_meanings(titles)


@dataclass(slots=True)
class Cell:
    text: str = ""  # the cell's paragraphs, joined by a space
    items: tuple[str, ...] = ()  # its list items (valid values, enum constants, description sub-points)


@dataclass(slots=True)
class Row:
    cells: dict[str, Cell]  # by column meaning
    lineno: int


@dataclass(slots=True)
class Table:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    kind: BlockKind
    text: str  # heading text, sentence, or the code block's lines joined by newlines
    lineno: int
    table: Table | None = None


@dataclass(slots=True)
class GuideDoc:
    file: str
    layout: GuideLayout
    lang: Literal["en", "zh-cn"] = "en"
    crumbs: list[str] = field(default_factory=list)
    title: str = ""
    title_line: int = 1
    summary: str = ""
    blocks: list[Block] = field(default_factory=list)
