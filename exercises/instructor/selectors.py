"""What learners get wrong, for instructors: per step and per question."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from exercises.models import QuizAnswer, StepAttempt, StepWork, TestAttempt
from lessons.types import Lesson


@dataclass(frozen=True)
class StepFailures:
    number: int
    label: str
    title: str
    learners: int
    learners_passed: int
    checks: int
    # (failed check or diagnostic label, how many checks failed on it), most common first
    top_failures: list[tuple[str, int]]


@dataclass(frozen=True)
class OptionCount:
    id: str
    text_html: str
    correct: bool
    chosen: int


@dataclass(frozen=True)
class QuestionAnswers:
    id: str
    difficulty: str
    prompt_html: str
    answered: int
    correct: int
    options: list[OptionCount]

    @property
    def correct_percent(self) -> int:
        return round(100 * self.correct / self.answered) if self.answered else 0


def step_failure_summary(*, lesson: Lesson) -> list[StepFailures]:
    """Per step: how many learners tried and passed, and which checks fail most often."""
    summaries = []
    for step in lesson.steps:
        attempts = StepAttempt.objects.filter(lesson_slug=lesson.slug, step_number=step.number)
        failures: Counter[str] = Counter()
        for failed in attempts.filter(passed=False).values_list("failed", flat=True):
            if isinstance(failed, list):
                failures.update(str(label) for label in failed)
        work = StepWork.objects.filter(lesson_slug=lesson.slug, step_number=step.number)
        summaries.append(
            StepFailures(
                number=step.number,
                label=step.label,
                title=step.title,
                learners=work.count(),
                learners_passed=work.filter(passed=True).count(),
                checks=attempts.count(),
                top_failures=failures.most_common(5),
            )
        )
    return summaries


def question_answer_summary(*, lesson: Lesson) -> list[QuestionAnswers]:
    """Per question: how often each option was chosen, as learners' first practice answer and
    in submitted tests."""
    chosen: dict[str, Counter[str]] = {question.id: Counter() for question in lesson.questions}
    # A learner may check a practice question again and again; their first answer is the
    # one that says what they thought.
    practice = QuizAnswer.objects.filter(lesson_slug=lesson.slug).order_by("created_at", "pk")
    first_answers: set[tuple[str, str]] = set()
    for learner, question_id, option_id in practice.values_list(
        "learner", "question_id", "option_id"
    ):
        if question_id in chosen and (learner, question_id) not in first_answers:
            first_answers.add((learner, question_id))
            chosen[question_id][option_id] += 1
    tests = TestAttempt.objects.filter(lesson_slug=lesson.slug).submitted()
    for answers in tests.values_list("answers", flat=True):
        if not isinstance(answers, dict):
            continue
        for question_id, option_id in answers.items():
            if question_id in chosen and isinstance(option_id, str):
                chosen[question_id][option_id] += 1
    summaries = []
    for question in lesson.questions:
        counts = chosen[question.id]
        options = [
            OptionCount(option.id, option.text_html, option.correct, counts[option.id])
            for option in question.options
        ]
        summaries.append(
            QuestionAnswers(
                id=question.id,
                difficulty=question.difficulty,
                prompt_html=question.prompt_html,
                answered=sum(option.chosen for option in options),
                correct=sum(option.chosen for option in options if option.correct),
                options=options,
            )
        )
    # The questions learners get wrong most come first.
    return sorted(summaries, key=lambda q: (q.answered == 0, q.correct_percent))
