"""Assemble a throwaway generated-looking package from templates/runtime and put it on sys.path.

Layout, as the generator writes it: runtime_testpkg/_runtime/ (templates/runtime minus testing.py),
runtime_testpkg/testing.py, runtime_testpkg/__init__.py (tests/runtime/fakepkg_init.py), runtime_testpkg/fixtures/*.json.
"""

from __future__ import annotations

import atexit
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RUNTIME_SOURCE = HERE.parents[1] / "templates" / "runtime"
PACKAGE = "runtime_testpkg"

ZONE_INVENTORY = {
    "uuid": "b729da71b1c7412781d5de22229d5e17",
    "name": "zone-1",
    "description": "first zone",
    "state": "Enabled",
    "cpuNum": 8.0,
    "memorySize": 8.589934592e9,
    "ratio": 1,
    "createDate": "Nov 14, 2017 10:20:57 PM",
}

FIXTURES: list[dict[str, Any]] = [
    {
        "operation_id": "CreateZone",
        "method": "POST",
        "path": "/v1/zones",
        "wrapper": "params",
        "is_query": False,
        "request": {"path": {}, "query": {}, "body": {"params": {"name": "zone-1"}}},
        "response": {"inventory": ZONE_INVENTORY},
    },
    {
        "operation_id": "DeleteZone",
        "method": "DELETE",
        "path": "/v1/zones/{uuid}",
        "wrapper": None,
        "is_query": False,
        "request": {"path": {"uuid": ZONE_INVENTORY["uuid"]}, "query": {}, "body": None},
        "response": {},
    },
    {
        "operation_id": "QueryZone",
        "method": "GET",
        "path": "/v1/zones",
        "wrapper": None,
        "is_query": True,
        "request": {"path": {}, "query": {"q": "name=zone-1"}, "body": None},
        "response": {"inventories": [ZONE_INVENTORY]},
    },
    {
        "operation_id": "StartVmInstance",
        "method": "PUT",
        "path": "/v1/vm-instances/{uuid}/actions",
        "wrapper": "startVmInstance",
        "is_query": False,
        "request": {"path": {"uuid": "vm1"}, "query": {}, "body": {"startVmInstance": {}}},
        "response": {"inventory": {"uuid": "vm1", "state": "Running"}},
    },
    {
        "operation_id": "StopVmInstance",
        "method": "PUT",
        "path": "/v1/vm-instances/{uuid}/actions",
        "wrapper": "stopVmInstance",
        "is_query": False,
        "request": {"path": {"uuid": "vm1"}, "query": {}, "body": {"stopVmInstance": {}}},
        "response": {"inventory": {"uuid": "vm1", "state": "Stopped"}},
    },
]


def build_package(root: Path, name: str = PACKAGE, *, init: str | None = None) -> Path:
    """The package; `init` replaces the stand-in generated `__init__.py` (e.g. "" for static checks)."""
    package = root / name
    shutil.copytree(
        RUNTIME_SOURCE, package / "_runtime", ignore=shutil.ignore_patterns("testing.py", "__pycache__", "*.pyc")
    )
    shutil.copy(RUNTIME_SOURCE / "testing.py", package / "testing.py")
    if init is None:
        shutil.copy(HERE / "fakepkg_init.py", package / "__init__.py")
    else:
        (package / "__init__.py").write_text(init, encoding="utf-8")
    fixtures = package / "fixtures"
    fixtures.mkdir()
    for fixture in FIXTURES:
        (fixtures / f"{fixture['operation_id']}.json").write_text(json.dumps(fixture, indent=2), encoding="utf-8")
    return package


_ROOT = Path(tempfile.mkdtemp(prefix="sdkgen-runtime-"))
atexit.register(shutil.rmtree, _ROOT, True)
build_package(_ROOT)
sys.path.insert(0, str(_ROOT))

# The plugin part of testing.py: importing the fixture functions registers them, as the
# generated package's pytest11 entry point would.
from runtime_testpkg.testing import zstack_client, zstack_fake  # noqa: E402

__all__ = ["zstack_client", "zstack_fake"]
