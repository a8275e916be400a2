"""Shared fixtures.

The whole suite runs against a lessons directory of its own: every lesson file in
`lessons/content/` plus the suite's small fixture lesson (`tests/lessons/fixtures/`), so that
every page, command and test proves that several lessons live side by side. An instructor's
new file dropped into `lessons/content/` is part of the run too.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.daphne import static_collect

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "lessons" / "content"
FIXTURES = Path(__file__).resolve().parent / "lessons" / "fixtures"
SEED_SLUG = "why-async-matters"
SEED = CONTENT / f"{SEED_SLUG}.md"
FIXTURE_SLUG = "greet-politely"


def lesson_files() -> list[Path]:
    """Every lesson file the suite serves: the course's own and the fixture lesson."""
    return sorted([*CONTENT.glob("*.md"), *FIXTURES.glob("*.md")])


@pytest.fixture(scope="session", autouse=True)
def suite_lessons_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The lessons directory of the run, also handed to every server the tests start."""
    directory = tmp_path_factory.mktemp("lessons")
    for path in lesson_files():
        (directory / path.name).symlink_to(path)
    from django.conf import settings

    previous = settings.LESSONS_DIR, os.environ.get("COURSE_LESSONS_DIR")
    settings.LESSONS_DIR = directory
    os.environ["COURSE_LESSONS_DIR"] = str(directory)
    # The last good versions the run keeps (lessons.store) stay out of the project's cache.
    cache = tmp_path_factory.mktemp("lesson-cache")
    previous_cache = settings.LESSON_CACHE_DIR, os.environ.get("COURSE_LESSON_CACHE_DIR")
    settings.LESSON_CACHE_DIR = cache
    os.environ["COURSE_LESSON_CACHE_DIR"] = str(cache)
    yield directory
    settings.LESSONS_DIR = previous[0]
    settings.LESSON_CACHE_DIR = previous_cache[0]
    for name, value in (
        ("COURSE_LESSONS_DIR", previous[1]),
        ("COURSE_LESSON_CACHE_DIR", previous_cache[1]),
    ):
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def pytest_sessionstart(session: pytest.Session) -> None:
    """Pages name static files by their hashed names, from collectstatic's manifest. Collected
    before any test module is imported: importing the ASGI application sets up ServeStatic,
    which reads the manifest once."""
    static_collect()


@pytest.fixture(autouse=True)
def rate_limits_reset() -> None:
    """Each test starts with fresh rate-limit counters (they live in the process's cache)."""
    cache.clear()


@pytest.fixture
def lessons_dir(tmp_path: Path, settings) -> Path:
    """A lessons directory holding copies of the suite's lessons, for tests that edit files."""
    directory = tmp_path / "content"
    directory.mkdir()
    for path in lesson_files():
        shutil.copy(path, directory / path.name)
    settings.LESSONS_DIR = directory
    return directory


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: Playwright's sync API keeps an event loop running in the
    main thread for the rest of the session, which asyncio tests after it cannot share."""
    items.sort(key=lambda item: "browser" in item.path.parts)
