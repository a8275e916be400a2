"""The demo views against a real Daphne server, with a short WAIT_TIME (0.3 s).

Timings here only tell overlap from queueing (a factor of N apart), never budgets: those are
proved by bench/bench_burst.py.
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
import pytest

from tests.demo.conftest import WAIT_TIME, DemoServer


async def fire(url: str, path: str, n: int) -> tuple[float, list[httpx.Response]]:
    limits = httpx.Limits(max_connections=n + 5)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(client.get(path, params={"run": "t", "i": i}) for i in range(n))
        )
        return time.perf_counter() - started, list(responses)


def threads_of(responses: list[httpx.Response]) -> set[str]:
    threads = set()
    for response in responses:
        timing = response.headers["server-timing"]
        threads.add(timing.split('thread;desc="', 1)[1].rstrip('"'))
    return threads


async def test_the_async_view_overlaps_n_requests_on_one_thread(demo_server: DemoServer) -> None:
    elapsed, responses = await fire(demo_server.url, "/demo/slow/", 20)

    assert [r.text for r in responses] == ["Done waiting!"] * 20
    assert elapsed < 20 * WAIT_TIME / 4  # overlapped, not one after another
    assert threads_of(responses) == {next(iter(threads_of(responses)))}
    assert threads_of(responses).pop().startswith("MainThread")


async def test_every_demo_answer_carries_timing_and_no_store(demo_server: DemoServer) -> None:
    _, [response] = await fire(demo_server.url, "/demo/slow/", 1)

    timing = response.headers["server-timing"]
    assert timing.startswith('start;desc="')
    assert "view;dur=" in timing and 'desc="slow_view"' in timing
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    duration_ms = float(timing.split("view;dur=", 1)[1].split(";", 1)[0])
    assert duration_ms >= WAIT_TIME * 1000 * 0.95


async def test_the_sync_view_overlaps_too_with_a_thread_per_request(
    demo_server: DemoServer,
) -> None:
    elapsed, responses = await fire(demo_server.url, "/demo/sync/", 5)

    assert [r.text for r in responses] == ["Done waiting!"] * 5
    assert elapsed < 5 * WAIT_TIME / 2
    assert len(threads_of(responses)) == 5


async def test_the_blocking_view_serializes_without_stalling_other_pages(
    demo_server: DemoServer,
) -> None:
    async with httpx.AsyncClient(base_url=demo_server.url, timeout=30) as client:
        blocking = [
            asyncio.ensure_future(client.get("/demo/blocking/", params={"i": i})) for i in range(4)
        ]
        # Once the first answer is back, the blocking loop is busy with the next ones.
        await asyncio.wait(blocking, return_when=asyncio.FIRST_COMPLETED)
        started = time.perf_counter()
        page = await client.get("/demo/")
        page_seconds = time.perf_counter() - started
        started = time.perf_counter()
        slow = await client.get("/demo/slow/", params={"during": "blocking"})
        slow_seconds = time.perf_counter() - started
        answers = await asyncio.gather(*blocking)

    assert page.status_code == 200 and page_seconds < WAIT_TIME
    assert slow.text == "Done waiting!" and slow_seconds < 2 * WAIT_TIME
    assert [a.text for a in answers] == ["Done waiting!"] * 4
    # One after another: each view ran for one wait, and each started only when the one
    # before it had finished, so the last started three waits after the first.
    timings = [a.headers["server-timing"] for a in answers]
    durations = [float(t.split("view;dur=", 1)[1].split(";", 1)[0]) for t in timings]
    starts = sorted(float(t.split('start;desc="', 1)[1].split('"', 1)[0]) for t in timings)
    assert all(WAIT_TIME * 1000 * 0.95 <= d < WAIT_TIME * 1000 * 1.5 for d in durations)
    assert starts[-1] - starts[0] >= 3 * WAIT_TIME * 1000 * 0.95
    assert set(threads_of(answers)) == {"demo-blocking-loop"}


async def test_the_forgotten_await_answers_at_once_and_python_warns(
    demo_server: DemoServer,
) -> None:
    elapsed, [response] = await fire(demo_server.url, "/demo/no-await/", 1)

    assert response.text == "Done waiting!"
    assert elapsed < WAIT_TIME / 2
    deadline = time.monotonic() + 5
    while "was never awaited" not in demo_server.log() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert "coroutine 'sleep' was never awaited" in demo_server.log()


async def test_a_client_over_its_blocking_cap_gets_429_with_retry_after(
    demo_server: DemoServer,
) -> None:
    _, responses = await fire(demo_server.url, "/demo/blocking/", 8)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * 6 + [429] * 2
    refused = [r for r in responses if r.status_code == 429]
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)


async def test_200_requests_in_flight_cost_at_most_10_more_threads(
    demo_server: DemoServer,
) -> None:
    process = demo_server.process
    await fire(demo_server.url, "/demo/slow/", 2)  # warm up
    idle = process.num_threads()
    peak = idle
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, process.num_threads())
            stop.wait(0.01)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        _, responses = await fire(demo_server.url, "/demo/slow/", 200)
    finally:
        stop.set()
        sampler.join()

    assert all(r.text == "Done waiting!" for r in responses)
    assert peak - idle <= 10


@pytest.mark.django_db
async def test_the_site_keeps_its_full_stack_beside_the_lean_path(
    demo_server: DemoServer,
) -> None:
    async with httpx.AsyncClient(base_url=demo_server.url, timeout=30) as client:
        page = await client.get("/demo/")
        db = await client.get("/demo/db/")
        no_csrf = await client.post("/demo/run/", data={"mode": "async", "n": "1"})

    assert page.headers["x-frame-options"] == "DENY"
    assert "csrftoken" in page.cookies
    assert db.status_code == 200 and db.text.endswith("sessions")
    assert no_csrf.status_code == 403
