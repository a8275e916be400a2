"""The graded test: questions drawn per attempt, answers saved as the learner goes, one
recorded score per attempt, feedback only after submitting."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from exercises.models import TestAttempt
from exercises.quiz.display import (
    QuestionReview,
    QuestionView,
    option_for_letter,
    question_option_order,
    question_review,
    question_view,
)
from exercises.quiz.grading import DifficultyScore, quiz_grade
from lessons.types import DIFFICULTIES, Lesson, Question


def test_questions_draw(*, lesson: Lesson, rng: random.Random) -> list[dict[str, Any]]:
    """`lesson.test_size` questions covering every difficulty the bank has, as evenly as the
    bank allows, in random order, each with its options shuffled."""
    pools = {
        difficulty: [q for q in lesson.questions if q.difficulty == difficulty]
        for difficulty in DIFFICULTIES
    }
    pools = {difficulty: pool for difficulty, pool in pools.items() if pool}
    size = min(lesson.test_size, len(lesson.questions))
    quota = dict.fromkeys(pools, 0)
    # Deal one seat at a time to the difficulties with the fewest seats, at random among
    # ties, while they still have questions: 10 from 3 difficulties is 4/3/3.
    for _ in range(size):
        open_ = [d for d in pools if quota[d] < len(pools[d])]
        fewest = min(quota[d] for d in open_)
        quota[rng.choice([d for d in open_ if quota[d] == fewest])] += 1
    drawn = [q for d in pools for q in rng.sample(pools[d], quota[d])]
    rng.shuffle(drawn)
    entries = []
    for question in drawn:
        order = [option.id for option in question.options]
        rng.shuffle(order)
        entries.append({"id": question.id, "options": order})
    return entries


def test_attempt_start(
    *, lesson: Lesson, learner: str, rng: random.Random | None = None
) -> TestAttempt:
    """The learner's unfinished attempt, or a fresh draw (so a double click makes one)."""
    unfinished = test_attempt_unfinished(lesson=lesson, learner=learner)
    if unfinished is not None:
        return unfinished
    entries = test_questions_draw(lesson=lesson, rng=rng or random.SystemRandom())
    return TestAttempt.objects.create(
        learner=learner, lesson_slug=lesson.slug, questions=entries, total=len(entries)
    )


def test_attempt_unfinished(*, lesson: Lesson, learner: str | None) -> TestAttempt | None:
    if learner is None:
        return None
    return (
        TestAttempt.objects.for_lesson(learner=learner, lesson_slug=lesson.slug)
        .unfinished()
        .order_by("-created_at", "-pk")
        .first()
    )


def test_attempt_get(*, lesson: Lesson, learner: str | None, attempt_id: int) -> TestAttempt | None:
    """An attempt of this learner in this lesson; None for anybody else's."""
    if learner is None:
        return None
    attempts = TestAttempt.objects.for_lesson(learner=learner, lesson_slug=lesson.slug)
    return attempts.filter(pk=attempt_id).first()


def _attempt_entries(lesson: Lesson, attempt: TestAttempt) -> list[tuple[Question, list[str]]]:
    entries = []
    for entry in attempt.questions:
        question = lesson.question(str(entry.get("id", "")))
        if question is not None:
            entries.append((question, question_option_order(question, entry.get("options"))))
    return entries


def test_field(number: int) -> str:
    return f"q{number}"


def test_attempt_views(*, lesson: Lesson, attempt: TestAttempt) -> list[QuestionView]:
    answers = attempt.answers if isinstance(attempt.answers, dict) else {}
    return [
        question_view(
            question,
            order=order,
            number=number,
            field=test_field(number),
            chosen=answers.get(question.id),
        )
        for number, (question, order) in enumerate(_attempt_entries(lesson, attempt), start=1)
    ]


def test_answers_from_form(
    *, lesson: Lesson, attempt: TestAttempt, data: Mapping[str, object]
) -> dict[str, str]:
    """{question id: option id} from posted letters; missing or forged ones are left out
    (and so count as not answered)."""
    answers = {}
    for number, (question, order) in enumerate(_attempt_entries(lesson, attempt), start=1):
        option_id = option_for_letter(order, data.get(test_field(number)))
        if option_id is not None:
            answers[question.id] = option_id
    return answers


def test_attempt_save(*, attempt: TestAttempt, answers: Mapping[str, str]) -> bool:
    """Keep answers given so far, while the attempt is open; False once submitted."""
    updated = TestAttempt.objects.filter(pk=attempt.pk).unfinished().update(answers=dict(answers))
    return updated == 1


def test_attempt_submit(
    *, lesson: Lesson, attempt: TestAttempt, answers: Mapping[str, str]
) -> bool:
    """Grade and record the attempt. True when this call recorded it; False when it was
    already submitted (a double submit), which leaves the first result untouched."""
    question_ids = [question.id for question, _ in _attempt_entries(lesson, attempt)]
    grade = quiz_grade(lesson=lesson, answers=answers, question_ids=question_ids)
    # A conditional update, so two racing submits cannot both record a score.
    updated = (
        TestAttempt.objects.filter(pk=attempt.pk)
        .unfinished()
        .update(
            answers=dict(answers), score=grade.score, total=grade.total, submitted_at=timezone.now()
        )
    )
    return updated == 1


_STEP_TARGET = re.compile(r"step-(\d+)")


@dataclass(frozen=True)
class Teaching:
    """Where the lesson teaches a question's idea: a step of the build or a concept of the
    lesson page (`concept` is its id)."""

    label: str
    step: int | None = None
    concept: str = ""


def question_teaching(*, lesson: Lesson, question: Question) -> Teaching | None:
    """From the question's `Teaches:` (a concept id or `step-N`); None when it says none.

    Read with getattr: lesson files and their `teaches` key may come from a newer or an
    older lesson format than this page."""
    target = str(getattr(question, "teaches", "") or "").strip()
    if not target:
        return None
    step_match = _STEP_TARGET.fullmatch(target)
    if step_match:
        step = lesson.step(int(step_match.group(1)))
        if step is None:
            return None
        return Teaching(label=f"Step {step.number}: {step.title}", step=step.number)
    concepts = getattr(lesson, "concepts", ()) or ()
    title = next((c.title for c in concepts if getattr(c, "id", None) == target), "")
    return Teaching(label=title or "the lesson", concept=target)


@dataclass(frozen=True)
class ReviewedQuestion:
    review: QuestionReview
    teaching: Teaching | None


@dataclass(frozen=True)
class TestResult:
    score: int
    total: int
    by_difficulty: tuple[DifficultyScore, ...]
    reviews: tuple[QuestionReview, ...]
    items: tuple[ReviewedQuestion, ...] = ()

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0

    @property
    def missed(self) -> tuple[ReviewedQuestion, ...]:
        """The questions answered wrongly or not at all: what the result page starts with."""
        return tuple(item for item in self.items if not item.review.correct)


def test_attempt_result(*, lesson: Lesson, attempt: TestAttempt) -> TestResult:
    answers = attempt.answers if isinstance(attempt.answers, dict) else {}
    entries = _attempt_entries(lesson, attempt)
    grade = quiz_grade(
        lesson=lesson, answers=answers, question_ids=[question.id for question, _ in entries]
    )
    reviews = tuple(
        question_review(
            question,
            order=order,
            number=number,
            field=test_field(number),
            chosen=answers.get(question.id),
        )
        for number, (question, order) in enumerate(entries, start=1)
    )
    return TestResult(
        score=attempt.score if attempt.score is not None else grade.score,
        total=attempt.total or grade.total,
        by_difficulty=tuple(item for item in grade.by_difficulty if item.total),
        reviews=reviews,
        items=tuple(
            ReviewedQuestion(review, question_teaching(lesson=lesson, question=question))
            for review, (question, _) in zip(reviews, entries, strict=True)
        ),
    )


@dataclass(frozen=True)
class TestScores:
    best: TestAttempt | None
    latest: TestAttempt | None
    count: int
    unfinished: TestAttempt | None


def test_scores(*, lesson: Lesson, learner: str | None) -> TestScores:
    """Best and latest submitted attempts, and an attempt still open."""
    if learner is None:
        return TestScores(best=None, latest=None, count=0, unfinished=None)
    submitted = TestAttempt.objects.for_lesson(learner=learner, lesson_slug=lesson.slug).submitted()
    latest = submitted.order_by("-submitted_at", "-pk").first()
    best = None
    if latest is not None:
        top = submitted.aggregate(top=Max("score"))["top"]
        best = submitted.filter(score=top).order_by("-submitted_at", "-pk").first()
    return TestScores(
        best=best,
        latest=latest,
        count=submitted.count(),
        unfinished=test_attempt_unfinished(lesson=lesson, learner=learner),
    )
