"""Field rows whatever their markup: table columns named by a header row, depth hints, badge words.

A field list may be a nested list (depth by containment), a flat list or table whose rows carry a
depth hint (`aria-level`, `data-depth`, an indent in `style`, a Depth column, tree glyphs before the
name, dotted names), or a definition list. These helpers turn each into (name, type, badge) parts
and a depth, so the walker emits the same field lines for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

# Column title (casefolded, without trailing punctuation) -> the column's meaning. English and zh-cn.
COLUMN_TITLES: dict[str, str] = {
    **dict.fromkeys(
        (
            "name",
            "parameter",
            "parameters",
            "param",
            "field",
            "fields",
            "property",
            "key",
            "attribute",
            "parameter name",
            "field name",
            "名称",
            "参数",
            "参数名",
            "参数名称",
            "字段",
            "字段名",
            "名字",
            "属性",
        ),
        "name",
    ),
    **dict.fromkeys(("type", "data type", "datatype", "类型", "数据类型", "参数类型"), "type"),
    **dict.fromkeys(
        ("required", "required?", "mandatory", "is required", "必填", "是否必填", "是否必选", "必选", "必需"),
        "required",
    ),
    **dict.fromkeys(("optional", "optional?", "可选", "是否可选"), "optional"),
    **dict.fromkeys(
        ("description", "desc", "details", "meaning", "remarks", "说明", "描述", "含义", "备注", "参数说明"),
        "description",
    ),
    **dict.fromkeys(("since", "starting version", "since version", "version", "起始版本", "版本"), "since"),
    **dict.fromkeys(("location", "in", "position", "位置", "参数位置"), "location"),
    **dict.fromkeys(
        (
            "valid values",
            "optional value",
            "optional values",
            "allowed values",
            "values",
            "options",
            "enum",
            "可选值",
            "取值",
            "取值范围",
            "允许值",
        ),
        "values",
    ),
    **dict.fromkeys(("depth", "level", "nesting", "nesting level", "层级", "深度", "级别"), "depth"),
}
_YES = frozenset({"required", "yes", "y", "true", "✓", "✔", "☑", "是", "必填", "必选", "必需", "*", "x"})
_NO = frozenset({"optional", "no", "n", "false", "✗", "✘", "否", "可选", "-", "—", "", "非必填"})
_REQUIRED_PARTS = frozenset({"required", "(required)", "必填", "*", "(必填)", "required.", "[required]"})
_OPTIONAL_PARTS = frozenset({"optional", "(optional)", "可选", "(可选)", "optional.", "[optional]"})
_PUNCTUATION = re.compile(r"^[\s()\[\]{},:;|/–—\-·•]*$")
_GLYPHS = re.compile(r"^[\s\u00a0│├└┃┣┗─━↳→›»▸▹•·\-–—.]+")
_INDENT_STYLE = re.compile(
    r"(?:padding-left|margin-left|padding-inline-start|margin-inline-start|text-indent"
    r"|--depth|--level|--indent)\s*:\s*(-?\d+(?:\.\d+)?)",
    re.I,
)
_DEPTH_ATTRS = ("aria-level", "data-depth", "data-level", "data-indent", "data-nesting", "data-nest")
_TITLE_TRIM = re.compile(r"[\s:：?？*]+$")


def column_meanings(titles: Sequence[str]) -> list[str | None] | None:
    """The meaning of each column, when the titles make a field table (a name and one more)."""
    meanings = [COLUMN_TITLES.get(_TITLE_TRIM.sub("", t).strip().casefold()) for t in titles]
    if "name" not in meanings or len({m for m in meanings if m}) < 2:
        return None
    return meanings


def is_yes(cell: str) -> bool | None:
    """A Required (or Optional) column's cell: True, False, or None when it is neither word."""
    word = cell.strip().casefold().rstrip(".")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None


def badge_of(part: str) -> str | None:
    """`required` / `optional` when a row part is only the badge."""
    word = part.strip().casefold()
    if word in _REQUIRED_PARTS:
        return "required"
    if word in _OPTIONAL_PARTS:
        return "optional"
    return None


def is_punctuation(part: str) -> bool:
    if part[:1].isalnum():
        return False
    return bool(_PUNCTUATION.match(part))


def strip_glyphs(name: str) -> tuple[str, int]:
    """`└─ uuid` -> (`uuid`, 3): tree glyphs some themes draw before a nested field's name."""
    match = _GLYPHS.match(name)
    if not match or match.end() == len(name):
        return name, 0
    return name[match.end() :], len(match.group().replace(" ", "").replace("\u00a0", "")) or len(match.group())


@dataclass(slots=True)
class DepthHint:
    """A row's depth as the markup hints it, before ranking against the other rows."""

    value: float | None
    kind: str  # "level" (aria-level and kin: absolute), "indent" (a measure: ranked), "" (none)


def depth_hint(*elements: etree._Element | None) -> DepthHint:
    for el in elements:
        if el is None:
            continue
        for attr in _DEPTH_ATTRS:
            raw = el.get(attr)
            if raw is not None:
                try:
                    return DepthHint(float(raw.strip()), "level")
                except ValueError:
                    continue
        style = el.get("style")
        if style:
            match = _INDENT_STYLE.search(style)
            if match:
                return DepthHint(float(match.group(1)), "indent")
    return DepthHint(None, "")


def rank_depths(hints: Sequence[DepthHint]) -> list[int] | None:
    """Relative depths (0 = top) from the rows' hints, or None when no row has one."""
    values = [h.value for h in hints]
    if all(v is None for v in values):
        return None
    known = sorted({v for v in values if v is not None})
    floor = known[0]
    if all(h.kind == "level" for h in hints if h.value is not None) and all(float(v).is_integer() for v in known):
        return [0 if v is None else int(v - floor) for v in values]
    order = {v: i for i, v in enumerate(known)}  # indents: the n-th distinct measure is depth n
    return [0 if v is None else order[v] for v in values]


def dotted_depth(name: str, chain: list[str]) -> tuple[str, int] | None:
    """`params.name` after a row `params`: (`name`, 1). `inventories[].uuid` works the same way."""
    if "." not in name:
        return None
    segments = [s.replace("[]", "").replace("[*]", "") for s in name.split(".")]
    if not all(segments) or segments[:-1] != chain[: len(segments) - 1]:
        return None
    return segments[-1], len(segments) - 1
