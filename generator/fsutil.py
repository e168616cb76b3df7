"""Filesystem helpers: atomic writes and output paths that cannot escape their folder."""

from __future__ import annotations

import gc
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import SdkgenError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    """`write_bytes_atomic` for text: UTF-8 with `\\n` line ends."""
    write_bytes_atomic(path, text.encode("utf-8"))


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cycle collection while an IR's objects are built: they hold no cycles, and the
    collector's passes over hundreds of thousands of new objects cost about half the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would land outside `root`."""
    if not relative or "\x00" in relative or os.path.isabs(relative) or relative.startswith(("/", "\\")):
        raise SdkgenError(f"refusing to write unsafe path {relative!r}")
    parts = Path(relative).parts
    if any(p in ("..", "") for p in parts) or any(len(p) > 120 for p in parts):
        raise SdkgenError(f"refusing to write unsafe path {relative!r}")
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()):
        raise SdkgenError(f"refusing to write outside {root}: {relative!r}")
    return target
