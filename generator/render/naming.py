"""Python names from documented names: snake_case attributes, PascalCase classes, safe and unique.

Doc names are untrusted text (camelCase mostly, but also `a.b`, `x-y`, `$`, digits first, CJK, empty).
Every name that reaches generated code goes through here, so it is always an ASCII identifier that is
not a keyword, does not shadow a builtin or a pydantic `BaseModel` attribute, and is unique in its scope.

ONE rule renames a reserved name: a trailing underscore (`type` -> `type_`, `schema` -> `schema_`).
Collisions left after that get `_2`, `_3`, ... in declaration order, which is deterministic because the
IR order is. The reserved lists are frozen literals, not `dir(builtins)`, so the output does not change
with the Python or pydantic version the generator happens to run on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container, Iterable
from typing import Final

# Python 3.11 builtins (public names), frozen so generated names never depend on the running interpreter.
# fmt: off
BUILTINS: Final[frozenset[str]] = frozenset(
    {
        "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes", "callable",
        "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr", "dict", "dir", "divmod",
        "enumerate", "eval", "exec", "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr",
        "hash", "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license", "list",
        "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property",
        "quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted", "staticmethod", "str", "sum",
        "super", "tuple", "type", "vars", "zip",
    }
)
# fmt: on

# Attributes of pydantic's BaseModel (v2, including the deprecated v1 names it still defines, and `mro`,
# which every class has from `type`) and names pydantic refuses or warns about. `model_*` is reserved
# as a whole prefix (see is_reserved_attr).
# fmt: off
BASEMODEL_ATTRS: Final[frozenset[str]] = frozenset(
    {
        "construct", "copy", "dict", "fields", "from_orm", "json", "mro", "parse_file", "parse_obj", "parse_raw",
        "schema", "schema_json", "update_forward_refs", "validate",
    }
)
# fmt: on

# Names the generated method bodies and signatures use themselves.
SIGNATURE_NAMES: Final[frozenset[str]] = frozenset({"self", "cls", "request", "annotations"})

# Python 3.11 keywords and soft keywords (plus `type`, soft from 3.12), frozen like BUILTINS.
# fmt: off
KEYWORDS: Final[frozenset[str]] = frozenset(
    {
        "False", "None", "True", "_", "and", "as", "assert", "async", "await", "break", "case", "class", "continue",
        "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is",
        "lambda", "match", "nonlocal", "not", "or", "pass", "raise", "return", "try", "type", "while", "with", "yield",
    }
)
# fmt: on

RESERVED_ATTRS: Final[frozenset[str]] = KEYWORDS | BUILTINS | BASEMODEL_ATTRS | SIGNATURE_NAMES

# Class names the generated modules import or define themselves; a doc type with one of these
# names must not shadow them.
# fmt: off
RESERVED_CLASSES: Final[frozenset[str]] = frozenset(
    {
        "Annotated", "Any", "AsyncBaseClient", "AsyncClient", "AsyncTransport", "BaseClient", "BaseModel", "Client",
        "ConfigDict", "FakeZStack", "False", "Field", "GsonFloat", "GsonInt", "Literal", "None", "OperationSpec",
        "ParamSpec", "RequestModel", "ResponseModel", "StrEnum", "SyncTransport", "TYPE_CHECKING", "True", "WireModel",
        "ZStackDatetime", "ZStackError",
    }
)
# fmt: on

_ACRONYM_BOUNDARY = re.compile(r"([A-Z]+)([A-Z][a-z])")
_WORD_BOUNDARY = re.compile(r"([a-z0-9])([A-Z])")
_NON_IDENT = re.compile(r"[^A-Za-z0-9]+")


def ascii_fold(text: str) -> str:
    """Latin letters with accents become plain ASCII; everything else non-ASCII is dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _fallback(text: str, prefix: str) -> str:
    """A stable name for text with no ASCII letters (CJK names): prefix + a short hash of the text."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}{digest}" if text else prefix


def words(text: str) -> list[str]:
    """`vmInstanceUUID2Name` -> ['vm', 'Instance', 'UUID2', 'Name']: camelCase and separators split."""
    spaced = _WORD_BOUNDARY.sub(r"\1 \2", _ACRONYM_BOUNDARY.sub(r"\1 \2", ascii_fold(text)))
    return [w for w in _NON_IDENT.split(spaced) if w]


def snake_case(text: str, *, fallback: str = "field") -> str:
    """`vmInstanceUuid` -> `vm_instance_uuid`; always a lower-case ASCII identifier, never empty.

    Digits first get an `n` prefix (`3par` -> `n3par`), names without ASCII letters a hash
    (`名称` -> `field_1a2b3c4d`), so neither ever produces a leading underscore (private in pydantic).
    """
    parts = [w.lower() for w in words(text)]
    name = "_".join(parts)
    if not name:
        return _fallback(text, f"{fallback}_") if text else fallback
    if name[0].isdigit():
        name = f"n{name}"
    return name


def pascal_case(text: str, *, fallback: str = "Model") -> str:
    """`vm-instance inventory` -> `VmInstanceInventory`; keeps inner capitals (`VmNicInventory`)."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text))
    if not name:
        return _fallback(text, fallback) if text else fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    return name


def is_reserved_attr(name: str) -> bool:
    return name in RESERVED_ATTRS or name.startswith("model_")


def safe_attr(text: str, *, fallback: str = "field") -> str:
    """A snake_case attribute name that is safe on a pydantic model and as a keyword argument."""
    name = snake_case(text, fallback=fallback)
    return f"{name}_" if is_reserved_attr(name) else name


def safe_class(text: str, *, fallback: str = "Model") -> str:
    name = pascal_case(text, fallback=fallback)
    return f"{name}_" if name in RESERVED_CLASSES or name in KEYWORDS else name


def enum_member(value: str) -> str:
    """`hot-plug` -> `HOT_PLUG`, `1` -> `V_1`, `` -> `EMPTY`: an upper-case enum member name."""
    if value == "":
        return "EMPTY"
    name = "_".join(w.upper() for w in words(value))
    if not name:
        return _fallback(value, "V_").upper()
    if name[0].isdigit() or name in {"NAME", "VALUE", "MRO"}:
        name = f"V_{name}"
    return name


def group_words(group: str) -> str:
    """The docs group without its `Operations` suffix: `VM Instance Operations` -> `VM Instance`."""
    stripped = re.sub(r"\s*(Operations|APIs?)\s*$", "", group.strip(), flags=re.IGNORECASE)
    return stripped or group


MAX_MODULE_NAME = 60


def bounded_module_name(name: str) -> str:
    """A module name short enough for any file system: long ones keep a prefix and a hash of the rest."""
    if len(name) <= MAX_MODULE_NAME:
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{name[: MAX_MODULE_NAME - 9].rstrip('_')}_{digest}"


def group_attr(group: str) -> str:
    """`VM Instance Operations` -> `vm_instance` (the Client attribute and the module name)."""
    return bounded_module_name(safe_attr(group_words(group), fallback="group"))


def group_class(group: str) -> str:
    """`VM Instance Operations` -> `VmInstanceApi`."""
    parts = [w.lower() for w in words(group_words(group))]
    base = "".join(p[:1].upper() + p[1:] for p in parts) or _fallback(group, "Group")
    if base[0].isdigit():
        base = f"Group{base}"
    return f"{base}Api"


class NameAllocator:
    """Hands out unique names in one scope: the first claimant keeps its name, later ones get `_2`, `_3`."""

    def __init__(self, taken: Iterable[str] | Container[str] = ()) -> None:
        # A set (or any container) handed in is shared, not copied: thousands of modules start from the
        # same exports, and a copy each cost gigabytes at 10,000 pages. It is only read, never added to.
        self._shared: Container[str] = taken if isinstance(taken, Container) else frozenset(taken)
        self._taken: set[str] = set()

    def _used(self, name: str) -> bool:
        return name in self._taken or name in self._shared

    def claim(self, name: str, avoid: frozenset[str] | set[str] = frozenset()) -> str:
        """`name`, or the first free `name_2`, `name_3`...; names in `avoid` are never handed out."""
        if not self._used(name) and name not in avoid:
            self._taken.add(name)
            return name
        stem = name.rstrip("_") or name
        n = 2
        while self._used(f"{stem}_{n}") or f"{stem}_{n}" in avoid:
            n += 1
        unique = f"{stem}_{n}"
        self._taken.add(unique)
        return unique

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._used(name)


def field_attrs(names: list[str], wires: list[str] | None = None) -> list[str]:
    """Attribute names for a model's fields (documented names, in order): safe, unique, and never the
    wire name of another field.

    pydantic looks a field up by its alias before its name, so an attribute spelled like another
    field's wire name (`vm_uuid` next to a documented `vm_uuid`) would take that field's value.
    """
    wires = names if wires is None else wires
    all_wires = set(wires)
    allocated = NameAllocator()
    return [allocated.claim(safe_attr(name), avoid=all_wires - {wire}) for name, wire in zip(names, wires, strict=True)]
