"""Compare an Endpoint with the corpus truth on every field the page shows; return the mismatches."""

from __future__ import annotations

from typing import Any

from generator.ir.model import Endpoint, Location, ResponseField


def _truth_params(truth: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(p["location"], p["name"]): p for p in truth["params"]}


def _ir_params(ep: Endpoint) -> dict[tuple[str, str], Any]:
    return {(p.location.value, p.name): p for p in ep.all_params()}


def _truth_tree(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for n in nodes:
        children = n.get("children", [])
        enum = [c["name"] for c in children if c.get("enum_value")]
        fields = [c for c in children if not c.get("enum_value")]
        # A List's element type is not on the page, so neither is whether it recurses (subTasks).
        recursive = bool(n.get("recursive")) and n["type"] not in ("List", "Set", "Map")
        out.append((n["name"], n["type"], n["description"], tuple(enum), recursive, tuple(_truth_tree(fields))))
    return out


def _ir_tree(nodes: list[ResponseField]) -> list[tuple[Any, ...]]:
    return [
        (n.name, n.type, n.description, tuple(n.enum_values), n.recursive, tuple(_ir_tree(n.children))) for n in nodes
    ]


def compare(ep: Endpoint, truth: dict[str, Any], form: str) -> list[str]:
    problems: list[str] = []

    def check(what: str, got: Any, want: Any) -> None:
        if got != want:
            problems.append(f"{what}: got {got!r}, want {want!r}")

    rendering = truth["rendering"]
    has_header = not (form == "flat" and "flat-no-header" in truth["quirks"])
    check("operation_id", ep.operation_id, truth["name"])
    check("method", ep.method, truth["method"])
    check("path", ep.path, truth["path"])
    check("title", ep.title, truth["title_shown"])
    check("is_query", ep.is_query, truth["is_query"])
    if has_header:
        check("breadcrumb", ep.breadcrumb, rendering.get("breadcrumb_shown", truth["breadcrumb"]))
        check("group", ep.group, truth["group"])
        check("since", ep.since, truth["since"])
        check("documented_async", ep.documented_async, truth["async"])
        check("documented_auth", ep.documented_auth, truth["auth"])
    check("lang", ep.lang, rendering["lang"])
    check("wrapper", ep.body.wrapper if ep.body else None, truth["body_wrapper"])
    check("shown_wrapper", ep.body.shown_wrapper if ep.body else None, truth["shown_wrapper"])
    want = _truth_params(truth)
    got = _ir_params(ep)
    check("param keys", sorted(got), sorted(want))
    for key in sorted(set(got) & set(want)):
        g, w = got[key], want[key]
        check(f"param {key} type", g.type, w["type"])
        check(f"param {key} required", g.required, w["required"])
        check(f"param {key} description", g.description, w["description"])
        if w.get("valid_values") and not w["description"]:
            check(f"param {key} valid_values", g.valid_values, w["valid_values"])
    check("request_example", ep.request_example.raw if ep.request_example else None, truth["request_example"])
    check("response_example", ep.response_example.raw if ep.response_example else None, truth["response_example_text"])
    shown_block = rendering["response_block"]
    if form == "flat" and shown_block != "delete":
        shown_block = "none"  # the flat rendering drops the response tree and the empty-object sentence
    check("response block", ep.response.block, shown_block)
    if form != "flat" and rendering["response_block"] == "tree":
        check("response tree", _ir_tree(ep.response.fields), _truth_tree(truth["response"]["fields"]))
    return problems


__all__ = ["Location", "compare"]
