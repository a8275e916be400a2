"""The server-fired run's client (demo/fire.py), run as the lab runs it: a process of its own,
here against a small HTTP server in the test, so that what it counts can be checked against
what the server really did."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from django.conf import settings

from demo.fire import ACCEPT_RATE_MAX, FIRE_RATE_MAX, start_rate
from demo.runs import fire_rate

Answer = Callable[[bytes], Awaitable[bytes | None]]


def http_answer(status: str, body: bytes) -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n"
        'Server-Timing: thread;desc="MainThread"\r\nConnection: close\r\n\r\n'
    ).encode() + body


@asynccontextmanager
async def http_server(answer: Answer) -> AsyncIterator[tuple[str, list[float]]]:
    """A server that answers each request line with `answer` (None: never answers), and
    notes when each request arrived."""
    arrivals: list[float] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        request = await reader.readuntil(b"\r\n\r\n")
        arrivals.append(time.perf_counter())
        reply = await answer(request.split(b"\r\n", 1)[0])
        if reply is None:
            await reader.read()  # until the client gives up and closes
        else:
            writer.write(reply)
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", arrivals


async def run_client(url: str, **config: Any) -> list[dict[str, Any]]:
    config = {"base_url": url, "path": "/demo/slow/", "timeout": 10, "interval": 5, **config}
    client = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "demo.fire", json.dumps(config), stdout=asyncio.subprocess.PIPE
    )
    try:
        # A client whose own deadline failed would wait forever: fail the test instead.
        out, _ = await asyncio.wait_for(client.communicate(), 30)
    except TimeoutError:
        client.kill()
        raise
    assert client.returncode == 0
    return [json.loads(line) for line in out.decode().splitlines()]


async def test_right_wrong_and_refused_answers_are_told_apart() -> None:
    async def answer(request_line: bytes) -> bytes:
        index = int(request_line.split(b"&i=")[1].split(b" ")[0])
        if index % 3 == 0:
            return http_answer("429 Too Many Requests", b"Try again in 1 s.")
        if index % 3 == 1:
            return http_answer("200 OK", b"Done waiting!")
        return http_answer("200 OK", b"Something else")

    async with http_server(answer) as (url, arrivals):
        lines = await run_client(url, n=30)

    last = lines[-1]
    assert last["finished"] is True
    assert len(arrivals) == 30
    assert (last["done"], last["refused"]) == (30, 10)
    assert last["errors"] == 10  # the wrong bodies; a refusal is counted as refused, not as wrong
    served_by = sum((line["served_by"].get("MainThread", 0) for line in lines), 0)
    assert served_by == 30


async def test_requests_never_answered_fail_at_the_runs_deadline() -> None:
    async def never(_request_line: bytes) -> None:
        return None

    async with http_server(never) as (url, arrivals):
        started = time.perf_counter()
        lines = await run_client(url, n=5, timeout=1)
        took = time.perf_counter() - started

    assert len(arrivals) == 5
    last = lines[-1]
    assert (last["done"], last["errors"], last["finished"]) == (5, 5, True)
    assert took < 10  # the run's own deadline ended it, not the test's patience


async def test_a_paced_run_starts_no_faster_than_its_rate() -> None:
    async def answer(_request_line: bytes) -> bytes:
        return http_answer("200 OK", b"Done waiting!")

    async with http_server(answer) as (url, arrivals):
        lines = await run_client(url, n=21, rate=100)

    assert lines[-1]["done"] == 21
    # 21 requests at 100 a second: the last starts at least 0.2 s after the first.
    assert max(arrivals) - min(arrivals) >= 0.19


def test_runs_start_fast_enough_that_all_their_requests_wait_at_once() -> None:
    for n in (6, 100, 1000, 3000):
        # The last request starts before the first is answered.
        assert (n - 1) / fire_rate(n) < settings.COURSE_WAIT_TIME
    # Small runs start at the pace that keeps other learners' pages quick.
    assert fire_rate(100) == FIRE_RATE_MAX
    # The largest, no faster than the server's listen queue takes them, which still starts
    # all 10,000 within a wait of 1 s (the bench's).
    assert fire_rate(10_000) == ACCEPT_RATE_MAX
    assert (10_000 - 1) / start_rate(10_000, 1.0) < 1.0
