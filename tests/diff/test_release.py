"""generator/release.py: the next SDK version from a diff (semver and zerover), and CHANGELOG.md's text."""

from __future__ import annotations

import pytest

from generator.diff.model import Change, ChangeKind, DiffReport, VersionInfo
from generator.release import (
    Release,
    changelog_with,
    entry_markdown,
    next_release,
    parse_version,
    previous_entries,
)

ADDED = Change(operation="CreateZone", kind=ChangeKind.OPERATION_ADDED, breaking=False)
REMOVED_PARAM = Change(operation="StartVm", kind=ChangeKind.PARAM_REMOVED, path="hostUuid", breaking=True)
MADE_OPTIONAL = Change(
    operation="StartVm", kind=ChangeKind.PARAM_REQUIRED_CHANGED, path="clusterUuid", breaking=False, old=True, new=False
)
DESCRIBED = Change(operation="StartVm", kind=ChangeKind.DESCRIPTION_CHANGED, path="request.hostUuid", breaking=False)


def _diff(*changes: Change) -> DiffReport:
    return DiffReport(
        old=VersionInfo(source="old", operations=1), new=VersionInfo(source="new", operations=2), changes=list(changes)
    )


@pytest.mark.parametrize(
    ("previous", "changes", "policy", "expected"),
    [
        # semver: major for breaking, minor for additions and other API changes, patch for docs, none for nothing
        ("1.4.2", [], "semver", "1.4.2"),
        ("1.4.2", [DESCRIBED], "semver", "1.4.3"),
        ("1.4.2", [ADDED], "semver", "1.5.0"),
        ("1.4.2", [MADE_OPTIONAL], "semver", "1.5.0"),
        ("1.4.2", [REMOVED_PARAM], "semver", "2.0.0"),
        ("1.4.2", [DESCRIBED, ADDED, REMOVED_PARAM], "semver", "2.0.0"),  # the largest bump wins
        ("0.3.1", [REMOVED_PARAM], "semver", "1.0.0"),
        ("0.3.1", [ADDED], "semver", "0.4.0"),
        # zerover, while the major is 0: one step down
        ("0.3.1", [], "zerover", "0.3.1"),
        ("0.3.1", [DESCRIBED], "zerover", "0.3.2"),
        ("0.3.1", [ADDED], "zerover", "0.3.2"),
        ("0.3.1", [MADE_OPTIONAL], "zerover", "0.3.2"),
        ("0.3.1", [REMOVED_PARAM], "zerover", "0.4.0"),
        ("0.3.1", [ADDED, REMOVED_PARAM], "zerover", "0.4.0"),
        # zerover from 1.0.0 on is semver
        ("1.0.0", [ADDED], "zerover", "1.1.0"),
        ("1.0.0", [REMOVED_PARAM], "zerover", "2.0.0"),
        ("9.19.99", [DESCRIBED], "zerover", "9.19.100"),
    ],
)
def test_next_release(previous: str, changes: list[Change], policy: str, expected: str) -> None:
    assert next_release(previous, _diff(*changes), policy) == expected


@pytest.mark.parametrize("bad", ["1.2", "v1.2.3", "01.2.3", "1.2.3-rc1", "1.2.3.4", "", " 1.2.3"])
def test_versions_are_major_minor_patch_digits_only(bad: str) -> None:
    assert parse_version(bad) is None
    with pytest.raises(ValueError, match=r"MAJOR\.MINOR\.PATCH"):
        next_release(bad, _diff(ADDED))


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="policy"):
        next_release("1.0.0", _diff(ADDED), "calver")


def test_an_entry_has_the_version_the_docs_snapshot_the_bump_and_the_changelog_sections() -> None:
    release = Release("2.0.0", "sha256:00aa (3 pages)", "1.4.2")
    text = entry_markdown(release, _diff(REMOVED_PARAM, ADDED, DESCRIBED))
    assert text.splitlines()[:4] == [
        "## 2.0.0",
        "",
        "Built from the docs snapshot sha256:00aa (3 pages).",
        "Version: **major** bump from `1.4.2` (breaking changes).",
    ]
    # Breaking, then Added, then Docs: the sections of `sdkgen changelog`
    assert text.index("### Breaking") < text.index("### Added") < text.index("### Docs")
    assert "`hostUuid`" in text.split("### Added")[0] and "`CreateZone`" in text.split("### Added")[1]


def test_a_zerover_entry_says_why_the_bump_is_smaller() -> None:
    text = entry_markdown(Release("0.4.0", "d", "0.3.1", "zerover"), _diff(REMOVED_PARAM))
    assert "**minor** bump from `0.3.1` (breaking changes; before 1.0.0 the zerover policy" in text


def test_the_first_entry_describes_the_api_instead_of_listing_it() -> None:
    text = entry_markdown(Release("0.1.0", "d", None), None, ["12 operations in 3 groups."])
    assert text == "## 0.1.0\n\nBuilt from the docs snapshot d.\n\n12 operations in 3 groups.\n"


def test_new_entries_go_on_top_and_the_previous_ones_stay_as_they_were() -> None:
    first = changelog_with("## 0.1.0\n\nfirst\n", None, "acme")
    assert first.startswith("# Changelog of acme\n") and first.endswith("\n## 0.1.0\n\nfirst\n")
    second = changelog_with("## 0.2.0\n\nsecond\n", first, "acme")
    assert second.index("## 0.2.0") < second.index("## 0.1.0")
    assert previous_entries(second) == "## 0.2.0\n\nsecond\n\n## 0.1.0\n\nfirst\n"
    assert previous_entries("# Changelog\n\nno entries yet\n") == ""
