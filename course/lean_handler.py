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
isolated loop for the blocking mistake. None of these views touches the session or CSRF, so
dropping that middleware loses nothing here. A route that uses the database gets what the
dropped `close_old_connections` receivers did: its request's connection is closed once the
view is done, in the thread that opened it. Every other path (pages, forms, `/demo/db/`)
keeps the full stack through `LeanRouter`.

The handler knows nothing of the demo: `course.asgi` hands it the routes to serve (the
demo's modes), each with its URL name, caps and how it is served: inline on the server's loop,
on the isolated loop, on a bounded pool of K worker threads (a WSGI server's K workers), or
through Django's full stack (for the lab to show what stock Django spends; admitted and timed
here, served by a stock `ASGIHandler`).

Warnings raised while a lean view runs (the forgotten await's "coroutine ... was never
awaited") are captured per request and sent back in a `Demo-Warning` header, so the lab can
show the real warning beside the run that caused it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
import warnings
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Mapping, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol, TextIO, TypeVar

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestAborted
from django.core.handlers.asgi import ASGIHandler, ASGIRequest, get_script_prefix
from django.core.handlers.exception import convert_exception_to_response
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponsePermanentRedirect
from django.urls import ResolverMatch, reverse, set_script_prefix

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
POOL_META_KEY = "lean.pool"
WORKER_TIMES_META_KEY = "lean.worker_times"
WARNING_HEADER = "Demo-Warning"
# Worker counts the pooled routes accept (`?workers=K`), and the one used otherwise.
WORKER_CHOICES = (1, 2, 4, 8, 16)
WORKERS_DEFAULT = 4

# The warnings raised while this request's view runs; None outside a lean request.
captured_warnings: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "lean_captured_warnings", default=None
)


class LeanRoute(CappedRoute, Protocol):
    """A view the lean path serves, found by its URL name (the demo's `DemoMode` is one)."""

    @property
    def url_name(self) -> str: ...
    @property
    def view_name(self) -> str: ...
    @property
    def pooled(self) -> bool: ...
    @property
    def full_stack(self) -> bool: ...
    @property
    def uses_database(self) -> bool: ...


LEAN_RESPONSE_HEADERS = {
    # What SecurityMiddleware and XFrameOptionsMiddleware add on the full stack.
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Every demo request must reach the server: the browser cache must never answer one.
    "Cache-Control": "no-store",
    # Plain-text answers: nothing in them may load or run anything.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
}


def hsts_value() -> str | None:
    """The Strict-Transport-Security value SecurityMiddleware sends, when it sends one."""
    if not settings.SECURE_HSTS_SECONDS:
        return None
    value = f"max-age={settings.SECURE_HSTS_SECONDS}"
    if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
        value += "; includeSubDomains"
    if settings.SECURE_HSTS_PRELOAD:
        value += "; preload"
    return value


def security_headers_add(response: HttpResponseBase, *, secure: bool) -> None:
    for header, value in LEAN_RESPONSE_HEADERS.items():
        response.headers.setdefault(header, value)
    hsts = hsts_value()
    if hsts and secure:
        response.headers.setdefault("Strict-Transport-Security", hsts)


# The same headers as ASGI header pairs, made once: set one by one through the response's
# header mapping (which checks and converts every name and value), they were a sixth of a
# lean request's cost.
LEAN_RESPONSE_HEADER_PAIRS = [
    (name.lower().encode("ascii"), value.encode("latin-1"))
    for name, value in LEAN_RESPONSE_HEADERS.items()
]


def lean_header_pairs(
    response: HttpResponse, *, secure: bool, extra: list[tuple[bytes, bytes]]
) -> list[tuple[bytes, bytes]]:
    """A whole lean response's ASGI headers: its own, then the security headers it does not
    set itself (as `security_headers_add` would), its length, and `extra`."""
    pairs = [(name.encode("ascii"), value.encode("latin-1")) for name, value in response.items()]
    present = {name.lower() for name, _ in pairs}
    pairs += [pair for pair in LEAN_RESPONSE_HEADER_PAIRS if pair[0] not in present]
    hsts = hsts_value() if secure else None
    if hsts and b"strict-transport-security" not in present:
        pairs.append((b"strict-transport-security", hsts.encode("latin-1")))
    if b"content-length" not in present:
        # A length spares the server chunked encoding (CommonMiddleware's job elsewhere).
        pairs.append((b"content-length", str(len(response.content)).encode("ascii")))
    return pairs + extra


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
        """Run `coroutine` on the isolated loop; cancelling the caller cancels it there.

        A cancellation reaches the isolated loop only when that loop next looks, which is
        after every view queued before it has blocked its turn; so each coroutine checks a
        flag first thing, and a request whose client left before its turn never runs.
        """
        given_up = threading.Event()

        async def unless_given_up() -> T:
            if given_up.is_set():
                coroutine.close()
                raise asyncio.CancelledError
            return await coroutine

        future = asyncio.run_coroutine_threadsafe(unless_given_up(), self._ensure_loop())
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            given_up.set()
            raise


class WorkerPools:
    """Bounded pools of K worker threads, one per K, shared by everyone who picks that K.

    A sync view served here waits for one of K workers, as under a WSGI server with K
    workers: K requests wait at a time, the rest queue. The counters say how many requests
    are queued and how many are being served right now, per K, for the lab's live view.
    Counted on the server's event loop only, so they need no lock.
    """

    def __init__(self) -> None:
        self._pools: dict[int, ThreadPoolExecutor] = {}
        self.queued: Counter[int] = Counter()
        self.busy: Counter[int] = Counter()

    def pool(self, workers: int) -> ThreadPoolExecutor:
        if workers not in self._pools:
            self._pools[workers] = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix=f"demo-{workers}-workers"
            )
        return self._pools[workers]


worker_pools = WorkerPools()


def workers_requested(query: MutableMapping[str, Any] | Any) -> int:
    """The K of `?workers=K`, when it is one of the pools offered; the default otherwise."""
    try:
        workers = int(query.get("workers", WORKERS_DEFAULT))
    except (TypeError, ValueError):
        return WORKERS_DEFAULT
    return workers if workers in WORKER_CHOICES else WORKERS_DEFAULT


def warnings_capture_install() -> None:
    """Route Python's warnings to logging, and hand each to the lean request that raised it.

    Daphne (verbosity <= 1) sends the Twisted log, and with it Python's warnings, nowhere, so
    warnings go to logging (the server log shows the forgotten await's warning). Python shows
    a warning once per code location; the never-awaited warning is made "always" so that every
    request raising it hears of it, while the log still gets each distinct text once.
    """
    logging.captureWarnings(True)
    warnings.filterwarnings(
        "always", message=r"coroutine .* was never awaited", category=RuntimeWarning
    )
    show = warnings.showwarning
    logged: set[str] = set()

    def showwarning(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        text = f"{category.__name__}: {message}"
        sink = captured_warnings.get()
        if sink is not None:
            sink.append(text)
            if text in logged:
                return
            logged.add(text)
        show(message, category, filename, lineno, file, line)

    warnings.showwarning = showwarning


def warning_header_value(texts: list[str]) -> str:
    """One header value for a request's warnings: distinct texts, latin-1 safe, bounded."""
    distinct = list(dict.fromkeys(texts))
    value = " | ".join(distinct)
    return value.encode("latin-1", "replace").decode("latin-1")[:500]


def server_timing(
    *,
    started: float,
    duration_s: float,
    view_name: str,
    served_by: str | None,
    queued_s: float | None = None,
) -> str:
    """The `Server-Timing` value: server clock start (epoch ms), duration, thread and, for a
    pooled view, how long the request queued for a worker."""
    metrics = [
        f'start;desc="{started * 1000:.1f}"',
        f'view;dur={duration_s * 1000:.1f};desc="{view_name}"',
    ]
    if queued_s is not None:
        metrics.append(f"queue;dur={queued_s * 1000:.1f}")
    # The thread goes last: readers may take everything after `thread;desc="` as its name.
    if served_by is not None:
        metrics.append(f'thread;desc="{served_by}"')
    return ", ".join(metrics)


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

    loop = asyncio.get_running_loop()
    workers: int | None = request.META.get(POOL_META_KEY)
    # Where this request stands in its worker pool; changed on this loop only.
    state = "queued"

    def picked_up() -> None:
        nonlocal state
        if state == "queued" and workers is not None:
            state = "busy"
            worker_pools.queued[workers] -= 1
            worker_pools.busy[workers] += 1

    def call_view() -> HttpResponseBase:
        if workers is not None:
            loop.call_soon_threadsafe(picked_up)
        request.META[THREAD_META_KEY] = thread_label(threading.current_thread())
        started = time.time(), time.perf_counter()
        response: HttpResponseBase = callback(request, *callback_args, **callback_kwargs)
        request.META[WORKER_TIMES_META_KEY] = (*started, time.perf_counter())
        return response

    if workers is None:
        return await sync_to_async(call_view, thread_sensitive=True)()
    # A pooled route: wait for one of K workers, as under a WSGI server with K workers. If the
    # client leaves while the request is still queued, cancelling drops it from the queue, so
    # it never runs.
    worker_pools.queued[workers] += 1
    try:
        return await loop.run_in_executor(worker_pools.pool(workers), call_view)
    finally:
        if state == "queued":
            worker_pools.queued[workers] -= 1
        elif state == "busy":
            worker_pools.busy[workers] -= 1
        state = "done"


class LeanHandler(ASGIHandler):
    """Django's ASGI handler with an async-only chain and no per-request thread hops."""

    def __init__(self, routes: Mapping[str, LeanRoute], full_stack: ASGIApp | None = None) -> None:
        super().__init__()
        self.routes = routes
        # Serves the routes marked `full_stack` (stock Django's handler, for comparison).
        self.full_stack = full_stack
        self.in_flight = in_flight
        self.blocking_loop = IsolatedLoop("demo-blocking-loop")
        self.warnings_routed = False
        # The lean paths' resolved views (only the few paths in `modes_by_path` get here).
        self.resolved: dict[str, ResolverMatch] = {}

    def load_middleware(self, is_async: bool = False) -> None:
        # No settings.MIDDLEWARE: each entry there is a MiddlewareMixin that would hop through
        # sync_to_async. The view "middleware" is a plain coroutine function.
        self._view_middleware = [record_view_thread]
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        self._middleware_chain = convert_exception_to_response(
            self._get_response_async  # type: ignore[attr-defined]
        )

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        """Django's URL resolution, once per lean path: these paths are fixed, and resolving
        one walks every pattern before it (noting each it tried), which profiled at a third of
        a lean request's cost."""
        match = self.resolved.get(request.path_info)
        if match is None:
            match = super().resolve_request(request)
            self.resolved[request.path_info] = match
        request.resolver_match = match
        return match

    @cached_property
    def modes_by_path(self) -> dict[str, LeanRoute]:
        # Resolved on first use, when the URLconf is surely importable.
        return {
            reverse(route.url_name): route for route in self.routes.values() if not route.full_stack
        }

    @cached_property
    def full_stack_by_path(self) -> dict[str, LeanRoute]:
        if self.full_stack is None:
            return {}
        return {
            reverse(route.url_name): route for route in self.routes.values() if route.full_stack
        }

    def serves(self, scope: Scope) -> bool:
        return scope["type"] == "http" and scope["path"] in self.modes_by_path

    def admits(self, scope: Scope) -> bool:
        """A full-stack route: admitted and timed here, served by the stock handler."""
        return scope["type"] == "http" and scope["path"] in self.full_stack_by_path

    async def serve_full_stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve a full-stack route through stock Django, under the same caps and headers."""
        assert self.full_stack is not None
        route = self.full_stack_by_path[scope["path"]]
        client = client_key(scope)
        ticket = await self.in_flight.try_enter(route, client, self_fired=is_self_fired(scope))
        if isinstance(ticket, int):
            await self.send_response(too_many_requests(route, ticket), send)
            return
        started, clock = time.time(), time.perf_counter()

        async def send_with_timing(message: Mapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                timing = server_timing(
                    started=started,
                    duration_s=time.perf_counter() - clock,
                    view_name=route.view_name,
                    served_by=None,  # the view awaits on the loop; its request held a thread
                )
                headers = [
                    *message.get("headers", []),
                    (b"server-timing", timing.encode()),
                    (b"cache-control", b"no-store"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.full_stack(scope, receive, send_with_timing)
        finally:
            await self.in_flight.leave(ticket)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Mirrors ASGIHandler.handle without the request_started/request_finished signals,
        # whose sync receivers are the thread hops this path exists to avoid.
        if not self.warnings_routed:
            # Once, at the first demo request, because Daphne sets its logging after import.
            warnings_capture_install()
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
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                # As SecurityMiddleware does for every other page.
                await self.send_response(https_redirect_response(request), send)
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

    async def serve(self, request: ASGIRequest, mode: LeanRoute) -> LeanResponse:
        raised: list[str] = []
        token = captured_warnings.set(raised)
        try:
            if mode.pooled:
                request.META[POOL_META_KEY] = workers_requested(request.GET)
            arrived = time.perf_counter()
            # The view's coroutine is made only when its turn comes: a blocking request
            # dropped before its turn is closed unstarted, with nothing left unawaited.
            timed = timed_response(lambda: self.get_response_async(request))
            if mode.isolated_loop:
                response, started, duration = await self.blocking_loop.run(timed)
            else:
                response, started, duration = await timed
        finally:
            captured_warnings.reset(token)
            if mode.uses_database:
                # Thread-sensitive, like the query: this request's own thread, whose
                # connection it closes (CONN_MAX_AGE=0), as Django's signal receivers would.
                await sync_to_async(close_old_connections)()
        queued = None
        if mode.pooled and WORKER_TIMES_META_KEY in request.META:
            # Timed in the worker: when it picked the request up, and how long it queued.
            started, worker_clock, worker_done = request.META[WORKER_TIMES_META_KEY]
            duration, queued = worker_done - worker_clock, worker_clock - arrived
        timing = server_timing(
            started=started,
            duration_s=duration,
            view_name=mode.view_name,
            served_by=str(request.META.get(THREAD_META_KEY, "?")),
            queued_s=queued,
        )
        extra = [(b"server-timing", timing.encode("latin-1"))]
        if raised:
            extra.append((WARNING_HEADER.lower().encode(), warning_header_value(raised).encode()))
        return LeanResponse(response, secure=request.is_secure(), extra_headers=extra)

    async def send_response(self, response: HttpResponseBase | LeanResponse, send: Send) -> None:
        if not isinstance(response, LeanResponse):
            await super().send_response(response, send)
            return
        if not response.whole:
            # Streaming or with cookies (no demo view is either): Django's own way.
            lean_headers_set(response)
            await super().send_response(response.response, send)
            return
        whole = response.response
        assert isinstance(whole, HttpResponse)
        headers = lean_header_pairs(whole, secure=response.secure, extra=response.extra_headers)
        await send({"type": "http.response.start", "status": whole.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": whole.content})


@dataclass(frozen=True)
class LeanResponse:
    """A demo view's response with the headers the lean path adds to it, sent in one go."""

    response: HttpResponseBase
    secure: bool
    extra_headers: list[tuple[bytes, bytes]]

    @property
    def whole(self) -> bool:
        return isinstance(self.response, HttpResponse) and not self.response.cookies


def lean_headers_set(lean: LeanResponse) -> None:
    """The same headers, set on the response itself (for Django's send_response)."""
    security_headers_add(lean.response, secure=lean.secure)
    for name, value in lean.extra_headers:
        lean.response.headers[name.decode()] = value.decode("latin-1")


async def timed_response(
    respond: Callable[[], Awaitable[HttpResponseBase]],
) -> tuple[HttpResponseBase, float, float]:
    """The response, when its view started (epoch seconds) and how long it ran. Timed on
    the loop that runs the view: for the blocking mistake that is the isolated loop, where
    each view starts only when the one before it has finished, so the timeline shows the
    staircase, not the time spent queued."""
    started = time.time()
    clock = time.perf_counter()
    result = await respond()
    return result, started, time.perf_counter() - clock


def https_redirect_response(request: HttpRequest) -> HttpResponse:
    try:
        host = request.get_host()
    except DisallowedHost:
        return HttpResponse("Unknown host.", status=400, content_type="text/plain; charset=utf-8")
    return HttpResponsePermanentRedirect(f"https://{host}{request.get_full_path()}")


def too_many_requests(route: CappedRoute, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        f"Too many {route.key} demo requests waiting at once. Try again in {retry_after} s.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response.headers["Retry-After"] = str(retry_after)
    security_headers_add(response, secure=True)
    return response


class LeanRouter:
    """Sends the lean handler's routes down the lean path, its full-stack routes through its
    caps to stock Django, and everything else to the site."""

    def __init__(self, *, site: ASGIApp, lean: LeanHandler) -> None:
        self.site = site
        self.lean = lean

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lean.serves(scope):
            await self.lean(scope, receive, send)
        elif self.lean.admits(scope):
            await self.lean.serve_full_stack(scope, receive, send)
        else:
            await self.site(scope, receive, send)
