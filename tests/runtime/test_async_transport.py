"""The asyncio client against the real FakeZStack HTTP server."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator

import pytest
from runtime_testpkg import AsyncClient
from runtime_testpkg._runtime import JobExpiredError, Q, ZStackError, acount, aget_one, apaginate
from runtime_testpkg.testing import FakeZStack, make_error


@pytest.fixture
def fake() -> Iterator[FakeZStack]:
    with FakeZStack() as server:
        yield server


def test_async_login_job_polling_and_logout_on_exit(fake: FakeZStack) -> None:
    async def scenario() -> str | None:
        client = fake.async_client()
        assert isinstance(client, AsyncClient)
        async with client:
            session = (await client.login("admin", "password")).uuid
            fake.delay_jobs("CreateZone", polls=2)
            created = await client.zone.create_zone(name="zone-1")
            assert created.inventory is not None and created.inventory.cpu_num == 8
        return session

    session = asyncio.run(scenario())
    assert session is not None and session not in fake.sessions  # logged out by __aexit__
    login = fake.requests_for("LogInByAccount")[0]
    assert login.body["logInByAccount"]["password"] == hashlib.sha512(b"password").hexdigest()
    create = fake.requests_for("CreateZone")[0]
    assert create.header("authorization") == f"OAuth {session}"
    assert len(fake.requests_for("CreateZone", polls=True)) == 1 + 3


def test_async_failed_and_expired_jobs(fake: FakeZStack) -> None:
    async def scenario() -> tuple[ZStackError, JobExpiredError]:
        async with fake.async_client(session_uuid=fake.add_session()) as client:
            assert isinstance(client, AsyncClient)
            fake.fail_next("CreateZone", make_error("SYS.1001", "timeout", "took too long"))
            with pytest.raises(ZStackError) as failed:
                await client.zone.create_zone(name="z")
            fake.expire_next_job("CreateZone")
            with pytest.raises(JobExpiredError) as expired:
                await client.zone.create_zone(name="z")
            return failed.value, expired.value

    failed, expired = asyncio.run(scenario())
    assert isinstance(failed, TimeoutError) and failed.code == "SYS.1001" and failed.details == "took too long"
    assert expired.job_uuid == fake.requests_for("CreateZone")[1].job_uuid


def test_async_retry_keeps_the_job_uuid_and_runs_once(fake: FakeZStack) -> None:
    fake.drop_connections(1, after_processing=True, operation_id="CreateZone")

    async def scenario() -> None:
        async with fake.async_client(session_uuid=fake.add_session()) as client:
            assert isinstance(client, AsyncClient)
            await client.zone.create_zone(name="z")

    asyncio.run(scenario())
    first, retry = fake.requests_for("CreateZone")
    assert first.job_uuid == retry.job_uuid and fake.executions("CreateZone") == 1


def test_async_query_helpers(fake: FakeZStack) -> None:
    fake.set_inventories("QueryZone", [{"uuid": f"{i:032x}", "name": f"zone-{i}"} for i in range(7)])

    async def scenario() -> tuple[list[str], int, str]:
        async with fake.async_client(session_uuid=fake.add_session()) as client:
            assert isinstance(client, AsyncClient)
            names = [zone.name async for zone in apaginate(client.zone.query_zone, page_size=3)]
            total = await acount(client.zone.query_zone, conditions=[Q.ne("name", "zone-0")])
            one = await aget_one(client.zone.query_zone, Q.eq("name", "zone-4"))
            return names, total, one.uuid

    names, total, uuid = asyncio.run(scenario())
    assert names == [f"zone-{i}" for i in range(7)]
    assert total == 6
    assert uuid == f"{4:032x}"
    assert len(fake.requests_for("QueryZone")) == 3 + 1 + 1
