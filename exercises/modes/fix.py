"""Fix the bug: each known mistake of a lesson becomes a broken program to repair.

A mistake in a lesson file is a wrong program the checker is proven to catch, so it is a
ready-made exercise: the learner edits it until the step's checks pass. The first hint is the
feedback the checker gives on the broken program itself, what a learner who wrote it would
have been told.
"""

from __future__ import annotations

from dataclasses import dataclass

from checker import Mistake, Verdict
from lessons.checking import step_check
from lessons.types import Lesson, Step


@dataclass(frozen=True)
class Bug:
    number: int  # 1-based over the whole lesson
    step: Step
    mistake: Mistake

    @property
    def code(self) -> str:
        return self.mistake.code


def bugs_list(lesson: Lesson) -> list[Bug]:
    bugs = [(step, mistake) for step in lesson.steps for mistake in step.mistakes]
    return [
        Bug(number=number, step=step, mistake=mistake)
        for number, (step, mistake) in enumerate(bugs, start=1)
    ]


def bug_get(lesson: Lesson, number: int) -> Bug | None:
    return next((bug for bug in bugs_list(lesson) if bug.number == number), None)


def bug_unavailable_reason(lesson: Lesson) -> str:
    if not bugs_list(lesson):
        return "This lesson's file lists no known mistakes to turn into broken programs."
    return ""


def bug_hint(*, lesson: Lesson, bug: Bug) -> list[str]:
    """What the checker says about the broken program as given: the first hint."""
    verdict = step_check(lesson=lesson, step_number=bug.step.number, code=bug.code)
    return [item.message for item in verdict.failures]


def bug_check(*, lesson: Lesson, bug: Bug, code: str) -> Verdict:
    return step_check(lesson=lesson, step_number=bug.step.number, code=code)
