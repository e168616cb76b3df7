"""The exception tree of the SDK.

    SdkError
    ├── ZStackError                 the API ran and failed: a 503 `{"error": {...}}` (sync or polled)
    │   ├── AuthError
    │   │   ├── SessionExpiredError     ID.1001 (invalid or expired session; ZStack never sends 401)
    │   │   └── PermissionDeniedError   ID.1002 (also a builtin PermissionError)
    │   ├── OperationTimeoutError       SYS.1001 (server-side timeout; also a builtin TimeoutError)
    │   └── InvalidArgumentError        SYS.1007 (also a builtin ValueError)
    ├── HttpError                   a plain-text answer before dispatch (400/403/404/405/500...)
    │   └── JobExpiredError         404 on /v1/api-jobs/{uuid}: unknown or purged job
    ├── JobTimeoutError             the client's poll deadline passed (the job may still finish)
    ├── TransportError              no answer after every retry (connection refused, reset, timeout)
    ├── NotFoundError               `query.get_one` matched nothing
    └── ResponseValidationError     a success body that does not fit the response model

The builtin bases let callers write `except TimeoutError` or `except PermissionError` without knowing
the SDK, while `except SdkError` still catches everything the SDK raises.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "AuthError",
    "HttpError",
    "InvalidArgumentError",
    "JobExpiredError",
    "JobTimeoutError",
    "NotFoundError",
    "OperationTimeoutError",
    "PermissionDeniedError",
    "ResponseValidationError",
    "SdkError",
    "SessionExpiredError",
    "TransportError",
    "ZStackError",
    "error_from_wire",
]


class SdkError(Exception):
    """Base of every exception the SDK raises on purpose."""


class ZStackError(SdkError):
    """An error object sent by the server: `{"error": {"code", "description", "details", ...}}`.

    `cause` is the nested error of the same shape (recursive); `causes` holds the members of an
    ErrorCodeList. `raw` is the error object exactly as received.
    """

    def __init__(
        self,
        code: str,
        description: str = "",
        details: str = "",
        *,
        elaboration: str | None = None,
        opaque: Mapping[str, Any] | None = None,
        cause: ZStackError | None = None,
        causes: list[ZStackError] | None = None,
        status: int | None = None,
        operation_id: str | None = None,
        raw: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code
        self.description = description
        self.details = details
        self.elaboration = elaboration
        self.opaque: dict[str, Any] = dict(opaque or {})
        self.cause = cause
        self.causes: list[ZStackError] = list(causes or [])
        self.status = status
        self.operation_id = operation_id
        self.raw: dict[str, Any] = dict(raw or {})
        super().__init__(self._message())
        # Shown by tracebacks as "the direct cause of", which is how ZStack chains its errors.
        self.__cause__ = cause

    def _message(self) -> str:
        text = f"{self.code}: {self.description}" if self.description else self.code
        if self.details and self.details != self.description:
            text = f"{text}: {self.details}"
        if self.elaboration:
            text = f"{text} ({self.elaboration})"
        return f"{self.operation_id}: {text}" if self.operation_id else text

    def iter_causes(self) -> Iterator[ZStackError]:
        """This error, then its `cause`, the cause's cause, ... (the `causes` lists are not walked)."""
        error: ZStackError | None = self
        while error is not None:
            yield error
            error = error.cause

    @property
    def root_cause(self) -> ZStackError:
        """The innermost error of the `cause` chain (self when there is none)."""
        *_, last = self.iter_causes()
        return last


class AuthError(ZStackError):
    """An identity error (`ID.*`)."""


class SessionExpiredError(AuthError):
    """ID.1001: the session is unknown or expired. The server reports it as 503, never 401."""


class PermissionDeniedError(AuthError, PermissionError):
    """ID.1002: the account may not call this API or touch this resource."""


class OperationTimeoutError(ZStackError, TimeoutError):
    """SYS.1001: the operation timed out on the server side."""


class InvalidArgumentError(ZStackError, ValueError):
    """SYS.1007: a parameter was refused by the API's validation."""


class HttpError(SdkError):
    """A non-JSON answer sent before the API was dispatched; `text` is the plain-text body."""

    def __init__(self, status: int, text: str, *, operation_id: str | None = None, url: str | None = None) -> None:
        self.status = status
        self.text = text
        self.operation_id = operation_id
        self.url = url
        prefix = f"{operation_id}: " if operation_id else ""
        super().__init__(f"{prefix}HTTP {status}: {text.strip() or '(empty body)'}")


class JobExpiredError(HttpError):
    """404 while polling `/v1/api-jobs/{uuid}`: the job is unknown, or its record was purged (3 h)."""

    def __init__(self, job_uuid: str, text: str, *, operation_id: str | None = None, url: str | None = None) -> None:
        self.job_uuid = job_uuid
        super().__init__(404, text, operation_id=operation_id, url=url)


class JobTimeoutError(SdkError, TimeoutError):
    """The poll deadline passed while the job was still running.

    The job was not cancelled: poll it again later with `transport.poll_job(job_uuid, ...)`.
    """

    def __init__(self, job_uuid: str, waited: float, *, operation_id: str | None = None) -> None:
        self.job_uuid = job_uuid
        self.waited = waited
        self.operation_id = operation_id
        prefix = f"{operation_id}: " if operation_id else ""
        super().__init__(f"{prefix}job {job_uuid} still running after {waited:.1f} s")


class TransportError(SdkError, ConnectionError):
    """No HTTP answer after every retry; `__cause__` is the last httpx exception."""

    def __init__(self, message: str, *, attempts: int, operation_id: str | None = None) -> None:
        self.attempts = attempts
        self.operation_id = operation_id
        prefix = f"{operation_id}: " if operation_id else ""
        super().__init__(f"{prefix}{message} (after {attempts} attempt(s))")


class NotFoundError(SdkError, LookupError):
    """A lookup by conditions (`query.get_one`) matched nothing."""


class ResponseValidationError(SdkError, ValueError):
    """A success body that does not validate into the response model; `raw` is the decoded body."""

    def __init__(self, message: str, *, raw: Any, operation_id: str | None = None) -> None:
        self.raw = raw
        self.operation_id = operation_id
        prefix = f"{operation_id}: " if operation_id else ""
        super().__init__(f"{prefix}{message}")


_ERROR_CLASSES: dict[str, type[ZStackError]] = {
    "ID.1001": SessionExpiredError,
    "ID.1002": PermissionDeniedError,
    "SYS.1001": OperationTimeoutError,
    "SYS.1007": InvalidArgumentError,
}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def error_from_wire(
    error: Mapping[str, Any], *, status: int | None = None, operation_id: str | None = None
) -> ZStackError:
    """Build the typed exception for one ZStack error object, recursively for `cause` and `causes`."""
    code = _text(error.get("code")) or "UNKNOWN"
    if code.startswith("ID.") and code not in _ERROR_CLASSES:
        error_class: type[ZStackError] = AuthError
    else:
        error_class = _ERROR_CLASSES.get(code, ZStackError)
    cause = error.get("cause")
    causes = error.get("causes")
    opaque = error.get("opaque")
    elaboration = error.get("elaboration")
    return error_class(
        code,
        _text(error.get("description")),
        _text(error.get("details")),
        elaboration=_text(elaboration) or None,
        opaque=opaque if isinstance(opaque, Mapping) else None,
        cause=error_from_wire(cause, status=status) if isinstance(cause, Mapping) else None,
        causes=[error_from_wire(c, status=status) for c in causes if isinstance(c, Mapping)]
        if isinstance(causes, list)
        else None,
        status=status,
        operation_id=operation_id,
        raw=error,
    )
