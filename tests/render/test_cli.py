"""`sdkgen generate` and `sdkgen build`: exit codes, one-line errors, the all-or-nothing output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main
from generator.config import load_config
from generator.ir import dump_ir
from tests.conftest import CORPUS, DATA
from tests.render.builders import endpoint, ir_of, param

PAGES = ["CreateVmCdRom", "QueryVmInstance", "StartVmInstance"]


def _ir_file(tmp_path: Path) -> Path:
    path = tmp_path / "api.json"
    path.write_text(dump_ir(ir_of(endpoint("CreateThing", params=[param("name", required=True)]))), encoding="utf-8")
    return path


def _project(tmp_path: Path, *, extra: str = "", pages: list[str] = PAGES) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in pages:
        shutil.copy(CORPUS / "text" / f"{name}.txt", docs)
    config = tmp_path / "pyproject.toml"
    config.write_text(
        f'[tool.sdkgen]\ninput = ["docs"]\noutput = "generated"\npackage_name = "acme"\nir = "generated/api.json"\n{extra}',
        encoding="utf-8",
    )
    return config


def test_generate_writes_an_installable_package(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", str(_ir_file(tmp_path)), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert (out / "pyproject.toml").is_file() and (out / "README.md").is_file()
    assert (out / "zstack_sdk" / "py.typed").is_file() and (out / "zstack_sdk" / "_runtime" / "spec.py").is_file()
    fixture = json.loads((out / "zstack_sdk" / "fixtures" / "CreateThing.json").read_text())
    assert (fixture["operation_id"], fixture["path"], fixture["wrapper"]) == ("CreateThing", "/v1/things", "params")
    assert "1 operations in 1 groups" in result.output


def test_generate_usage_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    bad_name = runner.invoke(
        main, ["generate", str(_ir_file(tmp_path)), "-o", str(tmp_path / "o"), "--package-name", "no-dash"]
    )
    assert bad_name.exit_code == 2 and bad_name.output.count("\n") == 1 and "invalid package name" in bad_name.output
    missing = runner.invoke(main, ["generate", str(tmp_path / "missing.json"), "-o", str(tmp_path / "o")])
    assert missing.exit_code == 1 and "missing.json: cannot read IR file" in missing.output
    assert "Traceback" not in bad_name.output + missing.output


def test_build_reports_a_broken_page_and_builds_the_rest(tmp_path: Path) -> None:
    config = _project(tmp_path)
    (tmp_path / "docs" / "Broken.txt").write_text("not an API page\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(config), "-j", "1"])
    assert result.exit_code == 1, result.output
    assert "Broken.txt" in result.output and "page left out" in result.output
    out = tmp_path / "generated"
    assert json.loads((out / "api.json").read_text())["ir_version"]
    assert sorted(p.stem for p in (out / "acme" / "fixtures").glob("*.json")) == sorted(PAGES)


def test_a_failed_build_leaves_the_previous_build_intact(tmp_path: Path) -> None:
    config = _project(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--config", str(config), "-j", "1"]).exit_code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()}
    for page in (tmp_path / "docs").iterdir():
        page.write_text("garbage\n", encoding="utf-8")
    result = runner.invoke(main, ["build", "--config", str(config), "-j", "1"])
    assert result.exit_code == 1 and "left unchanged" in result.output
    assert {p: p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()} == before


def test_build_is_deterministic(tmp_path: Path) -> None:
    config = _project(tmp_path)
    runner = CliRunner()
    runner.invoke(main, ["build", "--config", str(config), "-j", "1"])
    first = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()}
    runner.invoke(main, ["build", "--config", str(config), "-j", "1"])
    second = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "generated").rglob("*") if p.is_file()}
    assert first == second


def test_config_errors_name_file_and_line(tmp_path: Path) -> None:
    config = _project(tmp_path, extra="colour = 1\n")
    result = CliRunner().invoke(main, ["build", "--config", str(config)])
    assert result.exit_code == 1 and f"{config}:6: [tool.sdkgen] has unknown key 'colour'" in result.output
    config.write_text('[tool.sdkgen]\ninput = "docs"\noutput = \n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(config)])
    assert f"{config}:3: not valid TOML" in result.output
    config.write_text('[tool.sdkgen]\ninput = [1]\noutput = "g"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(config)])
    assert f"{config}:2: [tool.sdkgen] input must be a list of folders" in result.output


def test_a_bare_sdkgen_section_builds_input_docs_into_generated(tmp_path: Path) -> None:
    # The layout the README and the design card name: `[tool.sdkgen]` alone is enough to start.
    (tmp_path / "input_docs").mkdir()
    for name in PAGES:
        shutil.copy(CORPUS / "text" / f"{name}.txt", tmp_path / "input_docs")
    config = tmp_path / "pyproject.toml"
    config.write_text("[tool.sdkgen]\n", encoding="utf-8")
    settings = load_config(config)
    assert settings.inputs == (tmp_path / "input_docs",) and settings.output == tmp_path / "generated"
    assert settings.ir == tmp_path / "generated" / "api.json"
    result = CliRunner().invoke(main, ["build", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert f"{len(PAGES)} operations" in result.output and (tmp_path / "generated" / "api.json").is_file()


def test_config_paths_are_relative_to_the_pyproject(tmp_path: Path) -> None:
    config = load_config(_project(tmp_path))
    assert config.inputs == (tmp_path / "docs",) and config.output == tmp_path / "generated"
    assert config.ir_inside_output == "api.json" and config.package_name == "acme"


def test_the_repository_config_is_valid() -> None:
    config = load_config(DATA.parent.parent / "pyproject.toml")
    assert config.package_name == "zstack_sdk" and config.ir_inside_output == "api.json"
