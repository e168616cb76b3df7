"""Crawling a well-behaved site: the snapshot, conditional re-crawls, removals, robots, resuming."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.crawl import CrawlReport, Outcome, PageResult, RemovedPage, crawl_site, load_manifest
from generator.crawl.manifest import sha256_hex
from generator.errors import SdkgenError

from .conftest import Crawler
from .server import PREFIX, REPO, DocSite, Fault, SiteState, etag_of, sample_pages, serve

OLD = 1_000_000_000  # an mtime far in the past: a rewritten file cannot keep it


def outcomes(report: CrawlReport) -> dict[str, Outcome]:
    return {p.url.rsplit("/", 1)[-1]: p.outcome for p in report.pages}


def age_files(folder: Path) -> None:
    for f in folder.glob("*.html"):
        os.utime(f, (OLD, OLD))


def rewritten(folder: Path) -> set[str]:
    return {f.stem for f in folder.glob("*.html") if f.stat().st_mtime != OLD}


def test_snapshot_holds_the_served_bytes_and_a_manifest_describing_them(site: DocSite, crawler: Crawler) -> None:
    report = crawler.run(site.explorer_url)

    pages = site.state.pages
    assert report.ok and report.discovery == "sitemap"
    assert outcomes(report) == dict.fromkeys(pages, Outcome.NEW)
    stored = {f.stem: f.read_bytes() for f in (crawler.out / "pages").iterdir()}
    assert stored == pages
    manifest = load_manifest(crawler.out)
    assert manifest is not None and manifest.complete
    assert [e.url for e in manifest.pages] == sorted(site.url(n) for n in pages)
    for entry in manifest.pages:
        body = pages[entry.url.rsplit("/", 1)[-1]]
        assert (entry.file, entry.status, entry.size) == (f"pages/{entry.url.rsplit('/', 1)[-1]}.html", 200, len(body))
        assert entry.sha256 == sha256_hex(body) and entry.etag == etag_of(body)
    assert site.state.user_agents == {"sdkgen-crawler/0.1.0 (+docs tool)"}
    assert site.state.requests[PREFIX.replace("explorer/", "changelog")] == 0  # in the sitemap, out of scope


def test_unchanged_site_costs_only_304s_and_rewrites_nothing(crawler: Crawler) -> None:
    state = SiteState(pages=sample_pages(30))
    state.no_etag = set(sorted(state.pages)[:3])  # these only have Last-Modified: If-Modified-Since
    with serve(state) as site:
        crawler.run(site.explorer_url)
        age_files(crawler.out / "pages")
        bodies_before = site.page_bodies_sent()

        report = crawler.run(site.explorer_url)

        assert site.page_bodies_sent() == bodies_before == 30
        assert outcomes(report) == dict.fromkeys(state.pages, Outcome.NOT_MODIFIED)
        assert sum(state.conditional.values()) == 30
        assert rewritten(crawler.out / "pages") == set()


def test_changing_one_page_refetches_and_rewrites_exactly_that_page(site: DocSite, crawler: Crawler) -> None:
    crawler.run(site.explorer_url)
    age_files(crawler.out / "pages")
    before = dict(site.state.full_bodies)
    name = sorted(site.state.pages)[7]
    site.state.pages[name] = site.state.pages[name].replace(b"</body>", b"<p>new text</p></body>")

    report = crawler.run(site.explorer_url)

    sent = {path: n - before.get(path, 0) for path, n in site.state.full_bodies.items() if n != before.get(path, 0)}
    assert sent == {PREFIX + name: 1}
    assert [p.url for p in report.changed] == [site.url(name)]
    assert report.changed[0].outcome is Outcome.UPDATED
    assert rewritten(crawler.out / "pages") == {name}
    assert (crawler.out / "pages" / f"{name}.html").read_bytes() == site.state.pages[name]


def test_pages_gone_from_the_sitemap_are_deleted_and_listed(site: DocSite, crawler: Crawler) -> None:
    crawler.run(site.explorer_url)
    gone = sorted(site.state.pages)[3]
    del site.state.pages[gone]

    report = crawler.run(site.explorer_url)

    assert report.removed == [RemovedPage(site.url(gone), f"pages/{gone}.html", deleted=True)]
    assert not (crawler.out / "pages" / f"{gone}.html").exists()
    manifest = load_manifest(crawler.out)
    assert manifest is not None
    assert site.url(gone) not in {e.url for e in manifest.pages}
    assert [(r.url, r.deleted) for r in manifest.removed] == [(site.url(gone), True)]


def test_keep_removed_keeps_the_file_and_entry(site: DocSite, crawler: Crawler) -> None:
    crawler.run(site.explorer_url)
    gone = sorted(site.state.pages)[0]
    del site.state.pages[gone]

    report = crawler.run(site.explorer_url, prune=False)

    assert report.removed == [RemovedPage(site.url(gone), f"pages/{gone}.html", deleted=False)]
    assert (crawler.out / "pages" / f"{gone}.html").exists()


def test_existing_identical_files_without_a_manifest_are_left_alone(site: DocSite, crawler: Crawler) -> None:
    pages_dir = crawler.out / "pages"
    pages_dir.mkdir(parents=True)
    for name, body in site.state.pages.items():
        (pages_dir / f"{name}.html").write_bytes(body)
    age_files(pages_dir)
    first = sorted(site.state.pages)[0]
    (pages_dir / f"{first}.html").write_bytes(b"stale copy")
    os.utime(pages_dir / f"{first}.html", (OLD, OLD))

    report = crawler.run(site.explorer_url)

    assert rewritten(pages_dir) == {first}
    assert outcomes(report)[first] is Outcome.UPDATED
    assert set(outcomes(report).values()) == {Outcome.UNCHANGED, Outcome.UPDATED}


def test_sitemap_index_declared_in_robots_txt(crawler: Crawler) -> None:
    with serve(SiteState(pages=sample_pages(10), sitemap="index")) as site:
        report = crawler.run(site.explorer_url)
        assert report.ok and report.discovery == "sitemap"
        assert len(report.pages) == 10
        assert site.state.requests["/sitemaps/a.xml"] == site.state.requests["/sitemaps/b.xml"] == 1
        assert site.state.requests["/sitemap.xml"] == 0


def test_robots_txt_disallow_is_honoured(crawler: Crawler) -> None:
    pages = sample_pages(5) | {"Secret": b"<html>private</html>"}
    with serve(SiteState(pages=pages)) as site:
        report = crawler.run(site.explorer_url)
        assert report.disallowed == [
            PageResult(site.url("Secret"), Outcome.DISALLOWED, reason="disallowed by robots.txt")
        ]
        assert site.requests_for("Secret") == 0
        assert not (crawler.out / "pages" / "Secret.html").exists()
        assert report.ok  # skipping what robots.txt forbids is not a failure


def test_missing_robots_txt_allows_everything(crawler: Crawler) -> None:
    pages = sample_pages(2) | {"Secret": b"<html>not so private</html>"}
    with serve(SiteState(pages=pages, robots_status=404)) as site:
        report = crawler.run(site.explorer_url)
        assert outcomes(report)["Secret"] is Outcome.NEW


def test_unreachable_robots_txt_stops_the_crawl_before_anything_is_written(crawler: Crawler) -> None:
    with serve(SiteState(pages=sample_pages(2), robots_status=503)) as site:
        with pytest.raises(SdkgenError, match=r"robots\.txt.*HTTP 503 \(gave up after 3 attempts\)"):
            crawler.run(site.explorer_url)
        assert site.state.requests["/robots.txt"] == 3
        assert not crawler.out.exists()


def _without_times(manifest_text: str, base_url: str) -> dict[str, Any]:
    data = json.loads(manifest_text.replace(base_url, "BASE"))
    for key in ("started_at", "finished_at"):
        data.pop(key)
    for entry in data["pages"]:
        entry.pop("fetched_at")
    return dict(data)


def test_manifest_is_deterministic_apart_from_times(site: DocSite, tmp_path: Path) -> None:
    texts = []
    for run in ("a", "b"):
        Crawler(tmp_path / run).run(site.explorer_url, concurrency=3 if run == "a" else 8)
        texts.append((tmp_path / run / "manifest.json").read_text())
    assert _without_times(texts[0], site.base_url) == _without_times(texts[1], site.base_url)
    first = json.loads(texts[0])
    assert list(first) == sorted(first, key=list(first).index)  # stable key order, not re-sorted per run


def test_interrupted_crawl_resumes_without_redoing_finished_pages(site: DocSite, crawler: Crawler) -> None:
    class CancelAfter:
        def __init__(self, task_holder: list[asyncio.Task[CrawlReport]], count: int) -> None:
            self.holder, self.count, self.done = task_holder, count, 0

        def note(self, message: str) -> None:
            pass

        def add_pages(self, count: int) -> None:
            pass

        def page_done(self, result: PageResult) -> None:
            self.done += 1
            if self.done == self.count:
                self.holder[0].cancel()  # what Ctrl-C does to asyncio.run's main task

        def close(self) -> None:
            pass

    async def interrupted() -> None:
        holder: list[asyncio.Task[CrawlReport]] = []
        options = crawler.options(concurrency=2, checkpoint_every=1000, progress=CancelAfter(holder, 10))
        holder.append(asyncio.create_task(crawl_site(site.explorer_url, crawler.out, **options)))
        with pytest.raises(asyncio.CancelledError):
            await holder[0]

    asyncio.run(interrupted())
    saved = load_manifest(crawler.out)
    assert saved is not None and not saved.complete
    done = {e.url.rsplit("/", 1)[-1] for e in saved.pages}
    assert len(done) >= 10  # saved on interrupt, not only at checkpoints
    requests_before = dict(site.state.requests)

    report = crawler.run(site.explorer_url)

    assert {n for n, o in outcomes(report).items() if o is Outcome.RESUMED} == done
    assert all(site.state.requests[PREFIX + n] == requests_before.get(PREFIX + n, 0) for n in done)
    assert {n for n, o in outcomes(report).items() if o is Outcome.NEW} == set(site.state.pages) - done
    final = load_manifest(crawler.out)
    assert final is not None and final.complete and len(final.pages) == 30
    assert set(outcomes(crawler.run(site.explorer_url)).values()) == {Outcome.NOT_MODIFIED}


def test_ctrl_c_on_the_command_saves_progress_and_exits_130(tmp_path: Path) -> None:
    state = SiteState(pages=sample_pages(30))
    with serve(state) as site:
        for name in state.pages:
            site.add_fault(name, Fault("delay", seconds=0.1, sticky=True))
        out = tmp_path / "snap"
        proc = subprocess.Popen(
            [sys.executable, "-m", "generator", "crawl", site.explorer_url, "-o", str(out), "-j", "1"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 10
        while sum(site.state.full_bodies.values()) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 130, err
    assert "interrupted; progress saved" in err and "Traceback" not in err
    saved = load_manifest(out)
    # The third body may still have been in flight when the signal came.
    assert saved is not None and not saved.complete and 2 <= len(saved.pages) < 30
    for entry in saved.pages:
        assert sha256_hex((out / entry.file).read_bytes()) == entry.sha256
