"""Every page checks itself: what its sections announce against what was read from them.

A page whose markup the reader did not understand still has its section labels, its curl example
and its text; a section that yields no field, an announced response tree that comes out empty, or a
curl body with keys no field list knows is the scraper losing part of an API. That is an error
naming the file and line (the page is left out and the run fails) rather than an endpoint that
looks fine and takes no arguments; where the page can still be used it is a warning.
"""

from __future__ import annotations

from typing import Any

from generator.ir.model import Diagnostic, Endpoint, Location, Param, Source
from generator.scrape.blocks import Line, PageError
from generator.scrape.sections import Section, Sections
from generator.scrape.vocab import label_of

_PARAM_SECTIONS = {"path": "path parameter", "query": "query parameter", "body": "body field"}


def check_page(endpoint: Endpoint, sections: Sections, *, flat: bool) -> None:
    """Raise PageError for a page that lost what it shows; warn where it can still be used."""
    _check_request_sections(endpoint, sections)
    _check_request_inputs(endpoint, sections)
    _check_response(endpoint, sections, flat=flat)
    check_curl_body(endpoint)


def _text_lines(section: Section) -> list[Line]:
    return [ln for ln in section.lines if label_of(ln.text) is None and ln.text != "application/json"]


def _count(params: list[Param]) -> int:
    return sum(1 + _count(p.children) for p in params)


def _read_in(endpoint: Endpoint, label: str) -> int:
    if label == "path":
        return _count(endpoint.path_params)
    if label == "query":
        return _count(endpoint.query_params)
    moved = _count([p for p in endpoint.query_params if p.shown_location in (Location.BODY, Location.BODY_TOP)])
    body = endpoint.body
    if body is None:
        return moved
    return moved + _count(body.params) + _count(body.top_level) + (1 if body.shown_wrapper else 0)


def _check_request_sections(endpoint: Endpoint, sections: Sections) -> None:
    for label, noun in _PARAM_SECTIONS.items():
        found = sections.all(label)
        if not found:
            continue
        read = _read_in(endpoint, label)
        if read:
            continue
        first = found[0]
        shown = sum(len(_text_lines(s)) for s in found)
        fields = sum(1 for s in found for ln in s.lines if ln.kind == "field")
        raise PageError(
            f"{first.line.text!r}: 0 {noun}s read from {shown} lines of the section "
            f"({fields} looked like fields): the page's field list was not understood",
            first.line.lineno,
        )


def _check_request_inputs(endpoint: Endpoint, sections: Sections) -> None:
    """`Request Inputs` with no parameter section and no "requires no parameters" sentence."""
    request = sections.first("request")
    if request is None:
        return
    labels = set(sections.labels())
    if labels & {"path", "query", "body", "no_params"}:
        return
    shown = len(_text_lines(request))
    if shown == 0 and not _curl_keys(endpoint):
        return  # an empty Request Inputs block on a page without a body: nothing was lost
    raise PageError(
        f"{request.line.text!r}: no parameter section (path, query, body) read from {shown} lines: "
        "the page's request inputs were not understood",
        request.line.lineno,
    )


def _check_response(endpoint: Endpoint, sections: Sections, *, flat: bool) -> None:
    section = sections.first("responses")
    response = endpoint.response
    if section is None or response.fields or response.block != "tree" or flat:
        return
    shown = [ln for ln in section.lines if ln.kind != "plain" or label_of(ln.text) is None]
    shown = [ln for ln in shown if not ln.text[:3].isdigit()]
    announced = any(label_of(ln.text) == "tree_hint" for ln in section.lines)
    if not announced and not shown:
        return
    raise PageError(
        f"{section.line.text!r}: the page announces a response structure but 0 response fields were read "
        f"from {len(shown)} lines: the page's response tree was not understood",
        section.line.lineno,
    )


def _curl_keys(endpoint: Endpoint) -> dict[str, Any]:
    curl = endpoint.request_example
    body = curl.body if curl is not None else None
    return body if isinstance(body, dict) else {}


def _names(params: list[Param]) -> set[str]:
    out: set[str] = set()
    for param in params:
        out.add(param.name)
        out |= _names(param.children)
    return out


def check_curl_body(endpoint: Endpoint) -> None:
    keys = _curl_keys(endpoint)
    if not keys:
        return
    body = endpoint.body
    body_fields = _names(body.params) | _names(body.top_level) if body is not None else set()
    known = _names(endpoint.path_params) | _names(endpoint.query_params) | body_fields
    wrappers = {w for w in (body.shown_wrapper, body.wrapper) if w} if body is not None else set()
    curl = endpoint.request_example
    line = curl.source.line if curl is not None and curl.source else None
    inside = sorted({str(k) for w in wrappers if isinstance(keys.get(w), dict) for k in keys[w]})
    if inside and not body_fields:
        # The wrapper's name alone (read from a sample) is no field: the list of what goes inside was lost.
        raise PageError(
            f"the curl example sends {len(inside)} keys inside {'/'.join(sorted(wrappers))} ({_listing(inside)}) "
            "but 0 body fields were read from the page: its field list was not understood",
            line,
        )
    known |= wrappers
    if not known:
        raise PageError(
            f"the curl example sends {len(keys)} body keys ({_listing(keys)}) but 0 fields were read from "
            "the page: its field list was not understood",
            line,
        )
    sent = _sent_keys(keys, known)
    unknown = sorted(sent - known)
    # A key or two the field list lacks is a doc bug (`sdkgen lint`: curl-param-unlisted); most of
    # them unknown means the reader lost part of the list, and the page is used with a warning.
    if len(sent) >= 2 and len(unknown) * 2 > len(sent):
        endpoint.warnings.append(
            Diagnostic(
                code="curl-keys-unread",
                message=f"the curl example sends {len(sent)} body keys and {len(unknown)} of them "
                f"({_listing(unknown)}) are in no field list read from the page: part of it may not have been read",
                source=Source(file=endpoint.source.file, line=line),
            )
        )


def _sent_keys(body: dict[str, Any], wrappers: set[str]) -> set[str]:
    """The body's keys, and the keys inside the objects that wrap parameters."""
    sent: set[str] = set()
    for key, value in body.items():
        if key in wrappers and isinstance(value, dict):
            sent |= {str(k) for k in value}
        else:
            sent.add(str(key))
    return sent


def _listing(names: Any) -> str:
    names = list(names)
    shown = ", ".join(str(n) for n in names[:5])
    return shown + (f", ... ({len(names)} in all)" if len(names) > 5 else "")
