"""Which URLs belong to a crawl, and which file each page is stored in.

A crawl is bounded by its *scope*: one origin (scheme, host, port) and one path prefix.
URLs are compared in their encoded form, and a URL whose decoded path holds a dot segment
is refused, because a server that decodes `%2F..` would serve something outside the prefix.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote

import httpx

from generator.errors import UsageError

# Longest slug kept as is; longer ones are cut and made unique with a hash (well below NAME_MAX 255).
MAX_SLUG_LENGTH = 100
_UNSAFE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_HTML_SUFFIX = re.compile(r"\.html?$", re.IGNORECASE)
# Names Windows refuses whatever the extension: a snapshot folder may be copied there.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}


def raw_path(url: httpx.URL) -> str:
    """The percent-encoded path, without the query."""
    return url.raw_path.decode("ascii").split("?", 1)[0]


def url_key(url: httpx.URL) -> str:
    """The canonical text of a page URL: what the manifest and the report use."""
    return str(url.copy_with(query=None, fragment=None))


def _has_dot_segment(path: str) -> bool:
    decoded = unquote(path)
    return any(seg in (".", "..") for seg in re.split(r"[/\\]", decoded))


@dataclass(frozen=True)
class Scope:
    """The explorer URL a crawl starts from: pages are the URLs strictly below its path."""

    root: httpx.URL

    @classmethod
    def from_url(cls, url: str) -> Scope:
        try:
            parsed = httpx.URL(url.strip())
        except (httpx.InvalidURL, TypeError) as exc:
            raise UsageError(f"not a valid URL: {url!r} ({exc})") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise UsageError(f"not an http(s) URL: {url!r}")
        if parsed.userinfo:
            raise UsageError(f"credentials in the URL are not supported: {url!r}")
        path = raw_path(parsed)
        if not path.endswith("/"):
            path += "/"  # ".../explorer" and ".../explorer/" mean the same folder of pages
        return cls(parsed.copy_with(raw_path=path.encode("ascii"), fragment=None))

    @property
    def prefix(self) -> str:
        return raw_path(self.root)

    def origin_url(self, path: str) -> httpx.URL:
        """`path` (e.g. "/robots.txt") on the scope's origin."""
        return self.root.copy_with(raw_path=path.encode("ascii"), fragment=None)

    def same_origin(self, url: httpx.URL) -> bool:
        return (url.scheme, url.host, url.port) == (self.root.scheme, self.root.host, self.root.port)

    def contains(self, url: httpx.URL) -> bool:
        """True for a page URL below the prefix (the prefix itself is the index, not a page)."""
        path = raw_path(url)
        return (
            self.same_origin(url)
            and path.startswith(self.prefix)
            and path != self.prefix
            and not _has_dot_segment(path)
        )

    def resolve(self, href: str, base: httpx.URL) -> httpx.URL | None:
        """An href found on `base`, as a page URL: fragment and query dropped (a static site
        serves the same page whatever the query), None when it is unusable or out of scope."""
        try:
            url = base.join(href.strip())
        except (httpx.InvalidURL, UnicodeError, ValueError):
            return None
        url = url.copy_with(query=None, fragment=None)
        return url if self.contains(url) else None


def _short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def slug_for(url: httpx.URL) -> str:
    """The last path segment as a safe file stem: decoded, unsafe characters replaced, no leading
    dot (no hidden files, no `..`), bounded length. Never empty, never contains a separator."""
    segment = unquote(raw_path(url).rstrip("/").rsplit("/", 1)[-1])
    segment = _HTML_SUFFIX.sub("", segment)
    # No leading dot (hidden files, `..`) or dash (read as an option by shell tools); no trailing dot (Windows).
    slug = _UNSAFE_CHARS.sub("_", segment).lstrip(".-").rstrip(".")
    if not slug.strip("_-"):
        slug = f"page-{_short_hash(url_key(url))}"
    if len(slug) > MAX_SLUG_LENGTH:
        slug = f"{slug[: MAX_SLUG_LENGTH - 9]}-{_short_hash(url_key(url))}"
    if slug.split(".")[0].lower() in _WINDOWS_RESERVED:
        slug = f"_{slug}"
    return slug


def assign_files(urls: Iterable[str], assigned: Mapping[str, str]) -> dict[str, str]:
    """`assigned` plus a file name (``<slug>.html``) for each new URL, unique even on a
    case-insensitive disk.

    Names already assigned (by the previous manifest) are kept, so a page never moves. New URLs are
    taken in sorted order and get their plain slug unless a name differing only in case is taken,
    in which case a hash of the URL is appended.
    """
    names = dict(assigned)
    taken = {name.lower() for name in names.values()}
    for key in sorted(set(urls) - names.keys()):
        slug = slug_for(httpx.URL(key))
        candidates = (
            slug,
            f"{slug[: MAX_SLUG_LENGTH - 9]}-{_short_hash(key)}",
            f"{slug[: MAX_SLUG_LENGTH - 17]}-{_short_hash(key, 16)}",
            _short_hash(key, 64),  # two URLs with one SHA-256 do not happen
        )
        name = next(f"{c}.html" for c in candidates if f"{c}.html".lower() not in taken or c == candidates[-1])
        taken.add(name.lower())
        names[key] = name
    return names
