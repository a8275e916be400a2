"""A bare, stock Django project in one file: the baseline the burst bench compares against.

Same server (Daphne, same options), same view (`async def`, `await asyncio.sleep`), but the
middleware `startproject` generates and Django's own request signals, so it shows what stock
Django spends per waiting request. Serve it with:

    daphne -e tcp:port=8001:interface=127.0.0.1:backlog=4096 bench.baseline_app:application
"""

from __future__ import annotations

import asyncio
import os
import tempfile

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

WAIT_TIME = float(os.environ.get("COURSE_WAIT_TIME", "1"))

settings.configure(
    DEBUG=False,
    SECRET_KEY="baseline-bench-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    # Exactly the list `django-admin startproject` writes.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.path.join(tempfile.gettempdir(), "bench-baseline.sqlite3"),
        }
    },
)
django.setup()


async def slow_view(request: HttpRequest) -> HttpResponse:
    await asyncio.sleep(WAIT_TIME)
    return HttpResponse("Done waiting!")


urlpatterns = [path("demo/slow/", slow_view)]

from django.core.asgi import get_asgi_application  # noqa: E402

application = get_asgi_application()
