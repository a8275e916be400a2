"""The streak shown in every page's header."""

from __future__ import annotations

from django.http import HttpRequest

from learners.identity import learner_id_known
from learners.selectors import learner_streak
from learners.streaks import Streak


def streak(request: HttpRequest) -> dict[str, Streak]:
    return {"streak": learner_streak(learner=learner_id_known(request))}
