"""Which corpus quirks are doc bugs (lint reports them) and which are layout variants (it does not).

A quirk is a way the live site renders a page (tests/data/corpus/truth/<Name>.json, key
`quirks`). The test is whether a reader who follows the page exactly gets a working call and a
true picture of the API: if not, the quirk is a doc bug and has a rule; if the page is merely
dressed differently, it is a layout variant and the scraper reads it silently.

| quirk | verdict | rule | why |
| --- | --- | --- | --- |
| `lowercase-wrapper` | doc bug | `lowercase-wrapper` | keys are case-sensitive: the server ignores `startvminstance` |
| `curl-delete-body` | doc bug | `curl-delete-body` | DELETE parameters travel in the query; a body is ignored |
| `curl-get-body` | doc bug | `curl-get-body` | the same for GET: the tags in `-d` never arrive |
| `curl-query-literals` | doc bug | `curl-query-literal` | `count=True` is Python, not the `true` the server parses |
| `endpoint-deletemode-template` | doc bug | `query-in-endpoint` | a path template holds no query string |
| `no-description-provided` | doc bug | `placeholder-description` | "No description provided." (暂无描述。): a gap |
| `zh-descriptions` | doc bug | `untranslated-description` | Chinese text on an English page fails its readers |
| `tab-labels` | layout | - | tab buttons repeated before `Request Inputs`: navigation |
| `zh-cn-chrome` | layout | - | a consistently translated page |
| `title-spaced`, `title-zh` | layout | - | a display title; the Operation ID still names the API |
| `ref-style-see-details`, `-for-details`, `-glued` | layout | - | wording of "See inventory." |
| `flat-no-header` | layout | - | the flat rendering starts at the title; nothing is hidden |
| `enum-expanded` | layout | - | the site lists enum constants as child bullets |
| `response-delete-block` | layout | - | DELETE responses as success/error blocks, not a tree |
| `response-empty-object` | layout | - | an error-only response documented as `{}`: true |

A doc-bug quirk is reported only where the page shows it: `zh-descriptions` on a page whose
Chinese descriptions sit only in a response tree that the page does not show (a DELETE block, the
flat rendering) leaves nothing to report. Findings at info level (`missing-description`,
`singular-param-wrapper`, `curl-param-missing`, ...) are gaps and hints, not doc bugs: the corpus
truth records them outside `quirks` (an SDK-only parameter has description ""), so a page
without doc-bug quirks gets no warning or error, though it may get info findings.
"""

from __future__ import annotations

from typing import Final

DOC_BUG_QUIRKS: Final[dict[str, str]] = {
    "lowercase-wrapper": "lowercase-wrapper",
    "curl-delete-body": "curl-delete-body",
    "curl-get-body": "curl-get-body",
    "curl-query-literals": "curl-query-literal",
    "endpoint-deletemode-template": "query-in-endpoint",
    "no-description-provided": "placeholder-description",
    "zh-descriptions": "untranslated-description",
}

LAYOUT_QUIRKS: Final[frozenset[str]] = frozenset(
    {
        "tab-labels",
        "zh-cn-chrome",
        "title-spaced",
        "title-zh",
        "ref-style-see-details",
        "ref-style-for-details",
        "ref-style-glued",
        "flat-no-header",
        "enum-expanded",
        "response-delete-block",
        "response-empty-object",
    }
)
