"""Fixture responses keep the docs' example values, except those that contradict the docs' own types."""

from __future__ import annotations

from generator.ir.model import Kind, NamedType
from generator.render.conform import conform_example
from tests.render.builders import error_code_type, error_field, field


def test_values_of_the_documented_type_are_kept_as_shown() -> None:
    fields = [error_field(), field("inventory", Kind.OBJECT, type_="X", children=[field("n", Kind.INTEGER)])]
    example = {"inventory": {"n": 1.0, "unknown": {"deep": [1]}}, "error": {"code": "A", "cause": {"code": "B"}}}
    assert conform_example(example, fields, {"ErrorCode": error_code_type()}) == (example, [])


def test_enums_shown_as_objects_and_objects_shown_as_strings_are_dropped() -> None:
    state = NamedType(name="State", kind="enum", enum_values=["Normal"])
    nic = field("usedIps", Kind.LIST, type_="List", children=[field("ip")])
    fields = [
        field(
            "inventory",
            Kind.OBJECT,
            type_="Inv",
            children=[field("state", Kind.ENUM, type_="State", ref="State"), nic, field("name")],
        ),
    ]
    example = {"inventory": {"state": {"Normal": "Normal"}, "usedIps": ["10.0.0.1"], "name": "kept"}}
    conformed, dropped = conform_example(example, fields, {"State": state})
    assert conformed == {"inventory": {"name": "kept"}}
    assert dropped == ["inventory.state", "inventory.usedIps"]


def test_scalars_must_fit_the_lenient_wire_types() -> None:
    fields = [field("count", Kind.INTEGER), field("ratio", Kind.NUMBER), field("flag", Kind.BOOLEAN), field("s")]
    example = {"count": "12", "ratio": "2.5E3", "flag": "yes", "s": 5}
    conformed, dropped = conform_example(example, fields, {})
    assert conformed == {"count": "12", "ratio": "2.5E3"}
    assert dropped == ["flag", "s"]
    assert conform_example({"count": 1.5}, fields, {})[1] == ["count"]
