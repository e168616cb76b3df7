"""Markup (a): ARIA divs. No ul/li/h1-h6/main/nav/table/p: `div role=main`, `role=heading` +
`aria-level`, `role=list`/`listitem`, `role=navigation` for the chrome and the breadcrumbs
(`aria-label="Breadcrumbs"`, one listitem per segment, no separator text), `role=term`/`definition`
for the facts, single-line code as `div role=code`, multi-line code as `pre`. A field row is a div of
separate spans (name, type, badge). The source is pretty-printed: every element on its own indented
line, so whitespace and line breaks sit inside and between elements everywhere."""

from __future__ import annotations

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
)


def _para(para: Para) -> El:
    runs = [el("span", r.text, role="code") if r.code else r.text for r in para.runs]
    return el("div", *runs, inline=True)


def _code(code: Code) -> El:
    if "\n" in code.text or "  " in code.text:
        return el("pre", code.text, data_lang=code.lang)
    return el("div", code.text, role="code", inline=True, data_lang=code.lang)


def _field(item: Field) -> El:
    row = el(
        "div",
        el("span", item.name, cls="field-name"),
        el("span", item.type, cls="field-type"),
        el("span", item.badge, cls="field-badge") if item.badge else None,
        cls="field-row",
    )
    children = el("div", *(_field(c) for c in item.children), role="list") if item.children else None
    return el("div", row, *(_para(p) for p in item.paras), children, role="listitem")


def _block(block: Block) -> El:
    if isinstance(block, Heading):
        return el("div", block.text, role="heading", aria_level=str(block.level), inline=True)
    if isinstance(block, Text):
        return _para(block.para)
    if isinstance(block, Tabs):
        return el("div", *(el("div", t, role="tab", inline=True) for t in block.labels), role="tablist")
    if isinstance(block, Fields):
        return el("div", *(_field(f) for f in block.items), role="list", aria_label=block.caption)
    if isinstance(block, Code):
        return _code(block)
    if isinstance(block, EndpointLine):
        return el("div", el("span", block.method), el("span", block.path), cls="endpoint")
    if isinstance(block, Facts):
        pairs: list[El | str | None] = []
        for term, text, href in block.items:
            pairs.append(el("div", term, role="term", inline=True))
            value: El | str = el("a", href=href, aria_label="Copy permalink") if href else el("span", text, role="code")
            pairs.append(el("div", value, role="definition"))
        return el("div", *pairs, role="group", aria_label="Facts")
    if isinstance(block, Status):
        return el("div", block.text, role="status", inline=True)
    if isinstance(block, Link):
        return el("a", block.text, href=block.href, inline=True)
    if isinstance(block, Button):
        return el("div", role="button", tabindex="0", aria_label=block.label)
    raise TypeError(block)


def render_aria(page: Page) -> str:
    chrome = el(
        "div",
        el("div", el("a", page.skip, href="#content", inline=True), cls="skip"),
        el(
            "div",
            el("a", page.brand, href="/", inline=True),
            *(el("a", text, href=href, inline=True) for text, href in page.navbar_links),
            role="navigation",
            aria_label="Main",
        ),
        role="banner",
    )
    sidebar = el(
        "div",
        el(
            "div",
            el(
                "div",
                *(
                    el(
                        "div",
                        el(
                            "a",
                            name,
                            href=f"./{name}",
                            aria_current="page" if name == page.active else None,
                            inline=True,
                        ),
                        role="listitem",
                    )
                    for name in page.sidebar
                ),
                role="list",
            ),
            role="navigation",
            aria_label="Docs sidebar",
        ),
        role="complementary",
    )
    crumbs = el(
        "div",
        el(
            "div",
            *(
                el("div", el("a", seg, href="#", inline=True) if i < len(page.breadcrumb) - 1 else seg, role="listitem")
                for i, seg in enumerate(page.breadcrumb)
            ),
            role="list",
        ),
        role="navigation",
        aria_label="Breadcrumbs",
    )
    meta = el("div", *(el("span", b) for b in page.badges), cls="meta")
    header = el(
        "div",
        el("div", page.title, role="heading", aria_level="1", inline=True),
        el("div", page.summary, inline=True),
    )
    regions = [el("div", *(_block(b) for b in s.blocks), role="region", id=s.id) for s in page.sections]
    main = el("div", crumbs, meta, header, *regions, role="main", id="content")
    body = el(
        "body",
        chrome,
        el("div", sidebar, main, cls="layout"),
        el("div", page.footer, role="contentinfo", inline=True),
        el("script", page.state, type="application/json", inline=True, pad=False),
    )
    head = el(
        "head",
        el("meta", charset="utf-8"),
        el("title", page.head_title, inline=True, pad=False),
        el("meta", name="description", content=page.meta_description),
        el("link", rel="canonical", href=page.canonical),
    )
    return document(el("html", head, body, lang=page.lang), indent=2)


def to_aria(src: str) -> str:
    return render_aria(read_explorer(src))
