"""The HTML of a Dev Guide page (already through semantics.normalise) -> a GuideDoc (devguide_doc.py).

Read by what the elements are: the breadcrumb navigation is the navigation path, the first `h1` the title
and a paragraph right after it the summary, other headings are headings, `pre` blocks code, tables with a
header row naming their columns (English or zh-cn, htmlfields.COLUMN_TITLES) tables of cells (a cell's
paragraphs as its text, its list items as items), other text a sentence. Chrome (navigation that is not
the breadcrumb, banners, side panels, footers) is skipped. No class name is consulted.
"""

from __future__ import annotations

from lxml import etree

from generator.scrape.blocks import MAX_LINES, PageError
from generator.scrape.devguide_doc import Block, Cell, GuideDoc, Row, Table, column_meanings, is_devguide_lines
from generator.scrape.htmlnodes import (
    CHROME_TAGS,
    LISTS,
    SKIP,
    cells_of,
    clean,
    header_row,
    is_header_row,
    line_of,
    table_rows,
    tag_of,
    text_of,
)
from generator.scrape.semantics import is_breadcrumb, is_chrome

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TEXT_BLOCKS = frozenset({"p", "div", "li", "dd", "dt", "blockquote", "figcaption", "caption", "summary"})


def is_devguide_html(doc: etree._Element) -> bool:
    return is_devguide_lines(clean(text_of(h)) for h in doc.iter(*_HEADINGS))


def guide_html(file: str, root: etree._Element, lang: str) -> GuideDoc:
    """The page's content (`root`: its `main`, else its body) as a GuideDoc; `lang` from `<html lang>`."""
    guide = GuideDoc(file=file, layout="devguide-html", lang="zh-cn" if lang.startswith("zh") else "en")
    _Walker(guide).walk(root)
    return guide


class _Walker:
    def __init__(self, guide: GuideDoc) -> None:
        self.guide = guide
        self.after_title = False  # the next paragraph is the summary

    def add(self, block: Block) -> None:
        self.guide.blocks.append(block)
        self.after_title = False
        if len(self.guide.blocks) > MAX_LINES:
            raise PageError(f"the page has more than {MAX_LINES} blocks of content", block.lineno or None)

    def walk(self, el: etree._Element) -> None:
        for child in el:
            tag = tag_of(child)
            if not tag or tag in SKIP:
                continue
            if tag == "nav" and is_breadcrumb(child):
                self.guide.crumbs = [t for t in (clean(x) for x in child.itertext()) if t and t not in "/>›»|\\"]
            elif (tag in CHROME_TAGS or child.get("role")) and is_chrome(child):
                continue
            elif tag in _HEADINGS:
                self.heading(child, tag)
            elif tag == "pre":
                self.add(Block("code", text_of(child).strip("\n"), line_of(child)))
            elif tag == "table":
                self.table(child)
            elif tag in LISTS:
                for item in child:
                    if tag_of(item) == "li":
                        self.text(item)
            elif tag in _TEXT_BLOCKS and not _has_blocks(child):
                self.text(child)
            else:
                self.walk(child)

    def heading(self, el: etree._Element, tag: str) -> None:
        text = clean(text_of(el))
        if not text:
            return
        if tag == "h1" and not self.guide.title:
            self.guide.title, self.guide.title_line = text, line_of(el)
            self.after_title = True
            return
        self.add(Block("heading", text, line_of(el)))

    def text(self, el: etree._Element) -> None:
        text = clean(text_of(el))
        if not text:
            return
        if self.after_title and not self.guide.summary:
            self.guide.summary = text
            self.after_title = False
            return
        self.add(Block("text", text, line_of(el)))

    def table(self, el: etree._Element) -> None:
        rows = table_rows(el)
        header = header_row(rows, column_meanings)
        titles = [clean(text_of(c)) for c in cells_of(header)]
        columns = column_meanings(titles) if header is not None else None
        if columns is None:
            self.add(Block("text", " ".join(titles) or clean(text_of(el))[:200], line_of(el)))
            return
        table = Table(columns)
        for tr in rows:
            if tr is header or is_header_row(tr):
                continue
            cells = cells_of(tr)
            table.rows.append(Row({m: _cell(c) for m, c in zip(columns, cells, strict=False)}, line_of(tr)))
        self.add(Block("table", " ".join(titles), line_of(el), table))


def _has_blocks(el: etree._Element) -> bool:
    return any(tag_of(c) in _HEADINGS or tag_of(c) in ("pre", "table", "section", "article") for c in el.iter())


def _cell(td: etree._Element) -> Cell:
    """A cell's paragraphs (its text outside lists) and its list items."""
    items: list[str] = []
    texts: list[str] = [td.text or ""]
    for child in td:
        tag = tag_of(child)
        if tag in LISTS:
            items += [clean(text_of(li)) for li in child.iter("li")]
        elif tag in _TEXT_BLOCKS or tag == "br":
            texts.append(f"\n{text_of(child)}\n")  # a paragraph: a line break, which clean() makes a space
        elif tag not in SKIP:
            texts.append(text_of(child))
        texts.append(child.tail or "")
    return Cell(clean("".join(texts)), tuple(item for item in items if item))
