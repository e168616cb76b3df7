"""Bulleted and flat text renderings -> lines."""

from __future__ import annotations

import re

from generator.scrape.blocks import MAX_LINES, Layout, Line, Page, PageError
from generator.scrape.vocab import AFTER_PATH, GLUABLE, HTTP_METHODS

_BULLET = re.compile(r"^(?P<indent>\s*)[•·▪◦‣○●-]\s+(?P<text>.*)$")
_GLUED_LABEL = re.compile(r"^(?P<json>.*[}\]])(?P<label>" + "|".join(re.escape(s) for s in GLUABLE) + r")$")
_METHODS = "|".join(HTTP_METHODS)
_AFTER_PATH = "|".join(re.escape(s) for s in AFTER_PATH)
_GLUED_PATH = re.compile(r"^(?P<path>(?:" + _METHODS + r")?\s*/\S*?)(?P<label>" + _AFTER_PATH + r")$")
_STATUS_JSON = re.compile(r"^(?P<status>[1-5]\d\d)(?P<json>[{\[].*)$")
_GLUED_OK = re.compile(r"^(?P<status>[1-5]\d\d OK)(?P<rest>\S.+)$")
_GLUED_MEDIA = re.compile(r"^(?P<media>application/json)(?P<rest>.+)$")


def is_bulleted(text: str) -> bool:
    """The bulleted rendering has bullets or blank lines between blocks; the flat one has neither."""
    lines = text.splitlines()
    if any(_BULLET.match(line) and "•" in line for line in lines):
        return True
    blank = sum(1 for line in lines if not line.strip())
    return blank >= max(3, len(lines) // 5)


def text_page(file: str, text: str) -> Page:
    layout: Layout = "bulleted" if is_bulleted(text) else "flat"
    page = Page(file=file, layout=layout)
    for lineno, raw in enumerate(text.splitlines(), start=1):
        page.lines.extend(_lines_of(raw, lineno, layout == "bulleted"))
        if len(page.lines) > MAX_LINES:
            raise PageError(f"the page has more than {MAX_LINES} lines of content", lineno)
    return page


def _lines_of(raw: str, lineno: int, bulleted: bool) -> list[Line]:
    if not raw.strip():
        return []
    if bulleted:
        bullet = _BULLET.match(raw)
        if bullet and "•" in raw:
            depth = max(0, len(bullet.group("indent").expandtabs(2)) // 2 - 1)
            return [Line(bullet.group("text").strip(), lineno, "field", depth)]
        indent = len(raw) - len(raw.lstrip(" "))
        if indent >= 4:
            return [Line(raw.strip(), lineno, "para", max(0, indent // 2 - 2))]
    return [Line(text, lineno) for text in unglue(raw.strip())]


def unglue(text: str) -> list[str]:
    """Split blocks the flat rendering glues: `200{...}Change History`, `{}Error Response`, `200 OKDELETE...`."""
    out: list[str] = []
    path = _GLUED_PATH.match(text)
    if path:  # the newer layout: `/zstack/v1/.../{uuid}Operation ID`
        return [path.group("path"), path.group("label")]
    glued = _GLUED_LABEL.match(text)
    if glued:
        text, tail = glued.group("json"), glued.group("label")
    else:
        tail = None
    status = _STATUS_JSON.match(text)
    if status:
        out += [status.group("status"), status.group("json")]
    elif (ok := _GLUED_OK.match(text)) is not None:
        out += [ok.group("status"), ok.group("rest")]
    elif (media := _GLUED_MEDIA.match(text)) is not None:
        out += [media.group("media"), media.group("rest")]
    else:
        out.append(text)
    if tail:
        out.append(tail)
    return out
