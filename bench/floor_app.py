"""The server's floor: a bare ASGI app (no Django) that waits and answers, served by plain
Daphne. What the 10,000-request run costs the server before any of the site's code runs:
bench/bench_demo_run.py fires the same client at it as at the lab's async view, paced alike.
The garbage collector is off, as the site's is while a server-fired run is in flight
(course/memory.py), so that the two differ only by the site's own code.

    daphne -e tcp:port=8002:interface=127.0.0.1:backlog=4096 bench.floor_app:application
"""

from __future__ import annotations

import asyncio
import gc
import os
from typing import Any

WAIT_TIME = float(os.environ.get("COURSE_WAIT_TIME", "1"))
BODY = b"Done waiting!"
gc.disable()
HEADERS = [(b"content-type", b"text/plain"), (b"content-length", str(len(BODY)).encode())]


async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await receive()
    await asyncio.sleep(WAIT_TIME)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
