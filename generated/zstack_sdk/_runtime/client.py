"""`BaseClient` / `AsyncBaseClient`: configuration, session handling, lifecycle.

The generated `Client(BaseClient)` / `AsyncClient(AsyncBaseClient)` add one lazily created API
group per docs group (`client.vm_instance`), each holding `self._transport`.

    with Client("http://mn:8080/zstack") as client:
        client.login("admin", "password")        # SHA-512 sent; logged out again on exit
        client.vm_instance.start_vm_instance(uuid=...)
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Mapping
from datetime import tzinfo
from types import TracebackType
from typing import Self

import httpx
from pydantic import BaseModel, Field

from .auth import hash_password
from .errors import SdkError
from .spec import OperationSpec, ParamSpec
from .transport import AsyncTransport, Credentials, SyncTransport, TransportConfig
from .wire import WireModel, ZStackDatetime

__all__ = ["AsyncBaseClient", "BaseClient", "LoginResponse", "SessionInventory", "ValidateSessionResponse"]

_log = logging.getLogger(__name__)

LOGIN_SPEC = OperationSpec(
    operation_id="LogInByAccount",
    method="PUT",
    path="/v1/accounts/login",
    wrapper="logInByAccount",
    params=(ParamSpec("account_name", "accountName", "body"), ParamSpec("password", "password", "body")),
    auth=False,
)
LOGOUT_SPEC = OperationSpec(
    operation_id="LogOut",
    method="DELETE",
    path="/v1/accounts/sessions/{sessionUuid}",
    wrapper=None,
    params=(ParamSpec("session_uuid", "sessionUuid", "path"),),
    auth=False,
)
VALIDATE_SESSION_SPEC = OperationSpec(
    operation_id="ValidateSession",
    method="GET",
    path="/v1/accounts/sessions/{sessionUuid}/valid",
    wrapper=None,
    params=(ParamSpec("session_uuid", "sessionUuid", "path"),),
    auth=False,
)


class _LoginRequest(BaseModel):
    account_name: str = Field(serialization_alias="accountName")
    password: str


class _SessionRequest(BaseModel):
    session_uuid: str = Field(serialization_alias="sessionUuid")


class SessionInventory(WireModel):
    uuid: str | None = None
    account_uuid: str | None = Field(default=None, alias="accountUuid")
    user_uuid: str | None = Field(default=None, alias="userUuid")
    user_type: str | None = Field(default=None, alias="userType")
    expired_date: ZStackDatetime | None = Field(default=None, alias="expiredDate")
    create_date: ZStackDatetime | None = Field(default=None, alias="createDate")


class LoginResponse(WireModel):
    inventory: SessionInventory | None = None


class ValidateSessionResponse(WireModel):
    valid: bool = False


class _EmptyResponse(WireModel):
    pass


def _session_inventory(response: LoginResponse) -> SessionInventory:
    if response.inventory is None or not response.inventory.uuid:
        raise SdkError("login answered without inventory.uuid")
    return response.inventory


class _ClientBase:
    """Argument handling shared by the sync and async clients."""

    def __init__(
        self,
        base_url: str,
        *,
        session_uuid: str | None,
        access_key_id: str | None,
        access_key_secret: str | None,
        access_key_timezone: tzinfo | None,
        timeout: float,
        poll_interval: float,
        poll_timeout: float | None,
        max_retries: int,
        retry_backoff: float,
        verify: bool | str | ssl.SSLContext,
        headers: Mapping[str, str] | None,
        relogin: bool,
    ) -> None:
        self._config = TransportConfig(
            base_url=base_url,
            timeout=timeout,
            poll_interval=poll_interval,
            poll_timeout=poll_timeout,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            verify=verify,
            headers=dict(headers or {}),
        )
        self._credentials = Credentials.create(session_uuid, access_key_id, access_key_secret, access_key_timezone)
        self._relogin_enabled = relogin
        self._login_credentials: tuple[str, str] | None = None  # (account, sha512) for one re-login
        self._owns_session = False  # logged in by this client: log out on close

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def session_uuid(self) -> str | None:
        return self._credentials.session_uuid

    @session_uuid.setter
    def session_uuid(self, value: str | None) -> None:
        self._credentials.session_uuid = value
        self._owns_session = False

    def _login_request(self, account_name: str, password: str) -> _LoginRequest:
        hashed = hash_password(password)
        if self._relogin_enabled:
            self._login_credentials = (account_name, hashed)
        return _LoginRequest(account_name=account_name, password=hashed)

    def _adopt_session(self, response: LoginResponse) -> SessionInventory:
        inventory = _session_inventory(response)
        self._credentials.session_uuid = inventory.uuid
        self._owns_session = True
        return inventory

    def _forget_session(self) -> None:
        self._credentials.session_uuid = None
        self._owns_session = False
        self._login_credentials = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._config.base_url!r}, credentials={self._credentials!r})"


class BaseClient(_ClientBase):
    """Blocking client; a context manager that closes its connection pool (and its own session)."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080/zstack",
        *,
        session_uuid: str | None = None,
        access_key_id: str | None = None,
        access_key_secret: str | None = None,
        access_key_timezone: tzinfo | None = None,
        timeout: float = 30.0,
        poll_interval: float = 0.5,
        poll_timeout: float | None = None,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        relogin: bool = True,
    ) -> None:
        super().__init__(
            base_url,
            session_uuid=session_uuid,
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            access_key_timezone=access_key_timezone,
            timeout=timeout,
            poll_interval=poll_interval,
            poll_timeout=poll_timeout,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            verify=verify,
            headers=headers,
            relogin=relogin,
        )
        self._transport = SyncTransport(self._config, credentials=self._credentials, http_transport=transport)

    def login(self, account_name: str, password: str) -> SessionInventory:
        """Log in with an account (the SHA-512 hex of `password` is sent) and use the new session."""
        response = self._transport.call(LOGIN_SPEC, self._login_request(account_name, password), LoginResponse)
        inventory = self._adopt_session(response)
        if self._login_credentials is not None:
            self._transport.set_relogin(self._relogin)
        return inventory

    def _relogin(self) -> None:
        if self._login_credentials is None:
            raise SdkError("no credentials to log in again with")
        account, hashed = self._login_credentials
        request = _LoginRequest(account_name=account, password=hashed)
        self._adopt_session(self._transport.call(LOGIN_SPEC, request, LoginResponse))

    def logout(self) -> None:
        """End the current session on the server (no-op without one)."""
        session = self._credentials.session_uuid
        if session is None:
            return
        self._transport.set_relogin(None)
        try:
            self._transport.call(LOGOUT_SPEC, _SessionRequest(session_uuid=session), _EmptyResponse)
        finally:
            self._forget_session()

    def validate_session(self, session_uuid: str | None = None) -> bool:
        """Whether the server still accepts the session (the current one by default)."""
        session = session_uuid or self._credentials.session_uuid
        if session is None:
            return False
        response = self._transport.call(
            VALIDATE_SESSION_SPEC, _SessionRequest(session_uuid=session), ValidateSessionResponse
        )
        return response.valid

    def close(self) -> None:
        """Log out if this client logged in itself, then close the connection pool."""
        try:
            if self._owns_session:
                self.logout()
        except SdkError as exc:  # closing must not fail because the server is gone
            _log.warning("logout on close failed: %s", exc)
        finally:
            self._transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


class AsyncBaseClient(_ClientBase):
    """asyncio client; an async context manager that closes its pool (and its own session)."""

    def __init__(
        self,
        base_url: str = "http://localhost:8080/zstack",
        *,
        session_uuid: str | None = None,
        access_key_id: str | None = None,
        access_key_secret: str | None = None,
        access_key_timezone: tzinfo | None = None,
        timeout: float = 30.0,
        poll_interval: float = 0.5,
        poll_timeout: float | None = None,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.AsyncBaseTransport | None = None,
        headers: Mapping[str, str] | None = None,
        relogin: bool = True,
    ) -> None:
        super().__init__(
            base_url,
            session_uuid=session_uuid,
            access_key_id=access_key_id,
            access_key_secret=access_key_secret,
            access_key_timezone=access_key_timezone,
            timeout=timeout,
            poll_interval=poll_interval,
            poll_timeout=poll_timeout,
            max_retries=max_retries,
            retry_backoff=retry_backoff,
            verify=verify,
            headers=headers,
            relogin=relogin,
        )
        self._transport = AsyncTransport(self._config, credentials=self._credentials, http_transport=transport)

    async def login(self, account_name: str, password: str) -> SessionInventory:
        """Log in with an account (the SHA-512 hex of `password` is sent) and use the new session."""
        request = self._login_request(account_name, password)
        response = await self._transport.call(LOGIN_SPEC, request, LoginResponse)
        inventory = self._adopt_session(response)
        if self._login_credentials is not None:
            self._transport.set_relogin(self._relogin)
        return inventory

    async def _relogin(self) -> None:
        if self._login_credentials is None:
            raise SdkError("no credentials to log in again with")
        account, hashed = self._login_credentials
        request = _LoginRequest(account_name=account, password=hashed)
        self._adopt_session(await self._transport.call(LOGIN_SPEC, request, LoginResponse))

    async def logout(self) -> None:
        """End the current session on the server (no-op without one)."""
        session = self._credentials.session_uuid
        if session is None:
            return
        self._transport.set_relogin(None)
        try:
            await self._transport.call(LOGOUT_SPEC, _SessionRequest(session_uuid=session), _EmptyResponse)
        finally:
            self._forget_session()

    async def validate_session(self, session_uuid: str | None = None) -> bool:
        """Whether the server still accepts the session (the current one by default)."""
        session = session_uuid or self._credentials.session_uuid
        if session is None:
            return False
        response = await self._transport.call(
            VALIDATE_SESSION_SPEC, _SessionRequest(session_uuid=session), ValidateSessionResponse
        )
        return response.valid

    async def aclose(self) -> None:
        """Log out if this client logged in itself, then close the connection pool."""
        try:
            if self._owns_session:
                await self.logout()
        except SdkError as exc:
            _log.warning("logout on close failed: %s", exc)
        finally:
            await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await self.aclose()
