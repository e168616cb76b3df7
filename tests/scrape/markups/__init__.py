"""Markups of our own for the explorer pages: the same texts in the same order, other HTML.

Each converter takes an explorer page's source and returns a full HTML document (see each module's
docstring for what its markup is and how it gives nesting)."""

from __future__ import annotations

from collections.abc import Callable

from tests.scrape.markups.aria import to_aria
from tests.scrape.markups.deflist import to_deflist
from tests.scrape.markups.explorer import strip_field_lists
from tests.scrape.markups.mkdocs import to_mkdocs
from tests.scrape.markups.redoc import to_redoc
from tests.scrape.markups.table import to_table

CONVERTERS: dict[str, Callable[[str], str]] = {
    "aria": to_aria,
    "deflist": to_deflist,
    "table": to_table,
    "mkdocs": to_mkdocs,
    "redoc": to_redoc,
}

__all__ = ["CONVERTERS", "strip_field_lists", "to_aria", "to_deflist", "to_mkdocs", "to_redoc", "to_table"]
