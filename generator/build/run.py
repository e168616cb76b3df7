"""`sdkgen build`: the main job from `[tool.sdkgen]` — scrape the pages, write the IR, the OpenAPI
document and the SDK — redoing only what changed since the last build.

1. Hash the pages whose stat changed. Same pages, same code, same settings, output untouched since
   the last build: stop there (without loading the scraper or the renderer).
2. Undo what a killed build left (`staging.recover`).
3. A few pages edited that each still read as the same operation to the rest of the API: patch the
   last build's output (`generator/patch.py`) and stop there.
4. Otherwise a full build. Scrape only the pages the scrape cache does not hold (in worker processes
   when there are many), and assemble the IR.
5. Render the SDK, taking the groups and type modules whose inputs did not change from the last
   build (`render.units`). Meanwhile a forked worker writes the IR and the OpenAPI document from
   per-operation fragments (`generator/documents.py`), then the two processes share the formatting
   and compile() checks of the modules. black runs only on the few statements the renderer cannot
   lay out itself (see `render.emit`), memoized.
6. Stage the new tree beside the output, unchanged files hard-linked (they keep their mtime), and
   swap it in atomically; then save the caches (`generator/cache.py`) and the snapshot the next
   patch build starts from.

A failure (or a kill) at any point leaves the previous output intact. A page that fails to scrape
does not stop the build: it is left out and reported.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache, PageFile, ScrapeEntry, build_fingerprint, find_page_files, sha256_hex
from generator.config import BuildConfig
from generator.errors import SdkgenError
from generator.fsutil import gc_paused, write_bytes_atomic
from generator.build.staging import check_replaceable, recover, write_tree

# The heavy modules (pydantic models, the renderer with black and Jinja, the scraper with lxml) are
# imported where they are used: a build with nothing to do never loads them.
if TYPE_CHECKING:
    from generator.diff import DiffReport
    from generator.ir.model import IR, Diagnostic, Endpoint
    from generator.build.patch import PageRecord
    from generator.render import RenderedSdk
    from generator.render.emit import FormatSession, PendingModule
    from generator.render.units import EndpointDigests, RenderMemo

_IN_PROCESS_PAGES = 24  # fewer pages to scrape than this: no worker processes (their start costs more)
_CHECK_BATCH_BYTES = 1 << 20  # compile checks go to the worker in batches of about this much source
_FORMAT_CHUNKS = 16  # modules left to format are shared with the worker in this many pieces
_UNCACHED_CODES = frozenset({"io-error", "internal-error"})  # may not happen again: never cached


@dataclass(frozen=True)
class BuildReport:
    output: Path
    ir: Path
    operations: int
    groups: int
    types: int
    failed_pages: list[Diagnostic] = field(default_factory=list)
    openapi: Path | None = None
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    pages: int = 0
    scraped: int = 0  # pages parsed by this build (the others came from the cache)
    written: list[str] = field(default_factory=list)  # output files whose bytes changed
    kept: int = 0  # output files left as they were
    removed: list[str] = field(default_factory=list)
    ir_model: IR | None = None  # the IR built (None when up to date: read it from `ir`)
    black_runs: int = 0  # statements black formatted (not in the cache)
    compiled: int = 0  # modules compile()-checked (not known to compile from an earlier build)
    units_rendered: int = 0  # docs groups and type modules planned and rendered
    units_reused: int = 0  # ... taken as they were from the last build (see generator.render.units)
    patched: bool = False  # the last build's output patched where a few pages changed (generator/patch.py)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase

    def summary(self) -> str:
        if self.up_to_date:
            return (
                f"up to date; {self.scraped} changed pages parsed, no change in the API"
                if self.scraped
                else "up to date"
            )
        return (
            f"{self.scraped} of {self.pages} pages parsed, {len(self.written)} files written, "
            f"{self.kept} unchanged, {len(self.removed)} removed" + ("; patched the last build" if self.patched else "")
        )


def _check_inputs(config: BuildConfig) -> None:
    for item in config.inputs:
        if not item.exists():
            raise SdkgenError(f"{config.source}: [tool.sdkgen] input {item} does not exist")


class _Clock:
    """Wall time per phase, for `sdkgen build -v`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = self.timings.get(phase, 0.0) + now - self._last
        self._last = now


def _workers(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def build(config: BuildConfig, *, jobs: int = 0, use_cache: bool = True) -> BuildReport:
    """Run the build; raises SdkgenError (output untouched) when nothing usable comes out.

    `use_cache=False` builds from scratch (and refreshes the cache for the next build).
    """
    _check_inputs(config)
    cache = BuildCache(config.cache, read=use_cache)
    clock = _Clock()
    with cache.lock(), gc_paused():
        pages = cache.scan_pages(find_page_files(config.inputs))
        inputs_key = _inputs_key(config, pages)
        state = cache.load_state()
        clock.lap("scan")
        # A run killed after it began to change the output deleted the state first, so leftovers
        # of one always mean a full build, which cleans them up.
        if state.get("inputs") == inputs_key and _outputs_untouched(config, state):
            clock.lap("check")
            return _report_from_state(config, state, len(pages), clock.timings)
        recover(config.output)  # before the check: the output may be a tree a killed run moved aside
        check_replaceable(config.output)
        from generator.build.patch import patch_build

        patched = patch_build(config, cache, pages, inputs_key, state, clock)
        if patched is not None:
            return patched
        return _full_build(config, cache, pages, (inputs_key, state), jobs, clock)


def _inputs_key(config: BuildConfig, pages: Sequence[PageFile]) -> str:
    """Everything the output depends on: the code, the settings, each page's name and bytes."""
    return _key(config, [f"{page.name}\0{page.digest}" for page in pages])


def _entry_digest(entry: ScrapeEntry) -> str:
    return sha256_hex(entry.json.encode("utf-8", "surrogatepass"))


def _results_key(config: BuildConfig, entries: Sequence[ScrapeEntry], digests: Sequence[str]) -> str:
    """The same, one step on: what was read from each page (the IR, and so the output, follows from it)."""
    return _results_key_of(config, [(entry.kind, digest) for entry, digest in zip(entries, digests, strict=True)])


def _results_key_of(config: BuildConfig, results: Sequence[tuple[str, str]]) -> str:
    """`_results_key` from (kind, digest of the JSON) per page."""
    return _key(config, [f"{kind}\t{digest}" for kind, digest in results])


def build_key(config: BuildConfig) -> str:
    """The code and the settings: what every cached decision about the whole API depends on."""
    return _key(config, [])


def _key(config: BuildConfig, listing: list[str]) -> str:
    settings = [config.package_name, *(str(p) for p in (config.output, config.ir, config.openapi, *config.inputs))]
    return sha256_hex("\n".join([build_fingerprint(), *settings, "", *listing]).encode("utf-8", "surrogatepass"))


# --- up to date ----------------------------------------------------------------------------------


def _signature(path: Path) -> list[int] | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _tree_signatures(root: Path) -> dict[str, list[int]]:
    """Relative path -> size, mtime and inode of every file below `root` (symlinked folders not entered)."""
    found: dict[str, list[int]] = {}
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
                continue
            with suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return dict(sorted(found.items()))


def _outside_files(config: BuildConfig) -> list[Path]:
    return [path for path in (config.ir, config.openapi) if config.inside_output(path) is None]


def _outputs_untouched(config: BuildConfig, state: dict[str, Any]) -> bool:
    """Every file the last build wrote is still there with the same size, mtime and inode, and no other."""
    if _tree_signatures(config.output) != state.get("outputs"):
        return False
    outside = state.get("outside", {})
    return bool({str(p): _signature(p) for p in _outside_files(config)} == outside)


def _report_from_state(
    config: BuildConfig, state: dict[str, Any], pages: int, timings: dict[str, float], scraped: int = 0
) -> BuildReport:
    report = state.get("report", {})
    failed = _diagnostics(report.get("failed_pages", []))
    return BuildReport(
        output=config.output,
        ir=config.ir,
        openapi=config.openapi,
        operations=int(report.get("operations", 0)),
        groups=int(report.get("groups", 0)),
        types=int(report.get("types", 0)),
        failed_pages=failed,
        up_to_date=True,
        pages=pages,
        scraped=scraped,
        kept=len(state.get("outputs", {})),
        timings=timings,
    )


def _diagnostics(items: list[Any]) -> list[Diagnostic]:
    if not items:
        return []  # without loading pydantic and the IR model
    from generator.ir.model import Diagnostic

    return [Diagnostic.model_validate(item) for item in items]


# --- scraping ------------------------------------------------------------------------------------


def _scrape_page(path: str, name: str) -> tuple[str, str, str]:
    """(kind, JSON, sha256 of the bytes read) for one page; the hash is empty when the page changed
    while it was being read (the result is then not cached). Never raises for a bad page."""
    from generator.ir.model import Diagnostic, Endpoint, Severity, Source
    from generator.scrape import scrape_page_file

    before = _digest_of(path)
    try:
        result: Endpoint | Diagnostic = scrape_page_file(Path(path), name)
    except Exception as exc:  # a scraper bug must cost one page, not the build
        result = Diagnostic(
            severity=Severity.ERROR,
            code="internal-error",
            message=f"the scraper failed on this page ({type(exc).__name__}: {exc}); please report it",
            source=Source(file=name),
        )
    after = _digest_of(path)
    kind = "endpoint" if isinstance(result, Endpoint) else "diagnostic"
    return kind, result.model_dump_json(), before if before == after else ""


def _digest_of(path: str) -> str:
    try:
        return sha256_hex(Path(path).read_bytes())
    except OSError:
        return ""


def _scrape_batch(batch: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    with gc_paused():
        return [_scrape_page(path, name) for path, name in batch]


def _scrape_pages(pages: list[PageFile], jobs: int) -> list[tuple[str, str, str]]:
    items = [(str(page.path), page.name) for page in pages]
    workers = min(_workers(jobs), max(1, len(items) // 8))
    if workers <= 1 or len(items) < _IN_PROCESS_PAGES:
        return _scrape_batch(items)
    import generator.scrape  # noqa: F401  # loaded once here, not once per worker: forked workers inherit it

    size = max(4, len(items) // (workers * 4))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    with _worker_errors(), ProcessPoolExecutor(max_workers=workers) as pool:
        return [result for chunk in pool.map(_scrape_batch, batches) for result in chunk]


@contextmanager
def _worker_errors() -> Iterator[None]:
    try:
        yield
    except BrokenProcessPool:
        raise SdkgenError("a worker process ended abruptly (killed, or out of memory?); nothing was written") from None


def _from_entry(entry: ScrapeEntry) -> Endpoint | Diagnostic | None:
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
class _Entries:
    """Every page's result as JSON (from the cache where it has one), and what reading them found."""

    entries: list[ScrapeEntry]
    scraped: int  # pages scraped (not in the cache)
    kept: set[str]  # cache keys of this build's pages
    # Results read back meanwhile, where the pages were scraped in a worker (None: not read yet).
    read: list[Endpoint | Diagnostic | None]


def _entries(pages: list[PageFile], cache: BuildCache, jobs: int) -> _Entries:
    """The pages' results, scraping those the cache lacks: when there are few of them (a page edited),
    beside reading back the others (`scraping_beside`)."""
    keys = [BuildCache.scrape_key(page) for page in pages]
    found = [cache.get_scrape(key) if page.digest else None for page, key in zip(pages, keys, strict=True)]
    kept = {key for key, entry in zip(keys, found, strict=True) if entry is not None}
    missing = [index for index, entry in enumerate(found) if entry is None]
    entries = [e or ScrapeEntry("", "") for e in found]
    read: list[Endpoint | Diagnostic | None] = [None] * len(entries)
    if not missing or len(missing) >= _IN_PROCESS_PAGES or _workers(jobs) < 2 or not _can_fork():
        return _Entries(_scrape_into(pages, entries, missing, cache, jobs, kept), len(missing), kept, read)
    with scraping_beside([pages[i] for i in missing]) as scraped:
        read = [_from_entry(entry) if entry.kind else None for entry in entries]
        _store(pages, entries, missing, scraped(), cache, kept)
    return _Entries(entries, len(missing), kept, read)


@contextmanager
def scraping_beside(pages: list[PageFile]) -> Iterator[Callable[[], list[tuple[str, str, str]]]]:
    """A few pages scraped in a forked worker while this process goes on (the scraper's import and
    a page take about as long as reading back a thousand cached results); the callable waits for
    the results. Without fork they are scraped when it is called."""
    if not pages or not _can_fork():
        yield lambda: _scrape_pages(pages, 1)
        return
    items = [(str(page.path), page.name) for page in pages]
    with _worker_errors(), ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(_scrape_batch, items).result


def _scrape_into(
    pages: list[PageFile], entries: list[ScrapeEntry], indexes: list[int], cache: BuildCache, jobs: int, kept: set[str]
) -> list[ScrapeEntry]:
    """Scrape the pages at `indexes` into `entries`, caching what may be cached."""
    return _store(pages, entries, indexes, _scrape_pages([pages[i] for i in indexes], jobs), cache, kept)


def _store(
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
        if digest and not (kind == "diagnostic" and json.loads(text).get("code") in _UNCACHED_CODES):
            key = BuildCache.scrape_key(PageFile(pages[index].path, pages[index].name, digest))
            cache.put_scrape(key, entry)
            kept.add(key)
    return entries


def _results(
    pages: list[PageFile], found: _Entries, digests: list[str], cache: BuildCache, jobs: int
) -> tuple[list[Endpoint | Diagnostic], EndpointDigests]:
    """The entries (with the digests of their JSON) as IR objects, and id(endpoint) -> (endpoint, digest)
    for the render memo's keys; a cached entry that no longer reads back is scraped again."""
    from generator.ir.model import Endpoint

    entries, kept = found.entries, found.kept
    results = [done or _from_entry(entry) for done, entry in zip(found.read, entries, strict=True)]
    unreadable = [index for index, result in enumerate(results) if result is None]
    if unreadable:
        _scrape_into(pages, entries, unreadable, cache, jobs, kept)
        for index in unreadable:
            results[index] = _from_entry(entries[index])
            digests[index] = _entry_digest(entries[index])
            if results[index] is None:
                raise SdkgenError(f"{pages[index].name}: the scraper's result does not read back")
    by_id = {
        id(result): (result, digest)
        for result, digest in zip(results, digests, strict=True)
        if isinstance(result, Endpoint)
    }
    return [result for result in results if result is not None], by_id


# --- rendering, with a forked worker beside the renderer --------------------------------------------
#
# The renderer is one sequential pass (plan, templates). Around it, a worker process forked when it
# starts serializes the IR and the OpenAPI document, compile()-checks modules as they come, then
# shares with the renderer's process the modules left to format (the statements black must lay out,
# and their compile() checks). Modules the format memo already knows are finished during the pass.
# Without fork (or with one job) everything happens in order in this process.
#
# Work and results travel as files in a scratch folder, the pool's pipes only carry their names: the
# pool's threads here need the GIL for every 64 KB they move, and the busy renderer hands it over
# seldom (a long compile() or black call holds it throughout), so megabytes through a pipe would
# keep the worker waiting for seconds.

# What the worker inherits by fork (never pickled): the IR, black's output known before rendering,
# and for the documents' fragments (generator/documents.py) the endpoint digests and the memo's file.
_SIDE_IR: IR | None = None
_SIDE_SEGMENTS: dict[str, str] = {}
_SIDE_DOCUMENTS: tuple[EndpointDigests, Path | None] = ({}, None)
_IR_FILE, _OPENAPI_FILE, _FRAGMENTS_FILE = "api.json", "openapi.json", "documents.pack"
_SKELETONS_FILE = "skeletons"

# A module's formatting: (text, its splices, black's output for them, statements black formatted).
_Formatted = tuple[str, list[tuple[int, int, str]], dict[str, str], int]
_CompileErrors = list[tuple[int, tuple[int | None, str]]]


def _put(path: Path, value: object) -> None:
    """For the other process: our own data, in our own private scratch folder."""
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _take(path: Path) -> Any:
    return pickle.loads(path.read_bytes())  # written by this build into its private folder (see _put)


def _documents(scratch: str, in_worker: bool) -> tuple[bytes, bytes]:
    """The IR and OpenAPI files for `_SIDE_IR` (in the worker: written to `scratch`, nothing returned),
    from the fragments of the last build where they still hold; the new fragments go to `scratch`."""
    from generator.build.documents import DocumentMemo, keys_from_digests, write_documents

    assert _SIDE_IR is not None
    digests, pack = _SIDE_DOCUMENTS
    memo = DocumentMemo()
    if pack is not None:
        with suppress(OSError):
            memo = DocumentMemo.from_bytes(pack.read_bytes())
    with gc_paused():
        written = write_documents(_SIDE_IR, memo, keys_from_digests(digests))
        documents = written.ir.encode("utf-8", "surrogatepass"), written.openapi.encode("utf-8", "surrogatepass")
    _put(Path(scratch, _SKELETONS_FILE), (written.ir_skeleton, written.openapi_skeleton))
    appendix = memo.appendix()
    if appendix is None:
        Path(scratch, _FRAGMENTS_FILE).write_bytes(memo.to_bytes())  # the build moves it into the cache
    elif appendix and pack is not None:
        with suppress(OSError), pack.open("ab") as fh:  # fragments are keyed by content: safe to add at once
            fh.write(appendix)
    if not in_worker:
        return documents
    Path(scratch, _IR_FILE).write_bytes(documents[0])
    Path(scratch, _OPENAPI_FILE).write_bytes(documents[1])
    return b"", b""


def _compile_batch(request: str) -> _CompileErrors:
    """(index in batch, error) of every module (path, source) in the batch file that does not compile."""
    from generator.render.emit import compile_error

    errors = []
    for index, (path, source) in enumerate(_take(Path(request))):
        error = compile_error(path, source)
        if error is not None:
            errors.append((index, error))
    return errors


def _format_modules(modules: list[tuple[str, str, dict[str, str]]]) -> list[_Formatted | SdkgenError]:
    """Format and compile-check modules (path, source, owners) with the segments known before rendering."""
    from generator.render.emit import FormatSession, format_python, format_session, source_digest

    session = FormatSession(segments=dict(_SIDE_SEGMENTS))
    results: list[_Formatted | SdkgenError] = []
    with gc_paused(), format_session(session):
        for path, source, owners in modules:
            black_runs = session.black_runs
            try:
                text = format_python(path, source, owners)
            except SdkgenError as exc:  # RenderError: reported by the caller, in module order
                results.append(exc)
                continue
            splices = session.modules[source_digest(source)]
            segments = {key: session.segments[key] for _, _, key in splices}
            results.append((text, splices, segments, session.black_runs - black_runs))
    return results


def _format_file(request: str) -> str:
    """`_format_modules` from a request file to a result file (its name returned)."""
    result = f"{request}.done"
    _put(Path(result), _format_modules(_take(Path(request))))
    return result


def _chunks(modules: list[PendingModule], count: int) -> list[list[int]]:
    """Indexes of `modules` in about `count` runs of similar total source size, in order."""
    total = sum(len(m.source) for m in modules) or 1
    chunks: list[list[int]] = [[]]
    filled = 0
    for index, module in enumerate(modules):
        if filled >= total / count and chunks[-1]:
            chunks.append([])
            filled = 0
        chunks[-1].append(index)
        filled += len(module.source)
    return chunks


class _SideWorker:
    """One forked process beside the renderer (none where fork is missing or one job is asked for)."""

    def __init__(
        self, ir: IR, session: FormatSession, jobs: int, scratch: Path, documents: tuple[EndpointDigests, Path | None]
    ) -> None:
        global _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS
        _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS = ir, session.segments, documents
        self.scratch = scratch
        self.pool: ProcessPoolExecutor | None = None
        if _workers(jobs) > 1 and _can_fork():
            self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        self.documents: Future[tuple[bytes, bytes]] | None = None
        self.batches: list[tuple[list[PendingModule], Future[_CompileErrors]]] = []
        self.waiting: list[PendingModule] = []
        self.waiting_bytes = 0
        self.unformatted: list[PendingModule] = []

    def start(self, session: FormatSession) -> None:
        """Fork the worker (it starts on the documents) and take the session's put-off work."""
        if self.pool is None:
            return
        self.documents = self.pool.submit(_documents, str(self.scratch), True)
        session.defer = self.defer
        session.defer_format = self.unformatted.append

    def defer(self, check: PendingModule) -> None:
        self.waiting.append(check)
        self.waiting_bytes += len(check.source)
        if self.waiting_bytes >= _CHECK_BATCH_BYTES:
            self._submit()

    def _submit(self) -> None:
        if self.waiting and self.pool is not None:
            request = self.scratch / f"check-{len(self.batches)}"
            _put(request, [(check.path, check.source) for check in self.waiting])
            self.batches.append((self.waiting, self.pool.submit(_compile_batch, str(request))))
        self.waiting, self.waiting_bytes = [], 0

    def finish(self, session: FormatSession, files: dict[str, str | bytes]) -> tuple[bytes, bytes]:
        """Do the put-off work (sharing the formatting), update `files`; the IR and OpenAPI files.

        Raises the first failure in module order."""
        from generator.render.emit import check_failure

        self._submit()
        with _worker_errors():
            if self.unformatted:
                self._format(session, files)
            for checks, future in self.batches:
                errors = future.result()
                if errors:
                    index, error = errors[0]
                    raise check_failure(checks[index], error)
            session.compiled.update(check.digest for checks, _ in self.batches for check in checks)
            if self.documents is None:
                return _documents(str(self.scratch), False)
            self.documents.result()
            return (self.scratch / _IR_FILE).read_bytes(), (self.scratch / _OPENAPI_FILE).read_bytes()

    def _format(self, session: FormatSession, files: dict[str, str | bytes]) -> None:
        """Format the put-off modules, sharing the chunks with the worker: it takes them from the front
        of its queue, this process from the back, until they meet (whatever each was busy with before)."""
        from generator.render.emit import source_digest

        modules = self.unformatted
        chunks = _chunks(modules, _FORMAT_CHUNKS)
        requests = [[(modules[i].path, modules[i].source, dict(modules[i].owners)) for i in chunk] for chunk in chunks]
        futures: list[Future[str]] = []
        if self.pool is not None:
            for number, request in enumerate(requests):
                _put(self.scratch / f"format-{number}", request)
                futures.append(self.pool.submit(_format_file, str(self.scratch / f"format-{number}")))
        done: dict[int, list[_Formatted | SdkgenError]] = {}
        for number in reversed(range(len(chunks))):
            if futures and not futures[number].cancel():
                break  # the worker has it: it has (or will have) every chunk before it too
            done[number] = _format_modules(requests[number])
        for number, future in enumerate(futures):
            if number not in done:
                done[number] = _take(Path(future.result()))
        for number, chunk in enumerate(chunks):
            for index, outcome in zip(chunk, done[number], strict=True):
                if isinstance(outcome, SdkgenError):
                    raise outcome  # the first failure in module order
                text, splices, segments, black_runs = outcome
                module = modules[index]
                files[module.path] = text
                session.modules[module.digest] = splices
                session.segments.update(segments)
                session.used_segments.update(segments)
                session.compiled.add(source_digest(text))
                session.black_runs += black_runs
                session.compile_runs += 1

    def close(self, session: FormatSession) -> None:
        global _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS
        session.defer = session.defer_format = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        _SIDE_IR, _SIDE_SEGMENTS, _SIDE_DOCUMENTS = None, {}, ({}, None)


def _render(
    config: BuildConfig, ir: IR, memos: tuple[FormatSession, RenderMemo, Path | None], jobs: int, scratch: Path,
    clock: _Clock,
) -> tuple[dict[str, str | bytes], RenderedSdk, bytes, bytes]:  # fmt: skip
    from generator.render import render_sdk
    from generator.render.emit import format_session

    session, memo, fragments = memos
    side = _SideWorker(ir, session, jobs, scratch, (memo.endpoint_digests, fragments))
    try:
        side.start(session)
        with format_session(session):
            rendered = render_sdk(ir, config.package_name, memo=memo, context=build_fingerprint())
        clock.lap("render")
        files: dict[str, str | bytes] = dict(rendered.files)
        session.defer = session.defer_format = None  # what is left runs in finish()
        ir_data, openapi_data = side.finish(session, files)
        memo.complete(files)
        clock.lap("format, check, documents")
    finally:
        side.close(session)
    return files, rendered, ir_data, openapi_data


def _place_documents(
    config: BuildConfig, files: dict[str, str | bytes], ir_data: bytes, openapi_data: bytes
) -> list[tuple[Path, bytes]]:
    """The IR and OpenAPI files into the tree when they live in the output folder; the others."""
    outside: list[tuple[Path, bytes]] = []
    for key, path, data in (("ir", config.ir, ir_data), ("openapi", config.openapi, openapi_data)):
        inside = config.inside_output(path)
        if inside is None:
            outside.append((path, data))
        elif inside in files:
            raise SdkgenError(f"{config.source}: [tool.sdkgen] {key} {inside!r} would overwrite a generated file")
        else:
            files[inside] = data
    return outside


def _write_outside(path: Path, data: bytes) -> bool:
    """Write a file outside the output folder unless it already holds `data`; whether it was written."""
    try:
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    try:
        write_bytes_atomic(path, data)
    except OSError as exc:
        raise SdkgenError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def _scratch_folder(cache: BuildCache) -> Iterator[Path]:
    """A private folder for work passed to the worker; what a killed build left is removed next time."""
    cache.prepare()
    for stale in cache.root.glob("scratch-*"):
        shutil.rmtree(stale, ignore_errors=True)  # under the project lock: no other build uses them
    folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=cache.root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _full_build(
    config: BuildConfig,
    cache: BuildCache,
    pages: list[PageFile],
    keys: tuple[str, dict[str, Any]],
    jobs: int,
    clock: _Clock,
) -> BuildReport:
    """Scrape what the cache lacks; unless that changed nothing, render and swap in the new output."""
    inputs_key, state = keys
    found = _entries(pages, cache, jobs)
    entries, scraped = found.entries, found.scraped
    cache.save_scrape(found.kept)  # now: a build that fails or is killed later still saved this work
    digests = [_entry_digest(entry) for entry in entries]
    results_key = _results_key(config, entries, digests)
    if state.get("results") == results_key and _outputs_untouched(config, state):
        # Pages changed but none of what was read from them (page chrome, a comment): same IR, same output.
        cache.save_state({**state, "inputs": inputs_key})
        clock.lap("scrape")
        return _report_from_state(config, state, len(pages), clock.timings, scraped=scraped)
    from generator.build.patch import make_snapshot, save_snapshot
    from generator.scrape import assemble_ir

    results, endpoint_digests = _results(pages, found, digests, cache, jobs)
    del entries, found
    clock.lap("scrape")
    result = assemble_ir(results)
    pages_read = _page_records(pages, results, digests, {id(e) for e in result.ir.endpoints})
    del results
    clock.lap("assemble")
    if not result.ir.endpoints:
        raise SdkgenError(
            f"{config.source}: no operation could be read from {', '.join(map(str, config.inputs))}; "
            f"{config.output} left unchanged"
        )
    from generator.render.emit import cache_templates

    cache_templates(cache.root / "templates")
    session, memo = cache.load_format(), cache.render_memo(endpoint_digests)
    memos = (session, memo, cache.fragments_file())
    with _scratch_folder(cache) as scratch:
        files, rendered, ir_data, openapi_data = _render(config, result.ir, memos, jobs, scratch, clock)
        cache.keep_fragments(scratch / _FRAGMENTS_FILE)  # moved into the cache now, in use from the next build on
        skeletons = _take(scratch / _SKELETONS_FILE)
    outside = _place_documents(config, files, ir_data, openapi_data)
    cache.forget_state()  # from here on the output changes: a kill must not leave it looking up to date
    stats = write_tree(dict(sorted(files.items())), config.output)
    written = list(stats.written)
    for path, data in outside:
        if _write_outside(path, data):
            written.append(str(path))
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
    if not any(d.code in _UNCACHED_CODES for d in result.errors):  # else the next build must try them again
        state_now = _state(config, (inputs_key, results_key), report)
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


def _page_records(
    pages: list[PageFile], results: list[Endpoint | Diagnostic], digests: list[str], kept: set[int]
) -> dict[str, PageRecord]:
    """What each page gave (for the snapshot a patch build starts from); `kept`: ids of the IR's endpoints."""
    from generator.ir.model import Endpoint
    from generator.build.patch import PageRecord

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


def _state(config: BuildConfig, keys: tuple[str, str], report: BuildReport) -> dict[str, Any]:
    return {
        "inputs": keys[0],
        "results": keys[1],
        "outputs": _tree_signatures(config.output),
        "outside": {str(p): _signature(p) for p in _outside_files(config)},
        "report": {
            "operations": report.operations,
            "groups": report.groups,
            "types": report.types,
            "failed_pages": [json.loads(d.model_dump_json()) for d in report.failed_pages],
        },
    }


# --- sdkgen update ------------------------------------------------------------------------------


def snapshot_folder(config: BuildConfig, snapshot: Path | None) -> Path:
    """Where `sdkgen update` crawls to: a folder the build reads (else the update would change nothing)."""
    from generator.errors import UsageError

    if snapshot is None:
        return config.inputs[0]
    resolved = snapshot.resolve()
    if not any(resolved == item.resolve() or resolved.is_relative_to(item.resolve()) for item in config.inputs):
        inputs = ", ".join(str(item) for item in config.inputs)
        raise UsageError(f"snapshot folder {snapshot} is not read by the build ([tool.sdkgen] input: {inputs})")
    return snapshot


def previous_ir(config: BuildConfig) -> IR | None:
    """The last build's IR (what a diff compares), or None before the first build."""
    from generator.diff import read_ir_for_diff

    if not config.ir.is_file():
        return None
    with gc_paused():
        return read_ir_for_diff(config.ir)


def diff_with_previous(config: BuildConfig, previous: IR | None, report: BuildReport) -> DiffReport:
    """What changed between the previous build's IR and this one's (everything is new the first time)."""
    from generator.diff import diff_irs
    from generator.ir.model import IR

    current = report.ir_model if report.ir_model is not None else previous_ir(config)
    if current is None:
        raise SdkgenError(f"{config.ir}: the build wrote no IR")
    old_source = f"{config.ir} (previous build)" if previous is not None else "(no previous build)"
    with gc_paused():
        return diff_irs(previous or IR(), current, old_source, str(config.ir))
