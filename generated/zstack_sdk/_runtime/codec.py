"""Sans-I/O half of the transports: build the HTTP request of a call, interpret the answers.

Kept free of httpx so the sync and async transports share every rule and only differ in how they
send bytes and sleep.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ValidationError

from .errors import HttpError, JobExpiredError, ResponseValidationError, SdkError, error_from_wire
from .spec import OperationSpec, ParamSpec

__all__ = [
    "JSON_CONTENT_TYPE",
    "MUTATING_METHODS",
    "PreparedRequest",
    "decode_json",
    "error_for_response",
    "job_path",
    "new_job_uuid",
    "parse_success",
    "poll_deadline",
    "prepare_request",
]

R = TypeVar("R", bound=BaseModel)

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
MUTATING_METHODS = frozenset({"POST", "PUT", "DELETE"})
# Methods whose parameters travel in the query string: the server ignores their bodies.
_QUERY_STRING_METHODS = frozenset({"GET", "DELETE", "HEAD"})
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_DEFAULT_JOB_DEADLINE = 3 * 3600.0  # the server keeps finished job records 3 h
_API_TIMEOUT_MARGIN = 60.0
_SORT_SIGNS = {"asc": "+", "ascending": "+", "+": "+", "desc": "-", "descending": "-", "-": "-"}


def new_job_uuid() -> str:
    """An X-Job-UUID: a v4 UUID without dashes (the server checks for exactly 32 characters)."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """One operation call turned into HTTP terms; paths are below the context path (`/v1/...`)."""

    operation_id: str
    method: str
    path: str  # decoded, as signed by access-key auth
    raw_path: str  # URL-encoded, as sent
    query: tuple[tuple[str, str], ...]
    body: bytes | None

    @property
    def target(self) -> str:
        """Encoded path plus query string; `+` and every other reserved character percent-encoded."""
        if not self.query:
            return self.raw_path
        encoded = "&".join(f"{quote(key, safe='.')}={quote(value, safe='')}" for key, value in self.query)
        return f"{self.raw_path}?{encoded}"


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _query_pairs(key: str, value: Any) -> list[tuple[str, str]]:
    """Lists repeat the key (`k=a&k=b`), maps use dotted keys (`k.key=v`), booleans are lower-case."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [(key, _scalar_text(item)) for item in value if item is not None]
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for sub_key, sub_value in value.items():
            pairs.extend(_query_pairs(f"{key}.{sub_key}", sub_value))
        return pairs
    return [(key, _scalar_text(value))]


def _dumped_values(request: BaseModel | None) -> dict[str, Any]:
    if request is None:
        return {}
    return request.model_dump(by_alias=True, exclude_none=True, mode="json")


def _value_of(param: ParamSpec, values: Mapping[str, Any]) -> Any:
    # A model field without an alias dumps under its attribute name: accept that too.
    if param.wire in values:
        return values[param.wire]
    return values.get(param.attr)


def _fill_path(spec: OperationSpec, path_values: Mapping[str, Any]) -> tuple[str, str]:
    decoded_parts: list[str] = []
    encoded_parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(spec.path):
        name = match.group(1)
        value = path_values.get(name)
        if value is None or value == "":
            raise ValueError(f"{spec.operation_id}: missing path parameter {name!r} for {spec.path}")
        text = _scalar_text(value)
        literal = spec.path[position : match.start()]
        decoded_parts += [literal, text]
        encoded_parts += [literal, quote(text, safe="")]
        position = match.end()
    tail = spec.path[position:]
    return "".join([*decoded_parts, tail]), "".join([*encoded_parts, tail])


def _sort_value(spec: OperationSpec, sort_by: Any, direction: Any) -> str:
    field = str(sort_by)
    if field[:1] in "+-":  # already signed
        return field
    sign = _SORT_SIGNS.get(str(direction).lower()) if direction is not None else "+"
    if sign is None:
        raise ValueError(f"{spec.operation_id}: sort direction must be 'asc' or 'desc', got {direction!r}")
    return f"{sign}{field}"


def _query_api_pairs(spec: OperationSpec, wire: str, value: Any, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Query APIs: one `q` per condition, `sort=+f`/`-f` from sortBy/sortDirection, `fields=a,b`."""
    if wire == "q":
        conditions = value if isinstance(value, list | tuple) else [value]
        return [("q", str(condition)) for condition in conditions if condition is not None]
    if wire == "sortBy":
        return [("sort", _sort_value(spec, value, values.get("sortDirection")))]
    if wire == "sortDirection":
        return []  # folded into `sort`; the server ignores sortDirection
    if wire == "fields" and isinstance(value, list | tuple):
        return [("fields", ",".join(str(field) for field in value))]
    return _query_pairs(wire, value)


def prepare_request(spec: OperationSpec, request: BaseModel | None) -> PreparedRequest:
    """Place every parameter where the server reads it; raises ValueError before anything is sent."""
    values = _dumped_values(request)
    method = spec.method.upper()
    path_values: dict[str, Any] = {}
    query: list[tuple[str, str]] = []
    wrapped: dict[str, Any] = {}
    top_level: dict[str, Any] = {}
    wire_values = _wire_values(spec, values)
    for param in spec.params:
        value = _value_of(param, values)
        if value is None:
            continue
        if param.location == "path":
            path_values[param.wire] = value
        elif param.location == "query" or method in _QUERY_STRING_METHODS:
            if spec.is_query:
                query.extend(_query_api_pairs(spec, param.wire, value, wire_values))
            else:
                query.extend(_query_pairs(param.wire, value))
        elif param.location == "body":
            wrapped[param.wire] = value
        else:
            top_level[param.wire] = value
    decoded_path, raw_path = _fill_path(spec, path_values)
    body: bytes | None = None
    if method not in _QUERY_STRING_METHODS:
        document: dict[str, Any] = {spec.wrapper: wrapped} if spec.wrapper is not None else dict(wrapped)
        document.update(top_level)
        body = json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return PreparedRequest(spec.operation_id, method, decoded_path, raw_path, tuple(query), body)


def _wire_values(spec: OperationSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    return {param.wire: _value_of(param, values) for param in spec.params}


def decode_json(text: str) -> Any:
    """The decoded body, or None when it is empty or not JSON (pre-dispatch errors are plain text)."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def parse_success(text: str, response_type: type[R], operation_id: str) -> R:
    """Validate a 200 body into the response model, without the query `schema` map."""
    data = decode_json(text) if text.strip() else {}
    if not isinstance(data, dict):
        raise ResponseValidationError("success body is not a JSON object", raw=text, operation_id=operation_id)
    if isinstance(data.get("schema"), dict):
        data = {key: value for key, value in data.items() if key != "schema"}
    try:
        return response_type.model_validate(data)
    except ValidationError as exc:
        raise ResponseValidationError(
            f"response does not fit {response_type.__name__}: {exc}", raw=data, operation_id=operation_id
        ) from exc


def error_for_response(status: int, text: str, *, operation_id: str, url: str, job_uuid: str | None = None) -> SdkError:
    """The exception for a non-success answer: ZStackError for `{"error": ...}`, else HttpError."""
    data = decode_json(text)
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return error_from_wire(data["error"], status=status, operation_id=operation_id)
    if status == 404 and job_uuid is not None:
        return JobExpiredError(job_uuid, text, operation_id=operation_id, url=url)
    return HttpError(status, text, operation_id=operation_id, url=url)


def job_path(location: Any, fallback_uuid: str | None) -> tuple[str, str]:
    """(path below the context, job uuid) to poll, from a 202 `location`.

    The server builds `location` from its own idea of host, port and context (often an internal
    address), so only the `/v1/...` part is kept and joined to the configured base URL.
    """
    if isinstance(location, str) and location:
        path = urlsplit(location).path
        index = path.find("/v1/")
        if index >= 0:
            suffix = path[index:].rstrip("/")
            return suffix, suffix.rsplit("/", 1)[-1]
    if fallback_uuid is None:
        raise HttpError(202, f"202 without a usable location: {location!r}")
    return f"/v1/api-jobs/{fallback_uuid}", fallback_uuid


def poll_deadline(api_timeout_ms: Any, poll_timeout: float | None) -> float:
    """Seconds to keep polling: the configured timeout, else the job's apiTimeout plus a margin, else 3 h."""
    if poll_timeout is not None:
        return poll_timeout
    if isinstance(api_timeout_ms, int | float) and not isinstance(api_timeout_ms, bool) and api_timeout_ms > 0:
        return api_timeout_ms / 1000.0 + _API_TIMEOUT_MARGIN
    return _DEFAULT_JOB_DEADLINE
