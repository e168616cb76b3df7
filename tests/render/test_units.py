"""Render units: rendering with the previous build's units gives exactly what rendering from scratch gives,
and reuses every unit whose inputs did not change."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.ir.model import IR, Kind, NamedType
from generator.render import render_sdk
from generator.render.units import EndpointDigests, RecordingNames, RenderMemo, UnitRecord, same_answers
from generator.scrape import scrape_paths
from tests.conftest import ROOT
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param

CONTEXT = "tests"


def _rendered(
    ir: IR, store: dict[str, bytes], digests: EndpointDigests | None = None
) -> tuple[dict[str, str], RenderMemo]:
    """Render `ir` with the units in `store` (as a build keeps them on disk), then store this render's units."""

    def load(key: str) -> UnitRecord | None:
        return UnitRecord.from_bytes(store[key]) if key in store else None

    memo = RenderMemo(load=load, endpoint_digests=digests or {})
    files = render_sdk(ir, memo=memo, context=CONTEXT).files
    memo.complete(dict(files))
    store.clear()
    store.update({key: record.to_bytes() for key, record in memo.used.items()})
    return files, memo


def _check_incremental(before: IR, after: IR) -> RenderMemo:
    store: dict[str, bytes] = {}
    _rendered(before, store)
    files, memo = _rendered(after, store)
    assert files == render_sdk(after).files
    return memo


def _things(*, description: str = "The name.", extra_group: bool = True) -> IR:
    vm = NamedType(name="VmInventory", kind="object", fields=[field("uuid"), field("name", description=description)])
    endpoints = [
        endpoint(
            "GetThing",
            params=[param("uuid", required=True)],
            fields=[field("info", Kind.OBJECT, type_="Object", children=[field("size", Kind.INTEGER)]), error_field()],
        ),
        endpoint("CreateThing", params=[param("name", description=description)], fields=[error_field()]),
        endpoint(
            "QueryVm",
            method="GET",
            path="/zstack/v1/vms",
            group="VM Operations",
            fields=[field("inventories", Kind.LIST, type_="List", element_type="VmInventory", ref="VmInventory")],
        ),
    ]
    if extra_group:
        endpoints.append(endpoint("PingHost", group="Host Operations", fields=[field("ok", Kind.BOOLEAN)]))
    return ir_of(*endpoints, types=[error_code_type(), vm])


def test_a_description_change_re_renders_its_group_only() -> None:
    before = _things()
    after = before.model_copy(deep=True)
    after.endpoints[1].body.params[0].description = "The new name."  # type: ignore[union-attr]
    memo = _check_incremental(before, after)
    assert len(memo.fresh) == 1 and memo.reused == len(memo.used) - 1


def test_a_shared_type_change_re_renders_the_type_and_the_groups_that_reach_it() -> None:
    memo = _check_incremental(_things(), _things(description="Renamed."))
    fresh_files = {path for key in memo.fresh for path in memo.used[key].files}
    assert any("/models/types/vm_inventory.py" in path for path in fresh_files)
    assert any(path.endswith("/api/vm.py") for path in fresh_files)
    assert not any(path.endswith("/api/host.py") for path in fresh_files)  # reaches no VmInventory


def test_an_exported_name_taking_an_anonymous_class_name_re_renders_that_group() -> None:
    before = _things()
    after = before.model_copy(deep=True)
    # `GetThing`'s `info` object is the anonymous class `GetThingInfo`; a registry type named so (that
    # `GetThing` does not use, so its key stays the same) takes the name.
    after.types["GetThingInfo"] = NamedType(name="GetThingInfo", kind="object", fields=[field("other")])
    assert "class GetThingInfo(ResponseModel)" in render_sdk(before).files["zstack_sdk/models/thing.py"]
    memo = _check_incremental(before, after)
    assert "class GetThingInfo_2(ResponseModel)" in render_sdk(after).files["zstack_sdk/models/thing.py"]
    assert any("/models/thing.py" in path for key in memo.fresh for path in memo.used[key].files)


@pytest.mark.parametrize(
    "change",
    [
        lambda ir: ir.endpoints.pop(0),  # an operation removed
        lambda ir: ir.endpoints.append(endpoint("GetThing2", fields=[field("n", Kind.INTEGER)])),  # added
        lambda ir: setattr(ir.endpoints[3], "group", "Thing Operations"),  # moved to another group
        lambda ir: setattr(ir.endpoints[0], "operation_id", "CreateThingRequest"),  # a name that collides
        lambda ir: ir.types.pop("VmInventory"),  # a registry type gone
    ],
    ids=["removed", "added", "moved", "colliding-name", "type-removed"],
)
def test_structural_changes_give_what_a_cold_render_gives(change: Callable[[IR], object]) -> None:
    after = _things().model_copy(deep=True)
    change(after)
    _check_incremental(_things(), after)


def test_the_real_pages_edited_give_what_a_cold_render_gives() -> None:
    pages = sorted((ROOT / "input_docs" / "pages").glob("*.html"))[::40]
    before = scrape_paths(pages).ir
    after = before.model_copy(deep=True)
    edited = after.endpoints[3]
    for item in edited.all_params():
        item.description += " Edited."
    del after.endpoints[7]
    memo = _check_incremental(before, after)
    assert memo.reused > len(memo.fresh)


def _as_read(ir: IR) -> EndpointDigests:
    """The digests a build passes: of each endpoint's JSON as read from the scrape cache."""
    return {id(e): (e, hashlib.sha256(e.model_dump_json().encode()).hexdigest()) for e in ir.endpoints}


def test_what_assembling_changes_after_reading_an_endpoint_is_part_of_its_key() -> None:
    vm = NamedType(name="VmInventory", kind="object", fields=[field("uuid"), field("name")])
    rows = [field("uuid"), field("name")]
    query = endpoint(
        "QueryVm",
        method="GET",
        fields=[
            field("inventories", Kind.LIST, type_="List", children=rows),  # the element type not shown...
            field("first", Kind.OBJECT, type_="VmInventory", ref="VmInventory"),
        ],
    )
    before = ir_of(query, types=[vm])
    store: dict[str, bytes] = {}
    _rendered(before, store, _as_read(before))
    after = before.model_copy(deep=True)
    digests = _as_read(after)  # read from the same JSON as before...
    inventories = after.endpoints[0].response.fields[0]
    inventories.ref = inventories.element_type = "VmInventory"  # ...then inferred when the IR was assembled
    files, memo = _rendered(after, store, digests)
    assert files == render_sdk(after).files
    assert files != render_sdk(before).files
    _, memo = _rendered(after, store, digests)
    assert not memo.fresh  # the digests were used: nothing else changed


def test_a_different_context_reuses_nothing() -> None:
    store: dict[str, bytes] = {}
    _rendered(_things(), store)
    memo = RenderMemo(load=lambda key: UnitRecord.from_bytes(store[key]) if key in store else None)
    render_sdk(_things(), memo=memo, context="another generator")
    assert memo.reused == 0


def test_recording_names_remember_questions_and_answers() -> None:
    names = RecordingNames(frozenset({"Taken"}))
    assert "Taken" in names and "Free" not in names
    assert names.asked == {"Taken": True, "Free": False}
    assert same_answers(names.asked, {"Taken"})
    assert not same_answers(names.asked, {"Taken", "Free"})


def test_unit_records_round_trip_and_refuse_what_they_did_not_write(tmp_path: Path) -> None:
    record = UnitRecord({"a.py": "x = 'é'\n", "b.json": "{}\n"}, {"Name": False}, ["d1"], {"k": 1})
    data = record.to_bytes()
    assert UnitRecord.from_bytes(data) == record
    for broken in (data[:-1], data + b"x", b"", b"not json\n", data.replace(b'"format": 1', b'"format": 99')):
        assert UnitRecord.from_bytes(broken) is None


def test_group_summaries_round_trip_as_asdict_writes_them() -> None:
    from dataclasses import asdict

    from generator.render.plan import name_sdk, plan_group
    from generator.render.units import GroupSummary, summarize_group

    names = name_sdk(_things(), "zstack_sdk", Path("/nonexistent"))
    for g in names.group_names:
        summary = summarize_group(plan_group(names, g, names.taken))
        data = summary.to_json()
        assert data == json.loads(json.dumps(asdict(summary)))  # tuples written as lists, as JSON has them
        assert GroupSummary.from_json(data) == summary
