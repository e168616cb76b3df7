"""The release stage of `sdkgen build` (generator/build/versioning.py): the generated package's version
follows the diff with the last build, and generated/CHANGELOG.md keeps one entry per version."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.errors import SdkgenError
from tests.build.conftest import Project, edit, make_project
from tests.conftest import CORPUS

CLUSTER_PARAM = "    • clusterUuidString\n\n      Optional. The UUID of the cluster.\n\n"


def _version(project: Project) -> str:
    pyproject = (project.output / "pyproject.toml").read_text(encoding="utf-8")
    init = (project.output / "acme" / "__init__.py").read_text(encoding="utf-8")
    stated = re.findall(r'^version = "(.*)"$', pyproject, re.MULTILINE)
    assert re.findall(r'^__version__ = "(.*)"$', init, re.MULTILINE) == stated and len(stated) == 1
    return stated[0]


def _changelog(project: Project) -> str:
    return (project.output / "CHANGELOG.md").read_text(encoding="utf-8")


def _headings(project: Project) -> list[str]:
    return re.findall(r"^## (.*)$", _changelog(project), re.MULTILINE)


def _entry(project: Project, version: str) -> str:
    """One version's entry (its heading up to the next one)."""
    text = _changelog(project)
    start = text.index(f"## {version}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else len(text)]


def _tree(project: Project) -> dict[str, bytes]:
    return {path: state.data for path, state in project.snapshot().items()}


def _add_page(project: Project, name: str = "CloneVmInstance") -> None:
    shutil.copy(CORPUS / "text" / f"{name}.txt", project.docs)


def test_the_first_build_is_the_starting_version_and_its_changelog_entry_describes_the_api(project: Project) -> None:
    report = project.build()
    assert _version(project) == "0.1.0"
    assert _headings(project) == ["0.1.0"]
    entry = _entry(project, "0.1.0")
    assert re.search(r"Built from the docs snapshot sha256:[0-9a-f]{16} \(9 pages\)\.", entry)
    assert f"{report.operations} operations in {report.groups} groups" in entry
    assert _changelog(project).startswith("# Changelog of acme\n")


def test_no_change_keeps_the_version_and_the_changelog(project: Project) -> None:
    project.build()
    before = _tree(project)
    assert project.build().up_to_date
    project.page("AckAlarmData").touch()
    project.build()
    assert project.build(use_cache=False).operations  # a full build from scratch over the last release
    assert _tree(project) == before


def test_doc_only_change_is_a_patch_release(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"))
    assert project.build().patched
    assert _version(project) == "0.1.1"
    entry = _entry(project, "0.1.1")
    assert "**patch** bump from `0.1.0` (documentation changes only)" in entry
    assert "### Docs" in entry and "`StartVmInstance`" in entry
    assert "### Added" not in entry and "### Breaking" not in entry


def test_an_added_operation_is_a_minor_release(project: Project) -> None:
    project.build()
    _add_page(project)
    assert not project.build().patched
    assert _version(project) == "0.2.0"
    entry = _entry(project, "0.2.0")
    assert "**minor** bump from `0.1.0`" in entry
    assert "### Added" in entry and "`CloneVmInstance`" in entry and "### Breaking" not in entry


def test_a_new_optional_parameter_patched_in_is_a_minor_release(project: Project) -> None:
    project.build()
    added = "  • pageSizeInteger\n\n    Optional. Records per page.\n\n  • limitInteger"
    edit(project.page("QueryVmInstance"), "  • limitInteger", added)
    assert project.build().patched  # the patch route bumps too
    assert _version(project) == "0.2.0"
    assert "`QueryVmInstance`" in _entry(project, "0.2.0").split("### Added")[1]


def test_a_removed_parameter_is_a_major_release(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"), CLUSTER_PARAM, "")
    project.build()
    assert _version(project) == "1.0.0"
    entry = _entry(project, "1.0.0")
    assert "**major** bump from `0.1.0` (breaking changes)" in entry
    assert "### Breaking" in entry and "clusterUuid" in entry.split("### Breaking")[1]


def test_zerover_makes_breaking_changes_minor_and_additions_patch(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", extra='version_policy = "zerover"\nsdk_version = "0.4.0"\n')
    project.build()
    assert _version(project) == "0.4.0"
    edit(project.page("StartVmInstance"), CLUSTER_PARAM, "")
    project.build()
    assert _version(project) == "0.5.0"
    assert "before 1.0.0 the zerover policy makes them a minor bump" in _entry(project, "0.5.0")
    _add_page(project)
    project.build()
    assert _version(project) == "0.5.1"


def test_the_changelog_keeps_every_version_newest_first(project: Project) -> None:
    project.build()
    edit(project.page("StartVmInstance"))
    project.build()
    _add_page(project)
    project.build()
    middle = _changelog(project)
    edit(project.page("StartVmInstance"), CLUSTER_PARAM, "")
    project.build()
    assert _headings(project) == ["1.0.0", "0.2.0", "0.1.1", "0.1.0"]
    # the older entries are kept byte for byte below the new one
    assert _changelog(project).endswith(middle[middle.index("## 0.2.0") :])


def test_a_raised_sdk_version_is_taken_and_a_lower_one_ignored(project: Project) -> None:
    project.build()
    text = project.pyproject.read_text(encoding="utf-8")
    project.pyproject.write_text(text + 'sdk_version = "1.0.0"\n', encoding="utf-8")
    project.build()  # a setting changed: the build runs, with no API change
    assert _version(project) == "1.0.0"
    entry = _entry(project, "1.0.0")
    assert "Version: set by `[tool.sdkgen] sdk_version`, from `0.1.0` (the diff alone makes a **none** bump" in entry
    assert "No API changes." in entry
    project.pyproject.write_text(text + 'sdk_version = "0.1.0"\n', encoding="utf-8")
    project.build()
    assert _version(project) == "1.0.0" and _headings(project) == ["1.0.0", "0.1.0"]


def test_the_same_pages_and_history_give_byte_identical_output(tmp_path: Path) -> None:
    trees = []
    for _ in range(2):  # the same history twice, in the same folder (the IR names the pages by their path)
        shutil.rmtree(tmp_path / "project", ignore_errors=True)
        project = make_project(tmp_path / "project")
        project.build()
        edit(project.page("StartVmInstance"))
        project.build()
        _add_page(project)
        project.build()
        trees.append(_tree(project))
    assert trees[0] == trees[1]
    assert b"## 0.2.0" in trees[0]["CHANGELOG.md"]


def test_an_existing_output_without_a_changelog_gets_one_at_its_version(project: Project) -> None:
    # The first build of a project whose last output came from an sdkgen without releases.
    project.build()
    (project.output / "CHANGELOG.md").unlink()
    project.build()
    assert _version(project) == "0.1.0" and _headings(project) == ["0.1.0"]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('sdk_version = "1.0"', r"pyproject.toml:6: \[tool.sdkgen\] sdk_version must be a MAJOR.MINOR.PATCH version"),
        ("sdk_version = 1", r"pyproject.toml:6: \[tool.sdkgen\] sdk_version must be"),
        ('version_policy = "calver"', r"pyproject.toml:6: \[tool.sdkgen\] version_policy must be one of 'semver'"),
    ],
)
def test_bad_release_settings_are_a_clear_error(tmp_path: Path, setting: str, message: str) -> None:
    project = make_project(tmp_path / "project", extra=setting + "\n")
    with pytest.raises(SdkgenError, match=message):
        project.config()


def test_a_last_version_that_is_not_semver_is_a_clear_error_and_nothing_is_written(project: Project) -> None:
    project.build()
    pyproject = project.output / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace('"0.1.0"', '"1.0"'), encoding="utf-8")
    edit(project.page("StartVmInstance"))
    before = project.snapshot()
    with pytest.raises(SdkgenError, match=r"generated/pyproject.toml:8: the last build's version '1.0' is not"):
        project.build()
    assert project.snapshot() == before


def test_a_generated_pyproject_without_its_version_line_is_a_clear_error(project: Project) -> None:
    # What a template override that drops the line would render (the stage sets the version on that line).
    from generator.build.steps import PostDocuments
    from generator.build.versioning import apply_release

    project.build()
    ir = (project.output / "api.json").read_bytes()
    files: dict[str, str | bytes] = {"pyproject.toml": '[project]\nname = "acme"\n'}
    context = PostDocuments(project.config(), ir, b"", files, False, docs="d")
    with pytest.raises(SdkgenError, match=r'version to 0\.1\.0: the file must state it on exactly one line `version = "\.\.\."` \(found 0\)'):
        apply_release(context)
