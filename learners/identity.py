"""Who the learner is.

Anonymous learners are known by a random id kept in their session, so their progress survives
a closed tab and a server restart (sessions live in the database). A signed-in learner is
known by an id made from the account, the same on every device and browser; the moment they
log in, the work done under the session's id moves to it (learners.services).
"""

from __future__ import annotations

import secrets
from typing import Protocol

from django.http import HttpRequest

LEARNER_SESSION_KEY = "learner_id"
# The browser's IANA time zone, written by static/js/timezone.js.
TIME_ZONE_COOKIE = "tz"


class HasPk(Protocol):
    @property
    def pk(self) -> object: ...


def user_learner_id(user: HasPk) -> str:
    """The learner id of an account: stable, and never one a session could be given."""
    return f"user-{user.pk}"


def session_learner_id(request: HttpRequest) -> str | None:
    """The anonymous id in the session, if any (also kept while signed in, until merged)."""
    # An error page for a request refused before the session middleware ran has no session.
    session = getattr(request, "session", None)
    value = session.get(LEARNER_SESSION_KEY) if session is not None else None
    return value if isinstance(value, str) and value else None


def learner_id_known(request: HttpRequest) -> str | None:
    """The learner's id, or None for someone who has not done anything yet."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user_learner_id(user)
    return session_learner_id(request)


def learner_id(request: HttpRequest) -> str:
    """The learner's id, made on first use: for requests that record learner work."""
    value = learner_id_known(request)
    if value is None:
        value = secrets.token_hex(16)
        request.session[LEARNER_SESSION_KEY] = value
    return value


def browser_time_zone(request: HttpRequest) -> str | None:
    """The time zone the browser says it is in (unchecked; services validate it)."""
    value = request.COOKIES.get(TIME_ZONE_COOKIE, "")
    return value or None
