"""Layouts and doc bugs of the live site that the corpus does not render."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from generator.ir.model import Diagnostic, Endpoint, Kind, Location
from generator.scrape import scrape_page_file
from tests.conftest import ROOT
from tests.scrape import pages
from tests.scrape.test_markups import comparable


def scrape_text(tmp_path: Path, name: str, text: str) -> Endpoint:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = scrape_page_file(path, name)
    assert isinstance(result, Endpoint), result
    return result


def codes(endpoint: Endpoint) -> set[str]:
    return {w.code for w in endpoint.warnings}


def rules(endpoint: Endpoint) -> dict[str, Any]:
    return {r.rule: r for r in endpoint.repairs}


def test_newer_layout_reads_labelled_values(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "UnsubscribeEvent.txt", pages.NEWER_LAYOUT)
    assert (ep.method, ep.path, ep.operation_id) == (
        "DELETE",
        "/zstack/v1/zwatch/events/subscriptions/{uuid}",
        "UnsubscribeEvent",
    )
    assert (ep.since, ep.documented_async, ep.documented_auth) == ("3.6.0", False, True)
    assert [p.name for p in ep.path_params] == ["uuid"]
    # listed under Body Fields, but DELETE parameters travel in the query string
    assert [(p.name, p.location, p.shown_location) for p in ep.query_params] == [
        ("deleteMode", Location.QUERY, Location.BODY_TOP)
    ]
    assert ep.body is None
    assert ep.response.block == "delete"
    assert ep.response.error_example is not None
    assert ep.response.error_example.parsed == {
        "error": {
            "code": "SYS.1001",
            "description": "A message or a operation timeout",
            "details": "Delete resource timeout after 300s",
        }
    }
    assert "truncated-page" not in codes(ep)


_GLUED = pages.NEWER_LAYOUT.replace("/{uuid}\nOperation ID\n", "/{uuid}Operation ID\n")


def test_newer_layout_path_glued_to_the_next_label_is_split(tmp_path: Path) -> None:
    # seen on a real page of the newer layout: `/zstack/v1/zwatch/events/subscriptions/{uuid}Operation ID`
    assert _GLUED != pages.NEWER_LAYOUT
    ep = scrape_text(tmp_path, "page.txt", _GLUED)
    assert (ep.path, ep.operation_id) == ("/zstack/v1/zwatch/events/subscriptions/{uuid}", "UnsubscribeEvent")


def test_an_endpoint_path_that_runs_into_other_text_is_an_error(tmp_path: Path) -> None:
    broken = pages.NEWER_LAYOUT.replace("/{uuid}\nOperation ID\n", "/{uuid} Operation Identity\nOperation ID\n")
    path = tmp_path / "UnsubscribeEvent.txt"
    path.write_text(broken, encoding="utf-8")
    result = scrape_page_file(path, path.name)
    assert isinstance(result, Diagnostic)
    assert "endpoint path does not parse" in result.message and result.source.line == 4


def test_truncated_page_is_a_warning_with_what_was_read(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "StartVmInstance.txt", pages.TRUNCATED)
    assert ep.operation_id == "StartVmInstance"
    assert (ep.method, ep.path) == ("PUT", "")  # cut before the Endpoint block: kept, flagged
    assert "no-endpoint" in codes(ep)
    assert ep.body is not None and ep.body.wrapper == "startVmInstance"
    assert [p.name for p in ep.body.params] == ["clusterUuid", "hostUuid"]
    assert ep.body.params[1].description == "The ho"
    warning = next(w for w in ep.warnings if w.code == "truncated-page")
    assert warning.source.line == pages.TRUNCATED.count("\n") + 1


def test_doc_bugs_are_repaired_and_reported(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "UpdateAlarm.txt", pages.BUGGY_BULLETED)
    assert ep.body is not None
    assert (ep.body.shown_wrapper, ep.body.wrapper) == ("updatealarm", "updateAlarm")
    assert rules(ep)["lowercase-wrapper"].shown == "updatealarm"
    assert [p.name for p in ep.body.params] == ["repeatCount"]  # listed twice, kept once
    assert {"duplicate-field", "concrete-uuid-in-path", "query-in-endpoint", "malformed-example-json"} <= codes(ep)
    assert ep.path == "/zstack/v1/zwatch/alarms/{uuid}/actions"
    assert ep.shown_path == "/zstack/v1/zwatch/alarms/6e1a3bdbe38045658546a6b7fb3df990/actions?"
    inventory = ep.response.fields[0]
    assert (inventory.name, inventory.ref) == ("inventory", "AlarmInventory")
    by_name = {f.name: f for f in inventory.children}
    assert by_name["type"].type == "state"  # a lower-case type name, split with the example's keys
    assert by_name["status"].kind == Kind.ENUM and by_name["status"].enum_values == ["OK", "Alarm"]
    assert ep.response_example is not None and ep.response_example.parse_error
    assert ep.response_example.parsed == {"inventory": {"uuid": "a", "type": "x"}}


def test_flat_nesting_and_second_wrapper_recovered_from_curl(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "PrimaryStorageMigrateVm.txt", pages.TWO_WRAPPERS_FLAT)
    assert ep.layout == "flat" and ep.body is not None
    assert ep.body.wrapper == "primaryStorageMigrateVm"
    assert [p.name for p in ep.body.params] == ["vmInstanceUuid", "dstPrimaryStorageUuid"]
    assert [p.name for p in ep.body.top_level] == ["systemTags", "userTags"]
    assert "flat-nesting" in rules(ep)


def test_get_with_a_wrapper_body_sends_query_params(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "UpdateOrganizationQuota.txt", pages.GET_WITH_WRAPPER)
    assert ep.body is None
    assert [(p.name, p.location, p.required) for p in ep.query_params] == [
        ("identityUuid", Location.QUERY, True),
        ("value", Location.QUERY, True),
    ]
    assert rules(ep)["get-delete-query"].shown == "updateorganizationquota"


def test_path_variable_without_listed_parameter_is_added(tmp_path: Path) -> None:
    ep = scrape_text(tmp_path, "UpdateL2Network.txt", pages.NO_PARAMS_WITH_PATH_VAR)
    assert [(p.name, p.required) for p in ep.path_params] == [("uuid", True)]
    assert "path-variable-unlisted" in codes(ep)
    assert ep.request_example is not None and ep.request_example.method == "PUT"


def test_variant_markup_gives_the_same_ir_as_the_text(tmp_path: Path) -> None:
    html = scrape_text(tmp_path, "CreateVmCdRom.html", pages.VARIANT_HTML)
    text = scrape_text(tmp_path, "CreateVmCdRom.txt", pages.VARIANT_TEXT)

    def comparable(ep: Endpoint) -> dict[str, Any]:
        data = ep.model_dump(mode="json", exclude={"source", "layout", "warnings"})
        return _strip(data)

    assert comparable(html) == comparable(text)


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "no endpoint"),
        (b"\xff\xfe\x00garbage", "binary"),
        (b"hello\n\xc3\x28 world", "invalid UTF-8"),
        (b"Skip to main content\nJust some words\n", "no endpoint"),
    ],
)
def test_unreadable_pages_are_errors_with_file_and_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "Broken.txt"
    path.write_bytes(content)
    result = scrape_page_file(path, "Broken.txt")
    assert isinstance(result, Diagnostic)
    assert message in result.message
    assert str(result).startswith("Broken.txt")


_META = re.compile(r'<div class="api-meta">(.*?)</div>', re.S)


@pytest.mark.parametrize(
    ("outer", "inner"),
    [("div", "div"), ("ul", "li"), ("div", "p")],
)
def test_meta_badges_as_blocks_of_their_own_read_as_the_meta_line(tmp_path: Path, outer: str, inner: str) -> None:
    source = (ROOT / "input_docs" / "pages" / "CreateVmCdRom.html").read_text(encoding="utf-8")
    badges = re.findall(r"<span[^>]*>([^<]*)</span>", _META.search(source).group(1))  # type: ignore[union-attr]
    assert len(badges) == 5
    blocks = "\n".join(f"<{inner}>\n  {badge}\n</{inner}>" for badge in badges)
    variant = _META.sub(lambda _: f"<{outer}>\n{blocks}\n</{outer}>", source, count=1)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "CreateVmCdRom.html").write_text(variant, encoding="utf-8")
    got = scrape_page_file(tmp_path / "a" / "CreateVmCdRom.html", "CreateVmCdRom.html")
    want = scrape_page_file(ROOT / "input_docs" / "pages" / "CreateVmCdRom.html", "CreateVmCdRom.html")
    assert isinstance(got, Endpoint) and isinstance(want, Endpoint), got
    assert (got.group, got.since, got.documented_async, got.documented_auth) == (
        "VM Instance Operations",
        "3.3.0",
        False,
        True,
    )
    assert comparable(got) == comparable(want)
