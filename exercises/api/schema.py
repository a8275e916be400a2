"""The JSON API's shapes: what it lists, what it accepts, what it answers.

Everything a client sends is checked here, and every refusal is an `ApiInputError` that the
views turn into a JSON error naming what is wrong.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django.utils.html import strip_tags

from checker import MAX_SUBMISSION_BYTES
from exercises.quiz.grading import QuizGrade
from lessons.options import option_references_resolve
from lessons.types import Lesson, Question

QUIZ_API_MAX_BODY = 64 * 1024
# A submission at the checker's limit fits however a client escapes it in JSON (at most six
# bytes, \uXXXX, per byte of code).
CHECK_API_MAX_BODY = 8 * MAX_SUBMISSION_BYTES


class ApiInputError(Exception):
    """A request body the API refuses; the message says what is wrong."""

    def __init__(
        self, message: str, *, status: int = 400, details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.details = dict(details or {})


def quiz_bank(*, lesson: Lesson, whole_bank: bool) -> tuple[Question, ...]:
    """The questions a client may see and have graded.

    Without an API key, the practice questions only: the others make up the graded test, and
    grading them for anyone would hand out its answer key.
    """
    return lesson.questions if whole_bank else lesson.practice_questions


def html_text(text_html: str) -> str:
    """Plain text of rendered lesson HTML, for JSON clients."""
    return html.unescape(strip_tags(text_html)).strip()


def quiz_questions_json(*, lesson: Lesson, whole_bank: bool) -> dict[str, Any]:
    """The client's questions (`quiz_bank`), without a hint of which option is right."""
    return {
        "questions": [
            {
                "id": question.id,
                "difficulty": question.difficulty,
                "prompt": html_text(question.prompt_html),
                "options": [{"id": option.id, "text": option.text} for option in question.options],
            }
            for question in quiz_bank(lesson=lesson, whole_bank=whole_bank)
        ]
    }


def quiz_answers_validate(*, lesson: Lesson, payload: object, whole_bank: bool) -> dict[str, str]:
    """The answers of a grading request, or ApiInputError naming what is wrong."""
    if not isinstance(payload, dict):
        raise ApiInputError(
            'The body must be a JSON object like {"answers": {"<question id>": "<option id>"}}.'
        )
    if "answers" not in payload:
        raise ApiInputError('The body needs an "answers" object.')
    answers = payload["answers"]
    if not isinstance(answers, dict):
        raise ApiInputError(
            '"answers" must be an object mapping question ids to option ids, '
            f"not {json_type(answers)}."
        )
    if not answers:
        raise ApiInputError('"answers" is empty: answer at least one question.')
    not_strings = sorted(key for key, value in answers.items() if not isinstance(value, str))
    if not_strings:
        raise ApiInputError(
            "Each answer must be an option id (a string); these are not: "
            + ", ".join(not_strings)
            + ".",
            details={"questions": not_strings},
        )
    unknown_questions = sorted(key for key in answers if lesson.question(key) is None)
    if unknown_questions:
        raise ApiInputError(
            "Unknown question ids: " + ", ".join(unknown_questions) + ".",
            details={"unknown_questions": unknown_questions},
        )
    allowed = {question.id for question in quiz_bank(lesson=lesson, whole_bank=whole_bank)}
    key_required = sorted(key for key in answers if key not in allowed)
    if key_required:
        # Before the options are looked at: a keyless client learns nothing of these
        # questions, not even whether an option id exists.
        raise ApiInputError(
            "Without an API key only practice questions are graded; these are not: "
            + ", ".join(key_required)
            + ". Send Authorization: Bearer <API key> to grade the whole bank.",
            status=403,
            details={"key_required": key_required},
        )
    unknown_options = {
        key: value
        for key, value in answers.items()
        if (question := lesson.question(key)) is not None and question.option(value) is None
    }
    if unknown_options:
        raise ApiInputError(
            "Unknown option ids: "
            + ", ".join(f"{value!r} for {key}" for key, value in sorted(unknown_options.items()))
            + ".",
            details={"unknown_options": unknown_options},
        )
    # Bank order, so that results come back in the order of GET.
    return {q.id: answers[q.id] for q in lesson.questions if q.id in answers}


def check_code_validate(payload: object) -> str:
    """The code of a check request `{"code": "..."}`, or ApiInputError naming what is wrong."""
    if not isinstance(payload, dict):
        raise ApiInputError(
            'The body must be a JSON object like {"code": "<your code>"}, '
            f"not {json_type(payload)}."
        )
    if "code" not in payload:
        raise ApiInputError('The body needs a "code" string.')
    unexpected = sorted(key for key in payload if key != "code")
    if unexpected:
        raise ApiInputError(
            "Unexpected fields: " + ", ".join(unexpected) + '; send only "code".',
            details={"unexpected": unexpected},
        )
    code = payload["code"]
    if not isinstance(code, str):
        raise ApiInputError(f'"code" must be a string, not {json_type(code)}.')
    return code


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
