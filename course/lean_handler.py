"""A lean ASGI path for the demo's waiting views: still Django, but no thread per request.

Why a second handler: stock Django spends a thread on every in-flight request, even for a
pure `async def` view. `ASGIHandler.__call__` opens a `ThreadSensitiveContext` per request,
and inside it the sync `request_started`/`request_finished` receivers (`close_old_connections`,
`reset_queries`) and every `MiddlewareMixin` middleware run through `sync_to_async`, which
starts one executor thread per context. With 1000 requests waiting that is 1000 threads
(docs/architecture.md: 1001 threads, 113-120 MB). The lesson is that an awaiting view costs
no thread, so the views it shows must be served without those hops.

`LeanDemoHandler` is a Django `ASGIHandler` with an async-only chain: no middleware, no
signals, URL resolution and views exactly as Django does them (`get_response_async`), plus
the few things this path needs: security headers, `Server-Timing`, per-client caps and the
isolated loop for the blocking mistake. None of these views touches the session, CSRF or the
database, so dropping that middleware and the connection-cleanup signals loses nothing here;
every other path (pages, forms, `/demo/db/`) keeps the full stack through `LeanRouter`.

The handler knows nothing of the demo: `course.asgi` hands it the routes to serve (the
demo's modes), each with its URL name, caps and whether it runs on the isolated loop.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from functools import cached_property
from typing import Any, Protocol, TypeVar

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.core.handlers.exception import convert_exception_to_response
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse, set_script_prefix

from course.admission import (
    ASGIApp,
    CappedRoute,
    Receive,
    Scope,
    Send,
    client_key,
    in_flight,
    is_self_fired,
)

T = TypeVar("T")
THREAD_META_KEY = "lean.served_by"


class LeanRoute(CappedRoute, Protocol):
    """A view the lean path serves, found by its URL name (the demo's `DemoMode` is one)."""

    @property
    def url_name(self) -> str: ...
    @property
    def view_name(self) -> str: ...


LEAN_RESPONSE_HEADERS = {
    # What SecurityMiddleware and XFrameOptionsMiddleware add on the full stack.
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Every demo request must reach the server: the browser cache must never answer one.
    "Cache-Control": "no-store",
}


class IsolatedLoop:
    """An event loop on a thread of its own, for code that blocks its loop.

    `async def` + `time.sleep` blocks whichever loop runs it. Run on the server's loop it
    would stall every page of the site; here it stalls only this loop, and since that is one
    thread, its requests still queue one after another exactly like the real mistake.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name=self.name, daemon=True).start()
                self._loop = loop
            return self._loop

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Run `coroutine` on the isolated loop; cancelling the caller cancels it there."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self._ensure_loop())
        return await asyncio.wrap_future(future)


def server_timing(*, started: float, duration_s: float, view_name: str, served_by: str) -> str:
    """The `Server-Timing` value: server clock start (epoch ms), duration and thread."""
    return (
        f'start;desc="{started * 1000:.1f}", '
        f'view;dur={duration_s * 1000:.1f};desc="{view_name}", '
        f'thread;desc="{served_by}"'
    )


def thread_label(thread: threading.Thread) -> str:
    # Names are unique among live threads here (asgiref numbers its executors' threads),
    # and short enough to read in the timeline.
    return thread.name


async def record_view_thread(
    request: HttpRequest,
    callback: Callable[..., Any],
    callback_args: tuple[Any, ...],
    callback_kwargs: dict[str, Any],
) -> HttpResponseBase | None:
    """View "middleware" noting which thread runs the view, for the Server-Timing header.

    An async view runs right here, on this loop's thread, so Django may call it as usual. A
    sync view is called the way Django calls it (`sync_to_async`, thread-sensitive: a thread
    of this request's own) but through a wrapper that records that thread.
    """
    if iscoroutinefunction(callback):
        request.META[THREAD_META_KEY] = thread_label(threading.current_thread())
        return None

    def call_view() -> HttpResponseBase:
        request.META[THREAD_META_KEY] = thread_label(threading.current_thread())
        response: HttpResponseBase = callback(request, *callback_args, **callback_kwargs)
        return response

    return await sync_to_async(call_view, thread_sensitive=True)()


class LeanHandler(ASGIHandler):
    """Django's ASGI handler with an async-only chain and no per-request thread hops."""

    def __init__(self, routes: Mapping[str, LeanRoute]) -> None:
        super().__init__()
        self.routes = routes
        self.in_flight = in_flight
        self.blocking_loop = IsolatedLoop("demo-blocking-loop")
        self.warnings_routed = False

    def load_middleware(self, is_async: bool = False) -> None:
        # No settings.MIDDLEWARE: each entry there is a MiddlewareMixin that would hop through
        # sync_to_async. The view "middleware" is a plain coroutine function.
        self._view_middleware = [record_view_thread]
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(
            self._get_response_async  # type: ignore[attr-defined]
        )

    @cached_property
    def modes_by_path(self) -> dict[str, LeanRoute]:
        # Resolved on first use, when the URLconf is surely importable.
        return {reverse(route.url_name): route for route in self.routes.values()}

    def serves(self, scope: Scope) -> bool:
        return scope["type"] == "http" and scope["path"] in self.modes_by_path

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mirrors ASGIHandler.handle without the request_started/request_finished signals,
        # whose sync receivers are the thread hops this path exists to avoid.
        if not self.warnings_routed:
            # Daphne (verbosity <= 1) sends the Twisted log, and with it Python's warnings,
            # nowhere. The forgotten-await view must show its "coroutine ... was never
            # awaited" warning in the server log, so route warnings to logging. This runs
            # once, at the first demo request, because Daphne sets its own after import.
            logging.captureWarnings(True)
            self.warnings_routed = True
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            set_script_prefix(get_script_prefix(scope))
            request, error_response = self.create_request(scope, body_file)
            if request is None:
                assert error_response is not None
                await self.send_response(error_response, send)
                return
            mode = self.modes_by_path[scope["path"]]
            client = client_key(scope)
            self_fired = is_self_fired(scope)
            ticket = await self.in_flight.try_enter(mode, client, self_fired=self_fired)
            if isinstance(ticket, int):
                await self.send_response(too_many_requests(mode, ticket), send)
                return
            try:
                await self.serve_until_disconnect(request, mode, receive, send)
            finally:
                await self.in_flight.leave(ticket)
        finally:
            body_file.close()

    async def serve_until_disconnect(
        self, request: ASGIRequest, mode: LeanRoute, receive: Receive, send: Send
    ) -> None:
        """Serve the request, but cancel it as soon as the client goes away mid-wait.

        Serves inline with one watcher task that cancels this task on disconnect: Django's
        handler spends two tasks and an `asyncio.wait` per request, which shows at 1000.
        """
        this_task = asyncio.current_task()
        assert this_task is not None
        client_left = False

        async def watch_for_disconnect() -> None:
            nonlocal client_left
            try:
                await self.listen_for_disconnect(receive)
            except RequestAborted:
                client_left = True
                this_task.cancel()

        watcher = asyncio.create_task(watch_for_disconnect())
        try:
            response = await self.serve(request, mode)
        except asyncio.CancelledError:
            if client_left:
                this_task.uncancel()
                return  # the client left mid-wait; its view was cancelled with it
            raise
        finally:
            watcher.cancel()
        await self.send_response(response, send)

    async def serve(self, request: ASGIRequest, mode: LeanRoute) -> HttpResponseBase:
        timed = timed_response(self.get_response_async(request))
        if mode.isolated_loop:
            response, started, duration = await self.blocking_loop.run(timed)
        else:
            response, started, duration = await timed
        for header, value in LEAN_RESPONSE_HEADERS.items():
            response.headers.setdefault(header, value)
        if isinstance(response, HttpResponse):
            # A length spares the server chunked encoding (CommonMiddleware's job elsewhere).
            response.headers.setdefault("Content-Length", str(len(response.content)))
        response.headers["Server-Timing"] = server_timing(
            started=started,
            duration_s=duration,
            view_name=mode.view_name,
            served_by=str(request.META.get(THREAD_META_KEY, "?")),
        )
        return response


async def timed_response(
    response: Awaitable[HttpResponseBase],
) -> tuple[HttpResponseBase, float, float]:
    """The response, when its view started (epoch seconds) and how long it ran. Timed on
    the loop that runs the view: for the blocking mistake that is the isolated loop, where
    each view starts only when the one before it has finished, so the timeline shows the
    staircase, not the time spent queued."""
    started = time.time()
    clock = time.perf_counter()
    result = await response
    return result, started, time.perf_counter() - clock


def too_many_requests(route: CappedRoute, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        f"Too many {route.key} demo requests waiting at once. Try again in {retry_after} s.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response.headers["Retry-After"] = str(retry_after)
    for header, value in LEAN_RESPONSE_HEADERS.items():
        response.headers.setdefault(header, value)
    return response


class LeanRouter:
    """Sends the lean handler's routes down the lean path and everything else to the site."""

    def __init__(self, *, site: ASGIApp, lean: LeanHandler) -> None:
        self.site = site
        self.lean = lean

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lean.serves(scope):
            await self.lean(scope, receive, send)
        else:
            await self.site(scope, receive, send)
