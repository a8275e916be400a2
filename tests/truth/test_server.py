"""Server-level truths: the lessons' claims about threads, the event loop and the lab's own
views, against a real Daphne started as `make run` starts it (WAIT_TIME 0.3 s).

Counts are of the server process's threads, sampled every 10 ms while a burst is in flight;
times only tell one wait from several.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from statistics import median

import httpx
import psutil
import pytest

from tests.daphne import WAIT_TIME, RunningServer, daphne_running
from tests.truth.conftest import db_handles


async def burst(url: str, n: int) -> tuple[float, list[httpx.Response]]:
    """`n` simultaneous GETs, each with a URL of its own; the whole burst's time."""
    limits = httpx.Limits(max_connections=n + 5)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get(url, params={"i": i}) for i in range(n)))
        return time.perf_counter() - started, list(responses)


@contextlib.contextmanager
def peak_threads(process: psutil.Process) -> Iterator[dict[str, int]]:
    """Sample the process's thread count while the block runs: {"idle", "peak"}."""
    counts = {"idle": process.num_threads(), "peak": process.num_threads()}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            counts["peak"] = max(counts["peak"], process.num_threads())
            stop.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield counts
    finally:
        stop.set()
        sampler.join()


def view_seconds(response: httpx.Response) -> float:
    """How long the view itself ran, as the lab's `Server-Timing` header says."""
    timing = response.headers["server-timing"]
    return float(timing.split("view;dur=", 1)[1].split(";", 1)[0]) / 1000


def wait_for_log(server: RunningServer, text: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in server.log():
            return True
        time.sleep(0.05)
    return False


async def test_stock_django_spends_a_thread_per_waiting_async_request(tmp_path: Path) -> None:
    """why-async-matters, concept hidden-threads and question threads-per-request: "stock
    Django holds a thread per in-flight request even for a pure `async def` view (1000
    requests: 1001 threads)"; the lab's lean path serves the same view on no extra thread."""
    n = 30
    (tmp_path / "stock").mkdir()
    (tmp_path / "lean").mkdir()
    with daphne_running(tmp_path / "stock", app="bench.baseline_app:application", stock=True) as s:
        await burst(s.url + "/demo/slow/", 2)  # warm up
        with peak_threads(s.process) as stock:
            _, responses = await burst(s.url + "/demo/slow/", n)
        assert all(r.text == "Done waiting!" for r in responses)
    with daphne_running(tmp_path / "lean") as lean_server:
        await burst(lean_server.url + "/demo/slow/", 2)
        with peak_threads(lean_server.process) as lean:
            _, responses = await burst(lean_server.url + "/demo/slow/", n)
        assert all(r.text == "Done waiting!" for r in responses)

    assert stock["peak"] - stock["idle"] >= n * 0.8
    assert lean["peak"] - lean["idle"] <= 10


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with daphne_running(tmp_path_factory.mktemp("truth-lab")) as server:
        yield server


async def test_the_blocking_mistake_serialises_and_stalls_only_its_own_loop(
    lab: RunningServer,
) -> None:
    """why-async-matters, concept blocking-call and question time-sleep-in-async: "`time.sleep`
    in `async def` never yields: N requests take N waits"; the lab's blocking explanation:
    "here it runs on a loop of its own, so only the blocking lab queues"."""
    async with httpx.AsyncClient(base_url=lab.url, timeout=60) as client:
        started = time.perf_counter()
        blocked = [
            asyncio.create_task(client.get("/demo/blocking/", params={"i": i})) for i in range(4)
        ]
        await asyncio.sleep(0)
        other = await client.get("/healthz/")
        other_took = time.perf_counter() - started
        responses = await asyncio.gather(*blocked)
        blocked_took = time.perf_counter() - started

    assert [r.text for r in responses] == ["Done waiting!"] * 4
    assert blocked_took >= 4 * WAIT_TIME * 0.95  # one after another
    assert other.status_code == 200 and other_took < 2 * WAIT_TIME  # the site did not queue


async def test_the_forgotten_await_answers_at_once_and_warns_in_the_log(
    lab: RunningServer,
) -> None:
    """why-async-matters, concept event-loop and question forgotten-await-sleep: "without
    `await` the sleep never runs: the answer comes back at once, and Python emits 'coroutine
    ... was never awaited'" (the lab routes warnings to its log)."""
    async with httpx.AsyncClient(base_url=lab.url, timeout=60) as client:
        started = time.perf_counter()
        response = await client.get("/demo/no-await/")
        took = time.perf_counter() - started
    assert response.text == "Done waiting!"
    assert took < WAIT_TIME
    assert wait_for_log(lab, "coroutine 'sleep' was never awaited")


async def test_waits_add_up_only_when_sequential(lab: RunningServer) -> None:
    """wait-for-two-things, concepts sequential-awaits and gather: "each request waited twice,
    one wait after the other ... the requests still overlapped each other"; "gather ran both
    calls at once, ... about one wait instead of two, still on one thread"."""
    n = 30
    with peak_threads(lab.process) as sequential_threads:
        sequential, sequential_responses = await burst(lab.url + "/demo/sequential/", n)
    with peak_threads(lab.process) as gather_threads:
        gathered, gather_responses = await burst(lab.url + "/demo/gather/", n)

    for response in (*sequential_responses, *gather_responses):
        assert response.text == "sunny; Django 5.2 is out"
    # Each request: two waits one after the other, or one for both (the median request: a
    # busy shared machine may hold up a few).
    assert all(view_seconds(r) >= 2 * WAIT_TIME for r in sequential_responses)
    assert median(view_seconds(r) for r in sequential_responses) < 2.8 * WAIT_TIME
    assert all(view_seconds(r) >= WAIT_TIME for r in gather_responses)
    assert median(view_seconds(r) for r in gather_responses) < 1.8 * WAIT_TIME
    # The requests overlapped each other: nowhere near n × the waits.
    assert sequential < n * 2 * WAIT_TIME / 4
    assert gathered < n * WAIT_TIME / 4
    for counts in (sequential_threads, gather_threads):
        assert counts["peak"] - counts["idle"] <= 10


async def test_the_timeout_view_answers_504_at_the_bound(lab: RunningServer) -> None:
    """wait-for-two-things, the lab's timeout explanation: "the view answered 504 Gateway
    Timeout" after the 1.5 × WAIT_TIME bound, "without waiting for the slow service"."""
    _, responses = await burst(lab.url + "/demo/timeout/", 10)
    assert {(r.status_code, r.text) for r in responses} == {(504, "Gave up waiting")}
    assert all(view_seconds(r) >= 1.5 * WAIT_TIME for r in responses)
    assert median(view_seconds(r) for r in responses) < 1.9 * WAIT_TIME  # not the slow 2 ×


async def test_the_sync_orm_in_async_def_fails_every_request(lab: RunningServer) -> None:
    """async-database-queries, the lab's orm-sync-in-async explanation: "every request failed:
    Django ... raises SynchronousOnlyOperation instead of letting the query stall every
    request"."""
    _, responses = await burst(lab.url + "/demo/orm-sync-in-async/", 3)
    assert [r.status_code for r in responses] == [500] * 3
    assert wait_for_log(lab, "SynchronousOnlyOperation")
    assert "You cannot call this from an async context" in lab.log()


async def test_aget_frees_the_loop_not_the_thread_and_closes_its_connection(
    lab: RunningServer,
) -> None:
    """async-database-queries, concept orm-thread and question threads-at-peak: "the waits
    overlapped on the event loop, but each query ran in a worker thread"; and the lab closes
    each request's database connection once its view is done."""
    n = 20
    await burst(lab.url + "/demo/orm-aget/", 2)  # warm up
    handles_before = db_handles(lab)
    with peak_threads(lab.process) as threads:
        elapsed, responses = await burst(lab.url + "/demo/orm-aget/", n)

    assert [r.text for r in responses] == ["Why async matters"] * n
    assert elapsed < n * WAIT_TIME / 4  # the waits overlapped
    assert threads["peak"] - threads["idle"] >= n // 4  # the queries took threads
    assert db_handles(lab) == handles_before


async def test_a_sync_view_holds_a_thread_for_the_whole_wait(lab: RunningServer) -> None:
    """async-database-queries, the lab's orm-sync-view explanation: "Django ran each request
    in a thread of its own, so they overlapped, but each held its thread for the whole wait";
    its connections are closed as well."""
    n = 20
    await burst(lab.url + "/demo/orm-sync-view/", 2)
    handles_before = db_handles(lab)
    with peak_threads(lab.process) as threads:
        elapsed, responses = await burst(lab.url + "/demo/orm-sync-view/", n)

    assert [r.text for r in responses] == ["Why async matters"] * n
    assert elapsed < n * WAIT_TIME / 4
    assert threads["peak"] - threads["idle"] >= n * 0.8
    assert db_handles(lab) == handles_before
