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

from typing import Any
from wsgiref.headers import Headers

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port, validate_host
from servestatic.asgi import FileServerASGI
from servestatic.middleware import ServeStaticMiddleware
from servestatic.storage import CompressedManifestStaticFilesStorage

from course.admission import ASGIApp, Receive, Scope, Send
from course.lean_handler import hsts_value

ONE_YEAR = 60 * 60 * 24 * 365


class CollectedStaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """ServeStatic's storage, remembering each `{% static %}` URL once looked up.

    The manifest is read once per process and only `collectstatic` changes it, so a name's
    hashed URL never changes while the site runs; looking it up afresh (parse, manifest, join,
    quote) cost 7 µs per `{% static %}` tag, about 40 µs a page. In debug mode the names are
    unhashed and nothing is remembered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if settings.DEBUG:
            return str(super().url(name, force))
        key = (name, force)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = str(super().url(name, force))
        return url

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()


def static_headers_add(headers: Headers, path: str, url: str) -> None:
    """What SecurityMiddleware adds to pages, on static files too (HSTS only ever travels
    over https: plain http requests are redirected before they get here)."""
    headers["X-Content-Type-Options"] = "nosniff"
    hsts = hsts_value()
    if hsts:
        headers["Strict-Transport-Security"] = hsts


def is_https(scope: Scope) -> bool:
    forwarded = dict(scope["headers"]).get(b"x-forwarded-proto")
    return scope.get("scheme") == "https" or forwarded == b"https"


def https_redirect(scope: Scope) -> str | None:
    """Where to send a plain-http request when the site is https-only (DJANGO_HTTPS), as
    SecurityMiddleware does for pages; None when it may be served (or when its Host is not
    one of ours: Django then refuses it, as it refuses any page with that Host)."""
    if not settings.SECURE_SSL_REDIRECT:
        return None
    if is_https(scope):
        return None
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"https://{host}{path}" + (f"?{query}" if query else "")


async def redirect_send(location: str, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 301,
            "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


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
            if static_file is not None and settings.SECURE_SSL_REDIRECT:
                location = https_redirect(scope)
                if location is None and not is_https(scope):
                    static_file = None  # a Host not ours: Django's answer (400)
                elif location is not None:
                    await redirect_send(location, send)
                    return
            if static_file is not None:
                # Redirect hops are not used here (no index files); FileServerASGI serves both.
                await FileServerASGI(static_file)(scope, receive, send)
                return
        await self.app(scope, receive, send)
