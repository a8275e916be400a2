"""The four ways of waiting the lab compares, and what each may cost the shared server.

Caps follow what a waiting request holds: an awaiting coroutine holds a socket and a few KB,
so the async modes go to 1000; a sync view holds a whole thread; the blocking mistake holds
the one event loop it runs on, so every request queues behind the previous one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from demo import showcase


@dataclass(frozen=True, kw_only=True)
class DemoMode:
    key: str
    label: str
    view: Callable[..., Any]
    url_name: str
    lesson: str
    # Largest N for a run the server fires at itself.
    server_max: int
    # Requests one client may have waiting at once (hit directly or from the browser run).
    client_in_flight_max: int
    # Requests all clients together may have waiting at once.
    global_in_flight_max: int
    # The blocking mistake runs on its own event loop so it never stalls anybody else.
    isolated_loop: bool = False

    @property
    def view_name(self) -> str:
        return self.view.__name__


MODES: dict[str, DemoMode] = {
    mode.key: mode
    for mode in (
        DemoMode(
            key="async",
            label="async def + await asyncio.sleep (your slow_view)",
            view=showcase.slow_view,
            url_name="demo:slow",
            lesson=(
                "While one request awaits, the event loop serves the others: N requests take "
                "about one wait in total, on a single thread."
            ),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
        DemoMode(
            key="sync",
            label="def + time.sleep",
            view=showcase.sync_view,
            url_name="demo:sync",
            lesson=(
                "Under ASGI Django runs each sync request in a thread of its own, so these "
                "overlap too, but every waiting request holds a whole thread. That is why its "
                "server-fired runs stop at 100."
            ),
            server_max=100,
            client_in_flight_max=100,
            global_in_flight_max=200,
        ),
        DemoMode(
            key="blocking",
            label="async def + time.sleep (the mistake)",
            view=showcase.blocking_view,
            url_name="demo:blocking",
            lesson=(
                "time.sleep never yields to the event loop, so each view starts only when the "
                "one before it has finished: N requests take N waits, and everything else on "
                "that loop waits too. Even finished answers cannot be sent while the loop is "
                "blocked, so browsers get them in clumps. Here it runs on a loop of its own, so "
                "only the blocking lab queues."
            ),
            server_max=6,
            client_in_flight_max=6,
            global_in_flight_max=10,
            isolated_loop=True,
        ),
        DemoMode(
            key="no-await",
            label="async def + asyncio.sleep without await",
            view=showcase.no_await_view,
            url_name="demo:no_await",
            lesson=(
                "Calling asyncio.sleep only creates a coroutine; without await it never runs. "
                "The response comes back at once and Python warns 'coroutine was never "
                "awaited'. Fast, and wrong."
            ),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
    )
}

BROWSER_MAX = 6
