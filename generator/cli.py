"""Command line: parse arguments, call one function per command, map errors to exit codes.

Exit codes: 0 success, 1 a failure the user must look at (a page that could not be read,
a gate that tripped), 2 usage errors. Never a traceback for bad input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator import __version__
from generator.errors import SdkgenError, UsageError


class _Group(click.Group):
    """Turns SdkgenError into one line on stderr and an exit code instead of a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"sdkgen: {exc}", err=True)
            sys.exit(2)
        except SdkgenError as exc:
            click.echo(f"sdkgen: {exc}", err=True)
            sys.exit(1)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="sdkgen")
def main() -> None:
    """Typed Python SDKs, OpenAPI and API diffs from API documentation pages."""


def _write_output(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from generator.fsutil import write_atomic

        write_atomic(output, text)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="IR file to write (default: stdout).")
@click.option("--overlay", type=click.Path(path_type=Path), help="YAML/JSON patches by operation id.")
@click.option("-j", "--jobs", type=int, default=0, help="Parallel workers (0 = one per core).")
def scrape(inputs: tuple[Path, ...], output: Path | None, overlay: Path | None, jobs: int) -> None:
    """Parse doc pages (files or folders: .html/.htm/.txt) into the IR."""
    from generator.ir import dump_ir
    from generator.scrape import scrape_paths

    result = scrape_paths(list(inputs), overlay=overlay, jobs=jobs)
    for err in result.errors:
        click.echo(f"{err.source}: {err.message}", err=True)
    _write_output(dump_ir(result.ir), output)
    click.echo(
        f"sdkgen: {len(result.ir.endpoints)} operations, {len(result.ir.types)} types, "
        f"{len(result.errors)} pages failed",
        err=True,
    )
    if result.errors:
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the IR file."""
    from generator.ir import ir_json_schema

    click.echo(json.dumps(ir_json_schema(), indent=2, sort_keys=True))
