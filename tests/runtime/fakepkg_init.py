"""Hand-written stand-in for generated code; conftest copies it to `fakepkg/__init__.py`.

It calls the runtime exactly as the generator is meant to (docs/sdk-runtime-interface.md): request and
response models keyed by wire aliases, one OperationSpec per operation, API groups over the transport.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ._runtime import (
    AsyncBaseClient,
    AsyncTransport,
    BaseClient,
    GsonFloat,
    GsonInt,
    OperationSpec,
    ParamSpec,
    SyncTransport,
    WireModel,
    ZStackDatetime,
)


class _Request(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class ZoneInventory(WireModel):
    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    state: str | None = None
    cpu_num: GsonInt | None = Field(default=None, alias="cpuNum")
    memory_size: GsonInt | None = Field(default=None, alias="memorySize")
    ratio: GsonFloat | None = None
    create_date: ZStackDatetime | None = Field(default=None, alias="createDate")


class VmInventory(WireModel):
    uuid: str | None = None
    state: str | None = None


class CreateZoneRequest(_Request):
    name: str
    description: str | None = None
    created_after: ZStackDatetime | None = Field(default=None, alias="createdAfter")
    system_tags: list[str] | None = Field(default=None, alias="systemTags")


class ZoneResponse(WireModel):
    inventory: ZoneInventory | None = None


class DeleteZoneRequest(_Request):
    uuid: str
    delete_mode: str | None = Field(default=None, alias="deleteMode")


class EmptyResponse(WireModel):
    pass


class QueryZoneRequest(_Request):
    conditions: list[str] = Field(default_factory=list, alias="q")
    limit: int | None = None
    start: int | None = None
    count: bool | None = None
    reply_with_count: bool | None = Field(default=None, alias="replyWithCount")
    sort_by: str | None = Field(default=None, alias="sortBy")
    sort_direction: str | None = Field(default=None, alias="sortDirection")
    fields: list[str] | None = None


class QueryZoneResponse(WireModel):
    inventories: list[ZoneInventory] | None = None
    total: GsonInt | None = None


class StartVmInstanceRequest(_Request):
    uuid: str
    host_uuid: str | None = Field(default=None, alias="hostUuid")


class StopVmInstanceRequest(_Request):
    uuid: str
    type: str | None = None


class VmResponse(WireModel):
    inventory: VmInventory | None = None


_CREATE_ZONE = OperationSpec(
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
_DELETE_ZONE = OperationSpec(
    "DeleteZone",
    "DELETE",
    "/v1/zones/{uuid}",
    None,
    (ParamSpec("uuid", "uuid", "path"), ParamSpec("delete_mode", "deleteMode", "query")),
)
_QUERY_ZONE = OperationSpec(
    "QueryZone",
    "GET",
    "/v1/zones",
    None,
    (
        ParamSpec("conditions", "q", "query"),
        ParamSpec("limit", "limit", "query"),
        ParamSpec("start", "start", "query"),
        ParamSpec("count", "count", "query"),
        ParamSpec("reply_with_count", "replyWithCount", "query"),
        ParamSpec("sort_by", "sortBy", "query"),
        ParamSpec("sort_direction", "sortDirection", "query"),
        ParamSpec("fields", "fields", "query"),
    ),
    is_query=True,
)
_START_VM = OperationSpec(
    "StartVmInstance",
    "PUT",
    "/v1/vm-instances/{uuid}/actions",
    "startVmInstance",
    (ParamSpec("uuid", "uuid", "path"), ParamSpec("host_uuid", "hostUuid", "body")),
)
_STOP_VM = OperationSpec(
    "StopVmInstance",
    "PUT",
    "/v1/vm-instances/{uuid}/actions",
    "stopVmInstance",
    (ParamSpec("uuid", "uuid", "path"), ParamSpec("type", "type", "body")),
)


class ZoneApi:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def create_zone(
        self,
        *,
        name: str,
        description: str | None = None,
        created_after: datetime | None = None,
        system_tags: list[str] | None = None,
    ) -> ZoneResponse:
        request = CreateZoneRequest(
            name=name, description=description, created_after=created_after, system_tags=system_tags
        )
        return self._transport.call(_CREATE_ZONE, request, ZoneResponse)

    def delete_zone(self, *, uuid: str, delete_mode: str | None = None) -> EmptyResponse:
        return self._transport.call(_DELETE_ZONE, DeleteZoneRequest(uuid=uuid, delete_mode=delete_mode), EmptyResponse)

    def query_zone(self, *, conditions: list[str] | None = None, **options: object) -> QueryZoneResponse:
        request = QueryZoneRequest.model_validate({"conditions": conditions or [], **options})
        return self._transport.call(_QUERY_ZONE, request, QueryZoneResponse)


class VmInstanceApi:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def start_vm_instance(self, *, uuid: str, host_uuid: str | None = None) -> VmResponse:
        return self._transport.call(_START_VM, StartVmInstanceRequest(uuid=uuid, host_uuid=host_uuid), VmResponse)

    def stop_vm_instance(self, *, uuid: str, type: str | None = None) -> VmResponse:
        return self._transport.call(_STOP_VM, StopVmInstanceRequest(uuid=uuid, type=type), VmResponse)


class AsyncZoneApi:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def create_zone(self, *, name: str, description: str | None = None) -> ZoneResponse:
        request = CreateZoneRequest(name=name, description=description)
        return await self._transport.call(_CREATE_ZONE, request, ZoneResponse)

    async def query_zone(self, *, conditions: list[str] | None = None, **options: object) -> QueryZoneResponse:
        request = QueryZoneRequest.model_validate({"conditions": conditions or [], **options})
        return await self._transport.call(_QUERY_ZONE, request, QueryZoneResponse)


class Client(BaseClient):
    @property
    def zone(self) -> ZoneApi:
        return ZoneApi(self._transport)

    @property
    def vm_instance(self) -> VmInstanceApi:
        return VmInstanceApi(self._transport)


class AsyncClient(AsyncBaseClient):
    @property
    def zone(self) -> AsyncZoneApi:
        return AsyncZoneApi(self._transport)
