"""JSON Schemas of the IR's parameters, response fields and named types (the OpenAPI export's
`components` and the schemas its operations hold)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from generator.ir.model import Kind, NamedType, Param, ResponseField

ERROR_CODE = "ErrorCode"
ASYNC_JOB_RESPONSE = "AsyncJobAccepted"
ERROR_RESPONSE = "ServiceUnavailable"
GSON_DATE = "gson-date"

_SCHEMA_PREFIX = "#/components/schemas/"
# Component keys must match this (OpenAPI 3.1 schema); Java names like `Outer$Inner` would not.
_UNSAFE_COMPONENT_CHARS = re.compile(r"[^A-Za-z0-9._-]")

Schema = dict[str, Any]
Types = Mapping[str, NamedType]


def wire_name(p: Param) -> str:
    """What a client must send (`q`, not the documented `conditions`): OpenAPI names are wire names."""
    return p.wire_name or p.name


def param_schema(p: Param, types: Types) -> Schema:
    schema = _param_shape(p, types)
    if p.valid_values:
        target = schema["items"] if p.kind is Kind.LIST else schema
        _add_enum(target, p.valid_values)
    return schema


def _param_shape(p: Param, types: Types) -> Schema:
    if p.kind is Kind.LIST:
        items = _type_name_schema(p.element_type, types, timestamp=_param_timestamp) if p.element_type else None
        return {"type": "array", "items": items or {"type": "string"}}
    if p.kind is Kind.MAP:
        return {"type": "object", "additionalProperties": True}
    if p.kind is Kind.OBJECT:
        if p.children:
            return params_object(p.children, types)
        return _named_or_opaque(p.type, types, fallback={"type": "object", "x-zstack-type": p.type})
    if p.kind is Kind.NAMED:
        return _named_or_opaque(p.type, types, fallback={"x-zstack-type": p.type})
    if p.kind is Kind.TIMESTAMP:
        return _param_timestamp()
    return _scalar_kind_schema(p.kind, p.type)


def _param_timestamp() -> Schema:
    return {"type": "string", "format": "date-time"}


def params_object(params: Iterable[Param], types: Types) -> Schema:
    """An object whose properties are `params`, with a `required` list when any is required."""
    properties: dict[str, Schema] = {}
    required: list[str] = []
    for p in params:
        name = wire_name(p)
        if name in properties:
            continue  # shown twice on the page: keep the first
        prop = param_schema(p, types)
        if p.description:
            prop["description"] = p.description
        if name != p.name:
            prop["x-zstack-name"] = p.name
        properties[name] = prop
        if p.required:
            required.append(name)
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _add_enum(schema: Schema, values: list[str]) -> None:
    """`enum` typed like the schema; values that do not fit stay as documented, beside it."""
    coerced = [_coerce(v, schema.get("type")) for v in values]
    if any(v is None for v in coerced):
        schema["x-zstack-valid-values"] = list(values)
        return
    unique: list[Any] = []
    for value in coerced:
        if value not in unique:
            unique.append(value)
    schema["enum"] = unique


def _coerce(value: str, json_type: Any) -> Any:
    text = value.strip()
    if json_type == "integer":
        return int(text) if re.fullmatch(r"[-+]?\d+", text) else None
    if json_type == "number":
        try:
            return float(text)
        except ValueError:
            return None
    if json_type == "boolean":
        return {"true": True, "false": False}.get(text.lower())
    if json_type in ("string", None):
        return value
    return None  # arrays and objects cannot be listed as plain strings


def fields_object(fields: Iterable[ResponseField], types: Types) -> Schema:
    """An object of response fields; never a `required` list (the docs' labels are false)."""
    properties: dict[str, Schema] = {}
    for field in fields:
        properties.setdefault(field.name, _field_schema(field, types))
    return {"type": "object", "properties": properties}


def _field_schema(field: ResponseField, types: Types) -> Schema:
    schema = _field_shape(field, types)
    if field.description:
        schema["description"] = field.description
    return schema


def _field_shape(field: ResponseField, types: Types) -> Schema:
    ref = _registry_ref(field.ref, types)
    if field.kind is Kind.LIST:
        return {"type": "array", "items": ref or _list_items(field, types)}
    if field.kind is Kind.MAP:
        # A map's children are its values' fields (`Map` of ShellResult: returnCode, stdout, ...).
        value_schema = ref or (fields_object(field.children, types) if field.children else None)
        value_schema = value_schema or _type_name_schema(field.element_type, types, timestamp=_gson_date)
        return {"type": "object", "additionalProperties": value_schema if value_schema is not None else True}
    if ref is not None:
        return ref
    if field.kind is Kind.OBJECT:
        if field.children:
            return fields_object(field.children, types)
        return _named_or_opaque(field.type, types, fallback={"type": "object", "x-zstack-type": field.type})
    if field.kind is Kind.ENUM:
        values = field.enum_values or [child.name for child in field.children]
        schema: Schema = {"type": "string"}
        if values:
            _add_enum(schema, values)
        else:
            schema["x-zstack-type"] = field.type
        return schema
    if field.kind is Kind.NAMED:
        return _named_or_opaque(field.type, types, fallback={"x-zstack-type": field.type})
    if field.kind is Kind.TIMESTAMP:
        return _gson_date()
    schema = _scalar_kind_schema(field.kind, field.type)
    if field.enum_values and field.kind is Kind.STRING:
        _add_enum(schema, field.enum_values)
    return schema


def _list_items(field: ResponseField, types: Types) -> Schema:
    if field.children:
        return fields_object(field.children, types)
    items = _type_name_schema(field.element_type, types, timestamp=_gson_date)
    return items if items is not None else {}


def _gson_date() -> Schema:
    # Gson writes java.util.Date as "Nov 14, 2017 10:20:57 PM", not RFC 3339: no `format`.
    return {"type": "string", "x-zstack-format": GSON_DATE}


_SCALAR_TYPE_NAMES: dict[str, str] = {
    "string": "string",
    "char": "string",
    "character": "string",
    "int": "integer",
    "integer": "integer",
    "long": "integer",
    "short": "integer",
    "byte": "integer",
    "biginteger": "integer",
    "float": "number",
    "double": "number",
    "bigdecimal": "number",
    "number": "number",
    "boolean": "boolean",
}
_DATE_TYPE_NAMES = frozenset({"timestamp", "date", "java.sql.timestamp", "java.util.date"})
_MAP_TYPE_NAMES = frozenset({"map", "hashmap", "linkedhashmap", "treemap"})
_LIST_TYPE_NAMES = frozenset({"list", "arraylist", "set", "hashset", "collection"})

_KIND_JSON_TYPES: dict[Kind, str] = {
    Kind.STRING: "string",
    Kind.INTEGER: "integer",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "boolean",
}


def _scalar_kind_schema(kind: Kind, type_name: str) -> Schema:
    if kind in _KIND_JSON_TYPES:
        return {"type": _KIND_JSON_TYPES[kind]}
    if kind is Kind.BYTES:
        return _bytes_schema()
    if kind is Kind.ENUM:
        return {"type": "string", "x-zstack-type": type_name}
    return {}  # ANY (and any kind added later): no constraint rather than a wrong one


def _bytes_schema() -> Schema:
    # Gson writes byte[] as a JSON array of numbers, not base64.
    return {"type": "array", "items": {"type": "integer"}, "x-zstack-type": "byte[]"}


def _type_name_schema(name: str | None, types: Types, *, timestamp: Callable[[], Schema]) -> Schema | None:
    """The schema for a documented type name (a list's element type); None when unknown."""
    if not name:
        return None
    lowered = name.strip().lower()
    if lowered in _SCALAR_TYPE_NAMES:
        return {"type": _SCALAR_TYPE_NAMES[lowered]}
    if lowered in _DATE_TYPE_NAMES:
        return timestamp()
    if lowered in _MAP_TYPE_NAMES:
        return {"type": "object", "additionalProperties": True}
    if lowered in _LIST_TYPE_NAMES:
        return {"type": "array"}
    if lowered == "byte[]":
        return _bytes_schema()
    if lowered == "object":
        return {}
    return _named_or_opaque(name, types, fallback={"x-zstack-type": name})


def _registry_ref(name: str | None, types: Types) -> Schema | None:
    if name is None or name not in types:
        return None  # a dangling $ref would break every consumer; fall back to the inline shape
    return {"$ref": _SCHEMA_PREFIX + _component_key(name)}


def _named_or_opaque(name: str, types: Types, *, fallback: Schema) -> Schema:
    ref = _registry_ref(name, types)
    return ref if ref is not None else fallback


def _component_key(name: str) -> str:
    return _UNSAFE_COMPONENT_CHARS.sub("_", name)


def component_schemas(types: Types) -> dict[str, Schema]:
    schemas = {_component_key(name): _named_type_schema(types[name], types) for name in types}
    if _component_key(ERROR_CODE) not in schemas:
        schemas[_component_key(ERROR_CODE)] = _builtin_error_code()
    return {key: schemas[key] for key in sorted(schemas)}


def _named_type_schema(named: NamedType, types: Types) -> Schema:
    if named.kind == "enum":
        schema: Schema = {"type": "string"}
        if named.enum_values:
            _add_enum(schema, named.enum_values)
        if named.fields:  # some pages show the enum's Java fields instead (a `type-conflict` diagnostic)
            return {"anyOf": [schema, fields_object(named.fields, types)]}
        return schema
    return fields_object(named.fields, types)


def _builtin_error_code() -> Schema:
    """ErrorCode as every page shows it, for IRs that did not register it (the 503 body needs it)."""
    return {
        "type": "object",
        "properties": {
            "code": {"type": "string", "description": "The error code, e.g. SYS.1000."},
            "description": {"type": "string", "description": "The brief description of the error."},
            "details": {"type": "string", "description": "The details about the error."},
            "elaboration": {"type": "string"},
            "opaque": {"type": "object", "additionalProperties": True},
            "cause": {"$ref": _SCHEMA_PREFIX + _component_key(ERROR_CODE), "description": "The root error."},
        },
    }


def shared_responses() -> dict[str, Any]:
    return {
        ASYNC_JOB_RESPONSE: {
            "description": "Accepted: the operation runs as a job; poll `location` for its result.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "location": {"type": "string", "description": "URL of the job (/v1/api-jobs/{uuid})."},
                            "apiTimeout": {"type": "integer", "description": "The timeout of the API job."},
                        },
                    }
                }
            },
        },
        ERROR_RESPONSE: {
            "description": "Failure: the body carries the ErrorCode.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"error": {"$ref": _SCHEMA_PREFIX + _component_key(ERROR_CODE)}},
                    }
                }
            },
        },
    }
