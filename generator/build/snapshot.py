"""The snapshot a full build leaves for the next patch build (see patch.py)."""

from __future__ import annotations

import functools
import json
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.build.keys import build_key
from generator.config import BuildConfig

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from generator.build.documents import Skeleton
    from generator.ir.model import Diagnostic, NamedType
    from generator.render.plan import SdkNames
    from generator.render.units import RenderMemo


SNAPSHOT_FORMAT = 4


SNAPSHOT_FILE, SNAPSHOT_PAGES_FILE = "snapshot.pack", "snapshot.json"


MAX_PATCHED_PAGES = 16  # more changed pages than this: a full build (it is about as quick then)


@functools.cache
def types_adapter() -> TypeAdapter[dict[str, NamedType]]:
    """The registry types as JSON, by pydantic's own (Rust) reader and writer."""
    from pydantic import TypeAdapter

    from generator.ir.model import NamedType

    return TypeAdapter(dict[str, NamedType])


@dataclass
class PageRecord:
    digest: str  # sha256 of the page's bytes
    kind: str  # "endpoint" or "diagnostic"
    entry: str  # sha256 of its scrape result's JSON
    operation: str  # the operation id ("" for a diagnostic)
    kept: bool  # its endpoint is the one in the IR (not a duplicate left out)


@dataclass
class Snapshot:
    """What the last full build decided. On disk in two parts: what only a full build changes
    (`snapshot.pack`: names, types, the documents' skeletons) and what a patch build updates too
    (`snapshot.json`: pages, fragments, units), tied together by `id`."""

    key: str  # the code and settings it was made with
    pages: dict[str, PageRecord]
    groups: dict[str, list[str]]  # group -> operation ids, in planning order
    fragments: dict[str, str]  # operation id -> the documents' memo key of its fragments
    units: dict[str, str]  # "group:<name>" / "package" -> unit key
    names: dict[str, Any]  # SdkNames.to_json()
    types: bytes  # registry types, as JSON (read with `types_adapter`)
    report: dict[str, Any]  # operations, groups, types, failed pages
    skeletons: tuple[Skeleton, Skeleton]  # IR, OpenAPI; their keys follow `fragments`
    skeleton_operations: tuple[list[str], list[str]]  # the operation behind each placeholder
    summaries: dict[str, dict[str, Any]]  # group -> its GroupSummary as JSON (the package files need them)
    types_key: str  # what the document fragments' keys end with (generator.build.documents.types_key)
    lined_files: set[str]  # pages whose response fields' lines the IR records outside their endpoint
    id: str = field(default_factory=lambda: secrets.token_hex(8))

    def fill_keys(self) -> None:
        for skeleton, operations in zip(self.skeletons, self.skeleton_operations, strict=True):
            skeleton.keys = [self.fragments[operation] for operation in operations]

    def static_bytes(self) -> bytes:
        """A JSON header line, then the two skeletons' text and the types' JSON as they are."""
        raw = [skeleton.text.encode("utf-8", "surrogatepass") for skeleton in self.skeletons] + [self.types]
        header = {
            "format": SNAPSHOT_FORMAT,
            "id": self.id,
            "key": self.key,
            "groups": self.groups,
            "names": self.names,
            "types_key": self.types_key,
            "lined_files": sorted(self.lined_files),
            "skeletons": [
                [s.nonce, s.part, ops] for s, ops in zip(self.skeletons, self.skeleton_operations, strict=True)
            ],
            "sizes": [len(part) for part in raw],
        }
        return b"".join([json.dumps(header, ensure_ascii=True).encode("ascii"), b"\n", *raw])

    def dynamic_bytes(self) -> bytes:
        return json.dumps(
            {
                "format": SNAPSHOT_FORMAT,
                "id": self.id,
                "pages": {name: [r.digest, r.kind, r.entry, r.operation, r.kept] for name, r in self.pages.items()},
                "fragments": self.fragments,
                "units": self.units,
                "summaries": self.summaries,
                "report": self.report,
            },
            ensure_ascii=True,
        ).encode("ascii")

    @staticmethod
    def from_bytes(static: bytes, dynamic: bytes) -> Snapshot | None:
        from generator.build.documents import Skeleton

        line, _, rest = static.partition(b"\n")
        try:
            header, changing = json.loads(line), json.loads(dynamic)
            if header.get("format") != SNAPSHOT_FORMAT or changing.get("id") != header.get("id"):
                return None
            raw: list[bytes] = []
            offset = 0
            for size in header["sizes"]:
                raw.append(rest[offset : offset + int(size)])
                offset += int(size)
            if offset != len(rest) or len(raw) != 3 or len(header["skeletons"]) != 2:
                return None
            skeletons = tuple(
                Skeleton(text.decode("utf-8", "surrogatepass"), str(nonce), [], int(part))
                for (nonce, part, _), text in zip(header["skeletons"], raw, strict=False)
            )
            operations = tuple([str(op) for op in ops] for _, _, ops in header["skeletons"])
            snapshot = Snapshot(
                header["key"],
                {str(name): PageRecord(*record) for name, record in changing["pages"].items()},
                header["groups"],
                changing["fragments"],
                changing["units"],
                header["names"],
                raw[2],
                changing["report"],
                (skeletons[0], skeletons[1]),
                (operations[0], operations[1]),
                changing["summaries"],
                header["types_key"],
                set(header["lined_files"]),
                header["id"],
            )
            snapshot.fill_keys()
            return snapshot
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeDecodeError):
            return None


def load_snapshot(cache: BuildCache) -> Snapshot | None:
    if not cache.read:
        return None
    try:
        static = (cache.root / SNAPSHOT_FILE).read_bytes()
        dynamic = (cache.root / SNAPSHOT_PAGES_FILE).read_bytes()
    except OSError:
        return None
    return Snapshot.from_bytes(static, dynamic)


def save_snapshot(cache: BuildCache, snapshot: Snapshot | None, *, whole: bool = True) -> None:
    """Write it (`whole=False`: only what a patch build changes), or (None) remove the last one: a build
    that could not make one must not leave it stale."""
    if snapshot is None:
        (cache.root / SNAPSHOT_PAGES_FILE).unlink(missing_ok=True)
        (cache.root / SNAPSHOT_FILE).unlink(missing_ok=True)
        return
    if whole:
        cache.write_file(SNAPSHOT_FILE, snapshot.static_bytes())
    cache.write_file(SNAPSHOT_PAGES_FILE, snapshot.dynamic_bytes())


def make_snapshot(
    config: BuildConfig,
    pages: dict[str, PageRecord],
    names: SdkNames | None,
    types: dict[str, NamedType],
    diagnostics: list[Diagnostic],
    memo: RenderMemo,
    skeletons: tuple[Skeleton, Skeleton] | None,
    report: dict[str, Any],
) -> Snapshot | None:
    """What a full build decided, for the next build to patch (None when a patch could not use it)."""
    from generator.build.documents import types_key

    if skeletons is None or names is None:
        return None
    summaries = {
        unit.removeprefix("group:"): memo.used[key].summary
        for unit, key in memo.keys.items()
        if unit.startswith("group:") and key in memo.used
    }
    if set(summaries) != set(names.by_group) or any(summary is None for summary in summaries.values()):
        return None
    operations = sorted(e.operation_id for endpoints in names.by_group.values() for e in endpoints)
    if len(operations) != len(skeletons[0].keys):
        return None
    fragments = dict(zip(operations, skeletons[0].keys, strict=True))
    operation_of = {key: operation for operation, key in fragments.items()}
    if len(operation_of) != len(fragments) or not set(skeletons[1].keys) <= set(operation_of):
        return None
    return Snapshot(
        key=build_key(config),
        pages=pages,
        groups={g: [e.operation_id for e in endpoints] for g, endpoints in names.by_group.items()},
        fragments=fragments,
        units=dict(memo.keys),
        names=names.to_json(),
        types=types_adapter().dump_json(types),
        report=report,
        skeletons=skeletons,
        skeleton_operations=(operations, [operation_of[key] for key in skeletons[1].keys]),
        summaries={group: summary for group, summary in summaries.items() if summary is not None},
        types_key=types_key(types),
        lined_files={source.file for t in types.values() for source in t.sources}
        | {d.source.file for d in diagnostics if d.source is not None}
        | _evidence_files(types),
    )


def _evidence_files(types: dict[str, NamedType]) -> set[str]:
    """Pages whose lines the registry records as the evidence of an element type (any page's, merged)."""
    files: set[str] = set()
    pending = [field for named in types.values() for field in named.fields]
    while pending:
        node = pending.pop()
        if node.element_source is not None and node.element_source.source is not None:
            files.add(node.element_source.source.file)
        pending.extend(node.children)
    return files
