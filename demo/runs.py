"""Server-fired runs: N requests fired at a demo view, measured as they come back.

The browser opens at most six connections per host, so runs beyond six are fired from the
server. The client runs in a process of its own (`demo.fire`, started per run), so that the
serving process only serves: its thread count and memory, sampled here while the run goes, are
the server's own, and the pages other learners load stay fast. Progress goes to a callback
(the WebSocket consumer streams it to the page).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import sys
import threading
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import psutil
from django.conf import settings
from django.urls import reverse

from course.admission import SELF_FIRED_HEADER, SELF_FIRED_TOKEN, in_flight
from course.lean_handler import worker_pools
from course.memory import collector_paused, memory_release
from course.slots import Full, Limit, Slots, Ticket, slots_get
from demo.explain import RunFacts
from demo.fire import start_rate
from demo.modes import MODES, WORKERS_DEFAULT, DemoMode

# How often the page hears about a run in progress: often enough to look live, rarely
# enough that a 1000-request run sends tens of messages, not thousands.
PROGRESS_INTERVAL = 0.1
HISTOGRAM_BINS = 12
# Seconds after a run ends that the server gives its memory back (course/memory.py).
MEMORY_RELEASE_DELAY = 1.0
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
    predicted_threads: int | None = None
    workers: int | None = None
    done: int = 0
    errors: int = 0
    refused: int = 0
    elapsed: float = 0.0
    finished: bool = False
    completion_times: list[float] = field(default_factory=list)
    served_by: Counter[str] = field(default_factory=Counter)
    # Python's warnings the server raised while serving the run, with how many answers each.
    warnings: Counter[str] = field(default_factory=Counter)
    threads_idle: int = 0
    threads_now: int = 0
    threads_peak: int = 0
    rss_idle_mb: float = 0.0
    rss_now_mb: float = 0.0
    rss_peak_mb: float = 0.0
    # For the worker-pool view: requests queued for a worker and being served, right now.
    queued_now: int = 0
    queued_peak: int = 0
    busy_now: int = 0
    queued_max_s: float = 0.0

    @property
    def percent(self) -> int:
        return math.floor(100 * self.done / self.n) if self.n else 100

    @property
    def sum_of_waits(self) -> float | None:
        """The run's time had the requests waited one after another; None for a view that
        does not wait at all."""
        return (
            self.n * settings.COURSE_WAIT_TIME * self.mode.waits_per_request
            if self.mode.waits
            else None
        )

    @property
    def slowest(self) -> float:
        return max(self.completion_times, default=0.0)

    @property
    def extra_threads_peak(self) -> int:
        return max(0, self.threads_peak - self.threads_idle)

    @property
    def extra_rss_peak_mb(self) -> float:
        return max(0.0, self.rss_peak_mb - self.rss_idle_mb)

    @property
    def histogram_span(self) -> float:
        # At least one wait wide, so a run's bars do not stretch as the answers arrive.
        return max(self.slowest, settings.COURSE_WAIT_TIME, 0.001)

    @property
    def histogram(self) -> list[HistogramBin]:
        return histogram_bins(self.completion_times, span=self.histogram_span, bins=HISTOGRAM_BINS)

    @property
    def histogram_tallest(self) -> int:
        return max((b.count for b in self.histogram), default=0)

    @property
    def warned(self) -> int:
        return max(self.warnings.values(), default=0)


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


def fire_rate(n: int) -> float:
    """How fast a run of `n` starts its requests (demo.fire.start_rate) at this site's wait."""
    return start_rate(n, settings.COURSE_WAIT_TIME)


def request_timeout(mode: DemoMode, n: int, workers: int | None = None) -> float:
    if mode.isolated_loop:
        waits = n
    elif mode.pooled:
        waits = math.ceil(n / (workers or WORKERS_DEFAULT))
    else:
        waits = 1
    return settings.COURSE_WAIT_TIME * waits + 30.0


def fire_command(config: dict[str, Any]) -> list[str]:
    """The client process for one run (demo/fire.py), told what to fire by one JSON argument."""
    return [sys.executable, "-m", "demo.fire", json.dumps(config)]


def progress_merge(progress: RunProgress, line: dict[str, Any]) -> None:
    """Fold one line from the client process into the run's progress."""
    progress.done = int(line["done"])
    progress.errors = int(line["errors"])
    progress.refused = int(line["refused"])
    # Timed by the client from its first request: the process's start-up is not the run's.
    progress.elapsed = float(line["elapsed"])
    progress.completion_times.extend(float(t) for t in line["times"])
    progress.served_by.update({str(k): int(v) for k, v in line["served_by"].items()})
    progress.warnings.update({str(k): int(v) for k, v in line["warnings"].items()})
    progress.queued_max_s = float(line.get("queued_max_ms", 0.0)) / 1000


async def run_fire(
    *,
    mode: DemoMode,
    n: int,
    base_url: str,
    prediction: float | None = None,
    predicted_threads: int | None = None,
    workers: int | None = None,
    on_progress: Callable[[RunProgress], Awaitable[None]] | None = None,
) -> RunProgress:
    """Fire `n` simultaneous requests at `mode`'s view from a client process and measure them.

    Each request has a unique URL (nothing may be answered from a cache) and the self-fired
    token (the run was admitted as a whole). Cancelling this coroutine ends the client
    process, which closes every connection, so the server cancels the views still waiting.
    """
    workers = (workers or WORKERS_DEFAULT) if mode.pooled else None
    progress = RunProgress(
        mode=mode,
        n=n,
        prediction=prediction,
        predicted_threads=predicted_threads,
        workers=workers,
    )
    progress.threads_idle, progress.rss_idle_mb = process_sample()
    progress.threads_now = progress.threads_peak = progress.threads_idle
    progress.rss_now_mb = progress.rss_peak_mb = progress.rss_idle_mb
    config = {
        "base_url": base_url,
        "path": reverse(mode.url_name),
        "n": n,
        "timeout": request_timeout(mode, n, workers),
        "headers": {SELF_FIRED_HEADER: SELF_FIRED_TOKEN},
        "query": f"&workers={workers}" if workers else "",
        "interval": PROGRESS_INTERVAL,
        "rate": fire_rate(n),
        "expected_status": mode.answer_status,
        "expected_body": mode.answer,
    }
    with collector_paused():
        await _client_follow(config, progress, workers, on_progress)
    progress.threads_now, progress.rss_now_mb = process_sample()
    if workers:
        progress.queued_now = worker_pools.queued[workers]
        progress.busy_now = worker_pools.busy[workers]
    progress.finished = True
    # Once the answer is on its way: what the run's requests held goes back to the system.
    asyncio.get_running_loop().call_later(MEMORY_RELEASE_DELAY, memory_release)
    if on_progress is not None:
        await on_progress(progress)
    return progress


async def _client_follow(
    config: dict[str, Any],
    progress: RunProgress,
    workers: int | None,
    on_progress: Callable[[RunProgress], Awaitable[None]] | None,
) -> None:
    """Start the run's client process and take in its progress lines until it is done."""
    client = await asyncio.create_subprocess_exec(
        *fire_command(config),
        stdout=asyncio.subprocess.PIPE,
        cwd=settings.BASE_DIR,
        limit=2**24,  # one progress line may carry thousands of completion times
    )
    assert client.stdout is not None

    def sample() -> None:
        threads, rss = process_sample()
        progress.threads_now, progress.rss_now_mb = threads, rss
        progress.threads_peak = max(progress.threads_peak, threads)
        progress.rss_peak_mb = max(progress.rss_peak_mb, rss)
        if workers:
            progress.queued_now = worker_pools.queued[workers]
            progress.busy_now = worker_pools.busy[workers]
            progress.queued_peak = max(progress.queued_peak, progress.queued_now)

    async def sampler() -> None:
        # Threads and memory peak between the client's lines too: sample on our own beat.
        while True:
            sample()
            await asyncio.sleep(PROGRESS_INTERVAL / 4)

    sampling = asyncio.create_task(sampler())
    try:
        async for raw in client.stdout:
            line = json.loads(raw)
            progress_merge(progress, line)
            sample()
            if line["finished"]:
                break
            if on_progress is not None:
                await on_progress(progress)
        await client.wait()
    finally:
        sampling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampling
        if client.returncode is None:
            client.kill()
            await client.wait()


async def in_flight_now() -> dict[str, int]:
    """Demo requests waiting right now, per mode (in all processes with REDIS_URL)."""
    return {key: await in_flight.waiting(key) for key in MODES}


def progress_facts(progress: RunProgress) -> RunFacts:
    """A finished server-fired run's measurements, as the explanation and history read them."""
    return RunFacts(
        mode=progress.mode,
        n=progress.n,
        wait=settings.COURSE_WAIT_TIME,
        elapsed=progress.elapsed,
        prediction=progress.prediction,
        predicted_threads=progress.predicted_threads,
        extra_threads=progress.extra_threads_peak,
        extra_rss_mb=round(progress.extra_rss_peak_mb, 1),
        threads_served=len(progress.served_by) or None,
        workers=progress.workers,
        queued_max_s=progress.queued_max_s or None,
        errors=progress.errors,
        warnings=dict(progress.warnings) or None,
    )
