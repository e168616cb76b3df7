"""Dev Guide HTML pages read by what their elements mean: the same pages re-marked up (no classes or
ids, ARIA headings, ARIA tables, columns in another order, a header row of `td` cells, pretty-printed)
give the same IR; a table that cannot be read is an error at its heading, never a lost response."""

from __future__ import annotations

import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_files
from tests.conftest import CORPUS

# An action with a wrapper, a Query (no parameter table, many response tables), a create, an update
# with nested parameters, a zh-cn page.
NAMES = ["StartVmInstance", "QueryVmInstance", "CreateVmCdRom", "UpdateVmInstance", "AddImageStoreBackupStorage"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    with tarfile.open(CORPUS / "devguide-html.tar.xz", "r:xz") as archive:
        found = {}
        for member in archive.getmembers():
            name = Path(member.name).stem
            if name in NAMES and member.isfile():
                handle = archive.extractfile(member)
                assert handle is not None
                found[name] = handle.read().decode("utf-8")
    assert set(found) == set(NAMES)
    return found


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml")


def no_classes(text: str) -> str:
    soup = _soup(text)
    for tag in soup.find_all(True):
        for attribute in ("class", "id", "scope", "border", "frame", "rules"):
            tag.attrs.pop(attribute, None)
    return str(soup)


def aria_headings(text: str) -> str:
    soup = _soup(text)
    for level in (1, 2, 3, 4):
        for heading in soup.find_all(f"h{level}"):
            heading.name, heading.attrs = "div", {"role": "heading", "aria-level": str(level)}
    return str(soup)


def aria_tables(text: str) -> str:
    soup = _soup(text)
    for table in soup.find_all("table"):
        table.name, table.attrs = "div", {"role": "table"}
        for group in table.find_all(["thead", "tbody"]):
            group.unwrap()
        for name, role in (("tr", "row"), ("th", "columnheader"), ("td", "cell")):
            for element in table.find_all(name):
                element.name, element.attrs = "div", {"role": role}
    return str(soup)


def columns_swapped(text: str) -> str:
    soup = _soup(text)
    for row in soup.find_all("tr"):
        cells = row.find_all(["th", "td"], recursive=False)
        if len(cells) >= 2:
            cells[1].extract()
            cells[0].insert_before(cells[1])  # Type | Name | ...
    return str(soup)


def header_of_td_cells(text: str) -> str:
    soup = _soup(text)
    for head in soup.find_all("thead"):
        for cell in head.find_all("th"):
            bold = soup.new_tag("b")
            bold.string = cell.get_text()
            cell.name = "td"
            cell.clear()
            cell.append(bold)
        head.unwrap()
    return str(soup)


def pretty(text: str) -> str:
    return _soup(text).prettify()


MARKUPS: dict[str, Callable[[str], str]] = {
    f.__name__: f for f in (no_classes, aria_headings, aria_tables, columns_swapped, header_of_td_cells, pretty)
}


def _comparable(result: Endpoint | Diagnostic) -> Any:
    assert isinstance(result, Endpoint), str(result)

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("source", "warnings", "raw")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(result.model_dump(mode="json"))


@pytest.mark.parametrize("markup", sorted(MARKUPS))
def test_a_re_marked_up_page_gives_the_same_ir(markup: str, pages: dict[str, str], tmp_path: Path) -> None:
    for name, text in pages.items():
        original, changed = tmp_path / "original" / f"{name}.html", tmp_path / markup / f"{name}.html"
        for path, body in ((original, text), (changed, MARKUPS[markup](text))):
            path.parent.mkdir(exist_ok=True)
            path.write_text(body, encoding="utf-8")
        before, after = scrape_files([original, changed])
        assert _comparable(after) == _comparable(before), f"{name} in {markup}"


def test_a_response_table_that_cannot_be_read_is_an_error_at_its_heading(pages: dict[str, str], tmp_path: Path) -> None:
    soup = _soup(pages["QueryVmInstance"])
    heading = soup.find("h4", string="#inventories")
    assert heading is not None
    table = heading.find_next("table")
    for cell in table.find("thead").find_all("th"):  # column titles nobody knows: not a field table
        cell.string = "Spalte"
    page = tmp_path / "QueryVmInstance.html"
    page.write_text(str(soup), encoding="utf-8")
    (result,) = scrape_files([page])
    assert isinstance(result, Diagnostic), "a response type whose table was not read was published"
    assert "'#inventories'" in result.message and result.source.file == str(page)
    lines = str(soup).splitlines()
    line = lines.index(next(text for text in lines if "#inventories" in text)) + 1
    assert result.source.line == line


def _tab_extraction(html: str, text_page: str) -> str:
    """The page as copying it out of a browser gives it: table rows with their cells joined by tabs (list
    items of a cell by spaces), a blank line after each row; the header (navigation path and title)
    as the corpus's text form has it."""
    soup = _soup(html)
    for row in soup.find_all("tr"):
        row.replace_with("\t".join(cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])) + "\n\n")
    for block in soup.find_all(["h1", "h2", "h3", "h4", "pre", "p", "li"]):
        block.insert_after("\n")
    body = soup.get_text()
    start = body.index("API Request") if "API Request" in body else body.index("API请求")
    head = text_page[: text_page.index(body[start : start + 7])]
    return head + body[start:]


def _shape(result: Endpoint | Diagnostic) -> Any:
    """What a caller gets: each parameter's name, type, place, required flag, description and version."""
    assert isinstance(result, Endpoint), str(result)
    params = [(p.name, p.type, p.location, p.required, p.description) for p in result.all_params()]
    fields = [(f.name, f.type, f.description) for f in result.response.fields]
    return (result.operation_id, result.method, result.path, result.since, params, fields, result.group)


def test_tab_separated_table_rows_read_as_the_text_form(pages: dict[str, str], tmp_path: Path) -> None:
    for name, html in pages.items():
        text_page = (CORPUS / "devguide-text" / f"{name}.txt").read_text(encoding="utf-8")
        page = tmp_path / f"{name}.txt"
        page.write_text(_tab_extraction(html, text_page), encoding="utf-8")
        assert "\t" in page.read_text(encoding="utf-8")
        reference, tabbed = scrape_files([CORPUS / "devguide-text" / f"{name}.txt", page])
        assert _shape(tabbed) == _shape(reference), name
