"""The severity table: complete, and applied the way the rule "narrowing breaks" says."""

from __future__ import annotations

import pytest
from pydantic import JsonValue

from generator.diff import RULES, Bump, ChangeKind, Section, bump_for, is_breaking
from generator.diff.rules import section_of

K = ChangeKind

ALWAYS_BREAKING = {
    K.OPERATION_REMOVED,
    K.OPERATION_RENAMED,
    K.METHOD_CHANGED,
    K.PATH_CHANGED,
    K.WRAPPER_CHANGED,
    K.PARAM_REMOVED,
    K.PARAM_TYPE_CHANGED,
    K.PARAM_LOCATION_CHANGED,
    K.RESPONSE_FIELD_REMOVED,
    K.RESPONSE_FIELD_TYPE_CHANGED,
}
NEVER_BREAKING = {
    K.OPERATION_ADDED,
    K.RESPONSE_FIELD_ADDED,
    K.ASYNC_CHANGED,
    K.SINCE_CHANGED,
    K.DESCRIPTION_CHANGED,
}


def test_every_kind_has_a_rule() -> None:
    assert set(RULES) == set(ChangeKind)


@pytest.mark.parametrize("kind", sorted(ALWAYS_BREAKING))
def test_always_breaking(kind: ChangeKind) -> None:
    assert is_breaking(kind, "a", "b")
    assert section_of(kind, True) is Section.BREAKING


@pytest.mark.parametrize("kind", sorted(NEVER_BREAKING))
def test_never_breaking(kind: ChangeKind) -> None:
    assert not is_breaking(kind, "a", "b")
    assert not is_breaking(kind, None, {"required": True})


@pytest.mark.parametrize(
    ("kind", "old", "new", "breaking"),
    [
        (K.PARAM_ADDED, None, {"type": "String", "location": "body", "required": True}, True),
        (K.PARAM_ADDED, None, {"type": "String", "location": "body", "required": False}, False),
        (K.PARAM_REQUIRED_CHANGED, False, True, True),
        (K.PARAM_REQUIRED_CHANGED, True, False, False),
        (K.AUTH_CHANGED, False, True, True),
        (K.AUTH_CHANGED, None, True, True),
        (K.AUTH_CHANGED, True, False, False),
    ],
)
def test_conditional_rules(kind: ChangeKind, old: JsonValue, new: JsonValue, breaking: bool) -> None:
    assert is_breaking(kind, old, new) is breaking


def test_sections_of_non_breaking_changes() -> None:
    assert section_of(K.OPERATION_ADDED, False) is Section.ADDED
    assert section_of(K.PARAM_ADDED, False) is Section.ADDED
    assert section_of(K.RESPONSE_FIELD_ADDED, False) is Section.ADDED
    assert section_of(K.PARAM_REQUIRED_CHANGED, False) is Section.CHANGED
    assert section_of(K.DESCRIPTION_CHANGED, False) is Section.DOCS
    assert section_of(K.SINCE_CHANGED, False) is Section.DOCS


def test_the_largest_bump_wins() -> None:
    assert bump_for(set()) is Bump.NONE
    assert bump_for({Section.DOCS}) is Bump.PATCH
    assert bump_for({Section.DOCS, Section.CHANGED}) is Bump.MINOR
    assert bump_for({Section.ADDED, Section.DOCS}) is Bump.MINOR
    assert bump_for({Section.ADDED, Section.BREAKING, Section.DOCS}) is Bump.MAJOR
