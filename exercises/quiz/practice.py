"""Practice: one question at a time, checked at once, every answer kept for instructors.

A wrong pick gets a second go before the worked solution: the first miss says why that
option is wrong and nothing about which one is right; the solution comes with a right
answer, a second miss, or when the learner asks for it. The options tried so far travel
with the form (hidden fields), so this works without JavaScript and needs no state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exercises.models import QuizAnswer
from exercises.quiz.display import (
    OptionReview,
    QuestionReview,
    QuestionView,
    option_for_letter,
    question_option_order,
    question_review,
    question_view,
)
from lessons.options import option_letters
from lessons.types import Lesson, Question

PRACTICE_FIELD = "answer"
# Answers kept per learner and question: the first (instructors count first answers) and
# the latest ones, so one learner pressing Check forever cannot fill the disk.
ANSWERS_KEPT_PER_QUESTION = 20

TRIED_FIELD = "tried"
# Misses before the worked solution shows by itself.
MISSES_BEFORE_SOLUTION = 2


@dataclass(frozen=True)
class PracticeResult:
    """What a check shows. Either `review` (the whole worked solution) or, after a first
    miss, `miss`: the option just tried and why it is wrong, with no trace of the right one.
    `tried` lists the letters tried so far, in order."""

    view: QuestionView
    tried: tuple[str, ...]
    miss: OptionReview | None = None
    review: QuestionReview | None = None


def practice_question_view(*, question: Question, number: int) -> QuestionView:
    return question_view(
        question, order=question_option_order(question), number=number, field=PRACTICE_FIELD
    )


def practice_tried_read(*, question: Question, letters: Sequence[object]) -> tuple[str, ...]:
    """The tried letters a form sent back: known letters only, each once, in order."""
    known = set(option_letters(question_option_order(question)).values())
    tried: list[str] = []
    for letter in letters:
        if isinstance(letter, str) and letter in known and letter not in tried:
            tried.append(letter)
    return tuple(tried)


def practice_answer_check(
    *,
    lesson: Lesson,
    question: Question,
    number: int,
    learner: str,
    letter: object,
    tried: Sequence[object] = (),
    reveal: bool = False,
) -> PracticeResult | None:
    """Grade one practice answer and record it, or show the solution when asked to.

    None when there is neither a request to reveal nor a letter of an option shown."""
    order = question_option_order(question)
    shown = practice_tried_read(question=question, letters=tried)

    def review_of(chosen: str | None, tried_now: tuple[str, ...]) -> PracticeResult:
        review = question_review(
            question, order=order, number=number, field=PRACTICE_FIELD, chosen=chosen
        )
        return PracticeResult(view=review.view, tried=tried_now, review=review)

    if reveal:
        last = option_for_letter(order, shown[-1]) if shown else None
        return review_of(last, shown)
    option_id = option_for_letter(order, letter)
    if option_id is None or not isinstance(letter, str):
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
    tried_now = shown if letter in shown else (*shown, letter)
    misses = sum(1 for tried_letter in tried_now if tried_letter != review.right.letter)
    if review.correct or misses >= MISSES_BEFORE_SOLUTION:
        return PracticeResult(view=review.view, tried=tried_now, review=review)
    # A first miss: the question again, unanswered, and why this option is not it.
    view = practice_question_view(question=question, number=number)
    return PracticeResult(view=view, tried=tried_now, miss=review.chosen)


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
