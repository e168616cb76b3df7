"""SDK releases: the next version of the generated package from a diff, and its CHANGELOG.md.

Pure functions (no files): `generator/build/release.py` is the build stage that reads the previous
release from the last build's output and writes the new one.

Policies (`[tool.sdkgen] version_policy`):

* `semver`: breaking -> major, additions or other API changes -> minor, doc-only -> patch.
* `zerover`: while the major version is 0, one step down: breaking -> minor, additions, other API
  changes and doc-only changes -> patch. From 1.0.0 on it is `semver`.

No change at all keeps the version. A version is MAJOR.MINOR.PATCH (digits only: it goes into the
package's metadata as it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.diff.model import DiffReport
    from generator.diff.rules import Bump

DEFAULT_SDK_VERSION = "0.1.0"
POLICIES = ("semver", "zerover")
DEFAULT_POLICY = "semver"
CHANGELOG_FILE = "CHANGELOG.md"
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_ENTRY = re.compile(r"^## ", re.MULTILINE)


def parse_version(text: str) -> tuple[int, int, int] | None:
    """`1.4.2` -> (1, 4, 2); None unless it is MAJOR.MINOR.PATCH without leading zeros."""
    match = _VERSION.match(text)
    if match is None:
        return None
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def version_key(version: str) -> tuple[int, int, int]:
    """`1.4.2` -> (1, 4, 2), for comparing versions; ValueError unless it is MAJOR.MINOR.PATCH."""
    parsed = parse_version(version)
    if parsed is None:
        raise ValueError(f"{version!r} is not a MAJOR.MINOR.PATCH version")
    return parsed


def release_bump(bump: Bump, version: str, policy: str) -> Bump:
    """The bump a diff's bump (`generator.diff.rules.Bump`) makes to `version` under `policy`."""
    from generator.diff.rules import Bump

    if policy not in POLICIES:
        raise ValueError(f"unknown version policy {policy!r}")
    if policy == "zerover" and version_key(version)[0] == 0:
        return {Bump.MAJOR: Bump.MINOR, Bump.MINOR: Bump.PATCH}.get(bump, bump)
    return bump


def bumped(version: str, bump: Bump) -> str:
    """`1.4.2` + minor -> `1.5.0`."""
    from generator.diff.rules import Bump

    major, minor, patch = version_key(version)
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    if bump is Bump.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def diff_bump(diff: DiffReport) -> Bump:
    """What the diff asks for, by the sections of the `changelog` command."""
    from generator.changelog import sections_of
    from generator.diff.rules import bump_for

    return bump_for(set(sections_of(diff)))


def next_release(previous_version: str, diff: DiffReport, policy: str = DEFAULT_POLICY) -> str:
    """The version of the package built from `diff`'s new side, the previous one being `previous_version`."""
    return bumped(previous_version, release_bump(diff_bump(diff), previous_version, policy))


# --- CHANGELOG.md -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """One CHANGELOG entry."""

    version: str
    docs: str  # the docs snapshot it was built from (a deterministic id)
    previous: str | None  # the version before it; None for the first one the changelog records
    policy: str = DEFAULT_POLICY
    raised_to: bool = False  # the version is the configured sdk_version, above what the diff gave


_REASONS = {
    "major": "breaking changes",
    "minor": "new or changed API without breaking changes",
    "patch": "documentation changes only",
    "none": "no API changes",
}


def entry_markdown(release: Release, diff: DiffReport | None, first_lines: list[str] | None = None) -> str:
    """`## VERSION`, where it comes from, the bump, then the sections of the `changelog` command.

    `diff` None (or `first_lines` given): the first version the changelog records, described by
    `first_lines` instead of a diff against nothing (which would list the whole API as added).
    """
    from generator.changelog import section_lines
    from generator.diff.report import md_code, md_text

    lines = [f"## {release.version}", "", f"Built from the docs snapshot {md_text(release.docs)}."]
    if release.previous is None or diff is None:
        lines += ["", *(first_lines or ["The first version this changelog records."])]
        return "\n".join(lines) + "\n"
    wanted = diff_bump(diff)
    made = release_bump(wanted, release.previous, release.policy)
    reason = _REASONS[wanted.value]
    if made is not wanted:
        reason += f"; before 1.0.0 the {release.policy} policy makes them a {made.value} bump"
    if release.raised_to:
        lines.append(
            f"Version: set by `[tool.sdkgen] sdk_version`, from {md_code(release.previous)} "
            f"(the diff alone makes a **{made.value}** bump: {reason})."
        )
    else:
        lines.append(f"Version: **{made.value}** bump from {md_code(release.previous)} ({reason}).")
    lines += section_lines(diff)
    return "\n".join(lines) + "\n"


def changelog_header(distribution: str) -> str:
    return (
        f"# Changelog of {distribution}\n\n"
        "Written by `sdkgen build` from the API documentation, newest version first. Each version lists\n"
        "what changed in the API since the one before it: read its Breaking section before upgrading.\n"
    )


def previous_entries(text: str) -> str:
    """The entries of a CHANGELOG.md (from its first `## ` heading on); "" when it has none."""
    match = _ENTRY.search(text)
    return text[match.start() :] if match is not None else ""


def has_entries(text: str | None) -> bool:
    return bool(text and previous_entries(text))


def changelog_with(entry: str, previous_text: str | None, distribution: str) -> str:
    """The new CHANGELOG.md: the header, the new entry, then the previous entries as they were."""
    older = previous_entries(previous_text or "")
    return changelog_header(distribution) + "\n" + entry + ("\n" + older if older else "")
