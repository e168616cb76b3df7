"""The IR as a file: versioned, deterministic JSON that people can read and diff."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator.errors import SdkgenError, first_validation_problem
from generator.ir.model import IR, IR_VERSION
from generator.jsonout import indented_model_json


def dump_ir(ir: IR) -> str:
    """Serialize with sorted endpoints and types so the same docs give the same bytes."""
    ordered = ir.model_copy(
        update={
            "endpoints": sorted(ir.endpoints, key=lambda e: e.operation_id),
            "types": dict(sorted(ir.types.items())),
        }
    )
    header = {"ir_version": ir.ir_version, "generator": ir.generator}  # always written, default or not
    return indented_model_json(ordered, 1, lead=header, exclude_defaults=True) + "\n"


def load_ir(path: Path) -> IR:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SdkgenError(f"{path}: cannot read IR file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise SdkgenError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from exc
    if not isinstance(raw, dict) or "ir_version" not in raw:
        raise SdkgenError(f"{path}: not an sdkgen IR file (no ir_version)")
    major = str(raw["ir_version"]).split(".")[0]
    if major != IR_VERSION.split(".")[0]:
        raise SdkgenError(f"{path}: IR version {raw['ir_version']} is not supported (this sdkgen reads {IR_VERSION})")
    try:
        return IR.model_validate(raw)
    except ValidationError as exc:
        raise SdkgenError(f"{path}: invalid IR {first_validation_problem(exc)}") from exc


def ir_json_schema() -> dict[str, Any]:
    schema = IR.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://sdkgen.dev/ir/{IR_VERSION}/schema.json"
    return schema
