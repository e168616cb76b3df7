"""Inputs -> findings: doc pages are scraped (every page linted, even a duplicate of
another), IR files are linted as they are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.errors import SdkgenError
from generator.ir.model import IR, Diagnostic, Endpoint, Severity
from generator.lint.checks import lint_endpoint
from generator.lint.model import Finding, finding, sorted_findings


def lint_paths(inputs: Sequence[Path], jobs: int = 0) -> list[Finding]:
    """Lint page files and folders (.html/.htm/.txt) and IR files (.json)."""
    from generator.ir.io import load_ir
    from generator.scrape import assemble_ir, find_pages, scrape_files

    for item in inputs:
        if not item.exists():
            raise SdkgenError(f"{item}: no such file or folder")
    ir_files = [p for p in inputs if p.is_file() and p.suffix.lower() == ".json"]
    page_inputs = [p for p in inputs if p not in ir_files]
    findings: list[Finding] = []
    if page_inputs:
        results = scrape_files(find_pages(page_inputs), jobs)
        endpoints = [r for r in results if isinstance(r, Endpoint)]
        findings += lint_endpoints(endpoints)
        # Assembling finds what only shows across pages (type conflicts, duplicates) and
        # carries the pages that failed.
        findings += _from_diagnostics(assemble_ir(results).ir.diagnostics, endpoints)
    for path in ir_files:
        findings += lint_ir(load_ir(path))
    return sorted_findings(findings)


def lint_ir(ir: IR) -> list[Finding]:
    return sorted_findings([*lint_endpoints(ir.endpoints), *_from_diagnostics(ir.diagnostics, ir.endpoints)])


def lint_endpoints(endpoints: Iterable[Endpoint]) -> list[Finding]:
    return [item for endpoint in endpoints for item in lint_endpoint(endpoint)]


def _from_diagnostics(diagnostics: Iterable[Diagnostic], endpoints: Iterable[Endpoint]) -> list[Finding]:
    """IR-level diagnostics (pages that failed, type conflicts, duplicates), named by the
    operation of their page when the page gave one."""
    operation_of = {endpoint.source.file: endpoint.operation_id for endpoint in endpoints}
    out: list[Finding] = []
    for diagnostic in diagnostics:
        rule = diagnostic.code
        if diagnostic.severity == Severity.ERROR and rule not in ("page-error", "io-error"):
            rule = "page-error"  # an error the catalogue does not know still fails the page
        file = diagnostic.source.file
        out.append(finding(rule, file, diagnostic.source.line, diagnostic.message, operation_of.get(file)))
    return out
