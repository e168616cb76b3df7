"""What an HTML element *is*, by its accessibility semantics, rewritten as the native element.

A documentation theme may write a list as `ul/li` or as `div role=list` / `div role=listitem`, a
heading as `h2` or as `div role=heading aria-level=2`, a table as `table/tr/td` or as ARIA grid rows.
Assistive technology reads both the same way and so does the scraper: `normalise` gives every
element with an ARIA role the tag of that role, so the walker (html.py) reads one vocabulary.
It also removes what a reader of the page never meets: elements hidden from the accessibility tree
(`aria-hidden`, `hidden`, `display:none`), page chrome inside the content (navigation that is not the
breadcrumb, complementary panels, banners, content info) and the permalink anchors themes put in
headings (`¶`, `#`). Class names are never consulted: they belong to one theme.
"""

from __future__ import annotations

import re

from lxml import etree

# ARIA role -> the native element with the same meaning.
_ROLE_TAGS: dict[str, str] = {
    "main": "main",
    "navigation": "nav",
    "complementary": "aside",
    "contentinfo": "footer",
    "list": "ul",
    "directory": "ul",
    "tree": "ul",
    "listitem": "li",
    "treeitem": "li",
    "table": "table",
    "grid": "table",
    "treegrid": "table",
    "rowgroup": "tbody",
    "row": "tr",
    "cell": "td",
    "gridcell": "td",
    "rowheader": "td",  # a row's header cell is its field name: data, not a column title
    "columnheader": "th",
    "term": "dt",
    "definition": "dd",
    "paragraph": "p",
    "separator": "hr",
    "region": "section",
    "article": "article",
    "caption": "caption",
}
_CHROME_ROLES = frozenset({"navigation", "complementary", "contentinfo", "banner", "search"})
_CHROME_TAGS = frozenset({"nav", "aside", "footer"})
_NO_SEMANTICS = frozenset({"presentation", "none"})
_STRUCTURE = {
    "table": ("tr", "td", "th", "thead", "tbody", "tfoot", "caption"),
    "ul": ("li",),
    "ol": ("li",),
    "dl": ("dt", "dd"),
}
_HIDDEN_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\s*(?:;|$|!)", re.I)
_SYMBOLS_ONLY = re.compile(r"^[\W_]*$")  # no letter, digit or CJK character: `¶`, `#`, `🔗`, ``
_MARKED = etree.XPath("//*[@role or @aria-hidden or @hidden or @style]")
_FRAGMENT_LINKS = etree.XPath("//a[starts-with(@href, '#')]")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def symbols_only(text: str) -> bool:
    """No letter, digit or CJK character: a `¶`, `#`, `*` or an empty icon."""
    if text[:1].isalnum():
        return False  # most texts: no regex needed
    return bool(_SYMBOLS_ONLY.match(text))


def is_breadcrumb(el: etree._Element) -> bool:
    """A breadcrumb trail by its name, or (themes label it just "Navigation") by its shape."""
    label = " ".join(str(el.get(a) or "") for a in ("aria-label", "id", "role", "itemtype")).lower()
    return "breadcrumb" in label or "面包屑" in label or _is_trail(el)


_TRAIL_MAX = 8  # the site's trails run 2 to 6 deep


def _is_trail(el: etree._Element) -> bool:
    """A navigation that is one short flat list of links to other pages (not in-page anchors, as a
    table of contents has), followed by the page's title: MkDocs Material's `nav.md-path`."""
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag not in ("ol", "ul"):
        return False
    items = [c for c in children[0] if isinstance(c.tag, str)]
    if not 0 < len(items) <= _TRAIL_MAX or any(item.tag != "li" for item in items):
        return False
    for item in items:
        if item.find(".//ul") is not None or item.find(".//ol") is not None:
            return False
        if any(str(a.get("href") or "").startswith("#") and len(str(a.get("href"))) > 1 for a in item.iter("a")):
            return False
    follower = el.getnext()
    while follower is not None and not isinstance(follower.tag, str):
        follower = follower.getnext()
    return follower is not None and (follower.tag == "h1" or follower.find(".//h1") is not None)


def normalise(doc: etree._Element) -> None:
    """Rewrite `doc` in place: native tags for ARIA roles, hidden elements and chrome removed."""
    marked = _MARKED(doc)
    if not isinstance(marked, list):
        return
    _normalise_roles(marked)
    _drop_permalinks(doc)


def _normalise_roles(marked: list[object]) -> None:
    for el in marked:
        if not isinstance(el, etree._Element):
            continue
        if _is_hidden(el):
            _remove(el)
            continue
        role = (el.get("role") or "").strip().lower().split(" ")[0]
        if role in _NO_SEMANTICS:
            _strip_semantics(el)
        elif role == "heading":
            el.tag = f"h{_heading_level(el)}"
        elif role == "group":
            if _in_tree(el):
                el.tag = "ul"  # a tree item's group holds its children
        elif role == "banner":
            el.tag = "header"
        elif role in _ROLE_TAGS:
            el.tag = _ROLE_TAGS[role]


def is_chrome(el: etree._Element) -> bool:
    """Navigation, side panels, banners and footers: around the content, never part of it."""
    tag = el.tag if isinstance(el.tag, str) else ""
    role = (el.get("role") or "").strip().lower()
    if is_breadcrumb(el):
        return False
    return tag in _CHROME_TAGS or role in _CHROME_ROLES


def _is_hidden(el: etree._Element) -> bool:
    if (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    if tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def _heading_level(el: etree._Element) -> int:
    try:
        level = int((el.get("aria-level") or "2").strip())
    except ValueError:
        level = 2  # ARIA's default heading level
    return min(6, max(1, level))


def _in_tree(el: etree._Element) -> bool:
    for ancestor in el.iterancestors():
        role = (ancestor.get("role") or "").lower()
        if role in ("tree", "treegrid", "treeitem") or ancestor.tag in ("ul", "li"):
            return True
    return False


def _strip_semantics(el: etree._Element) -> None:
    """`role=presentation` on a table or list: a layout device, its rows and items plain blocks."""
    tag = el.tag if isinstance(el.tag, str) else ""
    owned = _STRUCTURE.get(tag)
    if owned is None:
        return
    for child in el.iter(*owned):
        if _owner(child, tag) is el:
            child.tag = "span" if child.tag == "caption" else "div"
    el.tag = "div"


def _owner(el: etree._Element, tag: str) -> etree._Element | None:
    for ancestor in el.iterancestors():
        if ancestor.tag == tag:
            return ancestor
    return None


def _drop_permalinks(doc: etree._Element) -> None:
    """`<h2>Body Fields<a href="#body-fields">¶</a></h2>`: the anchor is the theme's, not the text's."""
    anchors = _FRAGMENT_LINKS(doc)
    if not isinstance(anchors, list):
        return
    for anchor in anchors:
        if not isinstance(anchor, etree._Element):
            continue
        in_heading = any(a.tag in _HEADING_TAGS for a in anchor.iterancestors())
        text = "".join(anchor.itertext()).strip()
        if in_heading and symbols_only(text.replace("\u200b", "")):
            _remove(anchor)
