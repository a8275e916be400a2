"""Django's ASGI handler, with the middleware chain run in one thread hop.

Django's own middleware (sessions, CSRF, auth, messages…) is synchronous code. Under ASGI,
stock Django runs each `MiddlewareMixin` in async mode, hopping to a thread and back for its
request half and again for its response half, then hops once more for a sync view: more than
a dozen hand-offs between the event loop and a thread for every page. Here the chain is built
in sync mode, exactly as under WSGI, and entered once through `sync_to_async`. Async views
still work (Django runs them with `async_to_sync` inside the chain); the demo's waiting views
do not come here at all (course/lean_handler.py).
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SiteASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        # Thread-sensitive: the request's thread is the one its request_started and
        # request_finished receivers run in, so database connections are closed where they
        # were opened.
        sync_chain: Any = self._middleware_chain  # type: ignore[has-type]
        self._middleware_chain = sync_to_async(sync_chain, thread_sensitive=True)
