"""Rendering: Jinja2 templates (layout only), black formatting, and the compile() gate.

Templates receive names and source fragments already computed and escaped in Python. The Jinja
environment has autoescaping off (the output is Python, not HTML) and StrictUndefined (a typo in a
template is an error, not an empty string). Page text never reaches a template as template source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import black
import black.mode
import black.parsing
import jinja2

from generator.errors import SdkgenError
from generator.render.escape import docstring_body, py_literal

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
SDK_TEMPLATES = TEMPLATES_DIR / "sdk"
RUNTIME_DIR = TEMPLATES_DIR / "runtime"

# One fixed black mode: the same input always formats to the same bytes, whatever the user's config.
BLACK_MODE = black.Mode(
    target_versions={black.mode.TargetVersion.PY311},
    line_length=120,
    string_normalization=True,
    magic_trailing_comma=True,
)

_DEFINITION = re.compile(r"^\s*(?:async\s+def|def|class)\s+([A-Za-z_][A-Za-z0-9_]*)|^([A-Za-z_][A-Za-z0-9_]*)\s*=")
_BLACK_POSITION = re.compile(r"(\d+):(\d+):")


class RenderError(SdkgenError):
    """Generated code that does not compile: names the file and the operation it belongs to."""


def docstring(lines: list[str], indent: int = 0) -> str:
    """A complete docstring literal for doc lines, continuation lines indented as black would."""
    escaped = docstring_body(lines).split("\n")
    if len(escaped) <= 1:
        return f'"""{escaped[0] if escaped else ""}"""'
    pad = " " * indent
    rest = [f"{pad}{line}" if line else "" for line in escaped[1:]]
    return '"""' + "\n".join([escaped[0], *rest]) + f'\n{pad}"""'


def call_lines(head: str, args: list[str], indent: int, limit: int = BLACK_MODE.line_length) -> list[str]:
    """`head(args)` laid out as black lays out a call (so black has little left to do, which is faster)."""
    joined = ", ".join(args)
    if indent + len(head) + len(joined) + 2 <= limit:
        return [f"{head}({joined})"]
    if indent + 4 + len(joined) <= limit:
        return [f"{head}(", f"    {joined}", ")"]
    return [f"{head}(", *(f"    {arg}," for arg in args), ")"]


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(SDK_TEMPLATES)),
        autoescape=False,  # the output is Python/TOML/Markdown; every data value is escaped by a filter
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["py"] = py_literal
    env.filters["docstring"] = docstring
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def owner_at(source: str, lineno: int, owners: Mapping[str, str]) -> str | None:
    """The operation whose definition encloses `lineno`: the nearest class/def/assignment above it."""
    lines = source.splitlines()
    for index in range(min(lineno, len(lines)) - 1, -1, -1):
        match = _DEFINITION.match(lines[index])
        if match:
            name = match.group(1) or match.group(2)
            if name in owners:
                return owners[name]
    return None


def _failure(path: str, source: str, lineno: int | None, message: str, owners: Mapping[str, str]) -> RenderError:
    owner = owner_at(source, lineno, owners) if lineno else None
    where = f"{path}:{lineno}" if lineno else path
    about = f" (operation {owner})" if owner else ""
    return RenderError(f"{where}: generated code does not compile{about}: {message}")


def format_python(path: str, source: str, owners: Mapping[str, str] | None = None) -> str:
    """black-formatted source, checked with compile(); RenderError names the operation at fault."""
    owners = owners or {}
    try:
        formatted = black.format_str(source, mode=BLACK_MODE)
    except black.parsing.InvalidInput as exc:
        check_compiles(path, source, owners)  # a SyntaxError gives the better message
        position = _BLACK_POSITION.search(str(exc))
        raise _failure(path, source, int(position.group(1)) if position else None, str(exc), owners) from None
    check_compiles(path, formatted, owners)
    return formatted


def check_compiles(path: str, source: str, owners: Mapping[str, str] | None = None) -> None:
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise _failure(path, source, exc.lineno, exc.msg, owners or {}) from None
    except ValueError as exc:  # NUL bytes in source
        raise _failure(path, source, None, str(exc), owners or {}) from None
