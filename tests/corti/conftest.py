"""Fixtures for the Corti client tests: a live token endpoint and a clock."""

from collections.abc import Iterator

import pytest
from testkit.corti import FakeClock, TokenServer


@pytest.fixture
def token_server() -> Iterator[TokenServer]:
    server = TokenServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
