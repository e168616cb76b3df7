"""mypy --strict and ruff on the runtime as it lands in a generated package (testing.py imports `._runtime`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import build_package

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _run(*command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_runtime_passes_mypy_strict_under_another_package_name(tmp_path: Path) -> None:
    build_package(tmp_path, "some_other_sdk", init="")
    result = _run(
        sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11",
        "--config-file", "/dev/null", "-p", "some_other_sdk", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_runtime_passes_ruff() -> None:
    result = _run(sys.executable, "-m", "ruff", "check", "templates/runtime", "tests/runtime", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
