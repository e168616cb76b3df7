"""Fixtures for crawler tests: a served site, and a crawl runner with instant backoff."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from generator.crawl import CrawlReport, crawl_site

from .server import DocSite, SiteState, sample_pages, serve


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx honours *_PROXY variables: loopback traffic must not be routed elsewhere.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def site() -> Iterator[DocSite]:
    """30 real pages from input_docs, a sitemap, and a robots.txt disallowing `Secret`."""
    with serve(SiteState(pages=sample_pages(30))) as running:
        yield running


@dataclass
class Crawler:
    """Runs `crawl_site` with tiny timeouts and recorded (not slept) backoff delays."""

    out: Path
    delays: list[float] = field(default_factory=list)

    async def _sleep(self, seconds: float) -> None:
        self.delays.append(seconds)
        await asyncio.sleep(0)

    def options(self, **overrides: Any) -> dict[str, Any]:
        options: dict[str, Any] = {"timeout": 5.0, "retries": 2, "sleep": self._sleep, "rng": random.Random(0)}
        options.update(overrides)
        return options

    def run(self, url: str, **overrides: Any) -> CrawlReport:
        return asyncio.run(crawl_site(url, self.out, **self.options(**overrides)))


@pytest.fixture
def crawler(tmp_path: Path) -> Crawler:
    return Crawler(tmp_path / "snapshot")
