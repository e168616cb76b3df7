"""Compare an Endpoint read from a Dev Guide page with the corpus truth on every field the page shows.

What the family shows differs from the explorer's (tests/data/corpus README, "The Dev Guide forms"):
no sync/async (it must be unknown, and said so), no operation id block (the name is the title or in
`Title (Name)`), the navigation path only on dev guide pages (not on `title-spaced` API reference pages),
zh-cn pages' group in Chinese (the last segment), the body wrapper as the API defines it (never
lower-cased), no parameters on Query APIs (the standard ones are inferred: type and required must still
be right), valid values always in their own column, the error-only responses as a sentence and an error
example, its own curl and pretty-printed examples (compared parsed).
"""

from __future__ import annotations

import json
from typing import Any

from generator.ir.model import Endpoint
from tests.scrape.truth import ir_tree, truth_tree


def shows_tree(truth: dict[str, Any]) -> bool:
    """The Dev Guide shows field tables unless the response carries only `error`."""
    return [f["name"] for f in truth["response"]["fields"]] not in ([], ["error"])


def compare_devguide(ep: Endpoint, truth: dict[str, Any]) -> list[str]:
    problems: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            problems.append(f"{what}: got {got!r}, want {want!r}")

    rendering = truth["rendering"]
    reference = "title-spaced" in truth["quirks"]  # the API reference v5 style: no navigation path
    check("family", ep.family, "devguide")
    check("operation_id", ep.operation_id, truth["name"])
    check("method", ep.method, truth["method"])
    check("path", ep.path, truth["path"])
    check("title", ep.title, truth["title_shown"])
    check("description", ep.description, truth["description"] if reference else "")
    check("is_query", ep.is_query, truth["is_query"])
    crumbs = [] if reference else rendering.get("breadcrumb_shown", truth["breadcrumb"])
    check("breadcrumb", ep.breadcrumb, crumbs)
    check("group", ep.group, crumbs[-1] if crumbs else "")
    check("since", ep.since, truth["since"])
    check("documented_async", ep.documented_async, None)
    check("async not shown", "async" in ep.not_shown, True)
    check("documented_auth", ep.documented_auth, truth["auth"])
    check("lang", ep.lang, rendering["lang"])
    check("wrapper", ep.body.wrapper if ep.body else None, truth["body_wrapper"])
    check("shown_wrapper", ep.body.shown_wrapper if ep.body else None, truth["body_wrapper"])
    want = {(p["location"], p["name"]): p for p in truth["params"]}
    got = {(p.location.value, p.name): p for p in ep.all_params()}
    query_listed = not truth["is_query"]
    if query_listed:
        check("param keys", sorted(got), sorted(want))
    else:  # the standard parameters only: `filterName` is not on every Query API, so it is not inferred
        check("param keys", sorted(got), sorted(k for k in want if k[1] != "filterName"))
    for key in sorted(set(got) & set(want)):
        g, w = got[key], want[key]
        check(f"param {key} type", g.type, w["type"])
        if g.required_shown or g.name in ("systemTags", "userTags"):  # else the page does not say
            check(f"param {key} required", g.required, w["required"])
        shown = query_listed
        check(f"param {key} inferred", g.inferred, not shown)
        if shown:
            check(f"param {key} description", g.description, w["description"])
            check(f"param {key} valid_values", g.valid_values, w.get("valid_values", []))
    curl = ep.request_example
    check("request_example parsed", curl is not None and curl.parse_error is None, True)
    check("request_example method", curl.method if curl else None, truth["method"])
    if shows_tree(truth):
        check("response block", ep.response.block, "tree")
        check("response tree", ir_tree(ep.response.fields), truth_tree(truth["response"]["fields"]))
        example = ep.response_example
        shown_example = json.loads(truth["response_example_text"])
        if truth["rendering"]["response_block"] == "tree":
            check("response example", example.parsed if example else None, shown_example)
    else:
        check("response block", ep.response.block, "empty-object")
        error = ep.response.error_example
        check("error example", sorted(error.parsed) if error and isinstance(error.parsed, dict) else None, ["error"])
    return problems
