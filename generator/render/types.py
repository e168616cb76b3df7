"""IR types -> Python annotations and model class definitions (all names and source text computed here).

Requests are strict (extra keys forbidden, documented `Required` honoured, `valid_values` as Literal);
responses are lenient (every field optional, extra keys kept, enums accept unknown values) because the
docs label every response field Required while their own examples omit most of them.

The wire quirks live in the runtime (`_runtime/wire.py`): integers as GsonInt (Gson writes `1.0`),
floats as GsonFloat, timestamps as ZStackDatetime, Map kinds as `dict[str, Any]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Final, TypeVar

from generator.ir.model import Kind, NamedType, Param, ResponseField
from generator.render.escape import doc_lines, py_str, valid_text
from generator.render.naming import NameAllocator, enum_member, field_attrs, pascal_case, safe_class

# Documented element/type names -> annotation source and the helper names it needs.
_SCALARS: Final[dict[Kind, tuple[str, str | None]]] = {
    Kind.STRING: ("str", None),
    Kind.INTEGER: ("GsonInt", "GsonInt"),
    Kind.NUMBER: ("GsonFloat", "GsonFloat"),
    Kind.BOOLEAN: ("bool", None),
    Kind.TIMESTAMP: ("ZStackDatetime", "ZStackDatetime"),
    Kind.MAP: ("dict[str, Any]", "Any"),
    Kind.ANY: ("Any", "Any"),
}
_JAVA_KINDS: Final[dict[str, Kind]] = {
    **dict.fromkeys(("String", "string", "char", "Character", "UUID"), Kind.STRING),
    **dict.fromkeys(
        ("int", "Integer", "integer", "long", "Long", "short", "Short", "BigInteger", "byte", "Byte"), Kind.INTEGER
    ),
    **dict.fromkeys(("double", "Double", "float", "Float", "BigDecimal", "number", "Number"), Kind.NUMBER),
    **dict.fromkeys(("boolean", "Boolean"), Kind.BOOLEAN),
    **dict.fromkeys(("Timestamp", "Date", "LocalDateTime"), Kind.TIMESTAMP),
    **dict.fromkeys(("Map", "HashMap", "LinkedHashMap", "TreeMap", "JSONObject", "Properties"), Kind.MAP),
    **dict.fromkeys(("Object", "object", "Serializable"), Kind.ANY),
}
_LIST_NAMES: Final[frozenset[str]] = frozenset({"List", "ArrayList", "Set", "HashSet", "Collection", "array"})
_GENERIC = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*<\s*(.*?)\s*>\s*$")
_INT_TEXT = re.compile(r"^-?\d+$")

T = TypeVar("T")


@dataclass(frozen=True)
class Ann:
    """An annotation's source text plus the names it needs in scope (classes of this SDK, helpers)."""

    text: str
    classes: frozenset[str] = frozenset()
    helpers: frozenset[str] = frozenset()
    lenient_union: bool = False  # an `Enum | str` union that must try the enum first

    def wrap(self, template: str) -> Ann:
        return Ann(template.format(self.text), self.classes, self.helpers, False)


ANY: Final[Ann] = Ann("Any", helpers=frozenset({"Any"}))
DICT: Final[Ann] = Ann("dict[str, Any]", helpers=frozenset({"Any"}))


@dataclass
class FieldDef:
    attr: str
    wire: str
    ann: Ann
    required: bool
    description: list[str]

    @property
    def annotation(self) -> str:
        """The full annotation: optional fields add `| None`; lenient unions are tried left to right."""
        text = self.ann.text
        if not self.required and text != "Any":
            text = f"{text} | None"
        if self.ann.lenient_union:
            text = f'Annotated[{text}, Field(union_mode="left_to_right")]'
        return text

    @property
    def field_args(self) -> list[str]:
        """Arguments of `Field(...)`: default, the wire name as alias, the documented description.

        Aliases are given as validation/serialization aliases rather than `alias=`, so type checkers
        keep the snake_case name as the constructor keyword.
        """
        args: list[str] = [] if self.required else ["default=None"]
        if self.wire != self.attr:
            args += [f"validation_alias={py_str(self.wire)}", f"serialization_alias={py_str(self.wire)}"]
        if self.description:
            args.append(f"description={py_str(' '.join(self.description))}")
        return args


@dataclass
class ClassDef:
    name: str
    base: str  # "RequestModel" | "ResponseModel" | "StrEnum"
    doc: list[str]
    fields: list[FieldDef] = field(default_factory=list)
    members: list[tuple[str, str]] = field(default_factory=list)  # enum: (MEMBER, literal source)
    signature: tuple[object, ...] = ()  # structure, for reusing identical inline classes

    @property
    def is_enum(self) -> bool:
        return self.base == "StrEnum"

    def dependencies(self) -> set[str]:
        return {name for f in self.fields for name in f.ann.classes}

    def helpers(self) -> set[str]:
        needed = {name for f in self.fields for name in f.ann.helpers}
        if any(f.ann.lenient_union for f in self.fields):
            needed.add("Annotated")
        return needed


class ModuleModels:
    """The classes of one generated module, in definition order (dependencies first where possible)."""

    def __init__(self, module: str, exported: Container[str]) -> None:
        self.module = module
        self.classes: list[ClassDef] = []
        self._names = NameAllocator(exported)
        self._inline: dict[tuple[str, tuple[object, ...]], str] = {}

    def add(self, cls: ClassDef) -> None:
        self.classes.append(cls)

    def inline_name(self, candidate: str, signature: tuple[object, ...]) -> tuple[str, bool]:
        """A name for an anonymous class; (name, True) when an identical class already exists here."""
        key = (candidate, signature)
        if key in self._inline:
            return self._inline[key], True
        name = self._names.claim(candidate)
        self._inline[key] = name
        return name, False

    def class_names(self) -> list[str]:
        return [c.name for c in self.classes]


def first_by_name(items: list[T], name: Callable[[T], str]) -> list[T]:
    """Items in order without later ones whose name was already seen (pages list some fields twice)."""
    seen: set[str] = set()
    unique: list[T] = []
    for item in items:
        if name(item) not in seen:
            seen.add(name(item))
            unique.append(item)
    return unique


def java_kind(type_name: str | None) -> Kind | None:
    if not type_name:
        return None
    generic = _GENERIC.match(type_name)
    base = generic.group(1).rsplit(".", 1)[-1] if generic else type_name.strip()
    if base in _LIST_NAMES:
        return Kind.LIST
    return _JAVA_KINDS.get(base)


def _generic_argument(type_name: str | None) -> str | None:
    """`List<String>` -> `String` (the only argument; maps and nested generics give None)."""
    match = _GENERIC.match(type_name or "")
    if not match or "," in match.group(2) or "<" in match.group(2):
        return None
    return match.group(2)


def scalar(kind: Kind) -> Ann | None:
    found = _SCALARS.get(kind)
    if found is None:
        return None
    text, helper = found
    return Ann(text, helpers=frozenset({helper}) if helper else frozenset())


def literal(values: list[str], kind: Kind) -> Ann | None:
    """`Literal[...]` of valid values; integers stay integers, other kinds get no Literal."""
    unique = list(dict.fromkeys(valid_text(v) for v in values))
    if not unique:
        return None
    if kind == Kind.INTEGER and all(_INT_TEXT.match(v) for v in unique):
        return Ann("Literal[" + ", ".join(str(int(v)) for v in unique) + "]", helpers=frozenset({"Literal"}))
    if kind in (Kind.STRING, Kind.ENUM, Kind.NAMED, Kind.LIST):
        return Ann("Literal[" + ", ".join(py_str(v) for v in unique) + "]", helpers=frozenset({"Literal"}))
    return None


def description_lines(text: str) -> list[str]:
    return doc_lines(text)


@dataclass
class TypeRegistry:
    """Named types (IR.types) -> class names and the module that defines each."""

    class_of: dict[str, str]
    module_of: dict[str, str]
    types: dict[str, NamedType]

    def named_ann(self, type_name: str | None) -> Ann | None:
        """The class of a registry type; enums as `Enum | str` so unknown values still parse."""
        if type_name is None or type_name not in self.class_of:
            return None
        cls = self.class_of[type_name]
        if self.types[type_name].kind == "enum":
            return Ann(f"{cls} | str", frozenset({cls}), lenient_union=True)
        return Ann(cls, frozenset({cls}))


class ResponseTypes:
    """Response annotations for one module: registry classes by reference, anonymous shapes as classes."""

    def __init__(self, registry: TypeRegistry, module: ModuleModels) -> None:
        self.registry = registry
        self.module = module

    def class_for(
        self,
        name: str,
        fields: list[ResponseField],
        doc: list[str],
        path: tuple[str, ...],
        ancestors: dict[str, str] | None = None,
    ) -> ClassDef:
        """A lenient model; `ancestors` maps documented type names being defined to their classes."""
        cls = ClassDef(name=name, base="ResponseModel", doc=doc)
        cls.fields = self._fields(fields, path, dict(ancestors or {}))
        return cls

    def _fields(self, fields: list[ResponseField], path: tuple[str, ...], ancestors: dict[str, str]) -> list[FieldDef]:
        """Every field optional; a page listing a field twice: the first one wins."""
        unique = first_by_name(fields, lambda rf: rf.name)
        attrs = field_attrs([rf.name for rf in unique])
        return [
            FieldDef(attr, valid_text(rf.name), self.annotation(rf, (*path, rf.name), ancestors), False,
                     description_lines(rf.description))
            for attr, rf in zip(attrs, unique, strict=True)
        ]  # fmt: skip

    def annotation(self, rf: ResponseField, path: tuple[str, ...], ancestors: dict[str, str]) -> Ann:
        by_ref = self.registry.named_ann(rf.ref)
        if by_ref is not None:
            return by_ref.wrap("list[{}]") if rf.kind == Kind.LIST else by_ref
        if rf.kind == Kind.LIST:
            return self._element(rf, path, ancestors).wrap("list[{}]")
        if rf.kind == Kind.MAP and rf.children:  # the children are the values' fields
            return self._object(rf, None, path, ancestors).wrap("dict[str, {}]")
        if rf.kind == Kind.ENUM:
            return self._inline_enum(rf)
        if rf.kind == Kind.BYTES:
            return Ann("list[GsonInt] | str", helpers=frozenset({"GsonInt"}), lenient_union=True)
        if rf.children or rf.kind in (Kind.OBJECT, Kind.NAMED):
            return self._object(rf, rf.type, path, ancestors)
        return scalar(rf.kind) or ANY

    def _inline_enum(self, rf: ResponseField) -> Ann:
        values = rf.enum_values or [c.name for c in rf.children]
        lit = literal(values, Kind.ENUM)
        if lit is None:
            return Ann("str")
        return Ann(f"{lit.text} | str", helpers=lit.helpers, lenient_union=True)

    def _element(self, rf: ResponseField, path: tuple[str, ...], ancestors: dict[str, str]) -> Ann:
        element = rf.element_type or _generic_argument(rf.type)
        if rf.children:
            return self._object(rf, element, path, ancestors)
        named = self.registry.named_ann(element)
        if named is not None:
            return named
        kind = java_kind(element)
        if kind is None or kind == Kind.LIST:
            return ANY
        return scalar(kind) or ANY

    def _object(
        self, rf: ResponseField, type_name: str | None, path: tuple[str, ...], ancestors: dict[str, str]
    ) -> Ann:
        named = self.registry.named_ann(type_name)
        if named is not None and not rf.children:
            return named
        if type_name and type_name in ancestors and not rf.children:
            cls = ancestors[type_name]  # recursion shown without children: the enclosing class
            return Ann(cls, frozenset({cls}))
        if not rf.children:
            return DICT
        candidate = self._candidate_name(type_name, path)
        signature = _response_signature(rf.children)
        name, exists = self.module.inline_name(candidate, signature)
        if not exists:
            inner = {**ancestors, **({type_name: name} if type_name else {})}
            inline = ClassDef(
                name=name, base="ResponseModel", doc=[f"The `{'.'.join(path)}` object."], signature=signature
            )
            inline.fields = self._fields(rf.children, path, inner)
            self.module.add(inline)
        return Ann(name, frozenset({name}))

    def _candidate_name(self, type_name: str | None, path: tuple[str, ...]) -> str:
        """Named from the documented class when there is one, else from the owner and field path."""
        if type_name and java_kind(type_name) is None and _GENERIC.match(type_name) is None:
            return safe_class(type_name.rsplit(".", 1)[-1])
        return safe_class("".join(pascal_case(p) for p in path))


def _response_signature(fields: list[ResponseField]) -> tuple[object, ...]:
    return tuple(
        (f.name, f.type, f.kind.value, f.ref, f.element_type, tuple(f.enum_values), _response_signature(f.children))
        for f in fields
    )


def named_type_class(named: NamedType, cls_name: str, types: ResponseTypes) -> ClassDef:
    """One class per registry type: a StrEnum for enums, a lenient model for objects."""
    doc = [f"The `{named.name}` type."]
    if named.kind == "enum":
        members = NameAllocator()
        cls = ClassDef(name=cls_name, base="StrEnum", doc=doc)
        for value in dict.fromkeys(valid_text(v) for v in named.enum_values):
            cls.members.append((members.claim(enum_member(value)), py_str(valid_text(value))))
        return cls
    return types.class_for(cls_name, named.fields, doc, (cls_name,), {named.name: cls_name})


# --- requests -------------------------------------------------------------------------------------


class RequestTypes:
    """Request annotations for one module; objects with documented children become strict classes."""

    def __init__(self, registry: TypeRegistry, module: ModuleModels) -> None:
        self.registry = registry
        self.module = module
        self.class_of: dict[int, str] = {}  # id(param) -> the class built for its children (for samples)
        self.field_of: dict[int, FieldDef] = {}  # id(param) -> its field (for samples)

    def annotation(self, param: Param, path: tuple[str, ...]) -> Ann:
        if param.kind == Kind.LIST:
            return self._element(param, path).wrap("list[{}]")
        if param.children and param.kind in (Kind.OBJECT, Kind.NAMED):
            return self._object(param, path)
        allowed = literal(param.valid_values, param.kind)
        if allowed is not None:
            return allowed
        if param.kind == Kind.NAMED:
            return self._named(param.type)
        if param.kind == Kind.OBJECT:
            return DICT
        if param.kind in (Kind.ENUM, Kind.BYTES):
            return Ann("str")
        return scalar(param.kind) or ANY

    def _named(self, type_name: str | None) -> Ann:
        """A class the request cannot describe: an enum's values as a Literal, anything else as Any."""
        named = self.registry.types.get(type_name or "")
        if named is not None and named.kind == "enum":
            return literal(named.enum_values, Kind.ENUM) or Ann("str")
        return ANY

    def _element(self, param: Param, path: tuple[str, ...]) -> Ann:
        if param.children:
            return self._object(param, path)
        allowed = literal(param.valid_values, Kind.LIST)
        if allowed is not None:
            return allowed
        element = param.element_type or _generic_argument(param.type)
        kind = java_kind(element)
        if kind is None:
            return self._named(element) if element else ANY
        if kind == Kind.LIST:
            return ANY
        return scalar(kind) or ANY

    def _object(self, param: Param, path: tuple[str, ...]) -> Ann:
        element = param.element_type or _generic_argument(param.type)
        type_name = element if param.kind == Kind.LIST else param.type
        if type_name and java_kind(type_name) is None and _GENERIC.match(type_name) is None:
            candidate = safe_class(type_name.rsplit(".", 1)[-1] + "Param")
        else:
            candidate = safe_class("".join(pascal_case(p) for p in path))
        signature = _request_signature(param.children)
        name, exists = self.module.inline_name(candidate, signature)
        self.class_of[id(param)] = name
        if not exists:
            self.module.add(self.class_for(name, param.children, [f"The `{'.'.join(path)}` object."], path, signature))
        return Ann(name, frozenset({name}))

    def class_for(
        self, name: str, params: list[Param], doc: list[str], path: tuple[str, ...], signature: tuple[object, ...] = ()
    ) -> ClassDef:
        cls = ClassDef(name=name, base="RequestModel", doc=doc, signature=signature)
        unique = first_by_name(params, lambda p: p.wire_name or p.name)
        attrs = field_attrs([p.name for p in unique], [p.wire_name or p.name for p in unique])
        for attr, param in zip(attrs, unique, strict=True):
            ann = self.annotation(param, (*path, param.name))
            cls.fields.append(
                FieldDef(
                    attr,
                    valid_text(param.wire_name or param.name),
                    ann,
                    param.required,
                    description_lines(param.description),
                )
            )
            self.field_of[id(param)] = cls.fields[-1]
        return cls


def _request_signature(params: list[Param]) -> tuple[object, ...]:
    return tuple(
        (
            p.name,
            p.type,
            p.kind.value,
            p.required,
            p.element_type,
            tuple(p.valid_values),
            _request_signature(p.children),
        )
        for p in params
    )
