"""The severity table: which changes break clients, as data.

The rule (after oasdiff's): narrowing what a request accepts or what a response
returns breaks a client, widening does not. A client built against OLD keeps
sending OLD requests and reading OLD responses, so it breaks when NEW refuses
one of those requests (a new required parameter, an optional one made required,
a moved or retyped parameter, another method/path/wrapper, an operation gone) or
stops returning something it reads (a removed or retyped response field).
Renaming an operation is breaking because the generated SDK names its methods
after operation ids. Labels (async, since) and descriptions only change docs.

Each rule also names the CHANGELOG section a non-breaking change belongs to and,
through that, the semver bump it implies.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import JsonValue

from generator.diff.model import ChangeKind


class When(StrEnum):
    """When a change of some kind is breaking."""

    ALWAYS = "always"
    NEVER = "never"
    NEW_IS_TRUE = "new-is-true"  # a flag switched on: optional -> required, auth now required
    NEW_IS_REQUIRED = "new-is-required"  # an added parameter that callers must now send


class Section(StrEnum):
    """CHANGELOG sections, in the order they are printed."""

    BREAKING = "Breaking"
    ADDED = "Added"
    CHANGED = "Changed"
    DOCS = "Docs"


class Bump(StrEnum):
    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


@dataclass(frozen=True)
class Rule:
    breaking: When
    section: Section  # where the change goes when it is not breaking
    why: str


RULES: dict[ChangeKind, Rule] = {
    ChangeKind.OPERATION_ADDED: Rule(When.NEVER, Section.ADDED, "a new operation breaks no existing call"),
    ChangeKind.OPERATION_REMOVED: Rule(When.ALWAYS, Section.CHANGED, "calls to it fail"),
    ChangeKind.OPERATION_RENAMED: Rule(When.ALWAYS, Section.CHANGED, "the SDK method name changes"),
    ChangeKind.METHOD_CHANGED: Rule(When.ALWAYS, Section.CHANGED, "old requests use the old HTTP method"),
    ChangeKind.PATH_CHANGED: Rule(When.ALWAYS, Section.CHANGED, "old requests go to the old URL"),
    ChangeKind.WRAPPER_CHANGED: Rule(When.ALWAYS, Section.CHANGED, "old requests wrap the body in the old key"),
    ChangeKind.ASYNC_CHANGED: Rule(When.NEVER, Section.CHANGED, "a label the docs are known to get wrong"),
    ChangeKind.AUTH_CHANGED: Rule(When.NEW_IS_TRUE, Section.CHANGED, "requests without a session are refused"),
    ChangeKind.SINCE_CHANGED: Rule(When.NEVER, Section.DOCS, "documentation metadata only"),
    ChangeKind.PARAM_ADDED: Rule(When.NEW_IS_REQUIRED, Section.ADDED, "old requests lack a required parameter"),
    ChangeKind.PARAM_REMOVED: Rule(When.ALWAYS, Section.CHANGED, "old requests send an unknown parameter"),
    ChangeKind.PARAM_REQUIRED_CHANGED: Rule(
        When.NEW_IS_TRUE, Section.CHANGED, "old requests may omit a now required parameter"
    ),
    ChangeKind.PARAM_TYPE_CHANGED: Rule(When.ALWAYS, Section.CHANGED, "old requests send the old type"),
    ChangeKind.PARAM_LOCATION_CHANGED: Rule(
        When.ALWAYS, Section.DOCS, "old requests send it in the old place (unless only the page's section moved)"
    ),
    ChangeKind.RESPONSE_FIELD_ADDED: Rule(When.NEVER, Section.ADDED, "clients ignore fields they do not know"),
    ChangeKind.RESPONSE_FIELD_REMOVED: Rule(When.ALWAYS, Section.CHANGED, "clients reading it get nothing"),
    ChangeKind.RESPONSE_FIELD_TYPE_CHANGED: Rule(When.ALWAYS, Section.CHANGED, "clients parse the old type"),
    ChangeKind.DESCRIPTION_CHANGED: Rule(When.NEVER, Section.DOCS, "documentation only"),
}


def is_breaking(kind: ChangeKind, old: JsonValue, new: JsonValue, doc_only: bool = False) -> bool:
    """Apply the table to one change (`new` of `param_added` is the added parameter's summary).

    `doc_only`: the change is in what the page shows, not in what travels on the
    wire (a parameter moved between the page's sections only), so nothing breaks.
    """
    when = RULES[kind].breaking
    if doc_only:
        return False
    if when is When.ALWAYS:
        return True
    if when is When.NEW_IS_TRUE:
        return new is True
    if when is When.NEW_IS_REQUIRED:
        return isinstance(new, dict) and new.get("required") is True
    return False


def section_of(kind: ChangeKind, breaking: bool) -> Section:
    return Section.BREAKING if breaking else RULES[kind].section


_BUMP_OF_SECTION: dict[Section, Bump] = {
    Section.BREAKING: Bump.MAJOR,
    Section.ADDED: Bump.MINOR,
    Section.CHANGED: Bump.MINOR,  # e.g. a parameter made optional: the API accepts more
    Section.DOCS: Bump.PATCH,
}

_BUMP_RANK: dict[Bump, int] = {bump: rank for rank, bump in enumerate(Bump)}


def bump_for(sections: set[Section]) -> Bump:
    """The semver bump a set of CHANGELOG sections implies: the largest one."""
    bumps = [_BUMP_OF_SECTION[s] for s in sections] or [Bump.NONE]
    return max(bumps, key=_BUMP_RANK.__getitem__)
