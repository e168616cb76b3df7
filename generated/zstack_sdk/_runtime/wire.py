"""Wire types for ZStack's Gson quirks, for use in the generated pydantic v2 models.

ZStack serialises with Gson's defaults: dates in the en-US `MMM d, yyyy h:mm:ss a` pattern with no
time zone ("Nov 14, 2017 10:20:57 PM"), and, in older samples and free-form maps, integers as
doubles (`1.0`, `8.589934592E9`). These annotated types accept every form the server or the docs
produce and serialise back in the form the server parses.

How the generator uses them (IR `Kind` -> annotation):

    INTEGER   -> GsonInt          (0.0, 8.589934592E9, "12" -> int; 1.5 is refused)
    NUMBER    -> GsonFloat        (1, 1.5, "2.5E3" -> float)
    TIMESTAMP -> ZStackDatetime   (Gson text, ISO-8601 or epoch milliseconds -> datetime)
    BOOLEAN   -> bool, STRING -> str, LIST -> list[T], MAP -> dict[str, T], ANY -> Any

    from ._runtime.wire import GsonInt, ZStackDatetime, WireModel

    class VmInstanceInventory(WireModel):
        uuid: str | None = None
        memory_size: GsonInt | None = Field(default=None, alias="memorySize")
        create_date: ZStackDatetime | None = Field(default=None, alias="createDate")

Response models should derive from `WireModel` (extra keys kept, every field optional: Gson omits
nulls, so a field the docs call required may be absent). The types only change `mode="json"` dumps,
which is what the transports send; `model_dump()` in Python mode keeps `datetime`/`int` values.

Time zones: Gson dates carry none (they are the management node's local time), so they parse to
*naive* datetimes and naive/aware datetimes are written as their wall-clock value. Epoch
milliseconds become naive UTC; an ISO-8601 value with an explicit offset keeps it.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer

__all__ = [
    "GsonFloat",
    "GsonInt",
    "WireModel",
    "ZStackDatetime",
    "format_gson_datetime",
    "parse_gson_float",
    "parse_gson_int",
    "parse_zstack_datetime",
]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_BY_PREFIX = {name.lower(): index + 1 for index, name in enumerate(_MONTHS)}

# `\s` matches U+202F (narrow no-break space, JDK 20+ CLDR before AM/PM) and U+00A0.
# The optional comma after the year is what JDK 9+ CLDR data writes ("Nov 14, 2017, 10:20:57 PM").
_GSON_DATE = re.compile(
    r"""^\s*(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4}),?\s+
    (?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6}))?)?
    \s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*$""",
    re.VERBOSE,
)
_EPOCH = datetime(1970, 1, 1)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _month_number(text: str) -> int:
    month = _MONTH_BY_PREFIX.get(text[:3].lower())
    full_names = ("january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december")  # fmt: skip
    if month is None or not full_names[month - 1].startswith(text.lower()):
        raise ValueError(f"unknown month name {text!r}")
    return month


def _hour_24(hour: int, ampm: str | None) -> int:
    if ampm is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} is not a 12-hour clock value")
    is_pm = ampm[0] in "Pp"
    return (hour % 12) + (12 if is_pm else 0)


def _parse_gson_text(text: str) -> datetime | None:
    match = _GSON_DATE.match(text)
    if match is None:
        return None
    fraction = match["fraction"] or ""
    return datetime(
        int(match["year"]),
        _month_number(match["month"]),
        int(match["day"]),
        _hour_24(int(match["hour"]), match["ampm"]),
        int(match["minute"]),
        int(match["second"] or 0),
        int(fraction.ljust(6, "0")) if fraction else 0,
    )


def _from_epoch_millis(millis: float | int | Decimal) -> datetime:
    """Naive UTC; computed with timedelta so negative and fractional values round-trip exactly."""
    micros = int((Decimal(millis) * 1000).to_integral_value(ROUND_HALF_EVEN))
    try:
        return _EPOCH + timedelta(microseconds=micros)
    except OverflowError:
        raise ValueError(f"epoch milliseconds {millis} out of range") from None


def parse_zstack_datetime(value: Any) -> datetime:
    """Parse a ZStack timestamp: Gson text, ISO-8601, or epoch milliseconds (int, double or string)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not a timestamp")
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} is not a timestamp")
        return _from_epoch_millis(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a timestamp string or epoch milliseconds, got {type(value).__name__}")
    text = value.strip()
    if _NUMBER.match(text):
        return _from_epoch_millis(Decimal(text))
    parsed = _parse_gson_text(text)
    if parsed is not None:
        return parsed
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"unrecognised timestamp {value!r}") from None


def format_gson_datetime(value: datetime) -> str:
    """Gson's default en-US format, "Nov 14, 2017 10:20:57 PM" (seconds precision, no zone)."""
    hour_12 = value.hour % 12 or 12
    ampm = "PM" if value.hour >= 12 else "AM"
    return (
        f"{_MONTHS[value.month - 1]} {value.day}, {value.year:04d} "
        f"{hour_12}:{value.minute:02d}:{value.second:02d} {ampm}"
    )


def _decimal(value: Any, what: str) -> Decimal:
    """A number as an exact Decimal; strings allow Gson's double notation ("8.589934592E9")."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"expected {what}, got {type(value).__name__}")
    if isinstance(value, str):
        if not _NUMBER.match(value.strip()):
            raise ValueError(f"{value!r} is not {what}")
        value = value.strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not {what}") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def parse_gson_int(value: Any) -> int:
    """An integer that Gson may have written as a double (`1.0`, `8.589934592E9`) or a string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = _decimal(value, "an integer")
    if number != number.to_integral_value():
        raise ValueError(f"{value!r} is not an integral number")
    return int(number)


def parse_gson_float(value: Any) -> float:
    """A floating-point number, from an int, a float or a numeric string."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return value
    return float(_decimal(value, "a number"))


ZStackDatetime = Annotated[
    datetime,
    BeforeValidator(parse_zstack_datetime),
    PlainSerializer(format_gson_datetime, return_type=str, when_used="json"),
]
GsonInt = Annotated[int, BeforeValidator(parse_gson_int)]
GsonFloat = Annotated[float, BeforeValidator(parse_gson_float)]


class WireModel(BaseModel):
    """Lenient base for models parsed from server JSON: unknown keys are kept, aliases are wire names."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
