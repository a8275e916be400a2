"""Shared fixtures: a lessons directory of our own when a test edits lesson files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[1] / "lessons" / "content" / "why-async-matters.md"


@pytest.fixture
def lessons_dir(tmp_path: Path, settings) -> Path:
    """A lessons directory holding a copy of the seed lesson, used instead of the real one."""
    directory = tmp_path / "content"
    directory.mkdir()
    shutil.copy(SEED, directory / SEED.name)
    settings.LESSONS_DIR = directory
    return directory
