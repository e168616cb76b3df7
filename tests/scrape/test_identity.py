"""A page says which API it is; the file name is the last resort and a host name never is (issue 11,
part 3). Two pages that claim one operation id and disagree are reported, naming both files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_page_file, scrape_paths
from generator.scrape.identity import file_name_candidates
from tests.conftest import CORPUS, ROOT

HTML_DIR = ROOT / "input_docs" / "pages"

# Flat pages carry no Operation ID block: they are the ones a file name could mislead. The choice
# covers an identifier title, a title with a word's case changed (`Login` for LogIn), spaced titles
# with and without an action wrapper, a page with no header, and a zh-cn page with a wrapper.
FLAT = ["CreateVmCdRom", "LogIn", "MoveDirectory", "DeleteBuildApp", "GetTaskProgress", "QueryAutoScalingGroupActivity"]
FORMS = [
    *[("flat", name) for name in FLAT],
    ("text", "CreateVmCdRom"),
    ("text", "AttachL3NetworkToVm"),
    ("html", "CreateVmCdRom"),
    ("html", "StartVmInstance"),
]


def page_path(form: str, name: str) -> Path:
    return HTML_DIR / f"{name}.html" if form == "html" else CORPUS / form / f"{name}.txt"


def scrape_as(source: Path, file_name: str, tmp_path: Path) -> Endpoint | Diagnostic:
    target = tmp_path / file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return scrape_page_file(target, "page")  # one display name: only the bytes and the file name differ


def content(endpoint: Endpoint) -> str:
    data = endpoint.model_dump(mode="json", exclude={"warnings"})
    return json.dumps(data, sort_keys=True)


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("docs.zstack-cloud.com__cloud__AddImage__1.txt", ["AddImage"]),
        ("docs.zstack-cloud.com__docs__api-explorer__en__cloud__explorer__CreateVmCdRom.html", ["CreateVmCdRom"]),
        ("saved/zh-cn__StartVmInstance.htm", ["StartVmInstance"]),
        ("LogInByAccount.txt", ["LogInByAccount"]),
        ("docs.zstack-cloud.com.txt", []),  # a host is never an API
        ("docs.txt", []),
        ("page-0001.txt", []),
        ("a3f9e0c1.html", []),
        ("API.html", []),
    ],
)
def test_api_like_segments_of_a_file_name(file_name: str, expected: list[str]) -> None:
    assert file_name_candidates(file_name) == expected


@pytest.mark.parametrize(("form", "name"), FORMS)
def test_url_like_and_meaningless_file_names_give_the_ir_of_the_api_name(form: str, name: str, tmp_path: Path) -> None:
    source = page_path(form, name)
    suffix = source.suffix
    reference = scrape_as(source, f"{name}{suffix}", tmp_path / "a")
    assert isinstance(reference, Endpoint), str(reference)
    assert reference.operation_id == name
    for file_name in (f"docs.zstack-cloud.com__cloud__{name}__1{suffix}", f"page-0007{suffix}", f"docs{suffix}"):
        got = scrape_as(source, file_name, tmp_path / "b")
        assert isinstance(got, Endpoint), f"{file_name}: {got}"
        assert content(got) == content(reference), file_name


def test_a_page_only_its_spaced_title_names_is_kept_with_a_warning(tmp_path: Path) -> None:
    got = scrape_as(CORPUS / "flat" / "DeleteBuildApp.txt", "page-0007.txt", tmp_path)
    assert isinstance(got, Endpoint) and got.operation_id == "DeleteBuildApp"
    guessed = [w for w in got.warnings if w.code == "operation-id-guessed"]
    assert len(guessed) == 1 and "Delete Build App" in guessed[0].message


def test_a_page_that_names_no_api_is_an_error_not_an_operation_named_after_the_file(tmp_path: Path) -> None:
    # zh-cn title, lower-cased wrapper, no Operation ID: nothing on the page spells the API's name.
    got = scrape_as(CORPUS / "flat" / "RecoverVmInstance.txt", "docs.zstack-cloud.com__1.txt", tmp_path)
    assert isinstance(got, Diagnostic)
    assert got.code == "page-error" and "no operation id" in got.message


def test_pages_saved_under_their_urls_stay_distinct_operations(tmp_path: Path) -> None:
    names = sorted(p.stem for p in (CORPUS / "flat").glob("*.txt"))[:40]
    for name in names:
        shutil.copyfile(CORPUS / "flat" / f"{name}.txt", tmp_path / f"docs.zstack-cloud.com__cloud__{name}__1.txt")
    result = scrape_paths([tmp_path])
    failed = [str(e) for e in result.errors]
    assert not failed
    assert sorted(e.operation_id for e in result.ir.endpoints) == names
    assert not [d for d in result.ir.diagnostics if "duplicate" in d.code]


def _claim(text: str, operation_id: str) -> str:
    lines = text.split("\n")
    index = lines.index("Operation ID")
    lines[index + 2] = operation_id  # bulleted text: label, blank line, value
    return "\n".join(lines)


def test_two_different_pages_claiming_one_id_are_reported_naming_both_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copyfile(CORPUS / "text" / "CreateVmCdRom.txt", tmp_path / "a" / "CreateVmCdRom.txt")
    impostor = _claim((CORPUS / "text" / "DeleteVmCdRom.txt").read_text(encoding="utf-8"), "CreateVmCdRom")
    (tmp_path / "b" / "CreateVmCdRom.txt").write_text(impostor, encoding="utf-8")
    result = scrape_paths([tmp_path])
    assert [e.operation_id for e in result.ir.endpoints] == ["CreateVmCdRom"]
    kept = result.ir.endpoints[0]
    notes = [d for d in result.ir.diagnostics if d.code == "conflicting-duplicate"]
    assert len(notes) == 1, result.ir.diagnostics
    message, other = notes[0].message, notes[0].source.file
    assert {kept.source.file, other} == {n for n in _files(tmp_path)}
    assert f"using {kept.source.file}" in message and f"leaving out {other}" in message
    assert "POST" in message and "DELETE" in message  # what they disagree on
    assert "ranked" in message  # and why that one won


def test_one_api_in_two_renderings_is_a_plain_duplicate_note(tmp_path: Path) -> None:
    shutil.copyfile(CORPUS / "text" / "CreateVmCdRom.txt", tmp_path / "CreateVmCdRom.txt")
    shutil.copyfile(HTML_DIR / "CreateVmCdRom.html", tmp_path / "CreateVmCdRom.html")
    result = scrape_paths([tmp_path])
    codes = [d.code for d in result.ir.diagnostics]
    assert codes == ["duplicate-operation"]
    assert result.ir.endpoints[0].layout == "html"


def _files(folder: Path) -> set[Any]:
    from generator.scrape import display_path

    return {display_path(p) for p in folder.rglob("*.txt")}
