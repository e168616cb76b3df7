"""An HTML content tree -> lines, by what its elements mean (semantics.py has made them native).

Lists, definition lists and field tables give field lines with a depth; a field row's separate
elements (name, type, badge) are kept as `parts`; an item's other blocks are its paragraphs;
code blocks keep their lines; every other block is a run of lines.
"""

from __future__ import annotations

import re

from lxml import etree

from generator.scrape.blocks import MAX_LINES, Line, PageError
from generator.scrape.htmlfields import (
    badge_of,
    column_meanings,
    depth_hint,
    dotted_depth,
    is_punctuation,
    is_yes,
    rank_depths,
    strip_glyphs,
)
from generator.scrape.semantics import is_breadcrumb, is_chrome, symbols_only
from generator.scrape.text import unglue
from generator.scrape.vocab import REQUIRED_WORDS, label_of

SKIP = frozenset(
    {"script", "style", "template", "noscript", "svg", "head", "iframe", "object", "canvas", "button", "input"}
)
_LISTS = frozenset({"ul", "ol", "menu"})
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
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "header"})
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


def _text(el: etree._Element) -> str:
    return "".join(el.itertext())


def _has_block_descendant(el: etree._Element) -> bool:
    return next(el.iterdescendants(*_BLOCK_TAGS), None) is not None  # filtered in C


def _is_block(el: etree._Element) -> bool:
    return tag_of(el) in _BLOCKS or _has_block_descendant(el)


def _part_text(el: etree._Element) -> str:
    """An element's text, or its accessible name when it shows only a symbol (`*`, an icon)."""
    text = clean(_text(el))
    if symbols_only(text):
        label = el.get("aria-label") or el.get("title")
        if label is None:
            labelled = next((d for d in el.iterdescendants() if d.get("aria-label") or d.get("title")), None)
            label = None if labelled is None else (labelled.get("aria-label") or labelled.get("title"))
        if label and not symbols_only(label):
            return clean(label)
    return text


class Walker:
    def __init__(self, out: list[Line]) -> None:
        self.out = out

    def guard(self, lineno: int) -> None:
        if len(self.out) > MAX_LINES:
            raise PageError(f"the page has more than {MAX_LINES} lines of content", lineno or None)

    def text(self, text: str, lineno: int, kind: str = "plain", depth: int = 0) -> None:
        text = clean(text)
        if not text:
            return
        if kind == "plain":
            self.out.extend(Line(t, lineno) for t in unglue(text))
        else:
            self.out.append(Line(text, lineno, "para", depth))
        self.guard(lineno)

    def block(self, el: etree._Element, depth: int, para: bool = False) -> None:
        tag = tag_of(el)
        if tag in SKIP or not tag:
            return
        if tag in _CHROME_TAGS or el.get("role"):
            if tag == "nav" and is_breadcrumb(el):
                self.text("/".join(self.crumbs(el)), line_of(el))
                return
            if is_chrome(el):
                return
        if tag in _LISTS:
            self.items(el, depth)
        elif tag == "pre":
            self.pre(el, depth, para)
        elif tag == "table":
            self.table(el, depth)
        elif tag == "dl":
            self.definitions(el, depth)
        else:
            self.mixed(el, depth, para)

    def mixed(self, el: etree._Element, depth: int, para: bool) -> None:
        """Inline runs become one line each; block children are walked in turn."""
        run: list[str] = [el.text or ""]
        run_line = line_of(el)
        for child in el:
            if tag_of(child) in SKIP:
                run.append(child.tail or "")
                continue
            if _is_block(child) and tag_of(child) != "br":
                self.flush(run, run_line, depth, para)
                self.block(child, depth, para)
                run, run_line = [child.tail or ""], line_of(child)
            elif tag_of(child) == "br":
                self.flush(run, run_line, depth, para)
                run, run_line = [child.tail or ""], line_of(child)
            else:
                run.append(_text(child) + (child.tail or ""))
        self.flush(run, run_line, depth, para)

    def flush(self, run: list[str], lineno: int, depth: int, para: bool) -> None:
        self.text("".join(run), lineno, "para" if para else "plain", depth)
        run.clear()

    def pre(self, el: etree._Element, depth: int, para: bool) -> None:
        lineno = line_of(el)
        text = _text(el)
        lines = text.splitlines()
        if lines and all(raw.strip().isdigit() for raw in lines if raw.strip()) and len(lines) > 1:
            return  # a code block's line-number gutter
        for offset, raw in enumerate(lines):
            if raw.strip():
                self.out.append(Line(raw.strip(), lineno + offset, "para" if para else "plain", depth))
                self.guard(lineno + offset)

    # --- lists ---------------------------------------------------------------------------------

    def items(self, el: etree._Element, depth: int) -> None:
        members = [c for c in el if tag_of(c) == "li" or tag_of(c) in _LISTS]
        ranks = rank_depths([depth_hint(c) for c in members if tag_of(c) == "li"])
        index = 0
        for member in members:
            if tag_of(member) in _LISTS:
                self.items(member, depth + 1)
                continue
            self.item(member, depth + (ranks[index] if ranks else 0))
            index += 1

    def item(self, li: etree._Element, depth: int) -> None:
        parts, rest = row_of(li)
        self.field(parts, line_of(li), depth)
        self.contents(rest, depth)

    def contents(self, children: list[etree._Element], depth: int) -> None:
        """A field's other blocks: its paragraphs, and its children's list one level down."""
        for child in children:
            tag = tag_of(child)
            if tag in _LISTS:
                self.items(child, depth + 1)
            elif tag == "dl":
                self.definitions(child, depth + 1)
            elif tag == "table":
                self.table(child, depth + 1)
            else:
                self.block(child, depth, para=True)

    def field(self, parts: list[str], lineno: int, depth: int) -> None:
        parts = tidy_parts(parts)
        glued = "".join(parts)
        if glued:
            self.out.append(Line(glued, lineno, "field", depth, tuple(parts) if len(parts) > 1 else ()))
            self.guard(lineno)

    # --- definition lists ----------------------------------------------------------------------

    def definitions(self, dl: etree._Element, depth: int) -> None:
        labelled = False  # the last term was a page label (`Operation ID`), not a field
        for child in _dl_members(dl):
            tag = tag_of(child)
            if tag == "dt":
                parts, rest = row_of(child)
                labelled = label_of("".join(parts)) is not None or label_of(" ".join(parts)) is not None
                if labelled:
                    self.mixed(child, depth, para=False)
                else:
                    self.field(parts, line_of(child), depth)
                    self.contents(rest, depth)
            elif tag == "dd":
                if labelled:
                    self.block(child, depth)
                else:
                    self.contents(_children_as_blocks(child), depth)

    # --- tables --------------------------------------------------------------------------------

    def table(self, el: etree._Element, depth: int) -> None:
        rows = _rows(el)
        for caption in el.findall("caption"):  # its own, not those of tables in its cells
            self.text(_text(caption), line_of(caption))
        header = next((r for r in rows if _is_header(r)), None)
        meanings = column_meanings([clean(_text(c)) for c in _cells(header)]) if header is not None else None
        body = [r for r in rows if r is not header and not _is_header(r)]
        if meanings is None:
            self.plain_rows(body if header is not None else rows, depth)
            return
        self.field_rows(body, meanings, depth)

    def plain_rows(self, rows: list[etree._Element], depth: int) -> None:
        for tr in rows:
            cells = _cells(tr)
            texts = [clean(_text(c)) for c in cells]
            if not any(texts):
                continue
            if label_of(texts[0]) is not None or any(_has_code(c) for c in cells):
                for cell in cells:
                    self.block(cell, depth)  # a label and its value, or a code block in a layout table
                continue
            head = [t for t in texts[:3] if t]
            self.field(head, line_of(tr), depth)
            for desc in texts[3:]:
                self.text(desc, line_of(tr), "para", depth)

    def field_rows(self, rows: list[etree._Element], meanings: list[str | None], depth: int) -> None:
        cells_of = [_cells(tr) for tr in rows]
        column = {m: i for i, m in reversed(list(enumerate(meanings))) if m}
        name_at = column["name"]
        hints = [
            depth_hint(tr, cells[name_at] if name_at < len(cells) else None)
            for tr, cells in zip(rows, cells_of, strict=True)
        ]
        ranks = rank_depths(hints)
        chain: list[str] = []
        for index, (tr, cells) in enumerate(zip(rows, cells_of, strict=True)):
            texts = [clean(_text(c)) for c in cells]
            if name_at >= len(cells) or not texts[name_at]:
                continue
            name, glyphs = strip_glyphs(texts[name_at])
            level = ranks[index] if ranks else 0
            if "depth" in column and column["depth"] < len(texts) and texts[column["depth"]].strip().isdigit():
                level = int(texts[column["depth"]])
            dotted = dotted_depth(name, chain)
            if dotted is not None:
                name, level = dotted
            elif ranks is None and glyphs and "depth" not in column:
                level = min(len(chain), glyphs)
            chain[level:] = [name]
            self.table_field(name, cells, texts, column, tr, depth + level)

    def table_field(
        self,
        name: str,
        cells: list[etree._Element],
        texts: list[str],
        column: dict[str, int],
        tr: etree._Element,
        depth: int,
    ) -> None:
        def cell(meaning: str) -> str:
            at = column.get(meaning)
            return texts[at] if at is not None and at < len(texts) else ""

        parts = [name]
        if cell("type"):
            parts.append(cell("type"))
        required = is_yes(cell("required")) if "required" in column else None
        if required is None and "optional" in column:
            optional = is_yes(cell("optional"))
            required = None if optional is None else not optional
        if required:
            parts.append("Required")
        self.field(parts, line_of(tr), depth)
        at = column.get("description")
        if at is not None and at < len(cells):
            self.contents(_children_as_blocks(cells[at]), depth)
        if cell("values") and cell("values") not in cell("description"):
            self.text(f"Valid values: {cell('values')}", line_of(tr), "para", depth)

    @staticmethod
    def crumbs(el: etree._Element) -> list[str]:
        texts = [clean(t) for t in el.itertext()]
        return [t for t in texts if t and t not in ("/", ">", "›", "»", "\\", "|")]


def row_of(li: etree._Element) -> tuple[list[str], list[etree._Element]]:
    """A list item's field row (leading inline content, or its first inline-only block) and the rest."""
    parts: list[str] = []
    if li.text and li.text.strip():
        parts.append(clean(li.text))
    children = [c for c in li if tag_of(c) not in SKIP]
    rest: list[etree._Element] = []
    for index, child in enumerate(children):
        if rest or _is_block(child):
            if (
                not parts
                and not rest
                and tag_of(child) not in _LISTS
                and index == 0
                and not _has_block_descendant(child)
            ):
                parts.extend(_inline_parts(child))
                if child.tail and child.tail.strip():
                    parts.append(clean(child.tail))
                continue
            rest.append(child)
            continue
        parts.append(_part_text(child))
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


def _inline_parts(el: etree._Element) -> list[str]:
    parts = [clean(el.text or "")]
    for child in el:
        if tag_of(child) in SKIP:
            continue
        parts.append(_part_text(child))
        parts.append(clean(child.tail or ""))
    return [p for p in parts if p]


def _dl_members(dl: etree._Element) -> list[etree._Element]:
    """`dt`/`dd` children, also when wrapped in a `div` per pair (allowed by HTML)."""
    out: list[etree._Element] = []
    for child in dl:
        tag = tag_of(child)
        if tag in ("dt", "dd"):
            out.append(child)
        elif tag == "div":
            out.extend(c for c in child if tag_of(c) in ("dt", "dd"))
    return out


def _children_as_blocks(el: etree._Element) -> list[etree._Element]:
    """A cell's or definition's content as blocks, its loose text wrapped in a paragraph."""
    if not _has_block_descendant(el):
        wrapper = etree.Element("p")
        wrapper.text = _text(el)
        wrapper.sourceline = el.sourceline
        return [wrapper] if clean(wrapper.text or "") else []
    blocks: list[etree._Element] = []
    loose: list[str] = [el.text or ""]
    for child in el:
        if tag_of(child) in SKIP:
            loose.append(child.tail or "")
            continue
        if _is_block(child):
            blocks.extend(_loose_paragraph(loose, el))
            blocks.append(child)
            loose = [child.tail or ""]
        else:
            loose.append(_text(child) + (child.tail or ""))
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


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows (not those of a table nested in a cell)."""
    return [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]


def _cells(tr: etree._Element | None) -> list[etree._Element]:
    if tr is None:
        return []
    return [c for c in tr if tag_of(c) in ("td", "th")]


def _is_header(tr: etree._Element) -> bool:
    cells = _cells(tr)
    if not cells:
        return False
    if all(tag_of(c) == "th" for c in cells):
        return True
    parent = tr.getparent()
    return parent is not None and tag_of(parent) == "thead"


def _has_code(cell: etree._Element) -> bool:
    return next(cell.iter("pre"), None) is not None
