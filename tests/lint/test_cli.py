"""`sdkgen lint` on the command line: formats, exit codes, untrusted text kept harmless."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.lint.pages import CLEAN_GET, CLEAN_PUT, write

TEXT_LINE = re.compile(
    r"^(?P<file>[^:\n]+):(?P<line>\d+): (?P<severity>error|warning|info): (?P<message>.+) \[(?P<rule>[a-z-]+)\]$"
)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["lint", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    """Two pages: one with two doc bugs (warnings) and an info, one clean."""
    buggy = CLEAN_PUT.replace("changeZoneState", "changezonestate").replace(
        "The zone UUID.", "No description provided."
    )
    write(tmp_path, buggy.replace("Optional. The system tags.", "Optional."), "ChangeZoneState.txt")
    write(tmp_path, CLEAN_GET, "GetZoneCapacity.txt")
    return tmp_path


def test_text_format_is_one_line_per_finding(pages: Path) -> None:
    code, out, err = _run(str(pages))
    assert code == 0  # default --fail-on error: warnings do not fail
    lines = out.splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert sorted((m["rule"], m["severity"]) for m in parsed if m) == [
        ("lowercase-wrapper", "warning"),
        ("missing-description", "info"),
        ("placeholder-description", "warning"),
    ]
    assert all(m["file"].endswith("ChangeZoneState.txt") for m in parsed if m)
    assert "sdkgen: 3 findings (0 errors, 2 warnings, 1 info) in 1 file" in err


def test_json_format_lists_every_field(pages: Path) -> None:
    code, out, _ = _run("--format", "json", str(pages))
    items = json.loads(out)
    assert code == 0 and len(items) == 3
    for item in items:
        assert set(item) == {"rule", "severity", "file", "line", "operation", "message"}
        assert item["operation"] == "ChangeZoneState" and isinstance(item["line"], int)


def test_markdown_groups_by_rule_with_counts(pages: Path, tmp_path: Path) -> None:
    extra = CLEAN_PUT.replace("The zone UUID.", "No description provided.").replace(
        "The resource UUID.", "No description provided."
    )
    write(pages, extra.replace("ChangeZoneState", "ChangeZoneName"), "ChangeZoneName.txt")
    code, out, _ = _run("--format", "markdown", str(pages))
    assert code == 0
    assert "## `placeholder-description` (3)" in out
    assert "## `lowercase-wrapper` (1)" in out
    assert "| `placeholder-description` | warning | 3 |" in out
    section = out.split("## `placeholder-description` (3)")[1].split("## ")[0]
    assert section.count("ChangeZoneName.txt") == 2 and section.count("ChangeZoneState.txt") == 1


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [("none", 0), ("error", 0), ("warning", 1), ("any", 1)],
)
def test_fail_on_thresholds_with_warnings(pages: Path, fail_on: str, code: int) -> None:
    assert _run("--fail-on", fail_on, str(pages))[0] == code


def test_fail_on_any_counts_info_and_error_fails_by_default(tmp_path: Path) -> None:
    write(tmp_path, CLEAN_PUT.replace("Optional. The system tags.", "Optional."), "Info.txt")
    assert _run("--fail-on", "warning", str(tmp_path))[0] == 0
    assert _run("--fail-on", "any", str(tmp_path))[0] == 1
    write(tmp_path, "no API here\n", "Broken.txt")
    code, out, _ = _run(str(tmp_path))
    assert code == 1
    assert re.search(r"Broken\.txt: error: no endpoint \(method and path\) found on the page \[page-error\]", out)
    assert _run("--fail-on", "none", str(tmp_path))[0] == 0


def test_usage_errors_exit_2_and_missing_inputs_exit_1(tmp_path: Path) -> None:
    assert _run("--fail-on", "sometimes", str(tmp_path))[0] == 2
    assert _run("--format", "html", str(tmp_path))[0] == 2
    assert _run()[0] == 2
    code, _, err = _run(str(tmp_path / "nope"))
    assert code == 1 and err.strip() == f"sdkgen: {tmp_path / 'nope'}: no such file or folder"


def test_doc_text_cannot_reach_the_terminal_raw(tmp_path: Path) -> None:
    hostile = "\x1b[31m红色\x07"
    write(tmp_path, CLEAN_PUT.replace("The zone UUID.", hostile), "Esc.txt")
    for fmt in ("text", "markdown", "json"):
        _, out, _ = _run("--format", fmt, str(tmp_path))
        assert "\x1b" not in out and "\x07" not in out
        assert "\\x1b" in out or "\\u001b" in out


def test_markdown_cells_escape_pipes_and_html(tmp_path: Path) -> None:
    page = CLEAN_PUT.replace("The zone UUID.", "区域 | <script>alert(1)</script>")
    write(tmp_path, page, "Pipes.txt")
    _, out, _ = _run("--format", "markdown", str(tmp_path))
    row = next(line for line in out.splitlines() if "Pipes.txt" in line)
    assert "<script>" not in row and row.count(" | ") == 2  # only the cell separators


def test_output_file_is_deterministic(pages: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    assert _run("--format", "markdown", "-o", str(first), str(pages))[0] == 0
    assert _run("--format", "markdown", "-o", str(second), "-j", "1", str(pages))[0] == 0
    assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 0
