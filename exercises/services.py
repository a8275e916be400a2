"""Checking a learner's code for one step of a lesson."""

from __future__ import annotations

from exercises.checker import Verdict, submission_check
from lessons.types import CheckSpec, Lesson


def step_checks(*, lesson: Lesson, step_number: int) -> list[CheckSpec]:
    """The checks of steps 1..N: the learner's file grows step by step, so earlier work must
    still hold."""
    return [check for step in lesson.steps if step.number <= step_number for check in step.checks]


def step_check(*, lesson: Lesson, step_number: int, code: str) -> Verdict:
    if lesson.step(step_number) is None:
        raise ValueError(f"Lesson {lesson.slug!r} has no step {step_number}")
    return submission_check(code=code, checks=step_checks(lesson=lesson, step_number=step_number))
