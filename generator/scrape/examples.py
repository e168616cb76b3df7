"""Request examples (curl lines) and response examples (JSON, sometimes malformed)."""

from __future__ import annotations

import json
import re
import shlex
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from generator.ir.model import Example, RequestExample, Source

_CURL_FALLBACK = re.compile(
    r"-X\s+(?P<method>[A-Z]+)|'(?P<url>https?://[^']*)'|-H\s+'(?P<header>[^']*)'|-d\s+'(?P<data>.*)'\s*$"
)


def parse_curl(raw: str, source: Source) -> RequestExample:
    example = RequestExample(raw=raw, source=source)
    try:
        tokens = shlex.split(raw)
    except ValueError:
        tokens = _fallback_tokens(raw)
        if not tokens:
            example.parse_error = "the curl line is not valid shell syntax"
            return example
    _read_tokens(example, tokens)
    if example.body_raw is not None:
        try:
            example.body = json.loads(example.body_raw)
        except json.JSONDecodeError as exc:
            example.parse_error = f"the curl body is not valid JSON: {exc.msg} (column {exc.colno})"
    return example


def _fallback_tokens(raw: str) -> list[str]:
    tokens = ["curl"]
    for match in _CURL_FALLBACK.finditer(raw):
        if match.group("method"):
            tokens += ["-X", match.group("method")]
        elif match.group("url"):
            tokens.append(match.group("url"))
        elif match.group("header"):
            tokens += ["-H", match.group("header")]
        elif match.group("data") is not None:
            tokens += ["-d", match.group("data")]
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
        example.parsed = json.loads(text)
        return example, None
    except json.JSONDecodeError as exc:
        example.parse_error = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
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
            return json.loads(stripped), f"dropped {dropped} surplus closing bracket(s)"
        except json.JSONDecodeError:
            continue
    stack: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            escaped = (ch == "\\") and not escaped
            if ch == '"' and not escaped:
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
            return json.loads(text + "".join(reversed(stack))), f"added {len(stack)} missing closing bracket(s)"
        except json.JSONDecodeError:
            return None
    return None
