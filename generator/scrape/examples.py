"""Request examples (curl lines) and response examples (JSON, sometimes malformed)."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from generator.ir.model import Example, RequestExample, Source

# Example JSON nests a few levels (inventory > vmNics > usedIps); anything far deeper is hostile
# and would overflow the IR's serializer, which stops at about 250 levels.
MAX_JSON_DEPTH = 64
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")

# shlex takes quadratic time on long lines (minutes for a few MB); real curl lines are a few KB.
MAX_SHLEX_CHARS = 32 * 1024

_CURL_FALLBACK = re.compile(r"-X\s+(?P<method>[A-Z]+)|'(?P<url>https?://[^']*)'|-H\s+'(?P<header>[^']*)'")
_CURL_DATA = re.compile(r"-d\s+'")


def parse_curl(raw: str, source: Source) -> RequestExample:
    example = RequestExample(raw=raw, source=source)
    try:
        if len(raw) > MAX_SHLEX_CHARS:
            raise ValueError("too long for shlex")
        tokens = shlex.split(raw)
    except ValueError:
        tokens = _fallback_tokens(raw)
        if not tokens:
            example.parse_error = "the curl line is not valid shell syntax"
            return example
    _read_tokens(example, tokens)
    if example.body_raw is not None:
        try:
            example.body = loads_bounded(example.body_raw)
        except json.JSONDecodeError as exc:
            example.parse_error = f"the curl body is not valid JSON: {exc.msg} (column {exc.colno})"
        except ValueError as exc:
            example.parse_error = f"the curl body is not usable JSON: {exc}"
    return example


def loads_bounded(text: str) -> Any:
    """`json.loads`, refusing what the IR cannot hold: nesting deeper than MAX_JSON_DEPTH, numbers
    too long to convert, lone surrogates (replaced by U+FFFD: they cannot be written as UTF-8).

    Raises json.JSONDecodeError for bad syntax and ValueError for the rest."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError as exc:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ValueError(str(exc).split(";")[0]) from exc
    return _bounded(value, 0)


def _bounded(value: Any, depth: int) -> Any:
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_bounded(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {_LONE_SURROGATE.sub("\ufffd", key): _bounded(item, depth + 1) for key, item in value.items()}
    return value


def _fallback_tokens(raw: str) -> list[str]:
    """Tokens read by pattern, for curl lines shlex cannot split. In linear time: the body is
    everything from the first `-d '` to the last quote of the line, found by string search."""
    tokens = ["curl"]
    data = _CURL_DATA.search(raw)
    tail = raw.rstrip()
    has_body = data is not None and tail.endswith("'") and len(tail) - 1 >= data.end()
    head = raw[: data.start()] if has_body and data is not None else raw
    for match in _CURL_FALLBACK.finditer(head):
        if match.group("method"):
            tokens += ["-X", match.group("method")]
        elif match.group("url"):
            tokens.append(match.group("url"))
        elif match.group("header"):
            tokens += ["-H", match.group("header")]
    if has_body and data is not None:
        tokens += ["-d", tail[data.end() : -1]]
    return tokens if len(tokens) > 1 else []


def _read_tokens(example: RequestExample, tokens: list[str]) -> None:
    it = iter(tokens[1:] if tokens and tokens[0] == "curl" else tokens)
    for token in it:
        if token in ("-X", "--request"):
            example.method = next(it, "").upper() or None
        elif token in ("-H", "--header"):
            key, _, value = next(it, "").partition(":")
            if key.strip():
                example.headers[key.strip()] = value.strip()
        elif token in ("-d", "--data", "--data-raw", "--data-binary"):
            example.body_raw = next(it, "")
        elif not token.startswith("-") and example.url is None:
            _read_url(example, token)


def _read_url(example: RequestExample, url: str) -> None:
    example.url = url
    parts = urlsplit(url)
    example.path = unquote(parts.path) if parts.path else None
    example.query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]


def parse_json_example(raw: str, status: int | None, source: Source) -> tuple[Example, str | None]:
    """Parse an example; a malformed one is kept raw, and repaired when a brace balance fixes it.

    Returns the example and, when it had to be repaired, a description of the repair.
    """
    example = Example(status=status, raw=raw, source=source)
    text = raw.strip()
    if not text:
        return example, None
    try:
        example.parsed = loads_bounded(text)
        return example, None
    except json.JSONDecodeError as exc:
        example.parse_error = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
    except ValueError as exc:
        example.parse_error = str(exc)
        return example, None
    repaired = _balance_brackets(text)
    if repaired is not None:
        example.parsed = repaired[0]
        return example, repaired[1]
    return example, None


def _balance_brackets(text: str) -> tuple[Any, str] | None:
    """Drop surplus closing brackets at the end, or add missing ones (a truncated example)."""
    stripped = text
    for dropped in range(1, 4):
        stripped = stripped.rstrip()
        if not stripped or stripped[-1] not in "}]":
            break
        stripped = stripped[:-1]
        try:
            return loads_bounded(stripped), f"dropped {dropped} surplus closing bracket(s)"
        except ValueError:  # JSONDecodeError included
            continue
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:  # a backslash escapes the next character, a quote included
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    if stack and not in_string:
        try:
            return loads_bounded(text + "".join(reversed(stack))), f"added {len(stack)} missing closing bracket(s)"
        except ValueError:  # JSONDecodeError included
            return None
    return None
