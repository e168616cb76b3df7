"""Put a rendered tree on disk all at once: write it beside the target, then swap it in.

A failed run (an exception anywhere before the swap) leaves the previous output untouched. The
target folder is owned by sdkgen: it is replaced as a whole, so a folder that is neither empty nor
marked as sdkgen output is refused rather than deleted.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.errors import SdkgenError
from generator.fsutil import safe_join

MARKER_FILE = ".sdkgen"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_replaceable(target: Path) -> None:
    """Refuse a target that is a file, a symlink, or a folder of someone else's files."""
    if target.is_symlink():
        raise SdkgenError(f"{target}: refusing to replace a symbolic link; give the real folder")
    if target.exists() and not target.is_dir():
        raise SdkgenError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER_FILE).is_file():
        raise SdkgenError(
            f"{target}: folder is not empty and was not written by sdkgen (no {MARKER_FILE} file); "
            "refusing to replace it: remove it or choose another output folder"
        )


def write_tree(files: Mapping[str, str], target: Path) -> None:
    """Write `files` (relative path -> text) as the complete new content of `target`."""
    check_replaceable(target)
    parent = target.parent if str(target.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=parent))
    try:
        os.chmod(staging, 0o777 & ~_current_umask())  # mkdtemp makes it private (0700)
        for relative, text in files.items():
            path = safe_join(staging, relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, target: Path) -> None:
    """Rename the new tree into place; the old one is moved aside first and restored on failure."""
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.rmdir(retired)  # only the unique name is needed: rename onto a missing path
    os.replace(target, retired)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(retired, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)
