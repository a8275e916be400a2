"""The ways of waiting the lab compares, and what each may cost the shared server.

Caps follow what a waiting request holds. On this lab's lean path a waiting request costs
some tens of kilobytes and no thread (measured: about 15-25 KB), so the async modes go to
1000; on stock Django it would also hold a thread. A sync view holds a whole thread; the
blocking mistake holds the one event loop it runs on, so every request queues behind the
previous one. A query holds a worker thread while it runs, so the database modes that query
are capped like the sync view.
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
    # The lesson (slug) whose "See it run" shows this mode.
    lesson_slug: str = "why-async-matters"
    # What a request gets when the view works as it is written (a server-fired run counts
    # anything else as an error).
    answer: str = "Done waiting!"
    answer_status: int = 200
    # Touches the database: the lean path closes the request's connection after it.
    uses_database: bool = False
    # Functions the view calls, shown above it in the lab.
    helpers: tuple[Callable[..., Any], ...] = ()

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
                "about one wait in total. This lab serves its views without middleware and "
                "request signals, so they wait on one thread; stock Django would hold a thread "
                "per waiting request even here (1000 requests: 1001 threads)."
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
                "overlap too, but every waiting request holds a whole thread. So does stock "
                "Django for an async view; the async lab avoids it by skipping middleware and "
                "request signals. That is why its server-fired runs stop at 100."
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
                "The response comes back at once and Python emits 'coroutine ... was never "
                "awaited' (the lab routes warnings to its log; plain Daphne would drop it). "
                "Fast, and wrong."
            ),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
        DemoMode(
            key="orm-sync-in-async",
            label="async def + sync ORM get() (refused)",
            view=showcase.orm_sync_in_async_view,
            url_name="demo:orm_sync_in_async",
            lesson=(
                "Every request failed: Django refuses a sync ORM call such as "
                "Article.objects.get() on the event loop and raises SynchronousOnlyOperation "
                "instead of letting the query stall every request. Use "
                "await Article.objects.aget(pk=1)."
            ),
            lesson_slug="async-database-queries",
            # What it is meant to answer; every request fails instead, and the run says so.
            answer="Why async matters",
            uses_database=True,
            # It fails before any query, so a request holds no thread: a few are enough.
            server_max=6,
            client_in_flight_max=6,
            global_in_flight_max=20,
        ),
        DemoMode(
            key="orm-aget",
            label="async def + await aget() (the async ORM)",
            view=showcase.orm_aget_view,
            url_name="demo:orm_aget",
            lesson=(
                "The waits overlapped on the event loop, but each query ran in a worker thread: "
                "aget() is sync_to_async(get) in Django 5.2. The async ORM frees the event "
                "loop, not the thread. Queries that start at the same moment also contend for "
                "the CPUs, so the run takes a little more than one wait."
            ),
            lesson_slug="async-database-queries",
            answer="Why async matters",
            uses_database=True,
            server_max=100,
            client_in_flight_max=100,
            global_in_flight_max=200,
        ),
        DemoMode(
            key="orm-sync-view",
            label="def + time.sleep + sync ORM get()",
            view=showcase.orm_sync_view,
            url_name="demo:orm_sync_view",
            lesson=(
                "A sync view is allowed to use the sync ORM: Django ran each request in a "
                "thread of its own, so they overlapped, but each held its thread for the whole "
                "wait, not just for the query."
            ),
            lesson_slug="async-database-queries",
            answer="Why async matters",
            uses_database=True,
            server_max=100,
            client_in_flight_max=100,
            global_in_flight_max=200,
        ),
        DemoMode(
            key="sequential",
            label="two awaits, one after the other",
            view=showcase.sequential_view,
            url_name="demo:sequential",
            lesson=(
                "Each request waited twice, one wait after the other: await finishes one call "
                "before the next line starts. The requests still overlapped each other on the "
                "event loop."
            ),
            lesson_slug="wait-for-two-things",
            answer="sunny; Django 5.2 is out",
            helpers=(showcase.fetch_weather, showcase.fetch_news),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
        DemoMode(
            key="gather",
            label="await asyncio.gather(...) of the two calls",
            view=showcase.gather_view,
            url_name="demo:gather",
            lesson=(
                "asyncio.gather ran both calls at once, so each request waited about one "
                "wait instead of two, still on one thread."
            ),
            lesson_slug="wait-for-two-things",
            answer="sunny; Django 5.2 is out",
            helpers=(showcase.fetch_weather, showcase.fetch_news),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
        DemoMode(
            key="timeout",
            label="gather under asyncio.timeout, one service too slow",
            view=showcase.timeout_view,
            url_name="demo:timeout",
            lesson=(
                "The news took 2 × WAIT_TIME, longer than the 1.5 × WAIT_TIME bound: "
                "asyncio.timeout cancelled the gathered calls and raised TimeoutError, and the "
                "view answered 504 Gateway Timeout without waiting for the slow service. "
                "Django logs each 504 from a few threads of its own."
            ),
            lesson_slug="wait-for-two-things",
            answer="Gave up waiting",
            answer_status=504,
            helpers=(showcase.fetch_weather, showcase.fetch_slow_news),
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
    )
}

BROWSER_MAX = 6
