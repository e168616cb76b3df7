"""A real HTTP/1.1 server on a free loopback port that serves a small API explorer site,
counts what it sends, and misbehaves on request (faults queued per path)."""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PREFIX = "/docs/api-explorer/en/cloud/explorer/"
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
REPO = Path(__file__).resolve().parents[2]
INPUT_PAGES = REPO / "input_docs" / "pages"


def sample_pages(count: int) -> dict[str, bytes]:
    """`count` real pages from input_docs, by name (deterministic choice)."""
    files = sorted(INPUT_PAGES.glob("*.html"))[:count]
    return {f.stem: f.read_bytes() for f in files}


@dataclass(frozen=True)
class Fault:
    """One misbehaviour, used for one request to its path (or every request when `sticky`)."""

    kind: str  # delay | trickle | status | reset | truncate | redirect | grow | huge-length
    status: int = 500
    headers: tuple[tuple[str, str], ...] = ()
    location: str = ""
    size: int = 0
    seconds: float = 0.0
    sticky: bool = False


@dataclass
class SiteState:
    pages: dict[str, bytes]  # raw (percent-encoded) name under PREFIX -> body
    sitemap: str = "plain"  # plain: /sitemap.xml | index: robots.txt -> sitemap index -> 2 files | none
    robots: str = f"User-agent: *\nDisallow: {PREFIX}Secret\n"
    robots_status: int = 200
    no_etag: set[str] = field(default_factory=set)  # pages answered with Last-Modified only
    index_links: list[str] | None = None  # hrefs of the index page (default: every page)
    faults: dict[str, deque[Fault]] = field(default_factory=lambda: defaultdict(deque))
    requests: Counter[str] = field(default_factory=Counter)  # raw path -> requests received
    full_bodies: Counter[str] = field(default_factory=Counter)  # raw path -> complete 200 page bodies sent
    user_agents: set[str] = field(default_factory=set)
    conditional: Counter[str] = field(default_factory=Counter)  # raw path -> requests with validators
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, path: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(path)
            if not queue:
                return None
            fault = queue[0]
            if not fault.sticky:
                queue.popleft()
            return fault


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real server; every response is delimited
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle + delayed ACK add ~40 ms each.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    # -- plumbing --------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0): the client sees 'connection reset'."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    # -- routes ----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        with state.lock:
            state.requests[path] += 1
            state.user_agents.add(self.headers.get("User-Agent", ""))
        fault = state.next_fault(path)
        if fault is not None and self._misbehave(fault, path):
            return
        if path == "/robots.txt":
            self._robots()
        elif path in ("/sitemap.xml", "/sitemaps/index.xml", "/sitemaps/a.xml", "/sitemaps/b.xml"):
            self._sitemap(path)
        elif path == PREFIX:
            self._index()
        elif path.startswith(PREFIX) and path[len(PREFIX) :] in state.pages:
            self._page(path, state.pages[path[len(PREFIX) :]])
        else:
            self._send(404, b"not found", {"Content-Type": "text/plain"})

    def _robots(self) -> None:
        state = self.server.state
        text = state.robots
        if state.sitemap == "index":
            text += f"Sitemap: {self.server.base_url}/sitemaps/index.xml\n"
        self._send(state.robots_status, text.encode(), {"Content-Type": "text/plain"})

    def _sitemap(self, path: str) -> None:
        state = self.server.state
        base = self.server.base_url
        names = sorted(state.pages)
        urls = [f"{base}{PREFIX}{n}" for n in names] + [f"{base}/docs/api-explorer/en/cloud/changelog"]
        if state.sitemap == "plain" and path == "/sitemap.xml":
            self._send(200, _urlset(urls), {"Content-Type": "application/xml"})
        elif state.sitemap == "index" and path == "/sitemaps/index.xml":
            entries = "".join(f"<sitemap><loc>{base}/sitemaps/{x}.xml</loc></sitemap>" for x in "ab")
            body = f'<?xml version="1.0"?><sitemapindex xmlns="{_NS}">{entries}</sitemapindex>'
            self._send(200, body.encode(), {"Content-Type": "application/xml"})
        elif state.sitemap == "index" and path in ("/sitemaps/a.xml", "/sitemaps/b.xml"):
            half = len(urls) // 2
            self._send(200, _urlset(urls[:half] if path.endswith("a.xml") else urls[half:]))
        else:
            self._send(404, b"no sitemap")

    def _index(self) -> None:
        state = self.server.state
        hrefs = state.index_links if state.index_links is not None else [f"./{n}" for n in sorted(state.pages)]
        links = "".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)
        self._send(200, f"<html><body><ul>{links}</ul></body></html>".encode(), {"Content-Type": "text/html"})

    def _page(self, path: str, body: bytes) -> None:
        state = self.server.state
        name = path[len(PREFIX) :]
        headers = {"Content-Type": "text/html; charset=utf-8", "Last-Modified": LAST_MODIFIED}
        if name not in state.no_etag:
            headers["ETag"] = etag_of(body)
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match or if_modified_since:
            with state.lock:
                state.conditional[path] += 1
        if if_none_match is not None:
            fresh = if_none_match == headers.get("ETag")
        else:  # a fixed Last-Modified: the date matches exactly or the page is stale
            fresh = if_modified_since == LAST_MODIFIED and name in state.no_etag
        if fresh:
            self.send_response(304)
            for key in ("ETag", "Last-Modified"):
                if key in headers:
                    self.send_header(key, headers[key])
            self.end_headers()
            return
        self._send(200, body, headers)
        with state.lock:
            state.full_bodies[path] += 1

    # -- faults ------------------------------------------------------------------------------------

    def _misbehave(self, fault: Fault, path: str) -> bool:
        """Act out `fault`; False when the normal response should follow (after a delay)."""
        body = self.server.state.pages.get(path[len(PREFIX) :], b"x" * 1000)
        if fault.kind == "delay":  # slow but fine: the normal response follows
            time.sleep(fault.seconds)
            return False
        if fault.kind == "status":
            self._send(fault.status, b"", dict(fault.headers))
        elif fault.kind == "redirect":
            self._send(302, b"", {"Location": fault.location})
        elif fault.kind == "reset":
            self._reset()
        elif fault.kind == "truncate":  # Content-Length promises more than is sent, then close
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) + 5000))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif fault.kind == "grow":  # chunked, no Content-Length, never-ending page
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>" + b"y" * 8189 + b"</p>"
            for _ in range(fault.size // len(chunk) + 1):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif fault.kind == "huge-length":  # announces a body beyond the limit
            self.send_response(200)
            self.send_header("Content-Length", str(fault.size))
            self.end_headers()
            self.wfile.write(b"z" * 1024)
            self.close_connection = True
        elif fault.kind == "trickle":  # the whole page, in 20 pieces spread over `seconds`
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = len(body) // 20 + 1
            for start in range(0, len(body), step):
                time.sleep(fault.seconds / 20)  # each pause is shorter than the client's read timeout
                self.wfile.write(body[start : start + step])
                self.wfile.flush()
        else:
            raise AssertionError(f"unknown fault {fault.kind}")
        return True


_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _urlset(urls: list[str]) -> bytes:
    items = "".join(f"<url><loc>{u}</loc><lastmod>2025-01-01</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="{_NS}">{items}</urlset>'.encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: SiteState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients that time out leave broken pipes behind: expected here


class DocSite:
    """Handle on a running site: URLs, the state to tweak, the counters to assert on."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.state = server.state
        self.base_url = server.base_url
        self.explorer_url = f"{server.base_url}{PREFIX}"

    def url(self, name: str) -> str:
        return f"{self.explorer_url}{name}"

    def add_fault(self, name: str, fault: Fault, times: int = 1) -> None:
        """Queue `fault` for page `name` (or for a raw path starting with "/")."""
        path = name if name.startswith("/") else PREFIX + name
        with self.state.lock:
            self.state.faults[path].extend([fault] * times)

    def page_bodies_sent(self) -> int:
        return sum(self.state.full_bodies.values())

    def requests_for(self, name: str) -> int:
        return self.state.requests[PREFIX + name]


@contextmanager
def serve(state: SiteState) -> Iterator[DocSite]:
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield DocSite(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
