"""Render units: the pieces of the SDK a build can reuse from the previous build instead of rendering.

A unit is one docs group (its models module, its API module, its operations' fixtures), one
registry-type module, or the package-wide files (client, README, generated tests, lazy `__init__`s).
Everything a unit's files depend on is known before it is planned, except one thing, so a unit is
found again by two checks:

1. its key: a digest of the unit's own inputs (its endpoints or types, the names `SdkNames` gave
   them) and of every registry type it can reach (class name, module, content);
2. the exported names its anonymous classes had to avoid. Those are allocated against the names of
   the whole SDK, so the unit records which names it asked about (`RecordingNames`) and whether
   they were taken; the record holds as long as the same answers come back.

A group also leaves a summary (`GroupSummary`): what the package-wide files need to know about it,
so those are rendered (or found again, keyed by all the summaries) without planning the groups again.

The memo (`RenderMemo`) lives in the build cache; a build with no memo renders everything, and
`tests/build/test_incremental_render.py` checks that a memo never changes the output.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.ir.model import Endpoint, NamedType, Param, ResponseField
from generator.render.plan import GroupPlan, SdkNames

UNIT_FORMAT = 1  # bump when what a unit stores changes shape
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w.$]*")


# --- what package-wide files need from a unit -------------------------------------------------------


@dataclass(frozen=True)
class ArgumentSummary:
    argument: str  # the method's keyword argument
    sample: str  # Python source of the generated test's value
    required: bool
    imports: tuple[str, ...]  # what the sample needs ("datetime", "class:Name")


@dataclass(frozen=True)
class OperationSummary:
    operation_id: str
    method_name: str
    http_method: str
    path: str  # below the context path
    is_query: bool
    request_class: str | None
    response_class: str
    arguments: tuple[ArgumentSummary, ...]  # in signature order: required first

    @property
    def required_count(self) -> int:
        return sum(1 for a in self.arguments if a.required)

    @property
    def fixture_file(self) -> str:
        """`<Name>.json`: the response class's stem (always a safe file name)."""
        return f"{self.response_class.removesuffix('Response')}.json"


@dataclass(frozen=True)
class GroupSummary:
    name: str
    attr: str
    api_class: str
    async_class: str
    operations: tuple[OperationSummary, ...]
    defined: tuple[str, ...]  # every class of the group's models module
    labels: tuple[str, ...] = ()  # every documented spelling of the group's name

    @property
    def module(self) -> str:
        return f"models.{self.attr}"

    @property
    def doc(self) -> list[str]:
        from generator.render.escape import doc_lines

        count = len(self.operations)
        return doc_lines(f"{self.name}: {count} operation{'s' if count != 1 else ''}.")

    def to_json(self) -> dict[str, Any]:
        """As `dataclasses.asdict` would give it (written out: asdict's deep copy is slow)."""
        return {
            "name": self.name,
            "attr": self.attr,
            "api_class": self.api_class,
            "async_class": self.async_class,
            "operations": [
                {
                    "operation_id": op.operation_id,
                    "method_name": op.method_name,
                    "http_method": op.http_method,
                    "path": op.path,
                    "is_query": op.is_query,
                    "request_class": op.request_class,
                    "response_class": op.response_class,
                    "arguments": [
                        {"argument": a.argument, "sample": a.sample, "required": a.required, "imports": list(a.imports)}
                        for a in op.arguments
                    ],
                }
                for op in self.operations
            ],
            "defined": list(self.defined),
            "labels": list(self.labels),
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> GroupSummary:
        def argument(a: dict[str, Any]) -> ArgumentSummary:
            return ArgumentSummary(**{**a, "imports": tuple(a["imports"])})

        operations = tuple(
            OperationSummary(**{**op, "arguments": tuple(argument(a) for a in op["arguments"])})
            for op in data["operations"]
        )
        return GroupSummary(
            **{**data, "operations": operations, "defined": tuple(data["defined"]), "labels": tuple(data["labels"])}
        )


def summarize_group(group: GroupPlan) -> GroupSummary:
    operations = tuple(
        OperationSummary(
            operation_id=op.operation_id,
            method_name=op.method_name,
            http_method=op.http_method,
            path=op.path,
            is_query=op.is_query,
            request_class=op.request_class,
            response_class=op.response_class,
            arguments=tuple(
                ArgumentSummary(p.argument, p.sample.source, p.field.required, tuple(sorted(p.sample.imports)))
                for p in op.signature_params
            ),
        )
        for op in group.operations
    )
    return GroupSummary(
        group.name,
        group.attr,
        group.api_class,
        group.async_class,
        operations,
        tuple(group.models.class_names()),
        tuple(group.labels),
    )


# --- the names a unit asked about ---------------------------------------------------------------------


class RecordingNames:
    """The exported names, answering `in` and remembering each question and its answer."""

    def __init__(self, names: Container[str]) -> None:
        self._names = names
        self.asked: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        found = name in self._names
        if isinstance(name, str):
            self.asked[name] = found
        return found


def same_answers(asked: dict[str, bool], names: Container[str]) -> bool:
    return all((name in names) == found for name, found in asked.items())


# --- keys ---------------------------------------------------------------------------------------------


def _digest(parts: list[Any]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def _model_digest(model: Endpoint | NamedType, exclude: set[str] | None = None) -> str:
    return hashlib.sha256(model.model_dump_json(exclude=exclude).encode("utf-8", "surrogatepass")).hexdigest()


# What the renderer never reads of a registry type: who uses it and where it was seen.
_TYPE_BOOKKEEPING = {"used_by", "sources"}

TypeNodes = list[tuple[str | None, str | None, str | None, bool]]
# id(endpoint) -> (the endpoint, sha256 of the JSON it was read from); the endpoint is kept so that an
# id reused by another object after the first was freed cannot match.
EndpointDigests = Mapping[int, tuple[Endpoint, str]]


def _type_nodes(endpoint: Endpoint) -> TypeNodes:
    """(type, ref, element type, inferred?) of every parameter and response field, depth first."""
    nodes: TypeNodes = []

    def params(items: Iterable[Param]) -> None:
        for p in items:
            nodes.append((p.type, None, p.element_type, False))
            params(p.children)

    def fields(items: list[ResponseField]) -> None:
        for rf in items:
            nodes.append((rf.type, rf.ref, rf.element_type, rf.element_type_inferred))
            fields(rf.children)

    params(endpoint.all_params())
    fields(endpoint.response.fields)
    return nodes


def _mentioned(nodes: TypeNodes, types: Container[str]) -> set[str]:
    """The registry types named by the nodes: as they are, or as a generic's argument (`List<X>`)."""
    found: set[str] = set()
    for node in nodes:
        for text in node[:3]:
            if not isinstance(text, str) or not text:
                continue
            if text in types:
                found.add(text)
            if "<" in text:
                found.update(name for name in _IDENTIFIER.findall(text) if name in types)
    return found


def endpoint_part(endpoint: Endpoint, digest: str) -> list[str]:
    """An endpoint read from JSON with this digest, as assembling the IR left it: the digest and the
    registry types its nodes refer to (its group is the caller's to add)."""
    return [digest, repr(_type_nodes(endpoint))]


class UnitKeys:
    """The key of each unit of one SDK (see the module docstring).

    `endpoint_digests` (id(endpoint) -> sha256 of the JSON it was read from, e.g. the scrape cache
    entry) spares serializing every endpoint again. Assembling the IR changes an endpoint after it
    was read in two ways only, both part of the key: its group, and the registry types it refers to
    (`ref`, `element_type` of response fields, in the type nodes).
    """

    def __init__(self, names: SdkNames, context: str, endpoint_digests: EndpointDigests | None = None) -> None:
        self.names = names
        self.context = context  # what every unit depends on: the generator, the package name
        self.endpoint_digests = endpoint_digests or {}
        self._types: dict[str, str] = {}  # type name -> digest, made when first needed

    def _reachable(self, roots: set[str]) -> set[str]:
        seen: set[str] = set()
        pending = list(roots)
        while pending:
            name = pending.pop()
            if name not in seen:
                seen.add(name)
                pending.extend(self.names.graph.get(name, ()))
        return seen

    def _types_part(self, names: set[str]) -> list[list[str]]:
        registry = self.names.registry
        return [[n, registry.class_of[n], registry.module_of[n], self._type_digest(n)] for n in sorted(names)]

    def _type_digest(self, name: str) -> str:
        digest = self._types.get(name)
        if digest is None:
            digest = self._types[name] = _model_digest(self.names.registry.types[name], _TYPE_BOOKKEEPING)
        return digest

    def _endpoint_part(self, endpoint: Endpoint, nodes: TypeNodes) -> list[str]:
        known = self.endpoint_digests.get(id(endpoint))
        if known is None or known[0] is not endpoint:
            return [_model_digest(endpoint)]
        return [known[1], repr(nodes)]

    def group(self, g: str) -> str:
        names = self.names
        parts: list[list[str]] = []
        mentioned: set[str] = set()
        for endpoint in names.by_group[g]:
            nodes = _type_nodes(endpoint)
            mentioned |= _mentioned(nodes, names.registry.types)
            parts.append([*self._endpoint_part(endpoint, nodes), *names.op_names[id(endpoint)]])
        return _digest(
            [
                "group",
                self.context,
                g,
                names.group_attrs[g],
                names.api_classes[g],
                names.async_classes[g],
                parts,
                self._types_part(self._reachable(mentioned)),
            ]
        )

    def package_files(self, summaries: list[dict[str, Any]]) -> str:
        registry = self.names.registry
        classes = sorted((registry.class_of[n], registry.module_of[n]) for n in registry.types)
        return _digest(["package", self.context, self.names.package, summaries, classes])

    def type_module(self, component: list[str]) -> str:
        module = self.names.registry.module_of[component[0]]
        return _digest(["types", self.context, module, component, self._types_part(self._reachable(set(component)))])


# --- the memo -----------------------------------------------------------------------------------------


@dataclass
class UnitRecord:
    """A rendered unit as the memo keeps it."""

    files: dict[str, str]  # relative path -> final text
    asked: dict[str, bool]  # exported names asked about -> taken?
    sources: list[str]  # digests of the modules' unformatted sources (keeps the format memo alive)
    summary: dict[str, Any] | None = None  # GroupSummary.to_json() for groups

    def to_bytes(self) -> bytes:
        """A JSON header line, then the files' text as they are (JSON-escaping source code makes it
        several times slower to read back)."""
        bodies = [text.encode("utf-8", "surrogatepass") for text in self.files.values()]
        header = {
            "format": UNIT_FORMAT,
            "files": [[path, len(body)] for path, body in zip(self.files, bodies, strict=True)],
            "asked": self.asked,
            "sources": self.sources,
            "summary": self.summary,
        }
        return b"".join([json.dumps(header, ensure_ascii=True).encode("ascii"), b"\n", *bodies])

    @staticmethod
    def from_bytes(data: bytes) -> UnitRecord | None:
        """The record, or None for anything that is not one written by `to_bytes`."""
        line, _, rest = data.partition(b"\n")
        try:
            header = json.loads(line)
            if not isinstance(header, dict) or header.get("format") != UNIT_FORMAT:
                return None
            files: dict[str, str] = {}
            offset = 0
            for path, size in header["files"]:
                files[str(path)] = rest[offset : offset + int(size)].decode("utf-8", "surrogatepass")
                offset += int(size)
            if offset != len(rest):
                return None
            summary = header.get("summary")
            return UnitRecord(
                files=files,
                asked={str(k): bool(v) for k, v in dict(header["asked"]).items()},
                sources=[str(s) for s in header["sources"]],
                summary=summary if isinstance(summary, dict) else None,
            )
        except (ValueError, TypeError, KeyError):
            return None


def _nothing(key: str) -> UnitRecord | None:
    return None


@dataclass
class RenderMemo:
    """Units of earlier builds (`load` reads one by key), and the units this build used (`used`):
    reused as they were, or rendered afresh (`fresh`). A fresh unit holds its files' final text once
    the build has formatted them (`complete`)."""

    load: Callable[[str], UnitRecord | None] = _nothing
    endpoint_digests: EndpointDigests = field(default_factory=dict)  # see UnitKeys
    used: dict[str, UnitRecord] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    keys: dict[str, str] = field(default_factory=dict)  # "group:<name>" / "package" -> its key this build

    @property
    def reused(self) -> int:
        return len(self.used) - len(self.fresh)

    def lookup(self, key: str, names: Container[str]) -> UnitRecord | None:
        record = self.used.get(key) or self.load(key)
        if record is None or not same_answers(record.asked, names):
            return None
        self.used[key] = record
        return record

    def keep(self, key: str, record: UnitRecord) -> None:
        self.used[key] = record
        self.fresh.add(key)

    def complete(self, files: Mapping[str, str | bytes]) -> None:
        """Fill the fresh units' files with their final (formatted) text."""
        for key in self.fresh:
            record = self.used[key]
            for path in record.files:
                text = files.get(path)
                record.files[path] = text if isinstance(text, str) else ""


__all__ = [
    "EndpointDigests",
    "GroupSummary",
    "OperationSummary",
    "RecordingNames",
    "RenderMemo",
    "UnitKeys",
    "UnitRecord",
    "summarize_group",
]
