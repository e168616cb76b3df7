"""`sdkgen changelog`: a CHANGELOG section from a diff, and the semver bump it implies.

Sections: Breaking (anything that breaks a client), Added (new operations,
parameters, response fields), Changed (other non-breaking changes to the API),
Docs (since labels and descriptions). The bump is major for anything breaking,
minor for additions or other API changes, patch for doc-only changes, none for
no change at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diff.model import Change, ChangeKind, DiffReport
from generator.diff.report import by_operation, describe, md_code, md_text
from generator.diff.rules import Bump, Section, bump_for, section_of
from generator.errors import UsageError

_SEMVER = re.compile(r"^(?P<prefix>v?)(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)$")

_BUMP_REASON = {
    Bump.MAJOR: "breaking changes",
    Bump.MINOR: "new or changed API without breaking changes",
    Bump.PATCH: "documentation changes only",
    Bump.NONE: "no changes",
}


@dataclass(frozen=True)
class Changelog:
    bump: Bump
    next_version: str | None
    markdown: str


def check_version(current: str) -> re.Match[str]:
    match = _SEMVER.match(current.strip())
    if match is None:
        raise UsageError(f"--current-version {current!r} is not a MAJOR.MINOR.PATCH version")
    return match


def next_version(current: str, bump: Bump) -> str:
    """`1.4.2` + minor -> `1.5.0`; a leading `v` is kept."""
    match = check_version(current)
    major, minor, patch = (int(match[part]) for part in ("major", "minor", "patch"))
    if bump is Bump.MAJOR:
        major, minor, patch = major + 1, 0, 0
    elif bump is Bump.MINOR:
        minor, patch = minor + 1, 0
    elif bump is Bump.PATCH:
        patch += 1
    return f"{match['prefix']}{major}.{minor}.{patch}"


def sections_of(report: DiffReport) -> dict[Section, list[Change]]:
    """The report's changes by CHANGELOG section, in section order, empty sections left out."""
    sorted_changes: dict[Section, list[Change]] = {section: [] for section in Section}
    for change in report.changes:
        sorted_changes[section_of(change.kind, change.breaking)].append(change)
    return {section: changes for section, changes in sorted_changes.items() if changes}


def build_changelog(report: DiffReport, current_version: str | None = None) -> Changelog:
    sections = sections_of(report)
    bump = bump_for(set(sections))
    version = next_version(current_version, bump) if current_version is not None else None
    title = version if version is not None else "Unreleased"
    lines = [f"## {title}", "", _bump_line(bump, current_version), *section_lines(report)]
    return Changelog(bump=bump, next_version=version, markdown="\n".join(lines) + "\n")


def section_lines(report: DiffReport) -> list[str]:
    """The sections of a CHANGELOG entry (each after a blank line), or "No API changes."."""
    lines: list[str] = []
    for section, changes in sections_of(report).items():
        lines += ["", f"### {section.value}", "", *_section_lines(changes)]
    return lines or ["", "No API changes."]


def _bump_line(bump: Bump, current_version: str | None) -> str:
    since = f" from {md_code(current_version)}" if current_version is not None else ""
    return f"Semver: **{bump.value}** bump{since} ({_BUMP_REASON[bump]})."


_FIELD_LISTS = {
    ChangeKind.RESPONSE_FIELD_ADDED: "new response fields",
    ChangeKind.RESPONSE_FIELD_REMOVED: "response fields removed",
}


def _section_lines(changes: list[Change]) -> list[str]:
    """One bullet per operation; its changes as sub-bullets.

    For a reader, not a tool: response fields added or removed are one phrase
    per operation naming the topmost ones, descriptions are counted.
    """
    lines: list[str] = []
    for operation, op_changes in sorted(by_operation(changes).items()):
        phrases = [
            describe(c)
            for c in op_changes
            if c.kind not in _FIELD_LISTS and c.kind is not ChangeKind.DESCRIPTION_CHANGED
        ]
        for kind, title in _FIELD_LISTS.items():
            fields = [c for c in op_changes if c.kind is kind]
            if fields:
                phrases.append(_field_list_phrase(title, fields))
        described = sum(1 for c in op_changes if c.kind is ChangeKind.DESCRIPTION_CHANGED)
        if described:
            phrases.append(f"{described} description{'s' if described > 1 else ''} updated")
        if len(phrases) == 1:
            lines.append(f"- {md_code(operation)}: {phrases[0]}")
        else:
            lines.append(f"- {md_code(operation)}")
            lines += [f"  - {phrase}" for phrase in phrases]
    return lines


def _field_list_phrase(title: str, fields: list[Change]) -> str:
    """`new response fields: `a` (String), `inventory` (VmInventory, 12 nested)`: subtrees shown by their root."""
    paths = [c.path or "" for c in fields]
    items: list[str] = []
    for change, path in zip(fields, paths, strict=True):
        if any(path.startswith(f"{other}.") for other in paths):
            continue  # inside a field that is listed itself
        nested = sum(1 for other in paths if other.startswith(f"{path}."))
        type_name = change.new if change.kind is ChangeKind.RESPONSE_FIELD_ADDED else change.old
        detail = md_text(str(type_name)) + (f", {nested} nested" if nested else "")
        items.append(f"{md_code(path)} ({detail})")
    return f"{title}: {', '.join(items)}"
