"""Response examples against the page's own response tree.

The site's examples come from Gson: integers are printed as doubles (`2.0`, `8.589934592E9`) and
dates as `Nov 14, 2017 10:20:57 PM`, about a quarter of the fields are left out, and `null` may
stand anywhere. None of that is a doc bug. A key the tree does not list, or a value whose JSON
type contradicts the documented kind (a string for a boolean, an object for a list), is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import JsonValue

from generator.ir.model import Kind, ResponseField

_GSON_DATE = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4},?[\s\u202f]\d{1,2}:\d{2}:\d{2}[\s\u202f]?[AP]M$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MAX_ISSUES = 50  # one broken example should not flood the report
_MAX_DEPTH = 64  # examples deeper than any response tree are not walked further


@dataclass(frozen=True, slots=True)
class ExampleIssue:
    rule: str  # example-unknown-field | example-type-mismatch | example-enum-object
    message: str


def check_example(example: JsonValue, fields: list[ResponseField]) -> list[ExampleIssue]:
    """Every disagreement between an example and the response tree, at most _MAX_ISSUES."""
    issues: list[ExampleIssue] = []
    if not isinstance(example, dict):
        issues.append(ExampleIssue("example-type-mismatch", f"the example is {json_kind(example)}, not an object"))
        return issues
    for issue in _object(example, fields, "", 0):
        issues.append(issue)
        if len(issues) >= _MAX_ISSUES:
            break
    return issues


def json_kind(value: JsonValue) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _object(value: dict[str, JsonValue], fields: list[ResponseField], path: str, depth: int) -> Iterator[ExampleIssue]:
    by_name = {f.name: f for f in fields}
    for key, item in value.items():
        where = f"{path}.{key}" if path else key
        field = by_name.get(key)
        if field is None:
            yield ExampleIssue(
                "example-unknown-field", f"the response example has `{where}`, which the tree does not list"
            )
        elif depth < _MAX_DEPTH:
            yield from _value(field, item, where, depth + 1)


def _value(field: ResponseField, value: JsonValue, path: str, depth: int) -> Iterator[ExampleIssue]:
    if value is None:
        return  # Gson writes null for unset fields; every kind allows it
    if field.kind == Kind.OBJECT and not field.children:
        return  # a class the page does not expand: an enum prints as a string, a bean as an object
    if (
        field.kind == Kind.ENUM
        and isinstance(value, dict)
        and field.enum_values
        and set(value) <= set(field.enum_values)
    ):
        yield ExampleIssue(
            "example-enum-object",
            f"`{path}` shows the {field.type} constants as an object; a JSON enum value is one string",
        )
        return
    if not _fits(field.kind, value):
        yield ExampleIssue(
            "example-type-mismatch",
            f"`{path}` is {json_kind(value)} in the response example but {field.type} on the page",
        )
        return
    if field.kind == Kind.ENUM and field.enum_values and value not in field.enum_values:
        yield ExampleIssue(
            "example-type-mismatch",
            f"`{path}` is {value!r} in the response example, not one of the {field.type} constants",
        )
    elif field.kind == Kind.LIST and field.children and isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield from _object(item, field.children, f"{path}[]", depth)
            elif item is not None:
                yield ExampleIssue(
                    "example-type-mismatch",
                    f"`{path}[]` is {json_kind(item)} in the response example but an object on the page",
                )
    elif field.kind == Kind.OBJECT and field.children and not field.recursive and isinstance(value, dict):
        yield from _object(value, field.children, path, depth)


def _fits(kind: Kind, value: JsonValue) -> bool:
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == Kind.STRING or kind == Kind.ENUM:
        return isinstance(value, str)
    if kind == Kind.INTEGER:
        return number and (isinstance(value, int) or float(value).is_integer())  # type: ignore[arg-type]
    if kind == Kind.NUMBER:
        return number
    if kind == Kind.BOOLEAN:
        return isinstance(value, bool)
    if kind == Kind.TIMESTAMP:
        return number or (isinstance(value, str) and _is_date(value))
    if kind == Kind.BYTES:
        return isinstance(value, str | list)
    if kind == Kind.LIST:
        return isinstance(value, list)
    if kind in (Kind.MAP, Kind.OBJECT):
        return isinstance(value, dict)
    return True  # NAMED and ANY: the page does not say what shape to expect


def _is_date(text: str) -> bool:
    return bool(_GSON_DATE.match(text) or _ISO_DATE.match(text))
