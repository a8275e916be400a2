"""Where a learner's test score goes back to, for a learner who came from an LMS (LTI 1.3).

django-lti keeps the platforms (`LtiRegistration`, set up in the admin) and the tool's keys;
this keeps, per learner and lesson, the grade book column (AGS line item) their launch named,
so the score can be sent when they submit the test, on any later request and any process.
"""

from __future__ import annotations

from django.db import models


class LtiGradeTarget(models.Model):
    learner = models.CharField(max_length=64, db_index=True)
    lesson_slug = models.SlugField(max_length=100)
    registration = models.ForeignKey(
        "lti_tool.LtiRegistration", on_delete=models.CASCADE, related_name="+"
    )
    # The LMS's id for the learner (the launch's `sub`): scores are sent for it.
    user_sub = models.CharField(max_length=255)
    lineitem_url = models.URLField(max_length=1000)
    scopes = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "exercises"
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson_slug", "registration"], name="one_lti_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson_slug} for {self.user_sub} at {self.registration}"
