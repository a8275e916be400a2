"""The streak shown in every page's header."""

from __future__ import annotations

from django.http import HttpRequest

from learners.identity import browser_time_zone, learner_id_known
from learners.selectors import learner_streak
from learners.streaks import Streak


def streak(request: HttpRequest) -> dict[str, Streak]:
    learner = learner_id_known(request)
    return {"streak": learner_streak(learner=learner, browser=browser_time_zone(request))}
