"""IR types -> models: strict requests, lenient responses, shared named types, wire quirks."""

from __future__ import annotations

import importlib
import inspect
import sys
from datetime import datetime
from enum import StrEnum
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from generator.ir.model import IR, Kind, Location, NamedType, Repair
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param
from tests.render.conftest import Loader


def _thing_api() -> IR:
    vm_state = NamedType(name="VmState", kind="enum", enum_values=["Running", "Stopped", "hot-plug"])
    nic = NamedType(name="VmNicInventory", kind="object", fields=[field("ip"), field("deviceId", Kind.INTEGER)])
    vm = NamedType(
        name="VmInventory",
        kind="object",
        fields=[
            field("uuid"),
            field("state", Kind.ENUM, type_="VmState", ref="VmState"),
            field("vmNics", Kind.LIST, type_="List", element_type="VmNicInventory", ref="VmNicInventory"),
            field("createDate", Kind.TIMESTAMP, type_="Timestamp"),
            field("memorySize", Kind.INTEGER, type_="long"),
            field("schema"),
            field("type"),
            field("modelName"),
            field("owner", Kind.OBJECT, type_="Owner", ref="Owner"),
        ],
    )
    # Owner <-> Group: mutually recursive, so they must share one module.
    owner = NamedType(name="Owner", kind="object", fields=[field("group", Kind.OBJECT, type_="Group", ref="Group")])
    group = NamedType(name="Group", kind="object", fields=[field("owner", Kind.OBJECT, type_="Owner", ref="Owner")])
    create = endpoint(
        "CreateThing",
        params=[
            param("name", required=True),
            param("count", Kind.INTEGER, type_="Integer"),
            param("mode", valid_values=["fast", "slow"]),
            param("level", Kind.INTEGER, type_="int", valid_values=["1", "2"]),
            param("tags", Kind.LIST, type_="List"),
            param("labels", Kind.MAP, type_="Map"),
            param("type"),
            param("class"),
            param("3par"),
            param("vmUuid"),
            param("vm_uuid"),
            param("spec", Kind.OBJECT, type_="SpecStruct", children=[param("cpu", Kind.INTEGER, required=True)]),
        ],
        top_level=[param("systemTags", Kind.LIST, type_="List", location=Location.BODY_TOP)],
        fields=[
            error_field(),
            field("inventory", Kind.OBJECT, type_="VmInventory", ref="VmInventory"),
            field("views", Kind.LIST, type_="List", element_type="NicView", children=[field("ip")]),
            field("rows", Kind.LIST, type_="List", children=[field("n", Kind.INTEGER)]),
            field("color", Kind.ENUM, type_="Color", enum_values=["red", "green"]),
            field("extra", Kind.MAP, type_="LinkedHashMap"),
            field("blob", Kind.BYTES, type_="byte[]"),
        ],
    )
    query = endpoint(
        "QueryThing",
        method="GET",
        is_query=True,
        query_params=[
            param("conditions", Kind.LIST, type_="List", required=True, location=Location.QUERY),
            param("limit", Kind.INTEGER, location=Location.QUERY),
            param("sortBy", location=Location.QUERY),
            param("fields", Kind.LIST, type_="List", location=Location.QUERY),
        ],
        repairs=[
            Repair(rule="query-conditions", target="param:conditions", shown="conditions", repaired="q", reason="q")
        ],
        fields=[error_field(), field("inventories", Kind.LIST, type_="List", ref="VmInventory")],
    )
    delete = endpoint(
        "DeleteThing",
        method="DELETE",
        path="/zstack/v1/things/{uuid}",
        path_params=[param("uuid", required=True, location=Location.PATH)],
        query_params=[param("deleteMode", location=Location.QUERY)],
        documented_auth=False,
    )
    return ir_of(create, query, delete, types=[error_code_type(), vm_state, nic, vm, owner, group])


@pytest.fixture
def sdk(load_sdk: Loader) -> str:
    return load_sdk(_thing_api())


def _models(package: str) -> Any:
    return importlib.import_module(f"{package}.models")


def test_request_models_are_strict(sdk: str) -> None:
    request = _models(sdk).CreateThingRequest
    with pytest.raises(ValidationError, match="name"):
        request()
    with pytest.raises(ValidationError, match="extra"):
        request(name="x", bogus=1)
    with pytest.raises(ValidationError):
        request(name="x", mode="medium")
    with pytest.raises(ValidationError):
        request(name="x", level=3)
    assert request(name="x", mode="fast", level=2).level == 2


def test_request_models_dump_documented_wire_names(sdk: str) -> None:
    request = _models(sdk).CreateThingRequest
    fields = request.model_fields
    assert {"type_", "class_", "n3par", "vm_uuid", "vm_uuid_2", "system_tags"} <= set(fields)
    # `vm_uuid` is another field's wire name, so the documented `vmUuid` gets the suffix.
    made = request(
        name="x",
        type_="t",
        class_="c",
        n3par="p",
        vm_uuid_2="a",
        vm_uuid="b",
        spec={"cpu": 2},
        labels={"k": "v"},
        system_tags=["s"],
    )
    assert made.model_dump(by_alias=True, exclude_none=True, mode="json") == {
        "name": "x",
        "type": "t",
        "class": "c",
        "3par": "p",
        "vmUuid": "a",
        "vm_uuid": "b",
        "spec": {"cpu": 2},
        "labels": {"k": "v"},
        "systemTags": ["s"],
    }


def test_nested_request_objects_are_strict_classes(sdk: str) -> None:
    module = importlib.import_module(f"{sdk}.models.thing")
    spec_class = module.SpecStructParam
    assert issubclass(spec_class, BaseModel)
    with pytest.raises(ValidationError):
        spec_class()
    with pytest.raises(ValidationError):
        spec_class(cpu=1, gpu=2)


def test_response_models_are_lenient(sdk: str) -> None:
    response = _models(sdk).CreateThingResponse
    empty = response.model_validate({})
    assert empty.inventory is None and empty.error is None
    parsed = response.model_validate(
        {
            "inventory": {
                "uuid": "u",
                "state": "Running",
                "memorySize": 8.589934592e9,
                "schema": "s",
                "type": "t",
                "modelName": "m",
                "createDate": "Nov 14, 2017 10:20:57 PM",
                "unknownKey": [1],
            },
            "color": "blue",
            "views": [{"ip": "1.1.1.1", "more": True}],
            "rows": [{"n": 1.0}],
            "extra": {"a": 1},
            "blob": [1, 2],
            "newTopLevel": {"x": 1},
        }
    )
    inventory = parsed.inventory
    assert inventory.state == "Running" and isinstance(inventory.state, StrEnum)
    assert inventory.memory_size == 8589934592 and isinstance(inventory.memory_size, int)
    assert (inventory.schema_, inventory.type_, inventory.model_name_) == ("s", "t", "m")
    assert inventory.create_date == datetime(2017, 11, 14, 22, 20, 57)
    assert inventory.model_extra == {"unknownKey": [1]}
    assert parsed.color == "blue"  # not a documented value: kept, not refused
    assert parsed.views[0].ip == "1.1.1.1" and parsed.rows[0].n == 1
    assert parsed.model_extra == {"newTopLevel": {"x": 1}}


def test_unknown_values_of_named_enums_still_parse(sdk: str) -> None:
    vm = _models(sdk).VmInventory.model_validate({"state": "Migrating"})
    assert vm.state == "Migrating"
    state = _models(sdk).VmState
    assert [m.name for m in state] == ["RUNNING", "STOPPED", "HOT_PLUG"]


def test_recursive_types(sdk: str) -> None:
    response = _models(sdk).CreateThingResponse
    parsed = response.model_validate({"error": {"code": "A", "cause": {"code": "B", "cause": {"code": "C"}}}})
    assert parsed.error.cause.cause.code == "C"
    owner = _models(sdk).Owner.model_validate({"group": {"owner": {"group": {}}}})
    assert owner.group.owner.group is not None
    assert _models(sdk).Owner.__module__ == _models(sdk).Group.__module__


def test_one_class_per_named_type_shared_by_operations(sdk: str) -> None:
    models = _models(sdk)
    create = models.CreateThingResponse.model_fields["inventory"].annotation
    query = models.QueryThingResponse.model_fields["inventories"].annotation
    assert models.VmInventory in create.__args__
    assert models.VmInventory in query.__args__[0].__args__


def test_inline_classes_are_named_from_element_type_or_path(sdk: str) -> None:
    module = importlib.import_module(f"{sdk}.models.thing")
    assert issubclass(module.NicView, BaseModel)
    assert issubclass(module.CreateThingRows, BaseModel)


def test_query_specs_and_paths(sdk: str) -> None:
    api = importlib.import_module(f"{sdk}.api.thing")
    spec = api._SPEC_QUERY_THING
    assert spec.is_query and spec.path == "/v1/things" and spec.wrapper is None
    assert [(p.attr, p.wire, p.location) for p in spec.params] == [
        ("conditions", "q", "query"),
        ("limit", "limit", "query"),
        ("sort_by", "sortBy", "query"),
        ("fields_", "fields", "query"),
    ]
    delete = api._SPEC_DELETE_THING
    assert delete.path == "/v1/things/{uuid}" and not delete.auth
    create = api._SPEC_CREATE_THING
    assert create.wrapper == "params"
    assert ("system_tags", "systemTags", "body-top") in [(p.attr, p.wire, p.location) for p in create.params]


def test_methods_are_keyword_only_and_typed(sdk: str) -> None:
    api = importlib.import_module(f"{sdk}.api.thing")
    signature = inspect.signature(api.ThingApi.create_thing)
    params = list(signature.parameters.values())[1:]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    assert params[0].name == "name" and params[0].default is inspect.Parameter.empty
    assert signature.return_annotation == "CreateThingResponse"
    query = inspect.signature(api.ThingApi.query_thing).parameters["conditions"]
    assert query.default is None and query.annotation == "list[str] | None"
    assert inspect.iscoroutinefunction(api.AsyncThingApi.create_thing)


def test_client_groups_are_lazy(sdk: str) -> None:
    root = importlib.import_module(sdk)
    assert not [m for m in sys.modules if m.startswith(f"{sdk}.models") or m.startswith(f"{sdk}.api.")]
    client = root.Client("http://127.0.0.1:9/zstack")
    assert not [m for m in sys.modules if m.startswith(f"{sdk}.models")]
    api = client.thing
    assert type(api).__name__ == "ThingApi" and client.thing is api
    assert f"{sdk}.models.thing" in sys.modules
    client.close()
