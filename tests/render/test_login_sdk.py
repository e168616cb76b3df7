"""An SDK built from a page of every login API passes its own generated tests against its fake server.

LogInByAccount and LogInByUser have no page in the corpus (tests/data/login/ holds two written in the
corpus' bulleted layout, from the REST reference: path, wrapper, fields, the SHA-512 password); the
other logins are corpus pages. The fake server answers LogInByAccount itself and checks the account
and the password's SHA-512 digest, so the generated test must send a digest it knows.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.render import render_sdk
from generator.render.output import write_tree
from generator.scrape import scrape_paths
from tests.conftest import CORPUS, DATA, ROOT

PACKAGE = "login_sdk"
LOGINS = {
    "LogInByAccount": DATA / "login" / "LogInByAccount.txt",
    "LogInByUser": DATA / "login" / "LogInByUser.txt",
    "LogIn": CORPUS / "text" / "LogIn.txt",
    "LoginIAM2Platform": CORPUS / "text" / "LoginIAM2Platform.txt",
    "LoginIAM2Project": CORPUS / "text" / "LoginIAM2Project.txt",
    "LoginIAM2VirtualID": CORPUS / "text" / "LoginIAM2VirtualID.txt",
    "LogOut": CORPUS / "text" / "LogOut.txt",
}


@pytest.fixture(scope="module")
def login_sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.chdir(ROOT)
    ir = scrape_paths([path.relative_to(ROOT) for path in LOGINS.values()], jobs=1).ir
    assert sorted(e.operation_id for e in ir.endpoints) == sorted(LOGINS)
    out = tmp_path_factory.mktemp("login") / "generated"
    write_tree(render_sdk(ir, PACKAGE).files, out)
    return out


def test_the_login_test_sends_the_documented_request_with_a_sha512_password(login_sdk: Path) -> None:
    fixture = json.loads((login_sdk / PACKAGE / "fixtures" / "LogInByAccount.json").read_text(encoding="utf-8"))
    sent = fixture["request"]["body"]["logInByAccount"]
    assert sent["password"] == hashlib.sha512(b"example-password").hexdigest()
    assert fixture["response"]["inventory"]["uuid"]  # the documented session, which the fake then knows
    tests = (login_sdk / "tests" / "test_operations.py").read_text(encoding="utf-8")
    assert 'password=hashlib.sha512(b"example-password").hexdigest()' in tests


def test_the_login_sdk_passes_ruff(login_sdk: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=login_sdk, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.fixture
def generated_tests(login_sdk: Path) -> Iterator[ModuleType]:
    """The generated `tests/test_operations.py`, imported in this process (as `login_sdk_tests`)."""
    sys.path.insert(0, str(login_sdk))
    spec = importlib.util.spec_from_file_location(
        "login_sdk_tests", login_sdk / "tests" / "__init__.py", submodule_search_locations=[str(login_sdk / "tests")]
    )
    assert spec is not None and spec.loader is not None
    package = importlib.util.module_from_spec(spec)
    sys.modules["login_sdk_tests"] = package
    spec.loader.exec_module(package)
    try:
        yield importlib.import_module("login_sdk_tests.test_operations")
    finally:
        sys.path.remove(str(login_sdk))
        for name in [m for m in sys.modules if m.split(".")[0] in (PACKAGE, "login_sdk_tests")]:
            del sys.modules[name]


def test_every_login_api_passes_its_generated_test_in_process(generated_tests: ModuleType) -> None:
    """The fast variant: the generated test functions, called with the fixtures the generated conftest gives."""
    sdk = importlib.import_module(PACKAGE)
    testing = importlib.import_module(f"{PACKAGE}.testing")
    tests = {name: f for name, f in vars(generated_tests).items() if name.startswith("test_") and callable(f)}
    assert {name.removeprefix("test_account_").removeprefix("test_iam2_") for name in tests} >= {
        "log_in_by_account",
        "log_in_by_user",
        "log_out",
    }
    options = {"poll_interval": 0.001, "retry_backoff": 0.001, "max_retries": 1}
    with testing.FakeZStack() as fake, sdk.Client(fake.base_url, **options) as client:
        client.login(testing.DEFAULT_ACCOUNT, testing.DEFAULT_PASSWORD)
        for _, test in sorted(tests.items()):
            fake.clear_requests()
            arguments: dict[str, Any] = {"fake": fake, "client": client}
            test(**{p: arguments[p] for p in inspect.signature(test).parameters})
    assert len(tests) == len(LOGINS) + 1  # and the async variant of one


@pytest.mark.slow
def test_every_login_api_passes_its_generated_tests_with_pytest(login_sdk: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(login_sdk))
    env.pop("PYTEST_ADDOPTS", None)
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE, "tests"]
    checked = subprocess.run(mypy, cwd=login_sdk, env=env, capture_output=True, text=True, timeout=600)
    assert checked.returncode == 0, checked.stdout[-4000:]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests"],
        cwd=login_sdk,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed is not None and int(passed.group(1)) == len(LOGINS) + 1  # and the async variant
