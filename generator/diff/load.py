"""The two sides of a diff: IR files read trimmed to what the differ compares, or pages scraped now."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import SdkgenError
from generator.fsutil import gc_paused
from generator.ir.model import IR, IR_VERSION

# What the differ never reads. Left out before validation, since validating the
# examples and the `source` of every parameter and field costs about as much as
# the rest of a large IR file.
_UNUSED_ENDPOINT_KEYS = ("request_example", "response_example", "repairs", "inferences", "warnings", "breadcrumb")


def load_version(path: Path, jobs: int = 0) -> IR:
    """One side of a diff: an IR file (`*.json`) or doc pages (a file or folder), scraped now.

    A page that cannot be read would show up as an operation added or removed, so
    any scrape error stops the diff rather than produce a wrong one.
    """
    if is_ir_file(path):
        return read_ir_for_diff(path)
    from generator.scrape import scrape_paths

    result = scrape_paths([path], jobs=jobs)
    if result.errors:
        first = result.errors[0]
        raise SdkgenError(
            f"{first.source}: {first.message} ({len(result.errors)} page(s) under {path} could not be read; "
            "a diff without them would be wrong)"
        )
    return result.ir


def is_ir_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".json"


def read_ir_for_diff(path: Path) -> IR:
    """The IR file without the parts a diff does not compare (examples, repairs, sources).

    Anything wrong with the file is left to `load_ir`, which reads it whole and
    says exactly what is wrong.
    """
    trimmed = _read_trimmed(path)
    if trimmed is not None:
        return trimmed
    from generator.ir import load_ir

    return load_ir(path)


def _read_trimmed(path: Path) -> IR | None:
    try:
        with gc_paused():
            raw = json.loads(path.read_bytes())
            if not isinstance(raw, dict) or str(raw.get("ir_version", "")).split(".")[0] != IR_VERSION.split(".")[0]:
                return None
            return IR.model_validate(_trim(raw))
    except (OSError, ValueError, ValidationError, TypeError, AttributeError):
        return None


def _trim(raw: dict[str, Any]) -> dict[str, Any]:
    raw.pop("diagnostics", None)
    for endpoint in raw.get("endpoints", []):
        for key in _UNUSED_ENDPOINT_KEYS:
            endpoint.pop(key, None)
        _trim_nodes(endpoint.get("path_params", []))
        _trim_nodes(endpoint.get("query_params", []))
        body = endpoint.get("body") or {}
        body.pop("source", None)
        _trim_nodes(body.get("params", []))
        _trim_nodes(body.get("top_level", []))
        response = endpoint.get("response") or {}
        response.pop("error_example", None)
        _trim_nodes(response.get("fields", []))
    for named in raw.get("types", {}).values():
        named.pop("sources", None)
        named.pop("used_by", None)
        _trim_nodes(named.get("fields", []))
    return raw


def _trim_nodes(nodes: list[dict[str, Any]]) -> None:
    for node in nodes:
        node.pop("source", None)
        _trim_nodes(node.get("children", []))
