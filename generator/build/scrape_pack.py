"""`scrape.pack`, the scrape cache: one line per page, `key <TAB> kind <TAB> JSON` (the page's Endpoint
or the Diagnostic that left it out), key = `keys.scrape_key` of the page. A few changed pages get their
lines appended (a later line supersedes; a line cut short by a kill does not read back); once the pack
would hold twice the build's pages it is written anew with those only, so it never grows stale."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.keys import appending_pays
from generator.build.pages import ScrapeEntry
from generator.fsutil import write_bytes_atomic

PACK_FILE = "scrape.pack"


@dataclass
class ScrapePack:
    """The pack of one cache folder, read back lazily: a few keys are looked up in its bytes, the whole
    pack is parsed only when most pages are wanted. With `read=False` nothing is read (a cold build)."""

    root: Path
    read: bool = True
    _entries: dict[str, ScrapeEntry] = field(default_factory=dict)
    _loaded: bool = False
    _dirty: bool = False
    _stored: int = 0  # lines in the pack, superseded ones included
    _raw: bytes | None = None  # the pack as read
    _new: dict[str, ScrapeEntry] = field(default_factory=dict)

    def _bytes(self) -> bytes:
        if self._raw is None:
            self._raw = b""
            if self.read:
                with suppress(OSError):
                    self._raw = (self.root / PACK_FILE).read_bytes()
        return self._raw

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            data = self._bytes().decode("utf-8")
        except UnicodeDecodeError:
            return
        self._stored = 0
        for line in data.split("\n"):
            parts = line.split("\t", 2)
            if len(parts) == 3:
                self._entries[parts[0]] = ScrapeEntry(parts[1], parts[2])  # a later line supersedes
                self._stored += 1
        self._entries.update(self._new)

    def get(self, key: str) -> ScrapeEntry | None:
        self._load()
        return self._entries.get(key)

    def peek(self, key: str) -> ScrapeEntry | None:
        """`get` for a few keys, without reading back the whole pack."""
        if self._loaded or key in self._new:
            return self._entries.get(key) or self._new.get(key)
        data = self._bytes()
        at = data.rfind(b"\n" + key.encode("ascii") + b"\t")
        start = at + 1 if at >= 0 else (0 if data.startswith(key.encode("ascii") + b"\t") else -1)
        if start < 0:
            return None
        end = data.find(b"\n", start)
        parts = data[start : end if end >= 0 else len(data)].decode("utf-8", "surrogatepass").split("\t", 2)
        return ScrapeEntry(parts[1], parts[2]) if len(parts) == 3 else None

    def put(self, key: str, entry: ScrapeEntry) -> None:
        if (self._entries.get(key) if self._loaded else self.peek(key)) != entry:
            self._new[key] = entry
            if self._loaded:
                self._entries[key] = entry
            self._dirty = True

    def save(self, keep: set[str]) -> None:
        """Append the new entries to the pack, or write it anew with this build's pages (`keep`) only
        once it holds twice as many."""
        if not self._dirty and (not self._loaded or set(self._entries) == keep):
            return
        stored = self._stored if self._loaded else self._bytes().count(b"\n")
        if appending_pays(stored, len(self._new), len(keep)):
            lines = [f"{key}\t{entry.kind}\t{entry.json}\n" for key, entry in self._new.items()]
            with suppress(OSError), (self.root / PACK_FILE).open("ab") as fh:
                fh.write("".join(lines).encode("utf-8", "surrogatepass"))
                self._stored = stored + len(lines)
                self._new.clear()
                self._dirty = False
            return
        self._load()
        lines = [f"{key}\t{entry.kind}\t{entry.json}\n" for key, entry in sorted(self._entries.items()) if key in keep]
        with suppress(OSError):
            write_bytes_atomic(self.root / PACK_FILE, "".join(lines).encode("utf-8", "surrogatepass"))
        self._stored, self._new, self._dirty = len(lines), {}, False
