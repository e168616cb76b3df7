"""HTML elements as the walker reads them: text cleaning, what is a block, a field row's parts, a
definition list's members, a table's own rows and cells. Pure functions of an element."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lxml import etree

from generator.scrape.htmlfields import badge_of, is_punctuation, strip_glyphs
from generator.scrape.semantics import symbols_only
from generator.scrape.vocab import REQUIRED_WORDS

SKIP = frozenset(
    {"script", "style", "template", "noscript", "svg", "head", "iframe", "object", "canvas", "button", "input"}
)
LISTS = frozenset({"ul", "ol", "menu"})
_BLOCKS = frozenset(
    {
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
        "menu",
        "li",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
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
        "address",
    }
)
_BLOCK_TAGS = tuple(sorted(_BLOCKS))
CHROME_TAGS = frozenset({"nav", "aside", "footer", "header"})
_WHITESPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u2007\u202f]+")
_SPACE_LIKE = re.compile(r"[\t\r\f\v\u00a0\u2007\u202f]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_TRAILING_BADGE = re.compile(r"^(?P<name>.+?)\s*(?P<mark>\*)$")


def clean(text: str) -> str:
    """A run of whitespace with a line break becomes one space; tabs, no-break spaces and the like
    a space; runs of plain spaces stay; invisible characters go. Matched run by run: one regex for
    all backtracked quadratically on long runs of spaces."""
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    return _WHITESPACE_RUN.sub(_clean_run, text).strip()


def _clean_run(match: re.Match[str]) -> str:
    run = match.group()
    return " " if "\n" in run else _SPACE_LIKE.sub(" ", run)


def tag_of(el: etree._Element) -> str:
    tag = el.tag
    return tag if isinstance(tag, str) else ""  # libxml2's HTML parser lower-cases tag names


def line_of(el: etree._Element) -> int:
    return int(el.sourceline or 0)


def text_of(el: etree._Element) -> str:
    return "".join(el.itertext())


def has_block_descendant(el: etree._Element) -> bool:
    return next(el.iterdescendants(*_BLOCK_TAGS), None) is not None  # filtered in C


def is_block(el: etree._Element) -> bool:
    return tag_of(el) in _BLOCKS or has_block_descendant(el)


def part_text(el: etree._Element) -> str:
    """An element's text, or its accessible name when it shows only a symbol (`*`, an icon)."""
    text = clean(text_of(el))
    if symbols_only(text):
        label = el.get("aria-label") or el.get("title")
        if label is None:
            labelled = next((d for d in el.iterdescendants() if d.get("aria-label") or d.get("title")), None)
            label = None if labelled is None else (labelled.get("aria-label") or labelled.get("title"))
        if label and not symbols_only(label):
            return clean(label)
    return text


def row_of(li: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """A list item's field row (leading inline content, or its first inline-only block) and the rest."""
    parts: list[str] = []
    if li.text and li.text.strip():
        parts.append(clean(li.text))
    children = [c for c in li if tag_of(c) not in SKIP]
    rest: list[etree._Element] = []
    for index, child in enumerate(children):
        if rest or is_block(child):
            if not parts and not rest and tag_of(child) not in LISTS and index == 0 and not has_block_descendant(child):
                parts.extend(inline_parts(child))
                if child.tail and child.tail.strip():
                    parts.append(clean(child.tail))
                continue
            rest.append(child)
            continue
        parts.append(part_text(child))
        if child.tail and child.tail.strip():
            parts.append(clean(child.tail))
    return [p for p in parts if p], rest


def tidy_parts(parts: list[str]) -> list[str]:
    """Row parts as the grammar reads them: punctuation dropped, badge words as `Required`, tree
    glyphs off the name, a `name*` mark as the badge."""
    if not parts:
        return parts
    out: list[str] = []
    required = False
    for index, part in enumerate(parts):
        if part in REQUIRED_WORDS:
            out.append(part)
            continue
        badge = badge_of(part)
        if badge is not None and index > 0:
            required = required or badge == "required"
            continue
        if is_punctuation(part) and len(parts) > 1:
            continue
        out.append(part)
    if out:
        out[0] = strip_glyphs(out[0])[0]
        mark = _TRAILING_BADGE.match(out[0])
        if mark and len(out) > 1:
            out[0], required = mark.group("name"), True
    if required and not any(p in REQUIRED_WORDS for p in out):
        out.append("Required")
    return out


def inline_parts(el: etree._Element) -> list[str]:
    parts = [clean(el.text or "")]
    for child in el:
        if tag_of(child) in SKIP:
            continue
        parts.append(part_text(child))
        parts.append(clean(child.tail or ""))
    return [p for p in parts if p]


def dl_members(dl: etree._Element) -> list[etree._Element]:
    """`dt`/`dd` children, also when wrapped in a `div` per pair (allowed by HTML)."""
    out: list[etree._Element] = []
    for child in dl:
        tag = tag_of(child)
        if tag in ("dt", "dd"):
            out.append(child)
        elif tag == "div":
            out.extend(c for c in child if tag_of(c) in ("dt", "dd"))
    return out


def children_as_blocks(el: etree._Element) -> list[etree._Element]:
    """A cell's or definition's content as blocks, its loose text wrapped in a paragraph."""
    if not has_block_descendant(el):
        wrapper = etree.Element("p")
        wrapper.text = text_of(el)
        wrapper.sourceline = el.sourceline
        return [wrapper] if clean(wrapper.text or "") else []
    blocks: list[etree._Element] = []
    loose: list[str] = [el.text or ""]
    for child in el:
        if tag_of(child) in SKIP:
            loose.append(child.tail or "")
            continue
        if is_block(child):
            blocks.extend(_loose_paragraph(loose, el))
            blocks.append(child)
            loose = [child.tail or ""]
        else:
            loose.append(text_of(child) + (child.tail or ""))
    blocks.extend(_loose_paragraph(loose, el))
    return blocks


def _loose_paragraph(texts: list[str], el: etree._Element) -> list[etree._Element]:
    text = "".join(texts)
    if not clean(text):
        return []
    p = etree.Element("p")
    p.text = text
    p.sourceline = el.sourceline
    return [p]


def table_rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of a table nested in a cell)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def cells_of(tr: etree._Element | None) -> list[etree._Element]:
    if tr is None:
        return []
    return [c for c in tr if tag_of(c) in ("td", "th")]


def is_header_row(tr: etree._Element) -> bool:
    cells = cells_of(tr)
    if not cells:
        return False
    if all(tag_of(c) == "th" for c in cells):
        return True
    parent = tr.getparent()
    return parent is not None and tag_of(parent) == "thead"


def header_row(
    rows: list[etree._Element], meanings: Callable[[list[str]], Sequence[str | None] | None]
) -> etree._Element | None:
    """The row naming a table's columns: one marked as a header (`th` cells, `thead`), else a first row
    every cell of which is a column title to `meanings` (a header written as `<td><b>Name</b></td>`)."""
    marked = next((r for r in rows if is_header_row(r)), None)
    if marked is not None:
        return marked
    first = next((r for r in rows if any(clean(text_of(c)) for c in cells_of(r))), None)
    if first is None:
        return None
    titles = [clean(text_of(c)) for c in cells_of(first)]
    read = meanings(titles)
    if read is None or any(t and m is None for t, m in zip(titles, read, strict=False)):
        return None
    return first


def only_table(cells: list[etree._Element]) -> etree._Element | None:
    """The table a row holds and nothing else besides (a row of nested fields), or None."""
    if len(cells) != 1:
        return None
    outer = next(cells[0].iter("table"), None)
    if outer is None:
        return None
    return outer if clean(text_of(cells[0])) == clean(text_of(outer)) else None


def has_code(cell: etree._Element) -> bool:
    return next(cell.iter("pre"), None) is not None
