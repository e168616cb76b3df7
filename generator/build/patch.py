"""Patch builds: the previous build's output, patched where a few edited pages changed only their own
operations (a parameter's description, a new optional parameter, a fixed example).

A full build (`generator.build`) leaves a snapshot of what it decided for the whole API: which page
gave which operation, the SDK's names, the registry types, the units it rendered, and the skeletons
of the IR and OpenAPI documents. When a few pages changed and each still reads as the same operation
to everything outside it (its `projection`: operation id, group, path, method, body wrapper, query
flag, response fields and what ranks duplicates), nothing but its group's files and its fragments of
the two documents can change. The build then re-renders those groups (the other units come from the
memo), fills the documents' skeletons with the new fragments, and swaps in the previous tree with
only those files replaced: no reading back, assembling or naming the other thousands of operations.
Anything else (a page added, removed or failing, a response field changed, a group left to infer)
takes the full build. `tests/build/test_patch.py` checks that a patched build writes the very bytes
of a full build.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache, PageFile, ScrapeEntry, appending_pays, build_fingerprint
from generator.build.changes import outputs_untouched, state_of
from generator.build.keys import build_key, docs_digest, entry_digest, results_key_of
from generator.build.report import BuildReport, Clock, diagnostics, report_from_state
from generator.build.scrape import from_entry, scraping_beside, store
from generator.build.snapshot import (
    MAX_PATCHED_PAGES,
    PageRecord,
    Snapshot,
    load_snapshot,
    save_snapshot,
    types_adapter,
)
from generator.build.staging import patch_tree, place_documents, write_outside
from generator.build.steps import PostDocuments, run_post_document_steps
from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import Endpoint, NamedType
    from generator.render.plan import SdkNames


def projection(endpoint: Endpoint) -> str:
    """What of an endpoint anything outside its own operation reads: ranking duplicates (operation id,
    layout, warnings, page), groups and paths, the OpenAPI path keys (method, path, body wrapper), the
    registry types and their inference (response fields, query flag). Not the response fields' lines:
    the registry records them only for the pages in `Snapshot.lined_files`."""
    wrapper = endpoint.body.wrapper if endpoint.body is not None else None
    parts = [
        endpoint.operation_id,
        endpoint.layout,
        len(endpoint.warnings),
        endpoint.source.file,
        endpoint.group,
        endpoint.path,
        endpoint.method,
        wrapper,
        endpoint.is_query,
        _without_lines(endpoint.response.model_dump(mode="json")),
    ]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()


def response_lines(endpoint: Endpoint) -> list[int | None]:
    """The lines of the response fields, depth first."""
    lines: list[int | None] = []
    pending = list(reversed(endpoint.response.fields))
    while pending:
        node = pending.pop()
        lines.append(node.source.line if node.source is not None else None)
        pending.extend(reversed(node.children))
    return lines


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: (v.get("file") if k == "source" and isinstance(v, dict) else _without_lines(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_without_lines(item) for item in value]
    return value


@dataclass
class _Change:
    page: PageFile
    old: PageRecord
    endpoint: Endpoint  # as scraped now
    entry: str  # digest of its JSON
    scraped: bool  # parsed by this build (not found in the scrape cache)


def patch_build(
    config: BuildConfig, cache: BuildCache, pages: list[PageFile], inputs_key: str, state: dict[str, Any], clock: Clock
) -> BuildReport | None:
    """The build, done as a patch of the last one when it can be (else None: nothing was written)."""

    snapshot = load_snapshot(cache)
    if snapshot is None or snapshot.key != build_key(config) or not outputs_untouched(config, state):
        return None
    if [page.name for page in pages] != list(snapshot.pages):
        return None  # pages added, removed or renamed
    changed = [page for page in pages if page.digest != snapshot.pages[page.name].digest]
    if not changed or len(changed) > MAX_PATCHED_PAGES or not all(page.digest for page in changed):
        return None
    entries = [cache.peek_scrape(BuildCache.scrape_key(page)) or ScrapeEntry("", "") for page in changed]
    missing = [index for index, entry in enumerate(entries) if not entry.kind]
    with scraping_beside([changed[i] for i in missing]) as scraped:
        memo = _document_memo(cache)  # meanwhile: what the patch needs next, and the modules it runs
        import generator.build.documents
        import generator.render.sdk  # noqa: F401

        changes = _scrape_changes(cache, pages, changed, snapshot, (entries, missing, scraped()))
    clock.lap("scrape")
    if changes is None:
        return None
    if all(change.entry == change.old.entry for change in changes):  # nothing read from them changed
        return _up_to_date(config, cache, snapshot, state, inputs_key, len(pages), clock, changes)
    return _patch(config, cache, snapshot, changes, (inputs_key, state), (len(pages), docs_digest(pages)), clock, memo)


def _scrape_changes(
    cache: BuildCache,
    pages: list[PageFile],
    changed: list[PageFile],
    snapshot: Snapshot,
    found: tuple[list[ScrapeEntry], list[int], list[tuple[str, str, str]]],
) -> list[_Change] | None:
    """The changed pages' results (cached ones, `found`, and those scraped now, cached now), if each is
    still the same operation to everything else."""
    from generator.ir.model import Endpoint

    entries, missing, scraped = found
    kept = {BuildCache.scrape_key(page) for page in pages}
    store(changed, entries, missing, scraped, cache, kept)
    cache.save_scrape(kept)
    result: list[_Change] = []
    for index, (page, entry) in enumerate(zip(changed, entries, strict=True)):
        old = snapshot.pages[page.name]
        before = cache.peek_scrape(BuildCache.scrape_key(PageFile(page.path, page.name, old.digest)))
        previous = from_entry(before) if before is not None and old.kind == "endpoint" and old.kept else None
        now = from_entry(entry)
        if not (isinstance(previous, Endpoint) and isinstance(now, Endpoint) and now.group):
            return None
        if projection(now) != projection(previous):
            return None
        if page.name in snapshot.lined_files and response_lines(now) != response_lines(previous):
            return None  # the registry records these lines (a type's sources, a conflict): the IR changes
        result.append(_Change(page, old, now, entry_digest(entry), index in missing))
    return result


def _up_to_date(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    state: dict[str, Any],
    inputs_key: str,
    pages: int,
    clock: Clock,
    changes: list[_Change],
) -> BuildReport:
    """Pages changed, but nothing read from them (page chrome, a comment): the output stands."""

    for change in changes:
        snapshot.pages[change.page.name].digest = change.page.digest
    save_snapshot(cache, snapshot, whole=False)
    cache.save_state({**state, "inputs": inputs_key})
    return report_from_state(config, state, pages, clock.timings, scraped=sum(c.scraped for c in changes))


def _patch(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    changes: list[_Change],
    keys: tuple[str, dict[str, Any]],
    pages: tuple[int, str],  # how many, and their digest (`keys.docs_digest`)
    clock: Clock,
    memo: _Fragments,
) -> BuildReport | None:
    types = types_adapter().validate_json(snapshot.types)
    assembled = _assembled(snapshot, changes, memo)
    if assembled is None:
        return None
    by_group, digests = assembled
    clock.lap("assemble")
    rendered = _render(config, cache, snapshot, types, by_group, digests)
    if rendered is None:
        return None
    files, units, session, render_memo = rendered
    clock.lap("render")
    documents = _documents(snapshot, changes, by_group, digests, types, memo)
    if documents is None:
        return None
    clock.lap("documents")
    return _write(config, cache, snapshot, changes, (files, units, documents, memo), (session, render_memo), keys,
                  pages, clock)  # fmt: skip


@dataclass
class _Fragments:
    """The documents' fragments as the pack holds them (UTF-8, not decoded: most are only copied)."""

    found: dict[str, tuple[bytes, bytes]]
    stored: int  # entries in the pack, superseded ones included
    new: dict[str, tuple[str, str]]  # written by this build


def _document_memo(cache: BuildCache) -> _Fragments:
    from generator.build.documents import read_pack

    path = cache.fragments_file()
    try:
        found, stored = read_pack(path.read_bytes()) if path is not None else ({}, 0)
    except OSError:
        found, stored = {}, 0
    return _Fragments(found, stored, {})


def _assembled(
    snapshot: Snapshot, changes: list[_Change], memo: _Fragments
) -> tuple[dict[str, list[Endpoint]], dict[int, tuple[Endpoint, str]]] | None:
    """The endpoints of the changed groups as the full build would assemble them: the unchanged ones as
    the last build left them (their IR blocks), the changed ones as scraped now with the response the
    last build assembled for them (inferred element types: the same, as the projection is)."""
    from generator.ir.model import Endpoint

    page_of = {record.operation: name for name, record in snapshot.pages.items() if record.kept}
    changed = {change.endpoint.operation_id: change for change in changes}
    by_group: dict[str, list[Endpoint]] = {}
    digests: dict[int, tuple[Endpoint, str]] = {}
    for group in sorted({change.endpoint.group for change in changes}):
        endpoints: list[Endpoint] = []
        for operation in snapshot.groups.get(group, []):
            fragment = memo.found.get(snapshot.fragments.get(operation, ""))
            if fragment is None or operation not in page_of:
                return None
            previous = Endpoint.model_validate_json(fragment[0])
            change = changed.get(operation)
            if change is None:
                endpoint, digest = previous, snapshot.pages[page_of[operation]].entry
            else:
                endpoint, digest = _with_inferences(change.endpoint, previous), change.entry
            endpoints.append(endpoint)
            digests[id(endpoint)] = (endpoint, digest)
        by_group[group] = endpoints
    if not all(operation in {e.operation_id for es in by_group.values() for e in es} for operation in changed):
        return None
    return by_group, digests


def _with_inferences(scraped: Endpoint, assembled: Endpoint) -> Endpoint:
    """`scraped` with what assembling the IR inferred for the same response fields in `assembled` (the
    element types of lists: the projections are equal, so the fields are the same, lines aside)."""
    endpoint = scraped.model_copy(deep=True)
    pending = list(zip(endpoint.response.fields, assembled.response.fields, strict=True))
    while pending:
        node, done = pending.pop()
        node.ref, node.element_type = done.ref, done.element_type
        node.element_type_inferred = done.element_type_inferred
        pending.extend(zip(node.children, done.children, strict=True))
    return endpoint


def _render(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    types: dict[str, NamedType],
    by_group: dict[str, list[Endpoint]],
    digests: dict[int, tuple[Endpoint, str]],
) -> tuple[dict[str, str], dict[str, str], Any, Any] | None:
    """The changed groups' files and the package files; None if the memo lacks a unit it needs."""
    from generator.render.emit import cache_templates, format_session
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
    cache_templates(cache.root / "templates")
    session = cache.load_format()
    with format_session(session):
        files = render_groups(names, others, render_memo, build_fingerprint())
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


def _documents(
    snapshot: Snapshot,
    changes: list[_Change],
    by_group: dict[str, list[Endpoint]],
    digests: dict[int, tuple[Endpoint, str]],
    types: dict[str, NamedType],
    memo: _Fragments,
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


def _write(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    changes: list[_Change],
    made: tuple[dict[str, str], dict[str, str], tuple[bytes, bytes, dict[str, str]], _Fragments],
    memos: tuple[Any, Any],
    keys: tuple[str, dict[str, Any]],
    pages: tuple[int, str],
    clock: Clock,
) -> BuildReport:

    files, units, (ir_text, openapi_text, fragments), memo = made
    session, render_memo = memos
    inputs_key, _state_before = keys
    tree: dict[str, str | bytes] = dict(files)
    changed = [change.endpoint for change in changes]
    ops = [endpoint.operation_id for endpoint in changed]
    before = [_ir_block(memo, snapshot.fragments[op]) for op in ops]
    after = [_ir_block(memo, fragments[op]) for op in ops]
    context = PostDocuments(config, ir_text, openapi_text, tree, True, changed=changed, docs=pages[1])
    context.before_after = before, after
    run_post_document_steps(context)
    outside = place_documents(config, tree, ir_text, openapi_text)
    cache.forget_state()  # from here on the output changes: a kill must not leave it looking up to date
    stats = patch_tree(tree, config.output)
    written = list(stats.written)
    for path, data in outside:
        if write_outside(path, data):
            written.append(str(path))
    clock.lap("write")
    _save_fragments(cache, memo, snapshot.skeletons[0].keys)
    cache.save_format(session, session.compiled)
    cache.save_units(render_memo, prune=False)
    for change in changes:
        snapshot.pages[change.page.name] = PageRecord(
            change.page.digest, "endpoint", change.entry, change.endpoint.operation_id, True
        )
    snapshot.units.update(units)
    snapshot.fragments = fragments
    save_snapshot(cache, snapshot, whole=False)
    report = BuildReport(
        output=config.output,
        ir=config.ir,
        openapi=config.openapi,
        operations=int(snapshot.report.get("operations", 0)),
        groups=int(snapshot.report.get("groups", 0)),
        types=int(snapshot.report.get("types", 0)),
        failed_pages=_failed(snapshot.report),
        pages=pages[0],
        scraped=sum(change.scraped for change in changes),
        written=written,
        kept=stats.kept,
        black_runs=session.black_runs,
        compiled=session.compile_runs,
        units_rendered=len(render_memo.fresh),
        units_reused=render_memo.reused,
        patched=True,
        timings=clock.timings,
    )
    results = [(r.kind, r.entry) for r in snapshot.pages.values()]
    cache.save_state(state_of(config, (inputs_key, results_key_of(config, results)), report))
    clock.lap("save cache")
    return report


def _ir_block(memo: _Fragments, key: str) -> Endpoint:
    """An operation as the IR file holds it, from its fragment under `key`."""
    from generator.ir.model import Endpoint

    block = memo.new[key][0] if key in memo.new else memo.found[key][0]
    return Endpoint.model_validate_json(block)


def _save_fragments(cache: BuildCache, memo: _Fragments, used: list[str]) -> None:
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


def _failed(report: dict[str, Any]) -> list[Any]:

    return diagnostics(report.get("failed_pages", []))
