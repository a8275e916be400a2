"""Grading answers to a lesson's questions: the score, per difficulty and per question."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lessons.types import DIFFICULTIES, Difficulty, Lesson, Question


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
