"""Truth tests: each proves one statement a lesson makes, against the Django, asyncio and
server the course runs. A test's docstring names the lesson and the statement.

Unit-level truths run in-process with a short `WAIT_TIME`; server-level ones against a real
Daphne started as `make run` starts it (tests/daphne.py). Times only tell one wait from two,
or overlap from queueing, with generous bounds: budgets are the benches' business.
"""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Iterator

import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from articles.models import Article
from demo import showcase
from lessons.format import lesson_file_load
from tests.conftest import CONTENT
from tests.daphne import RunningServer, daphne_running

# Short enough to keep the suite quick, long enough that one wait is told from two.
WAIT = 0.2
ARTICLES = [(1, "Why async matters"), (2, "Async ORM"), (3, "Gather")]


def worker_connections_close() -> None:
    # Django's SQLite wrapper ignores close() on the in-memory test database; the test's own
    # connection keeps that database alive, so this worker's may go for real.
    for connection in connections.all(initialized_only=True):
        BaseDatabaseWrapper.close(connection)


@pytest.fixture
async def articles(transactional_db: None) -> AsyncIterator[None]:
    """The seeded rows. Transactional: the async ORM queries from a worker thread, whose
    connection would not see rows inside the test's own transaction.

    Afterwards that worker's connection is closed: it outlives the test, and a later test
    without database access that closes old connections in the same thread (Channels'
    consumers do) would otherwise touch the database and be refused."""
    for pk, title in ARTICLES:
        await Article.objects.aupdate_or_create(pk=pk, defaults={"title": title, "body": "…"})
    yield
    await sync_to_async(worker_connections_close)()


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> float:
    """The demo views read the module's WAIT_TIME when they run."""
    monkeypatch.setattr(showcase, "WAIT_TIME", WAIT)
    return WAIT


def final_solution(slug: str) -> types.ModuleType:
    """The lesson's last step's Solution, read from the lesson file, as a module."""
    result = lesson_file_load(path=CONTENT / f"{slug}.md")
    assert result.lesson is not None, result.problems
    code = result.lesson.steps[-1].solution
    module = types.ModuleType(slug.replace("-", "_"))
    exec(compile(code, f"{slug}.md", "exec"), module.__dict__)
    return module


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with daphne_running(tmp_path_factory.mktemp("truth-daphne")) as running:
        yield running


def db_handles(server: RunningServer) -> int:
    """Open descriptors on the server's SQLite file and its -wal/-shm companions."""
    prefix = str(server.log_path.parent / "server.sqlite3")
    return sum(1 for f in server.process.open_files() if f.path.startswith(prefix))
