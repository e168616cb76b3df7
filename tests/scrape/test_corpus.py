"""Every DEV corpus page, in all three forms, scrapes without error and matches its truth."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from generator.ir.model import Diagnostic, Endpoint
from generator.scrape import scrape_files
from tests.conftest import CORPUS, ROOT
from tests.scrape.truth import compare, missing_response_fields

NAMES = (CORPUS / "dev-apis.txt").read_text().split()
FORMS = {
    "text": lambda name: CORPUS / "text" / f"{name}.txt",
    "flat": lambda name: CORPUS / "flat" / f"{name}.txt",
    "html": lambda name: ROOT / "input_docs" / "pages" / f"{name}.html",
}


@cache
def scraped(form: str) -> dict[str, Endpoint | Diagnostic]:
    files = [FORMS[form](name) for name in NAMES]
    return dict(zip(NAMES, scrape_files(files), strict=True))


@cache
def truth(name: str) -> dict[str, Any]:
    return json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))


def test_corpus_has_all_dev_apis() -> None:
    assert len(NAMES) == 1169
    for form, path_of in FORMS.items():
        missing = [n for n in NAMES if not path_of(n).exists()]
        assert not missing, f"{form}: {missing[:5]}"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_page_matches_truth(form: str) -> None:
    failures: list[str] = []
    for name, result in scraped(form).items():
        if isinstance(result, Diagnostic):
            failures.append(f"{name}: {result}")
            continue
        failures += [f"{name}: {problem}" for problem in compare(result, truth(name), form)]
    assert not failures, f"{len(failures)} mismatches, first ones:\n" + "\n".join(failures[:25])


@pytest.mark.parametrize("form", ["html", "text"])
def test_the_openapi_export_has_every_documented_response_field_at_its_place(form: str) -> None:
    # The merged registry types, not each page's own tree: a type's fields, children and element types
    # come from whichever page shows them. Pages that show no tree (empty-object, DELETE) have nothing.
    from generator.openapi import to_openapi
    from generator.scrape import assemble_ir

    results = [r.model_copy(deep=True) for r in scraped(form).values()]
    document = to_openapi(assemble_ir(results).ir)
    missing: list[str] = []
    shown = [n for n in NAMES if truth(n)["rendering"]["response_block"] == "tree"]
    for name in shown:
        missing += missing_response_fields(document, truth(name))
    assert len(shown) > 800
    assert not missing, f"{len(missing)} documented response fields missing, first ones:\n" + "\n".join(missing[:25])


def _comparable(endpoint: Endpoint, *, drop_response: bool = False) -> dict[str, Any]:
    # `description` is the HTML meta summary: the text renderings do not carry it
    data = endpoint.model_dump(mode="json", exclude={"source", "layout", "warnings", "description"})
    if drop_response:
        data.pop("response")
        data.pop("breadcrumb"), data.pop("group"), data.pop("since"), data.pop("title")
        data.pop("documented_async"), data.pop("documented_auth")
        data["repairs"] = [r for r in data["repairs"] if r["rule"] != "flat-nesting"]
    return _strip_sources(data)


def _strip_sources(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_sources(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_strip_sources(v) for v in value]
    return value


def test_html_and_bulleted_forms_give_the_same_ir() -> None:
    text, html = scraped("text"), scraped("html")
    differ = [n for n in NAMES if _comparable(text[n]) != _comparable(html[n])]  # type: ignore[arg-type]
    assert not differ, f"{len(differ)} APIs differ between bulleted and HTML, e.g. {differ[:5]}"


def test_flat_form_gives_the_same_ir_except_what_it_cannot_show() -> None:
    text, flat = scraped("text"), scraped("flat")
    differ = []
    for name in NAMES:
        if "flat-no-header" in truth(name)["quirks"]:
            continue  # no breadcrumb, header or operation id to compare
        if _comparable(text[name], drop_response=True) != _comparable(flat[name], drop_response=True):  # type: ignore[arg-type]
            differ.append(name)
    assert not differ, f"{len(differ)} APIs differ between bulleted and flat, e.g. {differ[:5]}"
