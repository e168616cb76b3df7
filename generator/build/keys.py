"""The cache's key rules, all in one place: the fingerprints of the code an entry was made by, the key
of one page's scrape, the keys of what the whole output depends on, and when a pack is appended to
rather than written anew. An entry made by other code or from other bytes is never used."""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from generator import __version__
from generator.build.pages import PageFile, ScrapeEntry
from generator.config import BuildConfig
from generator.resources import data_files

CACHE_VERSION = 1
PACKAGE_DIR = Path(__file__).resolve().parent.parent  # generator/
_SCRAPE_CODE = ("scrape", "ir", "errors.py", "__init__.py")
_SCRAPE_LIBRARIES = ("beautifulsoup4", "lxml", "pydantic", "pydantic-core")
_RENDER_LIBRARIES = (*_SCRAPE_LIBRARIES, "black", "jinja2")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- fingerprints of the code ------------------------------------------------------------------


def _library_versions(names: Iterable[str]) -> list[str]:
    versions = []
    for name in names:
        try:
            versions.append(f"{name}=={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name}==?")
    return versions


def _tree_digest(roots: Iterable[Path], suffixes: tuple[str, ...] | None) -> list[str]:
    """`relative path:sha256` of every file with one of `suffixes` (None: any) under `roots` (files or folders)."""
    entries = []
    for root in roots:
        found = (p for p in root.rglob("*") if p.is_file() and (suffixes is None or p.suffix in suffixes))
        files = [root] if root.is_file() else sorted(found)
        for path in files:
            try:
                entries.append(
                    f"{path.name if root.is_file() else path.relative_to(root)}:{sha256_hex(path.read_bytes())}"
                )
            except OSError:
                entries.append(f"{path}:unreadable")
    return entries


def _fingerprint(parts: list[str]) -> str:
    header = [f"cache {CACHE_VERSION}", f"sdkgen {__version__}", f"python {sys.version}"]
    return sha256_hex("\n".join(header + parts).encode())


@cache
def scrape_fingerprint() -> str:
    """Changes whenever the scraper's code (or a library it parses with) changes."""
    code = _tree_digest([PACKAGE_DIR / name for name in _SCRAPE_CODE], (".py",))
    return _fingerprint(code + _library_versions(_SCRAPE_LIBRARIES))


@cache
def build_fingerprint() -> str:
    """Changes whenever any of sdkgen's code or templates changes: the output may then differ."""
    code = _tree_digest([PACKAGE_DIR], (".py",)) + [f"{name}:{sha256_hex(data)}" for name, data in data_files()]
    return _fingerprint(code + _library_versions(_RENDER_LIBRARIES))


# --- one page ----------------------------------------------------------------------------------


def scrape_key(page: PageFile) -> str:
    """The key of a page's line in the scrape cache: the scraper's code, the page's name and bytes."""
    return sha256_hex(f"{scrape_fingerprint()}\0{page.name}\0{page.digest}".encode())


def entry_digest(entry: ScrapeEntry) -> str:
    return sha256_hex(entry.json.encode("utf-8", "surrogatepass"))


# --- the whole output --------------------------------------------------------------------------


def inputs_key(config: BuildConfig, pages: Sequence[PageFile]) -> str:
    """Everything the output depends on: the code, the settings, each page's name and bytes."""
    return _key(config, [f"{page.name}\0{page.digest}" for page in pages])


def results_key(config: BuildConfig, entries: Sequence[ScrapeEntry], digests: Sequence[str]) -> str:
    """The same, one step on: what was read from each page (the IR, and so the output, follows from it)."""
    return results_key_of(config, [(entry.kind, digest) for entry, digest in zip(entries, digests, strict=True)])


def results_key_of(config: BuildConfig, results: Sequence[tuple[str, str]]) -> str:
    """`results_key` from (kind, digest of the JSON) per page."""
    return _key(config, [f"{kind}\t{digest}" for kind, digest in results])


def docs_digest(pages: Sequence[PageFile]) -> str:
    """The docs snapshot a build reads, as a deterministic id: a digest of its pages' bytes (not their
    names, times or the folder they are in), e.g. `sha256:3f2a9c1b7d0e4c5a (1169 pages)`."""
    digests = sorted(page.digest for page in pages if page.digest)
    return f"sha256:{sha256_hex(chr(10).join(digests).encode('ascii'))[:16]} ({len(digests)} pages)"


def build_key(config: BuildConfig) -> str:
    """The code and the settings: what every cached decision about the whole API depends on."""
    return _key(config, [])


def render_context(config: BuildConfig) -> str:
    """What rendered units are keyed by besides their inputs: the code, and the user's template overrides
    (their names and bytes: editing one renders again)."""
    if config.templates is None:
        return build_fingerprint()
    return sha256_hex(f"{build_fingerprint()}\ntemplates {folder_digest(config.templates)}".encode())


def folder_digest(folder: Path) -> str:
    """sha256 over the relative path and bytes of every file under `folder` (a user's template overrides)."""
    return sha256_hex("\n".join(_tree_digest([folder], None)).encode("utf-8", "surrogatepass"))


def _key(config: BuildConfig, listing: list[str]) -> str:
    paths = (config.output, config.ir, config.openapi, *config.inputs)
    settings = [config.package_name, config.sdk_version, config.version_policy, *(str(p) for p in paths)]
    return sha256_hex("\n".join([render_context(config), *settings, "", *listing]).encode("utf-8", "surrogatepass"))


# --- packs -------------------------------------------------------------------------------------


def appending_pays(stored: int, new: int, used: int) -> bool:
    """Whether a pack (of scrape results, of document fragments) holding `stored` entries gets the `new`
    ones appended, rather than being written anew with the `used` ones only: until it would hold more
    than twice what is in use."""
    return stored > 0 and stored + new <= 2 * used
