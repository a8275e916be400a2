"""Caps on what one client may hold at once, checked on the event loop before any work.

POSTs in flight. Every POST that does work (a code check, a hint, a test answer) runs
Django's middleware and view in a thread of its own. Fired 200 at once from one session, they
made 200 threads that took turns on the GIL with the page another learner was loading before
the rate limits (course/ratelimits.py, which read the session first) had refused most of
them: that page waited up to 370-425 ms (bench/bench_check_storm.py; 150-270 ms with this
cap). A learner's page has one or two posts going at once (htmx waits for each answer), so a
client with POSTS_PER_CLIENT_MAX in flight is refused here, before any thread, session or
database is touched, with a 429 that says to try again in a second. Nothing the learner typed
is lost: the editor keeps it.

Open WebSockets. The demo lab keeps one open per tab, and an idle one costs the server a
socket and a consumer for up to an hour (course/serve.py's WEBSOCKET_TIMEOUT). A client with
WEBSOCKETS_PER_CLIENT_MAX open has its next handshake refused (Daphne answers 403); the lab
still works through its form, and the socket opens again once an old tab is closed.

Both are counted per server process and per client address: what they protect is this
process's threads and sockets. Behind a reverse proxy, the address is the client's only with
COURSE_TRUST_PROXY=1 (course/serve.py); without it everyone shares the proxy's.
`COURSE_RATE_LIMITS=0` (the bench's `--no-limits`) turns them off with the rate limits.
"""

from __future__ import annotations

import json
from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string

from course.admission import ASGIApp, Receive, Scope, Send, client_key

# A classroom behind one address can still press Check together: 16 in flight is far more than
# one person makes, and few enough that pages stay quick while a script hammers the site.
POSTS_PER_CLIENT_MAX = 16
# All clients together: bounds the threads POSTs can take in this process.
POSTS_MAX = 64
RETRY_AFTER_SECONDS = 1
# Tabs of the lab one address may keep open (a classroom behind one address included), and
# all clients together.
WEBSOCKETS_PER_CLIENT_MAX = 32
WEBSOCKETS_MAX = 2000
# The refusal page loads the site's stylesheet and nothing else.
CSP = b"default-src 'none'; style-src 'self'; frame-ancestors 'none'"
MESSAGE = (
    "Too many of your requests are being handled at once. Nothing was lost: wait a second, "
    "then try again."
)


class ClientCap:
    """ASGI middleware: of the requests it applies to, at most `per_client` per client address
    and `total` in all at once; the others are refused before they reach the app."""

    def __init__(self, app: ASGIApp, *, per_client: int, total: int) -> None:
        self.app = app
        self.per_client = per_client
        self.total = total
        self.by_client: Counter[str] = Counter()

    def applies(self, scope: Scope) -> bool:
        raise NotImplementedError

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.applies(scope) or not settings.RATELIMIT_ENABLE:
            await self.app(scope, receive, send)
            return
        client = client_key(scope)
        if self.by_client[client] >= self.per_client or self.by_client.total() >= self.total:
            await self.refuse(scope, receive, send)
            return
        self.by_client[client] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.by_client[client] -= 1
            if not self.by_client[client]:
                del self.by_client[client]


class PostsInFlight(ClientCap):
    """POSTs in flight: a refused one is answered 429, try again in a second."""

    def __init__(
        self, app: ASGIApp, *, per_client: int = POSTS_PER_CLIENT_MAX, total: int = POSTS_MAX
    ) -> None:
        super().__init__(app, per_client=per_client, total=total)

    def applies(self, scope: Scope) -> bool:
        return bool(scope["type"] == "http" and scope["method"] == "POST")

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await post_refuse(scope, send)


async def post_refuse(scope: Scope, send: Send) -> None:
    """The 429 as the client will show it: JSON for the API, a notice htmx puts in the page's
    notice area, or a small page of its own without JavaScript."""
    path = str(scope["path"])
    headers = dict(scope["headers"])
    extra: list[tuple[bytes, bytes]] = []
    if path.startswith("/api/"):
        body = json.dumps({"error": MESSAGE, "retry_after": RETRY_AFTER_SECONDS}).encode()
        content_type = b"application/json"
    elif headers.get(b"hx-request") == b"true":
        body = render_to_string("429_busy.html#notice", {"message": MESSAGE}).encode()
        content_type = b"text/html; charset=utf-8"
        extra = [(b"hx-retarget", b"#rate-limit-notice"), (b"hx-reswap", b"innerHTML")]
    else:
        # Every POST is an action under the page it belongs to (…/steps/1/check/).
        back = path.rstrip("/").rsplit("/", 1)[0] + "/"
        context = {"message": MESSAGE, "back": back}
        body = render_to_string("429_busy.html", context).encode()
        content_type = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
                (b"x-frame-options", b"DENY"),
                (b"content-security-policy", CSP),
                *extra,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class WebSocketsPerClient(ClientCap):
    """Open WebSockets: a refused handshake is closed before it is accepted."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_client: int = WEBSOCKETS_PER_CLIENT_MAX,
        total: int = WEBSOCKETS_MAX,
    ) -> None:
        super().__init__(app, per_client=per_client, total=total)

    def applies(self, scope: Scope) -> bool:
        return bool(scope["type"] == "websocket")

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        await receive()  # the handshake's websocket.connect
        # Closing before accepting refuses the handshake: the server answers 403.
        await send({"type": "websocket.close", "code": 1008})
