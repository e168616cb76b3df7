"""`crawl_site`: discover the pages, fetch them concurrently, keep the snapshot folder in step.

The snapshot folder holds `pages/<slug>.html` (bytes exactly as served) and `manifest.json`.
Rules that keep it trustworthy:
- a page file is only written when its bytes changed (unchanged files keep their mtime), and only
  from a complete body;
- a page that fails keeps its previous file and manifest entry (a flaky server never erases data);
- pages the site no longer lists are deleted (the snapshot mirrors the site), but only when the
  page list is known to be complete: every sitemap file was read, or, when following links,
  no page failed; otherwise they are reported and kept;
- the manifest is saved atomically every few pages and on any interruption, with `complete: false`;
  a rerun then skips, without a request, the pages that interrupted run already did.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime
from pathlib import Path

import httpx

from generator import __version__
from generator.crawl.discover import Discovery, Robots, discover, extract_links, load_robots
from generator.crawl.fetch import (
    Clock,
    Fetched,
    Fetcher,
    FetchFailed,
    RetryPolicy,
    Sleep,
    Validators,
    utc_now,
)
from generator.crawl.manifest import (
    MANIFEST_NAME,
    PAGES_DIR,
    Manifest,
    PageEntry,
    RemovedEntry,
    is_page_file,
    load_manifest,
    page_path,
    read_if_exists,
    save_manifest,
    sha256_hex,
)
from generator.crawl.progress import CrawlProgress, NullProgress
from generator.crawl.report import CrawlReport, Outcome, PageResult, RemovedPage
from generator.crawl.urls import Scope, assign_files
from generator.errors import SdkgenError, UsageError
from generator.fsutil import write_bytes_atomic

DEFAULT_CONCURRENCY = 8
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 0.5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_CHECKPOINT_EVERY = 25
DEFAULT_MAX_PAGES = 20_000  # a link-following crawl stops there: protection against crawler traps


def default_user_agent() -> str:
    return f"sdkgen-crawler/{__version__} (+docs tool)"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _check_settings(concurrency: int, timeout: float, retries: int, max_bytes: int, checkpoint_every: int) -> None:
    if concurrency < 1:
        raise UsageError(f"concurrency must be at least 1, not {concurrency}")
    if timeout <= 0:
        raise UsageError(f"timeout must be positive, not {timeout}")
    if retries < 0:
        raise UsageError(f"retries cannot be negative ({retries})")
    if max_bytes < 1:
        raise UsageError(f"the page size limit must be positive, not {max_bytes}")
    if checkpoint_every < 1:
        raise UsageError(f"checkpoint interval must be at least 1, not {checkpoint_every}")


async def crawl_site(
    url: str,
    out_dir: Path,
    *,
    concurrency: int = DEFAULT_CONCURRENCY,
    timeout: float = DEFAULT_TIMEOUT,
    retries: int = DEFAULT_RETRIES,
    backoff: float = DEFAULT_BACKOFF,
    max_backoff: float = 30.0,
    retry_after_cap: float = 60.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    prune: bool = True,
    checkpoint_every: int = DEFAULT_CHECKPOINT_EVERY,
    max_pages: int = DEFAULT_MAX_PAGES,
    user_agent: str | None = None,
    progress: CrawlProgress | None = None,
    client: httpx.AsyncClient | None = None,
    sleep: Sleep = asyncio.sleep,
    rng: random.Random | None = None,
    clock: Clock = utc_now,
) -> CrawlReport:
    """Crawl the API pages under the explorer `url` into the snapshot folder `out_dir`.

    `timeout` bounds each attempt (connect to last byte); `retries` are extra attempts after
    connection errors, timeouts, truncated bodies, 429 and 5xx, spaced by exponential backoff from
    `backoff` seconds (or the server's Retry-After, at most `retry_after_cap`). `client`, `sleep`,
    `rng` and `clock` are for callers that share a client and for tests. Raises SdkgenError when
    the site cannot be crawled at all (robots.txt unreachable, no pages found); page failures are
    in the report. On interruption (Ctrl-C, cancellation) the manifest is saved before re-raising.
    """
    scope = Scope.from_url(url)
    _check_settings(concurrency, timeout, retries, max_bytes, checkpoint_every)
    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise UsageError(f"{out_dir}: the snapshot folder is a file")
    agent = user_agent or default_user_agent()
    own_client = client is None
    if client is None:
        client = httpx.AsyncClient(
            http1=True,
            http2=False,
            follow_redirects=False,
            timeout=timeout,
            limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
            headers={"User-Agent": agent},
        )
    fetcher = Fetcher(
        client,
        user_agent=agent,
        timeout=timeout,
        max_bytes=max_bytes,
        policy=RetryPolicy(retries, backoff, max_backoff, retry_after_cap),
        sleep=sleep,
        rng=rng or random.Random(),
        clock=clock,
    )
    try:
        crawl = _Crawl(
            scope,
            Path(out_dir),
            fetcher,
            concurrency=concurrency,
            prune=prune,
            checkpoint_every=checkpoint_every,
            max_pages=max_pages,
            progress=progress or NullProgress(),
        )
        return await crawl.run()
    finally:
        if own_client:
            await client.aclose()


class _Crawl:
    """The state of one crawl: the manifest entries as they are updated, and the page results."""

    def __init__(
        self,
        scope: Scope,
        out_dir: Path,
        fetcher: Fetcher,
        *,
        concurrency: int,
        prune: bool,
        checkpoint_every: int,
        max_pages: int,
        progress: CrawlProgress,
    ) -> None:
        self.scope = scope
        self.out_dir = out_dir
        self.fetcher = fetcher
        self.concurrency = concurrency
        self.prune = prune
        self.checkpoint_every = checkpoint_every
        self.max_pages = max_pages
        self.progress = progress
        self.entries: dict[str, PageEntry] = {}  # the manifest being built: previous entries, then updated
        self.names: dict[str, str] = {}  # page URL -> file name in pages/ (sticky across crawls)
        self.results: dict[str, PageResult] = {}
        self.queued: set[str] = set()
        self.notes: list[str] = []
        self.truncated = False
        self.resume_since: str | None = None
        self.started_at = _iso(fetcher.clock())
        self.since_checkpoint = 0
        self.discovery = Discovery("sitemap", [], complete=False, notes=[])
        self.robots: Robots | None = None

    # -- the run -------------------------------------------------------------------------------

    async def run(self) -> CrawlReport:
        self._adopt_previous(load_manifest(self.out_dir))
        self.robots = await load_robots(self.fetcher, self.scope)
        self.discovery = await discover(self.fetcher, self.scope, self.robots)
        for note in self.discovery.notes:
            self._note(note)
        if self.resume_since is not None:
            self._note(f"resuming the crawl interrupted after {self.resume_since}")
        try:
            await self._crawl_pages(self.discovery.pages)
        except BaseException:
            # Ctrl-C, cancellation or a bug: what was fetched so far must not be lost.
            self._save(complete=False)
            raise
        removed = self._remove_unlisted()
        self._save(complete=True, removed=removed)
        return CrawlReport(
            root=str(self.scope.root),
            out_dir=self.out_dir,
            discovery=self.discovery.method,
            pages=sorted(self.results.values(), key=lambda r: r.url),
            removed=removed,
            notes=self.notes,
        )

    def _adopt_previous(self, previous: Manifest | None) -> None:
        if previous is None:
            return
        folded: set[str] = set()
        for entry in previous.pages:
            # Entries are untrusted: ignore file names the crawler never writes, and duplicates.
            if not is_page_file(entry.file) or entry.file.lower() in folded or entry.url in self.entries:
                continue
            folded.add(entry.file.lower())
            self.entries[entry.url] = entry
            self.names[entry.url] = entry.file.removeprefix(f"{PAGES_DIR}/")
        if not previous.complete and previous.root == str(self.scope.root):
            self.resume_since = previous.started_at
            self.started_at = previous.started_at  # a second interruption still resumes the first run

    def _note(self, message: str) -> None:
        self.notes.append(message)
        self.progress.note(message)

    # -- the work queue ------------------------------------------------------------------------

    async def _crawl_pages(self, seeds: list[str]) -> None:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self._enqueue(seeds, queue)
        async with asyncio.TaskGroup() as group:
            workers = [group.create_task(self._worker(queue)) for _ in range(self.concurrency)]
            await queue.join()
            for worker in workers:
                worker.cancel()

    def _enqueue(self, urls: list[str], queue: asyncio.Queue[str]) -> None:
        new = sorted(set(urls) - self.queued)
        room = self.max_pages - len(self.queued)
        if len(new) > room:
            if not self.truncated:
                self._note(f"stopping at {self.max_pages} pages (max_pages); the rest is not crawled")
            self.truncated = True
            new = new[: max(room, 0)]
        self.queued.update(new)
        self.names = assign_files(new, self.names)
        self.progress.add_pages(len(new))
        for key in new:
            queue.put_nowait(key)

    async def _worker(self, queue: asyncio.Queue[str]) -> None:
        while True:
            key = await queue.get()
            try:
                result, body, base = await self._process_safely(key)
                self.results[key] = result
                self.progress.page_done(result)
                if self.discovery.method == "links" and body is not None:
                    self._enqueue(extract_links(body, base, self.scope), queue)
                self._maybe_checkpoint()
            finally:
                queue.task_done()

    def _maybe_checkpoint(self) -> None:
        self.since_checkpoint += 1
        if self.since_checkpoint >= self.checkpoint_every:
            self.since_checkpoint = 0
            self._save(complete=False)

    # -- one page ------------------------------------------------------------------------------

    async def _process_safely(self, key: str) -> tuple[PageResult, bytes | None, httpx.URL]:
        try:
            return await self._process(key)
        except (OSError, SdkgenError) as exc:  # a disk problem fails this page, not the crawl
            relative = f"{PAGES_DIR}/{self.names[key]}"
            return (
                PageResult(key, Outcome.FAILED, relative, reason=f"cannot store {relative}: {exc}"),
                None,
                httpx.URL(key),
            )

    async def _process(self, key: str) -> tuple[PageResult, bytes | None, httpx.URL]:
        """Fetch one page and update its file and entry. Returns the result and, for link
        following, the page's bytes and the URL they came from."""
        url = httpx.URL(key)
        assert self.robots is not None
        relative = f"{PAGES_DIR}/{self.names[key]}"
        if not self.robots.allowed(url):
            return PageResult(key, Outcome.DISALLOWED, reason="disallowed by robots.txt"), None, url
        path = page_path(self.out_dir, relative)
        existing = read_if_exists(path)
        previous = self.entries.get(key)
        intact = previous is not None and existing is not None and sha256_hex(existing) == previous.sha256
        if intact and previous is not None and self._done_by_resumed_run(previous):
            return PageResult(key, Outcome.RESUMED, relative, previous.status), existing, url
        # Ask "changed since?" only when the file on disk is the one the validators describe.
        validators = Validators(previous.etag, previous.last_modified) if intact and previous else None
        outcome = await self.fetcher.get(url, redirect_check=self._page_redirect_refusal, validators=validators)
        now = _iso(self.fetcher.clock())
        if isinstance(outcome, FetchFailed):
            kept = previous.file if previous else None
            return PageResult(key, Outcome.FAILED, kept, outcome.status, outcome.reason), None, url
        if not isinstance(outcome, Fetched):  # 304
            if previous is None or not intact:
                return PageResult(key, Outcome.FAILED, None, 304, "HTTP 304 to an unconditional request"), None, url
            self.entries[key] = previous.model_copy(
                update={
                    "status": 304,
                    "fetched_at": now,
                    "etag": outcome.etag or previous.etag,
                    "last_modified": outcome.last_modified or previous.last_modified,
                }
            )
            return PageResult(key, Outcome.NOT_MODIFIED, relative, 304), existing, url
        if existing == outcome.body:
            kind = Outcome.UNCHANGED  # same bytes: leave the file (and its mtime) alone
        else:
            write_bytes_atomic(path, outcome.body)
            kind = Outcome.NEW if existing is None else Outcome.UPDATED
        self.entries[key] = PageEntry(
            url=key,
            file=relative,
            status=outcome.status,
            fetched_at=now,
            etag=outcome.etag,
            last_modified=outcome.last_modified,
            sha256=sha256_hex(outcome.body),
            size=len(outcome.body),
        )
        return PageResult(key, kind, relative, outcome.status), outcome.body, outcome.url

    def _done_by_resumed_run(self, entry: PageEntry) -> bool:
        return self.resume_since is not None and entry.fetched_at >= self.resume_since

    def _page_redirect_refusal(self, target: httpx.URL) -> str | None:
        if not self.scope.same_origin(target):
            return "another host"
        if not self.scope.contains(target):
            return f"outside {self.scope.prefix}"
        if self.robots is not None and not self.robots.allowed(target):
            return "disallowed by robots.txt"
        return None

    # -- the snapshot ----------------------------------------------------------------------------

    def _page_list_complete(self) -> bool:
        if not self.discovery.complete or self.truncated:
            return False
        # When following links, a failed page may have been the only link to others.
        return self.discovery.method == "sitemap" or not any(r.outcome is Outcome.FAILED for r in self.results.values())

    def _remove_unlisted(self) -> list[RemovedPage]:
        gone = sorted(set(self.entries) - self.queued)
        if not gone:
            return []
        delete = self.prune and self._page_list_complete()
        removed: list[RemovedPage] = []
        for key in gone:
            entry = self.entries[key]
            deleted = False
            if delete:
                try:
                    page_path(self.out_dir, entry.file).unlink(missing_ok=True)
                    del self.entries[key]
                    deleted = True
                except (OSError, SdkgenError) as exc:
                    self._note(f"cannot delete {entry.file}: {exc}")
            removed.append(RemovedPage(key, entry.file, deleted))
        if not delete:
            why = "pruning is off" if not self.prune else "the page list may be incomplete"
            self._note(f"{len(gone)} pages no longer listed are kept ({why})")
        return removed

    def _save(self, *, complete: bool, removed: list[RemovedPage] | None = None) -> None:
        manifest = Manifest(
            generator=f"sdkgen {__version__}",
            root=str(self.scope.root),
            discovery=self.discovery.method,
            started_at=self.started_at,
            finished_at=_iso(self.fetcher.clock()) if complete else None,
            complete=complete,
            pages=list(self.entries.values()),
            removed=[RemovedEntry(url=r.url, file=r.file, deleted=r.deleted) for r in removed or []],
        )
        try:
            save_manifest(self.out_dir, manifest)
        except OSError as exc:
            raise SdkgenError(f"{self.out_dir / MANIFEST_NAME}: cannot write the crawl manifest: {exc}") from exc
