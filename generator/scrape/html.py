"""HTML pages -> lines, by what the elements mean: semantics.py rewrites ARIA roles as the native
elements they stand for and drops hidden content and chrome; htmlwalk.py reads lists, definition
lists, field tables, headings and code blocks into lines.

Class names are never consulted: the live site's markup is not ours and changes.

bs4 serves for what it does best, decoding bytes of unknown encoding (UnicodeDammit); the tree is
lxml's, which is an order of magnitude faster than bs4's tree building and knows source lines.
"""

from __future__ import annotations

import logging

from lxml import etree

from generator.scrape.blocks import Page, PageError
from generator.scrape.htmlwalk import Walker, clean, line_of
from generator.scrape.semantics import normalise

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
    return explorer_page(file, parse_html(markup))


def parse_html(markup: str) -> etree._Element:
    """The page's tree, checked for depth and normalised (semantics.py): what every HTML reader reads."""
    try:
        doc = etree.fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError) as exc:  # e.g. "Document is empty"
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise PageError(f"not an HTML page: {message}", None) from exc
    if doc is None:
        raise PageError("not an HTML page: Document is empty", None)
    _check_depth(doc)
    normalise(doc)
    return doc


def page_lang(doc: etree._Element) -> str:
    return (doc.get("lang") or "").lower()


def explorer_page(file: str, doc: etree._Element) -> Page:
    """An API explorer page's tree (parse_html) -> lines."""
    page = Page(file=file, layout="html")
    page.lang = "zh-cn" if page_lang(doc).startswith("zh") else "en"
    page.canonical_slug = _canonical_slug(doc)
    page.summary = _meta_description(doc)
    root = content_root(doc)
    Walker(page.lines).block(root, depth=0)
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
        line = line_of(first) if isinstance(first, etree._Element) else 0
        raise PageError(f"HTML nested more than {MAX_HTML_DEPTH} elements deep", line or None)


def _canonical_slug(doc: etree._Element) -> str | None:
    for link in doc.iter("link"):
        if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
            slug = str(link.get("href")).split("#", 1)[0].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            return slug or None
    return None


def _meta_description(doc: etree._Element) -> str | None:
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").lower() == "description":
            return clean(meta.get("content") or "") or None
    return None


def content_root(doc: etree._Element) -> etree._Element:
    """The main content (`main`, or `role=main`, which normalise made a `main`), else the body; page
    chrome inside it (navigation, side panels, footers) is skipped by the walker."""
    main = next(doc.iter("main"), None)
    if main is not None:
        return main
    body = doc.find("body")
    return body if body is not None else doc
