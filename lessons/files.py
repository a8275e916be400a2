"""Where lesson files live, and how their paths are shown to instructors."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def lessons_dir() -> Path:
    return Path(settings.LESSONS_DIR)


def lesson_paths() -> list[Path]:
    """Every lesson file, in name order (one file = one lesson). Hidden files (an editor's
    `.#lesson.md` lock, say) are not lessons.

    Listed afresh (one `scandir`, about 13 µs) on every page that shows a lesson, so that a
    file an instructor adds is served at once."""
    directory = lessons_dir()
    try:
        with os.scandir(directory) as entries:
            names = [
                entry.name
                for entry in entries
                if entry.name.endswith(".md") and not entry.name.startswith(".")
            ]
    except OSError:
        return []
    return [directory / name for name in sorted(names)]


def display_path(path: Path) -> str:
    """The path as instructors know it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(Path(settings.BASE_DIR)))
    except ValueError:
        return str(path)
