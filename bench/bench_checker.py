"""Time the code checker: the seed lesson's solutions and the worst inputs it accepts.

Run: .venv/bin/python bench/bench_checker.py
Budget (docs/architecture.md): median <= 5 ms per check for a seed-sized submission; any accepted
input <= 100 ms.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")

import django  # noqa: E402

django.setup()

from checker import Verdict  # noqa: E402
from checker.limits import MAX_LINE_LENGTH, MAX_LINES, MAX_SUBMISSION_BYTES  # noqa: E402
from lessons.checking import step_check  # noqa: E402
from lessons.selectors import lesson_get  # noqa: E402

RUNS = 300


def timings(run: Callable[[], Verdict], runs: int = RUNS) -> tuple[list[float], Verdict]:
    verdict = run()  # warm the pattern cache, as a running server would be
    times = []
    # As the check pool's workers run every check (exercises/check_pool.py): the collector off
    # during the check, a collection after the verdict is out.
    gc.disable()
    for _ in range(runs):
        start = time.perf_counter()
        verdict = run()
        times.append((time.perf_counter() - start) * 1000)
        gc.collect()
    gc.enable()
    return sorted(times), verdict


def row(name: str, times: list[float], verdict: Verdict, checks: int) -> str:
    median = statistics.median(times)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    per_check = median / max(checks, 1)
    return f"| {name} | {checks} | {verdict.status} | {median:.2f} | {p99:.2f} | {per_check:.2f} |"


def filled(unit: str, joiner: str) -> str:
    """Terms chained inside brackets across lines, as close to every limit as allowed."""
    per_line = (MAX_LINE_LENGTH - 10) // (len(unit) + len(joiner))
    line = joiner.join([unit] * per_line)
    lines = ["x = ("]
    while len("\n".join([*lines, line, ")"])) < MAX_SUBMISSION_BYTES - 200:
        lines.append(line + joiner)
    lines.append(unit + ")")
    return "\n".join(lines) + "\n"


def worst_inputs() -> dict[str, str]:
    view = [
        "import asyncio",
        "from django.http import HttpResponse",
        "WAIT_TIME = 3",
        "async def slow_view(request):",
    ]
    body = "    await asyncio.sleep(WAIT_TIME)"
    many_lines = view + [body] * (MAX_LINES - len(view) - 1) + ["    return HttpResponse('x')"]
    nested = "".join(" " * level + "if x:\n" for level in range(98)) + " " * 98 + "pass\n"
    return {
        "500-line async view": "\n".join(many_lines) + "\n",
        "20 kB of `a + a + ...`": filled("a", " + "),
        "20 kB of `f(a).g(a)...`": filled("f(a)", "."),
        "20 kB of `'s' 's' ...`": filled("'s'", " "),
        "20 kB of names never defined": "\n".join(
            f"v{n} = u{n} + w{n} + z{n}" for n in range(MAX_LINES - 1)
        )
        + "\n",
        "98 nested ifs": nested,
        "parentheses 199 deep": "x = " + "(" * 199 + "1" + ")" * 199 + "\n",
        "20 kB syntax error": filled("a", " + ").replace("x = (", "x = ((", 1),
    }


def calibration_ms() -> float:
    """A fixed pure-Python workload (about 15 ms on an idle 2020s laptop core): numbers
    taken on a busy machine scale with it."""
    start = time.perf_counter()
    sum(range(1_000_000))
    return (time.perf_counter() - start) * 1000


def main() -> None:
    print(f"Calibration: sum(range(10**6)) took {calibration_ms():.1f} ms.\n")
    lesson = lesson_get(slug="why-async-matters")
    if lesson is None:
        sys.exit("the seed lesson does not load")
    print("| submission | checks | verdict | median ms | p99 ms | median ms per check |")
    print("|---|---|---|---|---|---|")
    for step in lesson.steps:
        checks = sum(len(s.checks) for s in lesson.steps if s.number <= step.number)
        times, verdict = timings(
            lambda step=step: step_check(lesson=lesson, step_number=step.number, code=step.solution)
        )
        print(row(f"step {step.number} solution", times, verdict, checks))
        for mistake in step.mistakes[:1]:
            times, verdict = timings(
                lambda step=step, mistake=mistake: step_check(
                    lesson=lesson, step_number=step.number, code=mistake.code
                )
            )
            print(row(f"step {step.number} mistake: {mistake.title}", times, verdict, checks))
    last = lesson.steps[-1]
    checks = sum(len(s.checks) for s in lesson.steps)
    for name, code in worst_inputs().items():
        size = len(code.encode())
        times, verdict = timings(
            lambda code=code: step_check(lesson=lesson, step_number=last.number, code=code),
            runs=30,
        )
        print(row(f"{name} ({size:,} B)", times, verdict, checks))


if __name__ == "__main__":
    main()
