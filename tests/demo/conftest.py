"""A real Daphne server for the demo tests, started as `make run` starts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.daphne import WAIT_TIME, RunningServer, daphne_running

# The demo tests' names for what tests/daphne.py provides.
DemoServer = RunningServer
__all__ = ["WAIT_TIME", "DemoServer", "demo_server"]


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    with daphne_running(tmp_path_factory.mktemp("demo-daphne")) as server:
        yield server
