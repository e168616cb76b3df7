"""One resource over HTTP: conditional GET, bounded body, retries with backoff, redirects checked.

Every outcome is a value (`Fetched`, `NotModified`, `FetchFailed`); nothing here raises for a
misbehaving server. A body is only ever returned whole: a short read is a retryable failure.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]
# Returns why following a redirect to this URL is refused, or None to follow it.
RedirectCheck = Callable[[httpx.URL], str | None]


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3  # extra attempts after the first
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_backoff: float = 30.0
    retry_after_cap: float = 60.0  # a server asking for longer gets this much

    def backoff_delay(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random, so that many
        workers failing together do not retry in lockstep."""
        ceiling = min(self.max_backoff, self.backoff * 2.0**attempt)
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass(frozen=True)
class Validators:
    """What the previous crawl saw, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    url: httpx.URL  # where the body came from (after redirects): the base for its relative links
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class NotModified:
    etag: str | None
    last_modified: str | None
    status: int = 304


@dataclass(frozen=True)
class FetchFailed:
    reason: str
    status: int | None = None  # the last HTTP status seen, if any


FetchResult = Fetched | NotModified | FetchFailed


@dataclass(frozen=True)
class _Redirect:
    status: int
    location: str


class _Retryable(Exception):
    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime, cap: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), capped; None if absent
    or unreadable (the caller then uses its own backoff)."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # "-0000" dates: RFC 9110 dates are always GMT
            when = when.replace(tzinfo=UTC)
        seconds = (when - now).total_seconds()
    return max(0.0, min(cap, seconds))


def _content_length(response: httpx.Response) -> int | None:
    value = response.headers.get("content-length", "")
    return int(value) if value.strip().isdigit() else None


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Fetcher:
    """GETs URLs through one shared client with this crawl's limits and manners."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        user_agent: str,
        timeout: float,
        max_bytes: int,
        policy: RetryPolicy,
        sleep: Sleep,
        rng: random.Random,
        clock: Clock,
    ) -> None:
        self.client = client
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.policy = policy
        self.sleep = sleep
        self.rng = rng
        self.clock = clock

    async def get(
        self,
        url: httpx.URL,
        *,
        redirect_check: RedirectCheck,
        validators: Validators | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url`, following at most MAX_REDIRECTS redirects that `redirect_check` accepts."""
        headers = {"User-Agent": self.user_agent, **(validators.headers() if validators else {})}
        limit = self.max_bytes if max_bytes is None else max_bytes
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            result = await self._with_retries(current, headers, limit)
            if not isinstance(result, _Redirect):
                return result
            try:
                target = current.join(result.location)
            except (httpx.InvalidURL, UnicodeError, ValueError):
                return FetchFailed(f"HTTP {result.status} to an invalid Location {result.location!r}", result.status)
            refusal = redirect_check(target)
            if refusal is not None:
                return FetchFailed(f"HTTP {result.status} redirect to {target} not followed: {refusal}", result.status)
            current = target
        return FetchFailed(f"more than {MAX_REDIRECTS} redirects")

    async def _with_retries(self, url: httpx.URL, headers: dict[str, str], limit: int) -> FetchResult | _Redirect:
        attempts = self.policy.retries + 1
        for attempt in range(attempts):
            try:
                return await self._attempt(url, headers, limit)
            except _Retryable as exc:
                if attempt + 1 == attempts:
                    return FetchFailed(f"{exc.reason} (gave up after {attempts} attempts)", exc.status)
                delay = exc.retry_after
                if delay is None:
                    delay = self.policy.backoff_delay(attempt, self.rng)
                await self.sleep(delay)
        raise AssertionError("unreachable: the loop returns on its last attempt")

    async def _attempt(self, url: httpx.URL, headers: dict[str, str], limit: int) -> FetchResult | _Redirect:
        try:
            # httpx's timeouts bound each read, not the whole response: a server trickling
            # bytes would never time out, hence the overall deadline as well.
            async with asyncio.timeout(self.timeout):
                async with self.client.stream(
                    "GET", url, headers=headers, follow_redirects=False, timeout=self.timeout
                ) as response:
                    return await self._read(response, limit)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise _Retryable(f"timed out after {self.timeout:g}s") from exc
        except httpx.RemoteProtocolError as exc:
            # h11 raises this when the connection closes before Content-Length bytes arrived.
            raise _Retryable(f"broken or truncated response ({_describe(exc)})") from exc
        except (httpx.NetworkError, httpx.DecodingError) as exc:
            raise _Retryable(f"connection error ({_describe(exc)})") from exc
        except httpx.HTTPError as exc:  # unsupported scheme, bad request headers...: retrying won't help
            return FetchFailed(_describe(exc))

    async def _read(self, response: httpx.Response, limit: int) -> FetchResult | _Redirect:
        status = response.status_code
        if status in _REDIRECT_STATUSES:
            location = response.headers.get("location")
            if not location:
                return FetchFailed(f"HTTP {status} redirect without a Location header", status)
            return _Redirect(status, location)
        if status == 304:
            return NotModified(response.headers.get("etag"), response.headers.get("last-modified"))
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(
                response.headers.get("retry-after"), self.clock(), self.policy.retry_after_cap
            )
            raise _Retryable(f"HTTP {status}", status, retry_after)
        if status != 200:
            return FetchFailed(f"HTTP {status}", status)
        declared = _content_length(response)
        if declared is not None and declared > limit:
            return FetchFailed(f"too large: Content-Length {declared} exceeds the {limit}-byte limit", status)
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            if len(body) > limit:  # also catches bodies without Content-Length and compression bombs
                return FetchFailed(f"too large: body exceeds the {limit}-byte limit", status)
        if declared is not None and response.num_bytes_downloaded < declared:
            # Normally h11 already raised; this guards transports that do not check.
            raise _Retryable(f"truncated body: {response.num_bytes_downloaded} of {declared} bytes", status)
        return Fetched(
            response.url, status, bytes(body), response.headers.get("etag"), response.headers.get("last-modified")
        )


def utc_now() -> datetime:
    return datetime.now(UTC)
