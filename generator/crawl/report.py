"""What a crawl did, page by page: the value `crawl_site` returns and the progress display reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Outcome(StrEnum):
    NEW = "new"  # fetched, no file before
    UPDATED = "updated"  # fetched, file content changed
    UNCHANGED = "unchanged"  # fetched (200), same bytes as the file: not rewritten
    NOT_MODIFIED = "not-modified"  # conditional request answered 304: no body downloaded
    RESUMED = "resumed"  # already done by the interrupted run this one resumes: no request
    DISALLOWED = "disallowed"  # robots.txt forbids it: not requested
    FAILED = "failed"  # see `reason`; the previous snapshot of the page (if any) is kept


CHANGED_OUTCOMES = frozenset({Outcome.NEW, Outcome.UPDATED})


@dataclass(frozen=True)
class PageResult:
    url: str
    outcome: Outcome
    file: str | None = None  # relative to the snapshot folder, e.g. "pages/CreateVm.html"
    status: int | None = None  # HTTP status of the last response
    reason: str | None = None  # why it failed or was skipped


@dataclass(frozen=True)
class RemovedPage:
    """A page of the previous snapshot the site no longer lists."""

    url: str
    file: str
    deleted: bool  # False when pruning was off or unsafe (incomplete discovery)


@dataclass
class CrawlReport:
    root: str
    out_dir: Path
    discovery: str  # "sitemap" or "links"
    pages: list[PageResult] = field(default_factory=list)  # sorted by URL
    removed: list[RemovedPage] = field(default_factory=list)  # sorted by URL
    notes: list[str] = field(default_factory=list)  # what discovery found, for the log
    interrupted: bool = False

    def with_outcome(self, *outcomes: Outcome) -> list[PageResult]:
        return [p for p in self.pages if p.outcome in outcomes]

    @property
    def failed(self) -> list[PageResult]:
        return self.with_outcome(Outcome.FAILED)

    @property
    def disallowed(self) -> list[PageResult]:
        return self.with_outcome(Outcome.DISALLOWED)

    @property
    def changed(self) -> list[PageResult]:
        """Pages whose file was written: what a later build step has to look at again."""
        return [p for p in self.pages if p.outcome in CHANGED_OUTCOMES]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def counts(self) -> dict[Outcome, int]:
        return {o: len(self.with_outcome(o)) for o in Outcome}

    def summary(self) -> str:
        c = self.counts()
        return (
            f"{len(self.pages)} pages via {self.discovery}: {c[Outcome.NEW]} new, {c[Outcome.UPDATED]} updated, "
            f"{c[Outcome.UNCHANGED] + c[Outcome.NOT_MODIFIED] + c[Outcome.RESUMED]} unchanged, "
            f"{len(self.removed)} removed, {c[Outcome.DISALLOWED]} disallowed by robots.txt, "
            f"{c[Outcome.FAILED]} failed"
        )
