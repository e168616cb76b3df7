"""Findings and the rule catalogue of `sdkgen lint`.

A finding is one anomaly on one page: which rule, how bad, where (file and line), which
operation, and a short reason. The catalogue gives every rule one severity, so a report
never mixes levels for the same kind of problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"  # the page, or an operation on it, cannot be used
    WARNING = "warning"  # a doc bug: the page says something wrong or inconsistent
    INFO = "info"  # a gap or a hint, not necessarily wrong

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.INFO: 1, Level.WARNING: 2, Level.ERROR: 3}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: Level
    summary: str


def _rules(*rules: Rule) -> dict[str, Rule]:
    return {rule.id: rule for rule in rules}


_E, _W, _I = Level.ERROR, Level.WARNING, Level.INFO

RULES: dict[str, Rule] = _rules(
    # The page as a whole.
    Rule("page-error", _E, "the page cannot be read as an API page"),
    Rule("io-error", _E, "the file cannot be read"),
    Rule("no-endpoint", _E, "the page shows no endpoint path: the operation cannot be called"),
    Rule("truncated-page", _W, "the page ends early"),
    Rule("unrecognised-line", _W, "a line in a field list could not be read"),
    # The endpoint.
    Rule("query-in-endpoint", _W, "the endpoint path carries a query string or a bare `?`"),
    Rule("concrete-uuid-in-path", _W, "the endpoint path shows a concrete UUID instead of a variable"),
    Rule("path-variable-unlisted", _W, "a path variable has no listed path parameter"),
    Rule("path-param-unused", _W, "a listed path parameter does not occur in the endpoint path"),
    Rule("path-param-optional", _W, "a path parameter is not marked Required"),
    # Fields.
    Rule("lowercase-wrapper", _W, "the body wrapper key is lower-cased; the server's keys are case-sensitive"),
    Rule("duplicate-field", _W, "a field is listed twice"),
    Rule("suspicious-type", _W, "a type name that is no Java class or primitive"),
    Rule("params-in-body-section", _W, "a GET/DELETE page lists parameters under Body Fields"),
    Rule("placeholder-description", _W, "a placeholder instead of a description"),
    Rule("untranslated-description", _W, "a Chinese description on an English page"),
    Rule("missing-description", _I, "a field without any description (or a bare `Optional.`)"),
    Rule("singular-param-wrapper", _I, "the body wrapper is `param`, where create APIs use `params`"),
    Rule("missing-action-wrapper", _I, "a PUT body without a wrapper object"),
    # The request example (curl).
    Rule("malformed-curl", _W, "the curl example cannot be parsed"),
    Rule("curl-get-body", _W, "a GET example sends a body (`-d`); the server reads only the query string"),
    Rule("curl-delete-body", _W, "a DELETE example sends a body (`-d`); the server reads only the query string"),
    Rule("curl-query-literal", _W, "a curl query value is a literal, not a placeholder"),
    Rule("curl-param-unlisted", _W, "the curl example sends a parameter the page does not list"),
    Rule("curl-param-missing", _I, "the page lists a parameter the curl example does not send"),
    Rule("curl-path-mismatch", _W, "the curl URL path differs from the endpoint path"),
    # The response example.
    Rule("malformed-example-json", _W, "an example is not valid JSON"),
    Rule("example-unknown-field", _W, "the response example has a field the response tree does not list"),
    Rule("example-type-mismatch", _W, "a response example value contradicts the documented type"),
    Rule("example-enum-object", _I, "the response example shows an enum's constants as an object"),
    # Across pages.
    Rule("type-conflict", _I, "one class documented with different shapes on different pages"),
    Rule("duplicate-operation", _I, "the same operation documented on more than one page"),
    Rule("conflicting-duplicate", _W, "two pages claim one operation id and disagree on what the API is"),
    Rule("operation-id-guessed", _W, "the page does not say which API it is; its id was guessed from a spaced title"),
)


def rule_level(rule_id: str) -> Level:
    """Severity of a rule; scraper codes this catalogue does not know yet count as warnings."""
    rule = RULES.get(rule_id)
    return rule.level if rule else Level.WARNING


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Level
    file: str
    line: int | None
    operation: str | None
    message: str

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.line or 0, self.rule, self.message)

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


MAX_MESSAGE_CHARS = 400  # messages quote page text, which can be megabytes long


def finding(rule: str, file: str, line: int | None, message: str, operation: str | None = None) -> Finding:
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[:MAX_MESSAGE_CHARS] + "…"
    return Finding(rule, rule_level(rule), file, line, operation, message)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    """Deterministic order, duplicates (same rule, place and message) dropped."""
    return sorted(set(findings), key=Finding.sort_key)
