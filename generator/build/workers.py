"""Worker-process plumbing: how many, fork or not, a pool that died, data passed through files."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.build.cache import BuildCache
from generator.errors import SdkgenError

if TYPE_CHECKING:
    pass


def worker_count(jobs: int) -> int:
    return jobs if jobs > 0 else (os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextmanager
def worker_errors() -> Iterator[None]:
    try:
        yield
    except BrokenProcessPool:
        raise SdkgenError("a worker process ended abruptly (killed, or out of memory?); nothing was written") from None


def put(path: Path, value: object) -> None:
    """For the other process: our own data, in our own private scratch folder."""
    path.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def take(path: Path) -> Any:
    return pickle.loads(path.read_bytes())  # written by this build into its private folder (see put)


@contextmanager
def scratch_folder(cache: BuildCache) -> Iterator[Path]:
    """A private folder for work passed to the worker; what a killed build left is removed next time."""
    cache.prepare()
    for stale in cache.root.glob("scratch-*"):
        shutil.rmtree(stale, ignore_errors=True)  # under the project lock: no other build uses them
    folder = Path(tempfile.mkdtemp(prefix="scratch-", dir=cache.root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
