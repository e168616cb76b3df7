"""OpenAPI 3.1 export: hand-built IRs for each convention, the scraped corpus against truth, the CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openapi_spec_validator import validate

from generator.cli import main
from generator.errors import SdkgenError
from generator.ir import (
    IR,
    Body,
    Endpoint,
    Example,
    Kind,
    Location,
    NamedType,
    Param,
    Repair,
    Response,
    ResponseField,
    Source,
)
from generator.openapi import dump_openapi, to_openapi

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
ERROR_REF = "#/components/schemas/ErrorCode"


# --- builders -------------------------------------------------------------------------------


def param(name: str, location: Location, kind: Kind = Kind.STRING, *, required: bool = False, **kw: Any) -> Param:
    type_name = kw.pop("type", {Kind.LIST: "List", Kind.INTEGER: "Integer", Kind.MAP: "Map"}.get(kind, "String"))
    return Param(name=name, type=type_name, kind=kind, required=required, location=location, **kw)


def field(name: str, kind: Kind = Kind.STRING, type_name: str = "String", **kw: Any) -> ResponseField:
    return ResponseField(name=name, type=type_name, kind=kind, **kw)


def error_code_type() -> NamedType:
    return NamedType(
        name="ErrorCode",
        kind="object",
        fields=[
            field("code"),
            field("opaque", Kind.MAP, "LinkedHashMap"),
            field("cause", Kind.OBJECT, "ErrorCode", ref="ErrorCode", recursive=True),
        ],
    )


def endpoint(op_id: str, method: str = "POST", path: str = "/zstack/v1/things", **kw: Any) -> Endpoint:
    kw.setdefault("title", op_id)
    kw.setdefault("group", "Thing Operations")
    kw.setdefault("source", Source(file=f"pages/{op_id}.txt", line=1))
    return Endpoint(operation_id=op_id, method=method, path=path, **kw)


def action(op_id: str, wrapper: str | None, method: str = "PUT") -> Endpoint:
    """An operation on ZStack's shared `.../{uuid}/actions` path."""
    return endpoint(
        op_id,
        method,
        "/zstack/v1/vm-instances/{uuid}/actions",
        path_params=[param("uuid", Location.PATH, required=True)],
        body=Body(wrapper=wrapper, shown_wrapper=wrapper),
    )


def export(*endpoints: Endpoint, types: dict[str, NamedType] | None = None) -> dict[str, Any]:
    """Export and validate: every document a test looks at must be valid OpenAPI 3.1."""
    doc = to_openapi(IR(endpoints=list(endpoints), types=types or {}))
    validate(doc)
    return doc


def operation(doc: dict[str, Any], op_id: str) -> dict[str, Any]:
    found = [
        op
        for item in doc["paths"].values()
        for key, op in item.items()
        if not key.startswith("x-") and op["operationId"] == op_id
    ]
    assert len(found) == 1, op_id
    return found[0]


def body_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["requestBody"]["content"]["application/json"]["schema"]
    return schema


def ok_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["responses"]["200"]["content"]["application/json"]["schema"]
    return schema


def all_keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(all_keys(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(all_keys(v) for v in node))
    return set()


# --- paths ----------------------------------------------------------------------------------


def test_operations_sharing_method_and_path_get_wrapper_suffixes() -> None:
    doc = export(
        action("StopVmInstance", "stopVmInstance"),
        action("StartVmInstance", "startVmInstance"),
        action("RebootVmInstance", "sameKey"),
        action("PauseVmInstance", "sameKey"),
        action("ResumeVmInstance", None),
        endpoint("GetVmActions", "GET", "/zstack/v1/vm-instances/{uuid}/actions"),
    )
    base = "/zstack/v1/vm-instances/{uuid}/actions"
    expected = {
        f"{base}#startVmInstance": "StartVmInstance",
        f"{base}#stopVmInstance": "StopVmInstance",
        f"{base}#RebootVmInstance": "RebootVmInstance",  # wrapper collides: operation id instead
        f"{base}#PauseVmInstance": "PauseVmInstance",
        f"{base}#ResumeVmInstance": "ResumeVmInstance",  # no wrapper
        base: "GetVmActions",  # the only GET on that path keeps the plain key
    }
    assert set(doc["paths"]) == set(expected)
    for key, op_id in expected.items():
        item = doc["paths"][key]
        assert item["x-zstack-path"] == base
        op = next(v for k, v in item.items() if not k.startswith("x-"))
        assert op["operationId"] == op_id
        assert op["x-zstack-path"] == base
    assert list(doc["paths"]) == sorted(doc["paths"])


def test_unshared_operations_keep_the_ir_path_and_every_path_item_names_it() -> None:
    doc = export(
        endpoint("CreateThing"),
        endpoint("QueryThing", "GET"),
        endpoint("DeleteThing", "DELETE", "/zstack/v1/things/{uuid}"),
    )
    assert set(doc["paths"]) == {"/zstack/v1/things", "/zstack/v1/things/{uuid}"}
    assert set(doc["paths"]["/zstack/v1/things"]) == {"get", "post", "x-zstack-path"}
    assert all(item["x-zstack-path"] == key for key, item in doc["paths"].items())


def test_operations_without_a_path_are_left_out_and_named() -> None:
    cut = endpoint("CutShort", path="", source=Source(file="pages/CutShort.txt", line=9))
    doc = export(endpoint("CreateThing"), cut)
    assert [op["operationId"] for item in doc["paths"].values() for k, op in item.items() if k == "post"] == [
        "CreateThing"
    ]
    assert doc["x-zstack-omitted-operations"] == [
        {"operationId": "CutShort", "x-zstack-source": "pages/CutShort.txt:9"}
    ]
    assert "x-zstack-omitted-operations" not in export(endpoint("CreateThing"))


def test_duplicate_operation_ids_are_rejected_naming_both_pages() -> None:
    first = endpoint("CreateThing", source=Source(file="a.txt", line=3))
    second = endpoint("CreateThing", path="/zstack/v1/other", source=Source(file="b.txt", line=7))
    with pytest.raises(SdkgenError, match=r"b\.txt:7.*CreateThing.*a\.txt:3"):
        to_openapi(IR(endpoints=[first, second]))


# --- parameters -----------------------------------------------------------------------------


def test_path_variables_missing_from_the_page_are_inferred_and_optional_ones_kept_required() -> None:
    ep = endpoint(
        "AttachThing",
        "POST",
        "/zstack/v1/things/{thingUuid}/parents/{parentUuid}",
        path_params=[
            param("parentUuid", Location.PATH, required=False, description="The parent."),
            param("ghostUuid", Location.PATH, required=True),  # listed, but not in the template
        ],
        body=Body(wrapper="params"),
    )
    op = operation(export(ep), "AttachThing")
    by_name = {p["name"]: p for p in op["parameters"]}
    assert set(by_name) == {"thingUuid", "parentUuid"}
    assert by_name["parentUuid"] == {
        "name": "parentUuid",
        "in": "path",
        "required": True,
        "description": "The parent.",
        "schema": {"type": "string"},
        "x-zstack-documented-required": False,
    }
    assert by_name["thingUuid"]["x-zstack-inferred"] is True
    assert by_name["thingUuid"]["required"] is True
    assert "x-zstack-inferred" not in by_name["parentUuid"]
    assert [p["name"] for p in op["x-zstack-orphan-path-params"]] == ["ghostUuid"]


def test_query_api_parameters_are_typed_query_parameters() -> None:
    ep = endpoint(
        "QueryThing",
        "GET",
        is_query=True,
        query_params=[
            param("conditions", Location.QUERY, Kind.LIST, required=True),
            param("limit", Location.QUERY, Kind.INTEGER),
            param("replyWithCount", Location.QUERY, Kind.BOOLEAN, type="Boolean"),
            param("sortDirection", Location.QUERY, valid_values=["asc", "desc"]),
            param("ids", Location.QUERY, Kind.LIST, element_type="Long"),
            param("since", Location.QUERY, Kind.TIMESTAMP, type="Timestamp"),
            param("tags", Location.QUERY, Kind.MAP),
        ],
    )
    op = operation(export(ep), "QueryThing")
    assert op["x-zstack-query"] is True
    assert "requestBody" not in op
    params = {p["name"]: p for p in op["parameters"]}
    assert all(p["in"] == "query" for p in params.values())
    assert {n: p["required"] for n, p in params.items() if p["required"]} == {"conditions": True}
    assert params["conditions"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert params["limit"]["schema"] == {"type": "integer"}
    assert params["replyWithCount"]["schema"] == {"type": "boolean"}
    assert params["sortDirection"]["schema"] == {"type": "string", "enum": ["asc", "desc"]}
    assert params["ids"]["schema"] == {"type": "array", "items": {"type": "integer"}}
    assert params["since"]["schema"] == {"type": "string", "format": "date-time"}
    assert params["tags"]["schema"] == {"type": "object", "additionalProperties": True}


def test_parameters_are_named_as_sent_with_the_documented_name_beside() -> None:
    ep = endpoint(
        "QueryThing",
        "GET",
        is_query=True,
        query_params=[param("conditions", Location.QUERY, Kind.LIST, wire_name="q"), param("limit", Location.QUERY)],
    )
    update = endpoint(
        "UpdateThing",
        "PUT",
        "/zstack/v1/things/{uuid}/actions",
        body=Body(wrapper="updateThing", params=[param("displayName", Location.BODY, wire_name="name")]),
    )
    doc = export(ep, update)
    conditions, limit = operation(doc, "QueryThing")["parameters"]
    assert (conditions["name"], conditions["x-zstack-name"]) == ("q", "conditions")
    assert "x-zstack-name" not in limit
    wrapped = body_schema(operation(doc, "UpdateThing"))["properties"]["updateThing"]["properties"]
    assert wrapped == {"name": {"type": "string", "x-zstack-name": "displayName"}}


def test_valid_values_are_typed_like_the_schema() -> None:
    ep = endpoint(
        "QueryThing",
        "GET",
        query_params=[
            param("level", Location.QUERY, Kind.INTEGER, valid_values=["1", "2", "2"]),
            param("modes", Location.QUERY, Kind.LIST, valid_values=["a", "b"]),
            param("weird", Location.QUERY, Kind.INTEGER, valid_values=["1", "lots"]),
        ],
    )
    params = {p["name"]: p for p in operation(export(ep), "QueryThing")["parameters"]}
    assert params["level"]["schema"]["enum"] == [1, 2]
    assert params["modes"]["schema"]["items"] == {"type": "string", "enum": ["a", "b"]}
    # "lots" is no integer: an integer enum would be a lie, so the documented list is kept beside
    assert "enum" not in params["weird"]["schema"]
    assert params["weird"]["schema"]["x-zstack-valid-values"] == ["1", "lots"]


def test_get_and_delete_send_no_request_body() -> None:
    stray = Body(wrapper="params", params=[param("x", Location.BODY, required=True)])
    doc = export(
        endpoint("GetThing", "GET", "/zstack/v1/things/{uuid}", body=stray),
        endpoint("DeleteThing", "DELETE", "/zstack/v1/things/{uuid}", body=stray),
    )
    assert "requestBody" not in operation(doc, "GetThing")
    assert "requestBody" not in operation(doc, "DeleteThing")


# --- request body ---------------------------------------------------------------------------


def test_body_holds_the_repaired_wrapper_and_top_level_params_with_required_lists() -> None:
    ep = endpoint(
        "CreateVmCdRom",
        body=Body(
            wrapper="params",
            shown_wrapper="params",
            wrapper_description="Request body parameter object.",
            params=[
                param("name", Location.BODY, required=True),
                param("isoUuid", Location.BODY),
                param("vmInstanceUuid", Location.BODY, required=True),
            ],
            top_level=[
                param("systemTags", Location.BODY_TOP, Kind.LIST),
                param("userTags", Location.BODY_TOP, Kind.LIST),
            ],
        ),
    )
    op = operation(export(ep), "CreateVmCdRom")
    assert op["requestBody"]["required"] is True
    schema = body_schema(op)
    assert list(schema["properties"]) == ["params", "systemTags", "userTags"]
    assert schema["required"] == ["params"]
    wrapped = schema["properties"]["params"]
    assert list(wrapped["properties"]) == ["name", "isoUuid", "vmInstanceUuid"]
    assert wrapped["required"] == ["name", "vmInstanceUuid"]
    assert wrapped["description"] == "Request body parameter object."
    assert schema["properties"]["systemTags"] == {"type": "array", "items": {"type": "string"}}


def test_body_required_only_when_the_wrapper_or_a_top_level_param_is() -> None:
    optional = endpoint(
        "UpdateThing",
        "PUT",
        "/zstack/v1/things/{uuid}/actions",
        body=Body(wrapper="updateThing", wrapper_required=False, params=[param("name", Location.BODY)]),
    )
    top_required = endpoint(
        "TagThing",
        "POST",
        body=Body(
            wrapper="params", wrapper_required=False, top_level=[param("tags", Location.BODY_TOP, required=True)]
        ),
    )
    doc = export(optional, top_required)
    schema = body_schema(operation(doc, "UpdateThing"))
    assert operation(doc, "UpdateThing")["requestBody"]["required"] is False
    assert "required" not in schema  # empty lists are left out
    assert "required" not in schema["properties"]["updateThing"]
    assert operation(doc, "TagThing")["requestBody"]["required"] is True
    assert body_schema(operation(doc, "TagThing"))["required"] == ["tags"]


def test_nested_object_params_become_nested_objects() -> None:
    spec = param(
        "rule",
        Location.BODY,
        Kind.OBJECT,
        type="RuleSpec",
        children=[param("port", Location.BODY, Kind.INTEGER, required=True), param("note", Location.BODY)],
    )
    op = operation(export(endpoint("AddRule", body=Body(wrapper="params", params=[spec]))), "AddRule")
    rule = body_schema(op)["properties"]["params"]["properties"]["rule"]
    assert rule == {
        "type": "object",
        "properties": {"port": {"type": "integer"}, "note": {"type": "string"}},
        "required": ["port"],
    }


# --- responses ------------------------------------------------------------------------------


def test_recursive_named_type_refs_itself_and_components_hold_every_type() -> None:
    ep = endpoint(
        "CreateThing",
        response=Response(block="tree", fields=[field("error", Kind.OBJECT, "ErrorCode", ref="ErrorCode")]),
    )
    doc = export(ep, types={"ErrorCode": error_code_type()})
    error_code = doc["components"]["schemas"]["ErrorCode"]
    assert error_code["properties"]["cause"] == {"$ref": ERROR_REF}
    assert error_code["properties"]["opaque"] == {"type": "object", "additionalProperties": True}
    assert ok_schema(operation(doc, "CreateThing"))["properties"]["error"] == {"$ref": ERROR_REF}


def test_error_code_is_supplied_when_the_ir_has_none() -> None:
    doc = export(endpoint("CreateThing"))
    error_code = doc["components"]["schemas"]["ErrorCode"]
    assert error_code["properties"]["cause"]["$ref"] == ERROR_REF
    failure = doc["components"]["responses"]["ServiceUnavailable"]["content"]["application/json"]["schema"]
    assert failure["properties"]["error"] == {"$ref": ERROR_REF}


def test_enum_types_and_enum_fields_are_string_enums() -> None:
    status = NamedType(name="HostStatus", kind="enum", enum_values=["Connected", "Disconnected"])
    ep = endpoint(
        "GetHost",
        "GET",
        response=Response(
            block="tree",
            fields=[
                field("status", Kind.ENUM, "HostStatus", ref="HostStatus"),
                field("state", Kind.ENUM, "HostState", enum_values=["Enabled", "Disabled"]),
                field("mode", Kind.ENUM, "Mode", children=[field("FAST"), field("SLOW")]),
            ],
        ),
    )
    doc = export(ep, types={"HostStatus": status})
    assert doc["components"]["schemas"]["HostStatus"] == {"type": "string", "enum": ["Connected", "Disconnected"]}
    props = ok_schema(operation(doc, "GetHost"))["properties"]
    assert props["status"] == {"$ref": "#/components/schemas/HostStatus"}
    assert props["state"] == {"type": "string", "enum": ["Enabled", "Disabled"]}
    assert props["mode"] == {"type": "string", "enum": ["FAST", "SLOW"]}


def test_lists_maps_and_gson_dates_in_responses() -> None:
    nic = NamedType(name="VmNicInventory", kind="object", fields=[field("ip"), field("mac")])
    ep = endpoint(
        "QueryVm",
        "GET",
        response=Response(
            block="tree",
            fields=[
                field(
                    "inventories",
                    Kind.LIST,
                    "List",
                    description="See inventories.",
                    children=[field("uuid"), field("createDate", Kind.TIMESTAMP, "Timestamp", required_label=True)],
                ),
                field("vmNics", Kind.LIST, "List", element_type="VmNicInventory"),
                field("names", Kind.LIST, "List", element_type="String"),
                field("extra", Kind.MAP, "LinkedHashMap"),
                field("total", Kind.INTEGER, "Long"),
                field("raw", Kind.BYTES, "byte[]"),
            ],
        ),
    )
    doc = export(ep, types={"VmNicInventory": nic})
    props = ok_schema(operation(doc, "QueryVm"))["properties"]
    assert props["inventories"] == {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "uuid": {"type": "string"},
                "createDate": {"type": "string", "x-zstack-format": "gson-date"},
            },
        },
        "description": "See inventories.",
    }
    assert props["vmNics"] == {"type": "array", "items": {"$ref": "#/components/schemas/VmNicInventory"}}
    assert props["names"] == {"type": "array", "items": {"type": "string"}}
    assert props["extra"] == {"type": "object", "additionalProperties": True}
    assert props["total"] == {"type": "integer"}
    assert props["raw"]["items"] == {"type": "integer"}  # Gson writes byte[] as numbers
    assert '"format"' not in json.dumps(props)  # date-time would reject "Nov 14, 2017 10:20:57 PM"
    # The docs label every response field Required; no response schema may repeat that.
    assert "required" not in all_keys(doc["components"]["schemas"])
    assert "required" not in all_keys(ok_schema(operation(doc, "QueryVm")))


def test_refs_to_unregistered_types_fall_back_to_the_shown_shape() -> None:
    ep = endpoint(
        "GetThing",
        "GET",
        response=Response(
            block="tree",
            fields=[
                field("inventory", Kind.OBJECT, "ThingInventory", ref="ThingInventory", children=[field("uuid")]),
                field("spec", Kind.NAMED, "MysterySpec"),
            ],
        ),
    )
    props = ok_schema(operation(export(ep), "GetThing"))["properties"]
    assert props["inventory"] == {"type": "object", "properties": {"uuid": {"type": "string"}}}
    assert props["spec"] == {"x-zstack-type": "MysterySpec"}


def test_type_names_unfit_for_component_keys_are_sanitized_consistently() -> None:
    inner = NamedType(name="Outer$Inner", kind="object", fields=[field("id")])
    ep = endpoint(
        "GetThing",
        "GET",
        response=Response(block="tree", fields=[field("x", Kind.OBJECT, "Outer$Inner", ref="Outer$Inner")]),
    )
    doc = export(ep, types={"Outer$Inner": inner})
    assert "Outer_Inner" in doc["components"]["schemas"]
    assert ok_schema(operation(doc, "GetThing"))["properties"]["x"] == {"$ref": "#/components/schemas/Outer_Inner"}


def test_responses_have_async_and_error_bodies_and_the_parsed_example() -> None:
    example = {"inventory": {"name": "cd-1", "createDate": "Nov 14, 2017 10:20:57 PM"}}
    doc = export(
        endpoint("CreateThing", response_example=Example(status=200, raw=json.dumps(example), parsed=example)),
        endpoint("GetThing", "GET", response_example=Example(raw="{oops", parse_error="bad JSON")),
    )
    create, get = operation(doc, "CreateThing"), operation(doc, "GetThing")
    assert create["responses"]["200"]["content"]["application/json"]["example"] == example
    assert "example" not in get["responses"]["200"]["content"]["application/json"]
    assert set(create["responses"]) == {"200", "202", "503"}
    assert set(get["responses"]) == {"200", "503"}  # GET is answered directly, never with a job
    accepted = doc["components"]["responses"]["AsyncJobAccepted"]["content"]["application/json"]["schema"]
    assert set(accepted["properties"]) == {"location", "apiTimeout"}


def test_delete_and_empty_blocks_are_plain_objects() -> None:
    doc = export(
        endpoint("DeleteThing", "DELETE", "/zstack/v1/things/{uuid}", response=Response(block="delete")),
        endpoint("TouchThing", response=Response(block="empty-object")),
    )
    assert ok_schema(operation(doc, "DeleteThing")) == {"type": "object"}
    assert ok_schema(operation(doc, "TouchThing")) == {"type": "object"}


# --- security, metadata, extensions ---------------------------------------------------------


def test_operations_without_auth_opt_out_of_the_session_scheme() -> None:
    doc = export(
        endpoint("LogInByAccount", "PUT", "/zstack/v1/accounts/login", documented_auth=False),
        endpoint("CreateThing", documented_auth=True),
        endpoint("QueryThing", "GET"),
    )
    assert doc["security"] == [{"session": []}]
    assert doc["components"]["securitySchemes"]["session"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "OAuth <session uuid>",
    }
    assert operation(doc, "LogInByAccount")["security"] == []
    assert operation(doc, "LogInByAccount")["x-zstack-auth"] is False
    assert "security" not in operation(doc, "CreateThing")
    # The page said nothing: the document-wide session requirement applies.
    assert "security" not in operation(doc, "QueryThing")
    assert "x-zstack-auth" not in operation(doc, "QueryThing")


def test_operation_metadata_and_extensions() -> None:
    repair = Repair(
        rule="lowercase-wrapper",
        target="body.wrapper",
        shown="startvminstance",
        repaired="startVmInstance",
        reason="the server matches the wrapper key case-sensitively",
        source=Source(file="pages/StartVmInstance.txt", line=40),
    )
    ep = action("StartVmInstance", "startVmInstance").model_copy(
        update={
            "title": "Start VM Instance",
            "group": "VM Instance Operations",
            "breadcrumb": ["Resource Center", "VM Instance Operations"],
            "since": "0.6.0",
            "documented_async": True,
            "documented_auth": True,
            "body": Body(wrapper="startVmInstance", shown_wrapper="startvminstance"),
            "repairs": [repair],
        }
    )
    doc = export(ep)
    op = operation(doc, "StartVmInstance")
    assert (op["operationId"], op["summary"], op["tags"]) == (
        "StartVmInstance",
        "Start VM Instance",
        ["VM Instance Operations"],
    )
    assert op["x-zstack-since"] == "0.6.0"
    assert op["x-zstack-documented-async"] is True
    assert op["x-zstack-breadcrumb"] == ["Resource Center", "VM Instance Operations"]
    assert op["x-zstack-source"] == "pages/StartVmInstance.txt"
    assert (op["x-zstack-wrapper"], op["x-zstack-shown-wrapper"]) == ("startVmInstance", "startvminstance")
    assert op["x-zstack-repairs"] == [
        {
            "rule": "lowercase-wrapper",
            "target": "body.wrapper",
            "shown": "startvminstance",
            "repaired": "startVmInstance",
            "reason": "the server matches the wrapper key case-sensitively",
        }
    ]
    assert "x-zstack-query" not in op
    assert doc["tags"] == [{"name": "VM Instance Operations"}]


def test_info_and_servers() -> None:
    ir = IR(endpoints=[endpoint("CreateThing")])
    doc = to_openapi(ir)
    assert doc["openapi"] == "3.1.0"
    assert doc["info"]["title"] == "ZStack Cloud API (scraped)"
    assert doc["info"]["version"] == ir.ir_version
    assert to_openapi(ir, version="5.1.0")["info"]["version"] == "5.1.0"
    assert doc["servers"] == [{"url": "http://{host}:8080", "variables": {"host": {"default": "localhost"}}}]


# --- determinism ----------------------------------------------------------------------------


def _rich_ir() -> IR:
    return IR(
        endpoints=[
            action("StopVmInstance", "stopVmInstance"),
            action("StartVmInstance", "startVmInstance"),
            endpoint("QueryThing", "GET", is_query=True, query_params=[param("limit", Location.QUERY, Kind.INTEGER)]),
            endpoint(
                "CreateThing",
                group="Another Group",
                body=Body(wrapper="params", params=[param("name", Location.BODY, required=True)]),
                response=Response(block="tree", fields=[field("error", Kind.OBJECT, "ErrorCode", ref="ErrorCode")]),
            ),
        ],
        types={
            "ZoneState": NamedType(name="ZoneState", kind="enum", enum_values=["Enabled"]),
            "ErrorCode": error_code_type(),
        },
    )


def test_output_is_byte_identical_across_runs_and_input_order() -> None:
    ir = _rich_ir()
    first = dump_openapi(to_openapi(ir))
    assert dump_openapi(to_openapi(ir)) == first
    shuffled = ir.model_copy(deep=True)
    random.Random(7).shuffle(shuffled.endpoints)
    shuffled.types = dict(reversed(list(shuffled.types.items())))
    assert shuffled.endpoints != ir.endpoints
    assert dump_openapi(to_openapi(shuffled)) == first
    doc = json.loads(first)
    assert list(doc["components"]["schemas"]) == sorted(doc["components"]["schemas"])
    assert [t["name"] for t in doc["tags"]] == ["Another Group", "Thing Operations"]
    validate(doc)


# --- CLI ------------------------------------------------------------------------------------


def test_cli_writes_the_document_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    ir_file = tmp_path / "api.json"
    # Not dump_ir: it drops the default ir_version (exclude_defaults) and load_ir then refuses the file.
    ir_file.write_text(_rich_ir().model_dump_json(indent=1), encoding="utf-8")
    out = tmp_path / "out" / "openapi.json"
    runner = CliRunner()
    result = runner.invoke(main, ["openapi", str(ir_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    validate(json.loads(written))
    assert "4 operations" in result.stderr
    to_stdout = runner.invoke(main, ["openapi", str(ir_file), "--api-version", "9.9"])
    assert to_stdout.exit_code == 0
    from_stdout = json.loads(to_stdout.stdout)
    assert from_stdout["info"]["version"] == "9.9"
    from_stdout["info"]["version"] = _rich_ir().ir_version
    assert from_stdout == json.loads(written)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read IR file"),
        ("{not json", "not valid JSON"),
        ('{"endpoints": []}', "not an sdkgen IR file"),
        ('{"ir_version": "1.0.0", "endpoints": [{"operation_id": 3}]}', "invalid IR"),
    ],
)
def test_cli_reports_a_bad_ir_file_in_one_line(tmp_path: Path, content: str | None, message: str) -> None:
    ir_file = tmp_path / "api.json"
    if content is not None:
        ir_file.write_text(content, encoding="utf-8")
    out = tmp_path / "openapi.json"
    result = CliRunner().invoke(main, ["openapi", str(ir_file), "-o", str(out)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"sdkgen: {ir_file}")
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


# --- the scraped corpus against the truth ---------------------------------------------------

SCRAPER_READY = (REPO / "generator" / "scrape" / "__init__.py").exists()
needs_scraper = pytest.mark.skipif(not SCRAPER_READY, reason="the scraper (generator/scrape/) is not there yet")
CORPUS_TEXT = DATA / "corpus" / "text"
CORPUS_TRUTH = DATA / "corpus" / "truth"


def corpus_slice() -> list[Path]:
    """~50 pages spread over the alphabet (so over kinds of API), always the same ones."""
    pages = sorted(CORPUS_TEXT.glob("*.txt"))
    # CreateVmCdRom comes from the real page instead; two copies would share an operation id.
    return [p for p in pages[::23] if p.stem != "CreateVmCdRom"]


def documented_name(name: str, schema: dict[str, Any]) -> str:
    return str(schema.get("x-zstack-name", name))


def exported_params(op: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Documented param name -> (location, documented required) as the document tells them."""
    found = {
        documented_name(p["name"], p): (p["in"], p.get("x-zstack-documented-required", p["required"]))
        for p in op.get("parameters", [])
    }
    if "requestBody" in op:
        schema = body_schema(op)
        wrapper = op.get("x-zstack-wrapper")
        for name, prop in schema["properties"].items():
            if name == wrapper:
                inner = prop["properties"].items()
                found.update({documented_name(n, s): ("body", n in prop.get("required", [])) for n, s in inner})
            else:
                found[documented_name(name, prop)] = ("body-top", name in schema.get("required", []))
    return found


def assert_matches_truth(doc: dict[str, Any], expected_ids: set[str], older_pages: frozenset[str]) -> None:
    """Every operation's method, path, params and shown response fields agree with the truth JSON.

    `older_pages` are renderings older than the truth: their params must be a subset of it.
    """
    ops = {
        op["operationId"]: (method, op)
        for item in doc["paths"].values()
        for method, op in item.items()
        if not method.startswith("x-")
    }
    assert set(ops) == expected_ids
    for op_id, (method, op) in sorted(ops.items()):
        truth = json.loads((CORPUS_TRUTH / f"{op_id}.json").read_text(encoding="utf-8"))
        assert (method.upper(), op["x-zstack-path"]) == (truth["method"], truth["path"]), op_id
        got = exported_params(op)
        want = {p["name"]: (p["location"], p["required"]) for p in truth["params"]}
        if op_id in older_pages:
            want = {name: want[name] for name in got if name in want}
        assert got == want, op_id
        response = ok_schema(op)
        if truth["rendering"]["response_block"] == "tree":
            assert list(response.get("properties", {})) == [f["name"] for f in truth["response"]["fields"]], op_id
        else:  # the page shows `{}`: nothing to name
            assert "properties" not in response, op_id


def scrape_and_export(paths: list[Path]) -> dict[str, Any]:
    from generator.scrape import scrape_paths

    result = scrape_paths(paths, jobs=1)
    assert result.errors == []
    doc = to_openapi(result.ir)
    validate(doc)
    return doc


@needs_scraper
def test_scraped_pages_export_what_the_truth_says() -> None:
    pages = corpus_slice()
    doc = scrape_and_export([DATA / "CreateVmCdRom.txt", *pages])
    # The real CreateVmCdRom page predates the truth (it lacks tagUuids).
    assert_matches_truth(doc, {"CreateVmCdRom", *(p.stem for p in pages)}, frozenset({"CreateVmCdRom"}))
    conditions = [
        p for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)
        for p in op.get("parameters", []) if p.get("x-zstack-name") == "conditions"
    ]  # fmt: skip
    assert conditions, "the slice holds Query APIs: their conditions travel as q="
    assert {p["name"] for p in conditions} == {"q"}


@pytest.mark.slow
@needs_scraper
def test_whole_scraped_corpus_exports_what_the_truth_says() -> None:
    pages = sorted(CORPUS_TEXT.glob("*.txt"))
    doc = scrape_and_export(pages)
    assert_matches_truth(doc, {p.stem for p in pages}, frozenset())
