"""One rule at a time: a clean hand-made page broken in one way trips exactly that rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ir.model import Example, Kind, ResponseField
from generator.lint import RULES, Level, lint_endpoint, suspicious_type
from tests.lint.pages import (
    CLEAN_DELETE,
    CLEAN_GET,
    CLEAN_PUT,
    endpoint_of,
    endpoint_rules,
    findings_of,
    rules_of,
    write,
)

UUID = "6e1a3bdbe38045658546a6b7fb3df990"


@pytest.mark.parametrize("page", [CLEAN_PUT, CLEAN_GET, CLEAN_DELETE], ids=["put", "get", "delete"])
def test_clean_pages_have_no_findings_at_all(tmp_path: Path, page: str) -> None:
    assert findings_of(tmp_path, page) == []


def _broken(page: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in page, f"the clean page has no {old!r}"
        page = page.replace(old, new)
    return page


# (rule, page, replacements): each breaks a clean page in one way.
CASES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("lowercase-wrapper", CLEAN_PUT, [("changeZoneState", "changezonestate")]),
    (
        "duplicate-field",
        CLEAN_PUT,
        [("  • systemTagsList\n", "  • systemTagsList\n\n    Optional. The tags.\n\n  • systemTagsList\n")],
    ),
    ("curl-param-unlisted", CLEAN_PUT, [('"systemTags":["<systemTags>"]', '"systemTags":["<x>"],"zoneName":"<z>"')]),
    ("malformed-example-json", CLEAN_PUT, [("1.0E10 } }", "1.0E10 } } }")]),
    ("malformed-curl", CLEAN_PUT, [('"<stateEvent>"}', '"<stateEvent>",}')]),
    ("curl-path-mismatch", CLEAN_PUT, [("zones/{uuid}/actions' -H", "zone/{uuid}/actions' -H")]),
    ("concrete-uuid-in-path", CLEAN_PUT, [("/zones/{uuid}/actions", f"/zones/{UUID}/actions")]),
    ("query-in-endpoint", CLEAN_PUT, [("/zones/{uuid}/actions\n", "/zones/{uuid}/actions?\n")]),
    ("path-param-unused", CLEAN_PUT, [("/zones/{uuid}/actions", "/zones/actions")]),
    (
        "path-param-optional",
        CLEAN_PUT,
        [("uuidStringRequired\n\n    The zone", "uuidString\n\n    Optional. The zone")],
    ),
    ("suspicious-type", CLEAN_PUT, [("stateStringRequired", "statestateRequired")]),
    ("placeholder-description", CLEAN_PUT, [("The zone UUID.", "No description provided.")]),
    ("untranslated-description", CLEAN_PUT, [("The zone UUID.", "区域的UUID。")]),
    ("example-unknown-field", CLEAN_PUT, [('"state": "Enabled"', '"state": "Enabled", "zoneName": "z"')]),
    ("example-type-mismatch", CLEAN_PUT, [('"success": true', '"success": "yes"')]),
    ("example-type-mismatch", CLEAN_PUT, [('"capacity": 1.0E10', '"capacity": 1.5')]),
    ("example-type-mismatch", CLEAN_PUT, [('"Nov 14, 2017 10:20:57 PM"', '"last week"')]),
    ("example-type-mismatch", CLEAN_PUT, [('"inventory": {', '"inventory": [ {'), ("1.0E10 } }", "1.0E10 } ] }")]),
    ("curl-get-body", CLEAN_GET, [("&systemTags=<systemTags>'", '\' -d \'{"systemTags":["<systemTags>"]}\'')]),
    ("curl-delete-body", CLEAN_DELETE, [("&systemTags=<systemTags>'", '\' -d \'{"systemTags":["<systemTags>"]}\'')]),
    ("curl-query-literal", CLEAN_GET, [("all=<all>", "all=True")]),
    ("curl-query-literal", CLEAN_GET, [("all=<all>", "all=1")]),
    (
        "path-variable-unlisted",
        CLEAN_GET,
        [("/zones/capacities", "/zones/{zoneUuid}/capacities"), ("?zoneUuid=<zoneUuid>&", "?")],
    ),
    (
        "params-in-body-section",
        CLEAN_DELETE,
        [("Query Parameters\n\nRequest Inputs\n\nQuery Parameters", "Request Inputs\n\nBody Fields")],
    ),
    ("unrecognised-line", CLEAN_PUT, [("  • systemTagsList", "  • 42 is not a field\n\n  • systemTagsList")]),
]


@pytest.mark.parametrize(("rule", "page", "replacements"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_one_break_trips_exactly_its_rule(
    tmp_path: Path, rule: str, page: str, replacements: list[tuple[str, str]]
) -> None:
    assert rules_of(tmp_path, _broken(page, *replacements)) == {rule}


def test_every_finding_names_file_line_operation_and_a_catalogued_rule(tmp_path: Path) -> None:
    page = _broken(CLEAN_PUT, ("changeZoneState", "changezonestate"), ("The zone UUID.", "No description provided."))
    findings = findings_of(tmp_path, page, "ChangeZoneState.txt")
    assert {f.rule for f in findings} == {"lowercase-wrapper", "placeholder-description"}
    lines = page.splitlines()
    for finding in findings:
        assert finding.rule in RULES and finding.severity == RULES[finding.rule].level
        assert finding.file.endswith("ChangeZoneState.txt") and finding.operation == "ChangeZoneState"
        assert finding.line is not None
    wrapper = next(f for f in findings if f.rule == "lowercase-wrapper")
    assert "changezonestate" in lines[wrapper.line - 1]  # type: ignore[operator]
    placeholder = next(f for f in findings if f.rule == "placeholder-description")
    assert lines[placeholder.line - 1].strip() == "• uuidStringRequired"  # type: ignore[operator]


def test_endpoint_findings_point_at_the_endpoint_line(tmp_path: Path) -> None:
    page = _broken(CLEAN_PUT, ("/zones/{uuid}/actions", f"/zones/{UUID}/actions"))
    (finding,) = findings_of(tmp_path, page)
    assert UUID in page.splitlines()[finding.line - 1]  # type: ignore[operator]
    assert page.splitlines()[finding.line - 1].startswith("PUT/zstack")  # type: ignore[operator]


def test_truncated_page_is_a_warning_and_a_page_cut_before_its_endpoint_an_error(tmp_path: Path) -> None:
    before_examples = CLEAN_PUT[: CLEAN_PUT.index("Request Example")]
    assert rules_of(tmp_path, before_examples) == {"truncated-page"}
    before_endpoint = CLEAN_PUT[: CLEAN_PUT.index("Endpoint")]
    found = {f.rule: f.severity for f in findings_of(tmp_path, before_endpoint)}
    assert found == {"truncated-page": Level.WARNING, "no-endpoint": Level.ERROR}


def test_a_page_that_cannot_be_read_is_one_error_with_its_line(tmp_path: Path) -> None:
    (finding,) = findings_of(tmp_path, "just some text\nwith no API on it\n")
    assert (finding.rule, finding.severity) == ("page-error", Level.ERROR)
    data = CLEAN_PUT.encode()
    bad = data[:200] + b"\xff" + data[200:]
    path = tmp_path / "Bad.txt"
    path.write_bytes(bad)
    from generator.lint import lint_paths

    (finding,) = lint_paths([path])
    assert finding.rule == "page-error" and finding.line == bad[:200].count(b"\n") + 1


def test_bare_optional_and_missing_descriptions_are_info(tmp_path: Path) -> None:
    page = _broken(CLEAN_PUT, ("Optional. The system tags.", "Optional."))
    findings = findings_of(tmp_path, page)
    assert [(f.rule, f.severity) for f in findings] == [("missing-description", Level.INFO)]
    assert "systemTags" in findings[0].message
    assert rules_of(tmp_path, page) == set()


def test_curl_missing_a_listed_param_is_info(tmp_path: Path) -> None:
    page = _broken(CLEAN_GET, ("&all=<all>", ""))
    assert rules_of(tmp_path, page, infos=True) == {"curl-param-missing"}


def test_singular_param_wrapper_is_info(tmp_path: Path) -> None:
    page = _broken(
        CLEAN_PUT,
        ("PUTZone", "POSTZone"),
        ("PUT/zstack", "POST/zstack"),
        ("-X PUT", "-X POST"),
        ("changeZoneStateObject", "paramObject"),
        ('"changeZoneState"', '"param"'),
    )
    assert rules_of(tmp_path, page, infos=True) == {"singular-param-wrapper"}


def test_put_body_without_wrapper_is_info(tmp_path: Path) -> None:
    page = _broken(
        CLEAN_PUT,
        (
            "  • changeZoneStateObjectRequired\n\n    Request body object.\n\n    • stateEventStringRequired\n\n      The",
            "  • stateEventStringRequired\n\n    The",
        ),
        ('{"changeZoneState":{"stateEvent":"<stateEvent>"},', '{"stateEvent":"<stateEvent>",'),
    )
    assert rules_of(tmp_path, page, infos=True) == {"missing-action-wrapper"}


def test_chinese_descriptions_on_a_zh_cn_page_are_not_untranslated(tmp_path: Path) -> None:
    endpoint = endpoint_of(tmp_path, _broken(CLEAN_PUT, ("The zone UUID.", "区域的UUID。")))
    assert endpoint_rules(endpoint) == {"untranslated-description"}
    endpoint.lang = "zh-cn"
    assert endpoint_rules(endpoint) == set()


def test_gson_doubles_and_dates_and_nulls_fit_their_kinds(tmp_path: Path) -> None:
    endpoint = endpoint_of(tmp_path, CLEAN_PUT)
    assert endpoint.response_example is not None
    endpoint.response_example.parsed = {
        "success": None,
        "inventory": {"uuid": "x", "state": None, "createDate": 1.510669257141e12, "capacity": 8},
    }
    assert endpoint_rules(endpoint) == set()
    endpoint.response_example.parsed = {"inventory": {"createDate": "2017-11-14T22:20:57Z", "capacity": 2.0}}
    assert endpoint_rules(endpoint) == set()


def _enum_response() -> list[ResponseField]:
    status = ResponseField(
        name="status",
        type="SdnControllerStatus",
        kind=Kind.ENUM,
        description="The status.",
        enum_values=["Connecting", "Connected"],
    )
    return [
        ResponseField(
            name="inventory", type="SdnInventory", kind=Kind.OBJECT, description="See inventory.", children=[status]
        )
    ]


@pytest.mark.parametrize(
    ("value", "rules"),
    [
        ("Connected", set()),
        ("Lost", {"example-type-mismatch"}),
        (1, {"example-type-mismatch"}),
        ({"Connecting": "Connecting", "Connected": "Connecting"}, {"example-enum-object"}),
    ],
)
def test_enum_values_in_examples(tmp_path: Path, value: object, rules: set[str]) -> None:
    endpoint = endpoint_of(tmp_path, CLEAN_PUT)
    endpoint.response.fields = _enum_response()
    endpoint.response_example = Example(raw="", parsed={"inventory": {"status": value}})  # type: ignore[dict-item]
    assert endpoint_rules(endpoint) == rules


def test_error_block_with_bad_json_is_malformed(tmp_path: Path) -> None:
    endpoint = endpoint_of(tmp_path, CLEAN_DELETE)
    endpoint.response.error_example = Example(raw="{", parse_error="Expecting value (line 1, column 2)")
    assert endpoint_rules(endpoint) == {"malformed-example-json"}


def test_pages_across_files_type_conflicts_and_duplicates_are_info(tmp_path: Path) -> None:
    from generator.lint import lint_paths

    write(tmp_path, CLEAN_PUT, "A.txt")
    write(tmp_path, CLEAN_PUT, "B.txt")
    findings = lint_paths([tmp_path])
    assert {(f.rule, f.severity) for f in findings} == {("duplicate-operation", Level.INFO)}


@pytest.mark.parametrize(
    ("type_name", "bad"),
    [
        ("String", False),
        ("long", False),
        ("byte[]", False),
        ("List<String>", False),
        ("VmInstanceInventory", False),
        ("state", True),
        ("str", True),
        ("Bool", True),
        ("Strin g", True),
        ("int[", True),
    ],
)
def test_suspicious_type_names(type_name: str, bad: bool) -> None:
    assert (suspicious_type(type_name) is not None) == bad


def test_findings_on_ir_files_match_findings_on_pages(tmp_path: Path) -> None:
    from generator.ir import dump_ir
    from generator.lint import lint_paths
    from generator.scrape import scrape_paths

    page = write(tmp_path, _broken(CLEAN_PUT, ("changeZoneState", "changezonestate")))
    ir_file = tmp_path / "api.json"
    ir_file.write_text(dump_ir(scrape_paths([page]).ir), encoding="utf-8")
    assert lint_paths([ir_file]) == lint_paths([page])
    assert lint_endpoint(endpoint_of(tmp_path, CLEAN_PUT)) == []
