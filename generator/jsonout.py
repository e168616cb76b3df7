"""Indented JSON text, byte-identical to `json.dumps(value, indent=N, ensure_ascii=False)`, fast.

With `indent`, `json.dumps` runs the pure-Python encoder: about 6x slower than pydantic_core's Rust
encoder on the 5-11 MB IR and OpenAPI files. The Rust encoder writes the same bytes (same string
escapes, including control characters, DEL, U+2028 and astral characters; big ints; key order;
empty containers; NaN/Infinity values) except in the cases below (tests/test_jsonout.py pins each
one), so it is used only where none of them can occur and `json.dumps` decides everything else:

* a float that Python writes in exponent form: Rust writes `0.00001` for `1e-05`, `1e-7` for `1e-07`;
* a lone surrogate in a string: Rust refuses to encode it;
* dict keys that are not strings (`None` becomes "None", not "null") and values json.dumps rejects
  (sets, bytes, enums, dates): Rust writes them where json.dumps raises;
* models only: NaN and infinities, which `model_dump(mode="json")` keeps as floats (json.dumps writes
  `NaN`) in some fields and turns into None in others, while the model's serializer writes `null`.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, cast

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError, SchemaSerializer, core_schema, to_json

# Containers and scalars the Rust encoder writes exactly as json.dumps does. Exact types only:
# subclasses (OrderedDict, StrEnum, ...) take the reference path rather than being reasoned about.
_SCALARS = frozenset({str, int, bool, type(None)})

# A value token in indented JSON starts either after `": ` (an object member) or at the start of a
# line after the indentation (an array element: JSON strings hold no raw newline, so that position
# is always structural). Risky tokens are numbers the Rust encoder may write differently from Python
# (any exponent form, or a fixed form below 1e-4, `0.0000...`, where Python writes an exponent) and
# the non-finite floats (see `_token_serializer`).
_RISKY_TOKEN = rb"-?(?:0\.0000|[0-9][0-9.]*[eE]|NaN|Infinity)"
_RISKY_MEMBER = re.compile(rb'": ' + _RISKY_TOKEN)
_RISKY_ELEMENT = re.compile(rb"\n *+" + _RISKY_TOKEN)
# Floats inside JsonValue follow the serializer's runtime setting for NaN; see `_token_serializer`.
_JSON_VALUE_REF = "pydantic.types.JsonValue"
_BACKSLASH = 0x5C


def indented_json(value: Any, indent: int, *, sort_keys: bool = False) -> str:
    """Exactly `json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys)`, including its errors."""
    if indent >= 0 and _is_plain_json(value):
        fast = _rust_json(_key_sorted(value) if sort_keys else value, indent)
        if fast is not None:
            return fast
    return json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=sort_keys)


def _key_sorted(value: Any) -> Any:
    """The value with every dict's keys in sorted order (plain JSON: the keys are strings)."""
    if isinstance(value, dict):
        return {key: _key_sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list | tuple):
        return [_key_sorted(item) for item in value]
    return value


def indented_model_json(
    model: BaseModel, indent: int, *, lead: Mapping[str, Any] | None = None, exclude_defaults: bool = False
) -> str:
    """Exactly `json.dumps({**lead, **dump}, indent=indent, ensure_ascii=False)` (`dump` alone without
    `lead`) where `dump` is `model.model_dump(mode="json", exclude=set(lead), exclude_defaults=...)`:
    the `lead` members come first, with their own values."""
    lead = dict(lead or {})
    fast = _fast_model_json(model, indent, lead, exclude_defaults)
    if fast is not None:
        return fast
    dump = model.model_dump(mode="json", exclude=set(lead), exclude_defaults=exclude_defaults)
    return json.dumps({**lead, **dump} if lead else dump, indent=indent, ensure_ascii=False)


def _is_plain_json(value: Any) -> bool:
    """Only str-keyed dicts, lists, tuples, str, int, bool, None and floats Python writes without an
    exponent: what the Rust encoder writes exactly like json.dumps (strings are checked by encoding)."""
    try:
        return _plain(value)
    except RecursionError:  # a cycle or very deep nesting: json.dumps raises or copes, as it always did
        return False


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is float:
        return "e" not in repr(value)  # nan and inf are fine: both write NaN / Infinity
    if kind is dict:
        for key in value:
            if type(key) is not str:
                return False
        children = value.values()
    elif kind is list or kind is tuple:
        children = value
    else:
        return False
    # This visits every node of a 10 MB document: plain loops with leaves checked inline, without a
    # call, take half the time of all()/any() over generators.
    for child in children:  # noqa: SIM110
        if type(child) not in _SCALARS and not _plain(child):
            return False
    return True


def _rust_json(value: Any, indent: int) -> str | None:
    try:
        return to_json(value, indent=indent, inf_nan_mode="constants").decode()
    except (PydanticSerializationError, OverflowError):  # lone surrogate, deep nesting, giant indent
        return None


def _fast_model_json(model: BaseModel, indent: int, lead: dict[str, Any], exclude_defaults: bool) -> str | None:
    serializer = _token_serializer(type(model))
    if serializer is None or indent < 0:
        return None
    try:
        body = serializer.to_json(model, indent=indent, exclude=set(lead), exclude_defaults=exclude_defaults)
    except (PydanticSerializationError, OverflowError):
        return None
    if not body.startswith(b"{") or _has_risky_token(body):  # a root model's scalar has no token context
        return None
    if not lead:
        return body.decode()
    head = json.dumps(lead, indent=indent, ensure_ascii=False)
    if body == b"{}":
        return head
    # `{\n<lead members>\n}` + `{\n<body members>\n}` -> `{\n<lead members>,\n<body members>\n}`
    return head[: -len("\n}")] + "," + body[1:].decode()


@functools.cache
def _token_serializer(model_type: type[BaseModel]) -> SchemaSerializer | None:
    """The model's own serializer, except that NaN and infinities in JsonValue and Any fields come out
    as tokens (`NaN`, `-Infinity`) that `_has_risky_token` sees, not as `null`, which no scan can tell
    from a real null. None when the model has float-typed fields: those keep the model's `null`."""
    schema = cast(dict[str, Any], model_type.__pydantic_core_schema__)
    if _has_typed_floats(schema):
        return None
    model_schema = schema["schema"] if schema["type"] == "definitions" else schema
    config = {**model_schema.get("config", {}), "ser_json_inf_nan": "constants"}
    return SchemaSerializer(cast(core_schema.CoreSchema, schema), cast(core_schema.CoreConfig, config))


def _has_typed_floats(schema: Any) -> bool:
    """Whether a core schema holds a float schema outside JsonValue (conservative: a JsonValue this
    does not recognise counts as typed floats, which only costs speed)."""
    if isinstance(schema, dict):
        if str(schema.get("ref", "")).startswith(_JSON_VALUE_REF):
            return False
        return schema.get("type") == "float" or any(_has_typed_floats(part) for part in schema.values())
    if isinstance(schema, list | tuple):
        return any(_has_typed_floats(part) for part in schema)
    return False


def _has_risky_token(text: bytes) -> bool:
    if _RISKY_ELEMENT.search(text) is not None:
        return True
    # `\": 1e-05` inside a string is no member
    return any(not _escaped(text, match.start()) for match in _RISKY_MEMBER.finditer(text))


def _escaped(text: bytes, quote: int) -> bool:
    """Whether the `"` at `quote` is escaped, i.e. preceded by an odd number of backslashes."""
    start = quote
    while start > 0 and text[start - 1] == _BACKSLASH:
        start -= 1
    return (quote - start) % 2 == 1
