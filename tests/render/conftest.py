"""Fixtures of the renderer's tests: load a generated SDK into this process, and forget it after."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.ir.model import IR
from tests.render.builders import load_generated

Loader = Callable[[IR], str]


@pytest.fixture
def load_sdk(tmp_path: Path) -> Iterator[Loader]:
    """`load_sdk(ir)` renders the SDK into tmp_path and returns its (unique) package name."""
    loaded: list[tuple[str, Path]] = []

    def load(ir: IR) -> str:
        package, folder = load_generated(ir, tmp_path)
        loaded.append((package, folder))
        return package

    yield load
    for package, folder in loaded:
        if str(folder) in sys.path:
            sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]
