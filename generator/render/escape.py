"""Untrusted page text -> Python source text that can only ever be data.

Descriptions, enum values, group names and example values come from scraped pages. They reach the
generated code only through these functions, which return the *source* of a string literal or of a
docstring body: quotes, triple quotes, backslashes (so `\\N{` stays text), NUL and other control
characters, line separators and lone surrogates are all escaped. Templates insert the result verbatim;
Jinja never evaluates data as template code, and the escaping makes sure Python never does either.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from generator.jsonout import indented_json

_ZWSP = "\u200b"
_DOCTEST_PROMPT = re.compile(r"^(\s*)(>>>|\.\.\.)")


def _escape_char(ch: str) -> str:
    """A printable character as itself, anything else as a `\\x`/`\\u`/`\\U` escape."""
    if ch == "\\":
        return "\\\\"
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code <= 0xFF:
        return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch, f"\\x{code:02x}")
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def valid_text(text: str) -> str:
    """`text` with lone surrogates replaced by U+FFFD.

    For strings that become pydantic Literal/enum values, aliases, paths or wrapper keys: pydantic-core
    and HTTP need real Unicode, and no server can send a lone surrogate in UTF-8 JSON anyway.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def py_str(text: str) -> str:
    """The source of a double-quoted Python string literal whose value is exactly `text`."""
    if text.isprintable() and "\\" not in text and '"' not in text:
        return f'"{text}"'  # what the character-by-character pass gives for it (most doc text), at once
    return '"' + "".join('\\"' if ch == '"' else _escape_char(ch) for ch in text) + '"'


def py_literal(value: Any) -> str:
    """Source for a JSON-like value (None, bool, int, float, str, list, dict) that evaluates back to it."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else "0.0"
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_str(str(k))}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {type(value).__name__}")


def doc_lines(text: str) -> list[str]:
    """Page text as docstring lines: newlines normalized, edges trimmed, no blank runs at the ends.

    This is the text a reader gets back from `inspect.getdoc` (the round-trip the tests check).
    Each line is stripped because black and `inspect.cleandoc` re-indent docstrings anyway. A line
    that would look like a doctest prompt gets a zero-width space in front, so running the SDK's
    tests with `--doctest-modules` can never execute page text.
    """
    text = valid_text(text)  # CPython refuses lone surrogates in class docstrings (tp_doc is UTF-8)
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return [_DOCTEST_PROMPT.sub(lambda m: m.group(1) + _ZWSP + m.group(2), line) for line in lines]


def docstring_body(lines: list[str]) -> str:
    """Escaped source for the inside of a `\"\"\"...\"\"\"` docstring holding `lines`.

    A quote that would be the third in a row, or that would touch the closing quotes, is escaped;
    every other character goes through the same escaping as string literals (except the newline).
    """
    out: list[str] = []
    run = 0
    body = valid_text("\n".join(lines))
    for i, ch in enumerate(body):
        if ch == '"':
            if run == 2 or i == len(body) - 1:
                out.append('\\"')
                run = 0
            else:
                out.append('"')
                run += 1
            continue
        run = 0
        out.append("\n" if ch == "\n" else _escape_char(ch))
    return "".join(out)


def plain_text(text: str) -> str:
    """Text for Markdown/TOML-free places (README): one line, no control characters or surrogates."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(cleaned.split())


def json_text(value: Any) -> str:
    """Deterministic, human-readable JSON; falls back to ASCII escapes if the text holds lone surrogates."""
    text = indented_json(value, 1, sort_keys=True) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, indent=1, sort_keys=True, ensure_ascii=True) + "\n"
    return text


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_BACKTICKS = re.compile(r"`+")


def markdown_text(text: str) -> str:
    """Doc text as Markdown inline text (a table cell, a heading): one line, no HTML, no emphasis, links,
    code or cell breaks of its own."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(plain_text(text), quote=False))


def code_span(text: str, *, in_table: bool = False) -> str:
    """Inline code for any text: delimited by more backticks than it holds; `|` escaped in a table cell
    (GFM reads the escape there, inside code too)."""
    text = plain_text(text)
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or longest else text
    return f"{fence}{padded.replace('|', chr(92) + '|') if in_table else padded}{fence}"


def code_fence(code: str) -> str:
    """A fence for a code block of `code`: longer than any backtick run in it."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
    return "`" * max(3, longest + 1)
