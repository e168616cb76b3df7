"""Deterministic example arguments for the generated tests and fixtures.

Each request parameter gets a value of its documented type: the Python source the generated test
passes to the method, and the JSON value the runtime puts on the wire for it. Values are derived
from the parameter name only (no randomness), so regenerating gives the same files.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Kind, Param
from generator.render.escape import py_literal, py_str
from generator.render.types import RequestTypes, java_kind

_INT_TEXT = re.compile(r"^-?\d+$")
_SORT_DIRECTION = "sortDirection"
# Login APIs (LogInByAccount, LogInByUser, LogIn, LoginIAM2VirtualID...) take the password as the
# SHA-512 hex digest of the clear text, as the server expects it (docs/zstack-rest: "Password").
_LOGIN_OPERATION = re.compile(r"^Log[Ii]n(?![a-z])")
_LOGIN_PASSWORD = "example-password"  # ASCII: the test's source spells it as a bytes literal


@dataclass(frozen=True)
class Sample:
    source: str  # Python source of the argument value
    wire: Any  # the JSON value the runtime sends (mode="json" dump)
    imports: frozenset[str] = frozenset()  # extra imports the source needs ("datetime")


def _uuid_like(name: str) -> str:
    return hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _string(param_name: str) -> str:
    if param_name.lower().endswith("uuid"):
        return _uuid_like(param_name)
    return f"example-{re.sub(r'[^A-Za-z0-9]+', '-', param_name).strip('-').lower() or 'value'}"


def _plain(value: Any) -> Sample:
    return Sample(py_literal(value), value)


def _scalar(kind: Kind | None, name: str) -> Sample:
    if kind == Kind.INTEGER:
        return _plain(1)
    if kind == Kind.NUMBER:
        return _plain(1.5)
    if kind == Kind.BOOLEAN:
        return _plain(True)
    if kind == Kind.TIMESTAMP:
        return Sample(
            "datetime.datetime(2017, 11, 14, 22, 20, 57)", "Nov 14, 2017 10:20:57 PM", frozenset({"datetime"})
        )
    if kind == Kind.MAP:
        return _plain({"key": "value"})
    return _plain(_string(name))


def _allowed(param: Param, kind: Kind) -> Sample | None:
    """The first valid value, typed as the annotation's Literal is (see types.literal)."""
    values = list(dict.fromkeys(param.valid_values))
    if not values:
        return None
    if kind == Kind.INTEGER:
        return _plain(int(values[0])) if all(_INT_TEXT.match(v) for v in values) else None
    if kind in (Kind.STRING, Kind.ENUM, Kind.NAMED, Kind.LIST):
        return _plain(values[0])
    return None


def _password_digest() -> Sample:
    """A login's password as the server wants it: the SHA-512 hex digest, computed in the test's source."""
    digest = hashlib.sha512(_LOGIN_PASSWORD.encode("utf-8")).hexdigest()
    return Sample(f"hashlib.sha512(b{py_str(_LOGIN_PASSWORD)}).hexdigest()", digest, frozenset({"hashlib"}))


def sample_for(
    param: Param, requests: RequestTypes, enum_values: dict[str, list[str]], operation_id: str = ""
) -> Sample:
    """A value for `param`, using the classes and attribute names `requests` built for it (`operation_id`:
    the operation it is a top-level parameter of)."""
    if param.name == "password" and param.kind == Kind.STRING and _LOGIN_OPERATION.match(operation_id):
        return _password_digest()
    if param.name == _SORT_DIRECTION:
        return _plain("desc")
    if param.wire_name == "q":  # query conditions: one valid condition
        return _plain([f"uuid={_uuid_like(param.name)}"])
    if param.kind == Kind.LIST:
        element = _element(param, requests, enum_values)
        return Sample(f"[{element.source}]", [element.wire], element.imports)
    if param.children and param.kind in (Kind.OBJECT, Kind.NAMED):
        return _object(param, requests.class_of[id(param)], requests, enum_values)
    allowed = _allowed(param, param.kind)
    if allowed is not None:
        return allowed
    if param.kind == Kind.NAMED:
        values = enum_values.get(param.type)
        return _plain(values[0]) if values else _plain({"key": "value"})
    if param.kind == Kind.OBJECT:
        return _plain({"key": "value"})
    if param.kind == Kind.ANY:
        return _plain("value")
    return _scalar(param.kind, param.name)


def _element(param: Param, requests: RequestTypes, enum_values: dict[str, list[str]]) -> Sample:
    if param.children:
        return _object(param, requests.class_of[id(param)], requests, enum_values)
    allowed = _allowed(param, Kind.LIST)
    if allowed is not None:
        return allowed
    element = param.element_type
    kind = java_kind(element)
    if kind is None and element in enum_values and enum_values[element]:
        return _plain(enum_values[element][0])
    if kind is None or kind in (Kind.LIST, Kind.ANY):
        return _plain(_string(param.name))
    return _scalar(kind, param.name)


def _object(param: Param, cls: str, requests: RequestTypes, enum_values: dict[str, list[str]]) -> Sample:
    """A nested request object: constructor source with its required fields, and their wire form."""
    parts: list[str] = []
    wire: dict[str, Any] = {}
    imports: set[str] = set()
    for child in param.children:
        fdef = requests.field_of.get(id(child))
        if fdef is None or not child.required:  # a duplicate the class left out, or optional
            continue
        sample = sample_for(child, requests, enum_values)
        parts.append(f"{fdef.attr}={sample.source}")
        wire[fdef.wire] = sample.wire
        imports |= sample.imports
    return Sample(f"{cls}({', '.join(parts)})", wire, frozenset(imports | {f"class:{cls}"}))
