"""Query helpers: a safe condition builder, pagination and counting.

    from zstack_sdk import Q, paginate, count

    running = [Q.eq("state", "Running"), Q.like("name", "web-%")]
    for vm in paginate(client.vm_instance.query_vm_instance, conditions=running, page_size=200):
        ...
    total = count(client.vm_instance.query_vm_instance, conditions=running)

`call` is a generated Query method; the helpers pass the keyword arguments the generator derives
from the documented Query parameters: `start`, `limit`, `reply_with_count`, `count`, `sort_by`,
`sort_direction` (plus whatever you give them, e.g. `conditions`, `fields`).

Why the builder refuses some values
-----------------------------------
The server parses one condition by trying the operators in the fixed order `!=`, `>=`, `<=`, `!?=`,
`!~=`, `~=`, `?=`, `=`, `>`, `<`, `is null`, `not null`: the first one found *anywhere* in the text
wins and the text is split at its first occurrence. Nothing can be escaped. So `name=a>=b` is read
as field `name=a`, operator `>=`, value `b`: a different query, answered without any error. The
builder therefore refuses a condition whose text contains an operator ranked before its own, and,
for IN / NOT IN (`uuid?=a,b`), items containing a comma (the server splits on every comma). Field
names may not contain operator characters or spaces. Values are sent as given (the server does not
trim them); `%` and `_` are LIKE wildcards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from enum import Enum
from typing import Any, TypeVar

from .errors import NotFoundError, ResponseValidationError

__all__ = [
    "OPERATOR_PRIORITY",
    "Condition",
    "NotFoundError",
    "Q",
    "acount",
    "aget_one",
    "aiter_pages",
    "apaginate",
    "count",
    "get_one",
    "iter_pages",
    "paginate",
]

T = TypeVar("T")

# The order in which the server looks for operators (QueryFacadeImpl / RestServer QUERY_OP_MAPPING).
OPERATOR_PRIORITY = ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=", ">", "<", " is null", " not null")
_FIELD_FORBIDDEN = set("=!<>?~,") | {" ", "\t", "\n", "\r"}


class Condition(str):
    """One query condition; it *is* its wire text (`str(Q.eq("name", "vm1")) == "name=vm1"`).

    Being a `str`, a Condition fits any `conditions: list[str]` parameter of a generated method.
    """

    field: str
    op: str
    value: str | None

    def __new__(cls, field: str, op: str, value: str | None = None) -> Condition:
        _check_field(field)
        text = f"{field}{op}{value}" if value is not None else f"{field}{op}"
        _check_priority(text, op)
        condition = super().__new__(cls, text)
        condition.field, condition.op, condition.value = field, op.strip(), value
        return condition

    def __repr__(self) -> str:
        return f"Condition({str(self)!r})"


def _check_field(field: str) -> None:
    if not field or any(char in _FIELD_FORBIDDEN for char in field):
        raise ValueError(f"invalid query field name {field!r}: it must be non-empty, without spaces or =!<>?~,")


def _check_priority(text: str, op: str) -> None:
    rank = OPERATOR_PRIORITY.index(op)
    for earlier in OPERATOR_PRIORITY[:rank]:
        if earlier in text:
            raise ValueError(
                f"query condition {text!r} contains {earlier.strip()!r}, which the server matches before "
                f"{op.strip()!r}: it would run a different query (operators cannot be escaped)"
            )


def _value_text(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    raise TypeError(f"query values must be str, int, float, bool or Enum, got {type(value).__name__}")


def _list_text(values: Iterable[Any]) -> str:
    items = [_value_text(value) for value in values]
    if not items:
        raise ValueError("an IN / NOT IN condition needs at least one value")
    for item in items:
        if "," in item:
            raise ValueError(f"IN values cannot contain a comma ({item!r}): the server splits on every comma")
    return ",".join(items)


class Q:
    """Condition constructors: `Q.eq("state", "Running")`, `Q.in_("uuid", [a, b])`, `Q.is_null("hostUuid")`."""

    @staticmethod
    def eq(field: str, value: Any) -> Condition:
        return Condition(field, "=", _value_text(value))

    @staticmethod
    def ne(field: str, value: Any) -> Condition:
        return Condition(field, "!=", _value_text(value))

    @staticmethod
    def gt(field: str, value: Any) -> Condition:
        return Condition(field, ">", _value_text(value))

    @staticmethod
    def ge(field: str, value: Any) -> Condition:
        return Condition(field, ">=", _value_text(value))

    @staticmethod
    def lt(field: str, value: Any) -> Condition:
        return Condition(field, "<", _value_text(value))

    @staticmethod
    def le(field: str, value: Any) -> Condition:
        return Condition(field, "<=", _value_text(value))

    @staticmethod
    def in_(field: str, values: Iterable[Any]) -> Condition:
        return Condition(field, "?=", _list_text(values))

    @staticmethod
    def not_in(field: str, values: Iterable[Any]) -> Condition:
        return Condition(field, "!?=", _list_text(values))

    @staticmethod
    def like(field: str, pattern: str) -> Condition:
        """SQL LIKE: `%` matches any run of characters, `_` one character."""
        return Condition(field, "~=", _value_text(pattern))

    @staticmethod
    def not_like(field: str, pattern: str) -> Condition:
        return Condition(field, "!~=", _value_text(pattern))

    @staticmethod
    def is_null(field: str) -> Condition:
        return Condition(field, " is null")

    @staticmethod
    def not_null(field: str) -> Condition:
        return Condition(field, " not null")


def _field_of(response: Any, name: str) -> Any:
    """A response attribute, also when the model only keeps it as an extra key (or is a dict)."""
    if isinstance(response, dict):
        return response.get(name)
    value = getattr(response, name, None)
    if value is None:
        extra = getattr(response, "model_extra", None)
        if isinstance(extra, dict):
            value = extra.get(name)
    return value


def _page_arguments(
    kwargs: dict[str, Any], start: int, page_size: int, sort_by: str | None, sort_direction: str
) -> dict[str, Any]:
    if page_size < 1:
        raise ValueError("page_size must be >= 1")
    arguments = dict(kwargs, start=start, limit=page_size, reply_with_count=True)
    if sort_by is not None:  # a stable order keeps rows from moving between pages
        arguments.update(sort_by=sort_by, sort_direction=sort_direction)
    return arguments


def _page_items(page: Any, items: str) -> list[Any]:
    found = _field_of(page, items)
    return list(found) if found is not None else []


def _is_last_page(page: Any, received: int, offset: int, page_size: int) -> bool:
    total = _field_of(page, "total")
    if isinstance(total, int) and offset >= total:
        return True
    return received < page_size


def iter_pages(
    call: Callable[..., T],
    /,
    *args: Any,
    page_size: int = 100,
    sort_by: str | None = "uuid",
    sort_direction: str = "asc",
    start: int = 0,
    items: str = "inventories",
    **kwargs: Any,
) -> Iterator[T]:
    """Each response page of a Query call, using start/limit/replyWithCount and a stable sort."""
    offset = start
    while True:
        page = call(*args, **_page_arguments(kwargs, offset, page_size, sort_by, sort_direction))
        received = len(_page_items(page, items))
        offset += received
        yield page
        if received == 0 or _is_last_page(page, received, offset, page_size):
            return


def paginate(
    call: Callable[..., Any],
    /,
    *args: Any,
    page_size: int = 100,
    sort_by: str | None = "uuid",
    sort_direction: str = "asc",
    start: int = 0,
    items: str = "inventories",
    **kwargs: Any,
) -> Iterator[Any]:
    """Every inventory matching a Query call, fetched `page_size` at a time."""
    for page in iter_pages(
        call, *args, page_size=page_size, sort_by=sort_by, sort_direction=sort_direction, start=start,
        items=items, **kwargs,
    ):  # fmt: skip
        yield from _page_items(page, items)


def _total_of(response: Any) -> int:
    total = _field_of(response, "total")
    if isinstance(total, bool) or not isinstance(total, int | float) or total != int(total):
        raise ResponseValidationError("count query answered without an integer 'total'", raw=response)
    return int(total)


def count(call: Callable[..., Any], /, *args: Any, **kwargs: Any) -> int:
    """How many rows a Query call matches (`count=true`: the server sends only `total`)."""
    return _total_of(call(*args, **dict(kwargs, count=True)))


def get_one(call: Callable[..., Any], /, *conditions: str, items: str = "inventories", **kwargs: Any) -> Any:
    """The single inventory matching the conditions, e.g. `get_one(api.query_zone, Q.eq("uuid", u))`."""
    response = call(**dict(kwargs, conditions=list(conditions), limit=1))
    found = _page_items(response, items)
    if not found:
        raise NotFoundError(f"nothing matches {[str(c) for c in conditions]}")
    return found[0]


async def aiter_pages(
    call: Callable[..., Awaitable[T]],
    /,
    *args: Any,
    page_size: int = 100,
    sort_by: str | None = "uuid",
    sort_direction: str = "asc",
    start: int = 0,
    items: str = "inventories",
    **kwargs: Any,
) -> AsyncIterator[T]:
    """Async `iter_pages`."""
    offset = start
    while True:
        page = await call(*args, **_page_arguments(kwargs, offset, page_size, sort_by, sort_direction))
        received = len(_page_items(page, items))
        offset += received
        yield page
        if received == 0 or _is_last_page(page, received, offset, page_size):
            return


async def apaginate(
    call: Callable[..., Awaitable[Any]],
    /,
    *args: Any,
    page_size: int = 100,
    sort_by: str | None = "uuid",
    sort_direction: str = "asc",
    start: int = 0,
    items: str = "inventories",
    **kwargs: Any,
) -> AsyncIterator[Any]:
    """Async `paginate`."""
    async for page in aiter_pages(
        call, *args, page_size=page_size, sort_by=sort_by, sort_direction=sort_direction, start=start,
        items=items, **kwargs,
    ):  # fmt: skip
        for item in _page_items(page, items):
            yield item


async def acount(call: Callable[..., Awaitable[Any]], /, *args: Any, **kwargs: Any) -> int:
    """Async `count`."""
    return _total_of(await call(*args, **dict(kwargs, count=True)))


async def aget_one(
    call: Callable[..., Awaitable[Any]], /, *conditions: str, items: str = "inventories", **kwargs: Any
) -> Any:
    """Async `get_one`."""
    response = await call(**dict(kwargs, conditions=list(conditions), limit=1))
    found = _page_items(response, items)
    if not found:
        raise NotFoundError(f"nothing matches {[str(c) for c in conditions]}")
    return found[0]
