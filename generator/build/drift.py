"""The drift guard: a build that would publish a collapse of the API is refused.

When the docs site changes its theme, a scraper that no longer understands the markup may still read
every page "successfully" and give operations with no parameters, no response fields, or none at
all. Compared with the last build's IR (config.ir), a real API change touches a few operations; a
collapse touches a large share of them at once. Past both thresholds (`[tool.sdkgen]
drift_max_share`, `drift_min_operations`) the build stops before anything is staged, so generated/
and the caches stay as they were, and the error lists which operations changed shape and how.
`--accept-drift` publishes anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.build.snapshot import MAX_PATCHED_PAGES
from generator.errors import SdkgenError

if TYPE_CHECKING:
    from generator.build.context import PostDocuments
    from generator.config import BuildConfig
    from generator.ir.model import IR

_TABLE_ROWS = 20


@dataclass(frozen=True, slots=True)
class Shape:
    """What of an operation a collapse takes away."""

    params: int  # top-level request parameters (path, query, body)
    fields: int  # top-level response fields
    file: str


@dataclass(frozen=True, slots=True)
class Collapse:
    operation_id: str
    file: str
    how: str  # "disappeared", "parameters 7 -> 0", ...


class DriftError(SdkgenError):
    """The new IR lost a large share of the API: nothing was published."""


def check_drift(context: PostDocuments) -> None:
    """The post-documents step: refuse a build whose IR collapsed against the last one."""
    config = context.config
    if config.accept_drift:
        return
    # A patch build re-reads at most MAX_PATCHED_PAGES pages and keeps every operation and response
    # tree; with fewer pages than the threshold it cannot collapse, and nothing needs reading.
    if context.patched and config.drift_min_operations > MAX_PATCHED_PAGES:
        return
    previous = _previous_shapes(config)
    if not previous:
        return
    new = shapes_of_model(context.new_model) if context.new_model is not None else shapes_of_json(context.ir_bytes)
    found = collapses(previous, new)
    if tripped(len(found), len(previous), config):
        raise DriftError(refusal(found, len(previous), config))


def tripped(collapsed: int, before: int, config: BuildConfig) -> bool:
    return collapsed >= config.drift_min_operations and collapsed > config.drift_max_share * before


def collapses(previous: Mapping[str, Shape], new: Mapping[str, Shape]) -> list[Collapse]:
    """Operations that disappeared, or lost every parameter or every response field."""
    found: list[Collapse] = []
    for operation_id, before in sorted(previous.items()):
        after = new.get(operation_id)
        if after is None:
            found.append(Collapse(operation_id, before.file, "disappeared"))
            continue
        counts = (("parameters", before.params, after.params), ("response fields", before.fields, after.fields))
        lost = [f"{what} {old} -> 0" for what, old, now in counts if old and not now]
        if lost:
            found.append(Collapse(operation_id, after.file, ", ".join(lost)))
    return found


def refusal(found: list[Collapse], before: int, config: BuildConfig) -> str:
    share = len(found) / before
    rows = [f"  {c.operation_id:<40} {c.how:<34} {c.file}" for c in found[:_TABLE_ROWS]]
    if len(found) > _TABLE_ROWS:
        rows.append(f"  ... and {len(found) - _TABLE_ROWS} more")
    return "\n".join(
        [
            f"{len(found)} of the {before} operations of the last build ({share:.0%}) disappeared or lost all "
            f"their parameters or response fields; {config.output} left unchanged",
            f"  {'operation':<40} {'change':<34} page",
            *rows,
            "If the docs really changed this much, rebuild with --accept-drift; if their markup changed, "
            f"the pages were not understood (thresholds: drift_max_share = {config.drift_max_share}, "
            f"drift_min_operations = {config.drift_min_operations} in [tool.sdkgen] of {config.source})",
        ]
    )


def shapes_of_model(ir: IR) -> dict[str, Shape]:
    shapes: dict[str, Shape] = {}
    for endpoint in ir.endpoints:
        params = len(endpoint.path_params) + len(endpoint.query_params)
        if endpoint.body is not None:
            params += len(endpoint.body.params) + len(endpoint.body.top_level)
        shapes[endpoint.operation_id] = Shape(params, len(endpoint.response.fields), endpoint.source.file)
    return shapes


def shapes_of_json(data: bytes) -> dict[str, Shape]:
    """The same from an IR file, read as plain JSON: a fifth of the time of validating the model."""
    document = json.loads(data)
    endpoints = document.get("endpoints") if isinstance(document, dict) else None
    return dict(_shapes(endpoints if isinstance(endpoints, list) else []))


def _shapes(endpoints: Iterable[Any]) -> Iterable[tuple[str, Shape]]:
    for endpoint in endpoints:
        if not isinstance(endpoint, dict) or not isinstance(endpoint.get("operation_id"), str):
            continue
        body = endpoint.get("body") or {}
        params = sum(len(endpoint.get(key) or []) for key in ("path_params", "query_params"))
        params += len(body.get("params") or []) + len(body.get("top_level") or [])
        fields = len((endpoint.get("response") or {}).get("fields") or [])
        file = str((endpoint.get("source") or {}).get("file", ""))
        yield endpoint["operation_id"], Shape(params, fields, file)


def _previous_shapes(config: BuildConfig) -> dict[str, Shape]:
    """The last build's operations; none when there is no last build or its IR cannot be read (then
    there is nothing to compare with, which the first build and a hand-deleted IR both mean)."""
    try:
        return shapes_of_json(config.ir.read_bytes())
    except (OSError, ValueError):
        return {}
