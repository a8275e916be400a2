"""Where a learner stands in each lesson, and what to do next: read by the catalogue, the
lesson page and "my learning", so all three say the same thing.

The next action follows progress: build the view step by step until every step passes
("Start learning", then "Continue step N"), then take the test, then practise and retake it
until the best score reaches PASS_PERCENT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from exercises.models import QuizAnswer, StepWork, TestAttempt
from lessons.selectors import lesson_get
from lessons.types import Lesson

# The best test score from which a lesson counts as learned.
PASS_PERCENT = 80

Stage = Literal["build", "test", "practice", "done"]


@dataclass(frozen=True)
class NextAction:
    label: str
    url: str


@dataclass(frozen=True)
class Score:
    score: int
    total: int
    at: dt.datetime

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0

    def __str__(self) -> str:
        return f"{self.score}/{self.total}"


@dataclass(frozen=True)
class LessonProgress:
    lesson: Lesson
    passed: frozenset[int]
    begun: frozenset[int]
    best: Score | None
    latest: Score | None
    tests_taken: int
    test_open: bool
    stage: Stage
    action: NextAction

    @property
    def passed_count(self) -> int:
        return len(self.passed)

    @property
    def total(self) -> int:
        return len(self.lesson.steps)

    @property
    def next_step(self) -> int | None:
        return next((s.number for s in self.lesson.steps if s.number not in self.passed), None)

    @property
    def key(self) -> str:
        """Changes whenever anything shown from this progress changes (for page caches)."""
        best = str(self.best) if self.best else "-"
        latest = str(self.latest) if self.latest else "-"
        passed = "-".join(str(n) for n in sorted(self.passed))
        return f"{passed}.{len(self.begun)}.{best}.{latest}.{self.tests_taken}.{self.test_open}"


def _stage_and_action(
    lesson: Lesson,
    passed: frozenset[int],
    begun: frozenset[int],
    best: Score | None,
    test_open: bool,
) -> tuple[Stage, NextAction]:
    next_step = next((s.number for s in lesson.steps if s.number not in passed), None)
    if next_step is not None:
        url = reverse("exercises:step", args=[lesson.slug, next_step])
        label = f"Continue step {next_step}" if begun or passed else "Start learning"
        return "build", NextAction(label, url)
    test_url = reverse("exercises:test", args=[lesson.slug])
    if test_open:
        return "test", NextAction("Continue your test", test_url)
    if best is None:
        return "test", NextAction("Take the test", test_url)
    if best.percent < PASS_PERCENT:
        practice_url = reverse("exercises:practice", args=[lesson.slug])
        return "practice", NextAction("Practise, then retake the test", practice_url)
    return "done", NextAction("Take the test again", test_url)


def lessons_progress(*, learner: str | None, lessons: Iterable[Lesson]) -> list[LessonProgress]:
    """Each lesson's progress for this learner, in two queries whatever the number of lessons."""
    lessons = list(lessons)
    work: dict[str, list[tuple[int, bool]]] = {}
    tests: dict[str, list[tuple[int | None, int, dt.datetime | None]]] = {}
    if learner is not None:
        slugs = [lesson.slug for lesson in lessons]
        for slug, number, step_passed in StepWork.objects.filter(
            learner=learner, lesson_slug__in=slugs
        ).values_list("lesson_slug", "step_number", "passed"):
            work.setdefault(slug, []).append((number, step_passed))
        for slug, score, total, submitted_at in (
            TestAttempt.objects.filter(learner=learner, lesson_slug__in=slugs)
            .order_by("created_at", "pk")
            .values_list("lesson_slug", "score", "total", "submitted_at")
        ):
            tests.setdefault(slug, []).append((score, total, submitted_at))
    found = []
    for lesson in lessons:
        numbers = {step.number for step in lesson.steps}
        rows = [(number, ok) for number, ok in work.get(lesson.slug, []) if number in numbers]
        passed = frozenset(number for number, ok in rows if ok)
        begun = frozenset(number for number, _ in rows)
        scores = [
            Score(score, total, at)
            for score, total, at in tests.get(lesson.slug, [])
            if score is not None and at is not None
        ]
        scores.sort(key=lambda s: s.at)
        best = max(reversed(scores), key=lambda s: s.percent) if scores else None
        test_open = any(at is None for _, _, at in tests.get(lesson.slug, []))
        stage, action = _stage_and_action(lesson, passed, begun, best, test_open)
        found.append(
            LessonProgress(
                lesson=lesson,
                passed=passed,
                begun=begun,
                best=best,
                latest=scores[-1] if scores else None,
                tests_taken=len(scores),
                test_open=test_open,
                stage=stage,
                action=action,
            )
        )
    return found


def lesson_progress(*, learner: str | None, lesson: Lesson) -> LessonProgress:
    return lessons_progress(learner=learner, lessons=[lesson])[0]


@dataclass(frozen=True)
class LastWork:
    label: str
    url: str
    at: dt.datetime


def learner_last_work(*, learner: str | None) -> LastWork | None:
    """The last page the learner did real work on: a step, the test or practice."""
    if learner is None:
        return None
    candidates: list[LastWork] = []
    step = StepWork.objects.filter(learner=learner).order_by("-updated_at").first()
    if step is not None and (lesson := lesson_get(slug=step.lesson_slug)) is not None:
        found = lesson.step(step.step_number)
        if found is not None:
            candidates.append(
                LastWork(
                    f"Step {found.number}: {found.title} · {lesson.title}",
                    reverse("exercises:step", args=[lesson.slug, found.number]),
                    step.updated_at,
                )
            )
    test = TestAttempt.objects.filter(learner=learner).order_by("-created_at").first()
    if test is not None and (lesson := lesson_get(slug=test.lesson_slug)) is not None:
        if test.submitted_at is None:
            label, at = f"Your test in progress · {lesson.title}", test.created_at
        else:
            label, at = f"Your test result · {lesson.title}", test.submitted_at
        url = reverse("exercises:test_attempt", args=[lesson.slug, test.pk])
        candidates.append(LastWork(label, url, at))
    answer = QuizAnswer.objects.filter(learner=learner).order_by("-created_at").first()
    if answer is not None and (lesson := lesson_get(slug=answer.lesson_slug)) is not None:
        url = reverse("exercises:practice", args=[lesson.slug])
        candidates.append(LastWork(f"Practice questions · {lesson.title}", url, answer.created_at))
    return max(candidates, key=lambda item: item.at) if candidates else None
