"""Reads about learners: the streak, the points."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from learners.models import Activity
from learners.services import learner_time_zone
from learners.streaks import Streak, streak_compute
from learners.time_zones import time_zone_get


def learner_today(*, time_zone: str, now: dt.datetime | None = None) -> dt.date:
    return (now or timezone.now()).astimezone(time_zone_get(time_zone)).date()


def learner_streak(
    *, learner: str | None, now: dt.datetime | None = None, browser: str | None = None
) -> Streak:
    """The learner's streak as of today in their time zone."""
    zone = learner_time_zone(learner=learner, browser=browser)
    today = learner_today(time_zone=zone, now=now)
    if learner is None:
        return streak_compute(days=[], today=today)
    days = Activity.objects.filter(learner=learner).values_list("day", flat=True).distinct()
    return streak_compute(days=days, today=today)


def learner_points(*, learner: str | None) -> int:
    """Points: each achievement once, with its best result."""
    if learner is None:
        return 0
    best = (
        Activity.objects.filter(learner=learner)
        .exclude(key="")
        .values("key")
        .annotate(best=Max("points"))
        .values_list("best", flat=True)
    )
    return sum(best)
