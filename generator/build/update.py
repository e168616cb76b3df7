"""`sdkgen update`: where it crawls to, and the diff of this build's IR with the last one's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator.build.report import BuildReport
from generator.config import BuildConfig
from generator.errors import SdkgenError
from generator.fsutil import gc_paused

if TYPE_CHECKING:
    from generator.diff import DiffReport
    from generator.ir.model import IR


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
