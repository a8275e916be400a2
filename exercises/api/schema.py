"""The quiz API's JSON: what it lists, what it accepts, what it answers.

Everything a client sends is checked here, and every refusal is a `QuizInputError` that the
views turn into a JSON error naming what is wrong.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django.utils.html import strip_tags

from exercises.quiz.grading import QuizGrade
from lessons.options import option_references_resolve
from lessons.types import Lesson, Question

QUIZ_API_MAX_BODY = 64 * 1024


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
