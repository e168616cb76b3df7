"""Two ZStack releases three years apart: scraped from their pages, the diff must be exactly the expected one.

`tests/data/versions/expected-diff.json` lists, per API, what changed between
4.2.0 and HEAD (descriptions, titles, quirks and enum constants aside). Our
changes are mapped onto its vocabulary and both sides compared as sets, so a
mismatch reads "API key: missing ..." (expected, not found) or "unexpected ...".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.diff import Change, ChangeKind, DiffReport, diff_irs
from generator.scrape import scrape_paths

DATA = Path(__file__).resolve().parents[1] / "data"
VERSIONS = DATA / "versions"
TRUTH = DATA / "corpus" / "truth"  # the truth of the NEW pages (they are identical to corpus/text)

K = ChangeKind

# Our kind -> the expected file's key, for changes to one API's own fields.
_SCALAR_KEYS = {
    K.METHOD_CHANGED: "method",
    K.PATH_CHANGED: "path",
    K.WRAPPER_CHANGED: "body_wrapper",
    K.ASYNC_CHANGED: "async",
    K.AUTH_CHANGED: "auth",
    K.SINCE_CHANGED: "since",
}
_PARAM_VALUE_KEYS = {
    K.PARAM_REQUIRED_CHANGED: "params_required_changed",
    K.PARAM_TYPE_CHANGED: "params_type_changed",
    K.PARAM_LOCATION_CHANGED: "params_location_changed",
}
_FIELD_KEYS = {
    K.RESPONSE_FIELD_ADDED: ("response_fields_added", "new"),
    K.RESPONSE_FIELD_REMOVED: ("response_fields_removed", "old"),
}

Fact = tuple[str, str, str]  # (api, key, canonical JSON of one item)


def _fact(api: str, key: str, item: Any) -> Fact:
    return api, key, json.dumps(item, sort_keys=True, ensure_ascii=False)


def _as_expected(change: Change) -> Iterator[Fact]:
    """One of our changes in the expected file's terms (nothing for doc-only changes)."""
    api, kind = change.operation, change.kind
    if kind is K.OPERATION_ADDED:
        yield _fact("*", "apis_added", api)
    elif kind is K.OPERATION_REMOVED:
        yield _fact("*", "apis_removed", api)
    elif kind in _SCALAR_KEYS:
        yield _fact(api, _SCALAR_KEYS[kind], {"old": change.old, "new": change.new})
    elif kind in (K.PARAM_ADDED, K.PARAM_REMOVED):
        summary = change.new if kind is K.PARAM_ADDED else change.old
        assert isinstance(summary, dict)
        key = "params_added" if kind is K.PARAM_ADDED else "params_removed"
        yield _fact(api, key, {"name": change.path, **summary})
    elif kind in _PARAM_VALUE_KEYS:
        yield _fact(api, _PARAM_VALUE_KEYS[kind], {"name": change.path, "old": change.old, "new": change.new})
    elif kind in _FIELD_KEYS:
        key, side = _FIELD_KEYS[kind]
        yield _fact(api, key, {"field": change.path, "type": getattr(change, side)})
    elif kind is K.RESPONSE_FIELD_TYPE_CHANGED:
        yield _fact(api, "response_fields_type_changed", {"field": change.path, "old": change.old, "new": change.new})
    elif kind is not K.DESCRIPTION_CHANGED:
        yield _fact(api, kind.value, {"old": change.old, "new": change.new})  # e.g. a rename: never expected here


def _shows_no_response_tree(api: str, changed: dict[str, Any]) -> bool:
    """A DELETE page rendered with the DELETE block (quirk `response-delete-block`) shows no response tree.

    The expected diff is made from the API definitions, so it lists response field
    changes that neither version's page shows; no page-based differ can see them.
    The quirk is a function of the API name, so a DELETE API whose method did not
    change has the block on both versions' pages.
    """
    truth = json.loads((TRUTH / f"{api}.json").read_text(encoding="utf-8"))
    return truth["rendering"]["response_block"] == "delete" and "method" not in changed


def _expected_facts(expected: dict[str, Any]) -> set[Fact]:
    facts = {_fact("*", "apis_added", api) for api in expected["apis_added"]}
    facts |= {_fact("*", "apis_removed", api) for api in expected["apis_removed"]}
    for api, changed in expected["apis_changed"].items():
        unseen = _shows_no_response_tree(api, changed)
        for key, value in changed.items():
            if unseen and key.startswith("response_fields_"):
                continue
            items = value if isinstance(value, list) else [value]
            facts |= {_fact(api, key, item) for item in items}
    return facts


@pytest.fixture(scope="module")
def report() -> DiffReport:
    old = scrape_paths([VERSIONS / "OLD" / "text"])
    new = scrape_paths([VERSIONS / "NEW" / "text"])
    assert not old.errors and not new.errors, [str(e) for e in old.errors + new.errors][:5]
    return diff_irs(old.ir, new.ir, "4.2.0", "HEAD")


def test_diff_of_two_releases_is_exactly_the_expected_one(report: DiffReport) -> None:
    expected = _expected_facts(json.loads((VERSIONS / "expected-diff.json").read_text(encoding="utf-8")))
    found = {fact for change in report.changes for fact in _as_expected(change)}
    problems = [f"{api} {key}: missing {item}" for api, key, item in sorted(expected - found)]
    problems += [f"{api} {key}: unexpected {item}" for api, key, item in sorted(found - expected)]
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:60])


def test_the_versions_diff_has_the_expected_shape(report: DiffReport) -> None:
    summary = report.summary()
    assert (summary["operations_old"], summary["operations_new"]) == (940, 1169)
    assert summary["breaking"] == len(report.breaking) > 0
    assert not any(c.kind is K.OPERATION_RENAMED for c in report.changes)
