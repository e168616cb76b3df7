"""Crawl the API explorer site into a snapshot folder (`pages/*.html` + `manifest.json`).

Entry point: `crawl_site(url, out_dir, ...) -> CrawlReport` (async). The snapshot folder is what
`sdkgen scrape` reads, and the report says which pages changed, for a later build/diff step.
"""

from generator.crawl.core import (
    DEFAULT_BACKOFF,
    DEFAULT_CONCURRENCY,
    DEFAULT_MAX_BYTES,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    crawl_site,
    default_user_agent,
)
from generator.crawl.manifest import MANIFEST_NAME, PAGES_DIR, Manifest, PageEntry, load_manifest
from generator.crawl.progress import CrawlProgress, LogProgress, NullProgress, RichProgress, make_progress
from generator.crawl.report import CrawlReport, Outcome, PageResult, RemovedPage

__all__ = [
    "DEFAULT_BACKOFF",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "MANIFEST_NAME",
    "PAGES_DIR",
    "CrawlProgress",
    "CrawlReport",
    "LogProgress",
    "Manifest",
    "NullProgress",
    "Outcome",
    "PageEntry",
    "PageResult",
    "RemovedPage",
    "RichProgress",
    "crawl_site",
    "default_user_agent",
    "load_manifest",
    "make_progress",
]
