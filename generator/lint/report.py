"""Findings as terminal text (`FILE:LINE: severity: message [rule]`), Markdown for the docs
team (grouped by rule, with counts) or JSON for tools.

Messages quote doc text, which is untrusted: control characters, lone surrogates and other
unprintable code points are escaped before anything reaches a terminal or a file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from itertools import groupby

from generator.lint.model import RULES, Finding, Level

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>])")
FAIL_ON = ("warning", "error", "any", "none")


def clean(text: str) -> str:
    """One printable line: unsafe code points become `\\xNN` / `\\uNNNN` escapes."""
    return _UNSAFE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def render_text(findings: list[Finding]) -> str:
    return "".join(f"{clean(f.where())}: {f.severity.value}: {clean(f.message)} [{f.rule}]\n" for f in findings)


def render_json(findings: list[Finding]) -> str:
    items = [
        {
            "rule": f.rule,
            "severity": f.severity.value,
            "file": clean(f.file),
            "line": f.line,
            "operation": clean(f.operation) if f.operation is not None else None,
            "message": clean(f.message),
        }
        for f in findings
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def render_markdown(findings: list[Finding]) -> str:
    lines = ["# Documentation lint report", ""]
    if not findings:
        return "\n".join([*lines, "No findings.", ""])
    lines += [_summary(findings), "", "| rule | severity | findings | what it means |", "| --- | --- | --- | --- |"]
    by_rule = sorted(findings, key=lambda f: (-f.severity.rank, f.rule, f.file, f.line or 0, f.message))
    groups = [(rule, list(items)) for rule, items in groupby(by_rule, key=lambda f: f.rule)]
    for rule, items in groups:
        lines.append(f"| `{rule}` | {items[0].severity.value} | {len(items)} | {_md(_rule_summary(rule))} |")
    for rule, items in groups:
        lines += ["", f"## `{rule}` ({len(items)})", "", "| where | operation | message |", "| --- | --- | --- |"]
        lines += [f"| {_md(f.where())} | {_md(f.operation or '')} | {_md(f.message)} |" for f in items]
    return "\n".join(lines) + "\n"


def _rule_summary(rule: str) -> str:
    known = RULES.get(rule)
    return known.summary if known else "reported by the scraper"


def _summary(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    parts = ", ".join(_count(counts[level], level.value) for level in Level if counts[level])
    return f"{_count(len(findings), 'finding')} ({parts}) in {_count(len({f.file for f in findings}), 'file')}."


def _count(number: int, noun: str) -> str:
    plural = "" if number == 1 or noun == "info" else "s"
    return f"{number} {noun}{plural}"


def _md(text: str) -> str:
    """Table-cell text: escaped Markdown specials, no HTML, no line breaks."""
    return _MD_SPECIAL.sub(r"\\\1", clean(text).replace("&", "&amp;"))


def summary_line(findings: list[Finding]) -> str:
    counts = Counter(f.severity for f in findings)
    levels = ", ".join(_count(counts[level], level.value) for level in Level)
    return f"sdkgen: {_count(len(findings), 'finding')} ({levels}) in {_count(len({f.file for f in findings}), 'file')}"


def should_fail(findings: list[Finding], fail_on: str) -> bool:
    """`--fail-on`: exit 1 when a finding at or above that severity exists (`any` includes info)."""
    if fail_on == "none":
        return False
    threshold = {"any": Level.INFO, "warning": Level.WARNING, "error": Level.ERROR}[fail_on]
    return any(f.severity.rank >= threshold.rank for f in findings)
