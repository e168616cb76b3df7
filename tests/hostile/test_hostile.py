"""Hostile and broken pages (tests/hostile/cases.py): never a traceback, every failure one
`FILE:LINE: message`, bounded time and memory, and what parses is a valid IR whose generated
SDK (when the renderer is there) compiles."""

from __future__ import annotations

import json
import re
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.ir.io import dump_ir, load_ir
from generator.ir.model import IR, Diagnostic, Endpoint
from generator.scrape import assemble_ir, scrape_page_file
from tests.hostile.cases import Case, all_cases

CASES = all_cases()
SECONDS_PER_PAGE = 10.0  # the slowest case takes about 1 s here
PEAK_BYTES = 400 * 1024 * 1024  # Python allocations while one page is read (pages are <= 5 MB)
FAILURE_LINE = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<message>[^\n]+)$")
LINT_LINE = re.compile(r"^.+?(?::\d+)?: (?:error|warning|info): [^\n]+ \[[a-z-]+\]$")


def _write(case: Case, folder: Path) -> Path:
    path = folder / case.filename
    path.write_bytes(case.data)
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Endpoint | Diagnostic, float, int]]:
    """Every case scraped once, in process, with its time and peak memory."""
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, tuple[Path, Endpoint | Diagnostic, float, int]] = {}
    for case in CASES:
        path = _write(case, folder)
        tracemalloc.start()
        started = time.perf_counter()
        try:
            result = scrape_page_file(path, path.name)
        finally:
            elapsed = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        out[case.name] = (path, result, elapsed, peak)
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_page_is_parsed_or_refused_in_bounded_time_and_memory(
    case: Case, results: dict[str, tuple[Path, Endpoint | Diagnostic, float, int]]
) -> None:
    path, result, elapsed, peak = results[case.name]
    assert elapsed < SECONDS_PER_PAGE, f"{case.name} took {elapsed:.1f} s"
    assert peak < PEAK_BYTES, f"{case.name} peaked at {peak / 2**20:.0f} MiB"
    if case.expect == "ok":
        assert isinstance(result, Endpoint), f"{case.name}: {result}"
    elif case.expect == "error":
        assert isinstance(result, Diagnostic), f"{case.name} was not refused"
    if isinstance(result, Diagnostic):
        assert result.source.file == path.name and "\n" not in result.message
        if case.error_text:
            assert case.error_text in result.message, result.message
        if case.error_line is not None:
            assert result.source.line == case.error_line, str(result)
    else:
        ir = assemble_ir([result]).ir
        assert IR.model_validate(json.loads(dump_ir(ir))) == IR.model_validate(json.loads(dump_ir(ir)))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_scrape_cli_says_one_line_per_failure_and_writes_valid_ir(case: Case, tmp_path: Path) -> None:
    page = _write(case, tmp_path)
    ir_file = tmp_path / "out" / "api.json"
    result = CliRunner().invoke(main, ["scrape", str(page), "-o", str(ir_file)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    messages = result.stderr.splitlines()
    assert messages[-1].startswith("sdkgen: 1 operations" if result.exit_code == 0 else "sdkgen: 0 operations")
    failures = messages[:-1]
    if result.exit_code == 0:
        assert case.expect != "error" and failures == []
    else:
        assert result.exit_code == 1 and case.expect != "ok", result.stderr
        assert len(failures) == 1, failures
        match = FAILURE_LINE.match(failures[0])
        assert match and match["file"] == str(page), failures[0]
    assert isinstance(load_ir(ir_file), IR)  # written even when the page failed: an IR without it


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lint_cli_reports_in_its_format(case: Case, tmp_path: Path) -> None:
    page = _write(case, tmp_path)
    result = CliRunner().invoke(main, ["lint", str(page)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stdout.splitlines()
    assert all(LINT_LINE.match(line) for line in lines), lines[:5]
    errors = [line for line in lines if ": error: " in line]
    assert (result.exit_code == 1) == bool(errors)
    if case.expect == "error":
        assert len(errors) == 1 and errors[0].endswith("[page-error]"), errors


def test_names_differing_only_in_case_and_duplicates_scrape_together(tmp_path: Path) -> None:
    twins = [c for c in CASES if c.name in ("case-twins-a", "hostile-field-names")]
    for case in twins:
        _write(case, tmp_path)
    result = CliRunner().invoke(main, ["scrape", str(tmp_path), "-o", str(tmp_path / "api.json")])
    assert result.exit_code == 0, result.stderr
    ir = load_ir(tmp_path / "api.json")
    assert sorted(e.operation_id for e in ir.endpoints) == ["StartVmInstance", "startVmInstance"]


def _hostile_endpoints(results: dict[str, tuple[Path, Endpoint | Diagnostic, float, int]]) -> list[Endpoint]:
    """The parsed hostile pages, with distinct operation ids so one IR keeps them all, plus two
    operations whose names differ only in case."""
    endpoints = []
    for index, case in enumerate(c for c in CASES if c.name.startswith("hostile-")):
        result = results[case.name][1]
        if isinstance(result, Endpoint):
            endpoints.append(result.model_copy(update={"operation_id": f"Hostile{index}"}))
    twin, other = results["case-twins-a"][1], results["hostile-text-0"][1]
    assert isinstance(twin, Endpoint) and isinstance(other, Endpoint)
    return [*endpoints, twin, other.model_copy(update={"operation_id": "StartVmInstance"})]


LONG_GROUP = 120  # generator.fsutil.safe_join refuses longer path components


def _renderer() -> Any:
    from fuzz.runner import load_renderer

    renderer = load_renderer()
    if renderer is None:
        pytest.skip("generator.render is not available: nothing to compile")
    return renderer


def test_hostile_names_and_texts_render_to_an_sdk_that_compiles(
    results: dict[str, tuple[Path, Endpoint | Diagnostic, float, int]],
) -> None:
    from fuzz.runner import check_render

    renderer = _renderer()
    endpoints = [e for e in _hostile_endpoints(results) if len(e.group) <= LONG_GROUP]
    assert len(endpoints) > 25
    assert check_render(assemble_ir(endpoints).ir, renderer) is None


def test_a_very_long_group_label_still_renders(
    results: dict[str, tuple[Path, Endpoint | Diagnostic, float, int]],
) -> None:
    from fuzz.runner import check_render

    renderer = _renderer()
    endpoints = [e for e in _hostile_endpoints(results) if len(e.group) > LONG_GROUP]
    assert endpoints, "hostile-text-10 puts 5,000 characters into the breadcrumb and group"
    assert check_render(assemble_ir(endpoints).ir, renderer) is None
