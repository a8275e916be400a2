"""A Django system check telling instructors which learning modes a lesson cannot feed.

Warnings in `manage.py check` (and `make check`), never errors: a mode a lesson cannot feed is
shown as unavailable, with the same reason, and the rest of the site works.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from exercises.modes.catalog import MODES
from lessons.selectors import lessons_list
from lessons.types import Lesson


def modes_unavailable(lesson: Lesson) -> list[str]:
    """`path: the <mode> mode is unavailable: <reason>` for each mode the lesson cannot feed
    (of those a lesson should feed: see `Mode.checked`)."""
    where = lesson.path or lesson.slug
    return [
        f"{where}: the “{mode.title}” mode is unavailable: {reason}"
        for mode in MODES
        if mode.checked and (reason := mode.unavailable(lesson))
    ]


@checks.register("lessons")
def modes_unavailable_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Warning(problem, hint="Add what the mode needs to the lesson file.", id="modes.W001")
        for lesson in lessons_list()
        for problem in modes_unavailable(lesson)
    ]
