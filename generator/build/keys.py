"""The cache's key rules for the whole build: what the output depends on (see cache.py for the
fingerprints of the code and the key of one page's scrape)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from generator.build.cache import PageFile, ScrapeEntry, build_fingerprint, sha256_hex
from generator.config import BuildConfig

if TYPE_CHECKING:
    pass


def inputs_key(config: BuildConfig, pages: Sequence[PageFile]) -> str:
    """Everything the output depends on: the code, the settings, each page's name and bytes."""
    return _key(config, [f"{page.name}\0{page.digest}" for page in pages])


def entry_digest(entry: ScrapeEntry) -> str:
    return sha256_hex(entry.json.encode("utf-8", "surrogatepass"))


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


def _key(config: BuildConfig, listing: list[str]) -> str:
    paths = (config.output, config.ir, config.openapi, *config.inputs)
    settings = [config.package_name, config.sdk_version, config.version_policy, *(str(p) for p in paths)]
    return sha256_hex("\n".join([build_fingerprint(), *settings, "", *listing]).encode("utf-8", "surrogatepass"))
