"""Practice: one question at a time, checked at once, every answer kept for instructors."""

from __future__ import annotations

from exercises.models import QuizAnswer
from exercises.quiz.display import (
    QuestionReview,
    QuestionView,
    option_for_letter,
    question_option_order,
    question_review,
    question_view,
)
from lessons.types import Lesson, Question

PRACTICE_FIELD = "answer"
# Answers kept per learner and question: the first (instructors count first answers) and
# the latest ones, so one learner pressing Check forever cannot fill the disk.
ANSWERS_KEPT_PER_QUESTION = 20


def practice_question_view(*, question: Question, number: int) -> QuestionView:
    return question_view(
        question, order=question_option_order(question), number=number, field=PRACTICE_FIELD
    )


def practice_answer_check(
    *, lesson: Lesson, question: Question, number: int, learner: str, letter: object
) -> QuestionReview | None:
    """Grade one practice answer and record it; None when `letter` is no option shown."""
    order = question_option_order(question)
    option_id = option_for_letter(order, letter)
    if option_id is None:
        return None
    review = question_review(
        question, order=order, number=number, field=PRACTICE_FIELD, chosen=option_id
    )
    QuizAnswer.objects.create(
        learner=learner,
        lesson_slug=lesson.slug,
        question_id=question.id,
        option_id=option_id,
        correct=review.correct,
    )
    practice_answers_trim(learner=learner, lesson_slug=lesson.slug, question_id=question.id)
    return review


def practice_answers_trim(*, learner: str, lesson_slug: str, question_id: str) -> int:
    """Keep the first answer and the latest ANSWERS_KEPT_PER_QUESTION - 1."""
    answers = QuizAnswer.objects.filter(
        learner=learner, lesson_slug=lesson_slug, question_id=question_id
    )
    ids = list(answers.order_by("created_at", "pk").values_list("pk", flat=True))
    if len(ids) <= ANSWERS_KEPT_PER_QUESTION:
        return 0
    dropped = ids[1 : len(ids) - (ANSWERS_KEPT_PER_QUESTION - 1)]
    deleted, _ = QuizAnswer.objects.filter(pk__in=dropped).delete()
    return deleted
