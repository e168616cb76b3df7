"""`sdkgen build`: the main job from `[tool.sdkgen]` — scrape the pages, write the IR, generate the SDK.

All of the output (SDK and, when it lives there, the IR) is rendered in memory and swapped into
the output folder in one step, so a failure leaves the previous build intact. A page that fails to
scrape does not stop the build: it is left out and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.config import BuildConfig
from generator.errors import SdkgenError
from generator.fsutil import write_atomic
from generator.ir import dump_ir
from generator.ir.model import Diagnostic
from generator.render import check_package_name, render_sdk
from generator.render.output import check_replaceable, write_tree


@dataclass(frozen=True)
class BuildReport:
    output: Path
    ir: Path
    operations: int
    groups: int
    types: int
    failed_pages: list[Diagnostic] = field(default_factory=list)


def _check_inputs(config: BuildConfig) -> None:
    for item in config.inputs:
        if not item.exists():
            raise SdkgenError(f"{config.source}: [tool.sdkgen] input {item} does not exist")


def build(config: BuildConfig, *, jobs: int = 0) -> BuildReport:
    """Run the build; raises SdkgenError (output untouched) when nothing usable comes out."""
    from generator.scrape import scrape_paths

    check_package_name(config.package_name)
    check_replaceable(config.output)
    _check_inputs(config)
    result = scrape_paths(list(config.inputs), jobs=jobs)
    if not result.ir.endpoints:
        raise SdkgenError(
            f"{config.source}: no operation could be read from {', '.join(map(str, config.inputs))}; "
            f"{config.output} left unchanged"
        )
    rendered = render_sdk(result.ir, config.package_name)
    files = dict(rendered.files)
    ir_text = dump_ir(result.ir)
    inside = config.ir_inside_output
    if inside is not None:
        if inside in files:
            raise SdkgenError(f"{config.source}: [tool.sdkgen] ir {inside!r} would overwrite a generated file")
        files[inside] = ir_text
    write_tree(dict(sorted(files.items())), config.output)
    if inside is None:
        write_atomic(config.ir, ir_text)
    return BuildReport(
        output=config.output,
        ir=config.ir,
        operations=rendered.operations,
        groups=rendered.groups,
        types=rendered.types,
        failed_pages=list(result.errors),
    )
