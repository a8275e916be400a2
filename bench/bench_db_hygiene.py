"""Database hygiene bench: 1000 requests to an async view that queries the database.

    .venv/bin/python bench/bench_db_hygiene.py

`/demo/db/` is an `async def` view doing `await Session.objects.acount()`, served through
the site's full middleware stack (sessions, CSRF, security headers) and Django's
request_started/request_finished connection cleanup. The ORM runs each query in a thread
of that request, opening a SQLite connection there; the proof that nothing leaks is that the
server's open handles on the database file (and its thread count) return to their idle
baseline once the requests are done. SQLite connections are file descriptors, so psutil's
`open_files()` on the server process counts them exactly.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from bench_burst import Sampler, expected_ok, http_get
from server import PYTHON, ROOT, bench_env, running_server


def db_handles(process: psutil.Process, db_path: Path) -> int:
    """Open file descriptors on the SQLite file and its -wal/-shm companions."""
    prefix = str(db_path)
    return sum(1 for f in process.open_files() if f.path.startswith(prefix))


async def fire(port: int, requests: int, concurrency: int) -> list[bool]:
    gate = asyncio.Semaphore(concurrency)

    async def one(index: int) -> bool:
        async with gate:
            answer = await http_get(port, f"/demo/db/?i={index}", timeout=60)
            return expected_ok(answer, b"0 sessions")

    return await asyncio.gather(*(one(i) for i in range(requests)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()
    if not (1 <= args.requests <= 5000 and 1 <= args.concurrency <= 1000):
        parser.error("keep it to at most 5000 requests, at most 1000 at once")

    with tempfile.TemporaryDirectory(prefix="bench-db-") as tmp:
        tmp_dir = Path(tmp)
        env = bench_env(tmp_dir, 1.0)
        db_path = tmp_dir / "bench.sqlite3"
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        with running_server(
            "course.asgi:application", env=env, backlog="4096", log_path=tmp_dir / "daphne.log"
        ) as (base_url, process):
            port = int(base_url.rsplit(":", 1)[1])
            asyncio.run(fire(port, 2, 1))  # warm up
            time.sleep(0.5)
            handles_idle, threads_idle = db_handles(process, db_path), process.num_threads()
            handles_peak = handles_idle
            with Sampler(process) as sampler:
                task_done = False

                async def watch() -> None:
                    nonlocal handles_peak
                    while not task_done:
                        handles_peak = max(handles_peak, db_handles(process, db_path))
                        await asyncio.sleep(0.05)

                async def run() -> list[bool]:
                    nonlocal task_done
                    watcher = asyncio.create_task(watch())
                    try:
                        return await fire(port, args.requests, args.concurrency)
                    finally:
                        task_done = True
                        await watcher

                started = time.perf_counter()
                answers = asyncio.run(run())
                elapsed = time.perf_counter() - started
            time.sleep(0.5)
            handles_after, threads_after = db_handles(process, db_path), process.num_threads()

    ok = sum(answers)
    print(
        f"\n{args.requests} requests to /demo/db/, {args.concurrency} at a time, "
        f"in {elapsed:.1f} s\n"
    )
    print("| Answered OK | DB handles idle → peak → after | Threads idle → peak → after |")
    print("|---|---|---|")
    print(
        f"| {ok} / {args.requests} | {handles_idle} → {handles_peak} → {handles_after} "
        f"| {threads_idle} → {sampler.threads_peak} → {threads_after} |"
    )
    clean = ok == args.requests and handles_after <= handles_idle and threads_after <= threads_idle
    print(f"\nConnections back at their baseline: {'yes' if clean else 'NO'}")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
