"""Python names from documented names: snake_case attributes, PascalCase classes, safe and unique.

Doc names are untrusted text (camelCase mostly, but also `a.b`, `x-y`, `$`, digits first, CJK, empty).
Every name that reaches generated code goes through here, so it is always an ASCII identifier that is
not a keyword, does not shadow a builtin or a pydantic `BaseModel` attribute, and is unique in its scope.

The rules, in order (`tests/render/test_naming.py` holds them as a table):

1. Words: camelCase, acronyms and separators split (`vmInstanceUUID` -> `vm_instance_uuid`), except the
   product and protocol names written in one piece (`PRODUCT_WORDS`: `IPsec` -> `ipsec`, `vCenter` ->
   `vcenter`, `V2V` -> `v2v`) and plural acronyms (`IDs` -> `ids`), which stay one word.
2. ONE rule renames a reserved name: a trailing underscore (`type` -> `type_`, `schema` -> `schema_`).
   What is reserved depends on where the name goes: a model attribute avoids keywords, builtins (the
   class body would shadow them) and pydantic's names; a keyword argument only keywords and the names
   the method body uses (`argument_names`: `fields=`, `type=`, `json=` are fine arguments); a group
   attribute (also a module name) the model rules plus the client's own attributes (`login_`).
3. Groups whose labels differ only by case, spacing or punctuation are one group (`VIP Operations` /
   `Vip Operations` -> `vip`), named by the spelling most of its pages use (`canonical_groups`).
4. Collisions left after that get `_2`, `_3`, ... in declaration order, which is deterministic because
   the IR order is (the names are decided from the whole IR, never from the pages a build re-read).

The reserved lists are frozen literals, not `dir(builtins)`, so the output does not change with the
Python or pydantic version the generator happens to run on.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Mapping
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

# The hard keywords of Python 3.11 (soft keywords such as `match` and `type` are fine as argument names).
# fmt: off
HARD_KEYWORDS: Final[frozenset[str]] = frozenset(
    {
        "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
        "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
        "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
    }
)
# fmt: on

# What a generated method's body refers to by a lower-case name: an argument must not shadow them.
METHOD_BODY_NAMES: Final[frozenset[str]] = frozenset({"self", "request"})
RESERVED_ARGUMENTS: Final[frozenset[str]] = HARD_KEYWORDS | METHOD_BODY_NAMES

# Product and protocol names the docs write in one piece, as they spell them; snake_case keeps each one
# word (`CreateIPsecConnection` -> `create_ipsec_connection`, `vCenterUuid` -> `vcenter_uuid`). Found in
# the corpus' group labels, operation and field names; the first letter may be either case (`VCenter`).
# fmt: off
PRODUCT_WORDS: Final[tuple[str, ...]] = (
    "IPsec", "IPSec", "IPv4", "IPv6", "L2TP", "OAuth", "V2V", "XDragon", "ZBox", "ZOps", "ZStack", "ZWatch",
    "vCPU", "vCenter", "vRouter", "vSwitch", "3D",
)
# fmt: on

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


def _product_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    spellings = {name for word in names for name in (word, word[:1].swapcase() + word[1:])}
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=lambda s: (-len(s), s)))
    # Starts a word (after a non-letter, or a capital after a lower-case letter or digit) and ends one
    # (no lower-case letter follows, a plural aside: `vSwitches`): `VIPsec` is not a product word.
    return re.compile(rf"(?:(?<![A-Za-z0-9])|(?<=[a-z0-9])(?=[A-Z]))(?:{alternatives})(?:e?s)?(?![a-z])")


_PRODUCT = _product_pattern(PRODUCT_WORDS)
_PLURAL_ACRONYM = re.compile(r"(?<![A-Z])[A-Z]{2,}s(?![a-z])")  # `IDs`, `UUIDs`, `VMs`
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


def words(text: str, *, whole: bool = False) -> list[str]:
    """`vmInstanceUUID2Name` -> ['vm', 'Instance', 'UUID2', 'Name']: camelCase and separators split.

    With `whole`, product words and plural acronyms stay one (lower-cased) word: `GetZWatchIDs` ->
    ['Get', 'zwatch', 'ids'] (snake_case and enum members; class names keep the documented capitals).
    """
    folded = ascii_fold(text)
    if whole:
        folded = _PLURAL_ACRONYM.sub(_own_word, _PRODUCT.sub(_own_word, folded))
    spaced = _WORD_BOUNDARY.sub(r"\1 \2", _ACRONYM_BOUNDARY.sub(r"\1 \2", folded))
    return [w for w in _NON_IDENT.split(spaced) if w]


def _own_word(match: re.Match[str]) -> str:
    return f" {match.group(0).lower()} "


def snake_case(text: str, *, fallback: str = "field") -> str:
    """`vmInstanceUuid` -> `vm_instance_uuid`; always a lower-case ASCII identifier, never empty.

    Digits first get an `n` prefix (`3par` -> `n3par`), names without ASCII letters a hash
    (`名称` -> `field_1a2b3c4d`), so neither ever produces a leading underscore (private in pydantic).
    """
    parts = [w.lower() for w in words(text, whole=True)]
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
    name = "_".join(w.upper() for w in words(value, whole=True))
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


def group_key(group: str) -> str:
    """What two spellings of one docs group share: `VIP Operations`, `Vip Operations`, `V.I.P` -> `vip`."""
    return re.sub(r"[\W_]+", "", group_words(group).casefold()) or group


def canonical_groups(counts: Mapping[str, int]) -> dict[str, str]:
    """Each documented group label (-> its number of operations) -> the label of the group it is part of:
    labels that differ only by case, spacing or punctuation are one group, named by the spelling most
    of its operations use (ties: the first in code-point order, so `VM` before `Vm`)."""
    spellings: dict[str, list[str]] = {}
    for label in sorted(counts):
        spellings.setdefault(group_key(label), []).append(label)
    canonical: dict[str, str] = {}
    for labels in spellings.values():
        chosen = min(labels, key=lambda label: (-counts[label], label))
        canonical.update(dict.fromkeys(labels, chosen))
    return dict(sorted(canonical.items()))


def group_attrs(groups: Iterable[str], reserved: Container[str] = frozenset()) -> dict[str, str]:
    """Client attribute (and module name) of each group, in sorted order: a name in `reserved` (the
    client's own attributes, the package's modules) gets the trailing underscore like any reserved name
    (`Login Operations` -> `login_`); only two groups left with one name are numbered."""
    allocated = NameAllocator()
    attrs: dict[str, str] = {}
    for group in sorted(groups):
        attr = group_attr(group)
        attrs[group] = allocated.claim(f"{attr}_" if attr in reserved else attr)
    return attrs


def argument_names(doc_names: list[str], attrs: list[str]) -> list[str]:
    """Keyword arguments of a method whose request model names the documented `doc_names` `attrs`:
    each the attribute, less the trailing underscore that only the model needed (`fields_` ->
    `fields`, `type_` -> `type`), unless the bare name is a keyword, something the method body uses
    or another argument. Where two documented names share the bare name (`type`, `type_`), the
    attributes' resolution of the collision (`type_2`, `type_`) stands."""
    bares = [snake_case(doc_name) for doc_name in doc_names]
    shared = Counter(bares)
    taken = set(attrs)
    names: list[str] = []
    for bare, attr in zip(bares, attrs, strict=True):
        if attr == f"{bare}_" and bare not in RESERVED_ARGUMENTS and bare not in taken and shared[bare] == 1:
            taken.add(bare)
            attr = bare
        names.append(attr)
    return names


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
