"""Pages -> IR. `scrape_paths` reads files and folders; each page is parsed on its own, so one
broken page is reported (FILE:LINE: message) and left out while the others go on."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import SdkgenError
from generator.ir.model import IR, Diagnostic, Endpoint, Repair, Severity, Source
from generator.scrape.blocks import Page, PageError
from generator.scrape.devguide import parse_guide
from generator.scrape.devguide_doc import GuideDoc, is_devguide_lines
from generator.scrape.devguide_html import guide_html, is_devguide_html
from generator.scrape.devguide_text import guide_text
from generator.scrape.duplicates import resolve_duplicates
from generator.scrape.elements import link_elements, link_type_elements
from generator.scrape.html import content_root, decode_html, explorer_page, page_lang, parse_html
from generator.scrape.overlay import apply_overlay, load_overlay
from generator.scrape.page import parse_page
from generator.scrape.registry import build_types
from generator.scrape.text import text_page

PAGE_SUFFIXES = (".html", ".htm", ".txt")
MAX_PAGE_BYTES = 5 * 1024 * 1024
_PARALLEL_THRESHOLD = 64


@dataclass(slots=True)
class ScrapeResult:
    ir: IR
    errors: list[Diagnostic] = field(default_factory=list)


def find_pages(inputs: Sequence[Path]) -> list[Path]:
    pages: list[Path] = []
    for item in inputs:
        if item.is_dir():
            pages += [p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES]
        elif item.is_file():
            pages.append(item)
        else:
            raise SdkgenError(f"{item}: no such file or folder")
    return sorted(set(pages), key=lambda p: p.as_posix())


def display_path(path: Path) -> str:
    """Paths in the IR are relative to the working folder when possible, so the IR is portable."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_page(path: Path, name: str | None = None) -> Page | GuideDoc:
    name = name or display_path(path)
    data = path.read_bytes()
    return page_from_bytes(name, data)


def page_from_bytes(name: str, data: bytes) -> Page | GuideDoc:
    """A page's bytes -> what its family's grammar reads: an API explorer page's lines (`Page`), or a
    Dev Guide page's blocks (`GuideDoc`). The family is told by the content, so a folder may mix them."""
    if len(data) > MAX_PAGE_BYTES:
        raise PageError(f"page is {len(data)} bytes, over the {MAX_PAGE_BYTES}-byte limit", None)
    nul = data.find(b"\x00", 0, 4096)
    if nul >= 0:
        raise PageError("not a text or HTML page (binary content)", data[:nul].count(b"\n") + 1)
    if name.lower().endswith((".html", ".htm")) or _looks_like_html(data):
        doc = parse_html(decode_html(data))
        if is_devguide_html(doc):
            return guide_html(name, content_root(doc), page_lang(doc))
        return explorer_page(name, doc)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PageError(f"invalid UTF-8 at byte {exc.start}", line) from exc
    if "\nURLs" in text and is_devguide_lines(text.splitlines()):
        return guide_text(name, text)
    return text_page(name, text)


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or bool(re.match(rb"<(head|body|div|main)\b", head))


def scrape_page_file(path: Path, name: str | None = None) -> Endpoint | Diagnostic:
    """One page -> an Endpoint, or the error that left it out. Never raises for bad input."""
    name = name or display_path(path)
    try:
        page = read_page(path, name)
        return parse_guide(page) if isinstance(page, GuideDoc) else parse_page(page)
    except PageError as exc:
        return Diagnostic(
            severity=Severity.ERROR, code="page-error", message=str(exc), source=Source(file=name, line=exc.line)
        )
    except OSError as exc:
        return Diagnostic(
            severity=Severity.ERROR,
            code="io-error",
            message=f"cannot read: {exc.strerror or exc}",
            source=Source(file=name),
        )
    except RecursionError:
        return Diagnostic(
            severity=Severity.ERROR, code="page-error", message="page nested too deeply", source=Source(file=name)
        )


def _scrape_batch(batch: list[tuple[str, str]]) -> list[Endpoint | Diagnostic]:
    return [scrape_page_file(Path(path), name) for path, name in batch]


def scrape_files(files: Sequence[Path], jobs: int = 0) -> list[Endpoint | Diagnostic]:
    items = [(str(p), display_path(p)) for p in files]
    workers = jobs or (os.cpu_count() or 1)
    if workers <= 1 or len(items) < _PARALLEL_THRESHOLD:
        return _scrape_batch(items)
    size = max(16, len(items) // (workers * 4))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [result for chunk in pool.map(_scrape_batch, batches) for result in chunk]


def assemble_ir(results: Iterable[Endpoint | Diagnostic]) -> ScrapeResult:
    """Endpoints from many pages -> one IR: duplicates resolved, groups completed, types registered."""
    endpoints: list[Endpoint] = []
    errors: list[Diagnostic] = []
    for result in results:
        (errors if isinstance(result, Diagnostic) else endpoints).append(result)  # type: ignore[arg-type]
    endpoints, duplicate_notes = resolve_duplicates(endpoints)
    _infer_missing_groups(endpoints)
    types, type_notes = build_types(endpoints)
    link_type_elements(types)
    for endpoint in endpoints:
        link_elements(endpoint, types)
    ir = IR(
        endpoints=sorted(endpoints, key=lambda e: e.operation_id),
        types=types,
        diagnostics=[*duplicate_notes, *type_notes, *errors],
    )
    return ScrapeResult(ir=ir, errors=errors)


def scrape_paths(inputs: Sequence[Path], overlay: Path | None = None, jobs: int = 0) -> ScrapeResult:
    files = find_pages(inputs)
    patches = load_overlay(overlay) if overlay else None
    result = assemble_ir(scrape_files(files, jobs))
    if patches is not None and overlay is not None:
        result.ir.endpoints = apply_overlay(result.ir.endpoints, patches, overlay)
    return result


def _infer_missing_groups(endpoints: list[Endpoint]) -> None:
    """Pages without breadcrumb or header (flat `no-header`) borrow the group of their path neighbours."""
    by_prefix: dict[str, dict[str, int]] = {}
    for endpoint in endpoints:
        if endpoint.group:
            for prefix in _prefixes(endpoint.path):
                counts = by_prefix.setdefault(prefix, {})
                counts[endpoint.group] = counts.get(endpoint.group, 0) + 1
    for endpoint in endpoints:
        if endpoint.group:
            continue
        for prefix in _prefixes(endpoint.path):
            if prefix in by_prefix:
                group = sorted(by_prefix[prefix].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
                endpoint.group = group
                endpoint.repairs.append(
                    Repair(
                        rule="group-inferred",
                        target="group",
                        shown=None,
                        repaired=group,
                        reason=f"the page shows no group; pages under {prefix} say {group!r}",
                        source=endpoint.source,
                    )
                )
                break
        else:
            endpoint.group = "Other Operations"


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p and not p.startswith("{")]
    return ["/".join(parts[:n]) for n in range(len(parts), 2, -1)]


__all__ = ["ScrapeResult", "assemble_ir", "find_pages", "scrape_page_file", "scrape_paths"]
