"""Incremental builds: the same pages give the same bytes, and a rebuild redoes only what changed."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.build.conftest import PAGES, Project, Snapshot, edit


def _bytes(snapshot: Snapshot) -> dict[str, bytes]:
    return {path: state.data for path, state in snapshot.items()}


def test_same_pages_give_byte_identical_output_cached_or_not_serial_or_parallel(project: Project) -> None:
    project.build(jobs=1)
    first = _bytes(project.snapshot())
    shutil.rmtree(project.output)
    shutil.rmtree(project.root / ".sdkgen-cache")
    project.build(jobs=2)  # forked worker for the JSON documents and compile checks
    assert _bytes(project.snapshot()) == first
    project.build(jobs=2, use_cache=False)
    assert _bytes(project.snapshot()) == first
    assert {"api.json", "openapi.json", ".sdkgen", "acme/client.py"} <= set(first)


def test_openapi_is_written_beside_the_ir_as_sdkgen_openapi_writes_it(project: Project) -> None:
    from generator.ir import load_ir
    from generator.openapi import dump_openapi, to_openapi

    project.build()
    written = (project.output / "openapi.json").read_text(encoding="utf-8")
    assert written == dump_openapi(to_openapi(load_ir(project.output / "api.json")))
    assert json.loads(written)["openapi"].startswith("3.1")


def test_a_second_build_with_nothing_changed_touches_nothing(project: Project) -> None:
    project.build()
    before = project.snapshot()
    report = project.build()
    assert report.up_to_date and report.scraped == 0 and not report.written
    assert project.snapshot() == before  # same bytes, same inodes, same mtimes
    result = CliRunner().invoke(main, ["build", "--config", str(project.pyproject), "-j", "1"])
    assert result.exit_code == 0 and "(up to date)" in result.output


def test_without_the_state_everything_is_served_from_the_caches(project: Project) -> None:
    first = project.build()
    assert first.scraped == len(list(project.docs.iterdir())) and first.compiled > 0
    before = project.snapshot()
    (project.root / ".sdkgen-cache" / "state.json").unlink()
    report = project.build()
    assert not report.up_to_date
    assert (report.scraped, report.black_runs, report.compiled, report.written) == (0, 0, 0, [])
    assert project.snapshot() == before


def test_touching_a_page_without_changing_it_rebuilds_nothing(project: Project) -> None:
    project.build()
    before = project.snapshot()
    later = time.time() + 5
    os.utime(project.page("StartVmInstance"), (later, later))
    report = project.build()
    assert report.up_to_date and project.snapshot() == before


def test_one_changed_page_is_scraped_again_and_only_files_that_change_are_written(project: Project) -> None:
    project.build()
    before = project.snapshot()
    edit(project.page("StartVmInstance"))
    report = project.build()
    after = project.snapshot()
    assert report.scraped == 1
    changed = {path for path in after if path not in before or after[path].data != before[path].data}
    assert set(report.written) == changed
    assert {"api.json", "openapi.json"} <= changed and len(changed) < len(after) // 4
    assert any(path.startswith("acme/") and "vm_instance" in path for path in changed)
    for path in set(after) - changed:  # carried over: the very same file
        assert (after[path].inode, after[path].mtime_ns) == (before[path].inode, before[path].mtime_ns), path
    # and it is what a build from scratch makes of the edited pages
    project.build(use_cache=False)
    assert _bytes(project.snapshot()) == _bytes(after)


def _without_patching(project: Project) -> None:
    """The next build is a full one (a patch build re-renders the changed group only anyway)."""
    (project.root / ".sdkgen-cache" / "snapshot.pack").unlink()


def test_one_changed_page_re_renders_its_group_only_and_the_units_stay_current(project: Project) -> None:
    first = project.build()
    assert first.units_reused == 0 and first.units_rendered > len(PAGES)
    units = project.root / ".sdkgen-cache" / "units"
    before = {p.name for p in units.iterdir()}
    assert len(before) == first.units_rendered
    edit(project.page("StartVmInstance"))
    _without_patching(project)
    report = project.build(jobs=2)
    assert (report.units_rendered, report.units_reused) == (1, first.units_rendered - 1)
    after = {p.name for p in units.iterdir()}
    assert len(before - after) == len(after - before) == 1  # the edited group's unit replaced
    edited = _bytes(project.snapshot())
    project.build(use_cache=False)
    assert _bytes(project.snapshot()) == edited
    (units / sorted(before & after)[0]).write_bytes(b"\x00broken")
    edit(project.page("StartVmInstance"), "The host UUID, edited for the test.", "The host UUID.")
    _without_patching(project)
    report = project.build()
    assert report.units_rendered == 2  # the edited group, and the unit that no longer reads back
    assert report.units_reused == first.units_rendered - 2


def test_a_page_change_that_changes_nothing_read_from_it_writes_nothing(project: Project) -> None:
    from tests.build.conftest import HTML_PAGES

    page = project.docs / "AddAccessControlListEntry.html"
    shutil.copy(HTML_PAGES / page.name, page)
    project.build()
    before = project.snapshot()
    page.write_bytes(page.read_bytes().replace(b"</html>", b"<!-- republished --></html>"))
    report = project.build()
    assert report.up_to_date and report.scraped == 1 and "no change in the API" in report.summary()
    assert project.snapshot() == before
    assert project.build().scraped == 0  # and the next build knows the new bytes


def test_a_removed_page_takes_its_files_with_it(project: Project) -> None:
    project.build()
    project.page("AckAlarmData").unlink()
    report = project.build()
    assert "acme/fixtures/AckAlarmData.json" in report.removed
    assert not (project.output / "acme" / "fixtures" / "AckAlarmData.json").exists()
    assert report.scraped == 0


def test_a_broken_cache_only_costs_time(project: Project) -> None:
    project.build()
    expected = _bytes(project.snapshot())
    cache = project.root / ".sdkgen-cache"
    for name in ("scrape.pack", "format.json", "state.json", "pages.json"):
        (cache / name).write_bytes(b"\x00garbage\tendpoint\t{not json\n")
    edit(project.page("StartVmInstance"))
    edit(project.page("StartVmInstance"), "The host UUID, edited for the test.", "The host UUID.")  # back again
    report = project.build()
    assert report.scraped == len(list(project.docs.iterdir()))  # nothing usable in the cache
    assert _bytes(project.snapshot()) == expected


def test_the_scrape_cache_appends_changed_pages_and_never_grows_past_twice_the_pages(project: Project) -> None:
    pack = project.root / ".sdkgen-cache" / "scrape.pack"
    project.build()
    pages = len(list(project.docs.iterdir()))
    assert len(pack.read_text(encoding="utf-8").splitlines()) == pages
    counts = []
    previous = "The host UUID."
    for number in range(2 * pages):
        edit(project.page("StartVmInstance"), previous, f"The host UUID ({number}).")
        previous = f"The host UUID ({number})."
        assert project.build().scraped == 1
        counts.append(len(pack.read_text(encoding="utf-8").splitlines()))
    assert counts[0] == pages + 1  # the edited page's line appended, not the pack rewritten
    assert max(counts) <= 2 * pages and min(counts[pages:]) < 2 * pages  # rewritten with current pages only
    edited = _bytes(project.snapshot())
    project.build(use_cache=False)
    assert _bytes(project.snapshot()) == edited


@pytest.mark.parametrize("jobs", [1, 2])
def test_many_pages_scrape_in_workers_and_match_a_serial_build(project: Project, jobs: int) -> None:
    from tests.conftest import CORPUS

    for page in sorted((CORPUS / "text").glob("*.txt"))[:40]:
        shutil.copy(page, project.docs)
    report = project.build(jobs=jobs)
    assert report.scraped == len(list(project.docs.iterdir())) and not report.failed_pages
    serial = _bytes(project.snapshot())
    project.build(jobs=1, use_cache=False)
    assert _bytes(project.snapshot()) == serial
