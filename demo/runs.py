"""Server-fired runs: the server fires N requests at its own demo view and measures them.

The browser opens at most six connections per host, so runs beyond six are fired from the
server with an async HTTP client, while a sampler reads the server's own thread count and
memory. Progress goes to a callback (the WebSocket consumer streams it to the page).

The client is a minimal HTTP/1.1 GET over asyncio streams, not httpx: it shares the server's
event loop, so its own cost shows up in every time on the page. Measured here, 1000
simultaneous requests to the 1 s view took 2.5 s through it and 11.7 s through
httpx.AsyncClient, whose pool bookkeeping grows with the number of open connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import psutil
from django.conf import settings
from django.urls import reverse

from course.admission import SELF_FIRED_HEADER, SELF_FIRED_TOKEN, in_flight
from course.slots import Full, Limit, Slots, Ticket, slots_get
from demo.modes import MODES, DemoMode

# How often the page hears about a run in progress: often enough to look live, rarely
# enough that a 1000-request run sends tens of messages, not thousands.
PROGRESS_INTERVAL = 0.1
HISTOGRAM_BINS = 12
# Server-fired runs going at once, in all, and per client.
RUNS_MAX = 3
RUNS_PER_CLIENT_MAX = 1


@dataclass(frozen=True, kw_only=True)
class HistogramBin:
    start: float
    end: float
    count: int
    height_percent: float


@dataclass(kw_only=True)
class RunProgress:
    """Everything measured about one server-fired run so far."""

    mode: DemoMode
    n: int
    prediction: float | None = None
    done: int = 0
    errors: int = 0
    refused: int = 0
    elapsed: float = 0.0
    finished: bool = False
    completion_times: list[float] = field(default_factory=list)
    served_by: Counter[str] = field(default_factory=Counter)
    threads_idle: int = 0
    threads_now: int = 0
    threads_peak: int = 0
    rss_idle_mb: float = 0.0
    rss_now_mb: float = 0.0
    rss_peak_mb: float = 0.0

    @property
    def percent(self) -> int:
        return math.floor(100 * self.done / self.n) if self.n else 100

    @property
    def sum_of_waits(self) -> float:
        return self.n * settings.COURSE_WAIT_TIME

    @property
    def slowest(self) -> float:
        return max(self.completion_times, default=0.0)

    @property
    def extra_threads_peak(self) -> int:
        return max(0, self.threads_peak - self.threads_idle)

    @property
    def histogram_span(self) -> float:
        # At least one wait wide, so a run's bars do not stretch as the answers arrive.
        return max(self.slowest, settings.COURSE_WAIT_TIME, 0.001)

    @property
    def histogram(self) -> list[HistogramBin]:
        return histogram_bins(self.completion_times, span=self.histogram_span, bins=HISTOGRAM_BINS)


def histogram_bins(times: list[float], *, span: float, bins: int) -> list[HistogramBin]:
    """Count completion times into `bins` equal slices of [0, span]."""
    width = span / bins
    counts = [0] * bins
    for value in times:
        counts[min(bins - 1, int(value / width))] += 1
    tallest = max(counts, default=0) or 1
    return [
        HistogramBin(
            start=index * width,
            end=(index + 1) * width,
            count=count,
            height_percent=round(100 * count / tallest, 1),
        )
        for index, count in enumerate(counts)
    ]


class RunSlots:
    """Who is running a server-fired run now: at most RUNS_MAX in all, RUNS_PER_CLIENT_MAX
    per client, counted across every server process when REDIS_URL is set (course.slots)."""

    def __init__(self, slots: Slots | None = None) -> None:
        self._slots = slots

    @property
    def slots(self) -> Slots:
        return self._slots if self._slots is not None else slots_get()

    async def try_take(self, client: str, *, mode: DemoMode, n: int) -> Ticket | int:
        """Take a slot for a run of `n` requests to `mode` (give the ticket back to
        `give_back`), or return the seconds to wait before trying again."""
        limits = [Limit("runs", RUNS_MAX), Limit(f"runs:{client}", RUNS_PER_CLIENT_MAX)]
        taken = await self.slots.take(limits, lifetime=request_timeout(mode, n))
        return retry_after_for_run() if isinstance(taken, Full) else taken

    async def give_back(self, ticket: Ticket) -> None:
        await self.slots.give_back(ticket)

    async def running(self, client: str | None = None) -> int:
        """Runs going on now (by one client, when given)."""
        return await self.slots.count("runs" if client is None else f"runs:{client}")


def retry_after_for_run() -> int:
    # A run lasts about one wait for the overlapping modes and up to six for the blocking one.
    return max(1, math.ceil(settings.COURSE_WAIT_TIME * 2))


run_slots = RunSlots()


def process_sample() -> tuple[int, float]:
    """This server process's thread count and resident memory in MB."""
    return threading.active_count(), psutil.Process(os.getpid()).memory_info().rss / 2**20


def server_base_url(scope: dict[str, Any]) -> str:
    """The address this very connection reached the server on, to fire the run at."""
    server = scope.get("server") or ("127.0.0.1", 8000)
    host, port = str(server[0]), int(server[1])
    if host in {"0.0.0.0", ""}:
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def parse_served_by(server_timing: str | None) -> str | None:
    """The thread named in a demo response's `Server-Timing` header."""
    if not server_timing:
        return None
    for metric in server_timing.split(","):
        name, _, params = metric.strip().partition(";")
        if name == "thread" and 'desc="' in params:
            return params.split('desc="', 1)[1].rstrip('"')
    return None


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


async def http_get(
    base_url: str, target: str, *, headers: dict[str, str], timeout: float
) -> Answer:
    """One GET on a connection of its own (`Connection: close`), read to the end."""
    split = urlsplit(base_url)
    host, port = split.hostname or "127.0.0.1", split.port or 80
    lines = [f"GET {target} HTTP/1.1", f"Host: {split.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            raw = await reader.read(-1)
    finally:
        if writer is not None:
            writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    if parsed.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    return Answer(int(status_line.split(" ", 2)[1]), parsed, body)


def dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


def request_timeout(mode: DemoMode, n: int) -> float:
    waits = n if mode.isolated_loop else 1
    return settings.COURSE_WAIT_TIME * waits + 30.0


async def run_fire(
    *,
    mode: DemoMode,
    n: int,
    base_url: str,
    prediction: float | None = None,
    on_progress: Callable[[RunProgress], Awaitable[None]] | None = None,
) -> RunProgress:
    """Fire `n` simultaneous requests at `mode`'s view and measure them.

    Each request has a unique URL (nothing may be answered from a cache) and the self-fired
    token (the run was admitted as a whole). Cancelling this coroutine cancels every request.
    """
    progress = RunProgress(mode=mode, n=n, prediction=prediction)
    progress.threads_idle, progress.rss_idle_mb = process_sample()
    progress.threads_now = progress.threads_peak = progress.threads_idle
    progress.rss_now_mb = progress.rss_peak_mb = progress.rss_idle_mb
    run_id = f"{time.time_ns():x}"
    path = reverse(mode.url_name)
    timeout = request_timeout(mode, n)
    headers = {SELF_FIRED_HEADER: SELF_FIRED_TOKEN}
    started = time.perf_counter()

    async def one(index: int) -> None:
        target = f"{path}?run={run_id}&i={index}"
        try:
            answer = await http_get(base_url, target, headers=headers, timeout=timeout)
        except (OSError, TimeoutError, ValueError, IndexError):
            progress.errors += 1
            return
        finally:
            progress.done += 1
        progress.completion_times.append(time.perf_counter() - started)
        if answer.status == 429:
            progress.refused += 1
        elif answer.status != 200 or answer.body != b"Done waiting!":
            progress.errors += 1
        served_by = parse_served_by(answer.headers.get("server-timing"))
        if served_by:
            progress.served_by[served_by] += 1

    async def sample() -> None:
        while True:
            threads, rss = process_sample()
            progress.threads_now, progress.rss_now_mb = threads, rss
            progress.threads_peak = max(progress.threads_peak, threads)
            progress.rss_peak_mb = max(progress.rss_peak_mb, rss)
            progress.elapsed = time.perf_counter() - started
            if on_progress is not None:
                await on_progress(progress)
            await asyncio.sleep(PROGRESS_INTERVAL)

    sampler = asyncio.create_task(sample())
    try:
        async with asyncio.TaskGroup() as group:
            for index in range(1, n + 1):
                group.create_task(one(index))
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler

    progress.elapsed = time.perf_counter() - started
    progress.threads_now, progress.rss_now_mb = process_sample()
    progress.finished = True
    if on_progress is not None:
        await on_progress(progress)
    return progress


async def in_flight_now() -> dict[str, int]:
    """Demo requests waiting right now, per mode (in all processes with REDIS_URL)."""
    return {key: await in_flight.waiting(key) for key in MODES}
