"""A `DiffReport` as terminal text, Markdown for a pull request, or JSON for tools.

Names and descriptions come from the docs, which are untrusted: control
characters are replaced before anything reaches a terminal, and Markdown gets
escaped text and safe code spans. Description texts themselves appear only in
JSON; the other formats just say which description changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import click
from pydantic import JsonValue

from generator.diff.model import Change, ChangeKind, DiffReport

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Inline markup a phrase could start in the middle of a line (a line start is never doc text here).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def clean(text: str) -> str:
    """One line with no control characters (no terminal escape sequences, no line breaks)."""
    return _CONTROL.sub(" ", text)


def md_text(text: str) -> str:
    """Plain Markdown text: special characters escaped, HTML neutralized."""
    escaped = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def md_code(text: str) -> str:
    """A Markdown code span that no backtick in `text` can close early."""
    text = clean(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# --- one change in words --------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How names (`code`) and other doc-derived words (`text`) are written in one output format."""

    code: Callable[[str], str]
    text: Callable[[str], str]


MARKDOWN = Style(code=md_code, text=md_text)
PLAIN = Style(code=clean, text=clean)


def _value(value: JsonValue) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def describe(change: Change, style: Style = MARKDOWN) -> str:
    """One phrase saying what changed, without the operation's name."""
    code, text = style.code, style.text
    old, new = change.old, change.new
    kind = change.kind
    if kind is ChangeKind.OPERATION_ADDED:
        return f"new operation ({_signature(new, code)})"
    if kind is ChangeKind.OPERATION_REMOVED:
        return f"operation removed ({_signature(old, code)})"
    if kind is ChangeKind.OPERATION_RENAMED:
        return f"renamed from {code(_value(old))}"
    if kind is ChangeKind.METHOD_CHANGED:
        return f"HTTP method {code(_value(old))} -> {code(_value(new))}"
    if kind is ChangeKind.PATH_CHANGED:
        return f"path {code(_value(old))} -> {code(_value(new))}"
    if kind is ChangeKind.WRAPPER_CHANGED:
        return _describe_wrapper(old, new, code)
    if kind is ChangeKind.ASYNC_CHANGED:
        return f"documented as {_sync_word(old)} -> {_sync_word(new)}"
    if kind is ChangeKind.AUTH_CHANGED:
        return f"authentication required: {_value(old)} -> {_value(new)}"
    if kind is ChangeKind.SINCE_CHANGED:
        return f"since version {text(_value(old))} -> {text(_value(new))}"
    if kind is ChangeKind.DESCRIPTION_CHANGED:
        return _describe_description(change, code)
    if kind.value.startswith("param_"):
        return _describe_param(change, style)
    return _describe_field(change, style)


def _describe_param(change: Change, style: Style) -> str:
    code, text = style.code, style.text
    path, old, new = code(change.path or ""), change.old, change.new
    kind = change.kind
    if kind is ChangeKind.PARAM_ADDED:
        required = isinstance(new, dict) and new.get("required") is True
        return f"new {'required' if required else 'optional'} parameter {path} ({text(_param_summary(new))})"
    if kind is ChangeKind.PARAM_REMOVED:
        return f"parameter {path} removed (was {text(_param_summary(old))})"
    if kind is ChangeKind.PARAM_REQUIRED_CHANGED:
        return f"parameter {path} is now {'required' if new is True else 'optional'}"
    if kind is ChangeKind.PARAM_TYPE_CHANGED:
        return f"parameter {path} type {code(_value(old))} -> {code(_value(new))}"
    if not change.breaking:  # a location change that only moved it between the page's sections
        return f"parameter {path} listed under {_value(new)} instead of {_value(old)} (same place on the wire)"
    return f"parameter {path} moved from {_value(old)} to {_value(new)}"


def _param_summary(value: JsonValue) -> str:
    if not isinstance(value, dict):
        return _value(value)
    return f"{_value(value.get('type'))}, {_value(value.get('location'))}"


def _describe_field(change: Change, style: Style) -> str:
    code, text = style.code, style.text
    path, old, new = code(change.path or ""), change.old, change.new
    if change.kind is ChangeKind.RESPONSE_FIELD_ADDED:
        return f"new response field {path} ({text(_value(new))})"
    if change.kind is ChangeKind.RESPONSE_FIELD_REMOVED:
        return f"response field {path} removed (was {text(_value(old))})"
    return f"response field {path} type {code(_value(old))} -> {code(_value(new))}"


def _describe_description(change: Change, code: Callable[[str], str]) -> str:
    where, _, name = (change.path or "").partition(".")
    what = "parameter" if where == "request" else "response field"
    return f"description of {what} {code(name)} changed"


def _describe_wrapper(old: JsonValue, new: JsonValue, code: Callable[[str], str]) -> str:
    if old is None:
        return f"body now wrapped in {code(_value(new))}"
    if new is None:
        return f"body no longer wrapped in {code(_value(old))}"
    return f"body wrapper key {code(_value(old))} -> {code(_value(new))}"


def _sync_word(value: JsonValue) -> str:
    if value is True:
        return "asynchronous"
    return "synchronous" if value is False else "unlabelled"


def _signature(value: JsonValue, code: Callable[[str], str]) -> str:
    if isinstance(value, dict):
        return code(f"{_value(value.get('method'))} {_value(value.get('path'))}")
    return code(_value(value))


# --- grouping ---------------------------------------------------------------------


def by_operation(changes: Iterable[Change]) -> dict[str, list[Change]]:
    grouped: dict[str, list[Change]] = {}
    for change in changes:
        grouped.setdefault(change.operation, []).append(change)
    return grouped


def by_group(report: DiffReport, changes: Iterable[Change]) -> dict[str, dict[str, list[Change]]]:
    """Changes by docs group (sorted), then by operation (sorted)."""
    grouped: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        group = report.groups.get(change.operation, "") or "(no group)"
        grouped.setdefault(group, {}).setdefault(change.operation, []).append(change)
    return {g: dict(sorted(ops.items())) for g, ops in sorted(grouped.items())}


def headline(report: DiffReport) -> str:
    ops = report.operation_counts()
    return (
        f"{report.old.operations} -> {report.new.operations} operations: {ops['added']} added, "
        f"{ops['removed']} removed, {ops['renamed']} renamed, {ops['changed']} changed; "
        f"{len(report.breaking)} breaking of {len(report.changes)} changes"
    )


# --- formats ------------------------------------------------------------------------


def render_json(report: DiffReport) -> str:
    document = {
        "old": report.old.model_dump(mode="json"),
        "new": report.new.model_dump(mode="json"),
        "summary": report.summary(),
        "changes": [change.model_dump(mode="json") for change in report.changes],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_text(report: DiffReport, color: bool = False) -> str:
    """The terminal report: breaking changes first, each operation with its changes indented."""

    def style(text: str, fg: str) -> str:
        return click.style(text, fg=fg, bold=True) if color else text

    lines = [f"API diff {clean(report.old.source)} -> {clean(report.new.source)}", headline(report)]
    sections = [("BREAKING", "red", report.breaking), ("NON-BREAKING", "green", _non_breaking(report))]
    for title, fg, changes in sections:
        if not changes:
            continue
        lines += ["", style(f"{title} ({len(changes)})", fg)]
        for operation, op_changes in by_operation(changes).items():
            lines.append(f"  {clean(operation)}")
            lines += [f"    - {describe(c, PLAIN)}" for c in op_changes]
    if not report.changes:
        lines += ["", "No changes."]
    return "\n".join(lines) + "\n"


def _non_breaking(report: DiffReport) -> list[Change]:
    return [c for c in report.changes if not c.breaking]


def render_markdown(report: DiffReport) -> str:
    """For a pull request: summary table, breaking changes by group, the rest folded away."""
    lines = [
        f"## API changes: {md_code(report.old.source)} -> {md_code(report.new.source)}",
        "",
        headline(report),  # numbers only: nothing to escape
        "",
        *_summary_table(report),
    ]
    if report.breaking:
        lines += ["", f"### Breaking changes ({len(report.breaking)})", "", *_grouped_list(report, report.breaking)]
    non_breaking = _non_breaking(report)
    if non_breaking:
        lines += [
            "",
            f"### Non-breaking changes ({len(non_breaking)})",
            "",
            "<details><summary>Show all</summary>",
            "",
            *_grouped_list(report, non_breaking),
            "",
            "</details>",
        ]
    return "\n".join(lines) + "\n"


def _summary_table(report: DiffReport) -> list[str]:
    rows = ["| change | breaking | non-breaking |", "| --- | ---: | ---: |"]
    for kind in ChangeKind:
        of_kind = [c for c in report.changes if c.kind is kind]
        if of_kind:
            breaking = sum(1 for c in of_kind if c.breaking)
            rows.append(f"| {md_code(kind.value)} | {breaking} | {len(of_kind) - breaking} |")
    total_breaking = len(report.breaking)
    rows.append(f"| **total** | **{total_breaking}** | **{len(report.changes) - total_breaking}** |")
    return rows


def _grouped_list(report: DiffReport, changes: list[Change]) -> list[str]:
    lines: list[str] = []
    for group, operations in by_group(report, changes).items():
        lines += [f"#### {md_text(group)}", ""]
        for operation, op_changes in operations.items():
            lines.append(f"- {md_code(operation)}")
            lines += [f"  - {describe(c)}" for c in op_changes]
        lines.append("")
    return lines[:-1]
