"""Reading learner work."""

from __future__ import annotations

from exercises.models import StepWork


def steps_passed(*, learner: str | None, lesson_slug: str) -> set[int]:
    """Numbers of the steps this learner has passed in this lesson."""
    if learner is None:
        return set()
    return set(
        StepWork.objects.filter(learner=learner, lesson_slug=lesson_slug, passed=True)
        .values_list("step_number", flat=True)
    )
