"""Command line: parse arguments, call one function per command, map errors to exit codes.

Exit codes: 0 success, 1 a failure the user must look at (a page that could not be read,
a gate that tripped), 2 usage errors. Never a traceback for bad input.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__
from generator.errors import SdkgenError, UsageError

if TYPE_CHECKING:
    from generator.build.report import BuildReport
    from generator.config import BuildConfig


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


def run() -> None:
    """The `sdkgen` program (console script and `python -m generator`).

    A command runs once in a process of its own: the cycle collector is switched off for it (its
    passes over the hundreds of thousands of IR objects free nothing, as the IR holds no cycles, and
    cost a tenth of a second each), and the process ends without tearing down its objects one by one
    (every file is closed and every worker joined by then). In-process callers (tests) call `main`.
    """
    gc.disable()
    try:
        main()
        code: int | str | None = 0
    except SystemExit as exc:
        code = exc.code
    if isinstance(code, str):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError):  # the reader went away (`| head`): nothing more to tell it
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)


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


@main.command()
@click.argument("ir_file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="OpenAPI file to write (default: stdout).")
@click.option("--api-version", help="info.version of the document (default: the IR version).")
def openapi(ir_file: Path, output: Path | None, api_version: str | None) -> None:
    """Export an IR file as an OpenAPI 3.1 document (JSON)."""
    from generator.ir import load_ir
    from generator.openapi import dump_openapi, to_openapi

    ir = load_ir(ir_file)
    document = to_openapi(ir, version=api_version)
    try:
        _write_output(dump_openapi(document), output)
    except OSError as exc:
        raise SdkgenError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    omitted = len(document.get("x-zstack-omitted-operations", []))
    click.echo(
        f"sdkgen: {len(ir.endpoints) - omitted} operations, {len(document['paths'])} paths, "
        f"{len(document['components']['schemas'])} schemas, {omitted} left out (no endpoint path)",
        err=True,
    )


_DIFF_INPUT = click.Path(exists=True, path_type=Path)


@main.command()
@click.argument("old", type=_DIFF_INPUT)
@click.argument("new", type=_DIFF_INPUT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull request, json for tools.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when the diff holds a breaking change / any change.",
)
@click.option(
    "--descriptions/--no-descriptions",
    default=True,
    show_default=True,
    help="Report description changes (doc-only, never breaking) in every format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("-j", "--jobs", type=int, default=0, help="Parallel scrape workers for page folders (0 = one per core).")
def diff(old: Path, new: Path, fmt: str, fail_on: str, descriptions: bool, output: Path | None, jobs: int) -> None:
    """Compare two doc versions (IR .json files or page folders) and flag breaking changes."""
    from generator.diff import diff_paths, render_json, render_markdown, render_text

    report = diff_paths(old, new, jobs=jobs, descriptions=descriptions)
    if fmt == "json":
        text = render_json(report)
    elif fmt == "markdown":
        text = render_markdown(report)
    else:
        text = render_text(report, color=output is None)
    _write_output(text, output)
    if (fail_on == "breaking" and report.breaking) or (fail_on == "any" and report.changes):
        sys.exit(1)


@main.command()
@click.argument("old", type=_DIFF_INPUT)
@click.argument("new", type=_DIFF_INPUT)
@click.option("--current-version", help="The SDK's current MAJOR.MINOR.PATCH: the section is headed by the next one.")
@click.option("--bump-only", is_flag=True, help="Print only the bump (or, with --current-version, the next version).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("-j", "--jobs", type=int, default=0, help="Parallel scrape workers for page folders (0 = one per core).")
def changelog(
    old: Path, new: Path, current_version: str | None, bump_only: bool, output: Path | None, jobs: int
) -> None:
    """A CHANGELOG section (Breaking / Added / Changed / Docs) and the semver bump it implies."""
    from generator.changelog import build_changelog, check_version
    from generator.diff import diff_paths

    if current_version is not None:
        check_version(current_version)  # a usage error before minutes of scraping, not after
    result = build_changelog(diff_paths(old, new, jobs=jobs), current_version)
    if bump_only:
        _write_output(f"{result.next_version or result.bump.value}\n", output)
    else:
        _write_output(result.markdown, output)


@main.command()
@click.argument("url")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("input_docs"),
    show_default=True,
    help="Snapshot folder: pages/<slug>.html and manifest.json.",
)
@click.option("-j", "--concurrency", type=click.IntRange(1, 64), default=8, show_default=True, help="Requests at once.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True, help="Seconds per try.")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True, help="Extra attempts per page.")
@click.option(
    "--backoff", type=click.FloatRange(min=0), default=0.5, show_default=True, help="First retry delay (doubles)."
)
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=5 * 1024 * 1024, show_default=True, help="Page size limit."
)
@click.option("--keep-removed", is_flag=True, help="Keep the files of pages the site no longer lists.")
def crawl(
    url: str,
    output: Path,
    concurrency: int,
    timeout: float,
    retries: int,
    backoff: float,
    max_bytes: int,
    keep_removed: bool,
) -> None:
    """Fetch every API page under the explorer URL into a snapshot folder.

    Pages come from the site's sitemap.xml (else from links on the URL's page); robots.txt is
    honoured; unchanged pages cost a 304. Interrupted crawls resume where they stopped.
    """
    import asyncio

    from generator.crawl import crawl_site, make_progress

    progress = make_progress(sys.stderr)
    try:
        report = asyncio.run(
            crawl_site(
                url,
                output,
                concurrency=concurrency,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
                max_bytes=max_bytes,
                prune=not keep_removed,
                progress=progress,
            )
        )
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"sdkgen: interrupted; progress saved in {output}/manifest.json, rerun to resume", err=True)
        sys.exit(130)
    finally:
        progress.close()
    for page in report.failed:
        click.echo(f"{page.url}: {page.reason}", err=True)
    for gone in report.removed:
        click.echo(f"{gone.url}: no longer listed, {'deleted' if gone.deleted else 'kept'} {gone.file}", err=True)
    click.echo(f"sdkgen: {report.summary()}", err=True)
    if report.failed:
        sys.exit(1)


_TEMPLATES_OPTION = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of Jinja templates used before the built-in ones, file by file (docs/templates.md).",
)


def _with_options(config: BuildConfig, accept: bool, templates: Path | None) -> BuildConfig:
    config = _with_drift(config, accept)
    return dataclasses.replace(config, templates=templates) if templates is not None else config


@main.command()
@click.argument("ir_file", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="SDK folder (replaced).")
@click.option("--package-name", default="zstack_sdk", show_default=True, help="Python package name.")
@_TEMPLATES_OPTION
def generate(ir_file: Path, output: Path, package_name: str, templates: Path | None) -> None:
    """Render an installable, typed Python SDK from an IR file."""
    from generator.ir import load_ir
    from generator.render import check_package_name, generate_sdk

    check_package_name(package_name)
    rendered = generate_sdk(load_ir(ir_file), output, package_name, templates=templates)
    click.echo(
        f"sdkgen: {rendered.operations} operations in {rendered.groups} groups, {rendered.types} types "
        f"-> {output} (package {package_name})",
        err=True,
    )


_CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=Path("pyproject.toml"),
    show_default=True,
    help="pyproject.toml holding [tool.sdkgen].",
)


_ACCEPT_DRIFT = click.option(
    "--accept-drift",
    is_flag=True,
    help="Publish even when a large share of the operations disappeared or lost all parameters or response fields.",
)


def _with_drift(config: BuildConfig, accept: bool) -> BuildConfig:
    return dataclasses.replace(config, accept_drift=True) if accept else config


@main.command()
@_CONFIG_OPTION
@click.option("-j", "--jobs", type=int, default=0, help="Parallel workers (0 = one per core).")
@click.option("--no-cache", is_flag=True, help="Build from scratch, ignoring .sdkgen-cache (then refresh it).")
@click.option("-v", "--verbose", is_flag=True, help="Also print the time of each phase.")
@_ACCEPT_DRIFT
@_TEMPLATES_OPTION
def build(
    config_path: Path, jobs: int, no_cache: bool, verbose: bool, accept_drift: bool, templates: Path | None
) -> None:
    """Scrape the input pages, write the IR, OpenAPI and SDK ([tool.sdkgen] in pyproject.toml).

    Incremental: only changed pages are parsed again and only changed files rewritten; a build
    with nothing changed does nothing. The output folder is swapped in atomically.
    """
    from generator.build.run import build as run_build
    from generator.config import load_config

    config = _with_options(load_config(config_path), accept_drift, templates)
    report = run_build(config, jobs=jobs, use_cache=not no_cache)
    _echo_build(report)
    if verbose:
        _echo_details(report)
    if report.failed_pages:
        sys.exit(1)


def _echo_details(report: BuildReport) -> None:
    """Time per phase, work done, peak memory (largest single process: this one, or a worker)."""
    import resource

    phases = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in report.timings.items())
    own, worker = (
        resource.getrusage(who).ru_maxrss // 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    click.echo(
        f"sdkgen: {phases}; {report.units_rendered} groups and type modules rendered, {report.units_reused} reused; "
        f"black on {report.black_runs} statements, {report.compiled} modules compiled; "
        f"peak RSS {own} MB (largest worker {worker} MB)",
        err=True,
    )


def _echo_build(report: BuildReport) -> None:
    for err in report.failed_pages:
        click.echo(f"{err.source}: {err.message} (page left out)", err=True)
    click.echo(
        f"sdkgen: {report.operations} operations in {report.groups} groups, {report.types} types "
        f"-> {report.output}; IR {report.ir}; {len(report.failed_pages)} pages failed ({report.summary()})",
        err=True,
    )


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text (FILE:LINE: severity: message [rule]), markdown grouped by rule, or json.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["warning", "error", "any", "none"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at or above this severity exists (any = info too, none = never).",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("-j", "--jobs", type=int, default=0, help="Parallel scrape workers (0 = one per core).")
def lint(inputs: tuple[Path, ...], fmt: str, fail_on: str, output: Path | None, jobs: int) -> None:
    """Doc-quality report: every anomaly on the pages (files, folders or IR .json files)."""
    from generator.lint import lint_paths, render_json, render_markdown, render_text, should_fail, summary_line

    findings = lint_paths(list(inputs), jobs=jobs)
    renderers = {"json": render_json, "markdown": render_markdown, "text": render_text}
    try:
        _write_output(renderers[fmt](findings), output)
    except OSError as exc:
        raise SdkgenError(f"{output}: cannot write: {exc.strerror or exc}") from exc
    click.echo(summary_line(findings), err=True)
    if should_fail(findings, fail_on):
        sys.exit(1)


@main.command()
@click.argument("url")
@click.option(
    "-o",
    "--output",
    "snapshot",
    type=click.Path(path_type=Path, file_okay=False),
    help="Snapshot folder to crawl into (default: the first [tool.sdkgen] input folder).",
)
@_CONFIG_OPTION
@click.option(
    "--fail-on",
    type=click.Choice(["breaking", "any", "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when the diff holds a breaking change / any change.",
)
@click.option("-j", "--jobs", type=int, default=0, help="Parallel scrape workers (0 = one per core).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=8, show_default=True, help="Requests at once.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=30.0, show_default=True, help="Seconds per try.")
@click.option("--retries", type=click.IntRange(0, 20), default=3, show_default=True, help="Extra attempts per page.")
@_ACCEPT_DRIFT
@_TEMPLATES_OPTION
def update(
    url: str,
    snapshot: Path | None,
    config_path: Path,
    fail_on: str,
    jobs: int,
    concurrency: int,
    timeout: float,
    retries: int,
    accept_drift: bool,
    templates: Path | None,
) -> None:
    """Crawl the docs site, build, and print (Markdown) what changed in the API since the last build.

    The previous build's IR (`[tool.sdkgen] ir`) is the old side of the diff. A page that fails to
    download keeps its previous copy; the run then ends with exit status 1 after building.
    """
    import asyncio

    from generator.build.run import build as run_build
    from generator.build.update import diff_with_previous, previous_ir, snapshot_folder
    from generator.config import load_config
    from generator.crawl import crawl_site, make_progress
    from generator.diff import render_markdown

    config = _with_options(load_config(config_path), accept_drift, templates)
    folder = snapshot_folder(config, snapshot)
    previous = previous_ir(config)  # before the build replaces it
    progress = make_progress(sys.stderr)
    try:
        crawled = asyncio.run(
            crawl_site(url, folder, concurrency=concurrency, timeout=timeout, retries=retries, progress=progress)
        )
    except KeyboardInterrupt:
        progress.close()
        click.echo(f"sdkgen: interrupted; progress saved in {folder}/manifest.json, rerun to resume", err=True)
        sys.exit(130)
    finally:
        progress.close()
    for page in crawled.failed:
        click.echo(f"{page.url}: {page.reason} (previous copy kept)", err=True)
    click.echo(f"sdkgen: {crawled.summary()}", err=True)
    report = run_build(config, jobs=jobs)
    _echo_build(report)
    diff = diff_with_previous(config, previous, report)
    click.echo(render_markdown(diff), nl=False)
    tripped = (fail_on == "breaking" and diff.breaking) or (fail_on == "any" and diff.changes)
    if tripped or crawled.failed or report.failed_pages:
        sys.exit(1)
