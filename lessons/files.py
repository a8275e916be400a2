"""Where lesson files live, and how their paths are shown to instructors."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def lessons_dir() -> Path:
    return Path(settings.LESSONS_DIR)


def lesson_paths() -> list[Path]:
    """Every lesson file, in name order (one file = one lesson)."""
    try:
        return sorted(lessons_dir().glob("*.md"))
    except OSError:
        return []


def display_path(path: Path) -> str:
    """The path as instructors know it: relative to the project when it is inside it."""
    try:
        return str(path.relative_to(Path(settings.BASE_DIR)))
    except ValueError:
        return str(path)
