"""The snapshot's `manifest.json`: one entry per stored page, sorted, validated when read back.

The manifest is what makes the next crawl cheap (ETag / Last-Modified for conditional requests)
and resumable (`complete: false` plus `started_at` mark an interrupted run).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.errors import SdkgenError, first_validation_problem
from generator.fsutil import safe_join, write_atomic

MANIFEST_NAME = "manifest.json"
PAGES_DIR = "pages"
MANIFEST_VERSION = 1
# The only file names the crawler writes or deletes; anything else in a manifest is ignored.
_PAGE_FILE = re.compile(r"^pages/[A-Za-z0-9_][A-Za-z0-9._-]{0,114}\.html$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PageEntry(_Model):
    url: str
    file: str  # relative to the snapshot folder: "pages/<slug>.html"
    status: int  # of the last response: 200, or 304 when the page was confirmed unchanged
    fetched_at: str  # ISO 8601 UTC time of the last response
    etag: str | None = None
    last_modified: str | None = None
    sha256: str
    size: int


class RemovedEntry(_Model):
    url: str
    file: str
    deleted: bool


class Manifest(_Model):
    manifest_version: int = MANIFEST_VERSION
    generator: str
    root: str  # the explorer URL crawled
    discovery: str  # "sitemap" or "links"
    started_at: str
    finished_at: str | None = None
    complete: bool  # False while a crawl runs or after it was interrupted
    pages: list[PageEntry] = Field(default_factory=list)
    removed: list[RemovedEntry] = Field(default_factory=list)  # by the run that wrote this manifest


def is_page_file(relative: str) -> bool:
    return bool(_PAGE_FILE.match(relative))


def page_path(out_dir: Path, relative: str) -> Path:
    """The absolute path of a page file, refusing names the crawler would never have written."""
    if not is_page_file(relative):
        raise SdkgenError(f"{out_dir / MANIFEST_NAME}: refusing page file name {relative!r}")
    return safe_join(out_dir, relative)


def load_manifest(out_dir: Path) -> Manifest | None:
    path = out_dir / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SdkgenError(f"{path}: cannot read the crawl manifest: {exc}") from exc
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SdkgenError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (delete it to crawl from scratch)") from exc
    if not isinstance(raw, dict) or raw.get("manifest_version") != MANIFEST_VERSION:
        raise SdkgenError(f"{path}: not an sdkgen crawl manifest (version {MANIFEST_VERSION})")
    try:
        return Manifest.model_validate(raw)
    except ValidationError as exc:
        raise SdkgenError(f"{path}: invalid crawl manifest {first_validation_problem(exc)}") from exc


def dump_manifest(manifest: Manifest) -> str:
    """Deterministic text: entries sorted by URL, fixed key order."""
    ordered = manifest.model_copy(
        update={
            "pages": sorted(manifest.pages, key=lambda p: p.url),
            "removed": sorted(manifest.removed, key=lambda r: r.url),
        }
    )
    return json.dumps(ordered.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"


def save_manifest(out_dir: Path, manifest: Manifest) -> None:
    write_atomic(out_dir / MANIFEST_NAME, dump_manifest(manifest))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
