"""The ways of waiting the lab compares, and what each may cost the shared server.

The registry is keyed by mode key, and each mode names the lesson it belongs to, so a lesson
can list the demo views it wants by key (front matter `demo: [keys]`) and the lab shows only
those (`?lesson=<slug>`).

Caps follow what a waiting request holds: an awaiting coroutine holds a socket and a few KB,
so the lean async modes go to 10,000; a sync view holds a whole thread, and so does every
request through Django's full stack, so those stop at 1000 (enough to see the cost); the
blocking mistake holds the one event loop it runs on, so every request queues behind the
previous one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course.lean_handler import WORKER_CHOICES, WORKERS_DEFAULT
from demo import showcase

SEED_LESSON = "why-async-matters"
# Worker counts a learner may give the worker-pool counterpart come from the lean path: a few
# fixed pools, so the threads they keep stay bounded (1 + 2 + 4 + 8 + 16 at most).
__all__ = ["BROWSER_MAX", "MODES", "WORKERS_DEFAULT", "WORKER_CHOICES", "DemoMode"]


@dataclass(frozen=True, kw_only=True)
class DemoMode:
    key: str
    label: str
    view: Callable[..., Any]
    url_name: str
    # The slug of the lesson whose lab shows this mode.
    lesson: str
    # What the card under the view's source says, before any run.
    teaches: str
    # Largest N for a run the server fires at itself.
    server_max: int
    # Requests one client may have waiting at once (hit directly or from the browser run).
    client_in_flight_max: int
    # Requests all clients together may have waiting at once.
    global_in_flight_max: int
    # The blocking mistake runs on its own event loop so it never stalls anybody else.
    isolated_loop: bool = False
    # False for a view that returns without waiting: its run has no "sum of the waits".
    waits: bool = True
    # Served by a bounded pool of K worker threads, as a WSGI server with K workers would.
    pooled: bool = False
    # Served through Django's full stack (middleware and signal receivers), not the lean path.
    full_stack: bool = False
    # Shown instead of the source when the view on show is another mode's function.
    same_view_as: str = ""

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
            lesson=SEED_LESSON,
            teaches=(
                "While one request awaits, the event loop serves the others: N requests take "
                "about one wait in total, on a single thread."
            ),
            server_max=10_000,
            client_in_flight_max=1000,
            global_in_flight_max=12_000,
        ),
        DemoMode(
            key="sync",
            label="def + time.sleep",
            view=showcase.sync_view,
            url_name="demo:sync",
            lesson=SEED_LESSON,
            teaches=(
                "Under ASGI Django runs each sync request in a thread of its own, so these "
                "overlap too, but every waiting request holds a whole thread: fire 1000 from "
                "the server and watch the thread count and memory."
            ),
            server_max=1000,
            client_in_flight_max=100,
            global_in_flight_max=1100,
        ),
        DemoMode(
            key="sync-pool",
            label="def + time.sleep on K workers (like a WSGI server)",
            view=showcase.sync_view,
            url_name="demo:sync_pool",
            lesson=SEED_LESSON,
            teaches=(
                "The same sync_view, served by a fixed pool of K worker threads, as a WSGI "
                "server with K workers serves it: K requests wait at a time and the rest "
                "queue, so N requests take about N / K waits."
            ),
            server_max=1000,
            client_in_flight_max=100,
            global_in_flight_max=1100,
            pooled=True,
            same_view_as="sync",
        ),
        DemoMode(
            key="blocking",
            label="async def + time.sleep (the mistake)",
            view=showcase.blocking_view,
            url_name="demo:blocking",
            lesson=SEED_LESSON,
            teaches=(
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
            lesson=SEED_LESSON,
            teaches=(
                "Calling asyncio.sleep only creates a coroutine; without await it never runs. "
                "The response comes back at once and Python warns 'coroutine was never "
                "awaited'. Fast, and wrong: the work was never done."
            ),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
            waits=False,
        ),
        DemoMode(
            key="stock",
            label="the same slow_view through stock Django's full stack",
            view=showcase.slow_view,
            url_name="demo:stock",
            lesson=SEED_LESSON,
            teaches=(
                "The same async slow_view, served by stock Django: every middleware and the "
                "request_started / request_finished receivers are sync code, which Django runs "
                "in a thread of the request's own, so each waiting request holds a thread even "
                "though the view itself only awaits."
            ),
            server_max=1000,
            client_in_flight_max=100,
            global_in_flight_max=1100,
            full_stack=True,
            same_view_as="async",
        ),
    )
}

BROWSER_MAX = 6


def modes_for_lesson(slug: str) -> list[DemoMode]:
    """The modes a lesson's lab shows, in registry order (none for an unknown slug)."""
    return [mode for mode in MODES.values() if mode.lesson == slug]


def lessons_with_modes() -> set[str]:
    return {mode.lesson for mode in MODES.values()}
