"""Python names from untrusted doc names: safe, unique, deterministic."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from generator.render.naming import (
    BUILTINS,
    NameAllocator,
    argument_names,
    canonical_groups,
    enum_member,
    field_attrs,
    group_attr,
    group_attrs,
    group_class,
    safe_attr,
    safe_class,
    snake_case,
)


@pytest.mark.parametrize(
    ("doc_name", "attr"),
    [
        ("vmInstanceUuid", "vm_instance_uuid"),
        ("L3NetworkUuid", "l3_network_uuid"),
        ("IAM2VirtualID", "iam2_virtual_id"),
        ("ipInBinary", "ip_in_binary"),
        ("x-forwarded-for", "x_forwarded_for"),
        ("a.b$c", "a_b_c"),
    ],
)
def test_camel_case_becomes_snake_case(doc_name: str, attr: str) -> None:
    assert safe_attr(doc_name) == attr


@pytest.mark.parametrize("name", ["class", "from", "import", "lambda", "match", "async", "await", "nonlocal"])
def test_keywords_get_the_trailing_underscore(name: str) -> None:
    renamed = safe_attr(name)
    assert renamed == snake_case(name) + "_"
    assert not keyword.iskeyword(renamed) and not keyword.issoftkeyword(renamed)


@pytest.mark.parametrize("name", ["type", "id", "list", "dict", "str", "format", "hash", "filter", "object"])
def test_builtins_get_the_trailing_underscore(name: str) -> None:
    assert safe_attr(name) == name + "_"


@pytest.mark.parametrize(
    "name", ["schema", "json", "fields", "copy", "dict", "validate", "construct", "parse_obj", "model_dump"]
)
def test_basemodel_attributes_are_never_shadowed(name: str) -> None:
    renamed = safe_attr(name)
    assert renamed == name + "_"
    assert not hasattr(BaseModel, renamed)


def test_every_model_prefix_is_reserved() -> None:
    assert safe_attr("modelName") == "model_name_"
    assert safe_attr("model_config") == "model_config_"
    assert all(safe_attr(n) != n for n in dir(BaseModel) if not n.startswith("_"))


@pytest.mark.parametrize(
    ("doc_name", "expected"),
    [("3par", "n3par"), ("2ndIp", "n2nd_ip"), ("", "field"), ("$", None), ("名称", None), ("__x__", "x")],
)
def test_hostile_names_become_identifiers(doc_name: str, expected: str | None) -> None:
    name = safe_attr(doc_name)
    assert name.isidentifier() and name.isascii() and not name.startswith("_")
    if expected is not None:
        assert name == expected


def test_names_without_ascii_letters_are_stable_and_distinct() -> None:
    assert safe_attr("名称") == safe_attr("名称")
    assert safe_attr("名称") != safe_attr("描述")


def test_collisions_resolve_in_declaration_order() -> None:
    names = NameAllocator()
    assert [names.claim(safe_attr(n)) for n in ["vmUuid", "vm_uuid", "VmUuid", "type", "type_"]] == [
        "vm_uuid",
        "vm_uuid_2",
        "vm_uuid_3",
        "type_",
        "type_2",
    ]


def test_class_names() -> None:
    assert safe_class("VmNicInventory") == "VmNicInventory"
    assert safe_class("org.zstack.Outer$Inner") == "OrgZstackOuterInner"
    assert safe_class("Field") == "Field_"  # would shadow pydantic's Field in the generated module
    assert safe_class("None") == "None_"
    assert safe_class("3Par").isidentifier()


def test_group_names() -> None:
    assert group_attr("VM Instance Operations") == "vm_instance"
    assert group_class("VM Instance Operations") == "VmInstanceApi"
    assert group_attr("Import Operations") == "import_"
    assert group_attr("云主机相关接口").startswith("group_")


def test_enum_members() -> None:
    assert [enum_member(v) for v in ["Running", "hot-plug", "1", "", "name", "值"]][:5] == [
        "RUNNING",
        "HOT_PLUG",
        "V_1",
        "EMPTY",
        "V_NAME",
    ]
    assert enum_member("值").isidentifier()


@given(st.text())
def test_any_text_gives_a_safe_attribute(text: str) -> None:
    name = safe_attr(text)
    assert name.isidentifier() and name.isascii()
    assert not keyword.iskeyword(name) and name not in BUILTINS and not name.startswith("_")
    assert not hasattr(BaseModel, name)
    assert safe_attr(text) == name


@given(st.text())
def test_any_text_gives_a_safe_class_name(text: str) -> None:
    name = safe_class(text)
    assert name.isidentifier() and name.isascii() and not keyword.iskeyword(name)


def test_an_attribute_never_takes_another_fields_wire_name() -> None:
    # pydantic matches aliases first: `vm_uuid` as the attribute of `vmUuid` would swallow the
    # value of the field documented as `vm_uuid`.
    assert field_attrs(["vmUuid", "vm_uuid"]) == ["vm_uuid_2", "vm_uuid"]
    assert field_attrs(["type", "type_"]) == ["type_2", "type_"]
    assert field_attrs(["conditions", "limit"], ["q", "limit"]) == ["conditions", "limit"]


# The naming table: documented name -> the snake_case name a Python user would write. Product words
# stay whole, plural acronyms are one word, ordinary camelCase and acronyms split as before.
@pytest.mark.parametrize(
    ("doc_name", "snake"),
    [
        ("IPsec Operations", "ipsec_operations"),
        ("CreateIPsecConnection", "create_ipsec_connection"),
        ("ChangeIPSecConnectionState", "change_ipsec_connection_state"),
        ("GetVpcIPsecLog", "get_vpc_ipsec_log"),
        ("vCenter Operations", "vcenter_operations"),
        ("QueryVCenterDatacenter", "query_vcenter_datacenter"),
        ("vCenterUuid", "vcenter_uuid"),
        ("ZWatch Operations", "zwatch_operations"),
        ("GetZWatchAlertHistogram", "get_zwatch_alert_histogram"),
        ("V2V Operations", "v2v_operations"),
        ("CleanV2VConversionCache", "clean_v2v_conversion_cache"),
        ("ZBox Operations", "zbox_operations"),
        ("zBoxUuid", "zbox_uuid"),
        ("ZOps Operations", "zops_operations"),
        ("DeleteEcsVSwitchInLocal", "delete_ecs_vswitch_in_local"),
        ("aliyunProxyVSwitches", "aliyun_proxy_vswitches"),
        ("DetachVRouterRouteTableFromVRouter", "detach_vrouter_route_table_from_vrouter"),
        ("vCPUPin", "vcpu_pin"),
        ("UpdateOAuthClient", "update_oauth_client"),
        ("AddXDragonHost", "add_xdragon_host"),
        ("IPv6Address", "ipv6_address"),
        ("L2TP", "l2tp"),
        ("RemoveIAM2VirtualIDsFromProject", "remove_iam2_virtual_ids_from_project"),
        ("vmUUIDs", "vm_uuids"),
        # unchanged: acronyms and numbered words that were right already
        ("IAM2 Operations", "iam2_operations"),
        ("LoginIAM2VirtualID", "login_iam2_virtual_id"),
        ("SNS Operations", "sns_operations"),
        ("EIP Operations", "eip_operations"),
        ("CDP Operations", "cdp_operations"),
        ("VPC Firewall Operations", "vpc_firewall_operations"),
        ("L3NetworkUuid", "l3_network_uuid"),
        ("ImageStore Backup Storage Operations", "image_store_backup_storage_operations"),
        # not product words: the spelling must start and end a word
        ("VIPsec", "vi_psec"),
        ("ZBoxing", "z_boxing"),
    ],
)
def test_naming_table(doc_name: str, snake: str) -> None:
    assert snake_case(doc_name) == snake


def test_product_words_stay_whole_in_enum_members_but_class_names_keep_their_capitals() -> None:
    assert enum_member("IPsec") == "IPSEC" and enum_member("vCenter") == "VCENTER"
    assert safe_class("IPsecConnectionInventory") == "IPsecConnectionInventory"
    assert group_class("ZWatch Operations") == "ZWatchApi"


CLIENT_ATTRS = frozenset({"login", "logout", "close", "session_uuid", "types", "api", "models"})


def test_group_attribute_table() -> None:
    documented = {
        "IPsec Operations": 4,
        "vCenter Operations": 8,
        "ZWatch Operations": 49,
        "V2V Operations": 6,
        "ZBox Operations": 1,
        "ZOps Operations": 3,
        "VIP Operations": 9,
        "Vip Operations": 1,
        "VM Operations": 1,
        "Vm Operations": 1,
        "VM Instance Operations": 88,
        "Login Operations": 4,
        "Login Control Operations": 2,
        "License Operations": 5,
        "Import Operations": 1,
        "Two-Factor Authentication Operations": 2,
        "Two Factor Authentication Operations": 1,
    }
    canonical = canonical_groups(documented)
    assert canonical["Vip Operations"] == canonical["VIP Operations"] == "VIP Operations"  # the spelling most use
    assert canonical["Vm Operations"] == canonical["VM Operations"] == "VM Operations"  # a tie: code-point order
    assert canonical["Two Factor Authentication Operations"] == "Two-Factor Authentication Operations"
    attrs = group_attrs(set(canonical.values()), CLIENT_ATTRS)
    assert attrs == {
        "IPsec Operations": "ipsec",
        "Import Operations": "import_",  # a keyword
        "License Operations": "license_",  # a builtin: the module would shadow it in the package
        "Login Control Operations": "login_control",
        "Login Operations": "login_",  # Client.login is the client's own method
        "Two-Factor Authentication Operations": "two_factor_authentication",
        "V2V Operations": "v2v",
        "VIP Operations": "vip",
        "VM Instance Operations": "vm_instance",
        "VM Operations": "vm",
        "ZBox Operations": "zbox",
        "ZOps Operations": "zops",
        "ZWatch Operations": "zwatch",
        "vCenter Operations": "vcenter",
    }


def test_group_attributes_number_only_real_collisions() -> None:
    # Different groups (not one spelled two ways) that still end up with one name: numbered, in order.
    assert canonical_groups({"Zone Operations": 1, "Zoné Operations": 1}) == {
        "Zone Operations": "Zone Operations",
        "Zoné Operations": "Zoné Operations",
    }
    assert group_attrs(["Zone Operations", "Zoné Operations"]) == {
        "Zone Operations": "zone",
        "Zoné Operations": "zone_2",
    }
    assert group_attrs(["Login Operations", "Login_ Operations"], CLIENT_ATTRS) == {
        "Login Operations": "login_",
        "Login_ Operations": "login_2",
    }
    assert group_attrs(["Types Operations"], CLIENT_ATTRS) == {"Types Operations": "types_"}


def test_group_names_do_not_depend_on_the_order_or_subset_they_are_decided_from() -> None:
    documented = {"VIP Operations": 9, "Vip Operations": 1, "Zone Operations": 2, "Zoné Operations": 1}
    reversed_order = dict(reversed(list(documented.items())))
    assert canonical_groups(documented) == canonical_groups(reversed_order)
    groups = sorted(set(canonical_groups(documented).values()))
    assert group_attrs(groups) == group_attrs(list(reversed(groups)))


@pytest.mark.parametrize(
    ("doc_names", "attrs", "arguments"),
    [
        # the model needs `fields_` (a BaseModel attribute) and `type_` (a builtin); a keyword argument does not
        (["fields", "type", "json", "id", "modelName"], ["fields_", "type_", "json_", "id_", "model_name_"],
         ["fields", "type", "json", "id", "model_name"]),
        # keywords and what the method body uses keep the suffix
        (["class", "from", "self", "request"], ["class_", "from_", "self_", "request_"],
         ["class_", "from_", "self_", "request_"]),
        # collisions the model resolved stay resolved
        (["vmUuid", "vm_uuid"], ["vm_uuid_2", "vm_uuid"], ["vm_uuid_2", "vm_uuid"]),
        (["type", "type_"], ["type_2", "type_"], ["type_2", "type_"]),
        (["list", "list_"], ["list_2", "list_"], ["list_2", "list_"]),
    ],
)  # fmt: skip
def test_argument_names(doc_names: list[str], attrs: list[str], arguments: list[str]) -> None:
    assert field_attrs(doc_names) == attrs
    assert argument_names(doc_names, attrs) == arguments
