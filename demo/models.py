"""The learner's own runs, kept so the lab can draw them side by side."""

from __future__ import annotations

from django.db import models


class DemoRun(models.Model):
    """One finished run: what the learner predicted and what was measured."""

    class FiredFrom(models.TextChoices):
        BROWSER = "browser", "your browser"
        SERVER = "server", "the server"

    learner_id = models.CharField(max_length=64, db_index=True)
    lesson = models.SlugField(max_length=200)
    mode = models.CharField(max_length=40)
    fired_from = models.CharField(max_length=10, choices=FiredFrom.choices)
    n = models.PositiveIntegerField()
    workers = models.PositiveSmallIntegerField(null=True, blank=True)
    wait_s = models.FloatField()
    prediction_s = models.FloatField(null=True, blank=True)
    predicted_threads = models.PositiveIntegerField(null=True, blank=True)
    elapsed_s = models.FloatField()
    # Server-fired runs only: what the serving process added at peak.
    extra_threads = models.PositiveIntegerField(null=True, blank=True)
    extra_rss_mb = models.FloatField(null=True, blank=True)
    threads_served = models.PositiveIntegerField(null=True, blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["learner_id", "lesson", "created"])]

    def __str__(self) -> str:
        return f"{self.mode} × {self.n} from {self.fired_from}: {self.elapsed_s:.2f} s"
