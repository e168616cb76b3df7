"""Crawling a misbehaving site, hostile URLs, the link fallback, the command line, and the scraper."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.crawl import Outcome, RemovedPage, load_manifest
from generator.crawl.manifest import is_page_file

from .conftest import Crawler
from .server import INPUT_PAGES, PREFIX, DocSite, Fault, SiteState, serve

FAST = {"timeout": 0.5, "retries": 2, "max_bytes": 100_000}


def test_transient_faults_are_retried_and_persistent_ones_reported(site: DocSite, crawler: Crawler) -> None:
    names = sorted(site.state.pages)
    transient = {
        names[0]: Fault("status", status=500),
        names[1]: Fault("status", status=429, headers=(("Retry-After", "7"),)),
        names[2]: Fault("reset"),
        names[3]: Fault("truncate"),
        names[4]: Fault("trickle", seconds=1.5),  # bytes keep coming, but too slowly: overall timeout
        names[5]: Fault("status", status=503, headers=(("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),)),
    }
    persistent = {
        names[10]: (Fault("truncate", sticky=True), r"broken or truncated response .*\(gave up after 3 attempts\)"),
        names[11]: (
            Fault("redirect", location="http://example.invalid/x", sticky=True),
            r"example\.invalid.*another host",
        ),
        names[12]: (Fault("grow", size=300_000, sticky=True), r"too large: body exceeds the 100000-byte limit"),
        names[13]: (Fault("huge-length", size=10**8, sticky=True), r"too large: Content-Length 100000000 exceeds"),
        names[14]: (Fault("status", status=500, sticky=True), r"^HTTP 500 \(gave up after 3 attempts\)$"),
        names[15]: (Fault("status", status=404, sticky=True), r"^HTTP 404$"),
        names[16]: (Fault("redirect", location="/docs/api-explorer/en/cloud/changelog", sticky=True), r"outside"),
        names[17]: (Fault("reset", sticky=True), r"connection error|broken"),
    }
    for name, fault in transient.items():
        site.add_fault(name, fault)
    for name, (fault, _) in persistent.items():
        site.add_fault(name, fault)
    site.add_fault(names[20], Fault("redirect", location=f"./{names[21]}"))  # in scope: followed

    report = crawler.run(site.explorer_url, **FAST)

    failed = {p.url.rsplit("/", 1)[-1]: p.reason or "" for p in report.failed}
    assert set(failed) == set(persistent)
    for name, (_, pattern) in persistent.items():
        assert re.search(pattern, failed[name]), (name, failed[name])
        assert not (crawler.out / "pages" / f"{name}.html").exists()
    assert site.requests_for(names[0]) == 2 and site.requests_for(names[14]) == 3
    assert site.requests_for(names[4]) == 2  # the trickle was cut off by the overall deadline, then retried
    assert site.requests_for(names[11]) == 1 and site.requests_for(names[15]) == 1  # not worth retrying
    assert 7.0 in crawler.delays  # Retry-After seconds honoured
    assert 0.0 in crawler.delays  # Retry-After date in the past: retry at once
    served = site.state.pages
    for name in set(served) - set(persistent):
        expected = served[names[21]] if name == names[20] else served[name]
        assert (crawler.out / "pages" / f"{name}.html").read_bytes() == expected, name
    manifest = load_manifest(crawler.out)
    assert manifest is not None and {e.url for e in manifest.pages} == {
        site.url(n) for n in set(served) - set(persistent)
    }

    site.state.faults.clear()
    rerun = crawler.run(site.explorer_url, **FAST)
    # names[20] now serves its own page, not the one it redirected to.
    assert {p.url.rsplit("/", 1)[-1] for p in rerun.changed} == {*persistent, names[20]}
    assert rerun.ok


def test_a_page_that_starts_failing_keeps_its_previous_snapshot(site: DocSite, crawler: Crawler) -> None:
    crawler.run(site.explorer_url)
    name = sorted(site.state.pages)[4]
    before = load_manifest(crawler.out)
    site.add_fault(name, Fault("status", status=500, sticky=True))

    report = crawler.run(site.explorer_url, **FAST)

    assert [p.url for p in report.failed] == [site.url(name)]
    assert (crawler.out / "pages" / f"{name}.html").read_bytes() == site.state.pages[name]
    after = load_manifest(crawler.out)
    assert before is not None and after is not None
    assert [e for e in after.pages if e.url == site.url(name)] == [e for e in before.pages if e.url == site.url(name)]


def test_command_reports_failures_by_url_and_exits_1(site: DocSite, tmp_path: Path) -> None:
    names = sorted(site.state.pages)
    site.add_fault(names[0], Fault("status", status=404, sticky=True))
    site.add_fault(names[1], Fault("redirect", location="http://example.invalid/", sticky=True))
    out = tmp_path / "snap"
    args = ["crawl", site.explorer_url, "-o", str(out), "--timeout", "2", "--retries", "1", "--backoff", "0.01"]

    result = CliRunner().invoke(main, args)

    assert result.exit_code == 1, result.output
    assert f"{site.url(names[0])}: HTTP 404\n" in result.stderr
    assert (
        f"{site.url(names[1])}: HTTP 302 redirect to http://example.invalid/ not followed: another host"
        in result.stderr
    )
    assert "28 new" in result.stderr and "2 failed" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(list((out / "pages").glob("*.html"))) == 28  # the successes are kept

    site.state.faults.clear()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.stderr
    assert "2 new" in again.stderr and "28 unchanged" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "ftp://example.invalid/x/"], "sdkgen: not an http(s) URL"),
        (["crawl", "http://127.0.0.1:9/x/", "--retries", "-1"], "Invalid value for '--retries'"),
    ],
)
def test_command_usage_errors_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o")])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "o").exists()


def test_links_are_followed_when_there_is_no_sitemap(crawler: Crawler) -> None:
    pages = {
        "A": b'<a href="./C">c</a><a href="./A#top">self</a><a href="B?x=1">b</a>',
        "B": b'<a href="/docs/api-explorer/en/cloud/changelog">out</a><a href="http://example.invalid/">x</a>',
        "C": b'<a href="../explorer/A">a</a>',
        "Orphan": b"nobody links here",
    }
    state = SiteState(
        pages=pages, sitemap="none", index_links=["./A", "#top", "../changelog", "https://example.invalid/"]
    )
    with serve(state) as site:
        report = crawler.run(site.explorer_url, **FAST)
        assert report.discovery == "links" and report.ok
        assert {p.url.rsplit("/", 1)[-1] for p in report.pages} == {"A", "B", "C"}
        assert all(site.requests_for(n) == 1 for n in "ABC") and site.requests_for("Orphan") == 0
        assert site.state.requests["/docs/api-explorer/en/cloud/changelog"] == 0

        # A stops linking C while B fails: C may only look unlisted, so it is kept.
        state.pages["A"] = b'<a href="./B">b</a>'
        site.add_fault("B", Fault("status", status=500, sticky=True))
        report = crawler.run(site.explorer_url, **FAST)
        assert report.removed == [RemovedPage(site.url("C"), "pages/C.html", deleted=False)]
        assert (crawler.out / "pages" / "C.html").exists()

        state.faults.clear()
        report = crawler.run(site.explorer_url, **FAST)
        assert report.removed == [RemovedPage(site.url("C"), "pages/C.html", deleted=True)]
        assert not (crawler.out / "pages" / "C.html").exists()
        # A 304 still yields links: B, linked only from A, is reached through A's copy on disk.
        assert {p.url.rsplit("/", 1)[-1]: p.outcome for p in report.pages} == {
            "A": Outcome.NOT_MODIFIED,
            "B": Outcome.NOT_MODIFIED,
        }


def test_hostile_names_never_write_outside_the_snapshot(tmp_path: Path) -> None:
    hostile = ["%2F..", "..%2F..%2Fescape", "%2e%2e%5C..%5Cwin"]  # dot segments once decoded: not crawled
    odd = ["%2E%2Ehidden", "a%5Cb", "a%2Fb", "x" * 300, "CaseName", "casename", "CON", "%00", "-rf", "page.html"]
    pages = {name: f"<html>{name}</html>".encode() for name in hostile + odd}
    outside = tmp_path / "escape"
    out = tmp_path / "deep" / "snap"
    sentinel = tmp_path / "keep.html"
    sentinel.write_text("not the crawler's")
    out.mkdir(parents=True)
    # A tampered manifest claiming an outside file for a page the site no longer lists.
    (out / "manifest.json").write_text(
        json.dumps(
            {
                "manifest_version": 1, "generator": "x", "root": "http://h/", "discovery": "sitemap",
                "started_at": "2025-01-01T00:00:00.000Z", "complete": True,
                "pages": [{"url": "http://h/gone", "file": "../../keep.html", "status": 200,
                           "fetched_at": "2025-01-01T00:00:00.000Z", "sha256": "0" * 64, "size": 1}],
            }
        )
    )  # fmt: skip
    with serve(SiteState(pages=pages)) as site:
        report = Crawler(out).run(site.explorer_url, **FAST)
        assert all(site.requests_for(n) == 0 for n in hostile)

    assert report.ok and {p.url.rsplit("/", 1)[-1] for p in report.pages} == set(odd)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deep", "keep.html"]
    assert sentinel.read_text() == "not the crawler's" and not outside.exists()
    files = sorted((out / "pages").iterdir())
    assert len(files) == len(odd) and all(is_page_file(f"pages/{f.name}") for f in files)
    assert len({f.name.lower() for f in files}) == len(odd)  # no clash on a case-insensitive disk
    manifest = load_manifest(out)
    assert manifest is not None
    for entry in manifest.pages:
        assert (out / entry.file).read_bytes() == pages[entry.url.rsplit("/", 1)[-1]]
    assert [e.file for e in manifest.pages if "CaseName" in e.url] == ["pages/CaseName.html"]


def test_scraping_the_snapshot_equals_scraping_the_same_pages_from_disk(site: DocSite, crawler: Crawler) -> None:
    scrape = pytest.importorskip("generator.scrape")
    from generator.ir import dump_ir

    crawler.run(site.explorer_url)
    snapshot = crawler.out / "pages"
    originals = [INPUT_PAGES / f"{name}.html" for name in site.state.pages]

    crawled = dump_ir(scrape.scrape_paths([snapshot]).ir).replace(f"{snapshot}/", "")
    # The scraper names files relative to the working folder when it can (the repository here).
    direct = dump_ir(scrape.scrape_paths(originals).ir).replace(f"{INPUT_PAGES}/", "").replace("input_docs/pages/", "")

    assert crawled == direct
    assert len(json.loads(crawled)["endpoints"]) == len(site.state.pages)
    assert PREFIX not in crawled  # source paths were normalised, not URLs
