"""Shared fixtures: a lessons directory of our own when a test edits lesson files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.daphne import static_collect

SEED = Path(__file__).resolve().parents[1] / "lessons" / "content" / "why-async-matters.md"


@pytest.fixture(scope="session", autouse=True)
def static_files_collected() -> None:
    """Pages name static files by their hashed names, from collectstatic's manifest."""
    static_collect()


@pytest.fixture(autouse=True)
def rate_limits_reset() -> None:
    """Each test starts with fresh rate-limit counters (they live in the process's cache)."""
    cache.clear()


@pytest.fixture
def lessons_dir(tmp_path: Path, settings) -> Path:
    """A lessons directory holding a copy of the seed lesson, used instead of the real one."""
    directory = tmp_path / "content"
    directory.mkdir()
    shutil.copy(SEED, directory / SEED.name)
    settings.LESSONS_DIR = directory
    return directory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which asyncio tests after it cannot share."""
    items.sort(key=lambda item: "browser" in item.path.parts)
