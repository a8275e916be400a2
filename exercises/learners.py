"""Who the learner is: a random id kept in the session, so anonymous progress survives a
closed tab and a server restart (sessions live in the database)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

LEARNER_SESSION_KEY = "learner_id"


def learner_id_known(request: HttpRequest) -> str | None:
    """The learner's id, or None for someone who has not done anything yet."""
    value = request.session.get(LEARNER_SESSION_KEY)
    return value if isinstance(value, str) and value else None


def learner_id(request: HttpRequest) -> str:
    """The learner's id, made on first use: for requests that record learner work."""
    value = learner_id_known(request)
    if value is None:
        value = secrets.token_hex(16)
        request.session[LEARNER_SESSION_KEY] = value
    return value
