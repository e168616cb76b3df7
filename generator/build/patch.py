"""Patch builds: the previous build's output, patched where a few edited pages changed only their own
operations (a parameter's description, a new optional parameter, a fixed example).

A full build (full.py) leaves a snapshot of what it decided for the whole API: which page
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

from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.build.changes import outputs_untouched, state_of
from generator.build.keys import build_key, docs_digest, results_key_of, scrape_key
from generator.build.pages import PageFile, ScrapeEntry
from generator.build.patch_changes import PageChange, assembled_groups, patchable_changes
from generator.build.patch_render import Fragments, patched_documents, read_fragments, render_patch, save_fragments
from generator.build.publish import publish
from generator.build.report import BuildReport, Clock, diagnostics, report_from_state
from generator.build.scrape import scraping_beside
from generator.build.snapshot import (
    MAX_PATCHED_PAGES,
    PageRecord,
    Snapshot,
    load_snapshot,
    save_snapshot,
    types_adapter,
)
from generator.build.steps import PostDocuments, run_post_document_steps
from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import Endpoint


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
    entries = [cache.scrapes.peek(scrape_key(page)) or ScrapeEntry("", "") for page in changed]
    missing = [index for index, entry in enumerate(entries) if not entry.kind]
    with scraping_beside([changed[i] for i in missing]) as scraped:
        memo = read_fragments(cache)  # meanwhile: what the patch needs next, and the modules it runs
        import generator.build.documents
        import generator.render.sdk  # noqa: F401

        changes = patchable_changes(cache, pages, changed, snapshot, (entries, missing, scraped()))
    clock.lap("scrape")
    if changes is None:
        return None
    if all(change.entry == change.old.entry for change in changes):  # nothing read from them changed
        return _up_to_date(config, cache, snapshot, state, inputs_key, len(pages), clock, changes)
    return _patch(config, cache, snapshot, changes, (inputs_key, state), (len(pages), docs_digest(pages)), clock, memo)


def _up_to_date(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    state: dict[str, Any],
    inputs_key: str,
    pages: int,
    clock: Clock,
    changes: list[PageChange],
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
    changes: list[PageChange],
    keys: tuple[str, dict[str, Any]],
    pages: tuple[int, str],  # how many, and their digest (`keys.docs_digest`)
    clock: Clock,
    memo: Fragments,
) -> BuildReport | None:
    types = types_adapter().validate_json(snapshot.types)
    assembled = assembled_groups(snapshot, changes, memo.found, types)
    if assembled is None:
        return None
    by_group, digests = assembled
    clock.lap("assemble")
    rendered = render_patch(config, cache, snapshot, types, by_group, digests)
    if rendered is None:
        return None
    files, units, session, render_memo = rendered
    clock.lap("render")
    documents = patched_documents(snapshot, changes, by_group, digests, types, memo)
    if documents is None:
        return None
    clock.lap("documents")
    return _write(config, cache, snapshot, changes, (files, units, documents, memo), (session, render_memo), keys,
                  pages, clock)  # fmt: skip


def _write(
    config: BuildConfig,
    cache: BuildCache,
    snapshot: Snapshot,
    changes: list[PageChange],
    made: tuple[dict[str, str], dict[str, str], tuple[bytes, bytes, dict[str, str]], Fragments],
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
    stats, written = publish(config, cache, tree, (ir_text, openapi_text), patch=True)
    clock.lap("write")
    save_fragments(cache, memo, snapshot.skeletons[0].keys)
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


def _ir_block(memo: Fragments, key: str) -> Endpoint:
    """An operation as the IR file holds it, from its fragment under `key`."""
    from generator.ir.model import Endpoint

    block = memo.new[key][0] if key in memo.new else memo.found[key][0]
    return Endpoint.model_validate_json(block)


def _failed(report: dict[str, Any]) -> list[Any]:

    return diagnostics(report.get("failed_pages", []))
