"""Reads of the guided build: a lesson's step, the learner's work on it, what has passed."""

from __future__ import annotations

from dataclasses import dataclass

from exercises.models import StepWork
from lessons.selectors import lesson_get
from lessons.types import Lesson, Step

# The reference solution unlocks after the step passes or after this many checks that
# did not pass: enough to have tried, not so many that a stuck learner gives up.
SOLUTION_AFTER_FAILED_CHECKS = 3


def lesson_step_get(*, slug: str, number: int, drafts: bool = False) -> tuple[Lesson, Step] | None:
    lesson = lesson_get(slug=slug, drafts=drafts)
    if lesson is None:
        return None
    step = lesson.step(number)
    if step is None:
        return None
    return lesson, step


def step_initial_code(*, learner: str | None, lesson: Lesson, step: Step) -> str:
    """Where a step starts: the learner's own code of the step before, else the starter."""
    if learner is not None and step.number > 1:
        previous = (
            StepWork.objects.for_lesson(learner=learner, lesson_slug=lesson.slug)
            .filter(step_number__lt=step.number)
            .exclude(code="")
            .order_by("-step_number")
            .values_list("code", flat=True)
            .first()
        )
        if previous is not None:
            return previous
    return step.starter


def step_work_get(*, learner: str | None, lesson: Lesson, step: Step) -> StepWork:
    """The learner's work on a step; unsaved and starting afresh when there is none yet."""
    if learner is not None:
        work = StepWork.objects.for_step(
            learner=learner, lesson_slug=lesson.slug, step_number=step.number
        ).first()
        if work is not None:
            return work
    return StepWork(
        learner=learner or "",
        lesson_slug=lesson.slug,
        step_number=step.number,
        code=step_initial_code(learner=learner, lesson=lesson, step=step),
    )


def step_solution_unlocked(work: StepWork) -> bool:
    # Passing is sticky, so every check of a step that has not passed has failed.
    return work.passed or work.checks_run >= SOLUTION_AFTER_FAILED_CHECKS


@dataclass(frozen=True)
class StepsProgress:
    """Which steps hold for the learner's code now, and which passed once but no longer
    hold for the code checked since (shown as "passed before", never as a plain tick)."""

    passing: frozenset[int] = frozenset()
    passed_before: frozenset[int] = frozenset()

    @property
    def key(self) -> str:
        """A short text that changes whenever the progress does (for caching a page)."""
        passing = "-".join(str(number) for number in sorted(self.passing))
        before = "-".join(str(number) for number in sorted(self.passed_before))
        return f"{passing}_{before}"


def steps_progress(*, learner: str | None, lesson_slug: str) -> StepsProgress:
    if learner is None:
        return StepsProgress()
    work = StepWork.objects.for_lesson(learner=learner, lesson_slug=lesson_slug).filter(passed=True)
    passing: set[int] = set()
    before: set[int] = set()
    for number, passes_now in work.values_list("step_number", "passes_now"):
        # None: passed before this was recorded, and nothing checked since says otherwise.
        (before if passes_now is False else passing).add(number)
    return StepsProgress(passing=frozenset(passing), passed_before=frozenset(before))


def steps_passed(*, learner: str | None, lesson_slug: str) -> set[int]:
    """Numbers of the steps whose checks the learner's code passes now."""
    return set(steps_progress(learner=learner, lesson_slug=lesson_slug).passing)
