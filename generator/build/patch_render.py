"""The render and documents stages of a patch build (patch.py): the changed groups re-rendered with the
other units from the memo, and the skeletons of the IR and OpenAPI documents filled with the changed
operations' new fragments (the others are copied from the fragments pack as they are)."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.build.keys import appending_pays, render_context
from generator.build.patch_changes import PageChange
from generator.build.snapshot import Snapshot
from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import Endpoint, NamedType
    from generator.render.plan import SdkNames


@dataclass
class Fragments:
    """The documents' fragments as the pack holds them (UTF-8, not decoded: most are only copied)."""

    found: dict[str, tuple[bytes, bytes]]
    stored: int  # entries in the pack, superseded ones included
    new: dict[str, tuple[str, str]]  # written by this build


def read_fragments(cache: BuildCache) -> Fragments:
    """The last build's fragments pack (read while the changed pages are scraped)."""
    from generator.build.documents import read_pack

    path = cache.fragments_file()
    try:
        found, stored = read_pack(path.read_bytes()) if path is not None else ({}, 0)
    except OSError:
        found, stored = {}, 0
    return Fragments(found, stored, {})


def render_patch(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    types: dict[str, NamedType],
    by_group: dict[str, list[Endpoint]],
    digests: dict[int, tuple[Endpoint, str]],
) -> tuple[dict[str, str], dict[str, str], Any, Any] | None:
    """The changed groups' files and the package files; None if the memo lacks a unit it needs."""
    from generator.render.emit import format_session
    from generator.render.plan import SdkNames
    from generator.render.sdk import PACKAGE_UNIT, render_groups

    names: SdkNames = SdkNames.from_json(snapshot.names, types, by_group)
    if names.package != config.package_name:
        return None
    render_memo = cache.render_memo(digests)
    others = {group: summary for group, summary in snapshot.summaries.items() if group not in by_group}
    old_files: set[str] = set()
    for unit in [*(f"group:{group}" for group in by_group), PACKAGE_UNIT]:
        record = render_memo.load(snapshot.units.get(unit, ""))
        if record is None:
            return None
        old_files |= set(record.files)
    from generator.render.templating import templates_in_use

    session = cache.load_format()
    with templates_in_use(config.templates, cache.root / "templates"), format_session(session):
        files = render_groups(names, others, render_memo, render_context(config))
    if set(files) != old_files:
        return None  # files appear or go: the full build removes what goes
    for unit, key in render_memo.keys.items():
        if key == snapshot.units.get(unit):  # the output holds this unit's files as they are
            files = {path: text for path, text in files.items() if path not in render_memo.used[key].files}
        elif unit.startswith("group:"):
            summary = render_memo.used[key].summary
            if summary is None:
                return None
            snapshot.summaries[unit.removeprefix("group:")] = summary
    session.used_modules.update(session.modules)  # a patch uses few: the next full build needs the others
    session.used_segments.update(session.segments)
    return files, dict(render_memo.keys), session, render_memo


def patched_documents(
    snapshot: Snapshot,
    changes: list[PageChange],
    by_group: dict[str, list[Endpoint]],
    digests: dict[int, tuple[Endpoint, str]],
    types: dict[str, NamedType],
    memo: Fragments,
) -> tuple[bytes, bytes, dict[str, str]] | None:
    """The IR and OpenAPI files: the skeletons filled with the new fragments of the changed operations."""
    from generator.build.documents import fragments_of, keys_from_digests

    key = keys_from_digests(digests)
    suffix = snapshot.types_key
    replaced: dict[str, str] = {}  # old memo key -> new
    changed = {change.endpoint.operation_id for change in changes}
    fragments = dict(memo.found)
    for endpoints in by_group.values():
        for endpoint in endpoints:
            if endpoint.operation_id in changed:
                new_key = f"{key(endpoint)}:{suffix}"
                if new_key not in fragments:
                    memo.new[new_key] = fragments_of(endpoint, types)
                    fragments[new_key] = (
                        memo.new[new_key][0].encode("utf-8", "surrogatepass"),
                        memo.new[new_key][1].encode("utf-8", "surrogatepass"),
                    )
                replaced[snapshot.fragments[endpoint.operation_id]] = new_key
    texts = []
    for skeleton in snapshot.skeletons:
        skeleton.keys = [replaced.get(k, k) for k in skeleton.keys]
        text = skeleton.fill_bytes(fragments)
        if text is None:
            return None
        texts.append(text)
    return texts[0], texts[1], {op: replaced.get(k, k) for op, k in snapshot.fragments.items()}


def save_fragments(cache: BuildCache, memo: Fragments, used: list[str]) -> None:
    """Append this build's fragments to the pack; write it anew with those in use once it holds twice as many."""
    from generator.build.documents import pack_segment

    if not memo.new:
        return
    if appending_pays(memo.stored, len(memo.new), len(used)):
        with suppress(OSError), (cache.root / "documents.pack").open("ab") as fh:
            fh.write(pack_segment(memo.new))
        return
    entries: dict[str, tuple[str, str] | tuple[bytes, bytes]] = {}
    for key in used:
        entries[key] = memo.new.get(key) or memo.found[key]
    cache.write_file("documents.pack", pack_segment(entries))
