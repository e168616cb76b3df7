"""The pages of a build and what was read from each, as plain data: which page files there are (found
without loading the scraper: a build with nothing to do never needs it), a page's bytes by their hash,
and one page's scrape result as the scrape cache holds it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import SdkgenError

PAGE_SUFFIXES = (".html", ".htm", ".txt")  # = generator.scrape.PAGE_SUFFIXES


@dataclass(frozen=True)
class PageFile:
    path: Path
    name: str  # as the IR names it (relative to the working folder when possible)
    digest: str  # sha256 of the page's bytes


@dataclass(frozen=True)
class ScrapeEntry:
    kind: str  # "endpoint" or "diagnostic"
    json: str


def page_digest(path: Path | str) -> str:
    """sha256 of a page's bytes; empty when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def find_page_files(inputs: Iterable[Path]) -> list[tuple[Path, str]]:
    """(path, display name) of every page, as `generator.scrape.find_pages` and `display_path` give them,
    without loading the scraper (a build with nothing to do never needs it). Tests keep them equal."""
    cwd = Path.cwd().resolve()
    pages: dict[str, tuple[Path, str]] = {}
    for item in inputs:
        if item.is_dir():
            root = item.resolve()
            for folder, _dirs, files in os.walk(item):  # like rglob: symlinked folders are not entered
                relative = os.path.relpath(folder, item)
                for name in files:
                    path = Path(folder, name)
                    if path.suffix.lower() in PAGE_SUFFIXES and path.is_file():
                        # resolve() costs a syscall per path component: only symlinks need it
                        real = path.resolve() if path.is_symlink() else root / relative / name
                        pages[path.as_posix()] = (path, _display_name(real, path, cwd))
        elif item.is_file():
            pages[item.as_posix()] = (item, _display_name(item.resolve(), item, cwd))
        else:
            raise SdkgenError(f"{item}: no such file or folder")
    return [pages[key] for key in sorted(pages)]


def _display_name(real: Path, path: Path, cwd: Path) -> str:
    """Relative to the working folder when the page is below it, else as given."""
    try:
        return real.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()
