"""Reads of the learning modes: each mode's state for a learner, cards due, the chooser."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from exercises.build.selectors import steps_passed
from exercises.models import ModeProgress, QuizAnswer, ReviewCard, StepWork, TestAttempt
from exercises.modes.catalog import MODES, Mode
from exercises.modes.review import flashcards_list
from lessons.types import Lesson

# The order a learner is steered through: understand, build, vary, prove, keep.
RECOMMENDED_PATH = (
    "concepts",
    "build",
    "parsons",
    "fix-the-bug",
    "fill-in",
    "from-scratch",
    "test",
    "worked-example",
    "practice",
    "review",
)
NOT_STARTED = "not_started"
STATE_LABELS = {
    NOT_STARTED: "Not started",
    ModeProgress.State.IN_PROGRESS: "In progress",
    ModeProgress.State.DONE: "Done",
}


@dataclass(frozen=True)
class ModeCard:
    mode: Mode
    description: str
    url: str
    state: str  # not_started, in_progress, done or due
    state_label: str
    minutes: int
    unavailable: str
    recommended: bool = False


def mode_url(lesson: Lesson, key: str) -> str:
    if key == "build":
        return reverse("exercises:step", args=[lesson.slug, lesson.steps[0].number])
    if key == "practice":
        return reverse("exercises:practice", args=[lesson.slug])
    if key == "test":
        return reverse("exercises:test", args=[lesson.slug])
    if key == "predict":
        return f"{reverse('demo:lab')}?lesson={lesson.slug}"
    return reverse(f"exercises:mode-{key}", args=[lesson.slug])


def mode_progress_get(*, learner: str | None, lesson: Lesson, mode: str) -> ModeProgress | None:
    if learner is None:
        return None
    return ModeProgress.objects.filter(learner=learner, lesson_slug=lesson.slug, mode=mode).first()


def review_cards_due(
    *, learner: str | None, lesson: Lesson, now: datetime.datetime | None = None
) -> list[str]:
    """Keys of the cards due now: every card never reviewed, and those whose time has come.

    Before a learner's first review nothing is "due": the mode is simply not started."""
    if learner is None:
        return []
    keys = [card.key for card in flashcards_list(lesson)]
    stored = dict(
        ReviewCard.objects.filter(learner=learner, lesson_slug=lesson.slug).values_list(
            "card_key", "due"
        )
    )
    if not stored:
        return []
    moment = now or timezone.now()
    return [key for key in keys if key not in stored or stored[key] <= moment]


def review_next_due(*, learner: str | None, lesson: Lesson) -> datetime.datetime | None:
    if learner is None:
        return None
    card = (
        ReviewCard.objects.filter(learner=learner, lesson_slug=lesson.slug).order_by("due").first()
    )
    return card.due if card else None


def _untracked_state(*, learner: str | None, lesson: Lesson, key: str) -> str:
    if learner is None:
        return NOT_STARTED
    if key == "build":
        passed = steps_passed(learner=learner, lesson_slug=lesson.slug)
        if len(passed) == len(lesson.steps):
            return ModeProgress.State.DONE
        started = StepWork.objects.for_lesson(learner=learner, lesson_slug=lesson.slug).exists()
        return ModeProgress.State.IN_PROGRESS if started or passed else NOT_STARTED
    if key == "practice":
        right = set(
            QuizAnswer.objects.filter(
                learner=learner, lesson_slug=lesson.slug, correct=True
            ).values_list("question_id", flat=True)
        )
        wanted = {question.id for question in lesson.practice_questions}
        if wanted and wanted <= right:
            return ModeProgress.State.DONE
        answered = QuizAnswer.objects.filter(learner=learner, lesson_slug=lesson.slug).exists()
        return ModeProgress.State.IN_PROGRESS if answered else NOT_STARTED
    if key == "test":
        attempts = TestAttempt.objects.for_lesson(learner=learner, lesson_slug=lesson.slug)
        if attempts.submitted().exists():
            return ModeProgress.State.DONE
        return ModeProgress.State.IN_PROGRESS if attempts.exists() else NOT_STARTED
    return NOT_STARTED


@dataclass(frozen=True)
class CardFacts:
    """What a mode's card says that depends on the lesson file alone."""

    description: str
    url: str
    minutes: int
    unavailable: str


# Per lesson file version (Lesson.version): worked out for every page, these were half the
# lesson page's cost (bench/bench_pages.py: 111 lesson pages a second with 50 busy clients,
# 238 without the chooser); a new version of the file is a new key.
_cards_facts_cache: dict[tuple[str, str], tuple[CardFacts, ...]] = {}
CARDS_FACTS_CACHE_MAX = 64


def _cards_facts(lesson: Lesson) -> tuple[CardFacts, ...]:
    key = (lesson.slug, lesson.version)
    facts = _cards_facts_cache.get(key) if lesson.version else None
    if facts is None:
        facts = tuple(_card_facts(lesson, mode) for mode in MODES)
        if lesson.version:
            if len(_cards_facts_cache) >= CARDS_FACTS_CACHE_MAX:
                _cards_facts_cache.clear()  # old versions of edited files: start afresh
            _cards_facts_cache[key] = facts
    return facts


def _card_facts(lesson: Lesson, mode: Mode) -> CardFacts:
    unavailable = mode.unavailable(lesson)
    return CardFacts(
        description=mode.description.format(test_size=lesson.test_size),
        url="" if unavailable else mode_url(lesson, mode.key),
        minutes=mode.minutes(lesson),
        unavailable=unavailable,
    )


def mode_cards(*, lesson: Lesson, learner: str | None, stage: str = "build") -> list[ModeCard]:
    """The chooser: every mode with its state for this learner, and one recommended.

    `stage` is the lesson's next action for this learner (`exercises.progress`), so the chooser
    and the lesson page's "Continue step N" / catalogue card follow one rule."""
    rows = (
        ModeProgress.objects.filter(learner=learner, lesson_slug=lesson.slug).values_list(
            "mode", "state", "data"
        )
        if learner
        else []
    )
    stored = {mode: state for mode, state, _data in rows}
    parts_done = {mode: set(data.get("done", [])) for mode, _state, data in rows}
    due = review_cards_due(learner=learner, lesson=lesson)
    cards: list[ModeCard] = []
    for mode, facts in zip(MODES, _cards_facts(lesson), strict=True):
        unavailable = facts.unavailable
        if mode.tracked:
            state = stored.get(mode.key, NOT_STARTED)
        else:
            state = _untracked_state(learner=learner, lesson=lesson, key=mode.key)
        label = STATE_LABELS.get(state, "Not started")
        if mode.key == "predict" and state == ModeProgress.State.IN_PROGRESS:
            # Of the views the lesson shows now (its `demo:` line may have changed since).
            predicted = parts_done.get("predict", set()) & set(lesson.demo)
            label = f"{len(predicted)} of {len(lesson.demo)} views predicted"
        if mode.key == "review" and due:
            state, label = "due", f"{len(due)} due"
        cards.append(
            ModeCard(
                mode=mode,
                description=facts.description,
                url=facts.url,
                state=state,
                state_label="Unavailable" if unavailable else label,
                minutes=facts.minutes,
                unavailable=unavailable,
            )
        )
    recommended = mode_recommended(cards, stage=stage)
    return [
        ModeCard(**{**card.__dict__, "recommended": card.mode.key == recommended}) for card in cards
    ]


def mode_cards_key(cards: list[ModeCard]) -> str:
    """What tells one rendering of the chooser from another for the same lesson version: the
    learner's state in each mode. (Descriptions, links and minutes follow the lesson version.)"""
    return "|".join(
        f"{card.mode.key}:{card.state}:{card.state_label}:{int(card.recommended)}" for card in cards
    )


def mode_recommended(cards: list[ModeCard], *, stage: str = "build") -> str:
    """Review when cards are due; practice after a test scored below the pass mark; else the
    first mode on the path not yet done (the test only once the build is done, which its
    place on the path after the build ensures)."""
    by_key = {card.mode.key: card for card in cards if not card.unavailable}
    if "review" in by_key and by_key["review"].state == "due":
        return "review"
    if stage == "practice" and "practice" in by_key:
        return "practice"
    for key in RECOMMENDED_PATH:
        card = by_key.get(key)
        if card is None or card.state == ModeProgress.State.DONE:
            continue
        if key == "test" and by_key.get("build") and by_key["build"].state != "done":
            continue
        return key
    return "review" if "review" in by_key else ""
