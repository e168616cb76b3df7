"""What changed since the last build: the stat of every file it wrote, and the state it left."""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.config import BuildConfig

if TYPE_CHECKING:
    from generator.build.report import BuildReport


def signature(path: Path) -> list[int] | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def tree_signatures(root: Path) -> dict[str, list[int]]:
    """Relative path -> size, mtime and inode of every file below `root` (symlinked folders not entered)."""
    found: dict[str, list[int]] = {}
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, f"{prefix}{entry.name}/"))
                continue
            with suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                found[prefix + entry.name] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return dict(sorted(found.items()))


def outside_files(config: BuildConfig) -> list[Path]:
    return [path for path in (config.ir, config.openapi) if config.inside_output(path) is None]


def outputs_untouched(config: BuildConfig, state: dict[str, Any]) -> bool:
    """Every file the last build wrote is still there with the same size, mtime and inode, and no other."""
    if tree_signatures(config.output) != state.get("outputs"):
        return False
    outside = state.get("outside", {})
    return bool({str(p): signature(p) for p in outside_files(config)} == outside)


def state_of(config: BuildConfig, keys: tuple[str, str], report: BuildReport) -> dict[str, Any]:
    return {
        "inputs": keys[0],
        "results": keys[1],
        "outputs": tree_signatures(config.output),
        "outside": {str(p): signature(p) for p in outside_files(config)},
        "report": {
            "operations": report.operations,
            "groups": report.groups,
            "types": report.types,
            "failed_pages": [json.loads(d.model_dump_json()) for d in report.failed_pages],
        },
    }
