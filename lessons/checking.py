"""Checking a learner's code against one step of a lesson.

The learner's file grows step by step, so step N passes only when its own checks and those of
every earlier step hold. The checker itself knows nothing of lessons; this is where a lesson's
steps become the list of checks it runs.
"""

from __future__ import annotations

from checker import CheckSpec, Verdict, submission_check
from lessons.types import Lesson


def step_checks(*, lesson: Lesson, step_number: int) -> list[CheckSpec]:
    """The checks of steps 1..N."""
    return [check for step in lesson.steps if step.number <= step_number for check in step.checks]


def step_check(*, lesson: Lesson, step_number: int, code: str) -> Verdict:
    if lesson.step(step_number) is None:
        raise ValueError(f"Lesson {lesson.slug!r} has no step {step_number}")
    return submission_check(code=code, checks=step_checks(lesson=lesson, step_number=step_number))
