"""Response examples shaped like the server's JSON, for the fake server's fixtures.

The docs' examples are built from Java objects by the doc tool, not captured from the server, and
some disagree with the docs' own field tables: an enum shown as `{"Normal": "Normal"}` (Gson sends
the constant's name), a list of objects shown as a list of strings. The fake server should answer
what the real one sends, so a value that cannot have the documented type is dropped from the
fixture (Gson omits absent values too) and its path recorded next to it. Unknown keys are kept.
"""

from __future__ import annotations

import re
from typing import Any

from generator.ir.model import Kind, NamedType, ResponseField

_DROP = object()
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


class _Conformer:
    def __init__(self, types: dict[str, NamedType]) -> None:
        self.types = types
        self.dropped: list[str] = []

    def fields_of(self, rf: ResponseField) -> list[ResponseField] | None:
        """The documented fields of an object value: the registry type's, else the inline ones."""
        named = self.types.get(rf.ref or "") or self.types.get(rf.element_type or "")
        if named is not None and named.kind == "object":
            return named.fields or rf.children
        return rf.children if rf.children else None

    def is_enum(self, rf: ResponseField) -> bool:
        named = self.types.get(rf.ref or "")
        return rf.kind == Kind.ENUM or (named is not None and named.kind == "enum")

    def object(self, value: Any, fields: list[ResponseField], path: str) -> Any:
        if not isinstance(value, dict):
            return _DROP
        known = {f.name: f for f in fields}
        result: dict[str, Any] = {}
        for key, item in value.items():
            rf = known.get(key)
            conformed = item if rf is None or item is None else self.value(item, rf, f"{path}.{key}" if path else key)
            if conformed is _DROP:
                self.dropped.append(f"{path}.{key}" if path else key)
            else:
                result[key] = conformed
        return result

    def value(self, value: Any, rf: ResponseField, path: str) -> Any:
        if rf.kind == Kind.LIST:
            if not isinstance(value, list):
                return _DROP
            items = [self.element(item, rf, f"{path}[{i}]") for i, item in enumerate(value)]
            return _DROP if any(item is _DROP for item in items) else items
        return self.element(value, rf, path)

    def element(self, value: Any, rf: ResponseField, path: str) -> Any:
        """One value (or one list element) against the field's type."""
        if value is None:
            return None
        if self.is_enum(rf):
            return value if isinstance(value, str) else _DROP
        fields = self.fields_of(rf)
        if fields is not None:
            return self.object(value, fields, path)
        if rf.kind == Kind.LIST:
            return value  # element type unknown
        return value if _scalar_fits(rf.kind, value) else _DROP


def _scalar_fits(kind: Kind, value: Any) -> bool:
    """Whether the runtime's lenient types accept the JSON value (see _runtime/wire.py)."""
    if kind == Kind.STRING:
        return isinstance(value, str)
    if kind in (Kind.INTEGER, Kind.NUMBER):
        if isinstance(value, str):
            return _NUMBER.match(value.strip()) is not None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return kind == Kind.NUMBER or float(value).is_integer()
    if kind == Kind.BOOLEAN:
        return isinstance(value, bool)
    if kind == Kind.TIMESTAMP:
        return isinstance(value, str | int | float) and not isinstance(value, bool)
    if kind == Kind.BYTES:
        return isinstance(value, str | list)
    if kind == Kind.MAP:
        return isinstance(value, dict)
    if kind == Kind.OBJECT:
        return isinstance(value, dict)
    return True


def conform_example(
    example: dict[str, Any], fields: list[ResponseField], types: dict[str, NamedType]
) -> tuple[dict[str, Any], list[str]]:
    """(the example without values that contradict the documented types, the dropped paths)."""
    conformer = _Conformer(types)
    result = conformer.object(example, fields, "")
    return (result if isinstance(result, dict) else {}), conformer.dropped
