"""The three report formats: structure, order, and safety against hostile doc text."""

from __future__ import annotations

import json

from generator.changelog import build_changelog
from generator.diff import DiffReport, diff_irs, render_json, render_markdown, render_text
from generator.diff.report import md_code, md_text
from tests.diff.diff_builders import endpoint, field, ir, param


def _sample() -> DiffReport:
    old = ir(
        endpoint("CreateVm", params=[param("name", required=True)], group="VM Instance Operations"),
        endpoint("DeleteZone", "DELETE", "/zstack/v1/zones/{uuid}", wrapper=None, group="Zone Operations"),
        endpoint("GetZone", "GET", "/zstack/v1/zones/{uuid}", wrapper=None, group="Zone Operations"),
    )
    new = ir(
        endpoint(
            "CreateVm",
            params=[param("name", required=True), param("imageUuid", required=True), param("tagUuids", "List")],
            fields=[field("inventory", "VmInstanceInventory")],
            group="VM Instance Operations",
        ),
        endpoint("GetZone", "GET", "/zstack/v1/zones/{uuid}", wrapper=None, group="Zone Operations", since="4.0.0"),
    )
    return diff_irs(old, new, "v1.json", "v2.json")


def test_json_has_the_documented_shape() -> None:
    document = json.loads(render_json(_sample()))
    assert list(document) == ["old", "new", "summary", "changes"]
    assert document["old"] == {"source": "v1.json", "operations": 3}
    assert document["summary"]["breaking"] == 2
    assert document["summary"]["changes"] == 5
    assert document["changes"][0] == {
        "operation": "CreateVm",
        "kind": "param_added",
        "path": "imageUuid",
        "breaking": True,
        "old": None,
        "new": {"type": "String", "location": "body", "required": True},
    }
    assert {c["kind"] for c in document["changes"]} == {
        "param_added",
        "response_field_added",
        "operation_removed",
        "since_changed",
    }


def test_markdown_puts_a_summary_table_then_breaking_changes_by_group() -> None:
    text = render_markdown(_sample())
    table = text.index("| change | breaking | non-breaking |")
    breaking = text.index("### Breaking changes (2)")
    non_breaking = text.index("### Non-breaking changes (3)")
    assert table < breaking < non_breaking
    breaking_part = text[breaking:non_breaking]
    assert breaking_part.index("#### VM Instance Operations") < breaking_part.index("#### Zone Operations")
    assert "new required parameter `imageUuid`" in breaking_part
    assert "operation removed" in breaking_part
    assert "tagUuids" not in breaking_part
    assert "| `param_added` | 1 | 1 |" in text
    assert "| **total** | **2** | **3** |" in text


def test_text_lists_breaking_first_and_has_no_markup() -> None:
    text = render_text(_sample())
    assert text.index("BREAKING (2)") < text.index("NON-BREAKING (3)")
    assert "    - new required parameter imageUuid (String, body)" in text
    assert "`" not in text
    assert "\x1b" not in text
    assert "\x1b[" in render_text(_sample(), color=True)


def test_no_changes_is_said_plainly() -> None:
    same = ir(endpoint("GetZone"))
    assert "No changes." in render_text(diff_irs(same, same))
    assert "### Breaking" not in render_markdown(diff_irs(same, same))


def test_hostile_names_cannot_escape_markup_or_drive_the_terminal() -> None:
    evil = "x`y|<script>\x1b[2J\nz"
    old = ir(endpoint("Op", params=[param(evil)], group="G|<b>*"))
    new = ir(endpoint("Op", group="G|<b>*"))
    report = diff_irs(old, new)
    markdown = render_markdown(report)
    # in a code span HTML is shown, not run; a longer fence keeps the backtick inside
    assert "parameter ``x`y|<script> [2J z`` removed" in markdown
    assert "<b>" not in markdown and "\x1b" not in markdown
    assert "#### G\\|&lt;b&gt;\\*" in markdown
    text = render_text(report, color=False)
    assert "\x1b" not in text
    assert all("\n" not in line for line in text.splitlines())


def test_hostile_type_names_are_escaped_in_markdown_and_changelog() -> None:
    evil_type = "List<img src=x onerror=alert(1)>"
    old = ir(endpoint("Op", fields=[field("a", evil_type)]))
    new = ir(endpoint("Op", fields=[field("b", evil_type)]))
    report = diff_irs(old, new)
    for text in (render_markdown(report), build_changelog(report).markdown):
        assert "<img" not in text
        assert "List&lt;img src=x onerror=alert(1)&gt;" in text


def test_markdown_helpers() -> None:
    assert md_code("a") == "`a`"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`a") == "`` `a ``"
    assert md_text("a_b *c*") == "a\\_b \\*c\\*"
