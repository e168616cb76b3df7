"""The scrape command, the IR file, the golden seed page, overlays."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.ir import IR, dump_ir, ir_json_schema, load_ir
from generator.scrape import scrape_paths
from tests.conftest import DATA, ROOT

SEED = DATA / "CreateVmCdRom.txt"
GOLDEN = ROOT / "tests" / "golden" / "seed_ir.json"


def test_seed_page_matches_golden_ir() -> None:
    produced = dump_ir(scrape_paths([SEED.relative_to(ROOT)]).ir)
    if os.environ.get("SDKGEN_UPDATE_GOLDEN"):
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")


def test_seed_page_reads_every_field() -> None:
    ep = scrape_paths([SEED]).ir.endpoint("CreateVmCdRom")
    assert (ep.method, ep.path, ep.since, ep.group) == (
        "POST",
        "/zstack/v1/vm-instances/cdroms",
        "3.3.0",
        "VM Instance Operations",
    )
    assert ep.body is not None and ep.body.wrapper == "params"
    assert [(p.name, p.required) for p in ep.body.params] == [
        ("name", True),
        ("vmInstanceUuid", True),
        ("isoUuid", False),
        ("description", False),
        ("resourceUuid", False),
    ]
    assert [p.name for p in ep.body.top_level] == ["systemTags", "userTags"]
    assert ep.request_example is not None and ep.request_example.headers["Authorization"] == "OAuth {sessionUuid}"
    assert isinstance(ep.request_example.body, dict) and "params" in ep.request_example.body
    assert ep.response_example is not None and ep.response_example.status == 200
    assert ep.response_example.parsed["inventory"]["deviceId"] == 0.0  # type: ignore[index,call-overload]


def test_ir_round_trips_and_is_deterministic(tmp_path: Path) -> None:
    pages = sorted((DATA / "corpus" / "text").glob("Query*.txt"))[:20]
    first = dump_ir(scrape_paths(pages).ir)
    second = dump_ir(scrape_paths(list(reversed(pages)), jobs=1).ir)
    assert first == second
    path = tmp_path / "api.json"
    path.write_text(first, encoding="utf-8")
    assert dump_ir(load_ir(path)) == first
    assert json.loads(first)["ir_version"] == IR().ir_version


def test_registry_shares_types_and_keeps_recursion() -> None:
    ir = scrape_paths([SEED, DATA / "corpus" / "text" / "QueryVmInstance.txt"]).ir
    error = ir.types["ErrorCode"]
    cause = next(f for f in error.fields if f.name == "cause")
    assert cause.ref == "ErrorCode" and not cause.children
    assert {"CreateVmCdRom", "QueryVmInstance"} <= set(error.used_by)
    assert "VmInstanceInventory" in ir.types  # inferred from the Query API's inventories


def test_schema_command_prints_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(json.dumps(ir_json_schema(), sort_keys=True))


def test_scrape_command_reports_broken_pages_and_keeps_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "CreateVmCdRom.txt").write_bytes(SEED.read_bytes())
    (folder / "Broken.txt").write_bytes(b"nothing\nto see\n")
    (folder / "Bad.html").write_bytes(b"<html><body><p>\xff\xfe</p></body></html>")
    out = tmp_path / "api.json"
    result = CliRunner().invoke(main, ["scrape", str(folder), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if "Broken.txt" in line or "Bad.html" in line]
    assert len(errors) == 2 and all(": no endpoint" in e for e in errors)
    assert [e.operation_id for e in load_ir(out).endpoints] == ["CreateVmCdRom"]


def test_scrape_command_usage_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["scrape"]).exit_code == 2
    missing = runner.invoke(main, ["scrape", str(tmp_path / "nope")])
    assert missing.exit_code == 1 and "no such file" in missing.output and "Traceback" not in missing.output


def test_overlay_patches_by_operation_id(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("CreateVmCdRom:\n  documented_async: true\n  params:\n    isoUuid: {required: true}\n")
    ep = scrape_paths([SEED], overlay=overlay).ir.endpoint("CreateVmCdRom")
    assert ep.documented_async is True
    assert ep.body is not None and next(p for p in ep.body.params if p.name == "isoUuid").required
    assert {r.target for r in ep.repairs if r.rule == "overlay"} == {"documented_async", "param:isoUuid.required"}


def test_bad_overlays_are_clear_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    for text, message in [
        ("Nope:\n  since: '1.0'\n", "unknown operation 'Nope'"),
        ("CreateVmCdRom: [1, 2\n", "not valid YAML"),
        ("CreateVmCdRom:\n  method: 12\n", "invalid patch at method"),
    ]:
        overlay = tmp_path / "o.yaml"
        overlay.write_text(text)
        result = runner.invoke(main, ["scrape", str(SEED), "--overlay", str(overlay), "-o", str(tmp_path / "x.json")])
        assert result.exit_code == 1, result.output
        assert message in result.output and "Traceback" not in result.output
