"""One fuzz case: mutate a corpus page, scrape it, and check every promise the scraper makes.

The promises: no exception ever escapes (`scrape_page_file` returns an Endpoint or a Diagnostic);
a refused page is one `FILE:LINE: message` naming the page and a line that exists; a parsed page
gives an IR that survives its own JSON round trip and can be written as UTF-8; lint reports it in
its formats; and, when the SDK renderer is present, the generated package compiles and stays in
its folder. A case is fully determined by (seed, index).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fuzz.mutators import mutate
from generator.errors import SdkgenError
from generator.ir.io import dump_ir
from generator.ir.model import IR, Diagnostic, Endpoint
from generator.lint import lint_ir, render_json, render_markdown, render_text
from generator.scrape import assemble_ir, scrape_page_file

Outcome = Literal["parsed", "refused", "failure"]
Renderer = Callable[[IR], Mapping[str, str]]

_FAILURE_LINE = re.compile(r"^[^\n]+?(?::\d+)?: error: [^\n]+ \[(?:page-error|io-error)\]$")
_LINT_LINE = re.compile(r"^[^\n]+?(?::\d+)?: (?:error|warning|info): [^\n]+ \[[a-z-]+\]$")
_RENDER_ROOT = Path("/nonexistent-fuzz-output")


@dataclass(slots=True)
class CaseResult:
    index: int
    base: str
    mutations: list[str]
    outcome: Outcome
    seconds: float
    problem: str | None = None
    rendered: bool = False
    data: bytes = field(default=b"", repr=False)  # kept only for failures


def case_rng(seed: int, index: int) -> random.Random:
    digest = hashlib.sha256(f"sdkgen-fuzz:{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def load_renderer() -> Renderer | None:
    """HOOK: the SDK renderer, written separately (generator.render). When it is importable and
    offers `render_sdk(ir) -> RenderedSdk` with `.files` (relative path -> text), every rendered
    case has each generated .py compiled. Without it the render check is skipped and the report
    says so. Adapt this function if the renderer's entry point changes."""
    try:
        from generator.render import render_sdk
    except ImportError:
        return None

    def render(ir: IR) -> Mapping[str, str]:
        return render_sdk(ir).files

    return render


def run_case(
    seed: int,
    index: int,
    bases: Sequence[Path],
    workdir: Path,
    *,
    renderer: Renderer | None = None,
    time_limit: float = 10.0,
    render_time_limit: float = 60.0,
) -> CaseResult:
    """Scrape and lint one mutated page within `time_limit`; render it (when asked) within
    `render_time_limit`, timed apart: the renderer is another stage with its own costs."""
    rng = case_rng(seed, index)
    base = bases[rng.randrange(len(bases))]
    data, mutations = mutate(rng, base.read_bytes(), base.suffix.lower() in (".html", ".htm"))
    name = f"case-{seed}-{index}{base.suffix}"
    path = workdir / name
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        outcome, problem, ir = _scrape_and_check(path, name, data)
    finally:
        path.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    if problem is None and seconds > time_limit:
        problem = f"scraping took {seconds:.1f} s (limit {time_limit:.0f} s)"
    rendered = False
    if problem is None and ir is not None and renderer is not None:
        rendered, render_started = True, time.perf_counter()
        problem = _guarded(lambda: check_render(ir, renderer))
        render_seconds = time.perf_counter() - render_started
        if problem is None and render_seconds > render_time_limit:
            problem = f"rendering took {render_seconds:.1f} s (limit {render_time_limit:.0f} s)"
    if problem is not None:
        outcome = "failure"
    return CaseResult(index, base.as_posix(), mutations, outcome, seconds, problem, rendered, data if problem else b"")


def _scrape_and_check(path: Path, name: str, data: bytes) -> tuple[Outcome, str | None, IR | None]:
    try:
        result = scrape_page_file(path, name)
    except (Exception, RecursionError, MemoryError) as exc:  # the promise is that none escapes
        return "failure", _exception(exc), None
    outcome: Outcome = "parsed" if isinstance(result, Endpoint) else "refused"
    problem = _guarded(lambda: check_result(result, name, data))
    if problem is not None or not isinstance(result, Endpoint):
        return outcome, problem, None
    ir = assemble_ir([result]).ir
    return outcome, _guarded(lambda: check_lint(ir)), ir


def _guarded(check: Callable[[], str | None]) -> str | None:
    try:
        return check()
    except (Exception, RecursionError, MemoryError) as exc:
        return _exception(exc)


def _exception(exc: BaseException) -> str:
    return "exception: " + "".join(traceback.format_exception(exc)).strip()


def check_result(result: Endpoint | Diagnostic, name: str, data: bytes) -> str | None:
    if isinstance(result, Diagnostic):
        return check_refusal(result, name, data)
    for warning in result.warnings:
        if not warning.message or "\n" in warning.message or "\r" in warning.message:
            return f"warning message is not one line: {warning.message!r}"
    ir = assemble_ir([result]).ir
    try:
        text = dump_ir(ir)
        text.encode("utf-8")
    except (ValueError, UnicodeError) as exc:
        return f"the IR cannot be written: {exc}"
    again = dump_ir(IR.model_validate(json.loads(text)))
    if again != text:
        return "the IR does not survive its JSON round trip"
    return None


def check_refusal(diagnostic: Diagnostic, name: str, data: bytes) -> str | None:
    line = diagnostic.source.line
    lines = data.count(b"\n") + 1
    if diagnostic.source.file != name:
        return f"the failure names {diagnostic.source.file!r}, not the page"
    if not diagnostic.message or "\n" in diagnostic.message or "\r" in diagnostic.message:
        return f"the failure message is not one line: {diagnostic.message!r}"
    if line is not None and not 1 <= line <= lines:
        return f"the failure names line {line}, the page has {lines}"
    if not _FAILURE_LINE.match(str(diagnostic)):
        return f"the failure is not FILE:LINE: message: {diagnostic}"
    return None


def check_lint(ir: IR) -> str | None:
    findings = lint_ir(ir)
    for line in render_text(findings).splitlines():
        if not _LINT_LINE.match(line):
            return f"lint line not in its format: {line[:200]!r}"
    for text in (render_markdown(findings), render_json(findings)):
        text.encode("utf-8")
    json.loads(render_json(findings))
    return None


def check_render(ir: IR, renderer: Renderer) -> str | None:
    from generator.fsutil import safe_join

    try:
        files = renderer(ir)
    except SdkgenError as exc:
        message = str(exc)
        return None if message and "\n" not in message else f"renderer refused in more than one line: {message!r}"
    for relative, text in files.items():
        try:
            safe_join(_RENDER_ROOT, relative)
        except SdkgenError as exc:
            return f"the renderer makes a file path its own writer refuses: {exc}"
        if relative.endswith(".py"):
            try:
                compile(text, relative, "exec")
            except SyntaxError as exc:
                return f"generated {relative} does not compile: line {exc.lineno}: {exc.msg}"
    return None
