"""List element types: one test per rule of generator/scrape/elements.py, and the lists no rule decides."""

from __future__ import annotations

from typing import Any

from generator.ir.model import (
    Body,
    Endpoint,
    Example,
    Kind,
    Location,
    NamedType,
    Param,
    RequestExample,
    Response,
    ResponseField,
    Source,
)
from generator.scrape.elements import infer_page_elements, link_elements, link_type_elements

PAGE = "docs/Op.html"


def _param(name: str, location: Location = Location.BODY, **extra: Any) -> Param:
    kind, type_name = extra.pop("kind", Kind.LIST), extra.pop("type", "List")
    return Param(name=name, type=type_name, kind=kind, location=location, source=Source(file=PAGE, line=10), **extra)


def _list(name: str, **extra: Any) -> ResponseField:
    kind, type_name = extra.pop("kind", Kind.LIST), extra.pop("type", "List")
    return ResponseField(name=name, type=type_name, kind=kind, source=Source(file=PAGE, line=30), **extra)


def _endpoint(
    params: list[Param] = (),  # type: ignore[assignment]
    top: list[Param] = (),  # type: ignore[assignment]
    query: list[Param] = (),  # type: ignore[assignment]
    curl_body: Any = None,
    curl_query: list[tuple[str, str]] = (),  # type: ignore[assignment]
    fields: list[ResponseField] = (),  # type: ignore[assignment]
    example: Any = None,
) -> Endpoint:
    return Endpoint(
        operation_id="Op",
        title="Op",
        group="G",
        method="POST",
        path="/zstack/v1/op",
        query_params=list(query),
        body=Body(wrapper="params", params=list(params), top_level=list(top)),
        request_example=RequestExample(
            raw="curl ...", body=curl_body, query=list(curl_query), source=Source(file=PAGE, line=50)
        ),
        response=Response(block="tree", fields=list(fields)),
        response_example=_example(example),
        source=Source(file=PAGE),
    )


def _example(parsed: Any) -> Example | None:
    return None if parsed is None else Example(raw="{}", parsed=parsed, source=Source(file=PAGE, line=60))


def test_a_documented_generic_is_the_element_type() -> None:
    param = _param("names", type="List<String>")
    infer_page_elements(_endpoint(params=[param]))
    assert param.element_type == "String" and param.element_source is not None
    assert param.element_source.rule == "documented" and param.element_source.source == Source(file=PAGE, line=10)


def test_the_curl_bodys_concrete_elements_decide() -> None:
    sizes, flags, specs = _param("dataDiskSizes"), _param("flags"), _param("specs")
    body = {"params": {"dataDiskSizes": [1, 2], "flags": [True], "specs": [{"cpu": 1}]}}
    infer_page_elements(_endpoint(params=[sizes, flags, specs], curl_body=body))
    assert (sizes.element_type, flags.element_type, specs.element_type) == ("Long", "Boolean", "Map")
    assert sizes.element_source is not None and sizes.element_source.rule == "request-example"
    assert sizes.element_source.source == Source(file=PAGE, line=50)  # the curl's line
    assert sizes.element_source.detail == '"dataDiskSizes":[1, ...]'


def test_the_curl_placeholder_decides_strings_only_for_names_that_read_as_text() -> None:
    tags, rules = _param("systemTags", Location.BODY_TOP), _param("rules")
    body = {"params": {"rules": ["<rules>"]}, "systemTags": ["<systemTags>"]}
    infer_page_elements(_endpoint(params=[rules], top=[tags], curl_body=body))
    assert tags.element_type == "String" and tags.element_source is not None
    assert (tags.element_source.rule, tags.element_source.detail) == (
        "curl-placeholder",
        '"systemTags":["<systemTags>"]',
    )
    # The site writes ["<name>"] for every list, lists of objects included: nothing says what rules hold.
    assert rules.element_type is None and rules.element_source is None


def test_a_name_of_uuids_is_a_list_of_strings() -> None:
    uuids, ids = _param("l3NetworkUuids"), _param("virtualIDUuids")
    infer_page_elements(_endpoint(params=[uuids, ids], curl_body={"params": {"l3NetworkUuids": ["<l3NetworkUuids>"]}}))
    assert uuids.element_type == ids.element_type == "String"
    assert uuids.element_source is not None and uuids.element_source.rule == "uuid-name"


def test_a_query_value_is_text() -> None:
    fields, other = _param("fields", Location.QUERY), _param("matches", Location.QUERY)
    infer_page_elements(_endpoint(query=[fields, other], curl_query=[("fields", "<fields>")]))
    assert fields.element_type == other.element_type == "String"
    assert fields.element_source is not None and fields.element_source.detail == "fields=<fields>"
    assert fields.element_source.source == Source(file=PAGE, line=50)
    assert other.element_source is not None and other.element_source.source == Source(file=PAGE, line=10)


def test_lists_with_valid_values_or_children_are_left_to_those() -> None:
    valued = _param("modes", valid_values=["a", "b"])
    nested = _param("disks", children=[_param("size", type="Long", kind=Kind.INTEGER)])
    infer_page_elements(_endpoint(params=[valued, nested], curl_body={"params": {"modes": [1], "disks": [2]}}))
    assert valued.element_type is None and nested.element_type is None


def test_the_field_tree_names_the_elements_fields() -> None:
    nics = _list("vmNics", children=[_list("uuid", type="String", kind=Kind.STRING)])
    infer_page_elements(_endpoint(fields=[nics]))
    assert nics.element_type is None and nics.element_source is not None  # an object of those fields
    assert (nics.element_source.rule, nics.element_source.detail) == ("field-tree", "vmNics: {uuid}")


def test_the_response_examples_elements_decide_at_any_depth() -> None:
    caps = _list("capacities")
    ips = _list("ips")
    empty = _list("inventories")
    children = [caps, _list("nics", children=[ips])]
    inventory = ResponseField(name="inventory", type="HostInventory", kind=Kind.OBJECT, ref="HostInventory")
    inventory.children = children
    example = {"inventory": {"capacities": [1.0e9, 2], "nics": [{"ips": ["10.0.0.1"]}, {"ips": []}]}, "inventories": []}
    infer_page_elements(_endpoint(fields=[inventory, empty], example=example))
    assert caps.element_type == "Double" and ips.element_type == "String"
    assert caps.element_source is not None and caps.element_source.rule == "response-example"
    assert caps.element_source.source == Source(file=PAGE, line=60) and caps.element_type_inferred
    assert empty.element_type is None and empty.element_source is None  # `[]` says nothing


def test_a_maps_children_are_read_against_the_maps_values() -> None:
    tasks = _list("runningTask")
    results = ResponseField(name="results", type="Map", kind=Kind.MAP, children=[tasks])
    infer_page_elements(_endpoint(fields=[results], example={"results": {"chain-1": {"runningTask": ["t1"]}}}))
    assert tasks.element_type == "String"


def test_mixed_elements_say_nothing() -> None:
    mixed = _list("values")
    infer_page_elements(_endpoint(fields=[mixed], example={"values": ["a", 1]}))
    assert mixed.element_type is None


def test_see_x_names_a_registry_type() -> None:
    nics = _list("vmNics", description="See VmNicInventory.")
    unknown = _list("things", description="See thing.")
    modes = _param("modes", description="Optional. See VmState.")
    objects = _param("nics", description="See VmNicInventory.")  # a response model is not a request type
    types = {
        "VmNicInventory": NamedType(name="VmNicInventory", kind="object"),
        "VmState": NamedType(name="VmState", kind="enum", enum_values=["Running", "Stopped"]),
    }
    endpoint = _endpoint(params=[modes, objects], fields=[nics, unknown])
    link_elements(endpoint, types)
    assert (nics.element_type, nics.ref) == ("VmNicInventory", "VmNicInventory")
    assert nics.element_source is not None and nics.element_source.rule == "see-reference"
    assert unknown.element_type is None and objects.element_type is None
    assert modes.element_type == "VmState"
    glued = _list("refs", description="SeeVmNicInventory.")
    types["Holder"] = NamedType(name="Holder", kind="object", fields=[glued])
    link_type_elements(types)
    assert glued.element_type == "VmNicInventory"


def test_nothing_on_the_page_leaves_the_element_unknown() -> None:
    param, field = _param("rules"), _list("inventories")
    infer_page_elements(_endpoint(params=[param], fields=[field], curl_body={"params": {}}, example={}))
    link_elements(_endpoint(params=[param], fields=[field]), {})
    assert param.element_type is None and field.element_type is None
