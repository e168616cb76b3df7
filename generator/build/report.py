"""The report of a build (what `sdkgen build -v` prints), and the clock timing its phases."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.ir.model import IR, Diagnostic


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
    patched: bool = False  # the last build's output patched where a few pages changed (patch.py)
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


class Clock:
    """Wall time per phase, for `sdkgen build -v`."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.timings[phase] = self.timings.get(phase, 0.0) + now - self._last
        self._last = now


def report_from_state(
    config: BuildConfig, state: dict[str, Any], pages: int, timings: dict[str, float], scraped: int = 0
) -> BuildReport:
    report = state.get("report", {})
    failed = diagnostics(report.get("failed_pages", []))
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


def diagnostics(items: list[Any]) -> list[Diagnostic]:
    if not items:
        return []  # without loading pydantic and the IR model
    from generator.ir.model import Diagnostic

    return [Diagnostic.model_validate(item) for item in items]
