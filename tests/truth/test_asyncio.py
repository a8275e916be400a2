"""wait-for-two-things (and the seed's event-loop concept): what asyncio does, checked
against Python itself and the lab's own sequential, gather and timeout views."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import TypeVar

import pytest
from django.test import AsyncRequestFactory

from demo import showcase
from tests.truth.conftest import WAIT, final_solution

T = TypeVar("T")
# Scheduling slack on a busy 2-CPU machine: far less than one more wait would add.
SLACK = 0.8 * WAIT

pytestmark = pytest.mark.usefixtures("short_wait")


async def timed(awaitable: Awaitable[T]) -> tuple[T, float]:
    started = time.perf_counter()
    result = await awaitable
    return result, time.perf_counter() - started


async def test_two_awaits_in_a_row_take_two_waits() -> None:
    """ "`await` finishes one call before the next line starts: two awaits in a row take about
    2 × WAIT_TIME" (concept sequential-awaits, step 2, question two-awaits-time; the lab's
    sequential view)."""
    response, elapsed = await timed(showcase.sequential_view(AsyncRequestFactory().get("/")))
    assert response.content == b"sunny; Django 5.2 is out"
    assert 2 * WAIT <= elapsed < 2 * WAIT + SLACK


async def test_gather_runs_both_calls_at_once() -> None:
    """ "`asyncio.gather` runs both calls at once, so the view waits about one WAIT_TIME"
    (concept gather, step 3, question gather-time; the lab's gather view)."""
    response, elapsed = await timed(showcase.gather_view(AsyncRequestFactory().get("/")))
    assert response.content == b"sunny; Django 5.2 is out"
    assert WAIT <= elapsed < WAIT + SLACK


async def test_gather_returns_results_in_argument_order() -> None:
    """ "gather returns the results in the order of its arguments, not of finishing"
    (question gather-order)."""

    async def slow() -> str:
        await asyncio.sleep(2 * WAIT)
        return "slow"

    async def fast() -> str:
        await asyncio.sleep(0)
        return "fast"

    assert list(await asyncio.gather(slow(), fast())) == ["slow", "fast"]


async def test_the_timeout_view_answers_504_at_the_bound() -> None:
    """ "asyncio.timeout cancelled the gathered calls and the view answered 504 after
    1.5 × WAIT_TIME, without waiting for the slow service's 2 × WAIT_TIME" (the lab's timeout
    view; concept timeout)."""
    response, elapsed = await timed(showcase.timeout_view(AsyncRequestFactory().get("/")))
    assert response.status_code == 504
    assert response.content == b"Gave up waiting"
    assert 1.5 * WAIT <= elapsed < 2 * WAIT


async def test_asyncio_timeout_raises_the_builtin_timeout_error_and_cancels_the_work() -> None:
    """ "`asyncio.timeout` raises the built-in `TimeoutError` (`asyncio.TimeoutError` is the
    same class since 3.11); the work inside gets `CancelledError`" (question
    timeout-exception; step 4)."""
    inside: list[str] = []

    async def slow() -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            inside.append("cancelled")
            raise

    with pytest.raises(TimeoutError) as caught:
        async with asyncio.timeout(WAIT / 2):
            await slow()
    assert type(caught.value) is TimeoutError
    assert asyncio.TimeoutError is TimeoutError
    assert inside == ["cancelled"]


async def test_a_timeout_cancels_the_gathered_calls_still_running() -> None:
    """ "When time is up, the gathered calls still running are cancelled; a finished one stays
    done" (question inside-the-bound)."""
    states: dict[str, str] = {}

    async def child(name: str, delay: float) -> None:
        try:
            await asyncio.sleep(delay)
            states[name] = "done"
        except asyncio.CancelledError:
            states[name] = "cancelled"
            raise

    with pytest.raises(TimeoutError):
        async with asyncio.timeout(WAIT):
            await asyncio.gather(child("fast", 0), child("slow", 10))
    assert states == {"fast": "done", "slow": "cancelled"}


async def test_asyncio_timeout_needs_async_with() -> None:
    """ "A plain `with asyncio.timeout(...)` fails with a TypeError, and so does awaiting it"
    (step 4's plain-with mistake, question async-with-timeout)."""
    with pytest.raises(TypeError):  # noqa: SIM117
        with asyncio.timeout(1):  # type: ignore[attr-defined]
            pass
    with pytest.raises(TypeError):
        await asyncio.timeout(1)  # type: ignore[misc]


async def test_wait_for_bounds_one_awaitable_the_same_way() -> None:
    """ "`asyncio.wait_for` is the older way to bound one awaitable" (concept timeout)."""
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.sleep(10), timeout=WAIT / 2)


async def test_a_taskgroup_failure_cancels_the_siblings_and_raises_a_group() -> None:
    """ "In a TaskGroup, one failure cancels the others and raises an ExceptionGroup, without
    waiting for them" (concept taskgroup, question taskgroup-failure)."""
    states: dict[str, str] = {}

    async def sibling() -> None:
        try:
            await asyncio.sleep(10)
            states["sibling"] = "done"
        except asyncio.CancelledError:
            states["sibling"] = "cancelled"
            raise

    async def failing() -> None:
        await asyncio.sleep(0)
        raise ValueError("news service down")

    with pytest.raises(ExceptionGroup) as caught:
        async with asyncio.TaskGroup() as group:
            group.create_task(sibling())
            group.create_task(failing())
    assert states == {"sibling": "cancelled"}
    assert [type(error) for error in caught.value.exceptions] == [ValueError]


async def test_a_plain_except_misses_the_group_except_star_catches_it() -> None:
    """ "A plain `except ValueError:` does not catch a TaskGroup's error; `except* ValueError:`
    does" (question catch-taskgroup-error)."""

    async def failing() -> None:
        raise ValueError("down")

    with pytest.raises(ExceptionGroup):
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(failing())
        except ValueError:
            pytest.fail("a plain except ValueError caught the group")
    handled = []
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(failing())
    except* ValueError as errors:
        handled.append(len(errors.exceptions))
    assert handled == [1]


async def test_taskgroup_results_come_from_the_tasks() -> None:
    """ "With a TaskGroup, the results are read with `task.result()` after the block" (concept
    taskgroup)."""

    async def value(text: str) -> str:
        await asyncio.sleep(0)
        return text

    async with asyncio.TaskGroup() as group:
        weather = group.create_task(value("sunny"))
        news = group.create_task(value("news"))
    assert (weather.result(), news.result()) == ("sunny", "news")


async def test_gather_raises_the_first_failure_and_leaves_the_other_running() -> None:
    """ "When a gathered call raises, gather raises that exception at once and does not cancel
    the other call" (concept gather, question gather-one-fails)."""
    finished = asyncio.Event()

    async def sibling() -> None:
        await asyncio.sleep(WAIT)
        finished.set()

    async def failing() -> None:
        await asyncio.sleep(0)
        raise ValueError("down")

    with pytest.raises(ValueError):
        await asyncio.gather(sibling(), failing())
    assert not finished.is_set()  # gather returned before the sibling finished...
    await asyncio.wait_for(finished.wait(), timeout=10)  # ...which still runs to its end


async def test_gather_return_exceptions_returns_the_errors() -> None:
    """ "`return_exceptions=True` gives the exception as a result instead" (question
    gather-one-fails)."""

    async def ok() -> int:
        return 1

    async def failing() -> int:
        raise ValueError("down")

    results = await asyncio.gather(ok(), failing(), return_exceptions=True)
    assert results[0] == 1 and isinstance(results[1], ValueError)


async def test_calling_a_coroutine_function_without_await_runs_nothing() -> None:
    """ "Calling `fetch_weather()` without `await` only creates a coroutine; nothing runs"
    (concept sequential-awaits, question call-without-await)."""
    ran: list[int] = []

    async def job() -> None:
        ran.append(1)

    pending = job()
    await asyncio.sleep(0)
    assert ran == []
    pending.close()


async def test_an_unawaited_gather_starts_the_calls_but_unpacking_it_fails() -> None:
    """ "gather without `await`: the calls start, nothing waits for them, and unpacking the
    result fails" (question gather-line, option gather-no-await)."""
    ran: list[int] = []

    async def job(value: int) -> int:
        ran.append(value)
        return value

    with pytest.raises(RuntimeError, match="await wasn't used with future"):
        weather, news = asyncio.gather(job(1), job(2))  # type: ignore[misc]
    await asyncio.sleep(0)
    assert sorted(ran) == [1, 2]


async def test_gather_of_awaited_results_waits_in_turn_then_fails() -> None:
    """ "`gather(await a(), await b())` waits for each in turn, then fails: gather needs
    awaitables, not their results" (step 3's mistake, question awaited-inside-gather)."""

    async def job(text: str) -> str:
        await asyncio.sleep(WAIT)
        return text

    started = time.perf_counter()
    with pytest.raises(TypeError, match="awaitable is required"):
        await asyncio.gather(await job("sunny"), await job("news"))  # type: ignore[call-overload]
    assert time.perf_counter() - started >= 2 * WAIT


async def test_time_sleep_in_gathered_coroutines_still_takes_turns() -> None:
    """ "A blocking `time.sleep` in `async def` never yields, so even gathered calls take
    turns" (the checker's blocking-call diagnostic; concept blocking-call)."""

    async def blocking() -> None:
        time.sleep(WAIT)

    _, elapsed = await timed(asyncio.gather(blocking(), blocking()))
    assert elapsed >= 2 * WAIT


async def test_sequential_calls_under_a_timeout_answer_504_at_the_bound() -> None:
    """ "Sequential calls under the bound still add up: with two 1 s calls and `TIMEOUT = 1.5`
    the view answers 504 after 1.5 s" (question sequential-under-timeout; scaled down)."""
    module = final_solution("wait-for-two-things")
    module.WAIT_TIME = WAIT
    module.TIMEOUT = 1.5 * WAIT

    async def sequential_dashboard() -> int:
        try:
            async with asyncio.timeout(module.TIMEOUT):
                await module.fetch_weather()
                await module.fetch_news()
        except TimeoutError:
            return 504
        return 200

    status, elapsed = await timed(sequential_dashboard())
    assert status == 504
    assert 1.5 * WAIT <= elapsed < 2 * WAIT
