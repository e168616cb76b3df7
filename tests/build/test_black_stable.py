"""The renderer's formatting without black on whole files is exactly black's.

`format_python` trusts the emitter's layout and runs black only on the statements holding a line
black would change. These tests render real and hostile IR, keep every module's unformatted
source, and check, module by module, that the result is what black makes of that source, and
that black leaves the result alone.
"""

from __future__ import annotations

from pathlib import Path

import black
import pytest

from generator.ir.model import IR, Kind
from generator.render import render_sdk
from generator.render.emit import FormatSession, black_mode, black_would_change, format_python, format_session
from generator.scrape import assemble_ir, scrape_paths
from tests.build.conftest import PAGES
from tests.conftest import CORPUS, DATA, ROOT
from tests.render.builders import endpoint, error_code_type, error_field, field, ir_of, param

Sources = list[tuple[str, str]]


def _rendered_sources(ir: IR, monkeypatch: pytest.MonkeyPatch) -> Sources:
    """(path, unformatted source) of every module render_sdk formats."""
    seen: Sources = []
    real = format_python

    def recording(path: str, source: str, owners: dict[str, str] | None = None) -> str:
        seen.append((path, source))
        return real(path, source, owners)

    monkeypatch.setattr("generator.render.sdk.format_python", recording)
    render_sdk(ir, "acme")
    monkeypatch.undo()
    return seen


def _edge_ir() -> IR:
    """Text that makes black rewrite short lines, and names that make long ones."""
    long_id = "SynchronizeAliyunVirtualRouterEntriesFromRemoteDataCenterWithAVeryLongOperationName"
    quotes = 'Say "hello" to the "server"; it\'s fine'
    wide = "中文说明" * 20  # 80 characters, 160 columns
    combining = "e\u0301" * 70  # 140 characters, 70 columns
    values = [f"VeryLongEnumValueNumber{i}" for i in range(12)]
    return ir_of(
        endpoint(
            long_id,
            group="Hybrid Cloud Operations With An Unusually Long Group Name For Testing",
            params=[
                param("mode", required=True, valid_values=values, description=quotes),
                param("label", description=wide),
                param("accent", description=combining),
                param("size", Kind.NUMBER, description='"quoted at both ends"'),
                param("path", description="C:\\temp\\ ends in a backslash \\"),
            ],
            fields=[
                error_field(),
                field("state", Kind.ENUM, type_="State", enum_values=[*values, 'with "quotes"']),
                field("ratio", Kind.NUMBER, description=wide + quotes),
            ],
            example={"ratio": 1e16, "state": "VeryLongEnumValueNumber1", "tiny": 1e-7},
            title='"Quoted" title ending in a quote"',
        ),
        endpoint(
            "QueryThing",
            method="GET",
            group="Thing Operations",
            is_query=True,
            fields=[error_field(), field("name", description=combining + " " + wide)],
            example={"value": 12345678901234567890, "big": 1.5e300},
        ),
        types=[error_code_type()],
    )


def _corpus_ir() -> IR:
    pages = [CORPUS / "text" / f"{name}.txt" for name in PAGES] + [DATA / "CreateVmCdRom.txt"]
    html = sorted((ROOT / "input_docs" / "pages").glob("*.html"))[::150]  # a few real HTML pages
    return scrape_paths([p.relative_to(ROOT) for p in [*pages, *html]]).ir


def _assert_black_equivalent(sources: Sources) -> None:
    for path, source in sources:
        fast = format_python(path, source)
        assert fast == black.format_str(source, mode=black_mode()), f"{path}: not black's layout"
        assert black.format_str(fast, mode=black_mode()) == fast, f"{path}: black would change it again"


def test_corpus_modules_are_formatted_as_black_formats_them(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _rendered_sources(_corpus_ir(), monkeypatch)
    assert len(sources) > 20
    _assert_black_equivalent(sources)


def test_edge_cases_are_formatted_as_black_formats_them(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _rendered_sources(_edge_ir(), monkeypatch)
    flagged = [path for path, source in sources if any(black_would_change(line) for line in source.split("\n"))]
    assert len(flagged) >= 3  # the edge cases do reach the black path
    _assert_black_equivalent(sources)


def test_hostile_pages_are_formatted_as_black_formats_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Hostile texts and names from the hostile corpus, scraped, then rendered together."""
    cases = pytest.importorskip("tests.hostile.cases")
    from generator.ir.model import Endpoint
    from generator.scrape import scrape_page_file

    endpoints = []
    for index, case in enumerate(c for c in cases.all_cases() if c.name.startswith("hostile-")):
        page = tmp_path / case.filename
        page.write_bytes(case.data)
        result = scrape_page_file(page, case.filename)
        if isinstance(result, Endpoint):
            endpoints.append(result.model_copy(update={"operation_id": f"Hostile{index}"}))
    assert len(endpoints) > 10
    _assert_black_equivalent(_rendered_sources(assemble_ir(endpoints).ir, monkeypatch))


@pytest.mark.parametrize(
    "line",
    [
        'x = "He said \\"hi\\""',  # black re-quotes: 'He said "hi"'
        "x = 1e+16",  # black drops the exponent sign
        '    """Ends in a quote\\""""',  # black pads: `\" """`
        '    """"Starts with a quote"""',  # black pads: `""" "Starts`
        "x = " + "a" * 117,  # too long
        'x = "' + "中" * 60 + '"',  # 66 characters, 126 columns
        'x = "' + "e\u0301" * 60 + '"',  # 126 characters, 66 columns: black may join what was split
    ],
)
def test_lines_black_would_change_are_flagged(line: str) -> None:
    assert black_would_change(line)


@pytest.mark.parametrize(
    "statement",
    ['x = "He said \\"hi\\""\n', "x = 1e+16\n", 'def f():\n    """Ends in a quote\\""""\n'],
)
def test_black_does_change_what_is_flagged(statement: str) -> None:
    """The flags are needed: black rewrites each of these although the line is short."""
    assert black.format_str(statement, mode=black_mode()) != statement
    assert format_python("m.py", statement) == black.format_str(statement, mode=black_mode())


def test_split_empty_brackets_are_joined_in_a_module_with_non_ascii_text_too() -> None:
    source = 'X = "中文"\nSPEC = f(\n    params=(\n    ),\n)\n'
    assert black.format_str(source, mode=black_mode()) != source
    assert format_python("m.py", source) == black.format_str(source, mode=black_mode())


def test_plain_short_lines_are_not_flagged() -> None:
    for line in ['x = "plain"', "    def method(self) -> None:", 'y = "中文"', "z = 1e-05", ""]:
        assert not black_would_change(line)


def test_statements_are_formatted_at_their_own_depth_and_cached() -> None:
    """A long line deep in a class is laid out with the class's indentation; the second time from the memo."""
    long_call = "self.transport.call(" + ", ".join(f"argument_number_{i}" for i in range(8)) + ")"
    source = f"class A:\n    def f(self) -> None:\n        if True:\n            {long_call}\n"
    session = FormatSession()
    with format_session(session):
        first = format_python("m.py", source)
        assert session.black_runs == 1
        second = format_python("m.py", source)
    assert first == second == black.format_str(source, mode=black_mode())
    assert session.black_runs == 1  # served from the memo


@pytest.mark.slow
def test_every_module_of_the_real_api_is_formatted_as_black_formats_it(monkeypatch: pytest.MonkeyPatch) -> None:
    ir = scrape_paths([Path("input_docs")]).ir
    _assert_black_equivalent(_rendered_sources(ir, monkeypatch))
