"""The ways of waiting the lab compares, and what each may cost the shared server.

The registry is keyed by mode key, and each mode names the lesson it belongs to, so a lesson
can list the demo views it wants by key (front matter `demo: [keys]`) and the lab shows only
those (`?lesson=<slug>`).

Caps follow what a waiting request holds. On this lab's lean path a waiting request costs
some tens of kilobytes and no thread (measured: about 15-25 KB), so the lean async modes go
to 10,000; a sync view holds a whole thread, and so does every request through Django's full
stack, so those stop at 1000 (enough to see the cost); the blocking mistake holds the one
event loop it runs on, so every request queues behind the previous one. A query holds a
worker thread while it runs, so the database modes that query are capped like the sync view.
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
    # What a request gets when the view works as it is written (a server-fired run counts
    # anything else as an error).
    answer: str = "Done waiting!"
    answer_status: int = 200
    # Touches the database: the lean path closes the request's connection after it.
    uses_database: bool = False
    # Functions the view calls, shown above it in the lab.
    helpers: tuple[Callable[..., Any], ...] = ()
    # How many waits one request of this view takes when it works as written (two awaits in
    # a row: 2; a bound at 1.5 waits: 1.5).
    waits_per_request: float = 1.0
    # What the lab says after a run of this view, where the general explanation (overlap,
    # staircase, a thread each) does not fit it.
    after_run: str = ""

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
                "about one wait in total, plus the time the server needs to take them all in "
                "(a fraction of a second for a thousand). This lab serves its views without "
                "middleware and request signals, so they wait on one thread; stock Django would "
                "hold a thread per waiting request even here (1000 requests: 1001 threads)."
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
                "the server and watch the thread count and memory. So does stock Django for an "
                "async view; the lab's async views avoid it by skipping middleware and request "
                "signals."
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
                "The response comes back at once and Python emits 'coroutine ... was never "
                "awaited' (the lab shows it with the run; plain Daphne would drop it). Fast, and "
                "wrong: the work was never done."
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
        DemoMode(
            key="orm-sync-in-async",
            label="async def + sync ORM get() (refused)",
            view=showcase.orm_sync_in_async_view,
            url_name="demo:orm_sync_in_async",
            teaches=(
                "A sync ORM call inside async def: Django refuses it with "
                "SynchronousOnlyOperation rather than run a query on the event loop."
            ),
            after_run=(
                "Every request failed: Django refuses a sync ORM call such as "
                "Article.objects.get() on the event loop and raises SynchronousOnlyOperation "
                "instead of letting the query stall every request. Use "
                "await Article.objects.aget(pk=1)."
            ),
            lesson="async-database-queries",
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
            teaches=(
                "The async ORM: await aget() frees the event loop while the query runs, in a "
                "worker thread of its own."
            ),
            after_run=(
                "The waits overlapped on the event loop, but each query ran in a worker thread: "
                "aget() is sync_to_async(get) in Django 5.2. The async ORM frees the event "
                "loop, not the thread. Queries that start at the same moment also contend for "
                "the CPUs, so the run takes a little more than one wait."
            ),
            lesson="async-database-queries",
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
            teaches=(
                "A sync view may use the sync ORM: Django runs the whole view in a thread of its "
                "own."
            ),
            after_run=(
                "A sync view is allowed to use the sync ORM: Django ran each request in a "
                "thread of its own, so they overlapped, but each held its thread for the whole "
                "wait, not just for the query."
            ),
            lesson="async-database-queries",
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
            teaches=(
                "Two awaits, one after the other: each request waits for the first call, then for"
                " the second."
            ),
            after_run=(
                "Each request waited twice, one wait after the other: await finishes one call "
                "before the next line starts. The requests still overlapped each other on the "
                "event loop."
            ),
            lesson="wait-for-two-things",
            answer="sunny; Django 5.2 is out",
            helpers=(showcase.fetch_weather, showcase.fetch_news),
            waits_per_request=2.0,
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
        DemoMode(
            key="gather",
            label="await asyncio.gather(...) of the two calls",
            view=showcase.gather_view,
            url_name="demo:gather",
            teaches=(
                "asyncio.gather starts both calls at once, so each request waits about as long as"
                " the slower one."
            ),
            after_run=(
                "asyncio.gather ran both calls at once, so each request waited about one "
                "wait instead of two, still on one thread."
            ),
            lesson="wait-for-two-things",
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
            teaches=(
                "asyncio.timeout bounds the wait: past 1.5 × WAIT_TIME the view gives up and "
                "answers 504."
            ),
            after_run=(
                "The news took 2 × WAIT_TIME, longer than the 1.5 × WAIT_TIME bound: "
                "asyncio.timeout cancelled the gathered calls and raised TimeoutError, and the "
                "view answered 504 Gateway Timeout without waiting for the slow service. "
                "Django logs each 504 from a few threads of its own."
            ),
            lesson="wait-for-two-things",
            answer="Gave up waiting",
            answer_status=504,
            helpers=(showcase.fetch_weather, showcase.fetch_slow_news),
            waits_per_request=1.5,
            server_max=1000,
            client_in_flight_max=1000,
            global_in_flight_max=4000,
        ),
    )
}

BROWSER_MAX = 6


def modes_for_lesson(slug: str) -> list[DemoMode]:
    """The modes a lesson's lab shows, in registry order (none for an unknown slug)."""
    return [mode for mode in MODES.values() if mode.lesson == slug]


def lessons_with_modes() -> set[str]:
    return {mode.lesson for mode in MODES.values()}
