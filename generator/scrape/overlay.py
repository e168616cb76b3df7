"""User overlays: patches by operation id for doc errors no rule can see.

```yaml
CreateVmCdRom:
  since: "3.3.0"
  documented_async: true
  params:                 # by parameter name, wherever it is listed
    isoUuid: {required: true}
  body: {wrapper: params}
```
Every patched key is recorded as a Repair with rule `overlay`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from generator.errors import SdkgenError, first_validation_problem
from generator.ir.model import Endpoint, Repair, Source


def load_overlay(path: Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SdkgenError(f"{path}: cannot read overlay: {exc}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise SdkgenError(f"{path}:{exc.lineno}: overlay is not valid JSON: {exc.msg}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SdkgenError(f"{path}{line}: overlay is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise SdkgenError(f"{path}: an overlay maps operation ids to mappings of fields to patch")
    return {str(k): v for k, v in data.items()}


def apply_overlay(endpoints: list[Endpoint], overlay: dict[str, dict[str, Any]], path: Path) -> list[Endpoint]:
    by_id = {e.operation_id: i for i, e in enumerate(endpoints)}
    result = list(endpoints)
    for operation_id, patch in sorted(overlay.items()):
        if operation_id not in by_id:
            raise SdkgenError(f"{path}: overlay names unknown operation {operation_id!r}")
        index = by_id[operation_id]
        result[index] = _patch_endpoint(result[index], patch, path)
    return result


def _patch_endpoint(endpoint: Endpoint, patch: dict[str, Any], path: Path) -> Endpoint:
    data = endpoint.model_dump(mode="json")
    repairs: list[Repair] = []
    source = Source(file=str(path))
    for key, value in patch.items():
        if key == "params" and isinstance(value, dict):
            for name, fields in value.items():
                param = _find_param(data, str(name))
                if param is None or not isinstance(fields, dict):
                    raise SdkgenError(f"{path}: {endpoint.operation_id}: no parameter {name!r} to patch")
                for field, new in fields.items():
                    repairs.append(_record(f"param:{name}.{field}", param.get(field), new, source))
                    param[field] = new
            continue
        old = data.get(key)
        data[key] = _deep_merge(old, value)
        repairs.append(_record(key, old, data[key], source))
    data["repairs"] = [*data.get("repairs", []), *(r.model_dump(mode="json") for r in repairs)]
    try:
        return Endpoint.model_validate(data)
    except ValidationError as exc:
        problem = first_validation_problem(exc)
        raise SdkgenError(f"{path}: {endpoint.operation_id}: invalid patch {problem}") from exc


def _find_param(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    groups = [data.get("path_params") or [], data.get("query_params") or []]
    body = data.get("body") or {}
    groups += [body.get("params") or [], body.get("top_level") or []]
    for group in groups:
        for param in group:
            if param.get("name") == name:
                return param  # type: ignore[no-any-return]
    return None


def _deep_merge(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = _deep_merge(old.get(key), value)
        return merged
    return new


def _record(target: str, shown: Any, repaired: Any, source: Source) -> Repair:
    return Repair(
        rule="overlay",
        target=target,
        shown=shown,
        repaired=repaired,
        reason="patched by the user overlay",
        source=source,
    )
