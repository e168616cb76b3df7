"""HTTP transports: one pooled httpx client, credentials, retries and the async-job protocol.

Protocol, whatever the docs label an API:

1. POST/PUT/DELETE carry `X-Job-UUID` (32 hex), the same value on every retry of one call.
2. Connection failures, timeouts and 5xx other than 503 are retried with exponential backoff and
   jitter, up to `max_retries` times. 503 is never retried: it means the API ran and failed, and
   its `{"error": ...}` body becomes a `ZStackError`. Other 4xx are final (`HttpError`).
3. A retry answered `400 Duplicate job uuid` means an earlier attempt was accepted (its answer was
   lost): the call continues by polling `/v1/api-jobs/<uuid>`, so the API runs once.
4. Any 202 is a job: its `location` is rewritten onto the configured base URL and polled until
   200 (result), 503 (error), 404 (`JobExpiredError`) or the deadline (`JobTimeoutError`); the
   interval grows from `poll_interval` to `poll_max_interval`.
"""

from __future__ import annotations

import asyncio
import logging
import random
import ssl
import threading
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import httpx
from pydantic import BaseModel

from .auth import AccessKey, session_header
from .codec import (
    JSON_CONTENT_TYPE,
    MUTATING_METHODS,
    PreparedRequest,
    decode_json,
    error_for_response,
    job_path,
    new_job_uuid,
    parse_success,
    poll_deadline,
    prepare_request,
)
from .errors import JobTimeoutError, SessionExpiredError, TransportError
from .spec import OperationSpec

__all__ = ["AsyncTransport", "Credentials", "SyncTransport", "TransportConfig"]

R = TypeVar("R", bound=BaseModel)

_log = logging.getLogger(__name__)
_USER_AGENT = "zstack-sdk-python (sdkgen)"
_DUPLICATE_JOB = "Duplicate job uuid"
# Transient by nature; UnsupportedProtocol, LocalProtocolError and ProxyError are not retried.
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


@dataclass(slots=True)
class TransportConfig:
    """Everything a transport needs besides credentials; `base_url` includes the context path."""

    base_url: str = "http://localhost:8080/zstack"
    timeout: float = 30.0
    poll_interval: float = 0.5
    poll_max_interval: float = 5.0
    poll_timeout: float | None = None
    max_retries: int = 3
    retry_backoff: float = 0.5
    retry_backoff_max: float = 10.0
    verify: bool | str | ssl.SSLContext = True  # False, a CA bundle path, or an SSLContext
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an http(s) URL with a host, got {self.base_url!r}")
        if parts.query or parts.fragment:
            raise ValueError(f"base_url must not carry a query or fragment: {self.base_url!r}")
        self.base_url = self.base_url.rstrip("/")
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.poll_interval <= 0:
            raise ValueError("poll_interval must be > 0")
        if self.poll_timeout is not None and self.poll_timeout <= 0:
            raise ValueError("poll_timeout must be > 0 (or None)")

    def backoff(self, attempt: int) -> float:
        """Seconds before retry number `attempt + 1`: exponential, capped, with full jitter on the top half."""
        ceiling = min(self.retry_backoff_max, self.retry_backoff * (2.0**attempt))
        return ceiling * random.uniform(0.5, 1.0)

    def next_poll_interval(self, interval: float) -> float:
        return min(interval * 1.5, max(self.poll_max_interval, self.poll_interval))


@dataclass(slots=True)
class Credentials:
    """What authenticates a call: a session (preferred when both are set) or an access key."""

    session_uuid: str | None = None
    access_key: AccessKey | None = None

    @classmethod
    def create(
        cls,
        session_uuid: str | None = None,
        access_key_id: str | None = None,
        access_key_secret: str | None = None,
        access_key_timezone: tzinfo | None = None,
    ) -> Credentials:
        if (access_key_id is None) != (access_key_secret is None):
            raise ValueError("access_key_id and access_key_secret go together")
        key = None
        if access_key_id is not None and access_key_secret is not None:
            key = AccessKey(access_key_id, access_key_secret, access_key_timezone)
        return cls(session_uuid, key)

    def headers(self, method: str, path: str) -> dict[str, str]:
        if self.session_uuid:
            return {"Authorization": session_header(self.session_uuid)}
        if self.access_key is not None:
            return self.access_key.headers(method, path)
        return {}

    def __repr__(self) -> str:  # the session uuid is a bearer credential
        return f"Credentials(session={'set' if self.session_uuid else None}, access_key={self.access_key!r})"


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    text: str
    url: str
    accepted_earlier: bool = False  # a retry met "Duplicate job uuid": poll the job instead


def _is_retryable_status(status: int) -> bool:
    return 500 <= status < 600 and status != 503


def _poll_request(operation_id: str, path: str) -> PreparedRequest:
    return PreparedRequest(operation_id, "GET", unquote(path), path, (), None)


class _TransportBase:
    """Shared state and decisions; subclasses only send bytes and sleep."""

    def __init__(self, config: TransportConfig | None, credentials: Credentials | None) -> None:
        self.config = config if config is not None else TransportConfig()
        self.credentials = credentials if credentials is not None else Credentials()

    @property
    def session_uuid(self) -> str | None:
        return self.credentials.session_uuid

    @session_uuid.setter
    def session_uuid(self, value: str | None) -> None:
        self.credentials.session_uuid = value

    def _client_options(self) -> dict[str, Any]:
        headers = {"User-Agent": _USER_AGENT, "Accept": "application/json", **self.config.headers}
        return {
            "timeout": self.config.timeout,
            "verify": self.config.verify,
            "headers": headers,
            "follow_redirects": False,
        }

    def _url(self, prepared: PreparedRequest) -> str:
        return f"{self.config.base_url}{prepared.target}"

    def _headers(self, prepared: PreparedRequest, auth: bool, job_uuid: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if prepared.body is not None:
            headers["Content-Type"] = JSON_CONTENT_TYPE
        if job_uuid is not None:
            headers["X-Job-UUID"] = job_uuid
        if auth:
            headers.update(self.credentials.headers(prepared.method, prepared.path))
        return headers

    @staticmethod
    def _job_uuid_for(prepared: PreparedRequest, job_uuid: str | None) -> str | None:
        return (job_uuid or new_job_uuid()) if prepared.method in MUTATING_METHODS else None

    def _settle(self, response: httpx.Response, url: str, attempt: int, job_uuid: str | None) -> _Answer | None:
        """The answer to hand back, or None when this status deserves another attempt."""
        status = response.status_code
        text = response.content.decode("utf-8", errors="replace")
        if _is_retryable_status(status) and attempt < self.config.max_retries:
            _log.debug("HTTP %s from %s, retrying", status, url)
            return None
        if attempt > 0 and job_uuid is not None and status == 400 and _DUPLICATE_JOB in text:
            return _Answer(status, text, url, accepted_earlier=True)
        return _Answer(status, text, url)

    def _give_up(self, exc: httpx.HTTPError, attempt: int, operation_id: str) -> TransportError:
        return TransportError(f"{type(exc).__name__}: {exc}", attempts=attempt + 1, operation_id=operation_id)

    def _job_to_poll(
        self, answer: _Answer, job_uuid: str | None, poll_timeout: float | None
    ) -> tuple[str, str, float] | None:
        """(path, job uuid, deadline seconds) when the answer is a job to poll, else None."""
        if answer.accepted_earlier and job_uuid is not None:
            return f"/v1/api-jobs/{job_uuid}", job_uuid, poll_deadline(None, poll_timeout or self.config.poll_timeout)
        if answer.status != 202:
            return None
        data = decode_json(answer.text)
        body = data if isinstance(data, dict) else {}
        path, polled_uuid = job_path(body.get("location"), job_uuid)
        return path, polled_uuid, poll_deadline(body.get("apiTimeout"), poll_timeout or self.config.poll_timeout)

    def _result(self, answer: _Answer, response_type: type[R], operation_id: str, job_uuid: str | None) -> R:
        if 200 <= answer.status < 300:
            return parse_success(answer.text, response_type, operation_id)
        raise error_for_response(
            answer.status, answer.text, operation_id=operation_id, url=answer.url, job_uuid=job_uuid
        )

    def _can_relogin(self, spec: OperationSpec, relogin: object | None) -> bool:
        return spec.auth and relogin is not None and self.credentials.session_uuid is not None


class SyncTransport(_TransportBase):
    """Blocking transport over one pooled `httpx.Client` (HTTP/1.1, keep-alive)."""

    def __init__(
        self,
        config: TransportConfig | None = None,
        *,
        credentials: Credentials | None = None,
        http_transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(config, credentials)
        self._http = httpx.Client(transport=http_transport, **self._client_options())
        self._relogin: Callable[[], None] | None = None
        self._relogin_lock = threading.Lock()

    def set_relogin(self, relogin: Callable[[], None] | None) -> None:
        """A callback that logs in again; called once per call on ID.1001 (session expired)."""
        self._relogin = relogin

    def close(self) -> None:
        self._http.close()

    def call(
        self,
        spec: OperationSpec,
        request: BaseModel | None,
        response_type: type[R],
        *,
        job_uuid: str | None = None,
        poll_timeout: float | None = None,
    ) -> R:
        """Run one operation and return its validated result (see the module docstring)."""
        prepared = prepare_request(spec, request)
        stale_session = self.credentials.session_uuid
        try:
            return self._run(prepared, spec.auth, response_type, job_uuid, poll_timeout)
        except SessionExpiredError:
            if not self._can_relogin(spec, self._relogin):
                raise
            self._refresh_session(stale_session)
            # A fresh job uuid: the first one is recorded server-side as a failed job.
            return self._run(prepared, spec.auth, response_type, None, poll_timeout)

    def poll_job(
        self, job_uuid: str, response_type: type[R], *, timeout: float | None = None, operation_id: str = "api-job"
    ) -> R:
        """Wait for a job started earlier, e.g. after a `JobTimeoutError`."""
        deadline = poll_deadline(None, timeout or self.config.poll_timeout)
        return self._poll(operation_id, f"/v1/api-jobs/{job_uuid}", job_uuid, deadline, response_type, True)

    def _refresh_session(self, stale_session: str | None) -> None:
        with self._relogin_lock:
            if self.credentials.session_uuid == stale_session and self._relogin is not None:
                _log.info("session expired, logging in again")
                self._relogin()

    def _run(
        self,
        prepared: PreparedRequest,
        auth: bool,
        response_type: type[R],
        job_uuid: str | None,
        poll_timeout: float | None,
    ) -> R:
        job_uuid = self._job_uuid_for(prepared, job_uuid)
        answer = self._exchange(prepared, auth, job_uuid)
        job = self._job_to_poll(answer, job_uuid, poll_timeout)
        if job is None:
            return self._result(answer, response_type, prepared.operation_id, None)
        path, polled_uuid, deadline = job
        return self._poll(prepared.operation_id, path, polled_uuid, deadline, response_type, auth)

    def _exchange(self, prepared: PreparedRequest, auth: bool, job_uuid: str | None) -> _Answer:
        url = self._url(prepared)
        attempt = 0
        while True:
            try:
                response = self._http.request(
                    prepared.method, url, content=prepared.body, headers=self._headers(prepared, auth, job_uuid)
                )
            except _RETRYABLE_ERRORS as exc:
                if attempt >= self.config.max_retries:
                    raise self._give_up(exc, attempt, prepared.operation_id) from exc
                _log.debug("%s %s failed (%s), retrying", prepared.method, url, type(exc).__name__)
            except httpx.HTTPError as exc:
                raise self._give_up(exc, attempt, prepared.operation_id) from exc
            else:
                answer = self._settle(response, url, attempt, job_uuid)
                if answer is not None:
                    return answer
            time.sleep(self.config.backoff(attempt))
            attempt += 1

    def _poll(
        self, operation_id: str, path: str, job_uuid: str, deadline: float, response_type: type[R], auth: bool
    ) -> R:
        started = time.monotonic()
        interval = self.config.poll_interval
        request = _poll_request(operation_id, path)
        while True:
            answer = self._exchange(request, auth, None)
            if answer.status != 202:
                return self._result(answer, response_type, operation_id, job_uuid)
            remaining = deadline - (time.monotonic() - started)
            if remaining <= 0:
                raise JobTimeoutError(job_uuid, time.monotonic() - started, operation_id=operation_id)
            time.sleep(min(interval, remaining))
            interval = self.config.next_poll_interval(interval)


class AsyncTransport(_TransportBase):
    """asyncio transport over one pooled `httpx.AsyncClient` (HTTP/1.1, keep-alive)."""

    def __init__(
        self,
        config: TransportConfig | None = None,
        *,
        credentials: Credentials | None = None,
        http_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(config, credentials)
        self._http = httpx.AsyncClient(transport=http_transport, **self._client_options())
        self._relogin: Callable[[], Awaitable[None]] | None = None
        self._relogin_lock: asyncio.Lock | None = None

    def set_relogin(self, relogin: Callable[[], Awaitable[None]] | None) -> None:
        """A coroutine function that logs in again; awaited once per call on ID.1001."""
        self._relogin = relogin

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self,
        spec: OperationSpec,
        request: BaseModel | None,
        response_type: type[R],
        *,
        job_uuid: str | None = None,
        poll_timeout: float | None = None,
    ) -> R:
        """Run one operation and return its validated result (see the module docstring)."""
        prepared = prepare_request(spec, request)
        stale_session = self.credentials.session_uuid
        try:
            return await self._run(prepared, spec.auth, response_type, job_uuid, poll_timeout)
        except SessionExpiredError:
            if not self._can_relogin(spec, self._relogin):
                raise
            await self._refresh_session(stale_session)
            return await self._run(prepared, spec.auth, response_type, None, poll_timeout)

    async def poll_job(
        self, job_uuid: str, response_type: type[R], *, timeout: float | None = None, operation_id: str = "api-job"
    ) -> R:
        """Wait for a job started earlier, e.g. after a `JobTimeoutError`."""
        deadline = poll_deadline(None, timeout or self.config.poll_timeout)
        return await self._poll(operation_id, f"/v1/api-jobs/{job_uuid}", job_uuid, deadline, response_type, True)

    async def _refresh_session(self, stale_session: str | None) -> None:
        if self._relogin_lock is None:  # created lazily: it must belong to the running loop
            self._relogin_lock = asyncio.Lock()
        async with self._relogin_lock:
            if self.credentials.session_uuid == stale_session and self._relogin is not None:
                _log.info("session expired, logging in again")
                await self._relogin()

    async def _run(
        self,
        prepared: PreparedRequest,
        auth: bool,
        response_type: type[R],
        job_uuid: str | None,
        poll_timeout: float | None,
    ) -> R:
        job_uuid = self._job_uuid_for(prepared, job_uuid)
        answer = await self._exchange(prepared, auth, job_uuid)
        job = self._job_to_poll(answer, job_uuid, poll_timeout)
        if job is None:
            return self._result(answer, response_type, prepared.operation_id, None)
        path, polled_uuid, deadline = job
        return await self._poll(prepared.operation_id, path, polled_uuid, deadline, response_type, auth)

    async def _exchange(self, prepared: PreparedRequest, auth: bool, job_uuid: str | None) -> _Answer:
        url = self._url(prepared)
        attempt = 0
        while True:
            try:
                response = await self._http.request(
                    prepared.method, url, content=prepared.body, headers=self._headers(prepared, auth, job_uuid)
                )
            except _RETRYABLE_ERRORS as exc:
                if attempt >= self.config.max_retries:
                    raise self._give_up(exc, attempt, prepared.operation_id) from exc
                _log.debug("%s %s failed (%s), retrying", prepared.method, url, type(exc).__name__)
            except httpx.HTTPError as exc:
                raise self._give_up(exc, attempt, prepared.operation_id) from exc
            else:
                answer = self._settle(response, url, attempt, job_uuid)
                if answer is not None:
                    return answer
            await asyncio.sleep(self.config.backoff(attempt))
            attempt += 1

    async def _poll(
        self, operation_id: str, path: str, job_uuid: str, deadline: float, response_type: type[R], auth: bool
    ) -> R:
        started = time.monotonic()
        interval = self.config.poll_interval
        request = _poll_request(operation_id, path)
        while True:
            answer = await self._exchange(request, auth, None)
            if answer.status != 202:
                return self._result(answer, response_type, operation_id, job_uuid)
            remaining = deadline - (time.monotonic() - started)
            if remaining <= 0:
                raise JobTimeoutError(job_uuid, time.monotonic() - started, operation_id=operation_id)
            await asyncio.sleep(min(interval, remaining))
            interval = self.config.next_poll_interval(interval)
