"""The sync client against the real FakeZStack HTTP server: jobs, errors, retries, auth."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
from collections.abc import Iterator
from datetime import datetime

import pytest
from runtime_testpkg import Client, QueryZoneResponse
from runtime_testpkg._runtime import (
    HttpError,
    JobExpiredError,
    JobTimeoutError,
    PermissionDeniedError,
    SessionExpiredError,
    TransportError,
    ZStackError,
)
from runtime_testpkg.testing import DEFAULT_JOB_LOCATION_BASE, FakeZStack, make_error

ADMIN_SHA512 = hashlib.sha512(b"password").hexdigest()


@pytest.fixture
def fake() -> Iterator[FakeZStack]:
    with FakeZStack() as server:
        yield server


@pytest.fixture
def client(fake: FakeZStack) -> Iterator[Client]:
    with fake.client(session_uuid=fake.add_session()) as c:
        assert isinstance(c, Client)
        yield c


def test_async_job_is_polled_on_the_configured_host_not_the_location_host(fake: FakeZStack, client: Client) -> None:
    fake.delay_jobs("CreateZone", polls=3)
    response = client.zone.create_zone(name="zone-1", system_tags=["k::v"])
    assert response.inventory is not None
    assert response.inventory.create_date == datetime(2017, 11, 14, 22, 20, 57)
    assert (response.inventory.cpu_num, response.inventory.memory_size) == (8, 8589934592)
    post, *polls = fake.requests_for("CreateZone", polls=True)
    assert DEFAULT_JOB_LOCATION_BASE.startswith("http://127.0.0.2")  # the location names another host
    assert post.body == {"params": {"name": "zone-1"}, "systemTags": ["k::v"]}
    assert post.header("content-type") == "application/json;charset=UTF-8"
    assert post.job_uuid is not None and len(post.job_uuid) == 32
    assert [p.path for p in polls] == [f"/zstack/v1/api-jobs/{post.job_uuid}"] * 4  # 3 x 202 {}, then 200
    assert all(p.method == "GET" and p.body is None for p in polls)


def test_location_with_another_context_path_is_rewritten_onto_the_base_url() -> None:
    with FakeZStack(context_path="") as fake, fake.client(session_uuid=fake.add_session()) as client:
        assert isinstance(client, Client)
        client.zone.create_zone(name="z")
        assert [r.path for r in fake.requests][-1].startswith("/v1/api-jobs/")


def test_a_failed_job_raises_the_error_with_its_cause_chain(fake: FakeZStack, client: Client) -> None:
    error = make_error(
        "SYS.1006", "operation error", "cannot stop", cause=make_error("ID.1002", "permission denied", "not yours")
    )
    fake.fail_next("StopVmInstance", error)
    with pytest.raises(ZStackError) as caught:
        client.vm_instance.stop_vm_instance(uuid="vm1")
    assert caught.value.code == "SYS.1006" and caught.value.status == 503
    assert caught.value.operation_id == "StopVmInstance"
    assert isinstance(caught.value.cause, PermissionDeniedError)
    assert caught.value.cause.details == "not yours"
    assert len(fake.requests_for("StopVmInstance")) == 1  # a 503 is an answer, not a transient failure


def test_shared_action_path_is_routed_by_the_wrapper_key(fake: FakeZStack, client: Client) -> None:
    assert client.vm_instance.start_vm_instance(uuid="vm1").inventory.state == "Running"  # type: ignore[union-attr]
    assert client.vm_instance.stop_vm_instance(uuid="vm1", type="cold").inventory.state == "Stopped"  # type: ignore[union-attr]
    assert fake.requests_for("StopVmInstance")[0].body == {"stopVmInstance": {"type": "cold"}}


def test_an_expired_job_raises_job_expired(fake: FakeZStack, client: Client) -> None:
    fake.expire_next_job("DeleteZone")
    with pytest.raises(JobExpiredError) as caught:
        client.zone.delete_zone(uuid="z1")
    assert caught.value.status == 404 and "expired" in caught.value.text
    delete = fake.requests_for("DeleteZone")[0]
    assert caught.value.job_uuid == delete.job_uuid
    assert (delete.raw_path, delete.body) == ("/zstack/v1/zones/z1", None)


def test_poll_deadline_raises_job_timeout_and_poll_job_resumes(fake: FakeZStack) -> None:
    fake.delay_jobs("CreateZone", polls=6)
    with fake.client(session_uuid=fake.add_session(), poll_timeout=0.05, poll_interval=0.02) as client:
        assert isinstance(client, Client)
        with pytest.raises(JobTimeoutError) as caught:
            client.zone.create_zone(name="slow")
        assert isinstance(caught.value, TimeoutError)
        resumed = client._transport.poll_job(caught.value.job_uuid, QueryZoneResponse, timeout=10)
        assert isinstance(resumed, QueryZoneResponse)  # the job finished: lenient model, extra keys kept
    assert fake.executions("CreateZone") == 1


def test_dropped_connection_before_processing_is_retried_with_the_same_job_uuid(
    fake: FakeZStack, client: Client
) -> None:
    fake.drop_connections(2, operation_id="CreateZone")
    client.zone.create_zone(name="z")
    attempts = fake.requests_for("CreateZone")
    assert [a.dropped for a in attempts] == [True, True, False]
    assert len({a.job_uuid for a in attempts}) == 1
    assert fake.executions("CreateZone") == 1


def test_lost_answer_then_duplicate_job_uuid_polls_the_first_job(fake: FakeZStack, client: Client) -> None:
    fake.drop_connections(1, after_processing=True, operation_id="CreateZone")
    response = client.zone.create_zone(name="z")
    assert response.inventory is not None and response.inventory.name == "zone-1"
    first, retry = fake.requests_for("CreateZone")
    assert first.dropped and first.job_uuid == retry.job_uuid
    assert fake.executions("CreateZone") == 1  # ran once although sent twice
    assert fake.requests[-1].path == f"/zstack/v1/api-jobs/{first.job_uuid}"


def test_sync_503_is_parsed_and_never_retried(fake: FakeZStack, client: Client) -> None:
    fake.fail_next("CreateZone", make_error("SYS.1007", "invalid argument", "name too long"), sync=True)
    with pytest.raises(ValueError) as caught:  # InvalidArgumentError is a ValueError too
        client.zone.create_zone(name="z" * 300)
    assert isinstance(caught.value, ZStackError) and caught.value.code == "SYS.1007"
    assert len(fake.requests_for("CreateZone")) == 1
    assert not any(r.is_poll for r in fake.requests)


def test_5xx_other_than_503_is_retried(fake: FakeZStack, client: Client) -> None:
    fake.fail_http(502, "Bad Gateway", times=2, operation_id="QueryZone")
    assert client.zone.query_zone().inventories
    assert len(fake.requests_for("QueryZone")) == 3


def test_retries_are_bounded_and_the_last_http_error_surfaces(fake: FakeZStack, client: Client) -> None:
    fake.fail_http(500, "java.lang.NullPointerException", times=5)
    with pytest.raises(HttpError) as caught:
        client.zone.query_zone()
    assert (caught.value.status, caught.value.text) == (500, "java.lang.NullPointerException")
    assert len(fake.requests) == 3  # max_retries=2 from fake.client()


def test_4xx_is_final_and_keeps_the_plain_text(fake: FakeZStack) -> None:
    with fake.client() as anonymous:  # no session: no Authorization header
        assert isinstance(anonymous, Client)
        with pytest.raises(HttpError) as caught:
            anonymous.zone.create_zone(name="z")
    assert (caught.value.status, caught.value.text) == (400, "missing header 'Authorization'")
    assert len(fake.requests) == 1


def test_connection_refused_becomes_transport_error_after_retries() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below: nothing listens there
    client = Client(f"http://127.0.0.1:{port}/zstack", max_retries=2, retry_backoff=0.001)
    with client, pytest.raises(TransportError) as caught:
        client.zone.query_zone()
    assert caught.value.attempts == 3 and isinstance(caught.value, ConnectionError)


def test_login_sends_sha512_and_uses_the_session_then_logout_ends_it(fake: FakeZStack) -> None:
    with fake.client() as client:
        assert isinstance(client, Client)
        inventory = client.login("admin", "password")
        assert client.session_uuid == inventory.uuid and inventory.uuid in fake.sessions
        assert client.validate_session()
        client.zone.query_zone()
        client.logout()
        assert client.session_uuid is None and inventory.uuid not in fake.sessions
    login = fake.requests_for("LogInByAccount")[0]
    assert login.body == {"logInByAccount": {"accountName": "admin", "password": ADMIN_SHA512}}
    assert login.header("authorization") is None
    assert fake.requests_for("QueryZone")[0].header("authorization") == f"OAuth {inventory.uuid}"
    logout = fake.requests_for("LogOut")[0]
    assert (logout.method, logout.path, logout.header("authorization")) == (
        "DELETE", f"/zstack/v1/accounts/sessions/{inventory.uuid}", None,
    )  # fmt: skip


def test_wrong_password_is_an_auth_error(fake: FakeZStack) -> None:
    with fake.client() as client, pytest.raises(ZStackError) as caught:
        client.login("admin", "nope")
    assert caught.value.code == "ID.1000" and client.session_uuid is None


def test_closing_a_client_logs_out_the_session_it_opened(fake: FakeZStack) -> None:
    with fake.client() as client:
        session = client.login("admin", "password").uuid
    assert session not in fake.sessions
    borrowed = fake.add_session()
    with fake.client(session_uuid=borrowed):
        pass
    assert borrowed in fake.sessions  # a session handed in is the caller's to end


def test_expired_session_logs_in_again_once(fake: FakeZStack) -> None:
    with fake.client() as client:
        assert isinstance(client, Client)
        first = client.login("admin", "password").uuid
        fake.expire_session(first)  # type: ignore[arg-type]
        client.zone.create_zone(name="z")  # fails with ID.1001 through the job, re-login, retried
        assert client.session_uuid not in (None, first)
        creates = fake.requests_for("CreateZone")
        assert len(creates) == 2 and creates[0].job_uuid != creates[1].job_uuid
        assert len(fake.requests_for("LogInByAccount")) == 2


def test_expired_session_without_credentials_raises(fake: FakeZStack) -> None:
    with fake.client(session_uuid="0" * 32) as client:
        assert isinstance(client, Client)
        with pytest.raises(SessionExpiredError):
            client.zone.query_zone()


def test_access_key_requests_are_signed_over_method_date_and_uri(fake: FakeZStack) -> None:
    fake.add_access_key("AK1", "s3cret")
    with fake.client(access_key_id="AK1", access_key_secret="s3cret") as client:
        assert isinstance(client, Client)
        client.vm_instance.start_vm_instance(uuid="vm 1")
    put = fake.requests_for("StartVmInstance")[0]
    date = put.header("date")
    assert date is not None
    expected = base64.b64encode(
        hmac.new(b"s3cret", f"PUT\n{date}\n/v1/vm-instances/vm 1/actions".encode(), hashlib.sha1).digest()
    ).decode()
    assert put.header("authorization") == f"ZStack AK1:{expected}"


def test_a_wrong_access_key_secret_is_refused(fake: FakeZStack) -> None:
    fake.add_access_key("AK1", "s3cret")
    with fake.client(access_key_id="AK1", access_key_secret="wrong") as client:
        assert isinstance(client, Client)
        with pytest.raises(ZStackError, match="accessKey"):
            client.zone.query_zone()
