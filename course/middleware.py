"""Django's stock middleware, declared sync-only.

Under ASGI, Django runs a middleware that says it is async-capable in async mode; for the
`MiddlewareMixin` ones that means two `sync_to_async` thread hops each (request and
response): fourteen hops per request for the seven below. Declared sync-only, the whole chain
runs in one thread hop instead, which is what these classes really are. The demo's slow views
do not pass through here at all (see demo/lean.py): they never need a thread.
"""

from __future__ import annotations

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.security import SecurityMiddleware
from django_htmx.middleware import HtmxMiddleware


class SyncSecurityMiddleware(SecurityMiddleware):
    async_capable = False


class SyncSessionMiddleware(SessionMiddleware):
    async_capable = False


class SyncCommonMiddleware(CommonMiddleware):
    async_capable = False


class SyncCsrfViewMiddleware(CsrfViewMiddleware):
    async_capable = False


class SyncAuthenticationMiddleware(AuthenticationMiddleware):
    async_capable = False


class SyncMessageMiddleware(MessageMiddleware):
    async_capable = False


class SyncXFrameOptionsMiddleware(XFrameOptionsMiddleware):
    async_capable = False


class SyncHtmxMiddleware(HtmxMiddleware):
    async_capable = False
