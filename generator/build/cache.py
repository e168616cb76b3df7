"""The build cache (`.sdkgen-cache/` next to pyproject.toml): what lets `sdkgen build` redo only what changed.

Anything in it may be deleted at any time; the next build is then a cold one. Every entry is keyed
by content hashes and by a fingerprint of the code that made it (its source files and the versions
of the libraries it relies on: keys.py, where every key rule is), so an entry made by other code or
from other bytes is never used:

- `pages.json`: page file -> size, mtime, inode and sha256, so an unchanged page is not even re-read;
- `scrape.pack`: one line per page, `key <TAB> kind <TAB> JSON` (the page's Endpoint or the
  Diagnostic that left it out), key = sha256(scraper fingerprint, page name, page bytes): scrape_pack.py;
- `format.json`: black's layout of the statements the renderer could not lay out itself, and the
  sha256 of the generated modules known to compile;
- `units/<key>.unit`: the rendered files of each docs group and type module, with what they
  depend on (see `generator.render.units`), so a changed page re-renders its group only;
- `documents.pack`: each operation's block of the IR file and of the OpenAPI document, keyed
  like the units, so both documents are spliced together rather than written whole;
- `snapshot.pack` + `snapshot.json`: what the last full build decided for the whole API (names, types,
  the documents' skeletons; pages, units), so that a few edited pages can be patched in (patch.py);
- `templates/`: the Jinja templates compiled to Python bytecode (keyed by their source's hash);
- `state.json`: the last build's inputs and the stat of every file it wrote, so that a build with
  nothing changed can stop right there;
- `lock`: held while a build runs, so two builds of one project never interleave.

Files are replaced atomically (temporary file + rename): a build killed at any point leaves either
the old or the new version of each, and a file that cannot be read back is treated as empty.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.build.keys import CACHE_VERSION
from generator.build.pages import PageFile, page_digest
from generator.build.scrape_pack import ScrapePack
from generator.errors import SdkgenError
from generator.fsutil import write_bytes_atomic

if TYPE_CHECKING:  # the renderer loads black and Jinja: only imported when formatting memos are used
    from generator.render.emit import FormatSession
    from generator.render.units import EndpointDigests, RenderMemo, UnitRecord

# A page whose mtime is this close to the moment it was hashed may still be being written within the
# same timestamp tick: its stat is not recorded, so the next build hashes it again (git's "racy clean").
_RACY_NS = 2_000_000_000
_UNITS = "units"  # folder of rendered units, one file each, named by key
_FRAGMENTS = "documents.pack"
_UNIT_KEY = re.compile(r"^[0-9a-f]{64}$")


def _splices(value: Any) -> list[tuple[int, int, str]] | None:
    """A module's splices as read back from JSON, or None when they are not what was written."""
    if not isinstance(value, list):
        return None
    splices = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], int) and isinstance(item[1], int)):
            return None
        splices.append((item[0], item[1], str(item[2])))
    return splices


@dataclass
class BuildCache:
    """One project's cache folder. With `read=False` nothing cached is used (a cold build), but the
    cache is still refreshed for the next build."""

    root: Path
    read: bool = True
    scrapes: ScrapePack = field(init=False)  # scrape.pack: each page's result (scrape_pack.py)

    def __post_init__(self) -> None:
        self.scrapes = ScrapePack(self.root, self.read)

    # --- the folder and its lock -------------------------------------------------------------

    def prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tag = self.root / "CACHEDIR.TAG"
            if not tag.exists():  # backup tools skip folders tagged so; git skips it by its own .gitignore
                tag.write_text(
                    "Signature: 8a477f597d28d172789f06886806bc55\n# sdkgen build cache; safe to delete.\n",
                    encoding="utf-8",
                )
                (self.root / ".gitignore").write_text("*\n", encoding="utf-8")
        except OSError as exc:
            raise SdkgenError(f"{self.root}: cannot create the build cache: {exc.strerror or exc}") from exc

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Held for the whole build: a second build of the same project fails at once rather than interleave."""
        self.prepare()
        path = self.root / "lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise SdkgenError(f"{path}: cannot open the build lock: {exc.strerror or exc}") from exc
        try:
            try:
                import fcntl
            except ImportError:  # no advisory locks on this platform: run unguarded
                yield
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                raise SdkgenError(f"{path}: another sdkgen build of this project is running") from None
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # --- small JSON files ----------------------------------------------------------------------

    def _read_json(self, name: str) -> dict[str, Any]:
        if not self.read:
            return {}
        try:
            data = json.loads((self.root / name).read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("cache_version") == CACHE_VERSION else {}

    def _write_json(self, name: str, data: dict[str, Any]) -> None:
        self._write_bytes(name, json.dumps({"cache_version": CACHE_VERSION, **data}, sort_keys=True).encode())

    def write_file(self, name: str, data: bytes) -> None:
        """A file of the cache folder, replaced atomically (a failure only makes the next build slower)."""
        self._write_bytes(name, data)

    def _write_bytes(self, name: str, data: bytes) -> None:
        """Atomically; a cache that cannot be written only makes the next build slower."""
        with suppress(OSError):
            write_bytes_atomic(self.root / name, data)

    # --- pages: stat index and content hashes --------------------------------------------------

    def scan_pages(self, files: list[tuple[Path, str]]) -> list[PageFile]:
        """(path, name) -> PageFile, reading and hashing only the files whose stat changed."""
        known = self._read_json("pages.json").get("files", {})
        racy_after = time.time_ns() - _RACY_NS
        index: dict[str, list[Any]] = {}
        pages: list[PageFile] = []
        for path, name in files:
            key = str(path.absolute())
            try:
                st = path.stat()
            except OSError:
                pages.append(PageFile(path, name, ""))  # unreadable: the scraper reports it, never cached
                continue
            signature = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns]
            entry = known.get(key)
            if isinstance(entry, list) and len(entry) == 5 and entry[:4] == signature:
                digest = str(entry[4])
            else:
                digest = page_digest(path)
            if digest and max(st.st_mtime_ns, st.st_ctime_ns) < racy_after:
                index[key] = [*signature, digest]
            pages.append(PageFile(path, name, digest))
        if index != known:
            self.prepare()
            self._write_json("pages.json", {"files": index})
        return pages

    # --- formatting memo -----------------------------------------------------------------------

    def load_format(self) -> FormatSession:
        from generator.render.emit import FormatSession

        data = self._read_json("format.json")
        segments = data.get("segments")
        modules = data.get("modules")
        compiled = data.get("compiled")
        session = FormatSession()
        if isinstance(segments, dict):
            session.segments = {str(k): str(v) for k, v in segments.items()}
        if isinstance(modules, dict):
            for key, value in modules.items():
                splices = _splices(value)
                if splices is not None:
                    session.modules[str(key)] = splices
        if isinstance(compiled, list):
            session.compiled = {str(d) for d in compiled}
        return session

    def save_format(self, session: FormatSession, compiled: set[str]) -> None:
        """Keep what this build used: the statements black formatted, the modules, those known to compile."""
        data = {
            "segments": {
                key: session.segments[key] for key in sorted(session.used_segments) if key in session.segments
            },
            "modules": {key: session.modules[key] for key in sorted(session.used_modules) if key in session.modules},
            "compiled": sorted(compiled),
        }
        if self._read_json("format.json") != json.loads(json.dumps({"cache_version": CACHE_VERSION, **data})):
            self._write_json("format.json", data)

    # --- rendered units ----------------------------------------------------------------------

    def render_memo(self, endpoint_digests: EndpointDigests) -> RenderMemo:
        """The memo of rendered units (`generator.render.units`), read one unit at a time on demand."""
        from generator.render.units import RenderMemo

        return RenderMemo(load=self._load_unit, endpoint_digests=endpoint_digests)

    def _load_unit(self, key: str) -> UnitRecord | None:
        from generator.render.units import UnitRecord

        if not self.read or not _UNIT_KEY.match(key):
            return None
        try:
            return UnitRecord.from_bytes((self.root / _UNITS / f"{key}.unit").read_bytes())
        except OSError:
            return None

    def save_units(self, memo: RenderMemo, *, prune: bool = True) -> None:
        """Write the units rendered afresh; drop those this build did not use (they never grow stale),
        unless it used only some (`prune=False`: a patch build, see patch.py)."""
        folder = self.root / _UNITS
        try:
            folder.mkdir(parents=True, exist_ok=True)
            present = {path.stem for path in folder.glob("*.unit")}
        except OSError:
            return
        pid = os.getpid()
        for key in sorted(memo.fresh - present if self.read else memo.fresh):
            # Hundreds of small files on a cold build: plain os calls and a temporary name of this
            # process's (the project lock keeps other builds out) cost a third of mkstemp's way.
            target = os.path.join(folder, f"{key}.unit")
            temporary = f"{target}.{pid}.tmp"
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                try:
                    os.write(fd, memo.used[key].to_bytes())
                finally:
                    os.close(fd)
                os.replace(temporary, target)
            except OSError:
                with suppress(OSError):
                    os.unlink(temporary)
        for stale in sorted(present - set(memo.used) if prune else ()):
            with suppress(OSError):
                (folder / f"{stale}.unit").unlink()

    # --- fragments of the IR and OpenAPI files ------------------------------------------------

    def fragments_file(self) -> Path | None:
        """The last build's fragments of the documents (`generator.build.documents`), if they are to be read."""
        path = self.root / _FRAGMENTS
        return path if self.read and path.is_file() else None

    def keep_fragments(self, written: Path) -> None:
        """Take the fragments file a build wrote (if it wrote one: nothing changed otherwise)."""
        with suppress(OSError):
            os.replace(written, self.root / _FRAGMENTS)

    # --- the last build ------------------------------------------------------------------------

    def load_state(self) -> dict[str, Any]:
        return self._read_json("state.json")

    def save_state(self, state: dict[str, Any]) -> None:
        self._write_json("state.json", state)

    def forget_state(self) -> None:
        """Before the output changes: a build killed half-way must not look up to date afterwards."""
        with suppress(OSError):
            (self.root / "state.json").unlink(missing_ok=True)
