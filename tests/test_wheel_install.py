"""sdkgen as its users get it: a wheel built from the checkout, installed (not editable) into a fresh
venv, every command run from a folder outside the checkout. Slow (a wheel build and a venv): run with
`pytest -m slow`; tests/test_packaging.py is the fast check of what the wheel holds.

Offline: the venv is made without pip's network, its dependencies (jinja2, pydantic, ...) taken from
this interpreter's site-packages by a `.pth` line, which adds the folder to sys.path without running
that folder's own `.pth` files: the editable install of the checkout there stays out of the venv."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow
PAGES = ["StartVmInstance", "QueryVmInstance", "CreateVmCdRom"]


def _run(command: list[str], cwd: Path, timeout: float = 600) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    process = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert process.returncode == 0, f"{' '.join(command)} failed:\n{process.stdout[-3000:]}{process.stderr[-3000:]}"
    return process.stdout + process.stderr


def _wheel(tmp_path: Path) -> Path:
    """A wheel built from a copy of the checkout's sources (the build writes nothing into the checkout)."""
    if importlib.util.find_spec("build") is None:
        pytest.skip("needs the `build` package (a dev dependency)")
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source)
    for name in ("generator", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "-o", str(tmp_path / "dist"), str(source)], source
    )
    (wheel,) = (tmp_path / "dist").glob("sdkgen-*.whl")
    return wheel


def _venv(tmp_path: Path, wheel: Path) -> Path:
    folder = tmp_path / "venv"
    venv.create(folder, with_pip=True)
    python = folder / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path).strip()
    )
    base = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "zz_base_site.pth").write_text("\n".join(sorted(base)) + "\n", encoding="utf-8")
    _run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--no-cache-dir", str(wheel)], tmp_path)
    return folder / "bin"


def test_the_installed_wheel_runs_every_command_outside_the_checkout(tmp_path: Path) -> None:
    bin_dir = _venv(tmp_path, _wheel(tmp_path))
    sdkgen, python = str(bin_dir / "sdkgen"), str(bin_dir / "python")
    work = tmp_path / "work"
    (work / "input_docs").mkdir(parents=True)
    for name in PAGES:
        shutil.copy(CORPUS / "text" / f"{name}.txt", work / "input_docs")

    where = _run([python, "-c", "import generator; print(generator.__file__)"], work)
    assert str(tmp_path / "venv") in where and str(ROOT) not in where  # the wheel's copy, not the checkout
    version = _run([python, "-c", "import importlib.metadata as m; print(m.version('sdkgen'))"], work).strip()
    assert version in _run([sdkgen, "--version"], work)

    _run([sdkgen, "scrape", "input_docs", "-o", "api.json"], work)
    assert f'"generator": "sdkgen {version}"' in (work / "api.json").read_text(encoding="utf-8")
    _run([sdkgen, "generate", "api.json", "-o", "out", "--package-name", "acme"], work)
    _run([sdkgen, "openapi", "api.json", "-o", "openapi.json"], work)
    _run([sdkgen, "diff", "api.json", "api.json", "--fail-on", "breaking"], work)
    _run([sdkgen, "lint", "input_docs"], work)
    _run([sdkgen, "schema"], work)
    imported = _run([python, "-c", "import acme; print(acme.Client.__name__, acme.__version__)"], work / "out")
    assert imported.split() == ["Client", "0.1.0"]

    # The main job, with a template override, in a project that is nothing but its pages.
    (work / "pyproject.toml").write_text('[tool.sdkgen]\ntemplates = "mine"\n', encoding="utf-8")
    (work / "mine").mkdir()
    (work / "mine" / "README.md.j2").write_text("# {{ distribution }}, our way\n", encoding="utf-8")
    _run([sdkgen, "build"], work)
    assert (work / "generated" / "README.md").read_text(encoding="utf-8") == "# zstack-sdk, our way\n"
    assert (work / "generated" / "CHANGELOG.md").is_file()
    _run([python, "-c", "import zstack_sdk.models"], work / "generated")
