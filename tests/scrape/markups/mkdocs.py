"""Markup (d): what MkDocs Material emits for the page written in Markdown. `header.md-header`,
the primary `nav.md-nav` sidebar, the secondary "Table of contents" `nav` (a link per `h2`, inside
`main`, before the content), the breadcrumb as Material's `nav.md-path` (its `aria-label` is
"Navigation", as the theme's template says: the trail is an `ol` of links right before the article),
`article.md-content__inner`, headings with ids and `<a class="headerlink" href="#id">¶</a>`
permalinks, fields as nested `ul` (`<code>` name, `<em>` type, `<strong>` badge; loose items get
their row and descriptions in `<p>`s, as Python-Markdown makes them), content tabs as
`div.tabbed-set` labels, code as `div.highlight > pre > span + code` with Pygments token spans
(and line anchors in multi-line blocks), `footer.md-footer` with previous/next links. Python-Markdown
style source: a newline between blocks, no indentation."""

from __future__ import annotations

import json
import re

from tests.scrape.markups.emit import El, document, el, slug
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

_TOKEN = re.compile(r'\s+|"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{}\[\],:]|[^\s{}\[\],:"\']+')


def _tokens(text: str, lang: str) -> list[El | str]:
    spans: list[El | str] = []
    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if tok.isspace():
            kind = "w"
        elif tok in "{}[],:":
            kind = "p"
        elif tok.startswith(('"', "'")):
            kind = "s2" if lang == "json" else "s1"
        elif lang == "json" and tok in ("true", "false", "null"):
            kind = "kc"
        elif lang == "json":
            kind = "mi"
        else:
            kind = "nb" if tok == "curl" else "w" if tok.isspace() else "o" if tok.startswith("-") else "n"
        spans.append(el("span", tok, cls=kind))
    assert "".join(str(s.children[0]) for s in spans if isinstance(s, El)) == text
    return spans


class _Writer:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.blocks = 0
        self.tab_sets = 0

    def heading(self, level: int, text: str) -> El:
        anchor = slug(text, self.ids)
        link = el("a", "¶", cls="headerlink", href=f"#{anchor}", title="Permanent link")
        return el(f"h{level}", text, link, id=anchor, inline=True, pad=False)

    def code(self, block: Code) -> El:
        n = self.blocks
        self.blocks += 1
        lines = block.text.split("\n")
        inner: list[El | str] = []
        for i, line in enumerate(lines, 1):
            if len(lines) > 1:
                anchor = f"__codelineno-{n}-{i}"
                inner.append(el("a", id=anchor, name=anchor, href=f"#{anchor}"))
            inner += _tokens(line, block.lang)
            if i < len(lines):
                inner.append("\n")
        pre = el("pre", el("span"), el("code", *inner))
        return el("div", pre, cls=f"language-{block.lang} highlight")

    def field(self, item: Field) -> El:
        row: list[El | str | None] = [el("code", item.name), " ", el("em", item.type)]
        if item.badge:
            row += [" ", el("strong", item.badge)]
        if not item.paras and not item.children:
            return el("li", *row, inline=True, pad=False)
        parts: list[El | str | None] = [el("p", *row, inline=True, pad=False)]
        parts += [_para(p) for p in item.paras]
        if item.children:
            parts.append(el("ul", *(self.field(c) for c in item.children)))
        return el("li", *parts)

    def tab_set(self, labels: list[str]) -> El:
        self.tab_sets += 1
        n = self.tab_sets
        inputs = [
            el(
                "input",
                id=f"__tabbed_{n}_{i}",
                name=f"__tabbed_{n}",
                type="radio",
                checked="checked" if i == 1 else None,
            )
            for i in range(1, len(labels) + 1)
        ]
        names = [el("label", t, for_=f"__tabbed_{n}_{i}", inline=True, pad=False) for i, t in enumerate(labels, 1)]
        return el(
            "div",
            *inputs,
            el("div", *names, cls="tabbed-labels"),
            cls="tabbed-set tabbed-alternate",
            data_tabs=f"{n}:{len(labels)}",
        )

    def blocks_of(self, blocks: list[Block]) -> list[El]:
        out: list[El] = []
        for block in blocks:
            if isinstance(block, Heading):
                out.append(self.heading(block.level, block.text))
            elif isinstance(block, Text):
                out.append(_para(block.para))
            elif isinstance(block, Tabs):
                out.append(self.tab_set(block.labels))
            elif isinstance(block, Fields):
                out.append(el("ul", *(self.field(f) for f in block.items)))
            elif isinstance(block, Code):
                out.append(self.code(block))
            elif isinstance(block, EndpointLine):
                out.append(
                    el("p", el("span", block.method, cls="md-tag"), " ", el("code", block.path), inline=True, pad=False)
                )
            elif isinstance(block, Facts):
                facts: list[El | str | None] = []
                for term, text, href in block.items:
                    facts.append(el("dt", term, inline=True, pad=False))
                    value = el("a", href=href, title="Copy permalink") if href else el("code", text)
                    facts.append(el("dd", value, inline=True, pad=False))
                out.append(el("dl", *facts))
            elif isinstance(block, Status):
                out.append(el("p", block.text, inline=True, pad=False))
            elif isinstance(block, Link):
                out.append(el("p", el("a", block.text, href=block.href), inline=True, pad=False))
            elif isinstance(block, Button):
                out.append(
                    el(
                        "p",
                        el("button", cls="md-button md-button--primary", aria_label=block.label),
                        inline=True,
                        pad=False,
                    )
                )
        return out


def _para(para: Para) -> El:
    return el("p", *(el("code", r.text) if r.code else r.text for r in para.runs), inline=True, pad=False)


def _nav_list(items: list[tuple[str, str, bool]]) -> El:
    lis = []
    for text, href, active in items:
        cls = "md-nav__link md-nav__link--active" if active else "md-nav__link"
        link = el("a", el("span", text, cls="md-ellipsis"), href=href, cls=cls, aria_current="page" if active else None)
        lis.append(el("li", link, cls="md-nav__item md-nav__item--active" if active else "md-nav__item"))
    return el("ul", *lis, cls="md-nav__list", data_md_scrollfix="")


def render_mkdocs(page: Page) -> str:
    writer = _Writer()
    title = writer.heading(1, page.title)
    content = []
    for section in page.sections:
        content += writer.blocks_of(section.blocks)
    toc_items = []
    for section in page.sections:
        for block in section.blocks:
            if isinstance(block, Heading) and block.level == 2:
                toc_items.append((block.text, f"#{slug(block.text, set())}", False))
    article = el(
        "article",
        el("p", *(el("span", b, cls="md-tag") for b in page.badges), cls="md-tags", inline=True, pad=False),
        title,
        el("p", page.summary, inline=True, pad=False),
        *content,
        cls="md-content__inner md-typeset",
    )
    path = el(
        "nav",
        el(
            "ol",
            *(
                el(
                    "li",
                    el("a", el("span", seg, cls="md-ellipsis"), href="#", cls="md-path__link"),
                    cls="md-path__item",
                )
                for seg in page.breadcrumb
            ),
            cls="md-path__list",
        ),
        cls="md-path",
        aria_label="Navigation",
    )
    primary = el(
        "div",
        el(
            "nav",
            el("label", page.brand, cls="md-nav__title", for_="__drawer", inline=True, pad=False),
            _nav_list([(n, f"../{n}/", n == page.active) for n in page.sidebar]),
            cls="md-nav md-nav--primary",
            aria_label="Navigation",
            data_md_level="0",
        ),
        cls="md-sidebar md-sidebar--primary",
        data_md_component="sidebar",
        data_md_type="navigation",
    )
    secondary = el(
        "div",
        el(
            "nav",
            el("label", "Table of contents", cls="md-nav__title", for_="__toc", inline=True, pad=False),
            _nav_list(toc_items),
            cls="md-nav md-nav--secondary",
            aria_label="Table of contents",
        ),
        cls="md-sidebar md-sidebar--secondary",
        data_md_component="sidebar",
        data_md_type="toc",
    )
    main = el(
        "main",
        el(
            "div",
            primary,
            secondary,
            el("div", path, article, cls="md-content", data_md_component="content"),
            cls="md-main__inner md-grid",
        ),
        cls="md-main",
        data_md_component="main",
    )
    header = el(
        "header",
        el(
            "nav",
            el(
                "a",
                el("span", page.brand, cls="md-ellipsis"),
                href="/",
                cls="md-header__button md-logo",
                title=page.brand,
            ),
            el(
                "div",
                el(
                    "form",
                    el("input", type="text", cls="md-search__input", aria_label="Search", placeholder="Search"),
                    cls="md-search__form",
                    name="search",
                ),
            ),
            cls="md-header__inner md-grid",
            aria_label="Header",
        ),
        cls="md-header",
        data_md_component="header",
    )
    i = page.sidebar.index(page.active) if page.active in page.sidebar else -1
    neighbours = []
    if i > 0:
        prev = page.sidebar[i - 1]
        neighbours.append(
            el(
                "a",
                el("div", el("span", "Previous", cls="md-footer__direction"), el("div", prev, cls="md-ellipsis")),
                href=f"../{prev}/",
                cls="md-footer__link md-footer__link--prev",
                aria_label=f"Previous: {prev}",
            )
        )
    if 0 <= i < len(page.sidebar) - 1:
        nxt = page.sidebar[i + 1]
        neighbours.append(
            el(
                "a",
                el("div", el("span", "Next", cls="md-footer__direction"), el("div", nxt, cls="md-ellipsis")),
                href=f"../{nxt}/",
                cls="md-footer__link md-footer__link--next",
                aria_label=f"Next: {nxt}",
            )
        )
    footer = el(
        "footer",
        el("nav", *neighbours, cls="md-footer__inner md-grid", aria_label="Footer"),
        el("div", el("div", page.footer, cls="md-copyright", inline=True, pad=False), cls="md-footer-meta md-typeset"),
        cls="md-footer",
    )
    config = json.dumps(
        {
            "base": "..",
            "features": ["navigation.path", "content.tabs.link"],
            "search": "../assets/javascripts/workers/search.js",
        },
        sort_keys=True,
    )
    body = el(
        "body",
        el("input", cls="md-toggle", data_md_toggle="drawer", type="checkbox", id="__drawer", autocomplete="off"),
        el("div", el("a", page.skip, href=f"#{title.attrs[0][1]}", cls="md-skip"), data_md_component="skip"),
        header,
        el("div", main, footer, cls="md-container", data_md_component="container"),
        el("script", config, id="__config", type="application/json", inline=True, pad=False),
        dir="ltr",
        data_md_color_scheme="default",
    )
    head = el(
        "head",
        el("meta", charset="utf-8"),
        el("meta", name="viewport", content="width=device-width,initial-scale=1"),
        el("meta", name="description", content=page.meta_description),
        el("link", rel="canonical", href=page.canonical),
        el("meta", name="generator", content="mkdocs-1.6.1, mkdocs-material-9.5.44"),
        el("title", page.head_title, inline=True, pad=False),
    )
    return document(el("html", head, body, lang=page.lang, cls="no-js"), indent=0)


def to_mkdocs(src: str) -> str:
    return render_mkdocs(read_explorer(src))
