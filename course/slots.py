"""Counted slots with limits, shared by every server process when REDIS_URL is set.

The demo's caps (requests in flight per route and per client, course/admission.py) and its
server-fired run slots (demo/runs.py) are both "take a slot under these limits, give it back
later". With one server process a Counter does; with several behind a proxy each would allow
the whole limit again, so with REDIS_URL set the counts live in Redis, where every process
sees them. One interface, two backends:

- `LocalSlots`: in-process counters. Only touched from the event loop, so no lock.
- `RedisSlots`: one sorted set per counter, a member per slot taken, scored by the time it
  expires. A Lua script checks every limit and takes the slot in one atomic step. Expiry is
  what makes a crash harmless: a killed process never gives its slots back, and they drop out
  once their lifetime has passed.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import weakref
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import redis.asyncio
from django.conf import settings


@dataclass(frozen=True)
class Limit:
    """At most `most` slots may be taken on counter `key` at once."""

    key: str
    most: int


@dataclass(frozen=True)
class Ticket:
    """A slot taken on each of `keys`; give it back with `Slots.give_back`."""

    keys: tuple[str, ...]
    member: str


@dataclass(frozen=True)
class Full:
    """Refused: `limit` was reached, with `count` slots taken on it."""

    limit: Limit
    count: int


class Slots(Protocol):
    async def take(self, limits: Sequence[Limit], *, lifetime: float) -> Ticket | Full:
        """A slot on every limit's counter, or the first limit that is full.

        `lifetime` bounds how long the slot can be held: past it, a slot never given back
        (its process died) stops counting. The in-process backend needs no such bound.
        """
        ...

    async def give_back(self, ticket: Ticket) -> None: ...

    async def count(self, key: str) -> int: ...


@dataclass
class LocalSlots:
    counts: Counter[str] = field(default_factory=Counter)

    async def take(self, limits: Sequence[Limit], *, lifetime: float) -> Ticket | Full:
        for limit in limits:
            if self.counts[limit.key] >= limit.most:
                return Full(limit, self.counts[limit.key])
        for limit in limits:
            self.counts[limit.key] += 1
        return Ticket(tuple(limit.key for limit in limits), "")

    async def give_back(self, ticket: Ticket) -> None:
        for key in ticket.keys:
            self.counts[key] -= 1
            if self.counts[key] <= 0:
                del self.counts[key]

    async def count(self, key: str) -> int:
        return self.counts[key]


# KEYS: the counters. ARGV: the member, its lifetime in seconds, then each key's limit.
# Returns {0, 0} when taken, else {the full key's index (from 1), its count}. Redis's own
# clock, so the processes' clocks need not agree.
TAKE_SCRIPT = """
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local lifetime = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local taken = redis.call('ZCARD', key)
  if taken >= tonumber(ARGV[2 + i]) then
    return {i, taken}
  end
end
local seconds = math.ceil(lifetime) + 1
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lifetime, ARGV[1])
  if redis.call('TTL', key) < seconds then
    redis.call('EXPIRE', key, seconds)
  end
end
return {0, 0}
"""

COUNT_SCRIPT = """
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
"""


POOL_CONNECTIONS = 16
POOL_WAIT_SECONDS = 20


class RedisSlots:
    """Slots in Redis under `prefix`, shared by every process pointed at the same server."""

    def __init__(self, url: str, *, prefix: str = "course:slots:") -> None:
        self.url = url
        self.prefix = prefix
        # A redis.asyncio client belongs to the event loop it was made on (Daphne has one;
        # the test suite makes one per test).
        self.clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )

    def client(self) -> Any:
        loop = asyncio.get_running_loop()
        client = self.clients.get(loop)
        if client is None:
            # A blocking pool: a burst of 1000 demo requests queues for a few connections
            # (each call takes well under a millisecond) instead of opening 1000 of them,
            # or failing once redis-py's default pool of 100 is used up.
            pool = redis.asyncio.BlockingConnectionPool.from_url(
                self.url, max_connections=POOL_CONNECTIONS, timeout=POOL_WAIT_SECONDS
            )
            client = redis.asyncio.Redis(connection_pool=pool)
            self.clients[loop] = client
        return client

    async def take(self, limits: Sequence[Limit], *, lifetime: float) -> Ticket | Full:
        member = secrets.token_hex(8)
        keys = [self.prefix + limit.key for limit in limits]
        args = [member, f"{lifetime:.3f}", *(str(limit.most) for limit in limits)]
        full, count = await self.client().eval(TAKE_SCRIPT, len(keys), *keys, *args)
        if full:
            return Full(limits[int(full) - 1], int(count))
        return Ticket(tuple(keys), member)

    async def give_back(self, ticket: Ticket) -> None:
        async with self.client().pipeline(transaction=False) as pipe:
            for key in ticket.keys:
                pipe.zrem(key, ticket.member)
            await pipe.execute()

    async def count(self, key: str) -> int:
        return int(await self.client().eval(COUNT_SCRIPT, 1, self.prefix + key))


_slots: Slots | None = None


def slots_get() -> Slots:
    """The process's slots: in Redis when REDIS_URL is set, in this process otherwise."""
    global _slots
    if _slots is None:
        _slots = RedisSlots(settings.REDIS_URL) if settings.REDIS_URL else LocalSlots()
    return _slots


def slots_reset() -> None:
    """Forget the backend, so the next use reads the settings again (tests change them)."""
    global _slots
    _slots = None


def lifetime_seconds(waits: float) -> float:
    # A slot's bound: the waits it may take, with room for a slow machine.
    return math.ceil(settings.COURSE_WAIT_TIME * waits) + 60.0
