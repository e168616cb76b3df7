"""`sdkgen diff`: what changed between two versions of the docs, and whether it breaks clients.

Either side is an IR file (`*.json`) or doc pages (scraped on the fly). The
change kinds are `ChangeKind`; `rules.RULES` says which break clients (narrowing
what a request accepts or what a response returns breaks, widening does not).

Descriptions: `description_changed` entries (parameter and response field
descriptions; whitespace-only edits ignored; titles never compared) are always
non-breaking and are reported in every format unless `--no-descriptions` is
given, so `--fail-on any` also trips on a reworded description. The JSON form is
`{"old", "new", "summary", "changes": [{"operation", "kind", "path", "breaking",
"old", "new"}]}`; a description change's `path` is `request.<param>` or
`response.<dotted.field>`.
"""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from generator.diff.compare import compare_endpoints, diff_irs, match_renames, normalize_path
from generator.diff.load import is_ir_file, load_version, read_ir_for_diff
from generator.diff.model import Change, ChangeKind, DiffReport, VersionInfo
from generator.diff.report import render_json, render_markdown, render_text
from generator.diff.rules import RULES, Bump, Section, bump_for, is_breaking
from generator.fsutil import gc_paused

__all__ = [
    "RULES",
    "Bump",
    "Change",
    "ChangeKind",
    "DiffReport",
    "Section",
    "VersionInfo",
    "bump_for",
    "compare_endpoints",
    "diff_irs",
    "diff_paths",
    "is_breaking",
    "load_version",
    "match_renames",
    "normalize_path",
    "read_ir_for_diff",
    "render_json",
    "render_markdown",
    "render_text",
]


def diff_paths(old: Path, new: Path, jobs: int = 0, descriptions: bool = True) -> DiffReport:
    """Load (or scrape) both versions and compare them; description changes left out when not wanted."""
    scraping = not (is_ir_file(old) and is_ir_file(new))
    # The collector only pays off while scraping (parsed HTML trees are full of cycles).
    with nullcontext() if scraping else gc_paused():
        report = diff_irs(load_version(old, jobs), load_version(new, jobs), str(old), str(new))
    return report if descriptions else report.without_descriptions()
