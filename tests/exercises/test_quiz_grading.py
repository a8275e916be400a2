"""Grading and the test draw: plain functions, graded on the server."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from exercises.quiz import attempts, display, grading
from lessons.selectors import lesson_get
from lessons.types import Lesson


@pytest.fixture
def lesson() -> Lesson:
    found = lesson_get(slug="why-async-matters")
    assert found is not None
    return found


def right_answers(lesson: Lesson) -> dict[str, str]:
    return {q.id: q.correct_option.id for q in lesson.questions}


def wrong_answers(lesson: Lesson) -> dict[str, str]:
    return {q.id: next(o.id for o in q.options if not o.correct) for q in lesson.questions}


def test_all_right_scores_full(lesson):
    grade = grading.quiz_grade(lesson=lesson, answers=right_answers(lesson))
    assert (grade.score, grade.total) == (len(lesson.questions), len(lesson.questions))
    assert all(result.correct for result in grade.results)


def test_all_wrong_scores_zero(lesson):
    grade = grading.quiz_grade(lesson=lesson, answers=wrong_answers(lesson))
    assert grade.score == 0
    assert grade.total == len(lesson.questions)


def test_unanswered_and_forged_answers_count_as_wrong(lesson):
    first, second, third = (q.id for q in lesson.questions[:3])
    answers = {first: lesson.questions[0].correct_option.id, second: "no-such-option"}
    grade = grading.quiz_grade(lesson=lesson, answers=answers, question_ids=[first, second, third])
    assert (grade.score, grade.total) == (1, 3)
    assert [r.chosen for r in grade.results] == [answers[first], None, None]


def test_breakdown_by_difficulty(lesson):
    grade = grading.quiz_grade(lesson=lesson, answers=right_answers(lesson))
    counts = Counter(q.difficulty for q in lesson.questions)
    assert {d.difficulty: (d.score, d.total) for d in grade.by_difficulty} == {
        difficulty: (count, count) for difficulty, count in counts.items()
    }


@pytest.mark.parametrize("seed", range(30))
def test_draw_covers_every_difficulty_evenly(lesson, seed):
    entries = attempts.test_questions_draw(lesson=lesson, rng=random.Random(seed))
    assert len(entries) == lesson.test_size == 10
    ids = [entry["id"] for entry in entries]
    assert len(set(ids)) == 10
    counts = Counter(lesson.question(question_id).difficulty for question_id in ids)
    assert set(counts) == {"easy", "medium", "hard"}
    assert sorted(counts.values()) == [3, 3, 4]
    for entry in entries:
        question = lesson.question(entry["id"])
        assert sorted(entry["options"]) == sorted(option.id for option in question.options)


def test_draws_differ_and_shuffle_options(lesson):
    draws = [
        attempts.test_questions_draw(lesson=lesson, rng=random.Random(seed)) for seed in range(5)
    ]
    assert len({tuple(e["id"] for e in draw) for draw in draws}) > 1
    bank_orders = {q.id: [o.id for o in q.options] for q in lesson.questions}
    shuffled = [e for draw in draws for e in draw if e["options"] != bank_orders[e["id"]]]
    assert shuffled


def test_letters_follow_the_shown_order(lesson):
    question = lesson.question("why-async-views")
    order = ["unsupported-server", "slower", "concurrent", "sync-db-only"]
    review = display.question_review(question, order=order, number=1, field="q1", chosen="slower")
    assert review.right.letter == "C"
    assert review.chosen is not None and review.chosen.letter == "B"
    assert not review.correct
    # References in the solution name the letters the learner saw.
    assert "<strong>C</strong> (“Keep many requests waiting at once" in review.solution_html[1]
    assert "<strong>B</strong> (“Run slower" in review.solution_html[1]
    assert display.option_for_letter(order, "C") == "concurrent"
    assert display.option_for_letter(order, "E") is None
    assert display.option_for_letter(order, ["A"]) is None


def test_stored_order_survives_edited_options(lesson):
    question = lesson.question("why-async-views")
    order = display.question_option_order(question, ["gone", "slower", "concurrent"])
    assert order[:2] == ["slower", "concurrent"]
    assert sorted(order) == sorted(option.id for option in question.options)
