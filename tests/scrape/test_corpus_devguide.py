"""Every DEV corpus API as a Dev Guide page, in both forms (HTML, text extraction), scrapes without error,
matches its truth on every field the page shows, and the two forms give the same IR.

The HTML pages (12 MB) are kept as one `devguide-html.tar.xz` (375 KB), unpacked once per session; the
text form is kept as files, like the explorer's text forms.
"""

from __future__ import annotations

import json
import tarfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_files
from tests.conftest import CORPUS
from tests.scrape.truth_devguide import compare_devguide

NAMES = (CORPUS / "dev-apis.txt").read_text().split()
HTML_ARCHIVE = CORPUS / "devguide-html.tar.xz"
TEXT = CORPUS / "devguide-text"


@pytest.fixture(scope="session")
def devguide_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Dev Guide HTML pages, unpacked: `<folder>/NAME.html`."""
    target = tmp_path_factory.mktemp("devguide")
    with tarfile.open(HTML_ARCHIVE, "r:xz") as archive:
        archive.extractall(target, filter="data")
    return target / "devguide"


_SCRAPED: dict[str, dict[str, Endpoint | Diagnostic]] = {}


def scraped(form: str, html_folder: Path) -> dict[str, Endpoint | Diagnostic]:
    if form not in _SCRAPED:
        files = [html_folder / f"{n}.html" for n in NAMES] if form == "html" else [TEXT / f"{n}.txt" for n in NAMES]
        _SCRAPED[form] = dict(zip(NAMES, scrape_files(files), strict=True))
    return _SCRAPED[form]


@cache
def truth(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def test_corpus_has_every_dev_api_in_both_forms(devguide_html: Path) -> None:
    assert len(NAMES) == 1169
    for folder, suffix in ((devguide_html, "html"), (TEXT, "txt")):
        missing = [n for n in NAMES if not (folder / f"{n}.{suffix}").exists()]
        assert not missing, f"{folder}: {missing[:5]}"


@pytest.mark.parametrize("form", ["html", "text"])
def test_every_devguide_page_matches_truth(form: str, devguide_html: Path) -> None:
    failures: list[str] = []
    for name, result in scraped(form, devguide_html).items():
        if isinstance(result, Diagnostic):
            failures.append(f"{name}: {result}")
            continue
        failures += [f"{name}: {problem}" for problem in compare_devguide(result, truth(name))]
    assert not failures, f"{len(failures)} mismatches, first ones:\n" + "\n".join(failures[:25])


def _comparable(endpoint: Endpoint | Diagnostic) -> Any:
    assert isinstance(endpoint, Endpoint), str(endpoint)
    return _strip_sources(endpoint.model_dump(mode="json", exclude={"source", "layout"}))


def _strip_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_strip_sources(v) for v in value]
    return value


def test_html_and_text_forms_give_the_same_ir(devguide_html: Path) -> None:
    html, text = scraped("html", devguide_html), scraped("text", devguide_html)
    differ = [n for n in NAMES if _comparable(html[n]) != _comparable(text[n])]
    assert not differ, f"{len(differ)} APIs differ between the Dev Guide HTML and text forms, e.g. {differ[:5]}"
    layouts = {(r.layout, r.family) for r in [*html.values(), *text.values()] if isinstance(r, Endpoint)}
    assert layouts == {("devguide-html", "devguide"), ("devguide-text", "devguide")}


def test_what_the_family_cannot_show_is_inferred_and_recorded(devguide_html: Path) -> None:
    pages = [r for r in scraped("text", devguide_html).values() if isinstance(r, Endpoint)]
    queries = [ep for ep in pages if ep.is_query]
    assert len(queries) == 197
    for ep in queries:
        assert "query-params" in ep.not_shown
        inferred = [p.name for p in ep.query_params if p.inferred]
        assert inferred[:2] == ["conditions", "limit"] and "filterName" not in inferred
        rules = {i.rule for i in ep.inferences}
        assert "query-standard-params" in rules, ep.operation_id
        assert ("since-from-rows" in rules) == (ep.since is not None), ep.operation_id
    assert all(ep.documented_async is None and "async" in ep.not_shown for ep in pages)
    spaced = [ep for ep in pages if ep.title != ep.operation_id]
    assert len(spaced) >= 106 and not any(i.target == "operation_id" for ep in spaced for i in ep.inferences)
    assert not any(p.inferred for ep in pages if not ep.is_query for p in ep.all_params())
