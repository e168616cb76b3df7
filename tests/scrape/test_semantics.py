"""A breadcrumb trail is read as the page's breadcrumb whether the theme names it or not; other
navigation (a table of contents, a sidebar, a header menu) stays page chrome."""

from __future__ import annotations

import pytest
from lxml import etree

from generator.scrape.semantics import is_breadcrumb, normalise

TRAIL = '<ol><li><a href="../a/">Resource Center</a></li><li><a href="../b/">VM Instance Operations</a></li></ol>'


def nav(markup: str) -> etree._Element:
    doc = etree.fromstring(f"<html><body><main>{markup}</main></body></html>", parser=etree.HTMLParser())
    normalise(doc)
    found = doc.find(".//nav")
    assert found is not None
    return found


@pytest.mark.parametrize(
    "markup",
    [
        f'<nav aria-label="Navigation">{TRAIL}</nav><article><h1>CreateVmCdRom</h1></article>',  # MkDocs Material
        '<nav aria-label="Breadcrumbs"><ul><li><a href="/">Home</a></li></ul></nav><div>no title</div>',  # named
        f'<div role="navigation">{TRAIL}</div><h1>CreateVmCdRom</h1>',  # an ARIA navigation
        f'<nav aria-label="面包屑导航">{TRAIL}</nav>',
    ],
)
def test_breadcrumb_trails(markup: str) -> None:
    assert is_breadcrumb(nav(markup))


@pytest.mark.parametrize(
    "markup",
    [
        # a table of contents: in-page anchors
        '<nav aria-label="Table of contents"><ul><li><a href="#request">Request</a></li></ul></nav><h1>X</h1>',
        # a sidebar: nested lists
        f'<nav aria-label="Navigation"><ul><li><a href="../a/">A</a>{TRAIL}</li></ul></nav><h1>X</h1>',
        # a label before the list (MkDocs' primary sidebar), or no title after it
        f'<nav aria-label="Navigation"><label>ZStack</label>{TRAIL}</nav><h1>X</h1>',
        f'<nav aria-label="Navigation">{TRAIL}</nav><div><p>text</p></div>',
        # too long to be a trail
        "<nav><ul>" + "".join(f'<li><a href="../{i}/">{i}</a></li>' for i in range(12)) + "</ul></nav><h1>X</h1>",
    ],
)
def test_other_navigation_is_not_a_breadcrumb(markup: str) -> None:
    assert not is_breadcrumb(nav(markup))
