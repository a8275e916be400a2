"""Code checks run in a bounded pool of worker processes, never in request threads.

Why processes: CPython's `ast` is not safe to use from many threads at once (under a storm of
checks it raised `SystemError: AST constructor recursion depth mismatch`), and a check is
pure CPU, so threads would only take turns on the GIL while every page waited behind them.
A few processes (`COURSE_CHECK_WORKERS`, one per core by default) bound the CPU that checks
may take; a check that runs past `COURSE_CHECK_DEADLINE` seconds has its worker killed (a
fresh one replaces it) and is answered with a verdict saying so. A check that finds no free
worker within `QUEUE_WAIT` seconds is answered "busy, try again".

Each request thread that checks code takes a worker for the one check, sends it the code and
the checks over a pipe, and waits for the verdict: nothing is shared between checks. The
command line (`manage.py check_code`) checks in its own process and does not come here.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Literal

from django.conf import settings

from checker import CheckSpec, Feedback, Verdict, submission_check
from lessons.checking import step_checks
from lessons.types import Lesson

# Seconds a check waits for a free worker before it is answered "busy".
QUEUE_WAIT = 5.0
# Seconds a new worker may take to start (import the checker) before it is given up on.
START_TIMEOUT = 30.0
READY = "ready"
# How much lower than the server's the workers' CPU priority is (Unix `nice`).
WORKER_NICENESS = 10

Outcome = Literal["checked", "timed_out", "busy", "failed"]


@dataclass(frozen=True)
class PooledVerdict:
    verdict: Verdict
    outcome: Outcome


def _refused(message: str) -> Verdict:
    return Verdict("refused", (Feedback("Code not checked", False, message, kind="refused"),))


def timed_out_verdict(deadline: float) -> Verdict:
    return _refused(
        f"Checking your code took longer than {deadline:g} s, so it was stopped and your code "
        "was not checked. Code this slow to read is usually very long or deeply nested: "
        "shorten it and press Check again."
    )


BUSY_VERDICT = _refused(
    "The code checker is busy with other learners' code right now, so yours was not checked. "
    "Nothing was lost: press Check again in a few seconds."
)
FAILED_VERDICT = _refused(
    "The code checker stopped while reading your code, so it was not checked. Shorten it "
    "and press Check again."
)


def _worker_main(conn: Connection) -> None:
    """A worker's life: say it is ready, then check whatever it is sent, one at a time."""
    # Below the server in the CPU's queue: a storm of checks must not slow the pages down.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)
    # The collector off while a check runs: a big submission's tree is tens of thousands of
    # objects, and collections walking them again and again tripled its worst times
    # (bench/bench_checker.py: p99 123-139 ms for a 500-line view, 39 ms without). What a check
    # leaves behind is collected once its verdict is on its way.
    gc.disable()
    gc.freeze()
    conn.send(READY)
    while True:
        try:
            code, checks = conn.recv()
        except EOFError:
            return
        conn.send(submission_check(code=code, checks=checks))
        gc.collect()


class _Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        self.conn, child = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=_worker_main, args=(child,), name="course-check-worker", daemon=True
        )
        self.process.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != READY:
            self.stop()
            raise RuntimeError("A code-check worker did not start.")

    def stop(self) -> None:
        self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class CheckPool:
    def __init__(self, *, workers: int, deadline: float, queue_wait: float = QUEUE_WAIT) -> None:
        self.size = workers
        self.deadline = deadline
        self.queue_wait = queue_wait
        self._slots = threading.BoundedSemaphore(workers)
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()

    def warm(self) -> None:
        """Start every worker now rather than on the first checks."""
        started = [self._take() for _ in range(self.size - self._idle.qsize())]
        for worker in started:
            self._idle.put(worker)

    def check(self, *, code: str, checks: Sequence[CheckSpec]) -> PooledVerdict:
        if not self._slots.acquire(timeout=self.queue_wait):
            return PooledVerdict(BUSY_VERDICT, "busy")
        try:
            return self._check_on_a_worker(code, list(checks))
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            # Holding a slot means fewer than `size` workers are busy: start one more.
            return _Worker()

    def _check_on_a_worker(self, code: str, checks: list[CheckSpec]) -> PooledVerdict:
        worker = self._take()
        try:
            worker.conn.send((code, checks))
            if not worker.conn.poll(self.deadline):
                worker.stop()  # still reading the code: kill it; a fresh one replaces it
                return PooledVerdict(timed_out_verdict(self.deadline), "timed_out")
            verdict = worker.conn.recv()
        except (EOFError, OSError):
            worker.stop()  # it died (out of memory, killed): the next check starts another
            return PooledVerdict(FAILED_VERDICT, "failed")
        self._idle.put(worker)
        assert isinstance(verdict, Verdict)
        return PooledVerdict(verdict, "checked")

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


_pool: CheckPool | None = None
_pool_lock = threading.Lock()


def check_pool() -> CheckPool:
    """This process's pool, made on first use with the settings of the moment."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = CheckPool(
                workers=settings.COURSE_CHECK_WORKERS or os.cpu_count() or 1,
                deadline=settings.COURSE_CHECK_DEADLINE,
            )
        return _pool


def code_check_pooled(*, code: str, checks: Sequence[CheckSpec]) -> PooledVerdict:
    return check_pool().check(code=code, checks=checks)


def step_check_pooled(*, lesson: Lesson, step_number: int, code: str) -> Verdict:
    """`lessons.checking.step_check` through the pool: what every learning mode uses to check a
    learner's code in a request. Busy or stopped checks come back as a verdict saying so."""
    if lesson.step(step_number) is None:
        raise ValueError(f"Lesson {lesson.slug!r} has no step {step_number}")
    checks = step_checks(lesson=lesson, step_number=step_number)
    return code_check_pooled(code=code, checks=checks).verdict
