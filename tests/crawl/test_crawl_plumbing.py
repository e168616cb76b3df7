"""Progress output, checkpoints, and a caller-supplied client."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import httpx
import pytest

from generator.crawl import LogProgress, Outcome, PageResult, RichProgress, crawl_site, load_manifest, make_progress
from generator.errors import UsageError

from .conftest import Crawler
from .server import DocSite, Fault


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_log_lines_otherwise() -> None:
    assert isinstance(make_progress(io.StringIO()), LogProgress)
    bar = make_progress(_Tty())
    assert isinstance(bar, RichProgress)
    bar.close()


def test_log_lines_count_pages_and_name_failures() -> None:
    stream = io.StringIO()
    log = LogProgress(stream)
    log.add_pages(2)
    log.page_done(PageResult("http://h/a", Outcome.NEW))
    log.page_done(PageResult("http://h/b", Outcome.FAILED, reason="HTTP 500"))
    assert stream.getvalue().splitlines() == ["crawl: [1/2] new http://h/a", "crawl: [2/2] failed http://h/b: HTTP 500"]


def test_rich_bar_prints_failures_above_itself() -> None:
    stream = _Tty()
    bar = RichProgress(stream)
    bar.add_pages(1)
    bar.page_done(PageResult("http://h/[b]", Outcome.FAILED, reason="HTTP 500"))
    bar.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    assert "crawl: failed http://h/[b]: HTTP 500" in text  # markup-like URLs are escaped, not swallowed


def test_manifest_is_checkpointed_while_the_crawl_runs(site: DocSite, crawler: Crawler) -> None:
    seen: list[int] = []

    class Watch(LogProgress):
        def page_done(self, result: PageResult) -> None:
            manifest = load_manifest(crawler.out)
            seen.append(-1 if manifest is None else len(manifest.pages) if not manifest.complete else 99)

    crawler.run(site.explorer_url, progress=Watch(io.StringIO()), checkpoint_every=5, concurrency=1)

    # Saved after pages 5, 10, ...: page 6 sees 5 entries, page 11 sees 10.
    assert seen[:6] == [-1, -1, -1, -1, -1, 5] and seen[10] == 10


def test_a_callers_client_is_used_and_its_redirect_setting_ignored(site: DocSite, crawler: Crawler) -> None:
    name = sorted(site.state.pages)[0]
    site.add_fault(name, Fault("redirect", location="http://example.invalid/", sticky=True))

    async def run() -> list[PageResult]:
        async with httpx.AsyncClient(follow_redirects=True) as client:
            report = await crawl_site(site.explorer_url, crawler.out, **crawler.options(client=client))
            assert not client.is_closed  # not ours to close
            return report.failed

    failed = asyncio.run(run())
    assert [p.url for p in failed] == [site.url(name)] and "another host" in (failed[0].reason or "")


@pytest.mark.parametrize(
    "option", [{"concurrency": 0}, {"timeout": 0}, {"retries": -1}, {"max_bytes": 0}, {"checkpoint_every": 0}]
)
def test_bad_settings_are_usage_errors(option: dict[str, int], tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        asyncio.run(crawl_site("http://127.0.0.1:9/x/", tmp_path, **option))  # type: ignore[arg-type]


def test_a_file_as_snapshot_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="is a file"):
        asyncio.run(crawl_site("http://127.0.0.1:9/x/", tmp_path / "file"))
