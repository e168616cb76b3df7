"""A tiny HTML builder for the test markups: elements as nested tuples, serialised deterministically.

`indent` > 0 pretty-prints: every block child on its own indented line, so the source is full of
whitespace and line breaks that a reader must ignore. Elements marked `inline` (paragraphs with
inline code, headings, cells) keep their children together, since whitespace *between* inline runs
would change the rendered text; `pre` keeps its text byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

VOID = {"meta", "link", "br", "input", "hr", "img"}


@dataclass
class El:
    tag: str
    attrs: list[tuple[str, str]] = field(default_factory=list)
    children: list[El | str] = field(default_factory=list)
    inline: bool = False  # render children compactly (the element itself may still be padded)
    pad: bool = True  # with `inline`: put the children on their own line, padded by whitespace


def el(tag: str, *children: El | str | None, inline: bool = False, pad: bool = True, **attrs: str | None) -> El:
    """`el("div", "text", role="list")`; attribute names: `aria_level` -> `aria-level`, `cls` -> `class`."""
    pairs = []
    for key, value in attrs.items():
        if value is None:
            continue
        name = "class" if key == "cls" else key.rstrip("_").replace("_", "-")
        pairs.append((name, value))
    kids = [c for c in children if c is not None and c != ""]
    return El(tag, pairs, kids, inline, pad)


def _open(node: El) -> str:
    attrs = "".join(f' {k}="{escape(v, quote=True)}"' for k, v in node.attrs)
    return f"<{node.tag}{attrs}>"


def _compact(node: El | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    if node.tag in VOID:
        return _open(node)
    return _open(node) + "".join(_compact(c) for c in node.children) + f"</{node.tag}>"


def render(node: El | str, indent: int = 2, depth: int = 0) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    if node.tag in VOID:
        return _open(node)
    if indent <= 0 or node.tag == "pre" or not node.children:
        return _compact(node)
    here = "\n" + " " * (indent * depth)
    inner = "\n" + " " * (indent * (depth + 1))
    if node.inline:
        body = "".join(_compact(c) for c in node.children)
        if not node.pad:
            return _open(node) + body + f"</{node.tag}>"
        return _open(node) + inner + body + here + f"</{node.tag}>"
    body = "".join(inner + render(c, indent, depth + 1) for c in node.children)
    return _open(node) + body + here + f"</{node.tag}>"


def document(root: El, indent: int = 2) -> str:
    return "<!DOCTYPE html>\n" + render(root, indent) + "\n"


def slug(text: str, taken: set[str]) -> str:
    """An anchor id as MkDocs / Sphinx make them: lower-case ASCII words joined by '-', unique."""
    base = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in text.lower()).split())
    base = base or "_"
    name, n = base, 1
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name
