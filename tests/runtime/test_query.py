"""Condition builder, pagination and count (query.py), checked against the fake's server-side parser."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st
from runtime_testpkg import Client
from runtime_testpkg._runtime import NotFoundError, Q, count, get_one, iter_pages, paginate
from runtime_testpkg._runtime.query import OPERATOR_PRIORITY, Condition
from runtime_testpkg.testing import FakeZStack, _parse_condition

BUILDERS = {
    "=": Q.eq, "!=": Q.ne, ">": Q.gt, ">=": Q.ge, "<": Q.lt, "<=": Q.le, "~=": Q.like, "!~=": Q.not_like,
}  # fmt: skip


def test_conditions_are_their_wire_text() -> None:
    assert str(Q.eq("name", "vm1")) == "name=vm1"
    assert Q.eq("name", "vm1") == "name=vm1"  # a str: fits `conditions: list[str]`
    assert str(Q.ne("state", "Running")) == "state!=Running"
    assert str(Q.ge("cpuNum", 4)) == "cpuNum>=4"
    assert str(Q.in_("uuid", ["a", "b"])) == "uuid?=a,b"
    assert str(Q.not_in("uuid", ["a"])) == "uuid!?=a"
    assert str(Q.like("name", "web-%")) == "name~=web-%"
    assert str(Q.not_like("name", "db_")) == "name!~=db_"
    assert str(Q.is_null("hostUuid")) == "hostUuid is null"
    assert str(Q.not_null("vmNics.ip")) == "vmNics.ip not null"
    assert str(Q.eq("system", True)) == "system=true"
    assert Q.eq("name", "vm1").op == "="


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: Q.eq("name", "a>=b"), ">="),  # the server would read field 'name=a', op '>='
        (lambda: Q.gt("size", "=5"), ">="),
        (lambda: Q.like("name", "x!=y"), "!="),
        (lambda: Q.in_("uuid", ["a,b"]), "comma"),
        (lambda: Q.in_("uuid", []), "at least one"),
        (lambda: Q.eq("na me", "x"), "field"),
        (lambda: Q.eq("a=b", "x"), "field"),
        (lambda: Q.eq("", "x"), "field"),
    ],
)
def test_ambiguous_conditions_are_refused(make: object, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        make()  # type: ignore[operator]


FIELDS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}(\.[A-Za-z][A-Za-z0-9]{0,5})?", fullmatch=True)
VALUES = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)


@given(FIELDS, st.sampled_from(sorted(BUILDERS)), VALUES)
def test_every_accepted_condition_is_parsed_back_unchanged_by_the_server_rules(field: str, op: str, value: str) -> None:
    try:
        condition = BUILDERS[op](field, value)
    except ValueError:
        return  # refused: fine, as long as nothing accepted is misread
    assert _parse_condition(str(condition)) == (field, op, value)


@given(FIELDS, st.lists(st.text(alphabet="abc=<>!?~%_ -", min_size=1, max_size=5), min_size=1, max_size=4))
def test_accepted_in_lists_split_back_into_the_same_items(field: str, items: list[str]) -> None:
    try:
        condition = Q.in_(field, items)
    except ValueError:
        return
    name, op, value = _parse_condition(str(condition))
    assert (name, op, value.split(",")) == (field, "?=", items)


def test_the_operator_table_matches_the_servers_order() -> None:
    assert OPERATOR_PRIORITY[:8] == ("!=", ">=", "<=", "!?=", "!~=", "~=", "?=", "=")
    assert isinstance(Q.is_null("x"), Condition)


ZONES = [
    {"uuid": f"{i:032x}", "name": f"zone-{i}", "cpuNum": i % 4, "state": "Enabled" if i % 2 else "Disabled"}
    for i in range(23)
]


@pytest.fixture
def fake() -> Iterator[FakeZStack]:
    with FakeZStack() as server:
        server.set_inventories("QueryZone", reversed(ZONES))  # stored order differs from uuid order
        yield server


@pytest.fixture
def client(fake: FakeZStack) -> Iterator[Client]:
    with fake.client(session_uuid=fake.add_session()) as c:
        assert isinstance(c, Client)
        yield c


def test_query_conditions_go_one_q_each_and_filter(fake: FakeZStack, client: Client) -> None:
    response = client.zone.query_zone(
        conditions=[Q.eq("state", "Enabled"), Q.ge("cpuNum", 2), Q.like("name", "zone-1%")],
        sort_by="name",
        sort_direction="desc",
    )
    names = [zone.name for zone in response.inventories or []]
    expected = sorted((z["name"] for z in ZONES if z["state"] == "Enabled" and z["cpuNum"] >= 2
                       and z["name"].startswith("zone-1")), reverse=True)  # fmt: skip
    assert names == expected and names
    sent = fake.requests_for("QueryZone")[0]
    assert sent.query_values("q") == ["state=Enabled", "cpuNum>=2", "name~=zone-1%"]
    assert "sort=-name" in sent.raw_query.split("&")
    assert "q=name~%3Dzone-1%25" in sent.raw_query.replace("%7E", "~").split("&")


def test_paginate_walks_every_row_once_in_a_stable_order(fake: FakeZStack, client: Client) -> None:
    uuids = [zone.uuid for zone in paginate(client.zone.query_zone, page_size=5)]
    assert uuids == sorted(z["uuid"] for z in ZONES)
    requests = fake.requests_for("QueryZone")
    assert len(requests) == 5  # 5+5+5+5+3
    assert [dict(parse_qsl(r.raw_query))["start"] for r in requests] == ["0", "5", "10", "15", "20"]
    assert all(dict(parse_qsl(r.raw_query))["sort"] == "+uuid" for r in requests)
    assert all(dict(parse_qsl(r.raw_query))["replyWithCount"] == "true" for r in requests)


def test_paginate_stops_on_total_when_the_last_page_is_full(fake: FakeZStack, client: Client) -> None:
    pages = list(iter_pages(client.zone.query_zone, conditions=[Q.eq("state", "Enabled")], page_size=11))
    assert [len(p.inventories or []) for p in pages] == [11]  # total = 11: no empty extra page
    assert pages[0].total == 11


def test_count_sends_count_true_and_reads_total(fake: FakeZStack, client: Client) -> None:
    assert count(client.zone.query_zone, conditions=[Q.in_("cpuNum", [0, 1])]) == 12
    assert dict(fake.requests_for("QueryZone")[0].query)["count"] == "true"


def test_get_one_and_not_found(client: Client) -> None:
    assert get_one(client.zone.query_zone, Q.eq("name", "zone-7")).uuid == f"{7:032x}"
    with pytest.raises(NotFoundError):
        get_one(client.zone.query_zone, Q.eq("name", "nope"))


def test_query_answers_carry_a_schema_map_that_is_dropped(fake: FakeZStack, client: Client) -> None:
    response = client.zone.query_zone(conditions=[Q.eq("name", "zone-3")])
    assert response.model_extra == {}  # `schema` was not kept as an extra field
    assert response.inventories is not None and response.inventories[0].name == "zone-3"
