"""ASGI entry point: HTTP through Django, WebSockets through Channels."""

from __future__ import annotations

import gc
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")

# Django must be set up before anything imports models or consumers.
django.setup(set_prefix=False)

from course.handler import SiteASGIHandler  # noqa: E402

django_http_application = SiteASGIHandler()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler  # noqa: E402

from course.routing import websocket_urlpatterns  # noqa: E402
from demo.lean import DemoRouter, lean_handler_get  # noqa: E402

application = ProtocolTypeRouter(
    {
        # The site serves its own static files (no CDN, no separate web server needed).
        # The demo's waiting views take a lean path that spends no thread per waiting
        # request (see demo/lean.py); everything else gets the full middleware stack.
        "http": DemoRouter(
            site=ASGIStaticFilesHandler(django_http_application), lean=lean_handler_get()
        ),
        "websocket": AllowedHostsOriginValidator(
            SessionMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# Parse and verify the lesson files now, not on a learner's first request.
from lessons.selectors import lessons_list  # noqa: E402

lessons_list()

# Everything loaded so far lives as long as the process. Freezing it keeps the garbage
# collector's full passes from walking it all: without this, a full pass stopped the server
# for 40–150 ms every few hundred requests, which was most of the pages' p99 latency.
gc.freeze()
