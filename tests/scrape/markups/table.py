"""Markup (c): a table layout. Every field list is one `<table role="treegrid">` with a header row
(`Name | Type | Required | Description`; zh-cn pages `名称 | 类型 | 是否必填 | 描述`) and one row per
field, depth first. Nesting is given the way the WAI-ARIA treegrid pattern gives it: `aria-level`
on each `tr` (1 = top level), plus `aria-expanded` on rows that have children; the name cell also
carries the indent as an inline `style="padding-left: Nem"` (presentation only, the same hint
twice). The Required cell holds the page's badge text, or nothing for an optional field; the
Description cell one `<p>` per paragraph. The facts (Operation ID, Permalink) are a second kind of
table, without a header row (row headers, `th scope=row`), that is not a field list. Breadcrumb
segments are links separated by text slashes with spaces (`A / B / C`). Pretty-printed source."""

from __future__ import annotations

from collections.abc import Callable

from tests.scrape.markups.emit import El, document, el
from tests.scrape.markups.explorer import (
    Block,
    Button,
    Code,
    EndpointLine,
    Facts,
    Field,
    Fields,
    Heading,
    Link,
    Page,
    Para,
    Status,
    Tabs,
    Text,
    read_explorer,
    walk,
)

HEADERS = {
    "en": ("Name", "Type", "Required", "Description"),
    "zh": ("名称", "类型", "是否必填", "描述"),
}


def paragraph(para: Para) -> El:
    return el("p", *(el("code", r.text) if r.code else r.text for r in para.runs), inline=True)


def _table(block: Fields, zh: bool) -> El:
    heads = HEADERS["zh" if zh else "en"]
    head = el("thead", el("tr", *(el("th", h, scope="col", inline=True) for h in heads)))
    rows = []
    for depth, item in walk(block.items):
        rows.append(_row(item, depth))
    return el("table", head, el("tbody", *rows), role="treegrid", aria_label=block.caption)


def _row(item: Field, depth: int) -> El:
    return el(
        "tr",
        el("td", el("code", item.name), inline=True, style=f"padding-left: {depth * 1.5:g}em"),
        el("td", item.type, inline=True),
        el("td", item.badge or "", inline=True),
        el("td", *(paragraph(p) for p in item.paras)),
        aria_level=str(depth + 1),
        aria_expanded="true" if item.children else None,
    )


FieldsRenderer = Callable[[Fields, bool], El]


def _blocks(blocks: list[Block], zh: bool, fields: FieldsRenderer) -> list[El]:
    out: list[El] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(el(f"h{block.level}", block.text, inline=True))
        elif isinstance(block, Text):
            out.append(paragraph(block.para))
        elif isinstance(block, Tabs):
            out.append(
                el(
                    "div",
                    *(el("button", t, type="button", role="tab", inline=True) for t in block.labels),
                    role="tablist",
                )
            )
        elif isinstance(block, Fields):
            out.append(fields(block, zh))
        elif isinstance(block, Code):
            out.append(el("pre", el("code", block.text, cls=f"language-{block.lang}")))
        elif isinstance(block, EndpointLine):
            out.append(el("div", el("span", block.method), el("code", block.path)))
        elif isinstance(block, Facts):
            rows = []
            for term, text, href in block.items:
                value = el("a", href=href, aria_label="Copy permalink") if href else el("code", text)
                rows.append(el("tr", el("th", term, scope="row", inline=True), el("td", value)))
            out.append(el("table", el("tbody", *rows)))
        elif isinstance(block, Status):
            out.append(el("div", el("strong", block.text)))
        elif isinstance(block, Link):
            out.append(el("a", block.text, href=block.href, inline=True))
        elif isinstance(block, Button):
            out.append(el("button", type="button", aria_label=block.label))
    return out


def render_table(page: Page, fields: FieldsRenderer = _table) -> str:
    """The page with its field lists as `fields` renders them (by default the treegrid above)."""
    crumbs: list[El | str] = []
    for i, seg in enumerate(page.breadcrumb):
        if i:
            crumbs.append(el("span", " / ", cls="sep", inline=True, pad=False))
        crumbs.append(el("a", seg, href="#", inline=True))
    article = el(
        "article",
        el("nav", el("div", *crumbs), aria_label="Breadcrumbs"),
        el("div", *(el("span", b, inline=True) for b in page.badges)),
        el("header", el("h1", page.title, inline=True), el("p", page.summary, inline=True)),
        *(el("section", *_blocks(s.blocks, page.zh, fields), id=s.id) for s in page.sections),
    )
    sidebar = el(
        "aside",
        el(
            "nav",
            el("ul", *(el("li", el("a", n, href=f"./{n}", inline=True)) for n in page.sidebar)),
            aria_label="Docs sidebar",
        ),
    )
    body = el(
        "body",
        el("a", page.skip, href="#main", inline=True),
        el(
            "nav",
            el("a", page.brand, href="/", inline=True),
            *(el("a", t, href=h, inline=True) for t, h in page.navbar_links),
            aria_label="Main",
        ),
        el("div", sidebar, el("main", article, id="main")),
        el("footer", el("div", page.footer, inline=True)),
        el("script", page.state, type="application/json", inline=True, pad=False),
    )
    head = el(
        "head",
        el("meta", charset="utf-8"),
        el("title", page.head_title, inline=True, pad=False),
        el("meta", name="description", content=page.meta_description),
    )
    return document(el("html", head, body, lang=page.lang), indent=2)


def to_table(src: str) -> str:
    return render_table(read_explorer(src))
