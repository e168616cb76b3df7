"""Page text never becomes code: literals and docstrings built from it compile and give the text back."""

from __future__ import annotations

import ast
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.emit import docstring, format_python
from generator.render.escape import doc_lines, py_literal, py_str

HOSTILE = [
    'He said "hi"',
    'ends with a quote"',
    '"starts with a quote',
    'triple """ quotes """ inside',
    "''' single triples '''",
    "back\\slash and \\N{BULLET} and \\x41 and \\u0041",
    "trailing backslash \\",
    "NUL \x00 and bell \x07 and escape \x1b[31m",
    "line\rfeeds\r\nand\u2028separators\u2029and\x85next\x0cform",
    "lone surrogates \ud800 \udfff",
    "{{ jinja }} {% if x %}{% endif %} {# comment #}",
    '"""); import os; os.system(\'echo pwned\'); ("""',
    ">>> import os; os.system('echo doctest')",
    "tab\there, 中文说明，全角标点。",
    "",
]

full_text = st.text(alphabet=st.characters(exclude_categories=()), max_size=60)


def _doc_lines_of(function: Any) -> list[str]:
    """The docstring as written (no tab expansion, unlike inspect.getdoc), without black's indentation."""
    lines = [line.strip(" ") for line in function.__doc__.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _exec_function(doc_source: str) -> Any:
    source = f"def f() -> None:\n    {doc_source}\n"
    namespace: dict[str, Any] = {}
    exec(compile(format_python("test.py", source), "test.py", "exec"), namespace)
    return namespace["f"]


@pytest.mark.parametrize("text", HOSTILE)
def test_string_literal_round_trips(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text


@given(full_text)
def test_any_text_round_trips_as_a_literal(text: str) -> None:
    assert ast.literal_eval(py_str(text)) == text


def test_literals_of_json_values() -> None:
    value = {"a": [1, 2.5, True, None, 'x"y'], "b": {"c": "\ud800"}}
    assert ast.literal_eval(py_literal(value)) == value


@pytest.mark.parametrize("text", HOSTILE)
def test_docstring_compiles_and_round_trips(text: str) -> None:
    lines = ["Title", "", *doc_lines(text)] if text else ["Title"]
    function = _exec_function(docstring(lines, indent=4))
    assert _doc_lines_of(function) == lines


@settings(max_examples=60, deadline=None)
@given(full_text)
def test_any_text_round_trips_as_a_docstring(text: str) -> None:
    lines = doc_lines(text)
    function = _exec_function(docstring(lines or ["x"], indent=4))
    assert _doc_lines_of(function) == (lines or ["x"])


def test_doctest_prompts_are_defused() -> None:
    lines = doc_lines(">>> import os\n... more")
    assert not any(line.lstrip().startswith((">>>", "...")) for line in lines)
    assert [line.replace("\u200b", "") for line in lines] == [">>> import os", "... more"]


@given(full_text)
def test_the_plain_text_shortcut_writes_what_the_character_pass_writes(text: str) -> None:
    from generator.render.escape import _escape_char

    reference = '"' + "".join('\\"' if ch == '"' else _escape_char(ch) for ch in text) + '"'
    assert py_str(text) == reference
