"""Finding the pages: robots.txt, the sitemap (or sitemap index), and links as a fallback."""

from __future__ import annotations

import contextlib
import gzip
import io
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.robotparser import RobotFileParser

import httpx
from lxml import etree
from lxml import html as lxml_html

from generator.crawl.fetch import Fetched, Fetcher, FetchFailed, RedirectCheck
from generator.crawl.urls import Scope, url_key
from generator.errors import SdkgenError

# The sitemap protocol allows 50 MB (uncompressed) per file.
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
MAX_SITEMAPS = 200  # a sitemap index pointing at more is treated as hostile
SITEMAP_MAX_DEPTH = 3  # sitemap.xml -> index -> sitemap is the deepest real sites go


class SitemapError(ValueError):
    """A sitemap that is not well-formed sitemap XML."""


class Robots:
    """robots.txt rules for one user agent."""

    def __init__(self, parser: RobotFileParser, user_agent: str, note: str) -> None:
        self._parser = parser
        self._user_agent = user_agent
        self.note = note

    def allowed(self, url: httpx.URL) -> bool:
        return self._parser.can_fetch(self._user_agent, str(url))

    def sitemaps(self) -> list[str]:
        return list(self._parser.site_maps() or [])


def same_origin_check(scope: Scope) -> RedirectCheck:
    def check(target: httpx.URL) -> str | None:
        return None if scope.same_origin(target) else "another host"

    return check


async def load_robots(fetcher: Fetcher, scope: Scope) -> Robots:
    """Fetch and parse robots.txt. Missing (4xx) means everything is allowed, except 401/403 which
    mean nothing is (as urllib.robotparser decides); unreachable means we must not crawl (RFC 9309)."""
    url = scope.origin_url("/robots.txt")
    parser = RobotFileParser(str(url))
    result = await fetcher.get(url, redirect_check=same_origin_check(scope))
    if isinstance(result, Fetched):
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        return Robots(parser, fetcher.user_agent, f"robots.txt: read {url}")
    status = result.status
    if isinstance(result, FetchFailed) and status is not None and 400 <= status < 500:
        if status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])
            return Robots(parser, fetcher.user_agent, f"robots.txt: HTTP {status}, so nothing may be fetched")
        parser.parse([])
        return Robots(parser, fetcher.user_agent, f"robots.txt: HTTP {status}, so everything may be fetched")
    reason = result.reason if isinstance(result, FetchFailed) else f"unexpected HTTP {status}"
    raise SdkgenError(f"{url}: cannot read robots.txt ({reason}); not crawling a site whose rules are unknown")


def _local_name(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""  # comments and PIs have no name


def _gunzip_bounded(data: bytes, limit: int) -> bytes:
    """`sitemap.xml.gz` files arrive compressed (no Content-Encoding): inflate, at most `limit` bytes."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(limit + 1)
    except (OSError, EOFError) as exc:
        raise SitemapError(f"bad gzip data: {exc}") from exc
    if len(out) > limit:
        raise SitemapError(f"more than {limit} bytes uncompressed")
    return out


def parse_sitemap(body: bytes, limit: int = SITEMAP_MAX_BYTES) -> tuple[str, list[str]]:
    """("urlset" | "sitemapindex", the <loc> texts in document order)."""
    if body[:2] == b"\x1f\x8b":
        body = _gunzip_bounded(body, limit)
    # No DTDs, no entities, no network: sitemap XML is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapError(f"line {exc.lineno}: not well-formed XML: {exc.msg}") from exc
    if root is None:
        raise SitemapError("empty document")
    kind = _local_name(root)
    entry = {"urlset": "url", "sitemapindex": "sitemap"}.get(kind)
    if entry is None:
        raise SitemapError(f"root element <{kind}> is neither <urlset> nor <sitemapindex>")
    locs: list[str] = []
    for child in root:
        if _local_name(child) != entry:
            continue
        # Only the entry's own <loc>: image/video extensions nest other <loc> elements.
        locs.extend(g.text.strip() for g in child if _local_name(g) == "loc" and g.text and g.text.strip())
    return kind, locs


@dataclass
class SitemapResult:
    pages: set[str] = field(default_factory=set)  # page URL keys in scope
    read: int = 0  # sitemap files read successfully
    out_of_scope: int = 0  # <loc>s elsewhere on the site (or on other hosts)
    problems: list[str] = field(default_factory=list)  # unreadable sitemap files, with reasons


def _absolute(loc: str) -> httpx.URL | None:
    try:
        url = httpx.URL(loc)
    except (httpx.InvalidURL, UnicodeError, ValueError):
        return None
    return url if url.is_absolute_url else None


async def read_sitemaps(fetcher: Fetcher, scope: Scope, robots: Robots) -> SitemapResult:
    """Every page URL the site's sitemaps (robots.txt `Sitemap:` lines, else /sitemap.xml) list."""
    result = SitemapResult()
    declared = [u for u in (_absolute(s) for s in robots.sitemaps()) if u is not None and scope.same_origin(u)]
    start = declared or [scope.origin_url("/sitemap.xml")]
    queue: deque[tuple[httpx.URL, int]] = deque((u, 0) for u in start)
    seen = {url_key(u) for u in start}
    while queue:
        sitemap_url, depth = queue.popleft()
        fetched = await fetcher.get(sitemap_url, redirect_check=same_origin_check(scope), max_bytes=SITEMAP_MAX_BYTES)
        if not isinstance(fetched, Fetched):
            reason = fetched.reason if isinstance(fetched, FetchFailed) else "unexpected 304"
            result.problems.append(f"{sitemap_url}: {reason}")
            continue
        try:
            kind, locs = parse_sitemap(fetched.body)
        except SitemapError as exc:
            result.problems.append(f"{sitemap_url}: {exc}")
            continue
        result.read += 1
        for url in filter(None, map(_absolute, locs)):
            if kind == "urlset":
                if scope.contains(url):
                    result.pages.add(url_key(url))
                else:
                    result.out_of_scope += 1
                continue
            key = url_key(url)
            if key in seen or not scope.same_origin(url):
                continue
            if depth + 1 > SITEMAP_MAX_DEPTH or len(seen) >= MAX_SITEMAPS:
                result.problems.append(f"{sitemap_url}: sitemap index too deep or too large, {key} not read")
                continue
            seen.add(key)
            queue.append((url, depth + 1))
    return result


def extract_links(body: bytes, base: httpx.URL, scope: Scope) -> list[str]:
    """Page URLs of the `<a href>`s of an HTML page that fall in scope, first occurrence order."""
    try:
        document = lxml_html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    for href in document.xpath("//base/@href")[:1]:
        with contextlib.suppress(httpx.InvalidURL, UnicodeError, ValueError):
            base = base.join(str(href).strip())
    found: dict[str, None] = {}
    for href in document.xpath("//a/@href"):
        url = scope.resolve(str(href), base)
        if url is not None:
            found.setdefault(url_key(url), None)
    return list(found)


@dataclass
class Discovery:
    method: str  # "sitemap": the list is complete up front; "links": pages are followed as fetched
    pages: list[str]  # page URL keys to start from (sorted)
    complete: bool  # False when part of the sitemap could not be read: then nothing is pruned
    notes: list[str]


async def discover(fetcher: Fetcher, scope: Scope, robots: Robots) -> Discovery:
    """The pages to crawl: from the sitemap when it lists any under the prefix, else from the
    links of the index page (the caller keeps following links found on the pages)."""
    sitemaps = await read_sitemaps(fetcher, scope, robots)
    notes = [robots.note, *(f"sitemap problem: {p}" for p in sitemaps.problems)]
    if sitemaps.pages:
        notes.append(
            f"sitemap: {len(sitemaps.pages)} pages under {scope.prefix} "
            f"({sitemaps.read} sitemap files, {sitemaps.out_of_scope} other URLs ignored)"
        )
        return Discovery("sitemap", sorted(sitemaps.pages), complete=not sitemaps.problems, notes=notes)
    notes.append(f"no sitemap lists pages under {scope.prefix}: following links from {scope.root}")
    if not robots.allowed(scope.root):
        raise SdkgenError(f"{scope.root}: robots.txt disallows the index page and no sitemap lists the pages")
    index = await fetcher.get(scope.root, redirect_check=same_origin_check(scope))
    if not isinstance(index, Fetched):
        reason = index.reason if isinstance(index, FetchFailed) else "unexpected 304"
        raise SdkgenError(f"{scope.root}: cannot read the index page ({reason}) and no sitemap lists the pages")
    pages = extract_links(index.body, index.url, scope)
    if not pages:
        raise SdkgenError(f"{scope.root}: found no pages (no sitemap entries, no links under {scope.prefix})")
    return Discovery("links", sorted(pages), complete=True, notes=notes)
