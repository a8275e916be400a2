"""Writes of the learning modes: progress per learner and mode, and review schedules."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from fsrs import Rating

from exercises.models import ModeProgress, ReviewCard
from exercises.modes.review import fsrs_review
from lessons.types import Lesson


def mode_progress_record(
    *,
    learner: str,
    lesson: Lesson,
    mode: str,
    done: bool,
    seconds: int | None = None,
    item: str | None = None,
) -> ModeProgress:
    """Record an attempt: in progress, or done (which stays done). `seconds` keeps the best
    time; `item` notes one finished part of a mode made of several (a fixed bug)."""
    with transaction.atomic():
        progress, _created = ModeProgress.objects.select_for_update().get_or_create(
            learner=learner, lesson_slug=lesson.slug, mode=mode
        )
        if done:
            progress.state = ModeProgress.State.DONE
        if seconds is not None and (
            progress.best_seconds is None or seconds < progress.best_seconds
        ):
            progress.best_seconds = seconds
        if item is not None:
            items = [str(x) for x in progress.data.get("done", [])]
            if item not in items:
                progress.data = {**progress.data, "done": [*items, item]}
        progress.save()
    return progress


def review_card_rate(
    *,
    learner: str,
    lesson: Lesson,
    card_key: str,
    rating: Rating,
    now: datetime.datetime | None = None,
) -> ReviewCard:
    """One review of one card: FSRS schedules its next due date."""
    moment = now or timezone.now()
    with transaction.atomic():
        stored = (
            ReviewCard.objects.select_for_update()
            .filter(learner=learner, lesson_slug=lesson.slug, card_key=card_key)
            .first()
        )
        card = fsrs_review(
            card_json=stored.fsrs_card if stored else None, rating=rating, now=moment
        )
        if stored is None:
            stored = ReviewCard(learner=learner, lesson_slug=lesson.slug, card_key=card_key)
        stored.fsrs_card = card.to_dict()
        stored.due = card.due
        stored.reviews += 1
        stored.save()
    mode_progress_record(learner=learner, lesson=lesson, mode="review", done=False)
    return stored
