"""A neutral page: the lines every rendering reduces to, with bullet depth where known.

Text and HTML pages both become a list of `Line`s; one grammar (page.py) reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

LineKind = Literal["plain", "field", "para", "code"]

# Resource limits, far above any real page (the largest has 290 lines and 130 fields, 4 deep):
# a hostile page is refused with its file and line instead of costing minutes or gigabytes.
MAX_LINES = 20_000
MAX_FIELDS = 5_000
MAX_FIELD_DEPTH = 32
Layout = Literal["bulleted", "flat", "html"]


@dataclass(slots=True)
class Line:
    text: str  # stripped of bullets and indentation
    lineno: int
    kind: LineKind = "plain"
    depth: int = 0  # bullet depth of a field line (0 = top level); for a para, its field's depth
    parts: tuple[str, ...] = ()  # separate element texts of an HTML field row (name, type, badge)


@dataclass(slots=True)
class Page:
    file: str
    layout: Layout
    lines: list[Line] = field(default_factory=list)
    lang: Literal["en", "zh-cn"] = "en"
    canonical_slug: str | None = None  # the API name from the page URL, when the page says it
    summary: str | None = None  # HTML meta description


class PageError(Exception):
    """The page cannot become an endpoint; carries the line to blame."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line
