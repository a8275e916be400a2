"""The server-fired run's WebSocket, in process; the requests it fires hit a real server."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from course.asgi import application
from demo.runs import run_slots
from tests.demo.conftest import DemoServer

ORIGIN = (b"origin", b"http://127.0.0.1")


def communicator(server: DemoServer, client: str = "10.0.0.1") -> WebsocketCommunicator:
    comm = WebsocketCommunicator(application, "/ws/demo/run/", headers=[ORIGIN])
    # Fire at the test server, as a browser connected to it would have the consumer do.
    comm.scope["server"] = ("127.0.0.1", server.port)
    comm.scope["client"] = (client, 50000)
    return comm


async def messages_until(comm: WebsocketCommunicator, needle: str, timeout: float = 20) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = await comm.receive_from(timeout=timeout)
        seen.append(text)
        if needle in text:
            return "\n".join(seen)
    raise AssertionError(f"{needle!r} never came:\n" + "\n".join(seen))


def run_form(**values: Any) -> str:
    return json.dumps({"mode": "async", "n": "50", "prediction": "", "HEADERS": {}, **values})


@pytest.fixture(autouse=True)
async def no_leftover_runs() -> Any:
    yield
    assert await run_slots.running() == 0


async def test_a_run_streams_progress_to_100_percent(demo_server: DemoServer) -> None:
    comm = communicator(demo_server)
    connected, _ = await comm.connect()
    assert connected

    await comm.send_to(text_data=run_form(n="50", prediction="0.3"))
    transcript = await messages_until(comm, 'data-finished="true"')

    assert 'id="server-live"' in transcript and 'hx-swap-oob="true"' in transcript
    assert 'data-progress-percent="100"' in transcript
    assert "50 / 50 (100%)" in transcript
    assert "50 requests to slow_view took" in transcript
    assert "you predicted 0.30 s" in transcript
    assert "Errors</dt><dd>0" in transcript
    await comm.disconnect()


async def test_n_over_the_mode_cap_is_refused_with_the_reason(demo_server: DemoServer) -> None:
    comm = communicator(demo_server)
    await comm.connect()

    await comm.send_to(text_data=run_form(mode="blocking", n="500"))
    text = await comm.receive_from()

    assert 'id="server-form"' in text
    assert "At most 6 requests for this view" in text
    await comm.disconnect()


async def test_one_run_per_client_a_second_is_told_to_wait(demo_server: DemoServer) -> None:
    first, second = communicator(demo_server), communicator(demo_server)
    await first.connect()
    await second.connect()

    await first.send_to(text_data=run_form(n="20"))
    await first.receive_from()  # the notice is cleared: the run has started
    await second.send_to(text_data=run_form(n="20"))
    refusal = await messages_until(second, "try again in")

    assert "Too many server-fired runs" in refusal
    await messages_until(first, 'data-finished="true"')
    await first.disconnect()
    await second.disconnect()


async def test_disconnecting_mid_run_cancels_its_requests(demo_server: DemoServer) -> None:
    comm = communicator(demo_server, client="10.0.0.9")
    await comm.connect()
    await comm.send_to(text_data=run_form(mode="blocking", n="6"))
    await messages_until(comm, 'id="server-live"')

    started = time.perf_counter()
    await comm.disconnect()

    # Six blocking requests would take 1.8 s; the consumer gives its slot back at once.
    assert time.perf_counter() - started < 1.0
    assert await run_slots.running("10.0.0.9") == 0


async def test_a_message_that_is_not_a_form_gets_a_clear_notice(demo_server: DemoServer) -> None:
    comm = communicator(demo_server)
    await comm.connect()

    await comm.send_to(text_data="not json")
    text = await comm.receive_from()

    assert "That message was not a run form." in text
    await comm.disconnect()


async def test_other_origins_cannot_open_the_socket() -> None:
    comm = WebsocketCommunicator(
        application, "/ws/demo/run/", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _ = await comm.connect()
    assert not connected
    await asyncio.sleep(0)


async def test_a_forgotten_await_run_clears_the_last_summary_and_shows_the_warning(
    demo_server: DemoServer,
) -> None:
    comm = communicator(demo_server, client="10.0.0.3")
    await comm.connect()

    await comm.send_to(text_data=run_form(mode="no-await", n="30", prediction="1"))
    transcript = await messages_until(comm, 'data-finished="true"')

    # The first summary sent is the empty one that replaces the previous run's.
    first_summary = transcript.split('id="server-summary"', 1)[1].split("</div>", 1)[0]
    assert "data-explained" not in first_summary
    finished = transcript.rsplit('id="server-summary"', 1)[1]
    assert "This run failed" in finished
    assert "30 responses from no_await_view came back in" in finished
    assert "coroutine &#x27;sleep&#x27; was never awaited" in finished
    assert "one after another" not in finished
    await comm.disconnect()
