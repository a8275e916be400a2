"""Server-fired demo runs: their time and threads, and the lesson page's latency meanwhile.

    .venv/bin/python bench/bench_demo_run.py [--probe-rate 40] [--repeat 5] [--big 10000]

Starts the site as `make run` serves it (COURSE_WAIT_TIME=1) and fires runs through the lab's
no-JS form (`POST /demo/run/`, the same `run_fire` the WebSocket uses; the firing client is a
process of its own, demo/fire.py). For each run it prints what the lab's result page
measured: total time and the serving process's extra threads at peak.

During the 1000-request async runs (`--repeat` of them, one after another), a probe loads the
lesson page from 10 keep-alive clients offering `--probe-rate` requests per second in all, and
reports p50/p99 of what they waited, idle (10 s before) against busy (during the runs), in the
same process run.

Then the floor: the same client (demo/fire.py) fires the 10,000 requests at a bare ASGI app
that only waits and answers (bench/floor_app.py), served by plain Daphne: what the server
spends on 10,000 connections before any of the site's code runs.

Budgets (docs/architecture.md): the lesson page's p99 ≤ 50 ms during a 1000-request run; a
10,000-request async run ≤ 3 s with ≤ 10 extra threads (the floor is printed beside it: on
another machine, that is what to compare with). Also printed:
the server's memory before the 10,000-request run and 3 s after it (given back:
course/memory.py).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import ROOT, bench_env, running_server, site_running  # noqa: E402

sys.path.insert(0, str(ROOT))
from demo.fire import start_rate  # noqa: E402

LESSON = "/lessons/why-async-matters/"
TOOK = re.compile(r"(\d+) (?:requests to|responses from) (\w+) (?:took|came back in) ([\d.]+) s")
THREADS = re.compile(r"peak (\d+) \(\+(\d+)\)")


async def probe(url: str, *, rate: float, seconds: float) -> list[float]:
    """Lesson-page latencies (ms) from 10 keep-alive clients offering `rate` req/s in all."""
    waits: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.perf_counter() < deadline:
                await asyncio.sleep(random.expovariate(rate / 10))
                started = time.perf_counter()
                response = await http.get(LESSON)
                if response.status_code == 200:
                    waits.append(1000 * (time.perf_counter() - started))

    await asyncio.gather(*(client() for _ in range(10)))
    return waits


def p(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")


async def fire_run(http: httpx.AsyncClient, token: str, mode: str, n: int) -> tuple[str, str]:
    response = await http.post(
        "/demo/run/", data={"csrfmiddlewaretoken": token, "mode": mode, "n": str(n)}
    )
    page = response.text
    took = TOOK.search(page)
    threads = THREADS.search(page)
    return (
        took.group(3) + " s" if took else f"HTTP {response.status_code}",
        threads.group(2) if threads else "?",
    )


@dataclass
class Verdict:
    big_seconds: float  # nan when the run failed
    big_threads: int
    busy_p99_ms: float


async def bench(url: str, server: psutil.Process, *, rate: float, repeat: int, big: int) -> Verdict:
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        lab = await http.get("/demo/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', lab.text)
        assert match, "no CSRF token on the lab page"
        token = match.group(1)
        await fire_run(http, token, "async", 10)  # warm up the paths and the client process

        idle = await probe(url, rate=rate, seconds=10)
        busy: list[float] = []
        print("| Run | Total time | Extra threads |")
        print("|---|---|---|")
        for _ in range(repeat):
            probing = asyncio.create_task(probe(url, rate=rate, seconds=2))
            took, extra = await fire_run(http, token, "async", 1000)
            busy += await probing
            print(f"| async × 1000 (page probed meanwhile) | {took} | {extra} |")
        for mode, n in (("sync", 1000), ("stock", 1000), ("sync-pool", 100)):
            took, extra = await fire_run(http, token, mode, n)
            print(f"| {mode} × {n} | {took} | {extra} |")
        before_mb = server.memory_info().rss / 2**20
        took, extra = await fire_run(http, token, "async", big)
        print(f"| async × {big} | {took} | {extra} |")
        big_took, big_extra = took, extra
        await asyncio.sleep(3)  # the server gives memory back 1 s after a run (course/memory.py)
        after_mb = server.memory_info().rss / 2**20
        print()
        print("| Lesson page | Requests | p50 | p99 |")
        print("|---|---|---|---|")
        print(f"| idle | {len(idle)} | {p(idle, 50):.1f} ms | {p(idle, 99):.1f} ms |")
        print(
            f"| during async × 1000 | {len(busy)} | {p(busy, 50):.1f} ms | {p(busy, 99):.1f} ms |"
        )
        print()
        print(
            f"Server memory: {before_mb:.0f} MB before the {big}-request run, "
            f"{after_mb:.0f} MB 3 s after it."
        )
    return Verdict(
        big_seconds=float(big_took[:-2]) if big_took.endswith(" s") else math.nan,
        big_threads=int(big_extra) if big_extra.isdigit() else 10**6,
        busy_p99_ms=p(busy, 99),
    )


def floor(n: int) -> float:
    """The same client's n requests at a bare ASGI app under plain Daphne."""
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(Path(tmp), wait_time=1)
        with running_server(
            "bench.floor_app:application", env=env, backlog="4096", log_path=Path(tmp) / "log"
        ) as (url, _process):
            config = {
                "base_url": url,
                "path": "/",
                "n": n,
                "timeout": 60,
                "interval": 60,
                "rate": start_rate(n, 1),  # as the lab's runs start theirs (demo/runs.py)
            }
            command = [sys.executable, "-m", "demo.fire", json.dumps(config)]
            out = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
            last = json.loads(out.stdout.strip().splitlines()[-1])
    print()
    print("| Floor: bare ASGI app, plain Daphne | Total time | Errors |")
    print("|---|---|---|")
    print(f"| {n} requests | {last['elapsed']:.2f} s | {last['errors']} |")
    return float(last["elapsed"]) if not last["errors"] else math.nan


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe-rate", type=float, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--big", type=int, default=10_000)
    args = parser.parse_args()
    with site_running(wait_time=1) as (url, server):
        verdict = asyncio.run(
            bench(url, server, rate=args.probe_rate, repeat=args.repeat, big=args.big)
        )
    floor_seconds = floor(args.big)
    against_floor = verdict.big_seconds / floor_seconds
    ok = verdict.big_seconds <= 3 and verdict.big_threads <= 10 and verdict.busy_p99_ms <= 50
    print(
        f"\n{args.big}-request run: {verdict.big_seconds:.2f} s (budget ≤ 3 s; "
        f"{against_floor:.2f} × the floor), +{verdict.big_threads} threads (budget ≤ 10); "
        "lesson page p99 "
        f"during the 1000-request runs {verdict.busy_p99_ms:.1f} ms (budget ≤ 50 ms): "
        f"{'within budget' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
