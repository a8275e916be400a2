"""How learner work merges when an anonymous learner logs in to an account that has work of
its own (registered with learners.services in ExercisesConfig.ready; other rows just move)."""

from __future__ import annotations

from exercises.build.services import step_attempts_trim
from exercises.models import StepAttempt, StepWork


def step_work_merge(*, source: str, target: str) -> None:
    """One StepWork per learner and step: where both have one, keep a pass (and its earliest
    time), the later code, every check counted and the most hints seen."""
    for incoming in StepWork.objects.filter(learner=source):
        kept = StepWork.objects.filter(
            learner=target, lesson_slug=incoming.lesson_slug, step_number=incoming.step_number
        ).first()
        if kept is None:
            StepWork.objects.filter(pk=incoming.pk).update(learner=target)
            continue
        later = incoming if incoming.updated_at >= kept.updated_at else kept
        passed_times = [
            work.passed_at for work in (kept, incoming) if work.passed and work.passed_at
        ]
        StepWork.objects.filter(pk=kept.pk).update(
            code=later.code,
            passed=kept.passed or incoming.passed,
            passed_at=min(passed_times) if passed_times else None,
            checks_run=kept.checks_run + incoming.checks_run,
            hints_shown=max(kept.hints_shown, incoming.hints_shown),
            updated_at=later.updated_at,
        )
        incoming.delete()


def step_attempt_merge(*, source: str, target: str) -> None:
    steps = set(
        StepAttempt.objects.filter(learner=source).values_list("lesson_slug", "step_number")
    )
    StepAttempt.objects.filter(learner=source).update(learner=target)
    for lesson_slug, step_number in steps:
        step_attempts_trim(learner=target, lesson_slug=lesson_slug, step_number=step_number)
