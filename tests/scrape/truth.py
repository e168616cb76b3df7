"""Compare an Endpoint with the corpus truth on every field the page shows; return the mismatches."""

from __future__ import annotations

from typing import Any

from generator.ir.model import Endpoint, Location, ResponseField


def _truth_params(truth: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(p["location"], p["name"]): p for p in truth["params"]}


def _ir_params(ep: Endpoint) -> dict[tuple[str, str], Any]:
    return {(p.location.value, p.name): p for p in ep.all_params()}


def truth_tree(nodes: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for n in nodes:
        children = n.get("children", [])
        enum = [c["name"] for c in children if c.get("enum_value")]
        fields = [c for c in children if not c.get("enum_value")]
        # A List's element type is not on the page, so neither is whether it recurses (subTasks).
        recursive = bool(n.get("recursive")) and n["type"] not in ("List", "Set", "Map")
        out.append((n["name"], n["type"], n["description"], tuple(enum), recursive, tuple(truth_tree(fields))))
    return out


def ir_tree(nodes: list[ResponseField]) -> list[tuple[Any, ...]]:
    return [
        (n.name, n.type, n.description, tuple(n.enum_values), n.recursive, tuple(ir_tree(n.children))) for n in nodes
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
        check("response tree", ir_tree(ep.response.fields), truth_tree(truth["response"]["fields"]))
    return problems


def missing_response_fields(document: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """The truth's response fields (dotted paths) that the OpenAPI export does not have at their place:
    under the operation's 200 schema, through `$ref`s to the registry's types, a list's `items`, a map's
    `additionalProperties` and the alternatives of an `anyOf`."""
    schemas = document["components"]["schemas"]
    operation = next(
        (op for item in document["paths"].values() for op in item.values()
         if isinstance(op, dict) and op.get("operationId") == truth["name"]),
        None,
    )  # fmt: skip
    if operation is None:
        return [f"{truth['name']}: no operation"]
    missing: list[str] = []

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        for _ in range(64):
            if "$ref" not in schema:
                break
            schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def child(schema: dict[str, Any], name: str) -> dict[str, Any] | None:
        schema = resolve(schema)
        if "items" in schema:
            schema = resolve(schema["items"])
        if isinstance(schema.get("additionalProperties"), dict):
            schema = resolve(schema["additionalProperties"])
        for alternative in schema.get("anyOf", []):
            found = child(alternative, name)
            if found is not None:
                return found
        found = schema.get("properties", {}).get(name)
        return found if isinstance(found, dict) else None

    def walk(nodes: list[dict[str, Any]], schema: dict[str, Any], path: str) -> None:
        for node in nodes:
            if node.get("enum_value"):
                continue
            inner = child(schema, node["name"])
            if inner is None:
                missing.append(f"{truth['name']}: {path}{node['name']}")
            elif not node.get("recursive"):
                walk(node.get("children", []), inner, f"{path}{node['name']}.")

    walk(truth["response"]["fields"], operation["responses"]["200"]["content"]["application/json"]["schema"], "")
    return missing


__all__ = ["Location", "compare", "missing_response_fields"]
