"""Property tests (hypothesis) for the glued-field splitters and the curl / JSON example parsers.

Each property runs twice: a quick pass in the default run, and a thorough one marked slow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.ir.model import Source
from generator.scrape.examples import MAX_JSON_DEPTH, parse_curl, parse_json_example
from generator.scrape.fields import MAX_HEAD_CHARS, split_flat_line, split_head
from generator.scrape.vocab import REQUIRED_WORDS, TYPE_NAMES_BY_LENGTH

F = TypeVar("F", bound=Callable[..., None])
SRC = Source(file="page.txt", line=1)
_NAME = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$\-.]*$")

quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
thorough = settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def twice(strategies: dict[str, st.SearchStrategy[Any]]) -> Callable[[F], tuple[F, F]]:
    """Turn one property into a quick test and a slow thorough one."""

    def wrap(prop: F) -> tuple[F, F]:
        fast = quick(given(**strategies)(prop))
        slow = pytest.mark.slow(thorough(given(**strategies)(prop)))
        return fast, slow  # type: ignore[return-value]

    return wrap


names = st.from_regex(r"[a-z][a-z0-9]{0,8}(?:[A-Z][a-z0-9]{1,6}){0,3}", fullmatch=True)
vocab_types = st.sampled_from(TYPE_NAMES_BY_LENGTH)
class_types = st.from_regex(r"(?:[A-Z][a-z]{1,6}){1,3}(?:Inventory|Status|Results)", fullmatch=True)
descriptions = st.builds(
    lambda first, rest: f"{first} {rest}.",
    st.sampled_from(["The", "Optional. The", "Whether", "UUID", "If"]),
    st.from_regex(r"[a-z][a-z ,]{0,30}[a-z]", fullmatch=True),
)


def _ambiguous(glued: str, name: str, type_name: str) -> bool:
    """A longer vocabulary type also ends the glued text: the page itself is ambiguous."""
    return any(
        len(other) > len(type_name) and glued.endswith(other) and _NAME.match(glued[: -len(other)] or "-")
        for other in TYPE_NAMES_BY_LENGTH
    )


# --- glued bullet heads ---------------------------------------------------------------------


def _split_head_round_trip(name: str, type_name: str, required: bool) -> None:
    glued = name + type_name
    assume(not _ambiguous(glued, name, type_name))
    head = split_head(glued + ("Required" if required else ""))
    assert head is not None and (head.name, head.type, head.required) == (name, type_name, required)


test_split_head_round_trip, test_split_head_round_trip_thorough = twice(
    {"name": names, "type_name": vocab_types, "required": st.booleans()}
)(_split_head_round_trip)


def _split_head_class_with_hint(name: str, type_name: str, required: bool) -> None:
    head = split_head(name + type_name + ("Required" if required else ""), hints=[name])
    assert head is not None and (head.name, head.type, head.required) == (name, type_name, required)


test_split_head_class_with_hint, test_split_head_class_with_hint_thorough = twice(
    {"name": names, "type_name": class_types, "required": st.booleans()}
)(_split_head_class_with_hint)


def _split_head_total(text: str) -> None:
    head = split_head(text)
    if head is None:
        return
    assert _NAME.match(head.name) and head.type
    shown = text.strip()
    assert shown in (head.name + head.type, *(head.name + head.type + word for word in REQUIRED_WORDS))
    assert len(text) <= MAX_HEAD_CHARS


test_split_head_never_fails, test_split_head_never_fails_thorough = twice(
    {"text": st.text(max_size=120) | st.from_regex(r"[a-zA-Z]{1,30}(?:Required)?", fullmatch=True)}
)(_split_head_total)


# --- glued flat lines -------------------------------------------------------------------------


def _split_flat_round_trip(name: str, type_name: str, required: bool, description: str) -> None:
    assume(not _ambiguous(name + type_name, name, type_name))
    line = name + type_name + ("Required" if required else "") + description
    head = split_flat_line(line)
    assert head is not None
    assert (head.name, head.type, head.required, head.rest) == (name, type_name, required, description)


test_split_flat_round_trip, test_split_flat_round_trip_thorough = twice(
    {"name": names, "type_name": vocab_types, "required": st.booleans(), "description": descriptions}
)(_split_flat_round_trip)


def _split_flat_total(text: str) -> None:
    head = split_flat_line(text)
    if head is not None:
        assert text.strip().startswith(head.name + head.type) and _NAME.match(head.name)


test_split_flat_never_fails, test_split_flat_never_fails_thorough = twice({"text": st.text(max_size=200)})(
    _split_flat_total
)


# --- curl lines -------------------------------------------------------------------------------

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(exclude_characters="'", exclude_categories=["Cs"]), max_size=12)
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8).filter(lambda k: "'" not in k), inner, max_size=4),
    max_leaves=15,
)
segments = st.lists(
    st.from_regex(r"[a-z][a-z0-9-]{0,10}|\{[a-z][A-Za-z]{0,8}\}", fullmatch=True), min_size=1, max_size=5
)
queries = st.lists(
    st.tuples(
        st.from_regex(r"[a-z][A-Za-z0-9]{0,10}", fullmatch=True),
        st.from_regex(r"<[a-z][A-Za-z]{0,8}>|[A-Za-z0-9]{1,6}", fullmatch=True),
    ),
    max_size=5,
)


def _curl_round_trip(method: str, parts: list[str], query: list[tuple[str, str]], body: Any, has_body: bool) -> None:
    path = "/zstack/v1/" + "/".join(parts)
    url = "http://{host}" + path + ("?" + "&".join(f"{k}={v}" for k, v in query) if query else "")
    line = f"curl -X {method} '{url}' -H 'Authorization: OAuth {{sessionUuid}}'"
    raw_body = json.dumps(body, ensure_ascii=False)
    if has_body:
        line += f" -H 'Content-Type: application/json;charset=UTF-8' -d '{raw_body}'"
    example = parse_curl(line, SRC)
    assert (example.method, example.path, example.query) == (method, path, query)
    assert example.headers["Authorization"] == "OAuth {sessionUuid}"
    if has_body:
        assert example.parse_error is None and example.body_raw == raw_body and example.body == body
    else:
        assert example.body_raw is None and example.body is None


test_curl_round_trip, test_curl_round_trip_thorough = twice(
    {
        "method": st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
        "parts": segments,
        "query": queries,
        "body": json_values,
        "has_body": st.booleans(),
    }
)(_curl_round_trip)


def _curl_total(text: str) -> None:
    example = parse_curl(text, SRC)
    assert example.raw == text
    if example.body_raw is not None and example.parse_error is None:
        assert example.body == json.loads(example.body_raw)
    example.model_dump_json()  # whatever it read, the IR can hold and write it


test_curl_never_fails, test_curl_never_fails_thorough = twice(
    {
        "text": st.text(max_size=300)
        | st.builds(lambda a, b: f"curl -X {a} '{b}' -d '{b}", st.text(max_size=20), st.text(max_size=60))
    }
)(_curl_total)


# --- JSON examples ----------------------------------------------------------------------------


def _json_round_trip(value: Any) -> None:
    example, repair = parse_json_example(json.dumps(value, ensure_ascii=False), 200, SRC)
    assert example.parse_error is None and repair is None and example.parsed == value


def _json_extra_bracket_repaired(value: Any) -> None:
    assume(isinstance(value, dict | list))
    example, repair = parse_json_example(json.dumps(value) + ("}" if isinstance(value, dict) else "]"), 200, SRC)
    assert example.parse_error is not None and repair is not None and example.parsed == value


def _json_cut_brackets_repaired(value: Any) -> None:
    text = json.dumps(value)
    cut = text.rstrip("]}")
    assume(cut != text and cut.strip())
    example, repair = parse_json_example(cut, 200, SRC)
    assert example.parse_error is not None and repair is not None and example.parsed == value


def _json_total(text: str) -> None:
    example, _ = parse_json_example(text, None, SRC)
    example.model_dump_json()
    if example.parsed is not None:
        assert _depth(example.parsed) <= MAX_JSON_DEPTH + 1


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


test_json_round_trip, test_json_round_trip_thorough = twice({"value": json_values})(_json_round_trip)
test_json_extra_bracket, test_json_extra_bracket_thorough = twice({"value": json_values})(_json_extra_bracket_repaired)
test_json_cut_brackets, test_json_cut_brackets_thorough = twice({"value": json_values})(_json_cut_brackets_repaired)
test_json_never_fails, test_json_never_fails_thorough = twice(
    {
        "text": st.text(max_size=200)
        | st.builds(lambda n, s: "[" * n + s + "]" * n, st.integers(0, 200), st.text(max_size=10))
    }
)(_json_total)
