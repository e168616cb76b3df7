"""Patch builds: a few edited pages that changed only their own operations are patched into the last
build's output, and the result is byte for byte what a full build makes of the same pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build.report import BuildReport
from tests.build.conftest import Project, edit, make_project

SNAPSHOT = Path(".sdkgen-cache") / "snapshot.pack"


def _tree(project: Project) -> dict[str, bytes]:
    return {path: state.data for path, state in project.snapshot().items()}


def _same_as_full_build(project: Project) -> None:
    patched = _tree(project)
    full = project.build(use_cache=False)
    assert not full.patched
    assert _tree(project) == patched


def _described(project: Project, text: str) -> None:
    edit(project.page("StartVmInstance"), "Optional. The host UUID.", f"Optional. {text}")


def test_a_parameter_description_edit_is_patched_in(project: Project) -> None:
    project.build()
    before = project.snapshot()
    edit(project.page("StartVmInstance"))
    report = project.build()
    assert report.patched and report.scraped == 1
    after = project.snapshot()
    changed = {path for path in after if after[path].data != before[path].data}
    assert set(report.written) == changed and "api.json" in changed and "openapi.json" in changed
    assert {path for path in changed if path.startswith("acme/")} == {
        "acme/__init__.py",  # __version__: a description edit is a patch release
        "acme/api/vm_instance.py",
        "acme/models/vm_instance.py",
    }
    assert {"pyproject.toml", "CHANGELOG.md"} <= changed
    for path in set(after) - changed:  # carried over as they were
        assert (after[path].inode, after[path].mtime_ns) == (before[path].inode, before[path].mtime_ns), path
    _same_as_full_build(project)


def test_patches_on_patches_and_back_again(project: Project) -> None:
    project.build()
    original = _tree(project)
    for text in ("The host to start it on.", "The host (edited twice).", "The host UUID."):
        edit(project.page("StartVmInstance"), "Optional. " + _current(project), f"Optional. {text}")
        assert project.build().patched
        _same_as_full_build(project)
    # The same API again, three patch releases later: only the version and the changelog differ.
    released = {"pyproject.toml", "acme/__init__.py", "CHANGELOG.md"}
    now = _tree(project)
    assert {path for path in now if now[path] != original.get(path)} == released
    assert b'version = "0.1.3"' in now["pyproject.toml"]


def _current(project: Project) -> str:
    text = project.page("StartVmInstance").read_text(encoding="utf-8")
    start = text.index("Optional. The host") + len("Optional. ")
    return text[start : text.index("\n", start)]


def test_a_parameter_type_edit_is_patched_in_with_the_package_files(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"), "    • hostUuidString", "    • hostUuidInteger")
    report = project.build()
    assert report.patched and "tests/test_operations.py" in report.written  # its sample argument changed
    assert b"host_uuid: GsonInt" in (project.output / "acme" / "models" / "vm_instance.py").read_bytes()
    _same_as_full_build(project)


def test_a_new_parameter_on_a_page_whose_lines_only_its_operation_records_is_patched_in(project: Project) -> None:
    # The row moves the response fields' lines, which only QueryVmInstance's own IR block holds (no
    # registry type takes its sources from this page); its `inventories` element type is inferred.
    project.build()
    added = "  • pageSizeInteger\n\n    Optional. Records per page.\n\n  • limitInteger"
    edit(project.page("QueryVmInstance"), "  • limitInteger", added)
    report = project.build()
    assert report.patched and b"page_size" in (project.output / "acme" / "api" / "vm_instance.py").read_bytes()
    _same_as_full_build(project)


def test_a_new_parameter_moves_the_response_lines_and_takes_the_full_build(project: Project) -> None:
    # Response fields' lines are in the IR (registry types' sources): a row added above them moves them.
    project.build()
    added = "    • rebootDelayInteger\n\n      Optional. Seconds to wait.\n\n    • hostUuidString"
    edit(project.page("StartVmInstance"), "    • hostUuidString", added)
    report = project.build()
    assert not report.patched and b"reboot_delay" in (project.output / "acme" / "api" / "vm_instance.py").read_bytes()
    _same_as_full_build(project)


def _response_edited(project: Project) -> None:
    edit(project.page("StartVmInstance"), "The resource name.", "The resource's name.")


def _page_added(project: Project) -> None:
    from tests.conftest import CORPUS

    shutil.copy(CORPUS / "text" / "CloneVmInstance.txt", project.docs)


def _page_removed(project: Project) -> None:
    project.page("AckAlarmData").unlink()


def _operation_renamed(project: Project) -> None:
    page = project.page("StartVmInstance")
    page.write_text(page.read_text(encoding="utf-8").replace("StartVmInstance", "BootVmInstance"), encoding="utf-8")


def _output_touched(project: Project) -> None:
    edit(project.page("StartVmInstance"))
    (project.output / "acme" / "client.py").write_text("# edited by hand\n", encoding="utf-8")


def _snapshot_broken(project: Project) -> None:
    edit(project.page("StartVmInstance"))
    (project.root / SNAPSHOT).write_bytes(b'{"format": 1}\n')


@pytest.mark.parametrize(
    "change",
    [_response_edited, _page_added, _page_removed, _operation_renamed, _output_touched, _snapshot_broken],
    ids=["response-field", "page-added", "page-removed", "operation-renamed", "output-touched", "snapshot-broken"],
)
def test_other_changes_take_the_full_build(project: Project, change: object) -> None:
    project.build()
    change(project)  # type: ignore[operator]
    report: BuildReport = project.build()
    assert not report.patched and not report.up_to_date
    _same_as_full_build(project)


def test_a_republished_page_is_up_to_date_and_stays_so(project: Project) -> None:
    project.build()
    before = project.snapshot()
    page = project.page("StartVmInstance")
    page.write_text(page.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    report = project.build()
    assert report.up_to_date and report.scraped == 1
    assert project.snapshot() == before
    again = project.build()
    assert again.up_to_date and again.scraped == 0


def test_a_page_edited_back_is_read_from_the_cache(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"))
    assert project.build().scraped == 1
    edit(project.page("StartVmInstance"), "The host UUID, edited for the test.", "The host UUID.")
    report = project.build()
    assert report.patched and report.scraped == 0  # its first version is still in the scrape cache
    _same_as_full_build(project)


def test_an_edited_page_keeps_the_element_types_inferred_for_its_response(project: Project) -> None:
    # QueryVmInstance's `inventories` list shows no element type; assembling the IR infers it from
    # the registry (VmInstanceInventory, which StartVmInstance's page documents).
    project.build()
    assert b'"element_type_inferred": true' in (project.output / "api.json").read_bytes()
    edit(project.page("QueryVmInstance"), "The offset of the first returned record.", "Where the page starts.")
    assert project.build().patched
    _same_as_full_build(project)


def test_a_request_example_edit_retypes_a_lists_elements_in_a_patch(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"), '"systemTags":["<systemTags>"]', '"systemTags":[7]')
    report = project.build()
    assert report.patched
    assert b"system_tags: list[GsonInt] | None" in (project.output / "acme" / "api" / "vm_instance.py").read_bytes()
    assert b'"rule": "request-example"' in (project.output / "api.json").read_bytes()
    _same_as_full_build(project)


def test_a_see_reference_to_a_registry_type_is_linked_in_a_patch(project: Project) -> None:
    # `See MdevDeviceSpecState.` needs the registry (UpdateMdevDeviceSpec's page documents the enum): the
    # patch links it against the last build's types, as the full build does.
    project.build()
    edit(project.page("StartVmInstance"), '"userTags":["<userTags>"]', '"userTags":[]')
    edit(project.page("StartVmInstance"), "Optional. The user tags.", "Optional. See MdevDeviceSpecState.")
    report = project.build()
    assert report.patched
    assert b'"rule": "see-reference"' in (project.output / "api.json").read_bytes()
    assert b"user_tags: list[Literal[" in (project.output / "acme" / "api" / "vm_instance.py").read_bytes()
    _same_as_full_build(project)


def test_edits_in_two_groups_are_patched_together(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"))
    edit(project.page("AckAlarmData"), "Optional.", "Optional. Edited too.")
    report = project.build()
    assert report.patched and report.scraped == 2
    assert {"acme/api/vm_instance.py", "acme/api/alarm.py"} <= set(report.written)
    _same_as_full_build(project)


def test_a_page_that_no_longer_reads_takes_the_full_build(project: Project) -> None:
    project.build()
    project.page("StartVmInstance").write_text("not a doc page\n", encoding="utf-8")
    report = project.build()
    assert not report.patched and [Path(d.source.file).name for d in report.failed_pages] == ["StartVmInstance.txt"]


def test_a_random_run_of_edits_always_gives_what_a_full_build_gives(project: Project) -> None:
    """Edits of every kind in a seeded random order, each build checked against a full build."""
    import random

    rng = random.Random(7)
    project.build()
    counter = 0

    def describe() -> None:
        page = project.page(rng.choice(["StartVmInstance", "QueryVmInstance", "AckAlarmData", "GetResourceConfig"]))
        text = page.read_text(encoding="utf-8")
        start = text.index("Optional.")
        page.write_text(
            text[:start] + f"Optional. Edit {counter}." + text[start + len("Optional.") :], encoding="utf-8"
        )

    def add_row() -> None:
        edit(
            project.page("QueryVmInstance"),
            "  • limitInteger",
            f"  • extra{counter}Integer\n\n    Optional. Added.\n\n  • limitInteger",
        )

    def retype() -> None:
        page = project.page("StartVmInstance")
        text = page.read_text(encoding="utf-8")
        old, new = ("    • hostUuidString", "    • hostUuidInteger")
        page.write_text(text.replace(old, new) if old in text else text.replace(new, old), encoding="utf-8")

    def response() -> None:
        page = project.page("StartVmInstance")
        text = page.read_text(encoding="utf-8")
        old, new = ("The resource name.", "The resource's name.")
        page.write_text(text.replace(old, new) if old in text else text.replace(new, old), encoding="utf-8")

    patched = 0
    previous = project.root / "previous"
    for counter in range(10):
        rng.choice([describe, describe, add_row, retype, response])()
        shutil.rmtree(previous, ignore_errors=True)
        shutil.copytree(project.output, previous)  # the last release: what the next version follows from
        report = project.build()
        patched += report.patched
        assert _tree(project) == _full_build_aside(project, previous), f"edit {counter}"
    assert patched >= 4


def _full_build_aside(project: Project, previous: Path) -> dict[str, bytes]:
    """What a full build makes of the pages now on top of the `previous` output, leaving the output and
    the cache as they were (moved aside and back: same inodes and mtimes, so the next build may patch
    this one again)."""
    cache = project.root / ".sdkgen-cache"
    aside = [(path, path.with_name(path.name + ".aside")) for path in (project.output, cache)]
    for path, moved in aside:
        path.rename(moved)
    try:
        shutil.copytree(previous, project.output)
        project.build(use_cache=False)
        return _tree(project)
    finally:
        for path, moved in aside:
            shutil.rmtree(path, ignore_errors=True)
            moved.rename(path)


def test_a_page_of_a_group_spelled_two_ways_is_patched_into_the_one_group(tmp_path: Path) -> None:
    # "Vip Operations" (GetVipQos) is "VIP Operations" (CreateVip, DeleteVip) spelled another way: one
    # group, `client.vip`, whichever of its pages the patch build re-reads.
    project = make_project(tmp_path / "project", ["CreateVip", "DeleteVip", "GetVipQos", "StartVmInstance"])
    project.build()
    client = (project.output / "acme" / "client.py").read_text(encoding="utf-8")
    assert "def vip(self)" in client and "vip_2" not in client
    edit(project.page("GetVipQos"), "  • uuidString\n\n    Optional.", "  • uuidString\n\n    Optional. The VIP.")
    report = project.build()
    assert report.patched
    assert {path for path in report.written if path.startswith("acme/")} == {
        "acme/__init__.py",  # __version__: a description edit is a patch release
        "acme/api/vip.py",
        "acme/models/vip.py",
    }
    assert b"The VIP." in (project.output / "acme" / "api" / "vip.py").read_bytes()
    _same_as_full_build(project)


def test_the_api_reference_follows_a_patched_parameter(project: Project) -> None:
    # api.md lists each method's required arguments (a package-wide file, from every group's summary);
    # the group's reference page shows each argument: both are rewritten by the patch, as a full build would.
    project.build()
    index = project.output / "api.md"
    assert "start_vm_instance</a>(*, uuid, ...)" in index.read_text(encoding="utf-8")
    edit(
        project.page("StartVmInstance"),
        "    • hostUuidString\n\n      Optional.",
        "    • hostUuidStringRequired\n\n     ",
    )
    report = project.build()
    assert report.patched and {"api.md", "reference/vm_instance.md"} <= set(report.written)
    assert "start_vm_instance</a>(*, uuid, host_uuid, ...)" in index.read_text(encoding="utf-8")
    page = (project.output / "reference" / "vm_instance.md").read_text(encoding="utf-8")
    assert "| `host_uuid` | `str` | yes | The host UUID. |" in page
    _same_as_full_build(project)
