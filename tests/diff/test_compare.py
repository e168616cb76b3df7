"""The differ on hand-built IRs: every change kind, its severity, renames, nested response fields."""

from __future__ import annotations

from pydantic import JsonValue

from generator.diff import Change, ChangeKind, diff_irs, render_json
from generator.diff.report import describe
from generator.ir.model import IR, Endpoint, Kind, Location, NamedType, ResponseField
from tests.diff.diff_builders import endpoint, enum_field, field, ir, param

K = ChangeKind


def changes(old: Endpoint | IR, new: Endpoint | IR) -> list[Change]:
    old_ir = old if isinstance(old, IR) else ir(old)
    new_ir = new if isinstance(new, IR) else ir(new)
    return diff_irs(old_ir, new_ir).changes


def summary(found: list[Change]) -> list[tuple[str, str | None, bool, JsonValue, JsonValue]]:
    """(kind, path, breaking, old, new) of each change, descriptions left out."""
    return [(c.kind.value, c.path, c.breaking, c.old, c.new) for c in found if c.kind is not K.DESCRIPTION_CHANGED]


def test_identical_versions_have_no_changes() -> None:
    ep = endpoint("CreateThing", params=[param("name", required=True)], fields=[field("inventory", "ThingInventory")])
    assert changes(ep, ep.model_copy(deep=True)) == []


# --- operations -------------------------------------------------------------------


def test_added_operation_is_not_breaking_and_removed_one_is() -> None:
    kept = endpoint("GetThing", "GET", "/zstack/v1/things/{uuid}", wrapper=None)
    gone = endpoint("DeleteThing", "DELETE", "/zstack/v1/things/{uuid}", wrapper=None)
    new = endpoint("CreateThing", "POST", "/zstack/v1/things")
    found = changes(ir(kept, gone), ir(kept, new))
    assert [(c.operation, c.kind, c.breaking) for c in found] == [
        ("CreateThing", K.OPERATION_ADDED, False),
        ("DeleteThing", K.OPERATION_REMOVED, True),
    ]
    assert found[0].new == {"method": "POST", "path": "/zstack/v1/things"}
    assert found[1].old == {"method": "DELETE", "path": "/zstack/v1/things/{uuid}"}


def test_same_request_under_a_new_name_is_one_rename_with_its_inner_changes() -> None:
    common = [param("name", required=True), param("zoneUuid", required=True)]
    old = endpoint("CreateWidget", params=common)
    new = endpoint("CreateGadget", params=[*common, param("color")], fields=[field("inventory", "GadgetInventory")])
    found = changes(old, new)
    assert summary(found) == [
        ("operation_renamed", None, True, "CreateWidget", "CreateGadget"),
        ("param_added", "color", False, None, {"type": "String", "location": "body", "required": False}),
        ("response_field_added", "inventory", False, None, "GadgetInventory"),
    ]
    assert {c.operation for c in found} == {"CreateGadget"}


def test_no_rename_when_parameters_differ_or_the_wire_request_differs() -> None:
    old = endpoint("CreateWidget", params=[param("name"), param("zoneUuid")])
    dissimilar = endpoint("CreateGadget", params=[param("color"), param("size"), param("name")])
    other_wrapper = endpoint("CreateGadget", wrapper="createGadget", params=[param("name"), param("zoneUuid")])
    other_path = endpoint("CreateGadget", path="/zstack/v1/gadgets", params=[param("name"), param("zoneUuid")])
    for new in (dissimilar, other_wrapper, other_path):
        kinds = sorted(c.kind.value for c in changes(old, new))
        assert kinds == ["operation_added", "operation_removed"], new


def test_rename_pairs_the_most_similar_operations_and_ignores_path_variable_names() -> None:
    old = endpoint("UpdateWidget", "PUT", "/zstack/v1/widgets/{uuid}", params=[param("name"), param("size")])
    near = endpoint("UpdateGizmo", "PUT", "/zstack/v1/widgets/{widgetUuid}", params=[param("name"), param("size")])
    far = endpoint("UpdateGadget", "PUT", "/zstack/v1/widgets/{id}", params=[param("name"), param("color")])
    found = changes(ir(old), ir(near, far))
    assert [(c.operation, c.kind.value) for c in found] == [
        ("UpdateGadget", "operation_added"),
        ("UpdateGizmo", "operation_renamed"),
    ]


# --- operation-level fields ------------------------------------------------------------


def test_method_path_and_wrapper_changes_are_breaking() -> None:
    old = endpoint("UpdateRole", "PUT", "/zstack/v1/roles/{uuid}", wrapper=None)
    new = endpoint("UpdateRole", "POST", "/zstack/v1/roles/{uuid}/actions", wrapper="params")
    assert summary(changes(old, new)) == [
        ("method_changed", None, True, "PUT", "POST"),
        ("path_changed", None, True, "/zstack/v1/roles/{uuid}", "/zstack/v1/roles/{uuid}/actions"),
        ("wrapper_changed", None, True, None, "params"),
    ]


def test_renaming_a_path_variable_is_not_a_path_change() -> None:
    old = endpoint("GetThing", "GET", "/zstack/v1/things/{uuid}", wrapper=None)
    new = endpoint("GetThing", "GET", "/zstack/v1/things/{thingUuid}", wrapper=None)
    assert changes(old, new) == []


def test_async_and_since_labels_are_not_breaking() -> None:
    old = endpoint("CleanQueue", documented_async=True, since=None)
    new = endpoint("CleanQueue", documented_async=False, since="4.1.3")
    assert summary(changes(old, new)) == [
        ("async_changed", None, False, True, False),
        ("since_changed", None, False, None, "4.1.3"),
    ]


def test_auth_becoming_required_is_breaking_but_dropping_it_is_not() -> None:
    open_ep = endpoint("GetVersion", documented_auth=False)
    closed_ep = endpoint("GetVersion", documented_auth=True)
    assert summary(changes(open_ep, closed_ep)) == [("auth_changed", None, True, False, True)]
    assert summary(changes(closed_ep, open_ep)) == [("auth_changed", None, False, True, False)]


def test_a_page_that_starts_or_stops_saying_whether_auth_is_needed_is_no_change() -> None:
    # A flat page shows no auth line (None); the same API on a bulleted page says "required".
    unsaid = endpoint("GetVersion", documented_auth=None)
    for said in (True, False):
        other = endpoint("GetVersion", documented_auth=said)
        assert changes(unsaid, other) == [] and changes(other, unsaid) == []


# --- parameters --------------------------------------------------------------------------


def test_new_required_parameter_breaks_new_optional_one_does_not() -> None:
    old = endpoint("CreateThing", params=[param("name", required=True)])
    new = endpoint("CreateThing", params=[param("name", required=True), param("zoneUuid", required=True)])
    newer = endpoint("CreateThing", params=[param("name", required=True), param("tagUuids", "List")])
    required = {"type": "String", "location": "body", "required": True}
    optional = {"type": "List", "location": "body", "required": False}
    assert summary(changes(old, new)) == [("param_added", "zoneUuid", True, None, required)]
    assert summary(changes(old, newer)) == [("param_added", "tagUuids", False, None, optional)]


def test_removed_parameter_is_breaking() -> None:
    old = endpoint("QueryThing", "GET", wrapper=None, query_params=[param("filterName", location=Location.QUERY)])
    new = endpoint("QueryThing", "GET", wrapper=None)
    removed = {"type": "String", "location": "query", "required": False}
    assert summary(changes(old, new)) == [("param_removed", "filterName", True, removed, None)]


def test_optional_to_required_breaks_required_to_optional_does_not() -> None:
    optional = endpoint("UpdateRole", params=[param("name")])
    required = endpoint("UpdateRole", params=[param("name", required=True)])
    assert summary(changes(optional, required)) == [("param_required_changed", "name", True, False, True)]
    assert summary(changes(required, optional)) == [("param_required_changed", "name", False, True, False)]


def test_parameter_type_changes_by_kind_and_name_not_by_spelling() -> None:
    def typed(type_name: str, kind: Kind | None = None, element: str | None = None) -> Endpoint:
        return endpoint("CreateL3", params=[param("ipVersion", type_name, kind=kind, element_type=element)])

    same = [
        ("int", "Integer"),
        ("Long", "long"),
        ("boolean", "Boolean"),
    ]
    for old_type, new_type in same:
        assert changes(typed(old_type), typed(new_type)) == [], (old_type, new_type)
    assert summary(changes(typed("String"), typed("Integer"))) == [
        ("param_type_changed", "ipVersion", True, "String", "Integer")
    ]
    assert summary(changes(typed("String"), typed("List"))) == [
        ("param_type_changed", "ipVersion", True, "String", "List")
    ]
    assert summary(changes(typed("Integer"), typed("Long"))) == [
        ("param_type_changed", "ipVersion", True, "Integer", "Long")
    ]


def test_class_types_compare_by_name_whatever_the_page_showed_of_them() -> None:
    shown = endpoint("AddRange", params=[param("ipRangeType", "IpRangeType", kind=Kind.ENUM)])
    unshown = endpoint("AddRange", params=[param("ipRangeType", "IpRangeType", kind=Kind.NAMED)])
    other = endpoint("AddRange", params=[param("ipRangeType", "RangeKind", kind=Kind.NAMED)])
    assert changes(shown, unshown) == []
    assert summary(changes(shown, other))[0][:2] == ("param_type_changed", "ipRangeType")


def test_element_types_count_only_when_both_sides_document_them() -> None:
    def listed(element: str | None) -> Endpoint:
        return endpoint("AttachThings", params=[param("uuids", "List", element_type=element)])

    assert changes(listed(None), listed("String")) == []
    assert summary(changes(listed("String"), listed("Integer"))) == [
        ("param_type_changed", "uuids", True, "List<String>", "List<Integer>")
    ]


def test_location_change_uses_the_wire_location_and_is_breaking() -> None:
    old = endpoint("UpdateRouter", "PUT", "/zstack/v1/routers/{vmInstanceUuid}", params=[param("vmInstanceUuid")])
    new = endpoint(
        "UpdateRouter",
        "PUT",
        "/zstack/v1/routers/{vmInstanceUuid}",
        path_params=[param("vmInstanceUuid", location=Location.PATH)],
    )
    assert summary(changes(old, new)) == [("param_location_changed", "vmInstanceUuid", True, "body", "path")]


def test_a_move_between_page_sections_only_is_reported_but_not_breaking() -> None:
    path = "/zstack/v1/routers/{vmInstanceUuid}"
    listed_in_body = param("vmInstanceUuid", location=Location.PATH, shown_location=Location.BODY)
    old = endpoint("UpdateRouter", "PUT", path, path_params=[listed_in_body])
    new = endpoint("UpdateRouter", "PUT", path, path_params=[param("vmInstanceUuid", location=Location.PATH)])
    found = changes(old, new)
    assert summary(found) == [("param_location_changed", "vmInstanceUuid", False, "body", "path")]
    assert "same place on the wire" in describe(found[0])


def test_nested_parameters_are_compared_by_dotted_name() -> None:
    old = endpoint("CreateRule", params=[param("rule", "RuleSpec", children=[param("port", "Integer")])])
    new = endpoint(
        "CreateRule",
        params=[param("rule", "RuleSpec", children=[param("port", "String"), param("proto", required=True)])],
    )
    assert summary(changes(old, new)) == [
        ("param_added", "rule.proto", True, None, {"type": "String", "location": "body", "required": True}),
        ("param_type_changed", "rule.port", True, "Integer", "String"),
    ]


def test_a_name_used_in_two_locations_is_told_apart() -> None:
    old = endpoint("SetThing", path_params=[param("uuid", location=Location.PATH)], params=[param("uuid")])
    new = endpoint("SetThing", path_params=[param("uuid", location=Location.PATH)])
    assert [(c.kind.value, c.path) for c in changes(old, new)] == [("param_removed", "uuid@body")]


# --- response fields ----------------------------------------------------------------------


def _nic_tree(*nic_fields: str) -> list[ResponseField]:
    return [field("inventory", "VmInstanceInventory", field("vmNics", "List", *(field(n) for n in nic_fields)))]


def test_nested_response_fields_by_dotted_path() -> None:
    old = endpoint("UpdateVm", fields=_nic_tree("ip", "mac"))
    new = endpoint("UpdateVm", fields=_nic_tree("ip", "driverType"))
    assert summary(changes(old, new)) == [
        ("response_field_added", "inventory.vmNics.driverType", False, None, "String"),
        ("response_field_removed", "inventory.vmNics.mac", True, "String", None),
    ]


def test_a_removed_subtree_lists_every_field_in_it() -> None:
    old = endpoint("AddReceiver", fields=[field("inventory", "ReceiverInventory", field("uuid"), field("phone"))])
    new = endpoint("AddReceiver", fields=[field("inventories", "List")])
    assert summary(changes(old, new)) == [
        ("response_field_added", "inventories", False, None, "List"),
        ("response_field_removed", "inventory", True, "ReceiverInventory", None),
        ("response_field_removed", "inventory.uuid", True, "String", None),
        ("response_field_removed", "inventory.phone", True, "String", None),
    ]


def test_enum_to_string_is_a_type_change_and_enum_constants_are_not_fields() -> None:
    old = endpoint(
        "ChangeRule", fields=[field("inventory", "RuleInventory", enum_field("action", "ActionType", "drop"))]
    )
    new = endpoint("ChangeRule", fields=[field("inventory", "RuleInventory", field("action", "String"))])
    assert summary(changes(old, new)) == [
        ("response_field_type_changed", "inventory.action", True, "ActionType", "String")
    ]


def test_new_enum_constants_are_no_change() -> None:
    old = endpoint("UpdateProject", fields=[field("inventory", "P", enum_field("state", "ProjectState", "Enabled"))])
    new = endpoint(
        "UpdateProject", fields=[field("inventory", "P", enum_field("state", "ProjectState", "Enabled", "Expired"))]
    )
    assert changes(old, new) == []


def test_recursive_nodes_have_no_children_and_registry_refs_are_expanded() -> None:
    error_type = NamedType(name="ErrorCode", kind="object", fields=[field("code"), field("cause", "ErrorCode")])
    inline = endpoint(
        "Ping", fields=[field("error", "ErrorCode", field("code"), field("cause", "ErrorCode", recursive=True))]
    )
    by_ref = endpoint("Ping", fields=[field("error", "ErrorCode", ref="ErrorCode")])
    old_ir = ir(inline)
    new_ir = ir(by_ref, types={"ErrorCode": error_type})
    assert changes(old_ir, new_ir) == []
    grown = NamedType(name="ErrorCode", kind="object", fields=[field("code"), field("details")])
    found = changes(old_ir, ir(by_ref, types={"ErrorCode": grown}))
    assert summary(found) == [
        ("response_field_added", "error.details", False, None, "String"),
        ("response_field_removed", "error.cause", True, "ErrorCode", None),
    ]


def test_inferred_element_types_are_not_compared() -> None:
    old = endpoint("QueryThing", fields=[field("inventories", "List", element_type="ThingInventory")])
    guessed = endpoint(
        "QueryThing", fields=[field("inventories", "List", element_type="Thing", element_type_inferred=True)]
    )
    assert changes(old, guessed) == []


# --- descriptions -------------------------------------------------------------------------


def test_description_changes_are_doc_only_and_whitespace_does_not_count() -> None:
    old = endpoint(
        "CreateThing", params=[param("name", description="The name.")], fields=[field("uuid", description="A")]
    )
    new = endpoint(
        "CreateThing", params=[param("name", description="The  name.\n")], fields=[field("uuid", description="B")]
    )
    report = diff_irs(ir(old), ir(new))
    assert [(c.kind, c.path, c.breaking, c.old, c.new) for c in report.changes] == [
        (K.DESCRIPTION_CHANGED, "response.uuid", False, "A", "B")
    ]
    assert report.without_descriptions().changes == []


# --- the report as a whole ----------------------------------------------------------------


def test_report_is_sorted_by_operation_and_deterministic() -> None:
    old = ir(endpoint("B", since="1"), endpoint("A", since="1"))
    new = ir(endpoint("A", since="2"), endpoint("B", since="2"), endpoint("C"))
    first = diff_irs(old, new)
    assert [c.operation for c in first.changes] == ["A", "B", "C"]
    assert render_json(first) == render_json(diff_irs(old.model_copy(deep=True), new.model_copy(deep=True)))
    assert first.summary()["breaking"] == 0
    assert first.operation_counts() == {"added": 1, "removed": 0, "renamed": 0, "changed": 2}
    assert first.summary()["by_kind"] == {"operation_added": 1, "since_changed": 2}
    assert first.groups == {"A": "Thing Operations", "B": "Thing Operations", "C": "Thing Operations"}
