"""The drift guard (generator/build/drift.py): a build whose IR lost a large share of the API at once
is refused with a table of what changed shape, leaving generated/ as it was; a real API change goes
through, and --accept-drift publishes anyway (issue 11, part 4)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build.drift import DriftError, Shape, collapses, shapes_of_json, shapes_of_model
from generator.config import load_config
from generator.errors import SdkgenError
from tests.build.conftest import Project, edit, sdkgen_env
from tests.conftest import CORPUS, ROOT
from tests.scrape.markups import CONVERTERS, strip_field_lists


def _create_apis(count: int) -> list[str]:
    """POST APIs with body parameters and no path variable: a page that loses its field lists keeps nothing."""
    names: list[str] = []
    for path in sorted((CORPUS / "truth").glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        if truth["method"] == "POST" and "{" not in truth["path"] and truth["params"]:
            names.append(truth["name"])
        if len(names) == count:
            return names
    raise AssertionError("not enough pages")


NAMES = _create_apis(24)


def without_request(text: str) -> str:
    """A bulleted page whose request inputs and curl were lost: it reads, with no parameter at all."""
    text = re.sub(r"\n\nRequest Inputs\n\n.*?\n\nResponses\n\n", "\n\nRequest Inputs\n\nResponses\n\n", text, flags=re.S)
    stripped = re.sub(r"\n\nRequest Example\n\n.*?\n\nResponse Example\n\n", "\n\nResponse Example\n\n", text, flags=re.S)
    assert stripped != text
    return stripped


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    for name in NAMES:
        shutil.copy(CORPUS / "text" / f"{name}.txt", root / "docs")
    (root / "pyproject.toml").write_text(
        '[tool.sdkgen]\ninput = ["docs"]\noutput = "generated"\npackage_name = "acme"\nir = "generated/api.json"\n',
        encoding="utf-8",
    )
    return Project(root)


def lose_request(project: Project, names: list[str]) -> None:
    for name in names:
        page = project.page(name)
        page.write_text(without_request(page.read_text(encoding="utf-8")), encoding="utf-8")


def sdkgen(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=project.root,
        env=sdkgen_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_pages_re_marked_up_beyond_reading_are_refused_and_generated_is_untouched(project: Project) -> None:
    project.build()
    before = project.snapshot()
    for name in NAMES[:20]:  # the site's new theme: the same pages in markup whose field lists we do not read
        page = project.page(name)
        html = CONVERTERS["aria"](strip_field_lists(_explorer_html(name)))
        page.unlink()
        (project.docs / f"{name}.html").write_text(html, encoding="utf-8")
    with pytest.raises(DriftError) as refused:
        project.build()
    message = str(refused.value)
    assert "20 of the 24 operations of the last build (83%)" in message
    assert f"{NAMES[0]:<40} disappeared" in message  # each page fails its own checks, so its operation goes
    assert project.snapshot() == before


def test_a_silent_collapse_is_refused_by_the_cli_with_a_table_and_accept_drift_publishes(project: Project) -> None:
    assert sdkgen(project, "build").returncode == 0
    before = project.snapshot()
    lose_request(project, NAMES[:12])
    refused = sdkgen(project, "build")
    assert refused.returncode == 1, refused.stderr
    assert "Traceback" not in refused.stderr
    assert "12 of the 24 operations of the last build (50%)" in refused.stderr
    for name in NAMES[:12]:
        assert re.search(rf"{name}\s+parameters \d+ -> 0\s+docs/{name}.txt", refused.stderr), refused.stderr
    assert "--accept-drift" in refused.stderr
    assert project.snapshot() == before
    assert sdkgen(project, "build").returncode == 1  # refused again: nothing was cached as accepted

    accepted = sdkgen(project, "build", "--accept-drift")
    assert accepted.returncode == 0, accepted.stderr
    api = json.loads((project.output / "api.json").read_text(encoding="utf-8"))
    lost = next(e for e in api["endpoints"] if e["operation_id"] == NAMES[0])
    assert not lost.get("body") and not lost.get("query_params")
    assert sdkgen(project, "build").returncode == 0  # the accepted build is the new baseline


def test_three_operations_changed_is_a_real_api_change_and_goes_through(project: Project) -> None:
    project.build()
    lose_request(project, NAMES[:2])
    project.page(NAMES[2]).unlink()
    report = project.build()
    assert report.operations == 23
    api = json.loads((project.output / "api.json").read_text(encoding="utf-8"))
    assert NAMES[2] not in {e["operation_id"] for e in api["endpoints"]}


def test_thresholds_come_from_pyproject(project: Project) -> None:
    project.build()
    text = project.pyproject.read_text(encoding="utf-8")
    project.pyproject.write_text(text + "drift_min_operations = 2\ndrift_max_share = 0.05\n", encoding="utf-8")
    lose_request(project, NAMES[:2])
    with pytest.raises(DriftError, match=r"(?s)2 of the 24 operations .*drift_max_share = 0.05, drift_min_operations = 2"):
        project.build()


@pytest.mark.parametrize(
    ("setting", "problem"),
    [
        ("drift_max_share = 1.5", "drift_max_share must be a number from 0 to 1"),
        ('drift_max_share = "half"', "drift_max_share must be a number from 0 to 1"),
        ("drift_min_operations = 0", "drift_min_operations must be a whole number >= 1"),
        ("drift_min_operations = 2.5", "drift_min_operations must be a whole number >= 1"),
    ],
)
def test_bad_thresholds_name_the_line(project: Project, setting: str, problem: str) -> None:
    text = project.pyproject.read_text(encoding="utf-8")
    project.pyproject.write_text(text + setting + "\n", encoding="utf-8")
    with pytest.raises(SdkgenError, match=rf"pyproject.toml:6: \[tool.sdkgen\] {problem}"):
        load_config(project.pyproject)


def test_collapses_name_each_kind_of_loss() -> None:
    before = {
        "Gone": Shape(3, 2, "a.txt"),
        "NoParams": Shape(4, 1, "b.txt"),
        "NoFields": Shape(2, 5, "c.txt"),
        "Both": Shape(2, 5, "d.txt"),
        "Fewer": Shape(6, 5, "e.txt"),  # a parameter removed: an API change, not a collapse
        "NeverHad": Shape(0, 0, "f.txt"),
    }
    after = {
        "NoParams": Shape(0, 1, "b.txt"),
        "NoFields": Shape(2, 0, "c.txt"),
        "Both": Shape(0, 0, "d.txt"),
        "Fewer": Shape(5, 5, "e.txt"),
        "NeverHad": Shape(0, 0, "f.txt"),
        "New": Shape(1, 1, "g.txt"),
    }
    assert [(c.operation_id, c.how) for c in collapses(before, after)] == [
        ("Both", "parameters 2 -> 0, response fields 5 -> 0"),
        ("Gone", "disappeared"),
        ("NoFields", "response fields 5 -> 0"),
        ("NoParams", "parameters 4 -> 0"),
    ]


def test_shapes_from_the_ir_file_and_the_model_agree(project: Project) -> None:
    report = project.build()
    assert report.ir_model is not None
    from_file = shapes_of_json((project.output / "api.json").read_bytes())
    assert from_file == shapes_of_model(report.ir_model)
    assert len(from_file) == 24 and all(shape.params for shape in from_file.values())


def _explorer_html(name: str) -> str:
    return (ROOT / "input_docs" / "pages" / f"{name}.html").read_text(encoding="utf-8")


def test_the_record_of_shapes_spares_parsing_the_last_ir_and_follows_patch_builds(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.build import drift

    project.build()
    record = project.root / ".sdkgen-cache" / "drift-shapes.json"
    assert record.is_file()
    parsed: list[int] = []
    real = drift.shapes_of_json
    monkeypatch.setattr(drift, "shapes_of_json", lambda data: parsed.append(len(data)) or real(data))

    edit(project.page(NAMES[0]), "Valid values: alarm, event", "Valid values: alarm, event, other")
    assert project.build().patched
    lose_request(project, NAMES[1:2])
    project.build()
    assert parsed == []  # neither build read the IR: the record said what it held
    shapes = drift.previous_shapes(project.config())
    assert shapes[NAMES[1]].params == 0 and shapes[NAMES[0]].params > 0

    ir = project.output / "api.json"
    ir.write_bytes(ir.read_bytes().replace(b'"ir_version"', b' "ir_version"', 1))  # edited by hand
    assert drift.previous_shapes(project.config()) == shapes and parsed  # read from the IR again
