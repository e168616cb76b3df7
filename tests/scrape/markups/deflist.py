"""Markup (b): definition lists. Native landmarks (header, nav, aside, main, footer), `h1`/`h2`/`h3`
headings, a breadcrumb `nav aria-label="Breadcrumb"` holding an `ol`, and every field list a `dl`:
`dt` = the field row (`<code>` name, `<var>` type, `<strong>` badge, a space between them), `dd` =
its description paragraphs then a nested `dl` of its children (an empty `dd` when it has neither, so
no `dt` shares another field's `dd`). Facts are a `dl` too, the response example a `figure` whose
`figcaption` is the status. Lightly indented source (one space a level), inline content compact."""

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
    return el("p", *(el("code", r.text) if r.code else r.text for r in para.runs), inline=True, pad=False)


def _dl(items: list[Field]) -> El:
    parts: list[El | str | None] = []
    for item in items:
        row: list[El | str | None] = [el("code", item.name), " ", el("var", item.type)]
        if item.badge:
            row += [" ", el("strong", item.badge)]
        parts.append(el("dt", *row, inline=True, pad=False))
        inner = [*(_para(p) for p in item.paras), _dl(item.children) if item.children else None]
        parts.append(el("dd", *inner))
    return el("dl", *parts)


def _blocks(blocks: list[Block]) -> list[El]:
    out: list[El] = []
    pending_status: str | None = None
    for block in blocks:
        if isinstance(block, Heading):
            out.append(el(f"h{block.level}", block.text, inline=True, pad=False))
        elif isinstance(block, Text):
            out.append(_para(block.para))
        elif isinstance(block, Tabs):
            out.append(el("div", *(el("button", t, type="button", role="tab") for t in block.labels), role="tablist"))
        elif isinstance(block, Fields):
            out.append(_dl(block.items))
        elif isinstance(block, Code):
            pre = el("pre", el("code", block.text))
            if pending_status is not None:
                out.append(el("figure", el("figcaption", pending_status, inline=True, pad=False), pre))
                pending_status = None
            else:
                out.append(pre)
        elif isinstance(block, EndpointLine):
            out.append(el("p", el("b", block.method), el("code", block.path), inline=True, pad=False))
        elif isinstance(block, Facts):
            facts: list[El | str | None] = []
            for term, text, href in block.items:
                facts.append(el("dt", term, inline=True, pad=False))
                facts.append(el("dd", el("a", href=href, title="Copy permalink") if href else el("code", text)))
            out.append(el("dl", *facts))
        elif isinstance(block, Status):
            pending_status = block.text
        elif isinstance(block, Link):
            out.append(el("p", el("a", block.text, href=block.href), inline=True, pad=False))
        elif isinstance(block, Button):
            out.append(el("button", type="button", aria_label=block.label))
    return out


def render_deflist(page: Page) -> str:
    last = len(page.breadcrumb) - 1
    crumbs = el(
        "nav",
        el(
            "ol",
            *(
                el(
                    "li",
                    el("a", seg, href="#") if i < last else el("span", seg, aria_current="page"),
                    inline=True,
                    pad=False,
                )
                for i, seg in enumerate(page.breadcrumb)
            ),
        ),
        aria_label="Breadcrumb",
    )
    sidebar = el(
        "aside",
        el(
            "nav",
            el("ul", *(el("li", el("a", n, href=f"./{n}"), inline=True, pad=False) for n in page.sidebar)),
            aria_label="Docs sidebar",
        ),
    )
    main = el(
        "main",
        crumbs,
        el("p", *(el("span", b) for b in page.badges), inline=True, pad=False),
        el("h1", page.title, inline=True, pad=False),
        el("p", page.summary, inline=True, pad=False),
        *(el("section", *_blocks(s.blocks), id=s.id) for s in page.sections),
    )
    header = el(
        "header",
        el("a", page.skip, href="#main"),
        el(
            "nav",
            el("a", page.brand, href="/"),
            *(el("a", t, href=h) for t, h in page.navbar_links),
            aria_label="Site",
        ),
    )
    body = el(
        "body",
        header,
        el("div", sidebar, main),
        el("footer", el("p", page.footer, inline=True, pad=False)),
        el("script", page.state, type="application/json", inline=True, pad=False),
    )
    head = el(
        "head",
        el("meta", charset="utf-8"),
        el("title", page.head_title, inline=True, pad=False),
        el("meta", name="description", content=page.meta_description),
    )
    return document(el("html", head, body, lang=page.lang), indent=1)


def to_deflist(src: str) -> str:
    return render_deflist(read_explorer(src))
