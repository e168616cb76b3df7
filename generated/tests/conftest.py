"""Fixtures of the generated tests: one fake server and one logged-in client per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zstack_sdk import Client
from zstack_sdk.testing import DEFAULT_ACCOUNT, DEFAULT_PASSWORD, FakeZStack


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeZStack]:
    with FakeZStack() as server:
        yield server


@pytest.fixture(scope="module")
def client(fake: FakeZStack) -> Iterator[Client]:
    with Client(fake.base_url, poll_interval=0.001, retry_backoff=0.001, max_retries=1, timeout=10.0) as api:
        api.login(DEFAULT_ACCOUNT, DEFAULT_PASSWORD)
        yield api


@pytest.fixture(autouse=True)
def _fresh_requests(fake: FakeZStack) -> None:
    fake.clear_requests()
