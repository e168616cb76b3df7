"""An HTML content tree -> lines, by what its elements mean (semantics.py has made them native).

Lists, definition lists and field tables give field lines with a depth; a field row's separate
elements (name, type, badge) are kept as `parts`; an item's other blocks are its paragraphs;
code blocks keep their lines; every other block is a run of lines. Element-level helpers are in
htmlnodes.py.
"""

from __future__ import annotations

from lxml import etree

from generator.scrape.blocks import MAX_LINES, Line, PageError
from generator.scrape.htmlfields import column_meanings, depth_hint, dotted_depth, is_yes, rank_depths, strip_glyphs
from generator.scrape.htmlnodes import (
    CHROME_TAGS,
    LISTS,
    SKIP,
    cells_of,
    children_as_blocks,
    clean,
    dl_members,
    has_block_descendant,
    has_code,
    header_row,
    is_block,
    is_header_row,
    line_of,
    only_table,
    row_of,
    table_rows,
    tag_of,
    text_of,
    tidy_parts,
)
from generator.scrape.semantics import is_breadcrumb, is_chrome
from generator.scrape.text import unglue
from generator.scrape.vocab import label_of

__all__ = ["Walker", "clean", "line_of"]


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
        if tag in CHROME_TAGS or el.get("role"):
            if tag == "nav" and is_breadcrumb(el):
                self.text("/".join(self.crumbs(el)), line_of(el))
                return
            if is_chrome(el):
                return
        if tag in LISTS:
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
            if is_block(child) and tag_of(child) != "br":
                self.flush(run, run_line, depth, para)
                self.block(child, depth, para)
                run, run_line = [child.tail or ""], line_of(child)
            elif tag_of(child) == "br":
                self.flush(run, run_line, depth, para)
                run, run_line = [child.tail or ""], line_of(child)
            else:
                run.append(text_of(child) + (child.tail or ""))
        self.flush(run, run_line, depth, para)

    def flush(self, run: list[str], lineno: int, depth: int, para: bool) -> None:
        self.text("".join(run), lineno, "para" if para else "plain", depth)
        run.clear()

    def pre(self, el: etree._Element, depth: int, para: bool) -> None:
        lineno = line_of(el)
        text = text_of(el)
        lines = text.splitlines()
        if lines and all(raw.strip().isdigit() for raw in lines if raw.strip()) and len(lines) > 1:
            return  # a code block's line-number gutter
        for offset, raw in enumerate(lines):
            if raw.strip():
                self.out.append(Line(raw.strip(), lineno + offset, "para" if para else "plain", depth))
                self.guard(lineno + offset)

    # --- lists ---------------------------------------------------------------------------------

    def items(self, el: etree._Element, depth: int) -> None:
        members = [c for c in el if tag_of(c) == "li" or tag_of(c) in LISTS]
        ranks = rank_depths([depth_hint(c) for c in members if tag_of(c) == "li"])
        index = 0
        for member in members:
            if tag_of(member) in LISTS:
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
            if tag in LISTS:
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
        for child in dl_members(dl):
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
                    self.contents(children_as_blocks(child), depth)

    # --- tables --------------------------------------------------------------------------------

    def table(self, el: etree._Element, depth: int) -> None:
        rows = table_rows(el)
        for caption in el.findall("caption"):  # its own, not those of tables in its cells
            self.text(text_of(caption), line_of(caption))
        header = header_row(rows, column_meanings)
        meanings = column_meanings([clean(text_of(c)) for c in cells_of(header)]) if header is not None else None
        body = [r for r in rows if r is not header and not is_header_row(r)]
        if meanings is None:
            self.plain_rows(body if header is not None else rows, depth)
            return
        self.field_rows(body, meanings, depth)

    def plain_rows(self, rows: list[etree._Element], depth: int) -> None:
        """Rows of a table without a header: a label and its value, a field per row (its cells, or
        the elements inside them, its parts), or a table of the previous row's children."""
        for tr in rows:
            cells = cells_of(tr)
            texts = [clean(text_of(c)) for c in cells]
            if not any(texts):
                continue
            nested = only_table(cells)
            if nested is not None:  # Redoc's layout: an object's fields in a full-width row below it
                self.table(nested, depth + 1)
                continue
            if label_of(texts[0]) is not None or any(has_code(c) for c in cells):
                for cell in cells:
                    self.block(cell, depth)  # a label and its value, or a code block in a layout table
                continue
            if len(cells) >= 2 and any(has_block_descendant(c) for c in cells[:2]):
                self.cell_field(cells, tr, depth)
                continue
            head = [t for t in texts[:3] if t]
            self.field(head, line_of(tr), depth)
            for desc in texts[3:]:
                self.text(desc, line_of(tr), "para", depth)

    def cell_field(self, cells: list[etree._Element], tr: etree._Element, depth: int) -> None:
        """A field row whose cells hold blocks: every piece of the first cell (name, badge) and the
        leading inline run of the second (type) are the row; the rest is its description."""
        parts = [clean(piece) for piece in cells[0].itertext()]
        lead, rest = row_of(cells[1])
        self.field([p for p in parts if p] + lead, line_of(tr), depth)
        self.contents(rest, depth)
        for cell in cells[2:]:
            self.contents(children_as_blocks(cell), depth)

    def field_rows(self, rows: list[etree._Element], meanings: list[str | None], depth: int) -> None:
        row_cells = [cells_of(tr) for tr in rows]
        column = {m: i for i, m in reversed(list(enumerate(meanings))) if m}
        name_at = column["name"]
        hints = [
            depth_hint(tr, cells[name_at] if name_at < len(cells) else None)
            for tr, cells in zip(rows, row_cells, strict=True)
        ]
        ranks = rank_depths(hints)
        chain: list[str] = []
        for index, (tr, cells) in enumerate(zip(rows, row_cells, strict=True)):
            texts = [clean(text_of(c)) for c in cells]
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
            self.contents(children_as_blocks(cells[at]), depth)
        if cell("values") and cell("values") not in cell("description"):
            self.text(f"Valid values: {cell('values')}", line_of(tr), "para", depth)

    @staticmethod
    def crumbs(el: etree._Element) -> list[str]:
        texts = [clean(t) for t in el.itertext()]
        return [t for t in texts if t and t not in ("/", ">", "›", "»", "\\", "|")]
