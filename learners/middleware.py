"""Anonymous sessions last as long as they are used: a learner's session is saved (which
renews its expiry, SESSION_COOKIE_AGE from then) on the first request of each day."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from learners.identity import LEARNER_SESSION_KEY

SEEN_KEY = "learner_seen"


def session_keepalive(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[..., HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        # Only sessions that exist and hold learner work; a first visit makes none.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and hasattr(request, "session"):
            session = request.session
            if LEARNER_SESSION_KEY in session or "_auth_user_id" in session:
                today = timezone.now().date().isoformat()
                if session.get(SEEN_KEY) != today:
                    session[SEEN_KEY] = today
        return response

    return middleware
