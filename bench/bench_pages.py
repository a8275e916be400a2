"""Page bench: the lesson page against a trivial view through the same stack.

    .venv/bin/python bench/bench_pages.py [--seconds 10] [--connections 50] [--rate 150]

Starts the site as `make run` serves it (Daphne, DEBUG off, a throwaway SQLite database) and
measures two things, each for /healthz/ (the same middleware, sessions and routing with no
work of its own) and /lessons/why-async-matters/:

1. Throughput: wrk (Debian's `wrk` package: a C load generator, so the client costs far less
   than the server it measures) keeps 50 connections busy; requests per second and latency
   at saturation. Saturated, every client always waits behind the other 49, so latency there
   is 50 / throughput (Little's law) and says nothing more than the throughput does.
2. Latency under load: 50 concurrent clients (keep-alive connections) together offering
   `--rate` requests per second with random gaps; p50 and p99 of what they wait.

Budget (docs/architecture.md): the lesson page serves at least half the requests per second of the
trivial view, measured in the same run; p99 ≤ 50 ms with 50 concurrent clients.
Loopback only; every run is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

from server import HOST, site_running

LESSON = "/lessons/why-async-matters/"
TRIVIAL = "/healthz/"


@dataclass
class WrkResult:
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, path: str, *, seconds: int, connections: int) -> WrkResult:
    output = subprocess.run(
        [
            "wrk",
            "--latency",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "5s",
            url + path,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(group) for group in match.groups())
    return WrkResult(path, rps, p50, p99, errors)


@dataclass
class LatencyResult:
    path: str
    requests: int
    p50_ms: float
    p99_ms: float
    errors: int


async def keep_alive_get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str
) -> int:
    """One GET on an open keep-alive connection; the status. Raw asyncio streams, so that
    the client costs far less than the server it measures."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
    await reader.readexactly(int(length.group(1)) if length else 0)
    return status


async def offered_load(
    port: int, path: str, *, clients: int, rate: float, seconds: float
) -> LatencyResult:
    """`clients` concurrent clients, each on its own keep-alive connection, together sending
    about `rate` requests per second (exponential gaps), for `seconds`."""
    waits: list[float] = []
    errors = 0
    per_client_gap = clients / rate

    async def client(deadline: float) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            await keep_alive_get(reader, writer, path)  # warm this connection up, untimed
            await asyncio.sleep(random.uniform(0, per_client_gap))
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(10):
                        if await keep_alive_get(reader, writer, path) != 200:
                            errors += 1
                except (OSError, TimeoutError, asyncio.IncompleteReadError):
                    errors += 1
                    return
                waits.append(time.perf_counter() - started)
                await asyncio.sleep(random.expovariate(1 / per_client_gap))
        finally:
            writer.close()

    deadline = time.monotonic() + seconds
    await asyncio.gather(*(client(deadline) for _ in range(clients)))
    ordered = sorted(waits)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return LatencyResult(path, len(waits), statistics.median(ordered) * 1000, p99 * 1000, errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--rate",
        type=float,
        default=150.0,
        help="requests per second the 50 clients offer together",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("This bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    with site_running(wait_time=1.0) as (url, _process):
        # Warm up: first requests import templates and parse the lesson file.
        wrk(url, LESSON, seconds=2, connections=4)
        wrk(url, TRIVIAL, seconds=2, connections=4)
        trivial = wrk(url, TRIVIAL, seconds=args.seconds, connections=args.connections)
        lesson = wrk(url, LESSON, seconds=args.seconds, connections=args.connections)
        latencies = [
            asyncio.run(
                offered_load(
                    int(url.rsplit(":", 1)[1]),
                    path,
                    clients=args.connections,
                    rate=args.rate,
                    seconds=args.seconds,
                )
            )
            for path in (TRIVIAL, LESSON)
        ]
    ratio = lesson.requests_per_second / trivial.requests_per_second
    print(f"Throughput: wrk, {args.connections} connections kept busy, {args.seconds} s each\n")
    print("| page | requests/s | p50 (saturated) | p99 (saturated) | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for result in (trivial, lesson):
        print(
            f"| `{result.path}` | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} ms "
            f"| {result.p99_ms:.1f} ms | {result.errors} |"
        )
    print(
        f"\nLatency: {args.connections} concurrent clients offering {args.rate:.0f} "
        f"requests/s together, {args.seconds} s each\n"
    )
    print("| page | requests | p50 | p99 | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for latency in latencies:
        print(
            f"| `{latency.path}` | {latency.requests:,} | {latency.p50_ms:.1f} ms "
            f"| {latency.p99_ms:.1f} ms | {latency.errors} |"
        )
    lesson_latency = latencies[1]
    ok = ratio >= 0.5 and lesson_latency.p99_ms <= 50 and lesson.errors == 0
    print(
        f"\nlesson page / trivial view: {ratio:.2f} of the requests per second "
        f"(budget ≥ 0.50); p99 under load {lesson_latency.p99_ms:.1f} ms (budget ≤ 50 ms): "
        f"{'within budget' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
