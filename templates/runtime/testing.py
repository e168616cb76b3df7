"""A fake ZStack management node for tests: a real HTTP server on 127.0.0.1 that speaks the protocol.

    from <pkg>.testing import FakeZStack

    with FakeZStack() as fake:                      # fixtures from <pkg>/fixtures/ by default
        with fake.client() as client:               # the generated Client, fast polling
            client.login("admin", "password")
            client.vm_instance.create_vm_cd_rom(name="cd", vm_instance_uuid="...")
        assert fake.requests_for("CreateVmCdRom")[0].body == {"params": {...}}

What it does, like the real server:

* routes by method + path template (below `context_path`, default `/zstack`) and, for paths shared
  by several fixtures (`PUT .../actions`), by the body's wrapper key (else 400, as the server does);
* GET answers 200; POST/PUT/DELETE answer 202 + `location` + `apiTimeout`, and `GET /v1/api-jobs/<uuid>`
  then answers 202 `{}` (see `delay_jobs`), 200 with the fixture response, 503 `{"error": ...}`, or
  404 `the job has been expired`. The `location` names an unreachable host (127.0.0.2:1) on purpose:
  clients must rewrite it onto their base URL;
* X-Job-UUID: 400 when not 32 characters, 400 `Duplicate job uuid[...]` when already used;
* auth: 400 `missing header 'Authorization'` on authenticated operations, unknown sessions fail with
  ID.1001 (via the job for async operations), access-key signatures and the Date header are checked;
  login (SHA-512 password), logout and session validation are built in. The accounts it knows:
  `accounts` (default admin/password), and the one a `LogInByAccount` fixture's documented request
  logs in with (when it sends a SHA-512 digest, as the server expects): that request gets the
  fixture's documented answer, and the session it names becomes valid;
* queries over stored inventories (`set_inventories`): `q=` with every operator, `start`, `limit`,
  `count`, `replyWithCount`, `sort=+f/-f`, `fields`; answers carry a `schema` map.

Stricter than the real server: a POST/PUT without its wrapper key is refused even on an unshared path
(the real one silently runs the API without parameters). Comparisons are case-sensitive.
Every request is recorded (`requests`), and faults can be injected: `fail_next`, `fail_http`,
`expire_next_job`, `expire_jobs`, `drop_connections`, `expire_session`.

Fixture files (`<OperationId>.json`, written by the generator):
`{"operation_id", "method", "path", "wrapper", "is_query", "request": {...}, "response": {...}}`;
optional keys: `"auth": false`, `"async": false` (answer 200 at once), `"polls": N`.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.server
import importlib.util
import json
import re
import socket
import sys
import threading
import uuid
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, unquote, urlsplit

from ._runtime.auth import sign_request
from ._runtime.client import AsyncBaseClient, BaseClient
from ._runtime.wire import format_gson_datetime

__all__ = ["DEFAULT_PASSWORD", "FakeZStack", "RecordedRequest", "make_error"]

DEFAULT_ACCOUNT = "admin"
DEFAULT_PASSWORD = "password"
# A loopback address nobody listens on: a client that polls `location` as given fails fast, locally.
DEFAULT_JOB_LOCATION_BASE = "http://127.0.0.2:1/zstack"
_JOBS_PREFIX = "/v1/api-jobs/"
_QUERY_OPERATORS = ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", "is null", "not null")
_MUTATING = frozenset({"POST", "PUT", "DELETE"})
_DATE_HEADER = re.compile(r"^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) \S+$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MAX_SKEW = timedelta(minutes=15)
_LOGIN_PATH = "/v1/accounts/login"
_LOGIN_WRAPPER = "logInByAccount"
_SHA512_HEX = re.compile(r"^[0-9a-fA-F]{128}$")

JsonDict = dict[str, Any]


def make_error(
    code: str = "SYS.1006",
    description: str = "operation error",
    details: str = "",
    *,
    cause: Mapping[str, Any] | None = None,
    **extra: Any,
) -> JsonDict:
    """A ZStack error object (`cause` nests another one), as sent inside `{"error": ...}`."""
    error: JsonDict = {"code": code, "description": description, "details": details or description}
    if cause is not None:
        error["cause"] = dict(cause)
    error.update(extra)
    return error


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake received it."""

    method: str
    path: str  # percent-decoded, with the context path
    raw_path: str  # as sent, without the query string
    query: tuple[tuple[str, str], ...]  # decoded pairs in order
    raw_query: str
    headers: Mapping[str, str]  # lower-case names
    body: Any  # decoded JSON, or None
    body_text: str
    operation_id: str | None  # the routed operation; for job polls, the job's operation
    dropped: bool = False  # the connection was closed instead of answering

    @property
    def job_uuid(self) -> str | None:
        return self.headers.get("x-job-uuid")

    @property
    def is_poll(self) -> bool:
        return _JOBS_PREFIX in self.path

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def query_values(self, name: str) -> list[str]:
        return [value for key, value in self.query if key == name]


@dataclass
class _Route:
    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    wrapper: str | None
    is_query: bool
    auth: bool
    sync: bool
    polls: int
    response: JsonDict
    specificity: tuple[int, int]
    by_uuid: bool = False  # the `GET <query path>/{uuid}` shortcut of a Query API


@dataclass
class _Job:
    operation_id: str
    status: int
    body: JsonDict
    pending_polls: int = 0
    expired: bool = False


@dataclass
class _Answer:
    status: int
    body: JsonDict | str
    operation_id: str | None = None


@dataclass
class _Result:
    status: int
    body: JsonDict | str
    sync_failure: bool = False  # answer the request itself instead of through a job


@dataclass
class _Faults:
    failures: dict[str, deque[tuple[JsonDict, bool]]] = field(default_factory=dict)
    http: deque[tuple[int, str, str | None]] = field(default_factory=deque)
    drops: deque[tuple[bool, str | None]] = field(default_factory=deque)
    expire_next: Counter[str] = field(default_factory=Counter)
    delays: dict[str, int] = field(default_factory=dict)


def _template_pattern(template: str) -> re.Pattern[str]:
    """`/v1/zones/{uuid}` -> a regex over the encoded path, one named group per placeholder."""
    regex, seen = "", set()
    for piece in re.split(r"(\{[^{}/]+\})", template):
        name = piece[1:-1]
        if not piece.startswith("{"):
            regex += re.escape(piece)
        elif name.isidentifier() and name not in seen:
            regex += f"(?P<{name}>[^/]+)"
            seen.add(name)
        else:
            regex += "[^/]+"
    return re.compile(f"^{regex}/?$")


def _specificity(template: str) -> tuple[int, int]:
    segments = [segment for segment in template.split("/") if segment]
    literals = sum(1 for segment in segments if not segment.startswith("{"))
    return literals, len(segments)


def _load_fixtures(source: str | Path | Iterable[Mapping[str, Any]] | None) -> list[tuple[str, JsonDict]]:
    """(origin, fixture) pairs; origin names the file for error messages."""
    if source is None:
        source = Path(__file__).with_name("fixtures")
        if not source.is_dir():
            return []
    if not isinstance(source, str | Path):
        return [(f"fixture #{index}", dict(item)) for index, item in enumerate(source)]
    fixtures = []
    for file in sorted(Path(source).glob("*.json")):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{file}:{exc.lineno}: invalid fixture JSON: {exc.msg}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{file}:1: a fixture must be a JSON object")
        fixtures.append((f"{file}:1", data))
    return fixtures


def _route_for(fixture: Mapping[str, Any], origin: str = "fixture") -> _Route:
    try:
        operation_id = str(fixture["operation_id"])
        method = str(fixture["method"]).upper()
        template = str(fixture["path"])
    except KeyError as exc:
        raise ValueError(f"{origin}: fixture without {exc.args[0]!r}") from None
    response = fixture.get("response")
    return _Route(
        operation_id=operation_id,
        method=method,
        template=template,
        pattern=_template_pattern(template),
        wrapper=cast("str | None", fixture.get("wrapper")),
        is_query=bool(fixture.get("is_query", False)),
        auth=bool(fixture.get("auth", True)),
        sync=method not in _MUTATING or fixture.get("async") is False,
        polls=int(fixture.get("polls", 0)),
        response=dict(response) if isinstance(response, Mapping) else {},
        specificity=_specificity(template),
    )


# ----------------------------------------------------------------------------------------- queries


def _parse_condition(text: str) -> tuple[str, str, str]:
    """(field, operator, value) exactly as the server splits one `q=` value."""
    for operator in _QUERY_OPERATORS:
        index = text.find(operator)
        if index >= 0:
            return text[:index].strip(), operator, text[index + len(operator) :]
    raise ValueError(f"invalid query condition {text!r}: no operator")


def _field_values(item: Any, dotted: str) -> list[Any]:
    """The values at a dotted path; lists (joined tables) contribute every element."""
    values = [item]
    for name in dotted.split("."):
        found: list[Any] = []
        for value in values:
            if isinstance(value, list):
                found.extend(v.get(name) for v in value if isinstance(v, dict))
            elif isinstance(value, dict):
                found.append(value.get(name))
        values = found
    flat: list[Any] = []
    for value in values:
        flat.extend(value if isinstance(value, list) else [value])
    return flat


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _text_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _like(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.compile(f"^{regex}$", re.DOTALL)


def _compare(actual: Any, operator: str, value: str) -> bool:
    if operator == "is null":
        return actual is None
    if operator == "not null":
        return actual is not None
    if actual is None:
        return False  # SQL: NULL compares to nothing
    if operator in ("?=", "!?="):
        return (_text_of(actual) in value.split(",")) == (operator == "?=")
    if operator in ("~=", "!~="):
        return bool(_like(value).match(_text_of(actual))) == (operator == "~=")
    left, right = _as_number(actual), _as_number(value)
    pair: tuple[Any, Any] = (left, right) if left is not None and right is not None else (_text_of(actual), value)
    a, b = pair
    results = {"=": a == b, "!=": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}
    return bool(results[operator])


def _matches(item: Any, conditions: list[tuple[str, str, str]]) -> bool:
    for name, operator, value in conditions:
        values = _field_values(item, name) or [None]
        if not any(_compare(actual, operator, value) for actual in values):
            return False
    return True


def _sort_key(name: str) -> Any:
    def key(item: Any) -> tuple[int, Any]:
        values = _field_values(item, name)
        value = values[0] if values else None
        if value is None:
            return (0, 0)
        number = _as_number(value) if not isinstance(value, str) else None
        return (1, number) if number is not None else (2, _text_of(value))

    return key


def _first(params: list[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in params if key == name), None)


def _int_param(params: list[tuple[str, str]], name: str, default: int) -> int:
    text = _first(params, name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"the value[{text}] of the query parameter[{name}] is not an integer") from None


def _run_query(inventories: list[JsonDict], params: list[tuple[str, str]], operation_id: str) -> _Answer:
    try:
        conditions = [_parse_condition(value) for key, value in params if key == "q"]
        start = _int_param(params, "start", 0)
        limit = _int_param(params, "limit", 1000)
    except ValueError as exc:
        return _Answer(400, str(exc), operation_id)
    rows = [row for row in inventories if _matches(row, conditions)]
    if _first(params, "count") == "true":
        return _Answer(200, {"total": len(rows)}, operation_id)
    sort = (_first(params, "sort") or "").strip()
    if sort:
        descending = sort.startswith("-")
        rows.sort(key=_sort_key(sort.lstrip("+-")), reverse=descending)
    page = rows[start : start + limit]
    fields = _first(params, "fields")
    if fields:
        names = [name for name in fields.split(",") if name]
        page = [{name: row[name] for name in names if name in row} for row in page]
    body: JsonDict = {"inventories": page}
    if _first(params, "replyWithCount") == "true":
        body["total"] = len(rows)
    if page:
        body["schema"] = {"inventories[0]": f"org.zstack.fake.{operation_id.removeprefix('Query')}Inventory"}
    return _Answer(200, body, operation_id)


# ------------------------------------------------------------------------------------------ server


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: FakeZStack


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real server
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid the delayed-ACK stall
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def setup(self) -> None:
        super().setup()
        self.server.fake._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._connection_closed(self.connection)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        answer = self.server.fake._handle(self.command, self.path, dict(self.headers.items()), body)
        if answer is None:  # injected connection drop: no status line at all
            self.close_connection = True
            return
        if isinstance(answer.body, str):
            payload, content_type = answer.body.encode("utf-8"), "text/plain;charset=UTF-8"
        else:
            payload, content_type = json.dumps(answer.body).encode("utf-8"), "application/json;charset=UTF-8"
        self.send_response(answer.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class FakeZStack:
    """A fake management node on `base_url` (`http://127.0.0.1:<free port>/zstack`). See the module doc."""

    def __init__(
        self,
        fixtures: str | Path | Iterable[Mapping[str, Any]] | None = None,
        *,
        context_path: str = "/zstack",
        job_location_base: str = DEFAULT_JOB_LOCATION_BASE,
        api_timeout_ms: int = 1000,
        accounts: Mapping[str, str] | None = None,
        check_sessions: bool = True,
    ) -> None:
        self.context_path = "/" + context_path.strip("/") if context_path.strip("/") else ""
        self.job_location_base = job_location_base.rstrip("/")
        self.api_timeout_ms = api_timeout_ms
        self.check_sessions = check_sessions
        self._lock = threading.RLock()
        self._routes: list[_Route] = []
        self._accounts: dict[str, str] = {}
        self._documented_logins: dict[str, tuple[str, JsonDict]] = {}  # account -> (digest, answer)
        self._sessions: dict[str, str] = {}
        self._access_keys: dict[str, str] = {}
        self._jobs: dict[str, _Job] = {}
        self._executions: Counter[str] = Counter()
        self._responses: dict[str, JsonDict] = {}
        self._inventories: dict[str, list[JsonDict]] = {}
        self._faults = _Faults()
        self._requests: list[RecordedRequest] = []
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        for name, password in (accounts or {DEFAULT_ACCOUNT: DEFAULT_PASSWORD}).items():
            self.add_account(name, password)
        for origin, fixture in _load_fixtures(fixtures):
            self._add_route(_route_for(fixture, origin))
            self._learn_login(fixture)

    # ------------------------------------------------------------------------------ lifecycle

    def start(self) -> FakeZStack:
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeZStack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # unblock keep-alive handler threads at once
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeZStack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeZStack is not started")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.context_path}"

    def client(self, **options: Any) -> BaseClient:
        """The package's generated `Client` (or `BaseClient`) aimed at this server, polling fast."""
        return cast(BaseClient, _client_class("Client", BaseClient)(self.base_url, **_fast_options(options)))

    def async_client(self, **options: Any) -> AsyncBaseClient:
        """The package's generated `AsyncClient` (or `AsyncBaseClient`) aimed at this server."""
        client_class = _client_class("AsyncClient", AsyncBaseClient)
        return cast(AsyncBaseClient, client_class(self.base_url, **_fast_options(options)))

    # ---------------------------------------------------------------------------- configuration

    def add_fixture(self, fixture: Mapping[str, Any]) -> None:
        """Serve one more operation (same format as the fixture files)."""
        self._add_route(_route_for(fixture))
        self._learn_login(fixture)

    def _learn_login(self, fixture: Mapping[str, Any]) -> None:
        """A LogInByAccount fixture: its documented request (account and password digest) logs in and
        gets the documented answer. A clear-text password is not learnt: the server wants the digest."""
        if str(fixture.get("method", "")).upper() != "PUT" or str(fixture.get("path", "")).rstrip("/") != _LOGIN_PATH:
            return
        request = fixture.get("request")
        body = request.get("body") if isinstance(request, Mapping) else None
        params = body.get(_LOGIN_WRAPPER) if isinstance(body, Mapping) else None
        response = fixture.get("response")
        if not isinstance(params, Mapping) or not isinstance(response, Mapping):
            return
        account, password = params.get("accountName"), params.get("password")
        if isinstance(account, str) and isinstance(password, str) and _SHA512_HEX.match(password):
            with self._lock:
                self._documented_logins[account] = (password.lower(), dict(response))

    def _add_route(self, route: _Route) -> None:
        with self._lock:
            self._routes.append(route)
            if route.is_query and route.method == "GET":
                self._add_uuid_shortcut(route)
            self._routes.sort(key=lambda r: r.specificity, reverse=True)

    def _add_uuid_shortcut(self, route: _Route) -> None:
        template = route.template.rstrip("/") + "/{uuid}"
        if any(r.template == template and r.method == "GET" for r in self._routes):
            return
        pattern, specificity = _template_pattern(template), _specificity(template)
        self._routes.append(replace(route, template=template, pattern=pattern, specificity=specificity, by_uuid=True))

    def add_account(self, name: str, password: str) -> None:
        with self._lock:
            self._accounts[name] = hashlib.sha512(password.encode("utf-8")).hexdigest()

    def add_session(self, session_uuid: str | None = None, account: str = DEFAULT_ACCOUNT) -> str:
        session = session_uuid or uuid.uuid4().hex
        with self._lock:
            self._sessions[session] = account
        return session

    def expire_session(self, session_uuid: str) -> None:
        """Forget a session: its next authenticated call fails with ID.1001."""
        with self._lock:
            self._sessions.pop(session_uuid, None)

    @property
    def sessions(self) -> dict[str, str]:
        with self._lock:
            return dict(self._sessions)

    def add_access_key(self, key_id: str, secret: str) -> None:
        with self._lock:
            self._access_keys[key_id] = secret

    def set_response(self, operation_id: str, body: Mapping[str, Any]) -> None:
        with self._lock:
            self._responses[operation_id] = dict(body)

    def set_inventories(self, operation_id: str, inventories: Iterable[Mapping[str, Any]]) -> None:
        """Answer the Query operation from these rows (filtered, sorted, paged) instead of its fixture."""
        with self._lock:
            self._inventories[operation_id] = [dict(row) for row in inventories]

    # ---------------------------------------------------------------------------- fault injection

    def fail_next(
        self, operation_id: str, error: Mapping[str, Any] | None = None, *, sync: bool = False, times: int = 1
    ) -> None:
        """The next `times` calls fail with `{"error": error}`: via the job (poll -> 503) or, with
        `sync=True` or for GET operations, as an immediate 503."""
        failure = dict(error) if error is not None else make_error(details=f"injected failure of {operation_id}")
        with self._lock:
            queue = self._faults.failures.setdefault(operation_id, deque())
            queue.extend([(failure, sync)] * times)

    def fail_http(
        self, status: int = 500, text: str = "Internal Server Error", *, times: int = 1, operation_id: str | None = None
    ) -> None:
        """The next `times` requests (to `operation_id`, or any) get a plain-text `status` before dispatch."""
        with self._lock:
            self._faults.http.extend([(status, text, operation_id)] * times)

    def drop_connections(
        self, count: int = 1, *, after_processing: bool = False, operation_id: str | None = None
    ) -> None:
        """Close the connection without answering the next `count` requests (to `operation_id`, or any).

        With `after_processing=True` the request is handled first (a job is created), so a client
        retry with the same X-Job-UUID meets `Duplicate job uuid`, as when an answer is lost."""
        with self._lock:
            self._faults.drops.extend([(after_processing, operation_id)] * count)

    def delay_jobs(self, operation_id: str, polls: int) -> None:
        """Jobs of the operation answer 202 `{}` to `polls` polls before their result."""
        with self._lock:
            self._faults.delays[operation_id] = polls

    def expire_next_job(self, operation_id: str, times: int = 1) -> None:
        """The next job(s) of the operation answer 404 `the job has been expired` when polled."""
        with self._lock:
            self._faults.expire_next[operation_id] += times

    def expire_jobs(self) -> None:
        """Every job known so far answers 404 from now on (as after the 3 h retention)."""
        with self._lock:
            for job in self._jobs.values():
                job.expired = True

    # ------------------------------------------------------------------------------ inspection

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, operation_id: str, *, polls: bool = False) -> list[RecordedRequest]:
        """Requests routed to the operation (without its job polls unless `polls`)."""
        return [r for r in self.requests if r.operation_id == operation_id and (polls or not r.is_poll)]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def executions(self, operation_id: str) -> int:
        """How many times the operation really ran (accepted, authenticated calls)."""
        with self._lock:
            return self._executions[operation_id]

    # --------------------------------------------------------------------------------- handling

    def _connection_opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def _connection_closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def _handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> _Answer | None:
        parts = urlsplit(target)
        lower_headers = {name.lower(): value for name, value in headers.items()}
        body_text = body.decode("utf-8", errors="replace")
        document = _decode(body_text)
        raw_path = parts.path  # routing works on encoded segments: %2F inside a value is no separator
        with self._lock:
            drop = self._take_drop(raw_path, method, document)
            answer = None
            if drop is None or drop:  # a drop "after processing" still runs the request
                answer = self._dispatch(method, raw_path, parts.query, lower_headers, document)
            operation_id = (answer.operation_id if answer is not None else None) or self._operation_of(
                method, raw_path, document
            )
            query = tuple(parse_qsl(parts.query, keep_blank_values=True))
            record = RecordedRequest(
                method, unquote(raw_path), raw_path, query, parts.query, lower_headers, document, body_text,
                operation_id, dropped=drop is not None,
            )  # fmt: skip
            self._requests.append(record)
            return None if drop is not None else answer

    def _take_drop(self, path: str, method: str, document: Any) -> bool | None:
        """The pending drop for this request (its `after_processing` flag), or None."""
        drops = self._faults.drops
        if not drops:
            return None
        after, operation_id = drops[0]
        if operation_id is not None and self._operation_of(method, path, document) != operation_id:
            return None
        drops.popleft()
        return after

    def _operation_of(self, method: str, path: str, document: Any) -> str | None:
        below = self._below_context(path)
        if below is None:
            return None
        if below.startswith(_JOBS_PREFIX):
            job = self._jobs.get(unquote(below[len(_JOBS_PREFIX) :].strip("/")))
            return job.operation_id if job is not None else None
        routed = self._route(method, below, document)
        return routed[0].operation_id if isinstance(routed, tuple) else None

    def _below_context(self, path: str) -> str | None:
        """The path below the context (still encoded), or None when it is not an API path."""
        if not path.startswith(self.context_path + "/v1/"):
            return None
        return path[len(self.context_path) :]

    def _dispatch(self, method: str, path: str, query: str, headers: Mapping[str, str], document: Any) -> _Answer:
        below = self._below_context(path)
        if below is None:
            return _Answer(404, f"no api mapping to {unquote(path)}")
        params = parse_qsl(query, keep_blank_values=True)
        if below.startswith(_JOBS_PREFIX):
            return self._poll(method, unquote(below[len(_JOBS_PREFIX) :].strip("/")))
        builtin = self._builtin(method, below, document)
        if builtin is not None:
            return builtin
        routed = self._route(method, below, document)
        if isinstance(routed, _Answer):
            return routed
        route, path_values = routed
        injected = self._injected_http(route.operation_id)
        if injected is not None:
            return injected
        return self._call(route, path_values, params, headers, below)

    def _injected_http(self, operation_id: str) -> _Answer | None:
        faults = self._faults.http
        if faults and faults[0][2] in (None, operation_id):
            status, text, _ = faults.popleft()
            return _Answer(status, text, operation_id)
        return None

    def _route(self, method: str, below: str, document: Any) -> tuple[_Route, dict[str, str]] | _Answer:
        candidates = [(r, m) for r in self._routes if (m := r.pattern.match(below)) is not None]
        if not candidates:
            return _Answer(404, f"no api mapping to {self.context_path}{unquote(below)}")
        same_method = [(r, m) for r, m in candidates if r.method == method]
        if not same_method:
            return _Answer(405, f"the method {method} is not supported by {self.context_path}{unquote(below)}")
        best = same_method[0][0].specificity
        tied = [(r, m) for r, m in same_method if r.specificity == best]
        if method in ("POST", "PUT"):
            keys = set(document) if isinstance(document, dict) else set()
            wrapped = [(r, m) for r, m in tied if r.wrapper is None or r.wrapper in keys]
            if not wrapped:
                return _Answer(
                    400, f"the body doesn't contain action mapping to the URL[{self.context_path}{unquote(below)}]"
                )
            tied = wrapped
        route, match = tied[0]
        return route, {name: unquote(value) for name, value in match.groupdict().items()}

    # ------------------------------------------------------------------------------ endpoints

    def _builtin(self, method: str, below: str, document: Any) -> _Answer | None:
        if method == "PUT" and below.rstrip("/") == _LOGIN_PATH:
            return self._login(document)
        match = re.fullmatch(r"/v1/accounts/sessions/([^/]+)(/valid)?/?", below)
        if match is None:
            return None
        session = unquote(match.group(1))
        if method == "DELETE" and match.group(2) is None:
            self._sessions.pop(session, None)
            return _Answer(200, {}, "LogOut")
        if method == "GET" and match.group(2) is not None:
            return _Answer(200, {"valid": session in self._sessions}, "ValidateSession")
        return None

    def _login(self, document: Any) -> _Answer:
        params = document.get(_LOGIN_WRAPPER) if isinstance(document, dict) else None
        if not isinstance(params, dict):
            return _Answer(400, f"the body doesn't contain action mapping to the URL[{_LOGIN_PATH}]")
        account, password = str(params.get("accountName")), str(params.get("password", "")).lower()
        documented = self._documented_logins.get(account)
        if account not in self._accounts and documented is not None and documented[0] == password:
            return self._documented_login(account, documented[1])
        expected = self._accounts.get(account)
        if expected is None or password != expected:
            error = make_error("ID.1000", "authentication error", "wrong account name or password")
            return _Answer(503, {"error": error}, "LogInByAccount")
        session = self.add_session(account=account)
        now = datetime.now().replace(microsecond=0)
        inventory = {
            "uuid": session,
            "accountUuid": hashlib.md5(str(params["accountName"]).encode()).hexdigest(),
            "userUuid": hashlib.md5(str(params["accountName"]).encode()).hexdigest(),
            "userType": "Account",
            "expiredDate": format_gson_datetime(now + timedelta(hours=2)),
            "createDate": format_gson_datetime(now),
        }
        return _Answer(200, {"inventory": inventory}, "LogInByAccount")

    def _documented_login(self, account: str, answer: JsonDict) -> _Answer:
        """The documented answer of a fixture's login; the session it names (or a new one) is valid."""
        inventory = answer.get("inventory")
        shown = inventory.get("uuid") if isinstance(inventory, dict) else None
        self.add_session(shown if isinstance(shown, str) and shown else None, account=account)
        return _Answer(200, answer, "LogInByAccount")

    def _poll(self, method: str, job_uuid: str) -> _Answer:
        job = self._jobs.get(job_uuid)
        operation_id = job.operation_id if job is not None else None
        if method != "GET":
            return _Answer(405, f"the method {method} is not supported by api-jobs", operation_id)
        if job is None or job.expired:
            return _Answer(404, "the job has been expired", operation_id)
        if job.pending_polls > 0:
            job.pending_polls -= 1
            return _Answer(202, {}, operation_id)
        return _Answer(job.status, job.body, operation_id)

    def _authenticate(self, route: _Route, headers: Mapping[str, str], method: str, below: str) -> _Answer | None:
        """None when the caller may go on; a pre-dispatch answer, or a 503 ID.* error answer, if not."""
        header = headers.get("authorization")
        if header is None:
            return _Answer(400, "missing header 'Authorization'", route.operation_id)
        scheme, _, credential = header.partition(" ")
        if scheme == "OAuth":
            if self.check_sessions and credential.strip() not in self._sessions:
                error = make_error("ID.1001", "invalid session", "Session expired or not found")
                return _Answer(503, {"error": error}, route.operation_id)
            return None
        if scheme == "ZStack":
            return self._check_signature(route, headers, method, below, credential.strip())
        return _Answer(400, f"invalid header 'Authorization': {scheme}", route.operation_id)

    def _check_signature(
        self, route: _Route, headers: Mapping[str, str], method: str, below: str, credential: str
    ) -> _Answer | None:
        date = headers.get("date")
        if date is None:
            return _Answer(400, "missing header 'Date'", route.operation_id)
        moment = _parse_date_header(date)
        if moment is None:
            return _Answer(400, f"invalid header 'Date': {date}", route.operation_id)
        if abs(datetime.now() - moment) > _MAX_SKEW:
            return _Answer(403, "requestTimeTooSkewed", route.operation_id)
        key_id, _, signature = credential.partition(":")
        secret = self._access_keys.get(key_id)
        # The server hands the decoded URI, context path stripped, to the signature check.
        if secret is None or sign_request(secret, method, date, unquote(below)) != signature:
            error = make_error("ID.1000", "authentication error", "wrong accessKey signature or access key id")
            return _Answer(503, {"error": error}, route.operation_id)
        return None

    def _call(
        self, route: _Route, path_values: Mapping[str, str], params: list[tuple[str, str]],
        headers: Mapping[str, str], below: str,
    ) -> _Answer:  # fmt: skip
        method = route.method
        job_uuid = headers.get("x-job-uuid")
        if method in _MUTATING and job_uuid is not None:
            if len(job_uuid) != 32:
                message = "Invalid header[X-Job-UUID], it must be a UUID with '-' stripped"
                return _Answer(400, message, route.operation_id)
            if job_uuid in self._jobs:
                return _Answer(400, f"Duplicate job uuid[{job_uuid}]", route.operation_id)
        denied = self._authenticate(route, headers, method, below) if route.auth else None
        if denied is not None and denied.status != 503:
            return denied  # a pre-dispatch refusal
        if denied is not None:  # an API error: delivered through the job for async operations
            result = _Result(denied.status, denied.body)
        else:
            self._executions[route.operation_id] += 1
            result = self._result(route, path_values, params)
        if route.sync or result.sync_failure:
            return _Answer(result.status, result.body, route.operation_id)
        return self._start_job(route, job_uuid or uuid.uuid4().hex, result)

    def _result(self, route: _Route, path_values: Mapping[str, str], params: list[tuple[str, str]]) -> _Result:
        failures = self._faults.failures.get(route.operation_id)
        if failures:
            error, sync = failures.popleft()
            return _Result(503, {"error": error}, sync_failure=sync)
        if route.is_query and route.operation_id in self._inventories:
            if route.by_uuid:
                params = [("q", f"uuid={path_values.get('uuid', '')}")]
            answer = _run_query(self._inventories[route.operation_id], params, route.operation_id)
            return _Result(answer.status, answer.body, sync_failure=answer.status != 200)
        return _Result(200, dict(self._responses.get(route.operation_id, route.response)))

    def _start_job(self, route: _Route, job_uuid: str, result: _Result) -> _Answer:
        polls = self._faults.delays.get(route.operation_id, route.polls)
        expired = self._faults.expire_next[route.operation_id] > 0
        if expired:
            self._faults.expire_next[route.operation_id] -= 1
        body = result.body if isinstance(result.body, dict) else {"error": make_error(details=str(result.body))}
        self._jobs[job_uuid] = _Job(route.operation_id, result.status, body, polls, expired)
        location = f"{self.job_location_base}{_JOBS_PREFIX}{job_uuid}"
        return _Answer(202, {"location": location, "apiTimeout": self.api_timeout_ms}, route.operation_id)


def _decode(text: str) -> Any:
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _parse_date_header(text: str) -> datetime | None:
    """Wall-clock value of `EEE, dd MMM yyyy HH:mm:ss z`; the zone is ignored, like the real server."""
    match = _DATE_HEADER.match(text.strip())
    if match is None or match.group(2) not in _MONTHS:
        return None
    day, month, year, hour, minute, second = match.groups()
    try:
        return datetime(int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second))
    except ValueError:
        return None


def _fast_options(options: Mapping[str, Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {"poll_interval": 0.01, "retry_backoff": 0.01, "max_retries": 2, "timeout": 10.0}
    return {**defaults, **options}


def _client_class(name: str, default: type[Any]) -> type[Any]:
    """The generated client class of the package this module lives in, else the runtime base."""
    package = sys.modules.get(__name__.rpartition(".")[0])
    candidate = getattr(package, name, None) if package is not None else None
    if isinstance(candidate, type) and issubclass(candidate, default):
        return candidate
    return default


if importlib.util.find_spec("pytest") is not None:
    import pytest

    @pytest.fixture
    def zstack_fake() -> Iterator[FakeZStack]:
        """A started FakeZStack with the package's fixtures, stopped after the test."""
        with FakeZStack() as fake:
            yield fake

    @pytest.fixture
    def zstack_client(zstack_fake: FakeZStack) -> Iterator[BaseClient]:
        """The package's `Client`, logged in as admin on `zstack_fake` (logged out and closed after)."""
        with zstack_fake.client() as client:
            client.login(DEFAULT_ACCOUNT, DEFAULT_PASSWORD)
            yield client
