"""The client of a server-fired run, in a process of its own: `python -m demo.fire '<json>'`.

Why a separate process: fired from inside the serving process, 1000 requests' worth of client
work (connecting, writing, parsing) competed with every page the server was serving, and the
lesson page's p99 went from ~12 ms to over 300 ms during a run. Here the serving process only
serves; the run's thread count and memory, sampled there, are the server's alone. It also
halves the sockets each process holds, which a 10,000-request run needs (each request is a
socket at both ends).

Standard library only, no Django: it starts in a few tens of milliseconds. It reads one JSON
object from argv (`base_url`, `path`, `n`, `timeout`, `headers`, `query`) and writes one JSON
object per line to stdout: progress every `interval` seconds with what is new since the last
line (`times`, `served_by`, `warnings`), then `{"finished": true, ...}`.

The client is a minimal HTTP/1.1 GET on an asyncio protocol, not httpx: measured here, 1000
simultaneous requests to the 1 s view took 2.5 s through it and 11.7 s through
httpx.AsyncClient, whose pool bookkeeping grows with the number of open connections.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

EXPECTED_BODY = b"Done waiting!"
WARNING_HEADER = "demo-warning"
# Requests a run starts per second (see start_rate): the pace that keeps other pages quick,
# and the most the server's listen queue takes.
FIRE_RATE_MAX = 2000
ACCEPT_RATE_MAX = 12_000


def start_rate(n: int, wait: float) -> float:
    """How fast a run of `n` requests to a view that waits `wait` seconds starts them.

    Started all in the same millisecond, 1000 requests queue up in front of every page other
    learners load (their p99 went to 220 ms). Started at FIRE_RATE_MAX a second, they still
    all wait at once (the last starts before the first is answered) while pages stay quick. A
    run too big to start in half a wait at that pace starts faster, so that its requests still
    overlap: that is what the run is there to show. But never faster than ACCEPT_RATE_MAX:
    started at 20,000 a second, a 10,000-request run filled the kernel's queue of connections
    waiting to be accepted (4096, Linux's somaxconn) faster than the 2-core server took them;
    the kernel dropped 250-1700 of them, each retried a second later, and the run took
    2.8-3.6 s instead of 2.5-2.8 s (bench/bench_demo_run.py; `nstat TcpExtListenOverflows`).
    """
    return min(ACCEPT_RATE_MAX, max(FIRE_RATE_MAX, 2 * n / max(wait, 0.001)))


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class OneGet(asyncio.Protocol):
    """One GET on a connection of its own (`Connection: close`), read until the server closes
    it. A protocol rather than asyncio's streams: no reader, writer or buffer objects per
    request, which at 10,000 requests was a third of this client's time."""

    def __init__(self, request: bytes, answered: asyncio.Future[bytes]) -> None:
        self.request = request
        self.answered = answered
        self.received: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        self.received.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.answered.done():
            return
        if exc is None:
            self.answered.set_result(b"".join(self.received))
        else:
            self.answered.set_exception(exc)


def request_bytes(base_url: str, target: str, headers: dict[str, str]) -> bytes:
    split = urlsplit(base_url)
    lines = [f"GET {target} HTTP/1.1", f"Host: {split.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def http_get(base_url: str, target: str, *, headers: dict[str, str]) -> Answer:
    """One GET, read to the end. The caller bounds how long it may take."""
    split = urlsplit(base_url)
    host, port = split.hostname or "127.0.0.1", split.port or 80
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[bytes] = loop.create_future()
    request = request_bytes(base_url, target, headers)
    transport, _ = await loop.create_connection(lambda: OneGet(request, answered), host, port)
    try:
        return parse_answer(await answered)
    finally:
        transport.close()


def parse_answer(raw: bytes) -> Answer:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    if parsed.get("transfer-encoding", "").lower() == "chunked":
        body = dechunk(body)
    return Answer(int(status_line.split(" ", 2)[1]), parsed, body)


def dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


def parse_served_by(server_timing: str | None) -> str | None:
    """The thread named in a demo response's `Server-Timing` header."""
    if not server_timing:
        return None
    for metric in server_timing.split(","):
        name, _, params = metric.strip().partition(";")
        if name == "thread" and 'desc="' in params:
            return params.split('desc="', 1)[1].split('"', 1)[0]
    return None


def parse_queued_ms(server_timing: str | None) -> float | None:
    """How long a pooled request queued for a worker (`queue;dur=`), in ms."""
    for metric in (server_timing or "").split(","):
        name, _, params = metric.strip().partition(";")
        if name == "queue" and params.startswith("dur="):
            try:
                return float(params[4:].split(";", 1)[0])
            except ValueError:
                return None
    return None


@dataclass
class Tally:
    done: int = 0
    errors: int = 0
    refused: int = 0
    queued_max_ms: float = 0.0

    def __post_init__(self) -> None:
        self.new_times: list[float] = []
        self.new_served_by: Counter[str] = Counter()
        self.new_warnings: Counter[str] = Counter()

    def line(self, *, elapsed: float, finished: bool = False) -> str:
        message = {
            "done": self.done,
            "errors": self.errors,
            "refused": self.refused,
            "elapsed": round(elapsed, 4),
            "queued_max_ms": self.queued_max_ms,
            "times": [round(t, 4) for t in self.new_times],
            "served_by": dict(self.new_served_by),
            "warnings": dict(self.new_warnings),
            "finished": finished,
        }
        self.new_times, self.new_served_by, self.new_warnings = [], Counter(), Counter()
        return json.dumps(message)


async def fire(config: dict[str, Any], out: Any) -> None:
    n, path = int(config["n"]), str(config["path"])
    base_url, timeout = str(config["base_url"]), float(config["timeout"])
    headers = {str(k): str(v) for k, v in dict(config.get("headers", {})).items()}
    query = str(config.get("query", ""))
    interval = float(config.get("interval", 0.1))
    rate = float(config.get("rate", 0)) or math.inf
    # What a right answer is: the seed's views say "Done waiting!", other lessons' views
    # answer with their own text (or status, for a view that times out on purpose).
    expected_status = int(config.get("expected_status", 200))
    expected_body = str(config.get("expected_body", EXPECTED_BODY.decode())).encode()
    run_id = f"{time.time_ns():x}"
    tally = Tally()
    started = time.perf_counter()

    async def one(index: int) -> None:
        target = f"{path}?run={run_id}&i={index}{query}"
        try:
            answer = await http_get(base_url, target, headers=headers)
        except (OSError, ValueError, IndexError):
            tally.done += 1
            tally.errors += 1
            return
        tally.done += 1
        tally.new_times.append(time.perf_counter() - started)
        if answer.status == 429:
            tally.refused += 1
        elif answer.status != expected_status or answer.body != expected_body:
            tally.errors += 1
        timing = answer.headers.get("server-timing")
        served_by = parse_served_by(timing)
        if served_by:
            tally.new_served_by[served_by] += 1
        queued = parse_queued_ms(timing)
        if queued is not None:
            tally.queued_max_ms = max(tally.queued_max_ms, queued)
        if answer.headers.get(WARNING_HEADER):
            for text in answer.headers[WARNING_HEADER].split(" | "):
                tally.new_warnings[text] += 1

    async def report() -> None:
        while True:
            await asyncio.sleep(interval)
            out.write(tally.line(elapsed=time.perf_counter() - started) + "\n")
            out.flush()

    reporter = asyncio.create_task(report())
    try:
        # One deadline for the whole run (its requests all start at once): cheaper than a
        # timer per request, and what had not come back by then failed.
        async with asyncio.timeout(timeout), asyncio.TaskGroup() as group:
            for index in range(1, n + 1):
                # Started at `rate` a second at most: when the next one is due, every request
                # due by then starts at once.
                delay = started + (index - 1) / rate - time.perf_counter()
                if delay > 0.001:
                    await asyncio.sleep(delay)
                group.create_task(one(index))
    except TimeoutError:
        tally.errors += n - tally.done
        tally.done = n
    finally:
        reporter.cancel()
    out.write(tally.line(elapsed=time.perf_counter() - started, finished=True) + "\n")
    out.flush()


def main(argv: list[str]) -> None:
    # A run lives a few seconds and keeps every one of its requests alive until the end: the
    # garbage collector would walk them all again and again (a quarter of this client's time
    # at 10,000) to find next to nothing. The process ends with the run and returns it all.
    gc.disable()
    asyncio.run(fire(json.loads(argv[0]), sys.stdout))


if __name__ == "__main__":
    main(sys.argv[1:])
