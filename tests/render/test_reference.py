"""api.md and the group pages: every group and method, links that land, tables hostile text cannot break."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from generator.ir.model import Kind, Location
from generator.render import render_sdk
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param

EVIL = "a | b `c` ``` <script>x</script> [link](javascript:alert(1)) *em* _u_ \\ ~s~"


def _sdk() -> dict[str, str]:
    ir = ir_of(
        endpoint(
            "CreateVip",
            group="VIP Operations",
            title="Create a VIP",
            params=[
                param("name", required=True, description=EVIL),
                param("fields", Kind.LIST, type_="List", element_type="String"),
                param("mode", valid_values=["a|b", "c`d"], required=True),
            ],
            fields=[error_field(), field("inventory", Kind.OBJECT, type_="VipInventory", children=[field("uuid")])],
            example={"inventory": {"uuid": "u"}},
        ),
        endpoint(
            "GetVipQos",
            method="GET",
            group="Vip Operations",
            path="/zstack/v1/vips/{uuid}/qos",
            path_params=[param("uuid", location=Location.PATH, required=True)],
        ),
        endpoint("DeleteZone", method="DELETE", group="Zone Operations", path="/zstack/v1/zones/{uuid}"),
        types=[error_code_type()],
    )
    return render_sdk(ir, "acme").files


def _tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cells, as a CommonMark+GFM renderer reads them."""
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close" and row is not None:
            tables[-1].append(row)
            row = None
    return tables


def test_api_md_lists_every_group_and_method_and_links_to_their_pages() -> None:
    files = _sdk()
    index = files["api.md"]
    assert set(re.findall(r'href="(reference/[a-z_]+\.md)#', index)) == {"reference/vip.md", "reference/zone.md"}
    methods = re.findall(r'<a href="reference/([a-z_]+)\.md#([a-z_]+)">', index)
    assert sorted(methods) == [("vip", "create_vip"), ("vip", "get_vip_qos"), ("zone", "delete_zone")]
    for page, method in methods:  # each link lands on a heading of that page
        assert f"\n## {method}\n" in files[f"reference/{page}.md"]
    assert "client.vip.<a" in index and "(*, name, mode, ...) -&gt; CreateVipResponse" in index
    assert 'also documented as "Vip Operations"' in index
    assert "[api.md](api.md)" in files["README.md"]


def test_a_group_page_gives_signature_arguments_returned_fields_and_an_example() -> None:
    page = _sdk()["reference/vip.md"]
    section = page[page.index("\n## create_vip\n") : page.index("\n## get_vip_qos\n")]
    assert "client.vip.create_vip(\n    *,\n    name: str,\n" in section
    assert "    fields: list[str] | None = None,\n" in section  # the argument, not the model's `fields_`
    arguments, returned = _tables(section)
    assert [row[0] for row in arguments] == ["Argument", "`name`", "`mode`", "`fields`"]
    assert [row[2] for row in arguments[1:]] == ["yes", "yes", "no"]
    assert arguments[2][3].endswith("One of: a|b, c\\`d.")  # the cell as read: the pipe is text
    assert [row[0] for row in returned] == ["Field", "`error`", "`inventory`"]
    assert 'result = client.vip.create_vip(name="example-name", mode="a|b")' in section


def test_hostile_page_text_stays_text_in_the_tables() -> None:
    page = _sdk()["reference/vip.md"]
    for table in _tables(page):
        assert len({len(row) for row in table}) == 1  # no cell split or merged by the text
    html = MarkdownIt("commonmark").enable("table").render(page)
    assert "<script>" not in html and 'href="javascript' not in html and "<em>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_the_reference_is_the_same_whatever_the_order_of_the_pages() -> None:
    files = _sdk()
    assert files == _sdk()
    assert [path for path in files if path.endswith(".md")] == [
        "README.md",
        "api.md",
        "reference/vip.md",
        "reference/zone.md",
    ]


def test_an_example_imports_what_its_arguments_need() -> None:
    spec = param(
        "spec", Kind.OBJECT, type_="Object", required=True, children=[param("size", Kind.INTEGER, required=True)]
    )
    when = param("when", Kind.TIMESTAMP, type_="Timestamp", required=True)
    ir = ir_of(endpoint("CreateThing", params=[spec, when], fields=[error_field()]), types=[error_code_type()])
    page = render_sdk(ir, "acme").files["reference/thing.md"]
    example = page[page.index("Example:") :]
    imports = re.findall(r"^(?:import|from) .*$", example, re.MULTILINE)
    assert imports[0] == "import datetime" and re.fullmatch(r"from acme\.models\.thing import \w+", imports[1])
    cls = imports[1].rsplit(" ", 1)[1]
    assert f"spec={cls}(size=1)" in example and "when=datetime.datetime(" in example
