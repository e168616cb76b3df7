"""Markup (e): field lists as Redoc (the OpenAPI reference renderer) lays out a schema: a table with
no header row, one `tr` per field holding two cells, the first with the name (`span`) and a
lower-case `required` under it (`div`), the second with the type and then the description; an
object's or list's children in a table of their own, nested in a full-width cell (`td colspan=2`)
of the row right after their parent. Nesting is given by containment only: no level, no indent.
The rest of the page is markup (c)'s."""

from __future__ import annotations

from tests.scrape.markups.emit import El, el
from tests.scrape.markups.explorer import Field, Fields, read_explorer
from tests.scrape.markups.table import paragraph, render_table


def _rows(items: list[Field], zh: bool) -> list[El]:
    rows: list[El] = []
    for item in items:
        badge = item.badge.lower() if item.badge and not zh else item.badge
        rows.append(
            el(
                "tr",
                el("td", el("span", item.name, inline=True), el("div", badge, inline=True) if badge else None),
                el("td", el("div", el("span", item.type, inline=True)), el("div", *(paragraph(p) for p in item.paras))),
            )
        )
        if item.children:
            rows.append(el("tr", el("td", el("div", _nested(item.children, zh)), colspan="2")))
    return rows


def _nested(items: list[Field], zh: bool) -> El:
    return el("table", el("tbody", *_rows(items, zh)))


def _schema(block: Fields, zh: bool) -> El:
    return _nested(block.items, zh)


def to_redoc(src: str) -> str:
    return render_table(read_explorer(src), fields=_schema)
