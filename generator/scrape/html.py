"""HTML pages -> lines, by document structure (headings, nested lists, element boundaries).

Class names are never consulted: the live site's markup is not ours and changes. Nested `ul`/`ol`
give the field depth; a list item's leading inline content is its field row, whose separate
elements (name, type, badge) are kept as `parts`; the item's other blocks are its paragraphs.

bs4 serves for what it does best, decoding bytes of unknown encoding (UnicodeDammit); the tree is
lxml's, which is an order of magnitude faster than bs4's tree building and knows source lines.
"""

from __future__ import annotations

import logging
import re

from lxml import etree

from generator.scrape.blocks import MAX_LINES, Line, Page
from generator.scrape.page import PageError
from generator.scrape.text import unglue

_SKIP = {"script", "style", "template", "noscript", "svg", "head", "iframe", "object", "canvas", "button"}
_DROP_OUTSIDE_MAIN = {"aside", "footer"}
_LISTS = {"ul", "ol"}
_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "figure",
    "figcaption",
    "details",
    "summary",
    "form",
    "fieldset",
    "hr",
    "br",
}
_WHITESPACE_RUN = re.compile(r"[ \t\r\n\f\v]+")
_BLOCK_TAGS = tuple(sorted(_BLOCKS))
_SPACE_LIKE = re.compile(r"[\t\r\f\v]+")
# Real pages nest about 20 elements deep. lxml stops at 255 and silently drops what lies deeper
# (the rest of the page with it), so a page that deep is refused with its line instead.
MAX_HTML_DEPTH = 200


# bs4 logs "Some characters could not be decoded" to stderr when it decodes with replacement. The
# page still parses; the line would only break the one-`FILE:LINE: message`-per-failure output.
logging.getLogger("bs4.dammit").setLevel(logging.ERROR)


def decode_html(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from bs4 import UnicodeDammit  # only for the rare page that is not UTF-8 (bs4 takes 0.1 s to import)

        dammit = UnicodeDammit(data, is_html=True)
        return dammit.unicode_markup if dammit.unicode_markup is not None else data.decode("latin-1")


def html_page(file: str, markup: str) -> Page:
    try:
        doc = etree.fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:  # e.g. "Document is empty"
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PageError(f"not an HTML page: {message}", None) from exc
    if doc is None:
        raise PageError("not an HTML page: Document is empty", None)
    _check_depth(doc)
    page = Page(file=file, layout="html")
    lang = (doc.get("lang") or "").lower()
    page.lang = "zh-cn" if lang.startswith("zh") else "en"
    page.canonical_slug = _canonical_slug(doc)
    page.summary = _meta_description(doc)
    root = _content_root(doc)
    _Walker(page.lines).block(root, depth=0)
    return page


# Elements below MAX_HTML_DEPTH, found by libxml2 itself: a Python walk over every element cost
# a millisecond a page.
_TOO_DEEP = etree.XPath("/" + "/".join(["*"] * (MAX_HTML_DEPTH + 2)))

# The plain etree parser: lxml.html's element-class lookup cost more than the tree building itself.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=False)


def _check_depth(doc: etree._Element) -> None:
    deep = _TOO_DEEP(doc)
    if isinstance(deep, list) and deep:
        first = deep[0]
        line = _line_of(first) if isinstance(first, etree._Element) else 0
        raise PageError(f"HTML nested more than {MAX_HTML_DEPTH} elements deep", line or None)


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _canonical_slug(doc: etree._Element) -> str | None:
    for link in doc.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            slug = str(link.get("href")).rstrip("/").rsplit("/", 1)[-1]
            return slug or None
    return None


def _meta_description(doc: etree._Element) -> str | None:
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").lower() == "description":
            return _clean(meta.get("content") or "") or None
    return None


def _content_root(doc: etree._Element) -> etree._Element:
    """The main content: `<main>`, else the body without page chrome (sidebars, footers, nav menus)."""
    mains = [el for el in doc.iter("main")] or doc.xpath("//*[@role='main']")
    if mains:
        return mains[0]
    body = doc.find("body")
    root = body if body is not None else doc
    for el in list(root.iter(*_DROP_OUTSIDE_MAIN)):
        if el.getparent() is not None:
            el.getparent().remove(el)
    return root


def _clean(text: str) -> str:
    """A run of whitespace with a line break becomes one space; tabs and the like become a space;
    runs of plain spaces stay. Matched run by run: the one-regex form backtracked quadratically
    on long runs of spaces."""
    return _WHITESPACE_RUN.sub(_clean_run, text).strip()


def _clean_run(match: re.Match[str]) -> str:
    run = match.group()
    return " " if "\n" in run else _SPACE_LIKE.sub(" ", run)


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return tag if isinstance(tag, str) else ""  # libxml2's HTML parser lower-cases tag names


def _is_block(el: etree._Element) -> bool:
    tag = _tag(el)
    return tag in _BLOCKS or _has_block_descendant(el)


def _line_of(el: etree._Element) -> int:
    return int(el.sourceline or 0)


class _Walker:
    def __init__(self, out: list[Line]) -> None:
        self.out = out

    def guard(self, lineno: int) -> None:
        if len(self.out) > MAX_LINES:
            raise PageError(f"the page has more than {MAX_LINES} lines of content", lineno or None)

    def text(self, text: str, lineno: int, kind: str = "plain", depth: int = 0) -> None:
        text = _clean(text)
        if not text:
            return
        if kind == "plain":
            self.out.extend(Line(t, lineno) for t in unglue(text))
        else:
            self.out.append(Line(text, lineno, "para", depth))
        self.guard(lineno)

    def block(self, el: etree._Element, depth: int, para: bool = False) -> None:
        tag = _tag(el)
        if tag in _SKIP or not tag:
            return
        if tag in _LISTS:
            self.items(el, depth)
            return
        if tag == "pre":
            self.pre(el, depth, para)
            return
        if tag == "table":
            self.table(el, depth)
            return
        if tag == "nav" and self.is_breadcrumb(el):
            self.text("/".join(self.crumbs(el)), _line_of(el))
            return
        self.mixed(el, depth, para)

    def mixed(self, el: etree._Element, depth: int, para: bool) -> None:
        """Inline runs become one line each; block children are walked in turn."""
        run: list[str] = [el.text or ""]
        run_line = _line_of(el)
        for child in el:
            if _tag(child) in _SKIP:
                run.append(child.tail or "")
                continue
            if _is_block(child) and _tag(child) != "br":
                self.flush(run, run_line, depth, para)
                self.block(child, depth, para)
                run, run_line = [child.tail or ""], _line_of(child)
            elif _tag(child) == "br":
                self.flush(run, run_line, depth, para)
                run, run_line = [child.tail or ""], _line_of(child)
            else:
                run.append(_text(child) + (child.tail or ""))
        self.flush(run, run_line, depth, para)

    def flush(self, run: list[str], lineno: int, depth: int, para: bool) -> None:
        self.text("".join(run), lineno, "para" if para else "plain", depth)
        run.clear()

    def pre(self, el: etree._Element, depth: int, para: bool) -> None:
        lineno = _line_of(el)
        for offset, raw in enumerate(_text(el).splitlines()):
            if raw.strip():
                self.out.append(Line(raw.strip(), lineno + offset, "para" if para else "plain", depth))
                self.guard(lineno + offset)

    def items(self, el: etree._Element, depth: int) -> None:
        for item in el:
            if _tag(item) == "li":
                self.item(item, depth)
            elif _tag(item) in _LISTS:
                self.items(item, depth + 1)

    def item(self, li: etree._Element, depth: int) -> None:
        parts, rest = _row_of(li)
        glued = "".join(parts)
        if glued:
            self.out.append(Line(glued, _line_of(li), "field", depth, tuple(parts) if len(parts) > 1 else ()))
            self.guard(_line_of(li))
        for child in rest:
            if _tag(child) in _LISTS:
                self.items(child, depth + 1)
            else:
                self.block(child, depth, para=True)

    def table(self, el: etree._Element, depth: int) -> None:
        for tr in el.iter("tr"):
            cells = [_clean(_text(td)) for td in tr if _tag(td) in ("td", "th")]
            if not any(cells):
                continue
            if all(_tag(td) == "th" for td in tr if _tag(td) in ("td", "th")):
                continue  # a header row names the columns; the grammar knows them
            head = [c for c in cells[:3] if c]
            self.out.append(Line("".join(head), _line_of(tr), "field", depth, tuple(head)))
            self.guard(_line_of(tr))
            for desc in cells[3:]:
                self.text(desc, _line_of(tr), "para", depth)

    @staticmethod
    def is_breadcrumb(el: etree._Element) -> bool:
        label = " ".join(str(el.get(a) or "") for a in ("aria-label", "id", "role")).lower()
        return "breadcrumb" in label

    @staticmethod
    def crumbs(el: etree._Element) -> list[str]:
        texts = [_clean(t) for t in el.itertext()]
        return [t for t in texts if t and t not in ("/", ">", "›", "»")]


def _row_of(li: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """A list item's field row (leading inline content, or its first inline-only block) and the rest."""
    parts: list[str] = []
    if li.text and li.text.strip():
        parts.append(_clean(li.text))
    children = [c for c in li if _tag(c) not in _SKIP]
    rest: list[etree._Element] = []
    for index, child in enumerate(children):
        if rest or _is_block(child):
            if not parts and not rest and _tag(child) not in _LISTS and index == 0 and not _has_block_descendant(child):
                parts.extend(_inline_parts(child))
                if child.tail and child.tail.strip():
                    parts.append(_clean(child.tail))
                continue
            rest.append(child)
            continue
        parts.append(_clean(_text(child)))
        if child.tail and child.tail.strip():
            parts.append(_clean(child.tail))
    return [p for p in parts if p], rest


def _has_block_descendant(el: etree._Element) -> bool:
    return next(el.iterdescendants(*_BLOCK_TAGS), None) is not None  # filtered in C


def _inline_parts(el: etree._Element) -> list[str]:
    parts = [_clean(el.text or "")]
    for child in el:
        if _tag(child) in _SKIP:
            continue
        parts.append(_clean(_text(child)))
        parts.append(_clean(child.tail or ""))
    return [p for p in parts if p]
