"""Who the learner is: a random id kept in the session, so anonymous progress survives a
closed tab and a server restart (sessions live in the database)."""

from __future__ import annotations

import secrets

from django.http import HttpRequest

LEARNER_SESSION_KEY = "learner_id"


def learner_id(request: HttpRequest, *, create: bool = True) -> str | None:
    """The learner's id; made on first use when `create` is true."""
    value = request.session.get(LEARNER_SESSION_KEY)
    if isinstance(value, str) and value:
        return value
    if not create:
        return None
    value = secrets.token_hex(16)
    request.session[LEARNER_SESSION_KEY] = value
    return value


async def alearner_id(request: HttpRequest, *, create: bool = True) -> str | None:
    value = await request.session.aget(LEARNER_SESSION_KEY)
    if isinstance(value, str) and value:
        return value
    if not create:
        return None
    value = secrets.token_hex(16)
    await request.session.aset(LEARNER_SESSION_KEY, value)
    return value
