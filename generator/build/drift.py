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
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.errors import SdkgenError

if TYPE_CHECKING:
    from generator.build.context import PostDocuments
    from generator.config import BuildConfig
    from generator.ir.model import IR, Endpoint

_TABLE_ROWS = 20
_RECORD = "drift-shapes.json"


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
    previous = previous_shapes(config)
    new = _new_shapes(context, previous)
    save_shapes(config, context.ir_bytes, new)
    if config.accept_drift or not previous:
        return
    found = collapses(previous, new)
    if tripped(len(found), len(previous), config):
        raise DriftError(refusal(found, len(previous), config))


def _new_shapes(context: PostDocuments, previous: dict[str, Shape]) -> dict[str, Shape]:
    if context.new_model is not None:
        return shapes_of_model(context.new_model)
    if context.changed is not None and previous:
        # A patch build keeps every operation but the ones it re-read as they were.
        shapes = dict(previous)
        for endpoint in context.changed:
            before = shapes.get(endpoint.operation_id)
            if before is not None and before.file == endpoint.source.file:
                shapes[endpoint.operation_id] = _shape(endpoint)
        return shapes
    return shapes_of_json(context.ir_bytes)


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
    return {endpoint.operation_id: _shape(endpoint) for endpoint in ir.endpoints}


def _shape(endpoint: Endpoint) -> Shape:
    params = len(endpoint.path_params) + len(endpoint.query_params)
    if endpoint.body is not None:
        params += len(endpoint.body.params) + len(endpoint.body.top_level)
    return Shape(params, len(endpoint.response.fields), endpoint.source.file)


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


def previous_shapes(config: BuildConfig) -> dict[str, Shape]:
    """The last build's operations: from the record the last build kept when it describes the IR on
    disk (a checksum of its bytes), else from the IR itself; none before the first build or when the
    IR cannot be read (nothing to compare with)."""
    try:
        data = config.ir.read_bytes()
    except OSError:
        return {}
    recorded = _recorded_shapes(config, _checksum(data))
    if recorded is not None:
        return recorded
    try:
        return shapes_of_json(data)
    except ValueError:
        return {}


def save_shapes(config: BuildConfig, ir_bytes: bytes, shapes: Mapping[str, Shape]) -> None:
    """Keep the new IR's shapes beside the caches, so the next build need not parse the IR (0.2-0.4 s)."""
    record = {"ir": _checksum(ir_bytes), "shapes": {op: [s.params, s.fields, s.file] for op, s in shapes.items()}}
    path = config.cache / _RECORD
    try:
        config.cache.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(record, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        pass  # only a cost: the next build reads the IR instead


def _recorded_shapes(config: BuildConfig, checksum: str) -> dict[str, Shape] | None:
    try:
        record = json.loads((config.cache / _RECORD).read_text(encoding="utf-8"))
        if record["ir"] != checksum:
            return None
        return {op: Shape(int(p), int(f), str(file)) for op, (p, f, file) in record["shapes"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _checksum(data: bytes) -> str:
    # Tells whether the record describes these bytes; CRC-32 reads 20 MB in a few milliseconds.
    return f"{len(data)}:{zlib.crc32(data):08x}"
