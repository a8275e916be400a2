"""Burst bench: 1000 simultaneous requests to /demo/slow/, ten bursts, against two servers.

    .venv/bin/python bench/bench_burst.py            # the budget run (docs/architecture.md)
    .venv/bin/python bench/bench_burst.py --backlog default   # Daphne's own listen backlog

It starts, one after the other on this machine:
  * the site, served as `make run` serves it (Daphne, `-e tcp:...:backlog=4096`), with
    COURSE_WAIT_TIME=1, DEBUG off and a throwaway SQLite database;
  * bench/baseline_app.py, a stock one-file Django project with the same view, on the same
    server with the same options.
Each gets a warm-up request, then `--bursts` bursts of `--requests` requests opened at once
(a new connection each, `Connection: close`, unique URLs), a pause between bursts. It reports
errors, the slowest answer, the server process's threads at idle and at peak, and its memory,
as a markdown table. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from server import HOST, PYTHON, ROOT, bench_env, running_server

sys.path.insert(0, str(ROOT))
from demo import fire  # noqa: E402


def listen_drops() -> dict[str, int]:
    """The kernel's count of SYNs dropped because a listen queue was full (Linux only)."""
    try:
        lines = Path("/proc/net/netstat").read_text().splitlines()
    except OSError:
        return {}
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:], strict=False))
            return {k: int(table.get(k, 0)) for k in ("ListenOverflows", "ListenDrops")}
    return {}


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float
    error: str = ""


async def http_get(port: int, target: str, timeout: float) -> Answer:
    """One GET on a new connection, read to the end, with the lab's own client (demo/fire.py,
    an asyncio protocol): the client must cost far less than the server it measures."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            answer = await fire.http_get(f"http://{HOST}:{port}", target, headers={})
        return Answer(answer.status, answer.body, time.perf_counter() - started)
    except (OSError, TimeoutError, ValueError, IndexError) as error:
        return Answer(0, b"", time.perf_counter() - started, f"{type(error).__name__}: {error}")


class Sampler:
    """Samples a process's threads and memory every 20 ms on a thread of the bench."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.threads_peak = 0
        self.rss_peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(psutil.Error):
                self.threads_peak = max(self.threads_peak, self.process.num_threads())
                self.rss_peak = max(self.rss_peak, self.process.memory_info().rss)
            self._stop.wait(0.02)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class BurstResult:
    slowest: float
    median: float
    errors: int
    error_kinds: set[str]
    threads_idle: int
    threads_peak: int
    rss_idle_mb: float
    rss_peak_mb: float


@dataclass
class ServerResult:
    label: str
    bursts: list[BurstResult] = field(default_factory=list)
    listen_overflows: int = 0


async def burst(port: int, path: str, requests: int, burst_id: int, timeout: float) -> list[Answer]:
    return await asyncio.gather(
        *(http_get(port, f"{path}?burst={burst_id}&i={i}", timeout) for i in range(requests))
    )


def expected_ok(answer: Answer, body: bytes) -> bool:
    return answer.status == 200 and answer.body == body and not answer.error


def run_bursts(
    label: str,
    base_url: str,
    process: psutil.Process,
    *,
    path: str,
    bursts: int,
    requests: int,
    pause: float,
    timeout: float,
    body: bytes = b"Done waiting!",
) -> ServerResult:
    port = int(base_url.rsplit(":", 1)[1])
    result = ServerResult(label)
    drops_before = listen_drops().get("ListenOverflows", 0)
    # Warm up: imports, URL resolver, first connection.
    asyncio.run(burst(port, path, 2, -1, timeout))
    time.sleep(pause)
    for number in range(bursts):
        threads_idle = process.num_threads()
        rss_idle = process.memory_info().rss
        with Sampler(process) as sampler:
            answers = asyncio.run(burst(port, path, requests, number, timeout))
        failures = [a for a in answers if not expected_ok(a, body)]
        seconds = [a.seconds for a in answers]
        result.bursts.append(
            BurstResult(
                slowest=max(seconds),
                median=statistics.median(seconds),
                errors=len(failures),
                error_kinds={a.error or f"HTTP {a.status}" for a in failures},
                threads_idle=threads_idle,
                threads_peak=sampler.threads_peak,
                rss_idle_mb=rss_idle / 2**20,
                rss_peak_mb=sampler.rss_peak / 2**20,
            )
        )
        last = result.bursts[-1]
        print(
            f"  {label} burst {number + 1}/{bursts}: slowest {last.slowest:.2f} s, "
            f"errors {last.errors}, threads {last.threads_idle} -> {last.threads_peak}, "
            f"RSS peak {last.rss_peak_mb:.0f} MB",
            file=sys.stderr,
        )
        time.sleep(pause)
    result.listen_overflows = listen_drops().get("ListenOverflows", 0) - drops_before
    return result


def markdown_table(results: list[ServerResult], requests: int) -> str:
    lines = [
        "| Server | Bursts × requests | Errors | Slowest (worst burst) | Slowest per burst "
        "(median) | Threads idle → peak | Extra threads (worst) | RSS peak | Listen overflows |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        b = result.bursts
        lines.append(
            f"| {result.label} | {len(b)} × {requests} | {sum(x.errors for x in b)} "
            f"| {max(x.slowest for x in b):.2f} s "
            f"| {statistics.median(x.slowest for x in b):.2f} s "
            f"| {min(x.threads_idle for x in b)} → {max(x.threads_peak for x in b)} "
            f"| {max(x.threads_peak - x.threads_idle for x in b)} "
            f"| {max(x.rss_peak_mb for x in b):.0f} MB | {result.listen_overflows} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--wait-time", type=float, default=1.0)
    parser.add_argument("--pause", type=float, default=1.5, help="seconds between bursts")
    parser.add_argument(
        "--backlog",
        default="4096",
        help="listen backlog for both servers, or 'default' for Daphne's -b/-p form (50)",
    )
    parser.add_argument("--only", choices=["site", "baseline"], help="bench one server only")
    args = parser.parse_args()
    if not (1 <= args.requests <= 5000 and 1 <= args.bursts <= 50):
        parser.error("keep it to at most 50 bursts of at most 5000 requests")

    # As the lab's client does (demo/fire.py): the bench's own collector walking a burst's
    # 1000 live connections would be the client's time, counted as the server's.
    gc.disable()
    timeout = 30.0
    results: list[ServerResult] = []
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp:
        tmp_dir = Path(tmp)
        env = bench_env(tmp_dir, args.wait_time)
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        servers = [
            ("site /demo/slow/ (lean path)", "course.asgi:application"),
            ("baseline: stock Django, same view", "bench.baseline_app:application"),
        ]
        for label, app in servers:
            if args.only and not label.startswith(args.only):
                continue
            print(f"{label}: {app}, backlog {args.backlog}", file=sys.stderr)
            with running_server(
                app, env=env, backlog=args.backlog, log_path=tmp_dir / f"{app}.log"
            ) as (base_url, process):
                results.append(
                    run_bursts(
                        label,
                        base_url,
                        process,
                        path="/demo/slow/",
                        bursts=args.bursts,
                        requests=args.requests,
                        pause=args.pause,
                        timeout=timeout,
                    )
                )
    print(
        f"\nCOURSE_WAIT_TIME={args.wait_time:g}, backlog {args.backlog}, "
        f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n"
    )
    print(markdown_table(results, args.requests))
    site = results[0] if results and results[0].label.startswith("site") else None
    if site is None:
        return 0
    budget_ok = (
        sum(b.errors for b in site.bursts) == 0
        and max(b.slowest for b in site.bursts) <= args.wait_time + 0.6
        and max(b.threads_peak - b.threads_idle for b in site.bursts) <= 10
    )
    print(
        f"\nSite within budget (all answered, slowest ≤ wait + 0.6 s, ≤ 10 extra threads): "
        f"{'yes' if budget_ok else 'NO'}"
    )
    return 0 if budget_ok else 1


if __name__ == "__main__":
    sys.exit(main())
