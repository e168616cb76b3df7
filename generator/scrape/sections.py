"""Cutting a page's lines into labelled sections, tolerant of order, tabs, and missing blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.scrape.blocks import Line
from generator.scrape.vocab import label_of

# Labels that open a section. Others (hints, "Success Response") are read inside their section.
SECTION_LABELS = frozenset(
    {
        "request",
        "path",
        "query",
        "body",
        "headers",
        "no_params",
        "responses",
        "endpoint",
        "operation_id",
        "permalink",
        "request_example",
        "response_example",
        "history",
        "since",
        "mode",
        "auth_context",
    }
)
_CHROME = frozenset({"skip", "availability", "try", "try_hint", "history_none", "history_all"})
_REQUEST_PARTS = frozenset({"path", "query", "body", "headers"})


@dataclass(slots=True)
class Section:
    label: str
    line: Line
    lines: list[Line] = field(default_factory=list)


@dataclass(slots=True)
class Sections:
    header: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tab_labels: list[str] = field(default_factory=list)
    chrome: list[Line] = field(default_factory=list)

    def first(self, label: str) -> Section | None:
        return next((s for s in self.sections if s.label == label), None)

    def all(self, label: str) -> list[Section]:
        return [s for s in self.sections if s.label == label]

    def labels(self) -> list[str]:
        return [s.label for s in self.sections]


def cut_sections(lines: list[Line]) -> Sections:
    out = Sections()
    current: Section | None = None
    seen_request = False
    for line in lines:
        label = label_of(line.text) if line.kind == "plain" else None
        if label in _CHROME:
            out.chrome.append(line)
            continue
        if label in _REQUEST_PARTS and not seen_request and _before_request(current):
            out.tab_labels.append(line.text)  # tab buttons repeated ahead of "Request Inputs"
            continue
        if label in SECTION_LABELS:
            seen_request = seen_request or label in ("request", "no_params")
            current = Section(label, line)
            out.sections.append(current)
            continue
        if current is None:
            out.header.append(line)
        else:
            current.lines.append(line)
    return out


def _before_request(current: Section | None) -> bool:
    return current is None or current.label in ("operation_id", "since", "mode", "auth_context", "headers")
