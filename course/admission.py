"""Who may wait in a lean route right now: per-client and global caps on requests in flight.

A waiting request is cheap on the lean path but not free (a socket, a coroutine, and for the
sync or blocking routes a thread or the one isolated loop), so each route caps how many one
client, and all clients together, may have waiting at once. Requests the server fires at
itself were admitted as a whole run and carry a per-process token instead.
"""

from __future__ import annotations

import math
import secrets
from collections import Counter
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings

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


@dataclass
class InFlight:
    """Requests waiting in the lean routes right now, per route and per (route, client).

    Only touched from the main event loop, so plain counters need no lock.
    """

    by_mode: Counter[str] = field(default_factory=Counter)
    by_client: Counter[tuple[str, str]] = field(default_factory=Counter)

    def try_enter(self, mode: CappedRoute, client: str, *, self_fired: bool) -> int | None:
        """Count a request in, or return how many seconds it should wait before retrying."""
        if self.by_mode[mode.key] >= mode.global_in_flight_max:
            return retry_after_seconds(self.by_mode[mode.key] if mode.isolated_loop else 1)
        if not self_fired and self.by_client[mode.key, client] >= mode.client_in_flight_max:
            return retry_after_seconds(
                self.by_client[mode.key, client] if mode.isolated_loop else 1
            )
        self.by_mode[mode.key] += 1
        self.by_client[mode.key, client] += 1
        return None

    def leave(self, mode: CappedRoute, client: str) -> None:
        self.by_mode[mode.key] -= 1
        self.by_client[mode.key, client] -= 1
        if self.by_client[mode.key, client] <= 0:
            del self.by_client[mode.key, client]


# The one set of counters of this process: the lean handler counts requests in and out, the
# demo reads them to report what is waiting.
in_flight = InFlight()
