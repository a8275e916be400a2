"""From scratch: an empty editor and every step's checks at once, against the clock.

The last step's checks are all the steps' checks (the learner's file grows step by step), so
one `step_check` of the last step grades the whole program. The time is measured by the server
from the page load, kept in the session, so it needs no JavaScript and cannot be edited; the
page's timer is only a display of it.
"""

from __future__ import annotations

from checker import Verdict
from lessons.checking import step_check
from lessons.types import Lesson


def scratch_unavailable_reason(lesson: Lesson) -> str:
    if not lesson.steps:
        return "This lesson has no steps, so there is nothing to build."
    return ""


def scratch_check(*, lesson: Lesson, code: str) -> Verdict:
    return step_check(lesson=lesson, step_number=lesson.steps[-1].number, code=code)


def scratch_session_key(lesson: Lesson) -> str:
    return f"modes:scratch-started:{lesson.slug}"
