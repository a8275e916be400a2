"""What the site keeps about a learner besides their work: settings, and the meaningful
things they did (for the streak and the points). Keyed by the learner id, like all learner
work, so an anonymous learner has them too and they move to the account on login."""

from __future__ import annotations

from django.db import models


class LearnerProfile(models.Model):
    """A learner's settings."""

    learner = models.CharField(max_length=64, unique=True)
    # An IANA name; empty until the browser says or the learner chooses (UTC meanwhile).
    time_zone = models.CharField(max_length=64, blank=True)
    # Chosen on "my learning": the browser's guess no longer overrides it.
    time_zone_chosen = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.learner[:12]} ({self.time_zone or 'UTC'})"


class Activity(models.Model):
    """One meaningful act: a step passed, a test finished, a mode finished, cards reviewed.

    `day` is the learner's own calendar day when it happened, fixed at that moment in the
    time zone they were in, so a later move across zones never rewrites their history."""

    learner = models.CharField(max_length=64)
    kind = models.CharField(max_length=40)
    # What the points are for: each key counts once, with its best points.
    key = models.CharField(max_length=200, blank=True)
    points = models.PositiveIntegerField(default=0)
    day = models.DateField()
    at = models.DateTimeField()
    time_zone = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["learner", "day"], name="activity_learner_day")]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.learner[:12]} {self.kind} on {self.day}"
