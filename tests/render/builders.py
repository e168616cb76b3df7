"""Hand-built IR for the renderer's tests, and a way to load a generated package in-process."""

from __future__ import annotations

import importlib
import itertools
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.ir.model import (
    IR,
    Body,
    Endpoint,
    Example,
    Kind,
    Location,
    NamedType,
    Param,
    Response,
    ResponseField,
    Source,
)
from generator.render import render_sdk
from generator.render.output import write_tree

_counter = itertools.count()


def param(
    name: str,
    kind: Kind = Kind.STRING,
    *,
    type_: str | None = None,
    required: bool = False,
    location: Location = Location.BODY,
    **extra: Any,
) -> Param:
    return Param(
        name=name, type=type_ or kind.value.capitalize(), kind=kind, required=required, location=location, **extra
    )


def field(name: str, kind: Kind = Kind.STRING, *, type_: str | None = None, **extra: Any) -> ResponseField:
    return ResponseField(name=name, type=type_ or kind.value.capitalize(), kind=kind, **extra)


def endpoint(
    operation_id: str,
    *,
    method: str = "POST",
    path: str = "/zstack/v1/things",
    group: str = "Thing Operations",
    params: list[Param] | None = None,
    top_level: list[Param] | None = None,
    path_params: list[Param] | None = None,
    query_params: list[Param] | None = None,
    fields: list[ResponseField] | None = None,
    example: dict[str, Any] | None = None,
    wrapper: str | None = "params",
    **extra: Any,
) -> Endpoint:
    body = None
    if method in ("POST", "PUT"):
        body = Body(wrapper=wrapper, shown_wrapper=wrapper, params=params or [], top_level=top_level or [])
    return Endpoint(
        operation_id=operation_id,
        title=extra.pop("title", operation_id),
        group=group,
        method=method,
        path=path,
        path_params=path_params or [],
        query_params=query_params or [],
        body=body,
        response=Response(block="tree", fields=fields or []),
        response_example=Example(status=200, raw="{}", parsed=example if example is not None else {}),
        source=Source(file=f"pages/{operation_id}.txt", line=1),
        **extra,
    )


def error_code_type() -> NamedType:
    """`ErrorCode`, recursive through `cause`, as the scraper registers it."""
    return NamedType(
        name="ErrorCode",
        kind="object",
        fields=[
            field("code"),
            field("description"),
            field("opaque", Kind.MAP, type_="LinkedHashMap"),
            field("cause", Kind.OBJECT, type_="ErrorCode", ref="ErrorCode"),
        ],
    )


def error_field() -> ResponseField:
    return field("error", Kind.OBJECT, type_="ErrorCode", ref="ErrorCode")


def ir_of(*endpoints: Endpoint, types: list[NamedType] | None = None) -> IR:
    return IR(endpoints=list(endpoints), types={t.name: t for t in types or []})


def unique_package() -> str:
    return f"sdk_under_test_{next(_counter)}"


def load_generated(ir: IR, root: Path, package: str | None = None) -> tuple[str, Path]:
    """Render and write the SDK into `root`, put it on sys.path; returns (package, folder)."""
    package = package or unique_package()
    out = root / package
    write_tree(render_sdk(ir, package).files, out)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    return package, out


def module(name: str) -> ModuleType:
    return importlib.import_module(name)
