"""Scrape the pages that need it: each page's result from the scrape cache, else parsed (in worker
processes when there are many, in a forked one beside reading back the others when there are few)."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.cache import BuildCache
from generator.build.keys import entry_digest, scrape_key
from generator.build.pages import PageFile, ScrapeEntry, page_digest
from generator.build.workers import can_fork, worker_count, worker_errors
from generator.errors import SdkgenError
from generator.fsutil import gc_paused

if TYPE_CHECKING:
    from generator.ir.model import Diagnostic, Endpoint
    from generator.render.units import EndpointDigests


IN_PROCESS_PAGES = 24  # fewer pages to scrape than this: no worker processes (their start costs more)


UNCACHED_CODES = frozenset({"io-error", "internal-error"})  # may not happen again: never cached


def _scrape_page(path: str, name: str) -> tuple[str, str, str]:
    """(kind, JSON, sha256 of the bytes read) for one page; the hash is empty when the page changed
    while it was being read (the result is then not cached). Never raises for a bad page."""
    from generator.ir.model import Diagnostic, Endpoint, Severity, Source
    from generator.scrape import scrape_page_file

    before = page_digest(path)
    try:
        result: Endpoint | Diagnostic = scrape_page_file(Path(path), name)
    except Exception as exc:  # a scraper bug must cost one page, not the build
        result = Diagnostic(
            severity=Severity.ERROR,
            code="internal-error",
            message=f"the scraper failed on this page ({type(exc).__name__}: {exc}); please report it",
            source=Source(file=name),
        )
    after = page_digest(path)
    kind = "endpoint" if isinstance(result, Endpoint) else "diagnostic"
    return kind, result.model_dump_json(), before if before == after else ""


def scrape_batch(batch: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    with gc_paused():
        return [_scrape_page(path, name) for path, name in batch]


def scrape_pages(pages: list[PageFile], jobs: int) -> list[tuple[str, str, str]]:
    items = [(str(page.path), page.name) for page in pages]
    workers = min(worker_count(jobs), max(1, len(items) // 8))
    if workers <= 1 or len(items) < IN_PROCESS_PAGES:
        return scrape_batch(items)
    import generator.scrape  # noqa: F401  # loaded once here, not once per worker: forked workers inherit it

    size = max(4, len(items) // (workers * 4))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    with worker_errors(), ProcessPoolExecutor(max_workers=workers) as pool:
        return [result for chunk in pool.map(scrape_batch, batches) for result in chunk]


def from_entry(entry: ScrapeEntry) -> Endpoint | Diagnostic | None:
    from pydantic import ValidationError

    from generator.ir.model import Diagnostic, Endpoint

    try:
        if entry.kind == "endpoint":
            return Endpoint.model_validate_json(entry.json)
        if entry.kind == "diagnostic":
            return Diagnostic.model_validate_json(entry.json)
    except ValidationError:
        pass
    return None  # unreadable: scraped again


@dataclass
class Entries:
    """Every page's result as JSON (from the cache where it has one), and what reading them found."""

    entries: list[ScrapeEntry]
    scraped: int  # pages scraped (not in the cache)
    kept: set[str]  # cache keys of this build's pages
    # Results read back meanwhile, where the pages were scraped in a worker (None: not read yet).
    read: list[Endpoint | Diagnostic | None]


def read_entries(pages: list[PageFile], cache: BuildCache, jobs: int) -> Entries:
    """The pages' results, scraping those the cache lacks: when there are few of them (a page edited),
    beside reading back the others (`scraping_beside`)."""
    keys = [scrape_key(page) for page in pages]
    found = [cache.scrapes.get(key) if page.digest else None for page, key in zip(pages, keys, strict=True)]
    kept = {key for key, entry in zip(keys, found, strict=True) if entry is not None}
    missing = [index for index, entry in enumerate(found) if entry is None]
    entries = [e or ScrapeEntry("", "") for e in found]
    read: list[Endpoint | Diagnostic | None] = [None] * len(entries)
    if not missing or len(missing) >= IN_PROCESS_PAGES or worker_count(jobs) < 2 or not can_fork():
        return Entries(_scrape_into(pages, entries, missing, cache, jobs, kept), len(missing), kept, read)
    with scraping_beside([pages[i] for i in missing]) as scraped:
        read = [from_entry(entry) if entry.kind else None for entry in entries]
        store(pages, entries, missing, scraped(), cache, kept)
    return Entries(entries, len(missing), kept, read)


@contextmanager
def scraping_beside(pages: list[PageFile]) -> Iterator[Callable[[], list[tuple[str, str, str]]]]:
    """A few pages scraped in a forked worker while this process goes on (the scraper's import and
    a page take about as long as reading back a thousand cached results); the callable waits for
    the results. Without fork they are scraped when it is called."""
    if not pages or not can_fork():
        yield lambda: scrape_pages(pages, 1)
        return
    items = [(str(page.path), page.name) for page in pages]
    with worker_errors(), ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(scrape_batch, items).result


def _scrape_into(
    pages: list[PageFile], entries: list[ScrapeEntry], indexes: list[int], cache: BuildCache, jobs: int, kept: set[str]
) -> list[ScrapeEntry]:
    """Scrape the pages at `indexes` into `entries`, caching what may be cached."""
    return store(pages, entries, indexes, scrape_pages([pages[i] for i in indexes], jobs), cache, kept)


def store(
    pages: list[PageFile],
    entries: list[ScrapeEntry],
    indexes: list[int],
    scraped: list[tuple[str, str, str]],
    cache: BuildCache,
    kept: set[str],
) -> list[ScrapeEntry]:
    """The pages at `indexes`, scraped, into `entries` and the cache (what may be cached)."""
    for index, (kind, text, digest) in zip(indexes, scraped, strict=True):
        entry = ScrapeEntry(kind, text)
        entries[index] = entry
        if digest and not (kind == "diagnostic" and json.loads(text).get("code") in UNCACHED_CODES):
            key = scrape_key(PageFile(pages[index].path, pages[index].name, digest))
            cache.scrapes.put(key, entry)
            kept.add(key)
    return entries


def results_of(
    pages: list[PageFile], found: Entries, digests: list[str], cache: BuildCache, jobs: int
) -> tuple[list[Endpoint | Diagnostic], EndpointDigests]:
    """The entries (with the digests of their JSON) as IR objects, and id(endpoint) -> (endpoint, digest)
    for the render memo's keys; a cached entry that no longer reads back is scraped again."""
    from generator.ir.model import Endpoint

    entries, kept = found.entries, found.kept
    results = [done or from_entry(entry) for done, entry in zip(found.read, entries, strict=True)]
    unreadable = [index for index, result in enumerate(results) if result is None]
    if unreadable:
        _scrape_into(pages, entries, unreadable, cache, jobs, kept)
        for index in unreadable:
            results[index] = from_entry(entries[index])
            digests[index] = entry_digest(entries[index])
            if results[index] is None:
                raise SdkgenError(f"{pages[index].name}: the scraper's result does not read back")
    by_id = {
        id(result): (result, digest)
        for result, digest in zip(results, digests, strict=True)
        if isinstance(result, Endpoint)
    }
    return [result for result in results if result is not None], by_id
