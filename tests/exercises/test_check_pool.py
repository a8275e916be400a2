"""Code checks run in worker processes with a deadline, not in the request's thread."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from exercises import check_pool as pool_module
from exercises.check_pool import CheckPool, check_pool, code_check_pooled
from exercises.models import StepAttempt, StepWork
from lessons.checking import step_checks
from lessons.selectors import lesson_get

SLUG = "why-async-matters"
# About the slowest input the limits accept (20 kB of one long expression over 20 lines).
SLOW_CODE = ("x = " + "+".join(["a"] * 490) + "\n") * 20


def lesson_and_checks(number: int = 4):
    lesson = lesson_get(slug=SLUG)
    assert lesson is not None
    step = lesson.step(number)
    assert step is not None
    return step, step_checks(lesson=lesson, step_number=number)


def test_a_check_runs_in_a_worker_process_and_passes_the_solution() -> None:
    step, checks = lesson_and_checks()
    result = code_check_pooled(code=step.solution, checks=checks)
    assert result.outcome == "checked"
    assert result.verdict.passed
    pool = check_pool()
    worker = pool._take()
    try:
        assert worker.process.is_alive() and worker.process.pid != os.getpid()
    finally:
        pool._idle.put(worker)


def test_a_check_past_the_deadline_is_stopped_with_a_verdict_and_the_pool_recovers() -> None:
    step, checks = lesson_and_checks()
    pool = CheckPool(workers=1, deadline=0.002)
    try:
        stopped = pool.check(code=SLOW_CODE, checks=checks)
        assert stopped.outcome == "timed_out"
        assert stopped.verdict.status == "refused"
        assert "took longer than 0.002 s, so it was stopped" in stopped.verdict.items[0].message
        pool.deadline = 60
        again = pool.check(code=step.solution, checks=checks)
        assert again.outcome == "checked" and again.verdict.passed
    finally:
        pool.close()


@pytest.mark.django_db
def test_the_step_page_says_when_a_check_was_stopped(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = CheckPool(workers=1, deadline=0.002)
    monkeypatch.setattr(pool_module, "_pool", pool)
    try:
        response = client.post(f"/lessons/{SLUG}/steps/4/check/", {"code": SLOW_CODE})
    finally:
        pool.close()
    assert response.status_code == 422
    assert "so it was stopped and your code was not checked" in response.content.decode()
    # Kept as an attempt, but the learner's saved code is not replaced by it.
    assert StepAttempt.objects.get().status == "refused"
    assert not StepWork.objects.filter(code=SLOW_CODE).exists()


@pytest.mark.django_db
def test_a_check_finding_every_worker_busy_is_a_429_with_retry_after(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = CheckPool(workers=1, deadline=5, queue_wait=0.01)
    monkeypatch.setattr(pool_module, "_pool", pool)
    assert pool._slots.acquire()  # the only worker is taken by someone else's check
    try:
        response = client.post(
            f"/lessons/{SLUG}/steps/1/check/", {"code": "import asyncio\n"}, HTTP_HX_REQUEST="true"
        )
    finally:
        pool._slots.release()
        pool.close()
    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "The code checker is busy" in response.content.decode()
    assert not StepAttempt.objects.exists()
