"""Quizzes: practice questions, the 10-question test and the stateless grading API.

Integrity rule: what a learner sees before answering is built as a `QuestionView`, which
carries no trace of which option is right (no option ids either: forms post the displayed
letter, mapped back to an option on the server). Only `QuestionReview`, built after an answer
or a submitted test, holds feedback, solutions and the right option.
"""

from __future__ import annotations

import html
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from exercises.models import QuizAnswer, TestAttempt
from lessons.render import option_letters, option_references_resolve
from lessons.types import DIFFICULTIES, Difficulty, Lesson, Question

# Grading requests are a few hundred bytes; refuse big ones before parsing them.
QUIZ_API_MAX_BODY = 64 * 1024


# --- Display -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionView:
    letter: str
    text_html: str


@dataclass(frozen=True)
class QuestionView:
    """A question as shown before it is answered: nothing here says which option is right."""

    number: int
    field: str
    difficulty: Difficulty
    prompt_html: str
    hint_html: str
    options: tuple[OptionView, ...]
    # The learner's own (not yet graded) choice, to keep a radio checked.
    chosen_letter: str | None = None


@dataclass(frozen=True)
class OptionReview:
    letter: str
    text_html: str
    right: bool
    chosen: bool
    feedback_html: str


@dataclass(frozen=True)
class QuestionReview:
    """A question after it is answered: the verdict, feedback and worked solution, with
    letters as the learner saw them."""

    view: QuestionView
    answered: bool
    correct: bool
    chosen: OptionReview | None
    right: OptionReview
    options: tuple[OptionReview, ...]
    solution_html: tuple[str, ...]
    quick_check_html: str
    common_mistakes_html: tuple[str, ...]


def question_option_order(question: Question, stored: Sequence[str] | None = None) -> list[str]:
    """Option ids in display order: the stored order (of a test attempt) or the bank's.

    Options that no longer exist are dropped and new ones appended, so an attempt stays
    readable after the instructor edits the question.
    """
    ids = [option.id for option in question.options]
    if stored is None:
        return ids
    kept = [option_id for option_id in stored if option_id in ids]
    return kept + [option_id for option_id in ids if option_id not in kept]


def question_view(
    question: Question,
    *,
    order: Sequence[str],
    number: int,
    field: str,
    chosen: str | None = None,
) -> QuestionView:
    letters = option_letters(list(order))
    options = []
    for option_id in order:
        option = question.option(option_id)
        if option is not None:
            options.append(OptionView(letter=letters[option_id], text_html=option.text_html))
    return QuestionView(
        number=number,
        field=field,
        difficulty=question.difficulty,
        prompt_html=question.prompt_html,
        hint_html=question.hint_html,
        options=tuple(options),
        chosen_letter=letters.get(chosen) if chosen else None,
    )


def question_review(
    question: Question,
    *,
    order: Sequence[str],
    number: int,
    field: str,
    chosen: str | None,
) -> QuestionReview:
    letters = option_letters(list(order))
    chosen = chosen if chosen in letters else None
    options = []
    for option_id in order:
        option = question.option(option_id)
        if option is None:
            continue
        options.append(
            OptionReview(
                letter=letters[option_id],
                text_html=option.text_html,
                right=option.correct,
                chosen=option_id == chosen,
                feedback_html=option_references_resolve(option.feedback_html, question, letters),
            )
        )
    right = next(option for option in options if option.right)
    picked = next((option for option in options if option.chosen), None)
    return QuestionReview(
        view=question_view(question, order=order, number=number, field=field, chosen=chosen),
        answered=picked is not None,
        correct=picked is not None and picked.right,
        chosen=picked,
        right=right,
        options=tuple(options),
        solution_html=tuple(
            option_references_resolve(step, question, letters) for step in question.solution_html
        ),
        quick_check_html=option_references_resolve(question.quick_check_html, question, letters),
        common_mistakes_html=tuple(
            option_references_resolve(text, question, letters)
            for text in question.common_mistakes_html
        ),
    )


def option_for_letter(order: Sequence[str], letter: object) -> str | None:
    """The option id behind a displayed letter; None for anything else (forged input)."""
    if not isinstance(letter, str):
        return None
    by_letter = {value: key for key, value in option_letters(list(order)).items()}
    return by_letter.get(letter)


# --- Grading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    chosen: str | None
    correct: bool


@dataclass(frozen=True)
class DifficultyScore:
    difficulty: Difficulty
    score: int
    total: int


@dataclass(frozen=True)
class QuizGrade:
    score: int
    total: int
    results: tuple[QuestionResult, ...]
    by_difficulty: tuple[DifficultyScore, ...] = field(default=())


def quiz_grade(
    *,
    lesson: Lesson,
    answers: Mapping[str, str],
    question_ids: Sequence[str] | None = None,
) -> QuizGrade:
    """Grade `answers` ({question id: option id}) on the server.

    `question_ids` are the questions that count (a test's ten); by default, the answered
    ones. A question without an answer, or with an option it does not have, is wrong.
    """
    ids = list(question_ids) if question_ids is not None else list(answers)
    results = []
    for question_id in ids:
        question = lesson.question(question_id)
        if question is None:
            continue
        chosen = answers.get(question_id)
        option = question.option(chosen) if isinstance(chosen, str) else None
        results.append(
            QuestionResult(
                question=question,
                chosen=option.id if option else None,
                correct=option is not None and option.correct,
            )
        )
    by_difficulty = tuple(
        DifficultyScore(
            difficulty=difficulty,
            score=sum(r.correct for r in results if r.question.difficulty == difficulty),
            total=sum(1 for r in results if r.question.difficulty == difficulty),
        )
        for difficulty in DIFFICULTIES
    )
    return QuizGrade(
        score=sum(result.correct for result in results),
        total=len(results),
        results=tuple(results),
        by_difficulty=by_difficulty,
    )


# --- The JSON API --------------------------------------------------------------------------


class QuizInputError(Exception):
    """A grading request the API refuses; the message says what is wrong."""

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = dict(details or {})


def html_text(text_html: str) -> str:
    """Plain text of rendered lesson HTML, for JSON clients."""
    return html.unescape(strip_tags(text_html)).strip()


def quiz_questions_json(*, lesson: Lesson) -> dict[str, Any]:
    """Every question of the bank, without a hint of which option is right."""
    return {
        "questions": [
            {
                "id": question.id,
                "difficulty": question.difficulty,
                "prompt": html_text(question.prompt_html),
                "options": [{"id": option.id, "text": option.text} for option in question.options],
            }
            for question in lesson.questions
        ]
    }


def quiz_answers_validate(*, lesson: Lesson, payload: object) -> dict[str, str]:
    """The answers of a grading request, or QuizInputError naming what is wrong."""
    if not isinstance(payload, dict):
        raise QuizInputError(
            'The body must be a JSON object like {"answers": {"<question id>": "<option id>"}}.'
        )
    if "answers" not in payload:
        raise QuizInputError('The body needs an "answers" object.')
    answers = payload["answers"]
    if not isinstance(answers, dict):
        raise QuizInputError(
            '"answers" must be an object mapping question ids to option ids, '
            f"not {json_type(answers)}."
        )
    if not answers:
        raise QuizInputError('"answers" is empty: answer at least one question.')
    not_strings = sorted(key for key, value in answers.items() if not isinstance(value, str))
    if not_strings:
        raise QuizInputError(
            "Each answer must be an option id (a string); these are not: "
            + ", ".join(not_strings)
            + ".",
            details={"questions": not_strings},
        )
    unknown_questions = sorted(key for key in answers if lesson.question(key) is None)
    if unknown_questions:
        raise QuizInputError(
            "Unknown question ids: " + ", ".join(unknown_questions) + ".",
            details={"unknown_questions": unknown_questions},
        )
    unknown_options = {
        key: value
        for key, value in answers.items()
        if (question := lesson.question(key)) is not None and question.option(value) is None
    }
    if unknown_options:
        raise QuizInputError(
            "Unknown option ids: "
            + ", ".join(f"{value!r} for {key}" for key, value in sorted(unknown_options.items()))
            + ".",
            details={"unknown_options": unknown_options},
        )
    # Bank order, so that results come back in the order of GET.
    return {q.id: answers[q.id] for q in lesson.questions if q.id in answers}


def json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _api_text(text_html: str, question: Question) -> str:
    # API clients see no letters, so option references name the option id.
    ids = {option.id: option.id for option in question.options}
    return html_text(option_references_resolve(text_html, question, ids))


def quiz_grade_json(grade: QuizGrade) -> dict[str, Any]:
    """The verdict for API clients, in the order of the bank."""
    results = []
    for result in grade.results:
        question = result.question
        chosen = question.option(result.chosen) if result.chosen else None
        results.append(
            {
                "id": question.id,
                "difficulty": question.difficulty,
                "correct": result.correct,
                "chosen": result.chosen,
                "right_option": question.correct_option.id,
                "feedback": _api_text(chosen.feedback_html, question) if chosen else "",
                "solution": [_api_text(step, question) for step in question.solution_html],
                "quick_check": _api_text(question.quick_check_html, question),
                "common_mistakes": [
                    _api_text(item, question) for item in question.common_mistakes_html
                ],
            }
        )
    return {"score": grade.score, "total": grade.total, "results": results}


# --- Practice ------------------------------------------------------------------------------

PRACTICE_FIELD = "answer"


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
    return review


# --- The test ------------------------------------------------------------------------------


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
        TestAttempt.objects.filter(
            learner=learner, lesson_slug=lesson.slug, submitted_at__isnull=True
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def test_attempt_get(*, lesson: Lesson, learner: str | None, attempt_id: int) -> TestAttempt | None:
    """An attempt of this learner in this lesson; None for anybody else's."""
    if learner is None:
        return None
    return TestAttempt.objects.filter(
        pk=attempt_id, learner=learner, lesson_slug=lesson.slug
    ).first()


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
    updated = TestAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=dict(answers)
    )
    return updated == 1


def test_attempt_submit(
    *, lesson: Lesson, attempt: TestAttempt, answers: Mapping[str, str]
) -> bool:
    """Grade and record the attempt. True when this call recorded it; False when it was
    already submitted (a double submit), which leaves the first result untouched."""
    question_ids = [question.id for question, _ in _attempt_entries(lesson, attempt)]
    grade = quiz_grade(lesson=lesson, answers=answers, question_ids=question_ids)
    # A conditional update, so two racing submits cannot both record a score.
    updated = TestAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        answers=dict(answers), score=grade.score, total=grade.total, submitted_at=timezone.now()
    )
    return updated == 1


@dataclass(frozen=True)
class TestResult:
    score: int
    total: int
    by_difficulty: tuple[DifficultyScore, ...]
    reviews: tuple[QuestionReview, ...]

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total) if self.total else 0


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
    submitted = TestAttempt.objects.filter(
        learner=learner, lesson_slug=lesson.slug, submitted_at__isnull=False
    )
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
