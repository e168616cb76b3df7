"""CHANGELOG sections and the semver bump a diff implies."""

from __future__ import annotations

import pytest

from generator.changelog import build_changelog, next_version
from generator.diff import Bump, diff_irs
from generator.errors import UsageError
from generator.ir.model import Endpoint
from tests.diff.diff_builders import endpoint, field, ir, param

BASE = endpoint("CreateVm", params=[param("name", description="The name.")], fields=[field("uuid")])


def _changelog(*new: Endpoint, current: str | None = "1.4.2") -> tuple[Bump, str | None, str]:
    result = build_changelog(diff_irs(ir(BASE), ir(*new)), current)
    return result.bump, result.next_version, result.markdown


def test_breaking_change_means_major() -> None:
    bump, version, text = _changelog(
        endpoint("CreateVm", params=[param("name", required=True)], fields=[field("uuid")])
    )
    assert (bump, version) == (Bump.MAJOR, "2.0.0")
    assert text.startswith("## 2.0.0\n")
    assert "### Breaking\n\n- `CreateVm`: parameter `name` is now required" in text


def test_additions_mean_minor() -> None:
    bump, version, text = _changelog(BASE, endpoint("StartVm", "PUT", "/zstack/v1/vms/{uuid}/actions"))
    assert (bump, version) == (Bump.MINOR, "1.5.0")
    assert "### Added\n\n- `StartVm`: new operation (`PUT /zstack/v1/vms/{uuid}/actions`)" in text
    assert "### Breaking" not in text


def test_doc_only_changes_mean_patch_and_are_counted_not_listed() -> None:
    reworded = endpoint(
        "CreateVm", params=[param("name", description="The VM name.")], fields=[field("uuid", description="UUID.")]
    )
    bump, version, text = _changelog(reworded)
    assert (bump, version) == (Bump.PATCH, "1.4.3")
    assert "### Docs\n\n- `CreateVm`: 2 descriptions updated" in text
    assert "The VM name." not in text


def test_no_change_means_no_bump_and_sections_are_ordered() -> None:
    assert _changelog(BASE)[:2] == (Bump.NONE, "1.4.2")
    assert "No API changes." in _changelog(BASE)[2]
    mixed = endpoint(
        "CreateVm",
        params=[param("name", description="Its name."), param("zone", required=True)],
        fields=[field("uuid"), field("name")],
    )
    _, _, text = _changelog(mixed, current=None)
    assert text.startswith("## Unreleased\n")
    assert text.index("### Breaking") < text.index("### Added") < text.index("### Docs")


@pytest.mark.parametrize(
    ("current", "bump", "expected"),
    [
        ("1.4.2", Bump.MAJOR, "2.0.0"),
        ("1.4.2", Bump.MINOR, "1.5.0"),
        ("1.4.2", Bump.PATCH, "1.4.3"),
        ("1.4.2", Bump.NONE, "1.4.2"),
        ("v0.9.12", Bump.MINOR, "v0.10.0"),
    ],
)
def test_next_version(current: str, bump: Bump, expected: str) -> None:
    assert next_version(current, bump) == expected


@pytest.mark.parametrize("bad", ["1.4", "1.4.2-rc1", "latest", ""])
def test_malformed_versions_are_usage_errors(bad: str) -> None:
    with pytest.raises(UsageError):
        next_version(bad, Bump.MINOR)
