"""Project folders for build tests: a few corpus pages, a pyproject.toml, and snapshots of the output."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.build.report import BuildReport
from generator.build.run import build
from generator.config import BuildConfig, load_config
from tests.conftest import CORPUS, ROOT

# Pages spread over the corpus (different groups), in the bulleted text form: quick to scrape.
PAGES = [
    "AckAlarmData",
    "AttachScsiLunToVmInstance",
    "CreateAutoScalingRuleAlarmTrigger",
    "CreateVmCdRom",
    "DeleteOssBucketFileRemote",
    "GetResourceConfig",
    "QueryVmInstance",
    "StartVmInstance",
    "UpdateMdevDeviceSpec",
]
HTML_PAGES = ROOT / "input_docs" / "pages"


@dataclass(frozen=True)
class FileState:
    data: bytes
    inode: int
    mtime_ns: int


Snapshot = dict[str, FileState]


@dataclass
class Project:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def output(self) -> Path:
        return self.root / "generated"

    @property
    def pyproject(self) -> Path:
        return self.root / "pyproject.toml"

    def config(self) -> BuildConfig:
        return load_config(self.pyproject)

    def build(self, jobs: int = 1, use_cache: bool = True) -> BuildReport:
        return build(self.config(), jobs=jobs, use_cache=use_cache)

    def page(self, name: str) -> Path:
        return self.docs / f"{name}.txt"

    def snapshot(self) -> Snapshot:
        """Every output file with its bytes, inode and mtime."""
        found: Snapshot = {}
        for path in sorted(self.output.rglob("*")):
            if path.is_file():
                st = path.stat()
                found[path.relative_to(self.output).as_posix()] = FileState(
                    path.read_bytes(), st.st_ino, st.st_mtime_ns
                )
        return found

    def siblings(self) -> list[str]:
        """What lies next to the output folder (staging or retired trees would show up here)."""
        return sorted(p.name for p in self.root.iterdir())


def edit(page: Path, old: str = "The host UUID.", new: str = "The host UUID, edited for the test.") -> None:
    """A doc fix on one page (by default a parameter description of StartVmInstance)."""
    text = page.read_text(encoding="utf-8")
    assert old in text, f"{page.name} has no {old!r}"
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_project(root: Path, pages: list[str] = PAGES, extra: str = "") -> Project:
    docs = root / "docs"
    docs.mkdir(parents=True)
    for name in pages:
        shutil.copy(CORPUS / "text" / f"{name}.txt", docs)
    (root / "pyproject.toml").write_text(
        '[tool.sdkgen]\ninput = ["docs"]\noutput = "generated"\npackage_name = "acme"\n'
        f'ir = "generated/api.json"\n{extra}',
        encoding="utf-8",
    )
    return Project(root)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "project")


def sdkgen_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.update(extra)
    return env
