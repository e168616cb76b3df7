"""Determinism, the compile() gate, and the all-or-nothing output folder."""

from __future__ import annotations

import importlib
import inspect
import random
from pathlib import Path

import pytest

from generator.errors import SdkgenError
from generator.ir.model import IR, Kind, Location
from generator.render import MARKER_FILE, RenderError, generate_sdk, render_sdk
from generator.render import sdk as sdk_module
from generator.render.emit import format_python
from generator.render.escape import valid_text
from generator.render.naming import group_words, safe_attr
from generator.render.output import write_tree
from generator.render.plan import GroupPlan
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param
from tests.render.conftest import Loader


def _api() -> IR:
    endpoints = [
        endpoint(
            f"Create{name}",
            group=group,
            params=[param("name", required=True), param("size", Kind.INTEGER), param("mode", valid_values=["a", "b"])],
            fields=[
                error_field(),
                field(
                    "inventory",
                    Kind.OBJECT,
                    type_=f"{name}Inventory",
                    children=[field("uuid"), field("createDate", Kind.TIMESTAMP)],
                ),
            ],
            example={"inventory": {"uuid": "u", "createDate": "Nov 14, 2017 10:20:57 PM"}},
        )
        for name, group in [("Zone", "Zone Operations"), ("Host", "Host Operations"), ("Vm", "VM Operations")]
    ]
    endpoints.append(
        endpoint(
            "QueryZone",
            method="GET",
            group="Zone Operations",
            is_query=True,
            query_params=[param("conditions", Kind.LIST, type_="List", location=Location.QUERY)],
        )
    )
    return ir_of(*endpoints, types=[error_code_type()])


def test_same_ir_gives_identical_files_whatever_the_order() -> None:
    ir = _api()
    first = render_sdk(ir).files
    shuffled = ir.model_copy(deep=True)
    random.Random(7).shuffle(shuffled.endpoints)
    shuffled.types = dict(reversed(list(shuffled.types.items())))
    second = render_sdk(shuffled).files
    assert list(first) == list(second)
    assert first == second


def test_package_name_is_used_throughout() -> None:
    files = render_sdk(_api(), "acme_cloud").files
    assert "acme_cloud/client.py" in files and not any(p.startswith("zstack_sdk/") for p in files)
    assert 'name = "acme-cloud"' in files["pyproject.toml"]
    assert '"acme_cloud.testing" = "acme_cloud.testing"' in files["pyproject.toml"]


def test_bad_package_names_are_refused() -> None:
    for name in ["Bad-Name", "class", "1abc", "a.b", ""]:
        with pytest.raises(SdkgenError, match="invalid package name"):
            render_sdk(_api(), name)


def test_compile_failure_names_the_file_line_and_operation() -> None:
    source = "def create_zone(self) -> None:\n    return (\n\n\ndef other() -> None:\n    pass\n"
    with pytest.raises(RenderError) as caught:
        format_python("pkg/api/zone.py", source, {"create_zone": "CreateZone"})
    message = str(caught.value)
    assert message.startswith("pkg/api/zone.py:") and "operation CreateZone" in message


def test_render_stops_before_writing_when_a_module_does_not_compile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_render_api = sdk_module.render_api

    def broken(group: GroupPlan, class_module: dict[str, str]) -> str:
        text = real_render_api(group, class_module)
        return text.replace("def create_host(", "def create_host((", 1)

    monkeypatch.setattr(sdk_module, "render_api", broken)
    with pytest.raises(RenderError, match="operation CreateHost"):
        generate_sdk(_api(), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_failed_run_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "generated"
    generate_sdk(_api(), out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def fail(*args: object, **kwargs: object) -> None:
        raise RenderError("boom")

    monkeypatch.setattr("generator.render.render_sdk", fail)
    with pytest.raises(RenderError):
        generate_sdk(_api(), out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]  # no staging folder left behind


def test_a_write_that_fails_midway_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write_tree({MARKER_FILE: "x", "a.txt": "old"}, out)
    with pytest.raises(SdkgenError, match="unsafe path"):
        write_tree({MARKER_FILE: "x", "a.txt": "new", "../escape.txt": "no"}, out)
    assert (out / "a.txt").read_text() == "old"
    assert not (tmp_path / "escape.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["generated"]


def test_regenerating_replaces_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    generate_sdk(_api(), out)
    (out / "zstack_sdk" / "stale.py").write_text("x = 1\n")
    generate_sdk(_api(), out)
    assert not (out / "zstack_sdk" / "stale.py").exists()
    assert (out / MARKER_FILE).is_file()


def test_folders_not_written_by_sdkgen_are_refused(tmp_path: Path) -> None:
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    with pytest.raises(SdkgenError, match="not written by sdkgen"):
        generate_sdk(_api(), precious)
    assert (precious / "thesis.tex").read_text() == "years of work"
    (tmp_path / "file").write_text("x")
    with pytest.raises(SdkgenError, match="not a folder"):
        generate_sdk(_api(), tmp_path / "file")


def test_hostile_page_text_reaches_the_sdk_only_as_data(tmp_path: Path, load_sdk: Loader) -> None:
    evil = '"""\nimport os; os.system("touch PWNED")\n"""\\N{ {{ config }} \x00 \ud800 >>> 1/0'
    ir = ir_of(
        endpoint(
            "CreateEvil",
            title=evil,
            group=evil,
            params=[param("name", required=True, description=evil, valid_values=[evil, "ok"])],
            fields=[field("state", Kind.ENUM, type_="S", enum_values=[evil]), field(evil)],
        )
    )
    files = render_sdk(ir).files  # every module went through compile()
    generate_sdk(ir, tmp_path / "out")
    assert not list(tmp_path.rglob("PWNED"))
    api = next(text for path, text in files.items() if path.startswith("zstack_sdk/api/") and "__init__" not in path)
    assert "\ud800" not in api  # lone surrogates cannot be class docstrings or pydantic literals
    package = load_sdk(ir)
    module = importlib.import_module(f"{package}.api.{safe_attr(group_words(evil))}")
    api_class = next(v for k, v in vars(module).items() if k.endswith("Api") and not k.startswith("Async"))
    doc = inspect.getdoc(api_class.create_evil) or ""
    assert 'os.system("touch PWNED")' in doc and "\\N{ {{ config }}" in doc
    request = importlib.import_module(f"{package}.models").CreateEvilRequest
    assert request(name=valid_text(evil)).name == valid_text(evil)  # the Literal holds the text
    assert not list(tmp_path.rglob("PWNED"))
