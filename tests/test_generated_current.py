"""generated/ is committed: it must be exactly what `sdkgen build` makes from input_docs/ today.

The build starts from the committed generated/ (the last release: its version and CHANGELOG.md, which
the next version follows from), so a current generated/ comes out as it is."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_folder_is_what_build_produces(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(ROOT / "generated", out)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        "[tool.sdkgen]\n"
        f"input = [{str(ROOT / 'input_docs')!r}]\n"
        f"output = {str(out)!r}\n"
        'package_name = "zstack_sdk"\n'
        f"ir = {str(out / 'api.json')!r}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    built, committed = _files(out), _files(ROOT / "generated")
    assert sorted(built) == sorted(committed), "files differ: run `sdkgen build` and commit generated/"
    stale = [name for name in built if built[name] != committed[name]]
    assert not stale, f"{len(stale)} generated files are stale (run `sdkgen build`), e.g. {stale[:5]}"
