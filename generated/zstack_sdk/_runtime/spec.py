"""Static description of one operation, written by the generator and read by the transports.

The generated code holds one module-level `OperationSpec` per operation; the runtime never knows an
operation by name, only through these values.
"""

from dataclasses import dataclass
from typing import Literal

Location = Literal["path", "query", "body", "body-top"]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    attr: str  # attribute name on the request model (snake_case, safe)
    wire: str  # name on the wire (documented camelCase; `q` for Query conditions)
    location: Location


@dataclass(frozen=True, slots=True)
class OperationSpec:
    operation_id: str  # "CreateVmCdRom"
    method: str  # "GET" | "POST" | "PUT" | "DELETE"
    path: str  # template below the context path: "/v1/vm-instances/{uuid}/actions"
    wrapper: str | None  # repaired body wrapper key ("params", "startVmInstance") or None
    params: tuple[ParamSpec, ...]
    is_query: bool = False  # Query API: conditions as repeated q=, sort=+f/-f, pagination
    auth: bool = True  # False for login/logout/validate-session APIs
