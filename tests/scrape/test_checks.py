"""Every page checks itself (issue 11, part 2): a section that yields nothing, an announced response
tree that comes out empty, or a curl body the field lists do not know is an error naming the file
and line with what was read, or a warning where the page can still be used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_page_file
from tests.conftest import DATA

SEED = (DATA / "CreateVmCdRom.txt").read_text(encoding="utf-8")


def between(text: str, start: str, end: str, replacement: str) -> str:
    """`text` with what lies between the blocks `start` and `end` replaced."""
    head, rest = text.split(f"\n\n{start}\n\n", 1)
    _, tail = rest.split(f"\n\n{end}\n\n", 1)
    return f"{head}\n\n{start}\n\n{replacement}\n\n{end}\n\n{tail}"


def scrape(tmp_path: Path, text: str) -> Endpoint | Diagnostic:
    assert text != SEED
    path = tmp_path / "CreateVmCdRom.txt"
    path.write_text(text, encoding="utf-8")
    return scrape_page_file(path, "CreateVmCdRom.txt")


def line_of(text: str, block: str) -> int:
    return text.split("\n").index(block) + 1


def test_the_unchanged_seed_passes_every_check(tmp_path: Path) -> None:
    path = tmp_path / "CreateVmCdRom.txt"
    path.write_text(SEED, encoding="utf-8")
    result = scrape_page_file(path, path.name)
    assert isinstance(result, Endpoint)
    assert not [w for w in result.warnings if w.code == "curl-keys-unread"]


def test_a_parameter_section_with_no_readable_field_is_an_error_with_counts(tmp_path: Path) -> None:
    prose = "The body carries name and vmInstanceUuid in params.\n\nsystemTags and userTags go beside it."
    page = between(SEED, "Body Fields", "Responses", prose)
    result = scrape(tmp_path, page)
    assert isinstance(result, Diagnostic) and result.code == "page-error"
    assert result.source.line == line_of(page, "Body Fields")
    assert "0 body fields read from 2 lines" in result.message


def test_request_inputs_without_any_parameter_section_is_an_error(tmp_path: Path) -> None:
    page = SEED.replace("Request Inputs\n\nBody Fields\n\n", "Request Inputs\n\n", 1)
    result = scrape(tmp_path, page)
    assert isinstance(result, Diagnostic)
    assert result.source.line == line_of(page, "Request Inputs")
    assert "no parameter section" in result.message


def test_an_announced_response_tree_that_comes_out_empty_is_an_error(tmp_path: Path) -> None:
    hint = "On success, this API returns the following response structure."
    head, rest = SEED.split(hint, 1)
    tail = rest[rest.index("\n\nEndpoint\n\n") :]
    page = head + hint + "\n\nThe inventory of the new CD-ROM, and an error when it failed." + tail
    result = scrape(tmp_path, page)
    assert isinstance(result, Diagnostic)
    assert result.source.line == line_of(page, "Responses")
    assert "0 response fields were read" in result.message


def test_curl_body_keys_with_no_field_list_read_is_an_error(tmp_path: Path) -> None:
    page = SEED.replace(
        SEED[SEED.index("Body Fields\n\n") : SEED.index("\n\nResponses\n\n")],
        "This API requires no request parameters.",
    )
    result = scrape(tmp_path, page)
    assert isinstance(result, Diagnostic)
    assert re.search(
        r"the curl example sends 3 body keys \(params, systemTags, userTags\) but 0 fields", result.message
    )


@pytest.mark.parametrize(
    ("dropped", "warned"), [(["isoUuid", "description", "resourceUuid", "name"], True), (["isoUuid"], False)]
)
def test_curl_keys_mostly_unknown_to_the_field_list_are_a_warning(
    tmp_path: Path, dropped: list[str], warned: bool
) -> None:
    page = SEED
    for name in dropped:
        page = re.sub(rf"\n    • {name}String(Required)?\n\n      [^\n]*\n", "\n", page, count=1)
    result = scrape(tmp_path, page)
    assert isinstance(result, Endpoint)
    assert len(list(result.all_params())) == 7 - len(dropped)
    unread = [w for w in result.warnings if w.code == "curl-keys-unread"]
    assert bool(unread) == warned
    if warned:
        assert "7 body keys and 4 of them" in unread[0].message
