"""Static files, served by ServeStatic in front of everything else (no web server needed).

`collectstatic` (run by `make run` and by the tests that start Daphne) writes every file
under a hashed name (`css/site.3f2a9c1d4b5e.css`) with gzip and brotli copies beside it;
ServeStatic answers `/static/` itself, before Django's handlers, picks the compressed copy the
browser accepts, and marks hashed names cacheable for a year, `immutable`. A path that names
no collected file (a typo, `/static/../course/settings.py`) is not looked up on disk at all:
it falls through to the site, whose answer is an ordinary 404 page.

ServeStatic's Django middleware does the Django part (the manifest, and in debug mode the
finders and autorefresh); it is used here for its lookup only, under ASGI, so that a static
request never enters the middleware chain or a thread.
"""

from __future__ import annotations

from wsgiref.headers import Headers

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from servestatic.asgi import FileServerASGI
from servestatic.middleware import ServeStaticMiddleware

from course.admission import ASGIApp, Receive, Scope, Send

ONE_YEAR = 60 * 60 * 24 * 365


def static_headers_add(headers: Headers, path: str, url: str) -> None:
    """What SecurityMiddleware adds to pages, on static files too."""
    headers["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers["Strict-Transport-Security"] = value


async def _unused_get_response(request: HttpRequest) -> HttpResponseBase:
    raise AssertionError("static_files serves or passes on; it never calls the middleware on")


class CollectedFiles(ServeStaticMiddleware):  # type: ignore[misc]
    # Hashed names change with their content: a year, as browsers and CDNs expect.
    FOREVER = ONE_YEAR

    def add_cache_headers(self, headers: Headers, path: str, url: str) -> None:
        super().add_cache_headers(headers, path, url)
        static_headers_add(headers, path, url)


class StaticFiles:
    """ASGI: answer collected static files, pass everything else to `app`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.files = CollectedFiles(get_response=_unused_get_response)
        self.prefix = self.files.static_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            static_file = (
                self.files.find_file(scope["path"])
                if self.files.autorefresh
                else self.files.files.get(scope["path"])
            )
            if static_file is not None:
                # Redirect hops are not used here (no index files); FileServerASGI serves both.
                await FileServerASGI(static_file)(scope, receive, send)
                return
        await self.app(scope, receive, send)
