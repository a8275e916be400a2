"""Learner work. Anonymous learners are known by a learner id kept in their session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

# The API's and LTI's own models live with them; importing them here registers them.
from exercises.api.models import ApiKey
from exercises.lti.models import LtiGradeTarget

if TYPE_CHECKING:
    from typing import Self


class StepWorkQuerySet(models.QuerySet["StepWork"]):
    def for_lesson(self, *, learner: str, lesson_slug: str) -> Self:
        return self.filter(learner=learner, lesson_slug=lesson_slug)

    def for_step(self, *, learner: str, lesson_slug: str, step_number: int) -> Self:
        return self.filter(learner=learner, lesson_slug=lesson_slug, step_number=step_number)


class TestAttemptQuerySet(models.QuerySet["TestAttempt"]):
    def for_lesson(self, *, learner: str, lesson_slug: str) -> Self:
        return self.filter(learner=learner, lesson_slug=lesson_slug)

    def submitted(self) -> Self:
        return self.filter(submitted_at__isnull=False)

    def unfinished(self) -> Self:
        return self.filter(submitted_at__isnull=True)


class StepWork(models.Model):
    """A learner's current code for one step, and whether it has passed."""

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    step_number = models.PositiveSmallIntegerField()
    code = models.TextField(blank=True)
    passed = models.BooleanField(default=False)
    passed_at = models.DateTimeField(null=True, blank=True)
    checks_run = models.PositiveIntegerField(default=0)
    # Whether the code the learner checked last (in this step or a later one, whose file
    # carries this step's code on) still passes this step. `passed` is for keeps; this
    # says what holds now, so a step passed before and broken since shows as such.
    # None until a check says either way.
    passes_now = models.BooleanField(null=True, blank=True)
    hints_shown = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StepWorkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson_slug", "step_number"], name="one_work_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner[:8]} {self.lesson_slug} step {self.step_number}"


class StepAttempt(models.Model):
    """One press of "Check": kept so instructors can see what learners get wrong."""

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    step_number = models.PositiveSmallIntegerField()
    code = models.TextField()
    status = models.CharField(max_length=20)
    passed = models.BooleanField()
    # Labels of the checks and diagnostics that failed, for the instructor's view.
    failed = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["lesson_slug", "step_number"])]

    def __str__(self) -> str:
        return f"{self.lesson_slug} step {self.step_number}: {self.status}"


class QuizAnswer(models.Model):
    """A practice answer: the option a learner chose for one question."""

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    question_id = models.SlugField(max_length=100)
    option_id = models.SlugField(max_length=100)
    correct = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["lesson_slug", "question_id"])]

    def __str__(self) -> str:
        return f"{self.lesson_slug}/{self.question_id}: {self.option_id}"


class TestAttempt(models.Model):
    """A 10-question test: the questions drawn, their option order, and once submitted,
    the answers and the score."""

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    # [{"id": question id, "options": [option ids in the order shown]}]
    questions = models.JSONField()
    # {question id: option id}; empty until submitted
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = TestAttemptQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.lesson_slug} test {self.pk}: {self.score}/{self.total}"


class ModeProgress(models.Model):
    """How far a learner has got in one learning mode of a lesson (`exercises.modes`)."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "in progress"
        DONE = "done", "done"

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    mode = models.SlugField(max_length=40)
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    # From scratch: the fastest passing attempt, in whole seconds.
    best_seconds = models.PositiveIntegerField(null=True, blank=True)
    # What a mode keeps of its own, e.g. which broken programs have been fixed.
    data = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson_slug", "mode"], name="one_progress_per_mode"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner[:8]} {self.lesson_slug} {self.mode}: {self.state}"


class ReviewCard(models.Model):
    """One spaced-review flashcard of a learner, scheduled by FSRS (`fsrs.Card` as JSON)."""

    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    card_key = models.CharField(max_length=120)
    fsrs_card = models.JSONField()
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson_slug", "card_key"], name="one_review_card_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner[:8]} {self.lesson_slug} {self.card_key} due {self.due:%Y-%m-%d}"


__all__ = [
    "ApiKey",
    "LtiGradeTarget",
    "ModeProgress",
    "QuizAnswer",
    "ReviewCard",
    "StepAttempt",
    "StepWork",
    "TestAttempt",
]
