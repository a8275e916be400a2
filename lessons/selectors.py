"""Reading lessons: the catalogue, one lesson, and the problems instructors must fix.

Each file is parsed once per version (modification time and size) and kept in memory. When
an edit breaks a file, the last good version of that lesson keeps being served and the
problems are kept for staff to see, so a typo never takes a lesson off the site. The last
good version is also kept on disk (`lessons.store`), so that it survives a restart.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from lessons.files import display_path, lesson_paths, lessons_dir
from lessons.format.parser import SLUG
from lessons.store import lesson_stored_get, lesson_stored_put
from lessons.types import Lesson, Problem
from lessons.validation import lesson_full_load

logger = logging.getLogger(__name__)


@dataclass
class LessonFileState:
    version: tuple[int, int]
    good: Lesson | None
    problems: list[Problem] = field(default_factory=list)
    # The current version as far as it could be read (== good when the file is valid).
    current: Lesson | None = None


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
                state = _state_load(path, version, state)
                _states[path] = state
            states.append(state)
    return states


def _state_load(
    path: Path, version: tuple[int, int], state: LessonFileState | None
) -> LessonFileState:
    result = lesson_full_load(path)
    label = f"{version[0]}-{version[1]}"
    fresh = result.lesson and replace(result.lesson, version=label)
    current = fresh or (result.partial and replace(result.partial, version=label))
    if fresh is not None:
        lesson_stored_put(fresh)
        return LessonFileState(version, fresh, result.problems, current)
    good = state.good if state else None
    if good is None:
        # A restart (or a renamed file): the last good version kept on disk, found by the
        # file's name or by the slug its front matter still gives.
        slugs = [path.stem, *([result.partial.slug] if result.partial else [])]
        good = next((found for slug in slugs if (found := lesson_stored_get(slug=slug))), None)
    errors = [problem for problem in result.problems if problem.is_error]
    if errors:
        serving = "serving its last good version" if good else "no good version to serve yet"
        logger.warning(
            "Lesson file %s has problems; %s:\n%s",
            display_path(path),
            serving,
            "\n".join(str(problem) for problem in result.problems),
        )
    return LessonFileState(version, good, result.problems, current)


def lessons_list(*, drafts: bool = False) -> list[Lesson]:
    """Every lesson that has a good version, in course order (drafts only when asked)."""
    lessons = [
        state.good
        for state in _refresh()
        if state.good is not None and (drafts or not state.good.draft)
    ]
    # One lesson per slug: a renamed file and its stored last good version may both claim it.
    unique = {lesson.slug: lesson for lesson in reversed(lessons)}
    return sorted(unique.values(), key=lambda lesson: (lesson.order, lesson.title))


def lesson_get(*, slug: str, drafts: bool = False) -> Lesson | None:
    """The lesson learners get; a draft only when `drafts` (for staff)."""
    return next((lesson for lesson in lessons_list(drafts=drafts) if lesson.slug == slug), None)


def lesson_current_get(*, slug: str) -> Lesson | None:
    """The lesson as its file says now, even when that is not valid yet (as far as it could
    be read), else the last good version: for instructors trying checks while writing."""
    path = lessons_dir() / f"{slug}.md"
    _refresh()
    with _lock:
        state = _states.get(path)
    if state is not None and state.current is not None:
        return state.current
    return lesson_get(slug=slug, drafts=True)


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
        lesson=state.good or state.current,
        problems=list(state.problems),
    )
