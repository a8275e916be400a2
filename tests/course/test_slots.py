"""course.slots: the demo's caps and run slots, in process or shared through Redis.

The Redis tests use REDIS_URL when it is set (`make test-scale`), else a redis-server of
their own when Debian's package is installed; without either they are skipped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis.exceptions

from course.admission import InFlight
from course.slots import Full, Limit, LocalSlots, RedisSlots, Ticket
from demo.modes import MODES
from demo.runs import RUNS_MAX, RunSlots
from tests.daphne import free_port


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no REDIS_URL and no redis-server (apt-get install redis-server)")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def redis_slots(url: str) -> RedisSlots:
    # A prefix of the test's own, so that runs sharing one Redis do not see each other.
    slots = RedisSlots(url, prefix=f"test:{time.time_ns()}:")
    deadline = time.monotonic() + 10
    while True:
        try:
            await slots.client().ping()
            return slots
        except redis.exceptions.ConnectionError:
            # The module's own server may still be starting.
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def check_limits(slots) -> None:
    limits = [Limit("all", 3), Limit("all:a", 2)]
    first = await slots.take(limits, lifetime=60)
    second = await slots.take(limits, lifetime=60)
    assert isinstance(first, Ticket) and isinstance(second, Ticket)
    refused = await slots.take(limits, lifetime=60)
    assert refused == Full(Limit("all:a", 2), 2)
    third = await slots.take([Limit("all", 3), Limit("all:b", 2)], lifetime=60)
    assert isinstance(third, Ticket)
    assert await slots.take([Limit("all", 3), Limit("all:c", 2)], lifetime=60) == Full(
        Limit("all", 3), 3
    )
    assert (await slots.count("all"), await slots.count("all:a")) == (3, 2)
    await slots.give_back(first)
    assert (await slots.count("all"), await slots.count("all:a")) == (2, 1)
    assert isinstance(await slots.take(limits, lifetime=60), Ticket)


async def test_local_slots_keep_their_limits() -> None:
    await check_limits(LocalSlots())


async def test_redis_slots_keep_their_limits(redis_url: str) -> None:
    await check_limits(await redis_slots(redis_url))


async def test_two_processes_share_the_redis_counts(redis_url: str) -> None:
    one = await redis_slots(redis_url)
    other = RedisSlots(redis_url, prefix=one.prefix)  # another process, same Redis
    runs_one, runs_other = RunSlots(one), RunSlots(other)
    mode = MODES["async"]
    tickets = [await runs_one.try_take(f"10.0.0.{i}", mode=mode, n=10) for i in range(RUNS_MAX)]
    assert all(isinstance(ticket, Ticket) for ticket in tickets)
    # The other process sees the runs of the first and refuses one more.
    assert await runs_other.running() == RUNS_MAX
    assert isinstance(await runs_other.try_take("10.9.9.9", mode=mode, n=10), int)
    await runs_one.give_back(tickets[0])
    assert isinstance(await runs_other.try_take("10.9.9.9", mode=mode, n=10), Ticket)


async def test_in_flight_caps_hold_across_processes(redis_url: str) -> None:
    one = await redis_slots(redis_url)
    first, second = InFlight(one), InFlight(RedisSlots(redis_url, prefix=one.prefix))
    mode = MODES["blocking"]
    tickets = []
    for index in range(mode.global_in_flight_max):
        process = first if index % 2 else second
        ticket = await process.try_enter(mode, f"10.0.1.{index}", self_fired=False)
        assert isinstance(ticket, Ticket)
        tickets.append((process, ticket))
    assert await first.waiting("blocking") == mode.global_in_flight_max
    retry_after = await first.try_enter(mode, "10.0.2.1", self_fired=False)
    assert isinstance(retry_after, int) and retry_after >= 1
    for process, ticket in tickets:
        await process.leave(ticket)
    assert await second.waiting("blocking") == 0


async def test_a_slot_never_given_back_expires(redis_url: str) -> None:
    """A killed process never gives its slots back; they stop counting after their lifetime."""
    slots = await redis_slots(redis_url)
    assert isinstance(await slots.take([Limit("runs", 1)], lifetime=0.3), Ticket)
    assert isinstance(await slots.take([Limit("runs", 1)], lifetime=0.3), Full)
    deadline = time.monotonic() + 10
    while await slots.count("runs") and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert isinstance(await slots.take([Limit("runs", 1)], lifetime=60), Ticket)


def test_the_backend_follows_redis_url(settings) -> None:
    from course import slots

    with contextlib.ExitStack() as stack:
        stack.callback(slots.slots_reset)
        settings.REDIS_URL = ""
        slots.slots_reset()
        assert isinstance(slots.slots_get(), LocalSlots)
        settings.REDIS_URL = "redis://127.0.0.1:1/0"
        slots.slots_reset()
        assert isinstance(slots.slots_get(), RedisSlots)
