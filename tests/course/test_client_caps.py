"""The cap on POSTs one client may have in flight (course.client_caps.py), driven as the
server drives it: ASGI calls, an inner app that holds each POST until told to answer."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from django.test import override_settings

from course.client_caps import POSTS_PER_CLIENT_MAX, PostsInFlight, WebSocketsPerClient


class HeldApp:
    """Answers 200, but only once `release` is set: each request stays in flight till then."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        self.entered += 1
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def call(
    app: PostsInFlight,
    *,
    method: str = "POST",
    path: str = "/lessons/why-async-matters/steps/1/check/",
    client: str = "10.0.0.1",
    headers: list[tuple[bytes, bytes]] | None = None,
) -> tuple[int, dict[bytes, bytes], bytes]:
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": headers or [],
        "client": (client, 5000),
    }
    sent: list[Mapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start, body = sent[0], sent[1]
    return start["status"], dict(start["headers"]), body["body"]


async def fill(app: PostsInFlight, inner: HeldApp, **kwargs: Any) -> list[asyncio.Task[Any]]:
    """POSTS_PER_CLIENT_MAX posts from one client, all in flight."""
    held = [asyncio.create_task(call(app, **kwargs)) for _ in range(POSTS_PER_CLIENT_MAX)]
    while inner.entered < POSTS_PER_CLIENT_MAX:
        await asyncio.sleep(0)
    return held


async def test_a_client_over_its_cap_is_refused_at_once_and_admitted_again_later() -> None:
    inner = HeldApp()
    app = PostsInFlight(inner)
    held = await fill(app, inner)

    # Answered while the others are still held (a cap that let it in would hang here).
    status, headers, body = await asyncio.wait_for(call(app), 10)

    assert status == 429
    assert headers[b"retry-after"] == b"1"
    assert "Nothing was lost" in body.decode()
    assert inner.entered == POSTS_PER_CLIENT_MAX  # the refused one never reached the site
    inner.release.set()
    assert [s for s, _, _ in await asyncio.gather(*held)] == [200] * POSTS_PER_CLIENT_MAX
    assert (await call(app))[0] == 200


async def test_other_clients_and_pages_are_not_held_up_by_one_client() -> None:
    inner = HeldApp()
    app = PostsInFlight(inner)
    held = await fill(app, inner)
    inner.release.set()  # answers from now on; the held ones finish too

    assert (await call(app, client="10.0.0.2"))[0] == 200
    assert (await call(app, method="GET"))[0] == 200
    await asyncio.gather(*held)


async def test_the_refusal_speaks_each_clients_language() -> None:
    inner = HeldApp()
    app = PostsInFlight(inner)
    held = await fill(app, inner)

    api = call(app, path="/api/lessons/why-async-matters/grade/")
    _, api_headers, api_body = await asyncio.wait_for(api, 10)
    htmx = call(app, headers=[(b"hx-request", b"true")])
    _, htmx_headers, htmx_body = await asyncio.wait_for(htmx, 10)
    _, page_headers, page_body = await asyncio.wait_for(call(app), 10)
    inner.release.set()
    await asyncio.gather(*held)

    assert api_headers[b"content-type"] == b"application/json"
    assert json.loads(api_body)["retry_after"] == 1
    # htmx puts the notice where the page shows notices (base.html's #rate-limit-notice).
    assert htmx_headers[b"hx-retarget"] == b"#rate-limit-notice"
    assert htmx_body.decode().startswith('<p class="notice notice--bad"')
    # Without JavaScript: a page of its own, with the way back to the step.
    page = page_body.decode()
    assert page_headers[b"content-type"].startswith(b"text/html")
    assert "<h1>Too many at once</h1>" in page
    assert 'href="/lessons/why-async-matters/steps/1/"' in page


@override_settings(RATELIMIT_ENABLE=False)
async def test_turned_off_with_the_rate_limits() -> None:
    inner = HeldApp()
    app = PostsInFlight(inner)
    held = await fill(app, inner)
    extra = asyncio.create_task(call(app))
    while inner.entered <= POSTS_PER_CLIENT_MAX:
        await asyncio.sleep(0)
    inner.release.set()
    assert (await extra)[0] == 200
    await asyncio.gather(*held)


class WebSocketApp:
    """Accepts every handshake and holds the socket open until the client disconnects."""

    def __init__(self) -> None:
        self.open = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        self.open += 1
        try:
            while (await receive())["type"] != "websocket.disconnect":
                pass
        finally:
            self.open -= 1


class Socket:
    """One client's WebSocket, driven as Daphne drives the app."""

    def __init__(self, app: WebSocketsPerClient, client: str) -> None:
        self.incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.outgoing: asyncio.Queue[Mapping[str, Any]] = asyncio.Queue()
        self.incoming.put_nowait({"type": "websocket.connect"})
        scope = {"type": "websocket", "path": "/ws/demo/run/", "headers": [], "client": (client, 1)}
        self.task = asyncio.create_task(app(scope, self.incoming.get, self.outgoing.put))

    async def answer(self) -> str:
        return str((await asyncio.wait_for(self.outgoing.get(), 10))["type"])

    async def close(self) -> None:
        self.incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})
        await asyncio.wait_for(self.task, 10)


async def test_a_client_keeps_only_so_many_websockets_open() -> None:
    inner = WebSocketApp()
    app = WebSocketsPerClient(inner, per_client=3)
    sockets = [Socket(app, "10.0.0.1") for _ in range(3)]
    assert [await s.answer() for s in sockets] == ["websocket.accept"] * 3

    refused = Socket(app, "10.0.0.1")
    assert await refused.answer() == "websocket.close"  # before accept: Daphne answers 403
    other_client = Socket(app, "10.0.0.2")
    assert await other_client.answer() == "websocket.accept"

    await sockets[0].close()  # a tab closed: its place is free again
    again = Socket(app, "10.0.0.1")
    assert await again.answer() == "websocket.accept"
    for socket in (*sockets[1:], other_client, again):
        await socket.close()
    assert inner.open == 0
    assert not app.by_client
