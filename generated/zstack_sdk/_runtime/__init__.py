"""SDK runtime: HTTP, auth, the async-job protocol, retries, errors, Gson types and query helpers.

Static code copied verbatim into every generated package as `<pkg>/_runtime/`; it never imports the
package by name, so it works under any package name. The contract with the generated code is
`docs/sdk-runtime-interface.md` in the sdkgen repository.
"""

from .auth import AccessKey, hash_password
from .client import AsyncBaseClient, BaseClient, LoginResponse, SessionInventory
from .errors import (
    AuthError,
    HttpError,
    InvalidArgumentError,
    JobExpiredError,
    JobTimeoutError,
    NotFoundError,
    OperationTimeoutError,
    PermissionDeniedError,
    ResponseValidationError,
    SdkError,
    SessionExpiredError,
    TransportError,
    ZStackError,
)
from .query import (
    Condition,
    Q,
    acount,
    aget_one,
    aiter_pages,
    apaginate,
    count,
    get_one,
    iter_pages,
    paginate,
)
from .spec import OperationSpec, ParamSpec
from .transport import AsyncTransport, Credentials, SyncTransport, TransportConfig
from .wire import GsonFloat, GsonInt, WireModel, ZStackDatetime

__all__ = [
    "AccessKey",
    "AsyncBaseClient",
    "AsyncTransport",
    "AuthError",
    "BaseClient",
    "Condition",
    "Credentials",
    "GsonFloat",
    "GsonInt",
    "HttpError",
    "InvalidArgumentError",
    "JobExpiredError",
    "JobTimeoutError",
    "LoginResponse",
    "NotFoundError",
    "OperationSpec",
    "OperationTimeoutError",
    "ParamSpec",
    "PermissionDeniedError",
    "Q",
    "ResponseValidationError",
    "SdkError",
    "SessionExpiredError",
    "SessionInventory",
    "SyncTransport",
    "TransportConfig",
    "TransportError",
    "WireModel",
    "ZStackDatetime",
    "ZStackError",
    "acount",
    "aget_one",
    "aiter_pages",
    "apaginate",
    "count",
    "get_one",
    "hash_password",
    "iter_pages",
    "paginate",
]
