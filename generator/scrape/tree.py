"""Field lines -> trees of parameters and response fields."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.ir.model import Diagnostic, Kind, Location, Param, ResponseField, Source
from generator.scrape.blocks import Line
from generator.scrape.fields import FieldHead, split_flat_line, split_head
from generator.scrape.vocab import OPTIONAL_PREFIXES, REQUIRED_WORDS, VALID_VALUES_PREFIXES, kind_of

_REF_HINT = re.compile(r"(?:[Ss]ee(?: details)?,?|详情参考)\s*([A-Za-z_][A-Za-z0-9_]*)")
_OPTIONS_LABEL = re.compile(r"(?:Options|Valid values|可选值)\s*[:：]\s*")


@dataclass(slots=True)
class RawField:
    """A field as the page shows it, before it becomes a Param or a ResponseField."""

    head: FieldHead
    line: Line
    paragraphs: list[str] = field(default_factory=list)
    children: list[RawField] = field(default_factory=list)


def read_tree(
    lines: list[Line], *, flat: bool, hints: frozenset[str], file: str, warnings: list[Diagnostic]
) -> list[RawField]:
    """Field lines (with depth) and their paragraphs -> a forest of RawFields."""
    roots: list[RawField] = []
    stack: list[tuple[int, RawField]] = []
    for line in lines:
        if line.kind == "para" and stack:
            stack[-1][1].paragraphs.append(line.text)
            continue
        if line.kind not in ("field", "plain") or (line.kind == "plain" and not flat and not line.parts):
            if line.text and line.kind != "para":
                warnings.append(_unread(line, file))
            continue
        while stack and stack[-1][0] >= line.depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        head = _split(line, flat=flat, hints=hints, parent_type=parent.head.type if parent else None)
        if head is None:
            warnings.append(_unread(line, file))
            continue
        node = RawField(head, line, [head.rest] if head.rest else [])
        (parent.children if parent else roots).append(node)
        stack.append((line.depth, node))
    return roots


def _unread(line: Line, file: str) -> Diagnostic:
    return Diagnostic(
        code="unrecognised-line",
        message=f"could not read {line.text[:80]!r}",
        source=Source(file=file, line=line.lineno),
    )


def _split(line: Line, *, flat: bool, hints: frozenset[str], parent_type: str | None) -> FieldHead | None:
    if line.parts:
        from_parts = _head_from_parts(line.parts)
        if from_parts is not None:
            return from_parts
    if flat and line.kind == "plain":
        return split_flat_line(line.text, hints=hints)
    return split_head(line.text, hints=hints, parent_type=parent_type)


def _head_from_parts(parts: tuple[str, ...]) -> FieldHead | None:
    """An HTML row whose name, type and badge are separate elements: no guessing needed."""
    words = [p for p in parts if p not in REQUIRED_WORDS]
    required = len(words) < len(parts)
    if len(words) == 2 and " " not in words[0]:
        return FieldHead(words[0], words[1], required)
    return None


def description_and_values(paragraphs: Iterable[str]) -> tuple[str, list[str], bool]:
    """The description without the `Optional.` prefix, the documented valid values, and whether
    the page said "Optional."."""
    description_parts: list[str] = []
    values: list[str] = []
    said_optional = False
    for index, para in enumerate(paragraphs):
        text = para.strip()
        if index == 0:
            for prefix in OPTIONAL_PREFIXES:
                if text.startswith(prefix):
                    text, said_optional = text[len(prefix) :].strip(), True
                    break
        if text.startswith(VALID_VALUES_PREFIXES):
            _, listed = _take_valid_values(text)
            values += listed
            continue
        if text:
            description_parts.append(text)
    description = " ".join(description_parts)
    if not values:
        _, values = _take_valid_values(description)
    if not values:
        options = _options_text(description)
        if options:
            values = [v.strip() for v in options.split("|") if v.strip()]
            if len(values) < 2 and "," in options:
                values = [v.strip() for v in options.split(",") if v.strip()]
    return description, values, said_optional


def _options_text(description: str) -> str | None:
    """The list after the first `Options:` that runs to the end of the text without a `。`, less a
    final period. String search rather than one lazy regex, which was quadratic on long text."""
    last_stop = description.rfind("。")
    for label in _OPTIONS_LABEL.finditer(description):
        if label.end() <= last_stop:
            continue
        text = description[label.end() :].rstrip()
        if len(text) > 1 and text.endswith("."):
            text = text[:-1]
        return text or None
    return None


def _take_valid_values(text: str) -> tuple[str, list[str]]:
    for prefix in VALID_VALUES_PREFIXES:
        at = text.find(prefix)
        if at >= 0:
            listed = text[at + len(prefix) :].strip().rstrip("。.")
            return text[:at].strip(), [v.strip() for v in re.split(r"[,，|]", listed) if v.strip()]
    return text, []


def to_param(raw: RawField, location: Location, source_file: str) -> Param:
    description, values, _ = description_and_values(raw.paragraphs)
    return Param(
        name=raw.head.name,
        type=raw.head.type,
        kind=kind_of(raw.head.type),
        required=raw.head.required,
        description=description,
        location=location,
        valid_values=values,
        children=[to_param(c, location, source_file) for c in raw.children],
        source=Source(file=source_file, line=raw.line.lineno),
    )


def to_response_field(raw: RawField, source_file: str, ancestors: tuple[str, ...] = ()) -> ResponseField:
    description, _, _ = description_and_values(raw.paragraphs[:1])
    type_name = raw.head.type
    kind = kind_of(type_name)
    node = ResponseField(
        name=raw.head.name,
        type=type_name,
        kind=kind,
        description=description,
        required_label=raw.head.required,
        source=Source(file=source_file, line=raw.line.lineno),
    )
    if raw.children and all(c.head.type == type_name and not c.children for c in raw.children) and kind == Kind.NAMED:
        node.kind = Kind.ENUM
        node.ref = type_name
        node.enum_values = [c.head.name for c in raw.children]
        return node
    if kind == Kind.NAMED:
        node.kind = Kind.OBJECT
        node.ref = type_name
        node.recursive = type_name in ancestors and not raw.children
    inner = (*ancestors, type_name) if kind == Kind.NAMED else ancestors
    node.children = [to_response_field(c, source_file, inner) for c in raw.children]
    return node


def names_in(text: str) -> set[str]:
    """Names a description refers to (`See inventory.`, `Seeinventory.`, `详情参考inventory`)."""
    return set(_REF_HINT.findall(text))
