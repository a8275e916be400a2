"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Importing this module builds the application and nothing more; warming the lesson cache and
freezing the garbage collector happen where a server starts (`course.serve`).
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")

# Django must be set up before anything imports models or consumers.
django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.core.handlers.asgi import ASGIHandler  # noqa: E402

from course.client_caps import PostsInFlight, WebSocketsPerClient  # noqa: E402
from course.lean_handler import LeanHandler, LeanRouter  # noqa: E402
from course.routing import websocket_urlpatterns  # noqa: E402
from course.site_handler import SiteASGIHandler  # noqa: E402
from course.static_files import StaticFiles  # noqa: E402
from demo.modes import MODES  # noqa: E402

django_http_application = SiteASGIHandler()
# POSTs over a client's cap are refused before they take a thread (course.client_caps.py).
site_application = PostsInFlight(django_http_application)

# The demo's waiting views take a lean path that spends no thread per waiting request
# (course/lean_handler.py); everything else gets the full middleware stack. The lab's "stock
# Django" counterpart is served by Django's own, unmodified handler, so the thread per
# request it shows is stock Django's.
lean_handler = LeanHandler(routes=MODES, full_stack=ASGIHandler())

application = ProtocolTypeRouter(
    {
        # The site serves its own static files, compressed and cached (course/static_files.py):
        # no CDN, no separate web server needed.
        "http": StaticFiles(LeanRouter(site=site_application, lean=lean_handler)),
        "websocket": WebSocketsPerClient(
            AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
