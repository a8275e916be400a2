"""Who may wait in a lean route right now: per-client and global caps on requests in flight.

A waiting request is cheap on the lean path but not free (a socket, a coroutine, and for the
sync or blocking routes a thread or the one isolated loop), so each route caps how many one
client, and all clients together, may have waiting at once. Requests the server fires at
itself were admitted as a whole run and carry a per-process token instead.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

from django.conf import settings

from course.slots import Full, Limit, Slots, Ticket, lifetime_seconds, slots_get

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Requests the server fires at itself carry this per-process secret. Their run was admitted
# (and capped) as a whole, so they skip the per-client caps that protect direct requests.
SELF_FIRED_TOKEN = secrets.token_urlsafe(32)
SELF_FIRED_HEADER = "x-demo-run-token"
SELF_FIRED_HEADER_BYTES = SELF_FIRED_HEADER.encode()


class CappedRoute(Protocol):
    """What admission needs to know of a route (the demo's `DemoMode` is one)."""

    @property
    def key(self) -> str: ...
    @property
    def client_in_flight_max(self) -> int: ...
    @property
    def global_in_flight_max(self) -> int: ...
    # A route whose requests queue one after another (the blocking mistake): its retry hint
    # grows with the queue.
    @property
    def isolated_loop(self) -> bool: ...


def client_key(scope: Scope) -> str:
    """Who a request comes from, for the per-client caps: the peer's IP address.

    The IP rather than the session: dropping a cookie must not buy a fresh allowance.
    """
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def is_self_fired(scope: Scope) -> bool:
    # Read from the raw ASGI headers: building request.headers costs more than the check.
    token = SELF_FIRED_TOKEN.encode()
    return any(
        name == SELF_FIRED_HEADER_BYTES and value == token for name, value in scope["headers"]
    )


def retry_after_seconds(queued: int = 1) -> int:
    return max(1, math.ceil(settings.COURSE_WAIT_TIME * max(1, queued)))


class InFlight:
    """Requests waiting in the lean routes right now, per route and per (route, client).

    Counted in `course.slots`: in this process, or in Redis for all processes when REDIS_URL
    is set, so that N server processes behind a proxy still allow each cap once.
    """

    def __init__(self, slots: Slots | None = None) -> None:
        self._slots = slots

    @property
    def slots(self) -> Slots:
        return self._slots if self._slots is not None else slots_get()

    async def try_enter(self, mode: CappedRoute, client: str, *, self_fired: bool) -> Ticket | int:
        """Count a request in (give the ticket back to `leave`), or return how many seconds
        it should wait before retrying."""
        route = Limit(route_key(mode.key), mode.global_in_flight_max)
        # Self-fired requests still count on the client's counter but are never refused by it.
        per_client = Limit(
            route_key(mode.key, client), UNLIMITED if self_fired else mode.client_in_flight_max
        )
        # A request waits one wait, or in the blocking route's queue up to one per request.
        waits = mode.global_in_flight_max if mode.isolated_loop else 1
        taken = await self.slots.take([route, per_client], lifetime=lifetime_seconds(waits))
        if isinstance(taken, Full):
            return retry_after_seconds(taken.count if mode.isolated_loop else 1)
        return taken

    async def leave(self, ticket: Ticket) -> None:
        await self.slots.give_back(ticket)

    async def waiting(self, mode_key: str, client: str | None = None) -> int:
        """How many requests wait in a route now (from one client, when given)."""
        return await self.slots.count(route_key(mode_key, client))


UNLIMITED = 2**31


def route_key(mode_key: str, client: str | None = None) -> str:
    return f"in-flight:{mode_key}" + (f":{client}" if client is not None else "")


# The one set of counters of this process: the lean handler counts requests in and out, the
# demo reads them to report what is waiting.
in_flight = InFlight()
