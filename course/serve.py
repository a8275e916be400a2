"""Start the site under Daphne: `python -m course.serve <daphne arguments>`.

What a long-running server process does once before it answers anyone: parse and verify the
lesson files (not on a learner's first request), then freeze the garbage collector's view of
everything loaded so far, and make its young collections rarer (GC_THRESHOLDS). That heap
lives as long as the process; without the freeze, a full collection walked it all and stopped
the server for 40-150 ms every few hundred requests, which was most of the pages' p99
latency. Done here rather than on import of `course.asgi`, so that tests and tools importing
the application keep an ordinary garbage collector.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from typing import Any

# The garbage collector's thresholds (Python's default: 700, 10, 10). Each page leaves about a
# hundred objects in reference cycles (request, lazy user, messages storage...) that only a
# collection frees, so how often young collections run sets how long each one stops the
# server: every 50,000 allocations, each freed about 40,000 objects in 25-45 ms, every two
# seconds at 150 pages a second, which made the lesson page's p99 25-90 ms
# (bench/bench_pages.py); every 2,000, each is a few milliseconds and the p99 11-17 ms. Rarer
# older collections (20 young ones each, not 10) keep direct bursts of 1000 waiting demo
# requests from being walked again and again (bench/bench_burst.py: slowest 1.22 s; 1.28 s
# at 10). Server-fired runs of up to 10,000 pause the collector altogether
# (course/memory.py).
GC_THRESHOLDS = (2_000, 20, 10)


def server_prepare() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")
    import course.asgi  # noqa: F401  (builds the application Daphne is about to load)
    from exercises.check_pool import check_pool
    from lessons.selectors import lessons_list

    lessons_list()
    # The code-check workers start now, not on the first learners' checks.
    check_pool().warm()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def request_bodies_left_to_django() -> None:
    """Twisted parses every form post's body itself before Daphne sees the request (into
    `request.args`, which Daphne never reads), and answers a multipart body it cannot parse
    (no boundary, a 5000-character one) with a bare 400 and a closed connection. Turned off,
    the body goes to Django as it is, which reads it once and refuses it with a message."""
    from daphne.http_protocol import WebRequest

    original_init = WebRequest.__init__

    def init_without_form_parsing(self: WebRequest, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        self._parsePOSTFormSubmission = False

    WebRequest.__init__ = init_without_form_parsing


# Seconds a connection may sit idle or half-way through sending a request's headers or body
# (Twisted's own default is 60). Never applies while the site is answering a request.
HTTP_IDLE_TIMEOUT = 20
# Longest life of one WebSocket (Daphne's default is a day); the demo lab's htmx extension
# reconnects by itself. Daphne's keepalive pings (every 20 s, 30 s to answer) close dead ones.
WEBSOCKET_TIMEOUT = 3600


def http_idle_timeout_set(seconds: float) -> None:
    """Daphne builds Twisted's HTTP factory with the default idle timeout; shorten it, so
    half-sent requests (one header line a minute) do not hold connections for long."""
    from daphne.http_protocol import HTTPFactory

    original_init = HTTPFactory.__init__

    def init_with_timeout(self: HTTPFactory, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        self.timeOut = seconds

    HTTPFactory.__init__ = init_with_timeout


def _plain_answer(status: str, message: str) -> bytes:
    body = message.encode()
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def oversized_requests_answered() -> None:
    """Twisted drops a connection whose request line or a header line is over 16 KB without
    a word, and answers other unreadable requests with a bare 400. Say what happened."""
    from twisted.web.http import HTTPChannel

    def line_length_exceeded(self: Any, line: bytes) -> None:
        if self._HTTPChannel__first_line:  # the request line: method, path, version
            answer = _plain_answer("414 URI Too Long", "The address is longer than 16 KB.\n")
        else:
            answer = _plain_answer(
                "431 Request Header Fields Too Large",
                "A header (a cookie, perhaps) is longer than 16 KB. Clear this site's cookies "
                "and try again.\n",
            )
        self.transport.write(answer)
        self.loseConnection()

    def bad_request(self: Any) -> None:
        if self._receivedHeaderSize > self.totalHeadersSize:
            answer = _plain_answer(
                "431 Request Header Fields Too Large",
                "The request's headers are larger than 16 KB in all. Clear this site's cookies "
                "and try again.\n",
            )
        else:
            answer = _plain_answer("400 Bad Request", "The request could not be read.\n")
        self.transport.write(answer)
        self.loseConnection()

    # Twisted's own methods, replaced (its type hints do not allow assigning to them).
    setattr(HTTPChannel, "lineLengthExceeded", line_length_exceeded)  # noqa: B010
    setattr(HTTPChannel, "_respondToBadRequestAndDisconnect", bad_request)  # noqa: B010


def daphne_arguments(argv: list[str], environ: Mapping[str, str]) -> list[str]:
    """Daphne's command line, plus what the environment asks for.

    COURSE_TRUST_PROXY=1: behind a reverse proxy, take the client's address from the
    `X-Forwarded-For` the proxy sets (Daphne's --proxy-headers), so per-address limits
    (course/ratelimits.py, course/admission.py) see clients, not the proxy. Never set it
    when clients reach Daphne directly: anyone could then claim any address."""
    arguments = list(argv)
    if "--websocket_timeout" not in arguments:
        arguments = ["--websocket_timeout", str(WEBSOCKET_TIMEOUT), *arguments]
    trusted = environ.get("COURSE_TRUST_PROXY", "").strip().lower() in {"1", "true", "yes", "on"}
    if trusted and "--proxy-headers" not in arguments:
        arguments = ["--proxy-headers", *arguments]
    return arguments


def main(argv: list[str]) -> None:
    server_prepare()
    request_bodies_left_to_django()
    http_idle_timeout_set(HTTP_IDLE_TIMEOUT)
    oversized_requests_answered()
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(daphne_arguments(argv, os.environ))


if __name__ == "__main__":
    main(sys.argv[1:])
