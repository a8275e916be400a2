"""Reading lessons: the catalogue, one lesson, and the problems instructors must fix.

Each file is parsed once per version (modification time and size) and kept in memory. When
an edit breaks a file, the last good version of that lesson keeps being served and the
problems are kept for staff to see, so a typo never takes a lesson off the site.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from lessons.files import display_path, lesson_paths, lessons_dir
from lessons.format.parser import SLUG
from lessons.types import Lesson, Problem
from lessons.validation import lesson_full_load

logger = logging.getLogger(__name__)


@dataclass
class LessonFileState:
    version: tuple[int, int]
    good: Lesson | None
    problems: list[Problem] = field(default_factory=list)


_states: dict[Path, LessonFileState] = {}
_lock = threading.Lock()


def _refresh() -> list[LessonFileState]:
    paths = lesson_paths()
    states = []
    with _lock:
        for stale in set(_states) - set(paths):
            del _states[stale]
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue
            version = (stat.st_mtime_ns, stat.st_size)
            state = _states.get(path)
            if state is None or state.version != version:
                result = lesson_full_load(path)
                label = f"{stat.st_mtime_ns}-{stat.st_size}"
                fresh = result.lesson and replace(result.lesson, version=label)
                good = fresh or (state.good if state else None)
                if result.problems:
                    logger.warning(
                        "Lesson file %s has problems; serving its last good version:\n%s",
                        display_path(path),
                        "\n".join(str(problem) for problem in result.problems),
                    )
                state = LessonFileState(version, good, result.problems)
                _states[path] = state
            states.append(state)
    return states


def lessons_list() -> list[Lesson]:
    """Every lesson that has a good version, in course order."""
    lessons = [state.good for state in _refresh() if state.good is not None]
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.title))


def lesson_get(*, slug: str) -> Lesson | None:
    return next((lesson for lesson in lessons_list() if lesson.slug == slug), None)


def lesson_problems_list() -> list[Problem]:
    """Problems in the current version of every lesson file (empty when all are good)."""
    return [problem for state in _refresh() for problem in state.problems]


def lesson_problems_for(*, slug: str) -> list[Problem]:
    """Problems of the file that holds the lesson `slug` (by file name)."""
    return [
        problem
        for state in _refresh()
        for problem in state.problems
        if Path(problem.path).stem == slug
    ]


@dataclass(frozen=True)
class LessonPreview:
    """What an instructor sees while editing: the file's current problems, and the lesson as
    learners get it (the current version when it is good, else the last good one)."""

    path: str
    version: str
    lesson: Lesson | None
    problems: list[Problem]


def _is_file(path: Path) -> bool:
    # A name longer than the file system allows (255 bytes on most) raises rather than
    # answering False: it names no lesson either.
    try:
        return path.is_file()
    except OSError:
        return False


def lesson_file_preview(*, slug: str) -> LessonPreview | None:
    path = lessons_dir() / f"{slug}.md"
    if not SLUG.match(slug) or not _is_file(path):
        return None
    _refresh()
    with _lock:
        state = _states.get(path)
    if state is None:
        return None
    mtime_ns, size = state.version
    return LessonPreview(
        path=display_path(path),
        version=f"{mtime_ns}-{size}",
        lesson=state.good,
        problems=list(state.problems),
    )
