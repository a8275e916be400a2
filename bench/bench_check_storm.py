"""Check storm: hostile code checks fired all at once, while a learner reads a lesson.

    .venv/bin/python bench/bench_check_storm.py [--checks 200] [--sessions 1] [--no-limits]

Starts the site as `make run` serves it (Daphne, DEBUG off, a throwaway SQLite database),
opens `--sessions` learner sessions (each GETs a step page for its cookies and CSRF token),
then fires `--checks` POSTs of about the slowest input the checker accepts (20 kB: twenty
lines of `x = a+a+…`) at once, spread over the sessions. Meanwhile another learner (a process
of its own) reads the lesson page back to back. Reported: the checks' answers by status (429s
are the limits doing their job; any 5xx is a failure), and the lesson page's latency during
the storm.

`--no-limits` starts the server with COURSE_RATE_LIMITS=0, so that every check reaches the
checker pool and the database (the "200 checks from 50 sessions" case of SQLite writers).

Budget (issue 13): 0 × 5xx; lesson page max ≤ 1 s and p99 ≤ 100 ms during the storm.
Loopback only; every request has a timeout.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as EventType

import httpx
from server import site_running

LESSON = "/lessons/why-async-matters/"
STEP = "/lessons/why-async-matters/steps/4/"
HOSTILE = ("x = " + "+".join(["a"] * 490) + "\n") * 20


async def session_open(base_url: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base_url, timeout=60)
    response = await client.get(STEP)
    response.raise_for_status()
    return client


async def check_fire(client: httpx.AsyncClient) -> int:
    token = client.cookies.get("csrftoken", "")
    try:
        response = await client.post(
            STEP + "check/", data={"code": HOSTILE}, headers={"X-CSRFToken": token}
        )
    except httpx.HTTPError:
        return 0  # no answer at all: counted apart from every status
    return response.status_code


def page_watch(base_url: str, stop: EventType, results: Connection) -> None:
    """The other learner: reads the lesson page back to back until told to stop. A process of
    its own, as another learner's browser is: in the storm's process its requests would wait
    for the storm's own client work, which is not the server's doing."""
    latencies = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            response = client.get(LESSON)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
    results.send(latencies)


async def storm(base_url: str, *, checks: int, sessions: int) -> tuple[Counter[int], list[float]]:
    clients = [await session_open(base_url) for _ in range(sessions)]
    # The learner's session: a lesson page needs no cookie, but gets the same site.
    stop = multiprocessing.Event()
    receiving, sending = multiprocessing.Pipe(duplex=False)
    watcher = multiprocessing.Process(target=page_watch, args=(base_url, stop, sending))
    watcher.start()
    await asyncio.sleep(0.5)  # the page's latency before the storm is part of the sample
    results = await asyncio.gather(*(check_fire(clients[i % sessions]) for i in range(checks)))
    stop.set()
    latencies: list[float] = receiving.recv()
    watcher.join()
    for client in clients:
        await client.aclose()
    return Counter(results), latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--sessions", type=int, default=1)
    parser.add_argument("--no-limits", action="store_true")
    args = parser.parse_args()
    if args.no_limits:
        os.environ["COURSE_RATE_LIMITS"] = "0"
    with site_running(wait_time=1) as (base_url, _process):
        statuses, latencies = asyncio.run(
            storm(base_url, checks=args.checks, sessions=args.sessions)
        )
    server_errors = sum(count for status, count in statuses.items() if status >= 500 or not status)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
    worst = latencies[-1] * 1000
    print("| checks × sessions | answers by status | 5xx or none | page p50 | p99 | max |")
    print("|---|---|---|---|---|---|")
    answers = ", ".join(f"{status or 'none'}: {n}" for status, n in sorted(statuses.items()))
    print(
        f"| {args.checks} × {args.sessions}{' (no limits)' if args.no_limits else ''} | "
        f"{answers} | {server_errors} | {p50:.1f} ms | {p99:.1f} ms | {worst:.1f} ms |"
    )
    within = server_errors == 0 and worst <= 1000 and p99 <= 100
    print("within budget" if within else "OVER BUDGET (0 × 5xx, max ≤ 1 s, p99 ≤ 100 ms)")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
