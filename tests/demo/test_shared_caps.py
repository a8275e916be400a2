"""With REDIS_URL (`make test-scale`), the demo's caps and run slots are one set for every
server process: what the test server's process counts, this process sees, and the reverse."""

from __future__ import annotations

import asyncio
import os
import time

import httpx
import pytest

from course.admission import in_flight
from course.slots import Ticket
from demo.modes import MODES
from demo.runs import run_slots
from tests.demo.conftest import DemoServer
from tests.demo.test_pages import csrf_client

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="shared counts need REDIS_URL (make test-scale)"
)


async def test_a_request_waiting_in_the_server_process_is_counted_here(
    demo_server: DemoServer,
) -> None:
    async with httpx.AsyncClient(base_url=demo_server.url, timeout=30) as client:
        request = asyncio.create_task(client.get("/demo/slow/?shared=1"))
        deadline = time.monotonic() + 10
        while await in_flight.waiting("async", "127.0.0.1") < 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert await in_flight.waiting("async", "127.0.0.1") >= 1
        response = await request
    assert response.text == "Done waiting!"
    assert await in_flight.waiting("async", "127.0.0.1") == 0


async def test_a_run_going_on_here_takes_the_learners_slot_in_the_server_process(
    demo_server: DemoServer,
) -> None:
    ticket = await run_slots.try_take("127.0.0.1", mode=MODES["async"], n=10)
    assert isinstance(ticket, Ticket)
    try:
        client, token = await asyncio.to_thread(csrf_client, demo_server)
        refused = await asyncio.to_thread(
            client.post,
            "/demo/run/",
            data={"csrfmiddlewaretoken": token, "mode": "async", "n": "10"},
        )
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
    finally:
        await run_slots.give_back(ticket)
    served = await asyncio.to_thread(
        client.post, "/demo/run/", data={"csrfmiddlewaretoken": token, "mode": "async", "n": "10"}
    )
    assert served.status_code == 200
