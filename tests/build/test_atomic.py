"""A build that fails or is killed half-way leaves the previous output exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.cache import BuildCache
from generator.build.run import build
from generator.build.staging import PAUSE_ENV
from generator.cli import main
from generator.errors import SdkgenError
from generator.render import RenderError
from generator.render import sdk as sdk_module
from generator.render.plan import GroupPlan
from tests.build.conftest import Project, edit, sdkgen_env
from tests.conftest import ROOT


def _wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the build ended (exit {process.returncode}) before reaching the pause point")
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the build never reached the pause point")
        time.sleep(0.02)


def test_a_build_killed_after_staging_leaves_the_output_and_the_next_build_recovers(
    project: Project, tmp_path: Path
) -> None:
    project.build()
    before = project.snapshot()
    edit(project.page("StartVmInstance"))
    signal_file = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--config", str(project.pyproject), "-j", "1"],
        cwd=ROOT,
        env=sdkgen_env(**{PAUSE_ENV: f"staged:{signal_file}"}),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(signal_file, process)
    staged = [name for name in project.siblings() if name.startswith(".generated.") and name.endswith(".new")]
    assert len(staged) == 1  # the new tree is complete beside the output...
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert project.snapshot() == before  # ...and the output is untouched: bytes, inodes, mtimes

    report = project.build()  # the next build cleans up and completes the job
    assert not report.up_to_date and report.scraped == 0  # the killed run had cached the scrape
    assert project.siblings() == [".sdkgen-cache", "docs", "generated", "pyproject.toml"]
    assert b"edited for the test" in (project.output / "api.json").read_bytes()


def test_a_tree_moved_aside_by_a_killed_swap_is_restored(project: Project) -> None:
    """Without an atomic exchange the swap is two renames; killed between them, the output is missing."""
    project.build()
    before = project.snapshot()
    retired = project.root / ".generated.k1ll3d.old"
    os.rename(project.output, retired)
    (project.root / ".generated.st4l3.new").mkdir()  # an empty staging folder (killed right after mkdtemp)
    report = project.build()
    assert report.scraped == 0 and not report.written  # the previous tree is back, nothing to rewrite
    assert project.snapshot() == before
    assert project.siblings() == [".sdkgen-cache", "docs", "generated", "pyproject.toml"]


def test_the_fallback_swap_restores_the_old_tree_when_the_second_rename_fails(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.build import staging

    project.build()
    before = project.snapshot()
    edit(project.page("StartVmInstance"))
    monkeypatch.setattr(staging, "_exchange", lambda a, b: False)
    real_replace = os.replace
    calls: list[str] = []

    def failing_second(src: object, dst: object) -> None:
        calls.append(str(src))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", failing_second)
    with pytest.raises(OSError):
        project.build()
    monkeypatch.undo()
    assert project.snapshot() == before
    assert project.siblings() == [".sdkgen-cache", "docs", "generated", "pyproject.toml"]
    project.build()
    assert b"edited for the test" in (project.output / "api.json").read_bytes()


@pytest.mark.parametrize("jobs", [1, 2])
def test_generated_code_that_does_not_compile_fails_the_build_and_changes_nothing(
    project: Project, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    project.build()
    before = project.snapshot()
    edit(project.page("StartVmInstance"))
    real = sdk_module.render_api

    def broken(group: GroupPlan, class_module: dict[str, str]) -> str:
        return real(group, class_module).replace("def start_vm_instance(", "def start_vm_instance((", 1)

    monkeypatch.setattr(sdk_module, "render_api", broken)
    with pytest.raises(RenderError, match=r"acme/api/vm_instance\.py:\d+: .*operation StartVmInstance"):
        project.build(jobs=jobs)  # with 2 jobs the check runs in the forked worker
    assert project.snapshot() == before
    assert project.siblings() == [".sdkgen-cache", "docs", "generated", "pyproject.toml"]
    monkeypatch.undo()
    assert b"edited for the test" in (project.build(jobs=jobs).output / "api.json").read_bytes()


def test_a_page_that_fails_is_left_out_and_the_rest_is_built(project: Project) -> None:
    project.build()
    before = project.snapshot()
    (project.docs / "Broken.txt").write_text("not an API page\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject), "-j", "1"])
    assert result.exit_code == 1 and "Broken.txt" in result.output and "page left out" in result.output
    after = project.snapshot()
    assert {p for p in after if after[p].data != before[p].data} == {"api.json"}  # the diagnostic, no more
    again = CliRunner().invoke(main, ["build", "--config", str(project.pyproject), "-j", "1"])
    assert again.exit_code == 1 and "Broken.txt" in again.output and "(up to date)" in again.output
    (project.docs / "Broken.txt").unlink()
    project.build()
    assert project.snapshot() == before | {"api.json": project.snapshot()["api.json"]}
    assert (project.output / "api.json").read_bytes() == before["api.json"].data


def test_a_scraper_crash_costs_one_page_and_is_not_cached(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.scrape as scrape

    real = scrape.scrape_page_file

    def crashing(path: Path, name: str | None = None) -> object:
        if path.name == "StartVmInstance.txt":
            raise KeyError("a bug")
        return real(path, name)

    monkeypatch.setattr(scrape, "scrape_page_file", crashing)
    report = project.build()
    assert [d.code for d in report.failed_pages] == ["internal-error"]
    assert "KeyError" in report.failed_pages[0].message and report.failed_pages[0].source.file.endswith(
        "StartVmInstance.txt"
    )
    monkeypatch.undo()
    again = project.build()
    assert again.scraped == 1 and not again.failed_pages  # the crash was not cached


def test_nothing_usable_leaves_the_output_unchanged(project: Project) -> None:
    project.build()
    before = project.snapshot()
    for page in project.docs.iterdir():
        page.write_text("garbage\n", encoding="utf-8")
    with pytest.raises(SdkgenError, match="left unchanged"):
        project.build()
    assert project.snapshot() == before


def test_a_second_build_of_the_same_project_at_once_is_refused(project: Project) -> None:
    config = project.config()
    with BuildCache(config.cache).lock(), pytest.raises(SdkgenError, match="another sdkgen build"):
        build(config)
    assert not project.output.exists()
