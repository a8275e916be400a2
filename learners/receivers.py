"""The login signal's receiver: it only hands over to the service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from learners.identity import LEARNER_SESSION_KEY, session_learner_id, user_learner_id
from learners.services import learner_work_merge


def anonymous_work_claim(sender: object, *, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """What the learner did before logging in (or signing up) becomes the account's."""
    anonymous = session_learner_id(request)
    if anonymous is None:
        return
    if learner_work_merge(source=anonymous, target=user_learner_id(user)):
        messages.info(request, "Everything you did before logging in is now in your account.")
    # The account's id is the learner's id from now on (learners.identity).
    request.session.pop(LEARNER_SESSION_KEY, None)
