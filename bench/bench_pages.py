"""Page bench: the lesson page against a trivial view through the same stack.

    .venv/bin/python bench/bench_pages.py [--seconds 10] [--connections 50]

Starts the site as `make run` serves it (Daphne, DEBUG off, a throwaway SQLite database) and
drives it with wrk (Debian's `wrk` package: a C load generator, so the client costs far less
than the server it measures) from 50 concurrent connections: first /healthz/ (the same
middleware, sessions and routing with no work of its own), then /lessons/why-async-matters/.
Budget (DESIGN.md): the lesson page serves at least half the requests per second of the
trivial view, measured in the same run, with p99 ≤ 50 ms. Loopback only; each run is bounded.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench_burst import bench_env, running_server

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("This bench needs wrk: apt-get install wrk", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        env = bench_env(tmp_dir, wait_time=1.0)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            check=True,
        )
        with running_server(
            "course.asgi:application", env=env, backlog="4096", log_path=tmp_dir / "daphne.log"
        ) as (url, _process):
            # Warm up: first requests import templates and parse the lesson file.
            wrk(url, LESSON, seconds=2, connections=4)
            wrk(url, TRIVIAL, seconds=2, connections=4)
            trivial = wrk(url, TRIVIAL, seconds=args.seconds, connections=args.connections)
            lesson = wrk(url, LESSON, seconds=args.seconds, connections=args.connections)
    ratio = lesson.requests_per_second / trivial.requests_per_second
    print(f"wrk, {args.connections} connections, {args.seconds} s each, Daphne, DEBUG off\n")
    print("| page | requests/s | p50 | p99 | errors |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for result in (trivial, lesson):
        print(
            f"| `{result.path}` | {result.requests_per_second:,.0f} | {result.p50_ms:.1f} ms "
            f"| {result.p99_ms:.1f} ms | {result.errors} |"
        )
    ok = ratio >= 0.5 and lesson.p99_ms <= 50 and lesson.errors == 0
    print(
        f"\nlesson page / trivial view: {ratio:.2f} of the requests per second "
        f"(budget ≥ 0.50); p99 {lesson.p99_ms:.1f} ms (budget ≤ 50 ms): "
        f"{'within budget' if ok else 'OVER BUDGET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
