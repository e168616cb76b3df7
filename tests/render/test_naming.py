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
    enum_member,
    field_attrs,
    group_attr,
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
