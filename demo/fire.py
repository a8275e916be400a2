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

The client is a minimal HTTP/1.1 GET over asyncio streams, not httpx: measured here, 1000
simultaneous requests to the 1 s view took 2.5 s through it and 11.7 s through
httpx.AsyncClient, whose pool bookkeeping grows with the number of open connections.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

EXPECTED_BODY = b"Done waiting!"
WARNING_HEADER = "demo-warning"


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


async def http_get(
    base_url: str, target: str, *, headers: dict[str, str], timeout: float
) -> Answer:
    """One GET on a connection of its own (`Connection: close`), read to the end."""
    split = urlsplit(base_url)
    host, port = split.hostname or "127.0.0.1", split.port or 80
    lines = [f"GET {target} HTTP/1.1", f"Host: {split.netloc}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            raw = await reader.read(-1)
    finally:
        if writer is not None:
            writer.close()
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
    run_id = f"{time.time_ns():x}"
    tally = Tally()
    started = time.perf_counter()

    async def one(index: int) -> None:
        target = f"{path}?run={run_id}&i={index}{query}"
        try:
            answer = await http_get(base_url, target, headers=headers, timeout=timeout)
        except (OSError, TimeoutError, ValueError, IndexError):
            tally.errors += 1
            return
        finally:
            tally.done += 1
        tally.new_times.append(time.perf_counter() - started)
        if answer.status == 429:
            tally.refused += 1
        elif answer.status != 200 or answer.body != EXPECTED_BODY:
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
        async with asyncio.TaskGroup() as group:
            for index in range(1, n + 1):
                group.create_task(one(index))
    finally:
        reporter.cancel()
    out.write(tally.line(elapsed=time.perf_counter() - started, finished=True) + "\n")
    out.flush()


def main(argv: list[str]) -> None:
    asyncio.run(fire(json.loads(argv[0]), sys.stdout))


if __name__ == "__main__":
    main(sys.argv[1:])
