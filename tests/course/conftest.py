"""A real Daphne server for the tests of what only a server shows (static files, bodies
Twisted sees before Django, logs), started as `make run` starts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.daphne import RunningServer, daphne_running


@pytest.fixture(scope="session")
def site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with daphne_running(tmp_path_factory.mktemp("site-daphne")) as server:
        yield server
