"""IR -> an installable, typed Python SDK package (models, API groups, clients, fixtures, tests).

`render_sdk(ir, package)` computes every file in memory (black-formatted, compile()-checked);
`generate_sdk(ir, output, package)` additionally swaps them into `output` in one step.
"""

from __future__ import annotations

from pathlib import Path

from generator.ir.model import IR
from generator.render.emit import RenderError
from generator.render.output import MARKER_FILE, check_replaceable, write_tree
from generator.render.sdk import DEFAULT_PACKAGE, RenderedSdk, check_package_name, render_sdk
from generator.render.templating import TemplateError, templates_in_use


def generate_sdk(ir: IR, output: Path, package: str = DEFAULT_PACKAGE, *, templates: Path | None = None) -> RenderedSdk:
    """Render the SDK for `ir` and replace `output` with it (untouched if anything fails); `templates`:
    a folder of template overrides (see generator.render.templating)."""
    check_replaceable(output)  # before the expensive part
    with templates_in_use(templates):
        rendered = render_sdk(ir, package)
    write_tree(rendered.files, output)
    return rendered


__all__ = [
    "DEFAULT_PACKAGE",
    "MARKER_FILE",
    "RenderError",
    "RenderedSdk",
    "TemplateError",
    "check_package_name",
    "generate_sdk",
    "render_sdk",
]
