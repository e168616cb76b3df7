"""Request building and answer interpretation, without a server (codec.py, errors.py)."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from pydantic import BaseModel, ConfigDict, Field
from runtime_testpkg import CreateZoneRequest, DeleteZoneRequest, QueryZoneRequest, StartVmInstanceRequest
from runtime_testpkg._runtime import (
    HttpError,
    InvalidArgumentError,
    JobExpiredError,
    OperationTimeoutError,
    PermissionDeniedError,
    SessionExpiredError,
    ZStackError,
)
from runtime_testpkg._runtime.codec import error_for_response, job_path, poll_deadline, prepare_request
from runtime_testpkg._runtime.spec import OperationSpec, ParamSpec


class TagsRequest(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    uuid: str
    resource_uuids: list[str] | None = Field(default=None, alias="resourceUuids")
    labels: dict[str, str] | None = None
    inherited: bool | None = None
    system_tags: list[str] | None = Field(default=None, alias="systemTags")


TAGS_PARAMS = (
    ParamSpec("uuid", "uuid", "path"),
    ParamSpec("resource_uuids", "resourceUuids", "query"),
    ParamSpec("labels", "labels", "query"),
    ParamSpec("inherited", "inherited", "query"),
    ParamSpec("system_tags", "systemTags", "body-top"),
)


def spec(method: str, path: str = "/v1/things/{uuid}/tags", wrapper: str | None = None, **kw: object) -> OperationSpec:
    return OperationSpec("GetTags", method, path, wrapper, TAGS_PARAMS, **kw)  # type: ignore[arg-type]


def test_get_puts_every_non_path_param_in_the_query_string_and_sends_no_body() -> None:
    request = TagsRequest(
        uuid="a b/c", resource_uuids=["r1", "r2"], labels={"env": "prod"}, inherited=False, system_tags=["x::y"]
    )
    prepared = prepare_request(spec("GET"), request)
    assert prepared.body is None
    assert prepared.raw_path == "/v1/things/a%20b%2Fc/tags"
    assert prepared.path == "/v1/things/a b/c/tags"  # what access-key signing covers
    assert prepared.query == (
        ("resourceUuids", "r1"),
        ("resourceUuids", "r2"),
        ("labels.env", "prod"),
        ("inherited", "false"),
        ("systemTags", "x::y"),
    )


def test_delete_never_sends_a_body_either() -> None:
    prepared = prepare_request(spec("DELETE"), TagsRequest(uuid="u", inherited=True))
    assert prepared.body is None
    assert prepared.target == "/v1/things/u/tags?inherited=true"


def test_a_missing_path_parameter_is_a_value_error_before_sending() -> None:
    bad = OperationSpec("X", "GET", "/v1/zones/{uuid}", None, ())
    with pytest.raises(ValueError, match="uuid"):
        prepare_request(bad, None)
    with pytest.raises(ValueError, match="uuid"):
        prepare_request(spec("GET"), TagsRequest(uuid=""))


def test_post_wraps_body_params_and_keeps_body_top_params_at_the_top() -> None:
    create = OperationSpec(
        "CreateZone",
        "POST",
        "/v1/zones",
        "params",
        (
            ParamSpec("name", "name", "body"),
            ParamSpec("description", "description", "body"),
            ParamSpec("created_after", "createdAfter", "body"),
            ParamSpec("system_tags", "systemTags", "body-top"),
        ),
    )
    request = CreateZoneRequest(name="z", created_after=datetime(2017, 11, 14, 22, 20, 57), system_tags=["t"])
    prepared = prepare_request(create, request)
    assert prepared.query == ()
    assert json.loads(prepared.body or b"") == {
        "params": {"name": "z", "createdAfter": "Nov 14, 2017 10:20:57 PM"},
        "systemTags": ["t"],
    }


def test_an_action_with_no_body_params_still_sends_its_wrapper_key() -> None:
    start = OperationSpec(
        "StartVmInstance", "PUT", "/v1/vm-instances/{uuid}/actions", "startVmInstance",
        (ParamSpec("uuid", "uuid", "path"), ParamSpec("host_uuid", "hostUuid", "body")),
    )  # fmt: skip
    prepared = prepare_request(start, StartVmInstanceRequest(uuid="vm1"))
    assert json.loads(prepared.body or b"") == {"startVmInstance": {}}


def test_without_a_wrapper_body_params_go_top_level() -> None:
    prepared = prepare_request(spec("PUT", wrapper=None), TagsRequest(uuid="u", system_tags=["a"]))
    assert json.loads(prepared.body or b"") == {"systemTags": ["a"]}


def test_query_api_encoding_one_q_per_condition_sort_sign_and_joined_fields() -> None:
    query = OperationSpec(
        "QueryZone", "GET", "/v1/zones", None,
        tuple(ParamSpec(a, w, "query") for a, w in [
            ("conditions", "q"), ("limit", "limit"), ("sort_by", "sortBy"), ("sort_direction", "sortDirection"),
            ("fields", "fields"), ("reply_with_count", "replyWithCount"),
        ]),
        is_query=True,
    )  # fmt: skip
    request = QueryZoneRequest(
        conditions=["name=a&b c", "uuid?=1,2", "cpuNum>=4"],
        limit=10,
        sort_by="createDate",
        sort_direction="asc",
        fields=["uuid", "name"],
        reply_with_count=True,
    )
    prepared = prepare_request(query, request)
    raw_query = urlsplit(prepared.target).query
    assert "sort=%2BcreateDate" in raw_query.split("&")  # a bare + would decode to a space
    assert raw_query.count("q=") == 3
    assert "q=name%3Da%26b%20c" in raw_query.split("&")  # &, = and space inside a condition are encoded
    assert parse_qsl(raw_query) == [
        ("q", "name=a&b c"),
        ("q", "uuid?=1,2"),
        ("q", "cpuNum>=4"),
        ("limit", "10"),
        ("sort", "+createDate"),
        ("fields", "uuid,name"),
        ("replyWithCount", "true"),
    ]
    descending = QueryZoneRequest(sort_by="name", sort_direction="desc")
    assert ("sort", "-name") in prepare_request(query, descending).query
    with pytest.raises(ValueError, match="sort direction"):
        prepare_request(query, QueryZoneRequest(sort_by="name", sort_direction="sideways"))


def test_delete_request_model_dumps_by_alias() -> None:
    delete = OperationSpec(
        "DeleteZone", "DELETE", "/v1/zones/{uuid}", None,
        (ParamSpec("uuid", "uuid", "path"), ParamSpec("delete_mode", "deleteMode", "query")),
    )  # fmt: skip
    assert prepare_request(delete, DeleteZoneRequest(uuid="z", delete_mode="Enforcing")).query == (
        ("deleteMode", "Enforcing"),
    )


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("http://10.0.0.1:8080/zstack/v1/api-jobs/abc", "/v1/api-jobs/abc"),
        ("http://localhost:8989/v1/api-jobs/abc", "/v1/api-jobs/abc"),  # zh-doc sample: no context path
        ("https://vip.example:443/proxy/zstack/v1/api-jobs/abc/", "/v1/api-jobs/abc"),
    ],
)
def test_job_location_keeps_only_the_v1_part(location: str, expected: str) -> None:
    assert job_path(location, None) == (expected, "abc")


def test_a_202_without_location_polls_the_callers_job_uuid() -> None:
    assert job_path(None, "f" * 32) == ("/v1/api-jobs/" + "f" * 32, "f" * 32)
    with pytest.raises(HttpError):
        job_path(None, None)


def test_poll_deadline_prefers_the_configured_timeout_then_api_timeout_then_three_hours() -> None:
    assert poll_deadline(43200000, 5.0) == 5.0
    assert poll_deadline(43200000, None) == pytest.approx(43200 + 60)
    assert poll_deadline(None, None) == 3 * 3600
    assert poll_deadline("soon", None) == 3 * 3600


ERROR = {
    "code": "SYS.1006",
    "description": "operation error",
    "details": "failed to start vm",
    "elaboration": "the host is full",
    "opaque": {"hint": 1},
    "cause": {
        "code": "SYS.1001",
        "description": "timeout",
        "details": "agent did not answer",
        "cause": {"code": "ID.1002", "description": "permission denied", "details": "no"},
    },
    "causes": [{"code": "SYS.1007", "description": "invalid argument", "details": "bad"}],
}


def test_error_bodies_become_a_typed_cause_chain() -> None:
    error = error_for_response(503, json.dumps({"error": ERROR}), operation_id="StartVmInstance", url="u")
    assert isinstance(error, ZStackError)
    assert (error.code, error.details, error.elaboration, error.opaque) == (
        "SYS.1006", "failed to start vm", "the host is full", {"hint": 1},
    )  # fmt: skip
    assert error.status == 503 and error.operation_id == "StartVmInstance"
    assert [type(e) for e in error.iter_causes()] == [ZStackError, OperationTimeoutError, PermissionDeniedError]
    assert isinstance(error.root_cause, PermissionError)
    assert isinstance(error.causes[0], InvalidArgumentError)
    assert error.__cause__ is error.cause
    assert error.raw == ERROR
    assert "failed to start vm" in str(error)


def test_session_errors_map_to_session_expired() -> None:
    body = json.dumps({"error": {"code": "ID.1001", "description": "invalid session"}})
    assert isinstance(error_for_response(503, body, operation_id="X", url="u"), SessionExpiredError)


def test_plain_text_errors_keep_their_text() -> None:
    error = error_for_response(400, "missing header 'Authorization'", operation_id="X", url="u")
    assert isinstance(error, HttpError) and not isinstance(error, ZStackError)
    assert (error.status, error.text) == (400, "missing header 'Authorization'")
    expired = error_for_response(404, "the job has been expired", operation_id="X", url="u", job_uuid="j")
    assert isinstance(expired, JobExpiredError) and expired.job_uuid == "j"
