"""The full build: every stage over the whole API, reusing what the caches hold."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.build.changes import outputs_untouched, state_of
from generator.build.keys import docs_digest, entry_digest
from generator.build.keys import results_key as key_of_results
from generator.build.pages import PageFile
from generator.build.publish import publish
from generator.build.render import FRAGMENTS_FILE, SKELETONS_FILE, render_full
from generator.build.report import BuildReport, Clock, report_from_state
from generator.build.scrape import UNCACHED_CODES, read_entries, results_of
from generator.build.snapshot import PageRecord, make_snapshot, save_snapshot
from generator.build.steps import PostDocuments, run_post_document_steps
from generator.build.workers import scratch_folder, take
from generator.config import BuildConfig
from generator.errors import SdkgenError

if TYPE_CHECKING:
    from generator.ir.model import Diagnostic, Endpoint


def full_build(
    config: BuildConfig,
    cache: BuildCache,
    pages: list[PageFile],
    keys: tuple[str, dict[str, Any]],
    jobs: int,
    clock: Clock,
) -> BuildReport:
    """Scrape what the cache lacks; unless that changed nothing, render and swap in the new output."""
    inputs_key, state = keys
    found = read_entries(pages, cache, jobs)
    entries, scraped = found.entries, found.scraped
    cache.scrapes.save(found.kept)  # now: a build that fails or is killed later still saved this work
    digests = [entry_digest(entry) for entry in entries]
    results_key = key_of_results(config, entries, digests)
    if state.get("results") == results_key and outputs_untouched(config, state):
        # Pages changed but none of what was read from them (page chrome, a comment): same IR, same output.
        cache.save_state({**state, "inputs": inputs_key})
        clock.lap("scrape")
        return report_from_state(config, state, len(pages), clock.timings, scraped=scraped)
    from generator.scrape import assemble_ir

    results, endpoint_digests = results_of(pages, found, digests, cache, jobs)
    del entries, found
    clock.lap("scrape")
    result = assemble_ir(results)
    pages_read = page_records(pages, results, digests, {id(e) for e in result.ir.endpoints})
    del results
    clock.lap("assemble")
    if not result.ir.endpoints:
        raise SdkgenError(
            f"{config.source}: no operation could be read from {', '.join(map(str, config.inputs))}; "
            f"{config.output} left unchanged"
        )
    from generator.render.templating import templates_in_use

    session, memo = cache.load_format(), cache.render_memo(endpoint_digests)
    memos = (session, memo, cache.fragments_file())
    with templates_in_use(config.templates, cache.root / "templates"), scratch_folder(cache) as scratch:
        files, rendered, ir_data, openapi_data = render_full(config, result.ir, memos, jobs, scratch, clock)
        cache.keep_fragments(scratch / FRAGMENTS_FILE)  # moved into the cache now, in use from the next build on
        skeletons = take(scratch / SKELETONS_FILE)
    docs = docs_digest(pages)
    run_post_document_steps(PostDocuments(config, ir_data, openapi_data, files, False, result.ir, docs=docs))
    stats, written = publish(config, cache, files, (ir_data, openapi_data), patch=False)
    clock.lap("write")
    cache.save_format(session, session.compiled & _module_digests(files))
    cache.save_units(memo)
    report = BuildReport(
        output=config.output,
        ir=config.ir,
        openapi=config.openapi,
        operations=rendered.operations,
        groups=rendered.groups,
        types=rendered.types,
        failed_pages=list(result.errors),
        pages=len(pages),
        scraped=scraped,
        written=written,
        kept=stats.kept,
        removed=stats.removed,
        ir_model=result.ir,
        black_runs=session.black_runs,
        compiled=session.compile_runs,
        units_rendered=len(memo.fresh),
        units_reused=memo.reused,
        timings=clock.timings,
    )
    if not any(d.code in UNCACHED_CODES for d in result.errors):  # else the next build must try them again
        state_now = state_of(config, (inputs_key, results_key), report)
        snapshot = make_snapshot(
            config, pages_read, rendered.names, result.ir.types, result.ir.diagnostics, memo, skeletons,
            state_now["report"],
        )  # fmt: skip
        save_snapshot(cache, snapshot)
        cache.save_state(state_now)
    else:
        save_snapshot(cache, None)
    clock.lap("save cache")
    return report


def page_records(
    pages: list[PageFile], results: list[Endpoint | Diagnostic], digests: list[str], kept: set[int]
) -> dict[str, PageRecord]:
    """What each page gave (for the snapshot a patch build starts from); `kept`: ids of the IR's endpoints."""
    from generator.ir.model import Endpoint

    records: dict[str, PageRecord] = {}
    for page, result, digest in zip(pages, results, digests, strict=True):
        if isinstance(result, Endpoint):
            records[page.name] = PageRecord(page.digest, "endpoint", digest, result.operation_id, id(result) in kept)
        else:
            records[page.name] = PageRecord(page.digest, "diagnostic", digest, "", False)
    return records


def _module_digests(files: dict[str, str | bytes]) -> set[str]:
    from generator.render.emit import source_digest

    return {source_digest(text) for path, text in files.items() if path.endswith(".py") and isinstance(text, str)}
