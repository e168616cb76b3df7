"""Progress display: a rich progress bar on a terminal, plain log lines otherwise (both on stderr)."""

from __future__ import annotations

from typing import Protocol, TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from generator.crawl.report import Outcome, PageResult


class CrawlProgress(Protocol):
    def note(self, message: str) -> None:
        """Something worth a line: what discovery found, a fallback taken."""

    def add_pages(self, count: int) -> None:
        """`count` more pages to do (all at once from a sitemap, as found when following links)."""

    def page_done(self, result: PageResult) -> None: ...

    def close(self) -> None: ...


class NullProgress:
    """For library callers: no output."""

    def note(self, message: str) -> None:
        pass

    def add_pages(self, count: int) -> None:
        pass

    def page_done(self, result: PageResult) -> None:
        pass

    def close(self) -> None:
        pass


def _describe(result: PageResult) -> str:
    reason = f": {result.reason}" if result.reason else ""
    return f"{result.outcome.value} {result.url}{reason}"


class LogProgress:
    """One line per page, for logs and pipes where a redrawn bar would be noise."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._done = 0
        self._total = 0

    def _line(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def note(self, message: str) -> None:
        self._line(f"crawl: {message}")

    def add_pages(self, count: int) -> None:
        self._total += count

    def page_done(self, result: PageResult) -> None:
        self._done += 1
        self._line(f"crawl: [{self._done}/{self._total}] {_describe(result)}")

    def close(self) -> None:
        pass


class RichProgress:
    """A live bar; failures and notes are printed above it as they happen."""

    def __init__(self, stream: TextIO) -> None:
        self._progress = Progress(
            TextColumn("crawling"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._task = self._progress.add_task("crawl", total=0, failed=0)
        self._failed = 0
        self._progress.start()

    def note(self, message: str) -> None:
        self._progress.console.print(f"crawl: {escape(message)}")

    def add_pages(self, count: int) -> None:
        total = self._progress.tasks[0].total or 0
        self._progress.update(self._task, total=total + count)

    def page_done(self, result: PageResult) -> None:
        if result.outcome is Outcome.FAILED:
            self._failed += 1
            self._progress.console.print(f"[red]crawl: {escape(_describe(result))}[/red]")
        self._progress.update(self._task, advance=1, failed=self._failed)

    def close(self) -> None:
        self._progress.stop()


def make_progress(stream: TextIO) -> LogProgress | RichProgress:
    return RichProgress(stream) if stream.isatty() else LogProgress(stream)
