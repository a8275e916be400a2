"""The one model of the "Query the database from an async view" lesson.

Learners write `from articles.models import Article` in that lesson, and the demo lab's
database views query these rows for real; a data migration seeds a few.
"""

from __future__ import annotations

from django.db import models


class Article(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField()

    def __str__(self) -> str:
        return self.title
