"""One API documented by both families (API explorer and Dev Guide pages) scraped together: one endpoint
each, the explorer's, every disagreement a `family-*` diagnostic that `sdkgen lint` reports; a folder
mixing the families reads as the two folders do; a Dev Guide page that cannot be read is an error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_files, scrape_paths
from tests.conftest import CORPUS

EXPLORER = CORPUS / "text"
GUIDE = CORPUS / "devguide-text"
# Every kind of API: actions on a wrapper, a Query, a create, a delete whose two pages disagree on
# the response, a GET, one with nested parameters, one with a spaced title.
SAMPLE = [
    "StartVmInstance",
    "QueryVmInstance",
    "CreateVmCdRom",
    "DeleteLoadBalancerListener",
    "GetResourceConfig",
    "CreateAutoScalingRuleAlarmTrigger",
    "AttachScsiLunToVmInstance",
    "UpdateVmInstance",
    "QueryAccount",
    "DeleteVolumeQos",
]


def _copy(names: list[str], source: Path, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(source / f"{name}.txt", target / f"{name}.txt")) for name in names]


def _family_notes(diagnostics: list[Diagnostic]) -> dict[str, list[Diagnostic]]:
    notes: dict[str, list[Diagnostic]] = {}
    for note in diagnostics:
        if note.code.startswith("family-"):
            notes.setdefault(note.message.split(":", 1)[0], []).append(note)
    return notes


def test_both_families_give_one_endpoint_each_the_explorers(tmp_path: Path) -> None:
    explorer, guide = _copy(SAMPLE, EXPLORER, tmp_path / "explorer"), _copy(SAMPLE, GUIDE, tmp_path / "guide")
    alone = {ep.operation_id: ep for ep in scrape_paths([tmp_path / "explorer"]).ir.endpoints}
    both = scrape_paths([tmp_path / "explorer", tmp_path / "guide"]).ir
    assert sorted(ep.operation_id for ep in both.endpoints) == sorted(SAMPLE)
    for ep in both.endpoints:
        assert Path(ep.source.file).parent == tmp_path / "explorer"
        assert ep.layout == alone[ep.operation_id].layout  # the explorer page, not the Dev Guide one
        assert ep.path == alone[ep.operation_id].path and ep.method == alone[ep.operation_id].method
        assert [p.name for p in ep.all_params()] == [p.name for p in alone[ep.operation_id].all_params()]
    notes = _family_notes(both.diagnostics)
    # The real disagreement of the corpus: the explorer's DELETE pages say "an empty object", the Dev
    # Guide lists the response fields.
    assert set(notes) == {"DeleteLoadBalancerListener", "DeleteVolumeQos"}
    assert all(n.code == "family-response-differs" for group in notes.values() for n in group)
    assert len(explorer) == len(guide) == len(SAMPLE)


def _doctor_guide_page(page: Path) -> None:
    """The Dev Guide page of StartVmInstance with a parameter dropped and a required flag changed."""
    text = page.read_text(encoding="utf-8")
    rows = [
        line
        for line in text.splitlines()
        if line.startswith(("clusterUuid String body", "hostUuid String body"))  # request rows, not response ones
    ]
    assert len(rows) == 2, rows
    text = text.replace(rows[0] + "\n", "")  # clusterUuid: no longer listed
    text = text.replace(rows[1], rows[1].replace("Optional. The host UUID.", "The host UUID."))  # now required
    page.write_text(text, encoding="utf-8")


def test_each_disagreement_is_a_diagnostic_with_the_dev_guide_line(tmp_path: Path) -> None:
    _copy(["StartVmInstance"], EXPLORER, tmp_path / "explorer")
    (page,) = _copy(["StartVmInstance"], GUIDE, tmp_path / "guide")
    _doctor_guide_page(page)
    ir = scrape_paths([tmp_path / "explorer", tmp_path / "guide"]).ir
    (endpoint,) = ir.endpoints
    assert {p.name for p in endpoint.all_params()} >= {"clusterUuid", "hostUuid"}  # the explorer's list stays
    notes = {n.code: n for n in _family_notes(ir.diagnostics)["StartVmInstance"]}
    assert set(notes) == {"family-param-missing", "family-param-required"}
    assert "clusterUuid" in notes["family-param-missing"].message
    assert "hostUuid" in notes["family-param-required"].message
    row = (
        page.read_text(encoding="utf-8")
        .splitlines()
        .index(
            next(
                line
                for line in page.read_text(encoding="utf-8").splitlines()
                if line.startswith("hostUuid String body")
            )
        )
    )
    assert notes["family-param-required"].source.file.endswith("guide/StartVmInstance.txt")
    assert notes["family-param-required"].source.line == row + 1


def test_lint_reports_the_disagreements_to_the_docs_team(tmp_path: Path) -> None:
    _copy(["StartVmInstance", "QueryVmInstance"], EXPLORER, tmp_path / "explorer")
    page, _ = _copy(["StartVmInstance", "QueryVmInstance"], GUIDE, tmp_path / "guide")
    _doctor_guide_page(page)
    result = CliRunner().invoke(
        main, ["lint", str(tmp_path / "explorer"), str(tmp_path / "guide"), "--format", "json", "--fail-on", "none"]
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    text = json.dumps(found)
    assert "family-param-missing" in text and "family-param-required" in text and "clusterUuid" in text
    assert "QueryVmInstance: " not in text  # the Query page's parameters are not a disagreement


def test_a_folder_mixing_the_families_reads_as_the_two_folders(tmp_path: Path) -> None:
    _copy(SAMPLE, EXPLORER, tmp_path / "explorer")
    _copy(SAMPLE, GUIDE, tmp_path / "guide")
    mixed = tmp_path / "mixed"
    _copy(SAMPLE[:5], EXPLORER, mixed)
    for name in SAMPLE[5:]:
        shutil.copy(GUIDE / f"{name}.txt", mixed / f"{name}.txt")
    guide_only = {ep.operation_id: ep for ep in scrape_paths([tmp_path / "guide"]).ir.endpoints}
    explorer_only = {ep.operation_id: ep for ep in scrape_paths([tmp_path / "explorer"]).ir.endpoints}
    read = {ep.operation_id: ep for ep in scrape_paths([mixed]).ir.endpoints}
    assert sorted(read) == sorted(SAMPLE)
    for name in SAMPLE:
        expected = explorer_only[name] if name in SAMPLE[:5] else guide_only[name]
        assert read[name].layout == expected.layout
        assert _same_but_sources(read[name], expected), name


def _same_but_sources(a: Endpoint, b: Endpoint) -> bool:
    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("source", "file")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(a.model_dump(mode="json")) == strip(b.model_dump(mode="json"))


def _broken(tmp_path: Path, name: str, change: str) -> Path:
    (page,) = _copy([name], GUIDE, tmp_path)
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    table = lines.index("Request Parameters")
    if change == "truncated":
        text = "\n".join(lines[: table + 2]) + "\n"  # cut inside the parameter table
    elif change == "rows-garbled":  # every row of the table replaced by noise
        end = next(i for i in range(table + 2, len(lines)) if not lines[i].strip())
        text = "\n".join([*lines[: table + 2], *("~~~ ### ~~~" for _ in range(table + 2, end)), *lines[end:]])
    page.write_text(text, encoding="utf-8")
    return page


def test_a_dev_guide_page_that_cannot_be_read_is_an_error_naming_its_line(tmp_path: Path) -> None:
    for change in ("truncated", "rows-garbled"):
        page = _broken(tmp_path / change, "StartVmInstance", change)
        (result,) = scrape_files([page])
        assert isinstance(result, Diagnostic), f"{change}: read as {result}"
        assert result.source.file == str(page) and result.source.line is not None and result.source.line >= 1
        assert result.severity.value == "error", result
