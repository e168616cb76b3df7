"""The IR: pydantic models (the contract) and their JSON file form."""

from generator.ir.io import dump_ir, ir_json_schema, load_ir
from generator.ir.model import (
    IR,
    IR_VERSION,
    Body,
    Diagnostic,
    Endpoint,
    Example,
    Kind,
    Location,
    NamedType,
    Param,
    Repair,
    RequestExample,
    Response,
    ResponseField,
    Severity,
    Source,
)

__all__ = [
    "IR",
    "IR_VERSION",
    "Body",
    "Diagnostic",
    "Endpoint",
    "Example",
    "Kind",
    "Location",
    "NamedType",
    "Param",
    "Repair",
    "RequestExample",
    "Response",
    "ResponseField",
    "Severity",
    "Source",
    "dump_ir",
    "ir_json_schema",
    "load_ir",
]
