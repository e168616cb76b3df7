"""FakeZStack's own protocol rules (raw httpx, no SDK client), its pytest fixtures, and auth helpers."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from runtime_testpkg import Client
from runtime_testpkg._runtime.auth import AccessKey, format_date_header, hash_password
from runtime_testpkg.testing import FakeZStack

JOB = "a" * 32


@pytest.fixture
def fake() -> Iterator[FakeZStack]:
    with FakeZStack() as server:
        yield server


@pytest.fixture
def http(fake: FakeZStack) -> Iterator[httpx.Client]:
    session = fake.add_session()
    with httpx.Client(base_url=fake.base_url, headers={"Authorization": f"OAuth {session}"}) as client:
        yield client


def test_post_answers_202_with_an_unreachable_location_and_the_job_then_its_result(
    fake: FakeZStack, http: httpx.Client
) -> None:
    accepted = http.post("/v1/zones", json={"params": {"name": "z"}}, headers={"X-Job-UUID": JOB})
    assert accepted.status_code == 202
    body = accepted.json()
    assert body["apiTimeout"] == 1000
    assert body["location"] == f"http://127.0.0.2:1/zstack/v1/api-jobs/{JOB}"
    done = http.get(f"/v1/api-jobs/{JOB}")
    assert done.status_code == 200 and done.json()["inventory"]["name"] == "zone-1"
    assert http.post(f"/v1/api-jobs/{JOB}").status_code == 405


def test_job_uuid_rules(http: httpx.Client) -> None:
    assert http.post("/v1/zones", json={"params": {}}, headers={"X-Job-UUID": JOB}).status_code == 202
    duplicate = http.post("/v1/zones", json={"params": {}}, headers={"X-Job-UUID": JOB})
    assert (duplicate.status_code, duplicate.text) == (400, f"Duplicate job uuid[{JOB}]")
    short = http.post("/v1/zones", json={"params": {}}, headers={"X-Job-UUID": "abc"})
    assert short.status_code == 400 and "X-Job-UUID" in short.text


def test_unknown_and_expired_jobs_are_404_plain_text(fake: FakeZStack, http: httpx.Client) -> None:
    assert http.get(f"/v1/api-jobs/{'b' * 32}").text == "the job has been expired"
    http.delete("/v1/zones/z1", headers={"X-Job-UUID": JOB})
    fake.expire_jobs()
    assert http.get(f"/v1/api-jobs/{JOB}").status_code == 404


def test_routing_errors_match_the_server(fake: FakeZStack, http: httpx.Client) -> None:
    assert http.get("/v1/nothing-here").status_code == 404
    no_key = http.put("/v1/vm-instances/vm1/actions", json={"rebootVmInstance": {}})
    assert no_key.status_code == 400 and "action mapping" in no_key.text
    assert http.post("/v1/zones/extra/segments/x", json={}).status_code == 404


def test_missing_authorization_is_400_and_unknown_session_is_id_1001(fake: FakeZStack) -> None:
    with httpx.Client(base_url=fake.base_url) as anonymous:
        missing = anonymous.get("/v1/zones")
        assert (missing.status_code, missing.text) == (400, "missing header 'Authorization'")
        bad_session = anonymous.get("/v1/zones", headers={"Authorization": "OAuth nope"})
        assert bad_session.status_code == 503 and bad_session.json()["error"]["code"] == "ID.1001"
    assert fake.executions("QueryZone") == 0


def test_query_operators_fields_count_and_uuid_shortcut(fake: FakeZStack, http: httpx.Client) -> None:
    rows = [
        {"uuid": "u1", "name": "web-1", "cpuNum": 2, "hostUuid": None, "vmNics": [{"ip": "10.0.0.1"}]},
        {"uuid": "u2", "name": "web-2", "cpuNum": 8, "hostUuid": "h1", "vmNics": [{"ip": "10.0.0.2"}]},
        {"uuid": "u3", "name": "db_1", "cpuNum": 16, "vmNics": []},
    ]
    fake.set_inventories("QueryZone", rows)

    def uuids(*conditions: str, **extra: str) -> list[str]:
        params = [("q", c) for c in conditions] + list(extra.items())
        return [row["uuid"] for row in http.get("/v1/zones", params=params).json()["inventories"]]

    assert uuids("cpuNum>4") == ["u2", "u3"]
    assert uuids("cpuNum<=8", "name!=web-1") == ["u2"]
    assert uuids("uuid?=u1,u3") == ["u1", "u3"]
    assert uuids("uuid!?=u1,u3") == ["u2"]
    assert uuids("name~=web%") == ["u1", "u2"]
    assert uuids("name~=db_%") == ["u3"]
    assert uuids("name!~=web%") == ["u3"]
    assert uuids("hostUuid is null") == ["u1", "u3"]
    assert uuids("hostUuid not null") == ["u2"]
    assert uuids("vmNics.ip=10.0.0.2") == ["u2"]
    assert uuids(sort="-cpuNum", limit="2", start="1") == ["u2", "u1"]
    assert http.get("/v1/zones", params={"count": "true"}).json() == {"total": 3}
    projected = http.get("/v1/zones", params={"fields": "uuid,name", "q": "uuid=u1"}).json()
    assert projected["inventories"] == [{"uuid": "u1", "name": "web-1"}] and "schema" in projected
    assert http.get("/v1/zones/u3").json()["inventories"][0]["name"] == "db_1"
    assert http.get("/v1/zones", params={"q": "no operator"}).status_code == 400
    assert http.get("/v1/zones", params={"limit": "ten"}).status_code == 400


def test_fixtures_load_from_a_folder_and_bad_files_name_the_file(tmp_path: Path) -> None:
    fixture = {"operation_id": "GetVersion", "method": "PUT", "path": "/v1/management-nodes/actions",
               "wrapper": "getVersion", "is_query": False, "async": False, "auth": False,
               "request": {}, "response": {"version": "4.8.0"}}  # fmt: skip
    (tmp_path / "GetVersion.json").write_text(json.dumps(fixture))
    with FakeZStack(tmp_path) as fake, httpx.Client(base_url=fake.base_url) as http:
        answer = http.put("/v1/management-nodes/actions", json={"getVersion": {}})
        assert (answer.status_code, answer.json()) == (200, {"version": "4.8.0"})
    (tmp_path / "Broken.json").write_text('{\n  "operation_id": nope\n}')
    with pytest.raises(ValueError, match=r"Broken\.json:2: invalid fixture JSON"):
        FakeZStack(tmp_path)
    (tmp_path / "Broken.json").write_text('{"operation_id": "X", "path": "/v1/x"}')
    with pytest.raises(ValueError, match=r"Broken\.json:1: fixture without 'method'"):
        FakeZStack(tmp_path)


def test_zstack_fake_fixture_serves_the_package_fixtures(zstack_fake: FakeZStack) -> None:
    with httpx.Client(base_url=zstack_fake.base_url) as http:
        session = zstack_fake.add_session()
        answer = http.get("/v1/zones", headers={"Authorization": f"OAuth {session}"})
    assert answer.json()["inventories"][0]["uuid"] == "b729da71b1c7412781d5de22229d5e17"


def test_zstack_client_fixture_is_the_generated_client_logged_in(
    zstack_client: Client, zstack_fake: FakeZStack
) -> None:
    assert type(zstack_client) is Client
    assert zstack_client.session_uuid in zstack_fake.sessions
    assert zstack_client.zone.create_zone(name="z").inventory is not None


def test_hash_password_is_sha512_hex() -> None:
    assert hash_password("password") == hashlib.sha512(b"password").hexdigest()
    assert len(hash_password("")) == 128


def test_date_header_is_english_and_in_the_requested_zone() -> None:
    moment = datetime(2017, 11, 14, 14, 20, 57, tzinfo=UTC)
    assert format_date_header(moment, ZoneInfo("Asia/Shanghai")) == "Tue, 14 Nov 2017 22:20:57 CST"
    assert format_date_header(moment, timezone(timedelta(hours=-5))) == "Tue, 14 Nov 2017 09:20:57 GMT-05:00"
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \S+", format_date_header())


def test_access_key_secret_never_shows_in_repr() -> None:
    key = AccessKey("AK", "top-secret")
    assert "top-secret" not in repr(key)
    with Client(access_key_id="AK", access_key_secret="top-secret") as client:
        assert "top-secret" not in repr(client)


_DOCUMENTED_SESSION = {"uuid": "d" * 32, "accountUuid": "e" * 32, "createDate": "Mar 13, 2022 1:49:53 PM"}


def _login_fixture(account: str, password: str) -> dict[str, object]:
    body = {"logInByAccount": {"accountName": account, "password": password}}
    return {
        "operation_id": "LogInByAccount",
        "method": "PUT",
        "path": "/v1/accounts/login",
        "wrapper": "logInByAccount",
        "is_query": False,
        "auth": False,
        "request": {"path": {}, "query": {}, "body": body},
        "response": {"inventory": _DOCUMENTED_SESSION},
    }


def _login(http: httpx.Client, account: str, password: str) -> httpx.Response:
    return http.put("/v1/accounts/login", json={"logInByAccount": {"accountName": account, "password": password}})


def test_a_login_fixture_teaches_its_documented_account_and_answers_as_documented() -> None:
    digest = hashlib.sha512(b"example-password").hexdigest()
    with FakeZStack([_login_fixture("example-account", digest)]) as fake, httpx.Client(base_url=fake.base_url) as http:
        documented = _login(http, "example-account", digest.upper())
        assert documented.status_code == 200 and documented.json() == {"inventory": _DOCUMENTED_SESSION}
        assert fake.sessions == {"d" * 32: "example-account"}
        assert http.get(f"/v1/accounts/sessions/{'d' * 32}/valid").json() == {"valid": True}
        # Anything else is checked as before: a wrong digest, the clear text; the built-in account still works.
        for password in ["0" * 128, "example-password"]:
            refused = _login(http, "example-account", password)
            assert refused.status_code == 503 and refused.json()["error"]["code"] == "ID.1000"
        admin = _login(http, "admin", hashlib.sha512(b"password").hexdigest()).json()["inventory"]["uuid"]
        assert admin != "d" * 32 and fake.sessions[admin] == "admin"


def test_a_login_fixture_with_a_clear_text_password_teaches_nothing() -> None:
    with (
        FakeZStack([_login_fixture("example-account", "example-password")]) as fake,
        httpx.Client(base_url=fake.base_url) as http,
    ):
        refused = _login(http, "example-account", "example-password")
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "ID.1000"
        assert not fake.sessions
