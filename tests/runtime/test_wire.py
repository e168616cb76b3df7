"""Gson dates and numbers (wire.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field, TypeAdapter, ValidationError
from runtime_testpkg._runtime.wire import (
    GsonFloat,
    GsonInt,
    WireModel,
    ZStackDatetime,
    format_gson_datetime,
    parse_zstack_datetime,
)

DATES = TypeAdapter(ZStackDatetime)
INTS = TypeAdapter(GsonInt)
FLOATS = TypeAdapter(GsonFloat)

NOV_14 = datetime(2017, 11, 14, 22, 20, 57)


@pytest.mark.parametrize(
    "text",
    [
        "Nov 14, 2017 10:20:57 PM",  # JDK 8 en-US, what ZStack sends
        "Nov 14, 2017 10:20:57\u202fPM",  # JDK 20+ CLDR: narrow no-break space before PM
        "Nov 14, 2017, 10:20:57 PM",  # JDK 9+ CLDR: comma after the year
        "Nov 14, 2017 10:20:57\u00a0pm",
        "November 14, 2017 10:20:57 PM",
        "2017-11-14T22:20:57",
        "2017-11-14 22:20:57",
    ],
)
def test_wall_clock_forms_parse_to_the_same_naive_datetime(text: str) -> None:
    parsed = DATES.validate_python(text)
    assert parsed == NOV_14
    assert parsed.tzinfo is None


def test_noon_and_midnight_follow_the_12_hour_clock() -> None:
    assert DATES.validate_python("Jan 6, 2017 12:01:16 AM") == datetime(2017, 1, 6, 0, 1, 16)
    assert DATES.validate_python("Jan 6, 2017 12:01:16 PM") == datetime(2017, 1, 6, 12, 1, 16)


@pytest.mark.parametrize("millis", [1510698057000, 1.510698057e12, "1510698057000", "1.510698057E12"])
def test_epoch_milliseconds_in_every_gson_form_become_naive_utc(millis: object) -> None:
    expected = datetime(2017, 11, 14, 22, 20, 57)
    assert DATES.validate_python(millis) == expected


def test_epoch_milliseconds_keep_their_fraction() -> None:
    assert DATES.validate_python(1510698057141) == datetime(2017, 11, 14, 22, 20, 57, 141000)


def test_iso_with_an_offset_keeps_it() -> None:
    parsed = DATES.validate_python("2017-11-14T22:20:57+08:00")
    assert parsed.utcoffset() == timedelta(hours=8)


@pytest.mark.parametrize(
    "bad", ["Foo 14, 2017 10:20:57 PM", "Nov 14, 2017 13:20:57 PM", "yesterday", True, None, [], float("nan")]
)
def test_unparseable_timestamps_are_validation_errors(bad: object) -> None:
    with pytest.raises(ValidationError):
        DATES.validate_python(bad)


def test_dates_serialise_in_the_gson_format_only_in_json_mode() -> None:
    class Model(WireModel):
        when: ZStackDatetime = Field(alias="createDate")

    model = Model.model_validate({"createDate": "2017-11-14T22:20:57"})
    assert model.model_dump(by_alias=True, mode="json") == {"createDate": "Nov 14, 2017 10:20:57 PM"}
    assert model.model_dump() == {"when": NOV_14}


@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31)))
def test_gson_text_round_trips(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)  # Gson's default format has seconds precision
    assert parse_zstack_datetime(format_gson_datetime(moment)) == moment


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
def test_epoch_milliseconds_round_trip(moment: datetime) -> None:
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    millis = int((moment.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(milliseconds=1))
    assert parse_zstack_datetime(millis) == moment
    assert parse_zstack_datetime(float(millis)) == moment


@given(st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_a_fixed_offset_iso_value_names_the_same_instant(offset_minutes: int) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    moment = datetime(2020, 2, 29, 23, 59, 59, tzinfo=zone)
    assert parse_zstack_datetime(moment.isoformat()) == moment


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.0, 0), (8.589934592e9, 8589934592), ("12", 12), ("8.589934592E9", 8589934592), (-3, -3), ("1.0", 1)],
)
def test_gson_int_accepts_integral_doubles_and_strings(value: object, expected: int) -> None:
    parsed = INTS.validate_python(value)
    assert parsed == expected
    assert type(parsed) is int


@pytest.mark.parametrize("value", [1.5, "1.5", "12abc", True, None, float("inf"), "nan", [1]])
def test_gson_int_refuses_fractions_and_non_numbers(value: object) -> None:
    with pytest.raises(ValidationError):
        INTS.validate_python(value)


def test_gson_int_parses_doubles_from_json_text() -> None:
    assert INTS.validate_json("8.589934592E9") == 8589934592


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_gson_int_round_trips_through_a_double(number: int) -> None:
    assert INTS.validate_python(float(number)) == number
    assert INTS.validate_python(repr(float(number)).upper()) == number


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_gson_float_accepts_its_own_text(number: float) -> None:
    assert FLOATS.validate_python(repr(number)) == number
    assert FLOATS.validate_python(number) == number


def test_gson_float_coerces_ints_and_refuses_booleans() -> None:
    assert FLOATS.validate_python(1) == 1.0
    assert type(FLOATS.validate_python(1)) is float
    with pytest.raises(ValidationError):
        FLOATS.validate_python(False)
