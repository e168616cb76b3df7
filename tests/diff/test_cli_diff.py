"""`sdkgen diff` and `sdkgen changelog` end to end on IR files: formats, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.diff import diff_irs, diff_paths, read_ir_for_diff
from generator.ir import IR, IR_VERSION, Diagnostic, RequestExample, Source, dump_ir
from tests.conftest import DATA
from tests.diff.diff_builders import endpoint, field, ir, param

VERSIONS = DATA / "versions"


def _write(path: Path, version: IR) -> Path:
    path.write_text(dump_ir(version), encoding="utf-8")
    return path


@pytest.fixture()
def versions(tmp_path: Path) -> dict[str, Path]:
    base = endpoint("CreateVm", params=[param("name", description="The name.")], fields=[field("uuid")])
    return {
        "old": _write(tmp_path / "old.json", ir(base)),
        "same": _write(tmp_path / "same.json", ir(base)),
        "docs": _write(
            tmp_path / "docs.json",
            ir(endpoint("CreateVm", params=[param("name", description="The VM name.")], fields=[field("uuid")])),
        ),
        "added": _write(tmp_path / "added.json", ir(base, endpoint("StartVm", "PUT", "/zstack/v1/vms/{uuid}"))),
        "breaking": _write(
            tmp_path / "breaking.json",
            ir(endpoint("CreateVm", params=[param("name", required=True, description="The name.")])),
        ),
    }


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    ("new", "fail_on", "code"),
    [
        ("breaking", "breaking", 1),
        ("added", "breaking", 0),
        ("added", "any", 1),
        ("docs", "any", 1),
        ("same", "any", 0),
        ("breaking", "never", 0),
    ],
)
def test_fail_on_sets_the_exit_code(versions: dict[str, Path], new: str, fail_on: str, code: int) -> None:
    result = run("diff", versions["old"], versions[new], "--fail-on", fail_on)
    assert result.exit_code == code, result.output


def test_no_descriptions_drops_doc_only_changes_everywhere(versions: dict[str, Path]) -> None:
    result = run("diff", versions["old"], versions["docs"], "--no-descriptions", "--format", "json", "--fail-on", "any")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["changes"] == []


def test_json_output_to_a_file(versions: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report" / "diff.json"
    result = run("diff", versions["old"], versions["breaking"], "--format", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["old"]["source"] == str(versions["old"])
    assert [(c["kind"], c["path"], c["breaking"]) for c in document["changes"]] == [
        ("param_required_changed", "name", True),
        ("response_field_removed", "uuid", True),
    ]


def test_markdown_and_text_formats(versions: dict[str, Path]) -> None:
    markdown = run("diff", versions["old"], versions["added"], "--format", "markdown").stdout
    assert markdown.startswith("## API changes:")
    text = run("diff", versions["old"], versions["added"]).stdout
    assert "NON-BREAKING (1)" in text and "StartVm" in text


def test_usage_errors_exit_2(versions: dict[str, Path], tmp_path: Path) -> None:
    assert run("diff", versions["old"]).exit_code == 2
    assert run("diff", versions["old"], tmp_path / "missing.json").exit_code == 2
    assert run("diff", versions["old"], versions["same"], "--format", "yaml").exit_code == 2
    bad_version = run("changelog", versions["old"], versions["same"], "--current-version", "one")
    assert bad_version.exit_code == 2
    assert bad_version.stderr.strip() == "sdkgen: --current-version 'one' is not a MAJOR.MINOR.PATCH version"


def test_a_broken_ir_file_is_one_line_not_a_traceback(versions: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"ir_version": "1.0.0",\n "endpoints": [', encoding="utf-8")
    result = run("diff", broken, versions["old"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"sdkgen: {broken}:2: not valid JSON")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_ir_files_are_read_trimmed_to_what_the_diff_needs(tmp_path: Path) -> None:
    old = ir(endpoint("CreateVm", params=[param("name")]))
    new = ir(endpoint("CreateVm", params=[param("name", required=True), param("zone")]))
    for version in (old, new):  # what a real IR carries beyond what is compared
        ep = version.endpoints[0]
        ep.request_example = RequestExample(raw="curl -X POST 'http://h/zstack/v1/things'")
        ep.warnings = [Diagnostic(code="w", message="odd", source=Source(file="CreateVm.txt", line=3))]
    old_file, new_file = _write(tmp_path / "o.json", old), _write(tmp_path / "n.json", new)
    assert read_ir_for_diff(old_file).endpoints[0].request_example is None
    assert diff_paths(old_file, new_file).changes == diff_irs(old, new).changes


def test_an_ir_file_of_another_major_version_is_refused(versions: dict[str, Path], tmp_path: Path) -> None:
    future = tmp_path / "future.json"
    future.write_text(json.dumps({"ir_version": "2.0.0", "endpoints": []}), encoding="utf-8")
    result = run("diff", versions["old"], future)
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"sdkgen: {future}: IR version 2.0.0 is not supported (this sdkgen reads {IR_VERSION})"
    )


def test_changelog_prints_the_section_or_just_the_next_version(versions: dict[str, Path]) -> None:
    section = run("changelog", versions["old"], versions["added"], "--current-version", "1.4.2")
    assert section.exit_code == 0
    assert section.stdout.startswith("## 1.5.0\n")
    assert "### Added" in section.stdout
    assert run(
        "changelog", versions["old"], versions["breaking"], "--current-version", "1.4.2", "--bump-only"
    ).stdout == ("2.0.0\n")
    assert run("changelog", versions["old"], versions["docs"], "--bump-only").stdout == "patch\n"


def _pages(folder: Path, release: str, *names: str) -> Path:
    folder.mkdir()
    for name in names:
        page = VERSIONS / release / "text" / f"{name}.txt"
        (folder / page.name).write_bytes(page.read_bytes())
    return folder


def test_page_folders_are_scraped_on_the_fly(tmp_path: Path) -> None:
    old = _pages(tmp_path / "old", "OLD", "ChangeFirewallRuleState", "CleanQueue")
    new = _pages(tmp_path / "new", "NEW", "ChangeFirewallRuleState", "CleanQueue")
    result = run("diff", old, new, "--format", "json", "--no-descriptions", "--fail-on", "breaking")
    assert result.exit_code == 1
    found = {(c["operation"], c["kind"], c["path"], c["old"], c["new"]) for c in json.loads(result.stdout)["changes"]}
    assert (
        "ChangeFirewallRuleState",
        "response_field_type_changed",
        "inventory.action",
        "ActionType",
        "String",
    ) in found
    assert ("CleanQueue", "async_changed", None, True, False) in found
    assert ("CleanQueue", "since_changed", None, None, "4.1.3") in found


def test_an_unreadable_page_stops_the_diff_with_one_line(tmp_path: Path) -> None:
    old = _pages(tmp_path / "old", "OLD", "CleanQueue")
    (old / "Broken.txt").write_text("not a doc page\n", encoding="utf-8")
    new = _pages(tmp_path / "new", "NEW", "CleanQueue")
    result = run("diff", old, new)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"sdkgen: {old / 'Broken.txt'}")
    assert "could not be read" in result.stderr and len(result.stderr.strip().splitlines()) == 1
