"""Spaced review: flashcards from a lesson's question bank and concepts, scheduled by FSRS.

The cards are generated from the lesson file (front: the prompt or the concept's name; back:
the right answer, the quick check and the worked solution). Only the schedule is stored: one
`ReviewCard` per learner and card, holding py-fsrs's `Card` as JSON, so reviews survive days
and restarts. A card never reviewed is due at once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.text import slugify
from fsrs import Card, Rating, Scheduler

from lessons.types import Lesson

RATINGS: tuple[tuple[str, Rating], ...] = (
    ("again", Rating.Again),
    ("hard", Rating.Hard),
    ("good", Rating.Good),
    ("easy", Rating.Easy),
)
# Fuzzing spreads due dates of many cards; off, the schedule is the same every time, which
# learners (and tests) can rely on.
SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class Flashcard:
    key: str
    front_html: str
    back_answer_html: str
    back_check_html: str
    back_solution_html: tuple[str, ...]


def _concept_parts(concept: object) -> tuple[str, str]:
    """A concept's name and text; another engineer's `Lesson.concepts` may not exist yet."""
    title = str(getattr(concept, "title", "") or getattr(concept, "name", "") or "")
    body = str(getattr(concept, "body_html", "") or getattr(concept, "html", "") or "")
    return title, body


def flashcards_list(lesson: Lesson) -> list[Flashcard]:
    cards = [
        Flashcard(
            key=f"q:{question.id}",
            front_html=question.prompt_html,
            back_answer_html=question.correct_option.text_html,
            back_check_html=question.quick_check_html,
            back_solution_html=question.solution_html,
        )
        for question in lesson.questions
    ]
    for concept in getattr(lesson, "concepts", ()):
        title, body = _concept_parts(concept)
        if title and body:
            cards.append(
                Flashcard(
                    key=f"c:{slugify(title)[:100]}",
                    front_html=f"What is <strong>{title}</strong>, and why does it matter here?",
                    back_answer_html=body,
                    back_check_html="",
                    back_solution_html=(),
                )
            )
    return cards


def flashcard_get(lesson: Lesson, key: str) -> Flashcard | None:
    return next((card for card in flashcards_list(lesson) if card.key == key), None)


def review_unavailable_reason(lesson: Lesson) -> str:
    if not flashcards_list(lesson):
        return "This lesson has no questions or concepts to make flashcards from."
    return ""


def rating_parse(value: object) -> Rating | None:
    return next((rating for name, rating in RATINGS if name == value), None)


def fsrs_review(
    *, card_json: dict[str, object] | None, rating: Rating, now: datetime.datetime
) -> Card:
    """The card's schedule after one review: a new card when there is none yet."""
    card = Card.from_dict(card_json) if card_json else Card(due=now)  # type: ignore[arg-type]
    reviewed, _log = SCHEDULER.review_card(card, rating, review_datetime=now)
    return reviewed
