"""`sdkgen lint` over the DEV corpus reports the doc-bug quirks each truth records, on exactly the
pages that have them, and nothing else at warning or error level.

What a page is expected to trip comes from its truth alone: its doc-bug quirks (mapped by
generator.lint.quirks), kept only where the page shows them (Chinese or placeholder descriptions
that sit only in a response tree the page does not show leave nothing to see), plus the one doc
bug the truth records in its data rather than in `quirks`: a path parameter marked optional.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.lint import DOC_BUG_QUIRKS, LAYOUT_QUIRKS, Finding, Level, lint_paths
from tests.conftest import CORPUS, ROOT

NAMES = (CORPUS / "dev-apis.txt").read_text().split()
FOLDERS = {"text": CORPUS / "text", "html": ROOT / "input_docs" / "pages", "flat": CORPUS / "flat"}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
PLACEHOLDERS = {"No description provided.", "暂无描述。"}


@cache
def truth(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / "truth" / f"{name}.json").read_text(encoding="utf-8"))
    return data


@cache
def findings(form: str) -> dict[str, list[Finding]]:
    by_page: dict[str, list[Finding]] = defaultdict(list)
    for item in lint_paths([FOLDERS[form]]):
        by_page[Path(item.file).stem].append(item)
    return by_page


def _nodes(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for node in fields:
        if not node.get("enum_value"):
            yield node
            yield from _nodes(node.get("children", []))


def shown_descriptions(name: str, form: str) -> list[str]:
    """Descriptions the page shows: parameters always, the response tree where it is drawn."""
    data = truth(name)
    shown = [p["description"] for p in data["params"]]
    if form != "flat" and data["rendering"]["response_block"] == "tree":
        shown += [n["description"] for n in _nodes(data["response"]["fields"])]
    return shown


def expected_rules(name: str, form: str) -> set[str]:
    data = truth(name)
    rules = {DOC_BUG_QUIRKS[q] for q in data["quirks"] if q in DOC_BUG_QUIRKS}
    shown = shown_descriptions(name, form)
    if not any(CJK.search(text) for text in shown):
        rules.discard("untranslated-description")
    if not any(text in PLACEHOLDERS for text in shown):
        rules.discard("placeholder-description")
    if any(p["location"] == "path" and not p["required"] for p in data["params"]):
        rules.add("path-param-optional")
    return rules


def test_every_quirk_is_classified() -> None:
    seen = {q for name in NAMES for q in truth(name)["quirks"]}
    assert seen == set(DOC_BUG_QUIRKS) | LAYOUT_QUIRKS
    assert not set(DOC_BUG_QUIRKS) & LAYOUT_QUIRKS


@pytest.mark.parametrize("form", sorted(FOLDERS))
def test_lint_reports_exactly_the_doc_bugs_of_each_page(form: str) -> None:
    found = findings(form)
    assert set(found) <= set(NAMES), "a finding names a file that is not a corpus page"
    problems = []
    for name in NAMES:
        got = {f.rule for f in found.get(name, []) if f.severity != Level.INFO}
        want = expected_rules(name, form)
        if got != want:
            problems.append(f"{name}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    assert not problems, f"{len(problems)} pages differ, first ones:\n" + "\n".join(problems[:20])


def test_corpus_exercises_every_doc_bug_rule() -> None:
    """Guards the test above against passing vacuously."""
    rules = {f.rule for items in findings("text").values() for f in items}
    assert set(DOC_BUG_QUIRKS.values()) | {"path-param-optional"} <= rules
    clean = [n for n in NAMES if not expected_rules(n, "text")]
    assert len(clean) > 100, "the corpus has pages without doc bugs"


def test_missing_descriptions_are_exactly_the_empty_ones_of_the_truth() -> None:
    found = findings("text")
    problems = []
    for name in NAMES:
        got = sum(1 for f in found.get(name, []) if f.rule == "missing-description")
        want = sum(1 for text in shown_descriptions(name, "text") if not text.strip())
        if got != want:
            problems.append(f"{name}: {got} missing-description findings, truth has {want} empty descriptions")
    assert not problems, "\n".join(problems[:20])


def test_findings_point_at_lines_of_their_page() -> None:
    for form in ("text", "html"):
        for name, items in findings(form).items():
            for item in items:
                assert item.line is not None and item.line >= 1, item
                assert item.operation == name, item
