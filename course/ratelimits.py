"""Rate limits on every POST that does work, all in one place: per learner and per address.

One browser tab pressing Check as fast as a person can stays far below these; a script firing
hundreds of checks a second gets a 429 with `Retry-After` and a message where the page shows
answers, so it cannot take the checker (or the database) from everyone else. Each limit holds
per learner (their session) and per client address (dropping the cookie buys nothing).

The address is the peer's, as the server sees it. Behind a reverse proxy that is the proxy's
for everyone, so the per-address limits would become one for the whole site: set
`COURSE_TRUST_PROXY=1` and `course.serve` starts Daphne with `--proxy-headers`, which takes the
client's address from `X-Forwarded-For` (the proxy must set that header, not append to it).

Counting uses django-ratelimit's fixed windows in Django's cache: in the process's memory
(one server process), or in Redis when `REDIS_URL` is set (several processes share it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from exercises.learners import LEARNER_SESSION_KEY

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class Limit:
    what: str  # how the message names the action: "code checks"
    per_learner: str  # django-ratelimit rates: "30/m" is 30 a minute
    per_address: str


# Per minute. Addresses get four learners' worth: a classroom behind one NAT still works.
LIMITS: dict[str, Limit] = {
    "check": Limit("code checks", per_learner="30/m", per_address="120/m"),
    "hint": Limit("hint, solution or start-over requests", "30/m", "120/m"),
    "practice": Limit("practice answers", "60/m", "240/m"),
    # The editor saves a draft when typing pauses: often, but each is one small write.
    "draft": Limit("draft saves", "120/m", "480/m"),
    # A test saves each answer as it is chosen: a fast reader clicks a lot.
    "test": Limit("test answers", "120/m", "480/m"),
    "test_start": Limit("test starts and submissions", "20/m", "80/m"),
    "demo": Limit("demo runs", "10/m", "40/m"),
}


def _learner_key(group: str, request: HttpRequest) -> str:
    learner = request.session.get(LEARNER_SESSION_KEY)
    return str(learner) if learner else ""


def retry_after(request: HttpRequest, group: str) -> int | None:
    """Count this request against its limits; the seconds to wait when it is over one."""
    limit = LIMITS[group]
    waits = []
    usage = get_usage(request, group=group, key="ip", rate=limit.per_address, increment=True)
    if usage and usage["should_limit"]:
        waits.append(usage["time_left"])
    if _learner_key(group, request):
        usage = get_usage(
            request, group=group, key=_learner_key, rate=limit.per_learner, increment=True
        )
        if usage and usage["should_limit"]:
            waits.append(usage["time_left"])
    return max(1, *waits) if waits else None


def too_many(request: HttpRequest, group: str, seconds: int) -> HttpResponse:
    """The 429: a notice htmx puts in the page's notice area (whatever the form targets),
    or a page of its own without JavaScript."""
    what = LIMITS[group].what
    if request.path.startswith("/api/"):
        # The JSON API answers JSON, even when it refuses.
        message = f"Too many {what} in a minute from one client; try again in {seconds} s."
        refused = JsonResponse({"error": message, "retry_after": seconds}, status=429)
        refused["Retry-After"] = str(seconds)
        return refused
    # Every limited URL is an action under the page it belongs to (…/steps/1/check/).
    back = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
    context = {"what": what, "seconds": seconds, "back": back}
    htmx = bool(getattr(request, "htmx", False))
    template = "429.html#notice" if htmx else "429.html"
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(seconds)
    if htmx:
        response["HX-Retarget"] = "#rate-limit-notice"
        response["HX-Reswap"] = "innerHTML"
    return response


def rate_limited(group: str) -> Callable[[View], View]:
    """Refuse a request over its group's limits before the view does any work."""
    if group not in LIMITS:
        raise ValueError(f"No rate limit named {group!r}; add it to LIMITS.")

    def decorator(view: View) -> View:
        if iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                if request.method == "POST":
                    # The session (the learner) is read from the database: off the loop.
                    seconds = await sync_to_async(retry_after)(request, group)
                    if seconds is not None:
                        return await sync_to_async(too_many)(request, group, seconds)
                return await view(request, *args, **kwargs)

            return cast(View, async_wrapper)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                seconds = retry_after(request, group)
                if seconds is not None:
                    return too_many(request, group, seconds)
            response: HttpResponse = view(request, *args, **kwargs)
            return response

        return cast(View, wrapper)

    return decorator
