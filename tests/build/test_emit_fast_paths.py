"""The renderer's shortcuts for text that needs no escaping give exactly what the escaping functions give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.render.emit import _docstring, docstring, literal
from generator.render.escape import docstring_body, py_literal

# Mostly plain text, with the characters that need escaping mixed in now and then.
_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=32, max_codepoint=126),
        st.sampled_from(['"', "\\", "\t", "\x00", "\u2028", "中", "\u0301", "\ud800", "\U0001f600"]),
    ),
    max_size=40,
)


def _reference_docstring(lines: list[str], indent: int) -> str:
    escaped = docstring_body(lines).split("\n")
    if len(escaped) <= 1:
        return f'"""{escaped[0] if escaped else ""}"""'
    pad = " " * indent
    rest = [f"{pad}{line}" if line else "" for line in escaped[1:]]
    return '"""' + "\n".join([escaped[0], *rest]) + f'\n{pad}"""'


@given(st.lists(_TEXT, max_size=5), st.sampled_from([0, 4, 8]))
def test_docstrings_are_what_the_escaping_function_gives(lines: list[str], indent: int) -> None:
    _docstring.cache_clear()
    assert docstring(lines, indent) == _reference_docstring(lines, indent)


@given(st.one_of(_TEXT, st.integers(), st.none(), st.lists(_TEXT, max_size=3)))
def test_literals_are_what_the_escaping_function_gives(value: object) -> None:
    assert literal(value) == py_literal(value)


def test_the_shortcut_is_taken_for_plain_text_only() -> None:
    assert literal("plain text") == '"plain text"'
    assert literal('say "hi"') == py_literal('say "hi"') == '"say \\"hi\\""'
    assert docstring(['He said "no"'], 4) == '"""He said "no\\""""'
