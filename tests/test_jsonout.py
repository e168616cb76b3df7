"""generator.jsonout: the fast indented JSON is byte-identical to json.dumps, and really is the fast one.

The reference everywhere is the code it replaced: `json.dumps(value, indent=N, ensure_ascii=False)`
and `dump_ir` as it was before (below). Equality alone could pass through the fallback, so the
routing tests prove the Rust path is taken where it may be, and the cases pydantic_core gets wrong
prove the guards are needed (the raw Rust output differs there).
"""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, JsonValue, RootModel

from generator import jsonout
from generator.ir import IR, Endpoint, Example, Repair, RequestExample, Source
from generator.ir.io import dump_ir
from generator.jsonout import indented_json, indented_model_json
from generator.openapi import dump_openapi, to_openapi
from tests.conftest import ROOT


def reference(value: Any, indent: int) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False)


def reference_dump_ir(ir: IR) -> str:
    """dump_ir before generator/jsonout.py existed."""
    ordered = ir.model_copy(
        update={
            "endpoints": sorted(ir.endpoints, key=lambda e: e.operation_id),
            "types": dict(sorted(ir.types.items())),
        }
    )
    data = ordered.model_dump(mode="json", exclude_defaults=True)
    data = {"ir_version": ir.ir_version, "generator": ir.generator, **data}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def outcome(encode: Any, *args: Any) -> tuple[str, str]:
    """What an encoder returns, or which error it raises with which message."""
    try:
        return "ok", encode(*args)
    except Exception as exc:
        return type(exc).__name__, str(exc)


class Box(BaseModel):
    value: JsonValue = None
    note: str = ""


def box_reference(box: Box, indent: int) -> str:
    return reference(box.model_dump(mode="json"), indent)


# --- strategies -------------------------------------------------------------------------------

# Characters every JSON encoder treats specially, plus anything at all (surrogates included).
SPECIAL_CHARS = [chr(c) for c in range(0x20)] + ['"', "\\", "/", "\x7f", "\x80", "\u2028", "\u2029", "\ufeff"]
SPECIAL_CHARS += ["\U0001f600", "é", "中"]
SURROGATES = ["\ud800", "\udbff\udfff", "\udfff", "a\udc80b"]
# Text that looks like a risky number token: the member scan must not be fooled either way.
SPECIAL_TEXT = ['": 1e-05', '\\": 1e-05', "\n 1e-05", '": 0.00001', "1E9", '": -0.00001']


def mostly(common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`rare` about one draw in ten."""
    return st.integers(0, 9).flatmap(lambda n: rare if n == 0 else common)


# Surrogates, which always send a value to json.dumps, are rare so that most values exercise the
# fast path (st.characters(exclude_categories=[]) yields one now and then too).
texts = mostly(
    st.one_of(
        st.text(st.one_of(st.sampled_from(SPECIAL_CHARS), st.characters(exclude_categories=[])), max_size=12),
        st.sampled_from(SPECIAL_TEXT),
    ),
    st.sampled_from(SURROGATES),
)
# Floats where the two encoders' formats part (tiny, huge, exponent boundaries) and anything at all.
EDGE_FLOATS = [1e-4, 9.99e-5, 1e-5, 1e-7, 1e-10, 5e-324, 1e15, 1e16, 1e17, 1e22, 1.7976931348623157e308, -0.0, 0.0]
floats = mostly(
    st.one_of(st.floats(), st.floats(-1e6, 1e6), st.sampled_from([math.nan, math.inf, -math.inf])),
    st.sampled_from(EDGE_FLOATS + [-f for f in EDGE_FLOATS]),
)
ints = st.one_of(st.integers(), st.integers(min_value=2**63 - 2, max_value=2**64 + 2), st.just(-(10**40)))
scalars = st.one_of(st.none(), st.booleans(), ints, floats, texts)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(texts, inner, max_size=4)),
    max_leaves=24,
)
indents = st.integers(min_value=0, max_value=4)


# --- indented_json: equal to json.dumps -------------------------------------------------------


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, indents)
def test_indented_json_is_json_dumps(value: Any, indent: int) -> None:
    assert indented_json(value, indent) == reference(value, indent)


class Colour(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Plain(enum.Enum):
    ONE = 1


def cycle() -> list[Any]:
    loop: list[Any] = []
    loop.append(loop)
    return loop


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


EDGE_VALUES = {
    "top-level scalars": [0, -0.0, "x", None, True, 10**30],
    "nan and infinities": [math.nan, math.inf, -math.inf, {"a": math.nan}],
    "big ints": [2**63, 2**64, -(2**63) - 1, 10**100],
    "insertion order kept": {"b": 1, "a": 2, "c": {"z": 1, "y": 2}},
    "empty containers": [[], {}, [[]], {"a": {}}, [{}, []]],
    "strings": ["".join(chr(c) for c in range(0x30)) + '\x7f\u2028\u2029\ufeff\U0001f600中"\\/'],
    "tuples": (1, (2, "3"), []),
    "non-str keys": {1: "a", 1.5: "b", None: "c", 2: "e"},
    "bool keys": {True: "t", False: "f"},
    "nan and inf keys": {math.nan: 1, math.inf: 2, -math.inf: 3},
    "tiny float key": {1e-05: 1},
    "enums": [Colour.RED, Level.HIGH, {Colour.RED: Level.HIGH}],
    "dict subclass": OrderedDict([("b", 1), ("a", 2)]),
    "lone surrogate value": ["\ud800"],
    "lone surrogate key": {"k\udfff": 1},
    "deep nesting": nested(400),
}


@pytest.mark.parametrize("name", sorted(EDGE_VALUES))
@pytest.mark.parametrize("indent", [0, 1, 2, -1])
def test_indented_json_edge_values(name: str, indent: int) -> None:
    value = EDGE_VALUES[name]
    assert indented_json(value, indent) == reference(value, indent)


@pytest.mark.parametrize("value", [{1, 2}, b"ab", Plain.ONE, {(1, 2): 3}, cycle(), {"a": object()}], ids=repr)
def test_indented_json_raises_where_json_dumps_raises(value: Any) -> None:
    expected = outcome(reference, value, 1)
    assert expected[0] != "ok"
    assert outcome(indented_json, value, 1) == expected


# The cases the guards exist for: pydantic_core alone writes something else (or refuses).
RUST_DIFFERS = {
    "small float": [1e-05],
    "small negative float": {"a": -9.999e-05},
    "one-digit exponent": [1e-07, 1.5e-300],
    "lone surrogate": ["\ud800"],
    "None key": {None: 1},
    "nan key": {math.nan: 1},
    "set": [{1}],
    "deep nesting": nested(400),
}


@pytest.mark.parametrize("name", sorted(RUST_DIFFERS))
def test_guards_cover_what_pydantic_core_gets_wrong(name: str) -> None:
    value = RUST_DIFFERS[name]
    rust = outcome(lambda: pydantic_core.to_json(value, indent=1).decode())
    expected = outcome(reference, value, 1)
    assert rust != expected, "pydantic_core now agrees here: the guard for this case may be dropped"
    assert outcome(indented_json, value, 1) == expected


# --- the Rust path is really taken ------------------------------------------------------------

FAST_VALUES = [
    {"a": [1, 2.5, -0.0, 1e-4, 1e15, math.nan, True, None, 10**40], "b": {}, "c": '\u2028\x00\x7f"\\'},
    [[], [[]], "中文", 123456789.125],
    "top",
]


@pytest.mark.parametrize("value", FAST_VALUES, ids=repr)
def test_plain_json_never_reaches_json_dumps(value: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = reference(value, 2)

    def no_slow_path(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("json.dumps was used")

    monkeypatch.setattr(jsonout.json, "dumps", no_slow_path)
    assert indented_json(value, 2) == expected


@pytest.mark.parametrize("value", [[1e-05], {"k": 1e16}, {"k": "\ud800"}, {1: 2}, Colour.RED], ids=repr)
def test_risky_values_go_to_json_dumps(value: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    real_dumps = json.dumps

    def counting_dumps(obj: Any, **kwargs: Any) -> str:
        calls.append(obj)
        return real_dumps(obj, **kwargs)

    monkeypatch.setattr(jsonout.json, "dumps", counting_dumps)
    indented_json(value, 1)
    assert calls == [value]


# --- floats: the format claims the guards rest on ----------------------------------------------


def float_sweep() -> list[float]:
    """Every decimal exponent of the double range, with short, long and boundary mantissas."""
    mantissas = ["1", "1.5", "9.999", "2.2250738585072014", "4.9406564584124654", "9.999999999999999"]
    values = [float(f"{m}e{exp}") for exp in range(-324, 309) for m in mantissas]
    return [v for v in values if math.isfinite(v)] + [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308]


def test_every_float_magnitude_is_written_like_python() -> None:
    sweep = float_sweep()
    for sign in (1.0, -1.0):
        values = [sign * v for v in sweep]
        as_list = [values, {str(i): v for i, v in enumerate(values)}]
        for indent in (0, 1):
            assert indented_json(as_list, indent) == reference(as_list, indent)
            box = Box(value=as_list)
            assert indented_model_json(box, indent) == box_reference(box, indent)
        for value in values:  # one at a time too: one risky float must not hide behind another
            assert indented_model_json(Box(value={"f": [value]}), 1) == box_reference(Box(value={"f": [value]}), 1)


@settings(max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_float_is_written_like_python(value: float) -> None:
    assert indented_json({"f": [value]}, 1) == reference({"f": [value]}, 1)
    box = Box(value={"f": value, "g": [value]})
    assert indented_model_json(box, 1) == box_reference(box, 1)


# --- models and dump_ir ----------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, texts, indents)
def test_indented_model_json_is_json_dumps_of_model_dump(value: Any, note: str, indent: int) -> None:
    box = Box(value=value, note=note)
    assert indented_model_json(box, indent) == box_reference(box, indent)


@pytest.mark.parametrize("lead", [{}, {"first": 1}, {"first": [1e-05, {}], "second": "x"}])
@pytest.mark.parametrize("box", [Box(), Box(note="n"), Box(value={"a": [1.5]})], ids=repr)
def test_lead_members_come_first(lead: dict[str, Any], box: Box) -> None:
    expected = reference({**lead, **box.model_dump(mode="json", exclude=set(lead), exclude_defaults=True)}, 1)
    assert indented_model_json(box, 1, lead=lead, exclude_defaults=True) == expected


class Loose(BaseModel):
    anything: Any = None
    table: dict[str, Any] = {}
    json_value: JsonValue = None


class Typed(Loose):
    number: float = 0.0
    maybe: float | None = None
    numbers: list[float] = []
    inner: Loose = Loose()


SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, 1e-05, 1e16, 0.5, -0.0]


@pytest.mark.parametrize("special", SPECIAL_FLOATS, ids=repr)
@pytest.mark.parametrize(
    "build",
    [
        lambda f: Loose(anything=f),
        lambda f: Loose(table={"k": [f]}),
        lambda f: Loose(json_value={"k": f}),
        lambda f: Typed(number=f),
        lambda f: Typed(maybe=f),
        lambda f: Typed(numbers=[1.0, f]),
        lambda f: Typed(inner=Loose(anything=f)),
    ],
    ids=["Any", "dict of Any", "JsonValue", "float", "optional float", "list of floats", "nested Any"],
)
def test_float_fields_of_every_kind(build: Any, special: float) -> None:
    """model_dump(mode="json") keeps NaN in some fields, makes it None in others: both are matched."""
    model = build(special)
    assert indented_model_json(model, 1) == reference(model.model_dump(mode="json"), 1)


@pytest.mark.parametrize("value", [1e-05, -0.00001, math.nan, [1e-07], "x", None], ids=repr)
def test_root_models(value: Any) -> None:
    model = RootModel[JsonValue](value)
    assert indented_model_json(model, 1) == reference(model.model_dump(mode="json"), 1)


def endpoint_with(value: Any, operation_id: str = "Op") -> Endpoint:
    source = Source(file="page.html", line=1)
    return Endpoint(
        operation_id=operation_id,
        title="t",
        group="g",
        method="POST",
        path="/zstack/v1/x",
        source=source,
        request_example=RequestExample(raw="curl", body=value),
        response_example=Example(raw="{}", parsed=value),
        repairs=[Repair(rule="r", target="t", shown=value, repaired=[value], reason="why")],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_dump_ir_with_any_example_values(value: Any) -> None:
    ir = IR(endpoints=[endpoint_with(value, "B"), endpoint_with({"x": value}, "A")])
    assert dump_ir(ir) == reference_dump_ir(ir)


@pytest.mark.parametrize(
    "ir",
    [
        IR(),
        IR(ir_version="1.9.9", generator="other"),
        IR(endpoints=[endpoint_with({"small": [1e-05], "one-digit exponent": 1e-07})]),
        IR(endpoints=[endpoint_with({"nan": math.nan, "inf": [-math.inf, math.inf]})]),
        IR(endpoints=[endpoint_with({"key\\": 1e-07})]),  # a member after an escaped backslash
        IR(endpoints=[endpoint_with(["\ud800", {"k\udc00": 1}])]),
        IR(endpoints=[endpoint_with([10**40, -(2**64), 2**63])]),
    ],
    ids=[
        "empty",
        "non-default header",
        "small floats",
        "nan and infinities",
        "backslash key",
        "surrogates",
        "big ints",
    ],
)
def test_dump_ir_edge_cases(ir: IR) -> None:
    assert dump_ir(ir) == reference_dump_ir(ir)


def test_string_that_looks_like_a_number_keeps_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    ir = IR(endpoints=[endpoint_with({"raw": '{"size": 1.073741824E9, "tiny": 0.00001, "e": 1e-05}'})])
    expected = reference_dump_ir(ir)
    monkeypatch.setattr(IR, "model_dump", lambda *a, **k: pytest.fail("the slow path was taken"))
    assert dump_ir(ir) == expected


# --- the real pages ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_ir() -> IR:
    from generator.scrape import scrape_paths

    pages = sorted((ROOT / "input_docs" / "pages").glob("*.html"))[::30]  # 39 pages across the alphabet
    assert len(pages) > 30
    return scrape_paths(pages, jobs=1).ir  # absolute paths: module scope runs before the autouse chdir


def test_dump_ir_of_real_pages(corpus_ir: IR, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = reference_dump_ir(corpus_ir)
    assert len(corpus_ir.endpoints) > 30
    monkeypatch.setattr(IR, "model_dump", lambda *a, **k: pytest.fail("the slow path was taken"))
    assert dump_ir(corpus_ir) == expected


def test_dump_openapi_of_real_pages(corpus_ir: IR, monkeypatch: pytest.MonkeyPatch) -> None:
    document = to_openapi(corpus_ir)
    expected = reference(document, 2) + "\n"
    monkeypatch.setattr(jsonout.json, "dumps", lambda *a, **k: pytest.fail("the slow path was taken"))
    assert dump_openapi(document) == expected


def test_dump_ir_round_trips_through_load_ir(corpus_ir: IR, tmp_path: Path) -> None:
    from generator.ir.io import load_ir

    path = tmp_path / "ir.json"
    path.write_text(dump_ir(corpus_ir), encoding="utf-8")
    assert dump_ir(load_ir(path)) == path.read_text(encoding="utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values, indents)
def test_indented_json_with_sorted_keys_is_json_dumps(value: Any, indent: int) -> None:
    expected = json.dumps(value, indent=indent, ensure_ascii=False, sort_keys=True)
    assert indented_json(value, indent, sort_keys=True) == expected
