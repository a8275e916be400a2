# mypy: allow-untyped-defs, disable-error-code="unused-coroutine"
"""The views the learner watches serve parallel requests: the seed's own, and its counterparts.

The demo page shows these functions exactly as written here (read with `inspect.getsource`),
so each stays the few lines a learner writes in the lesson, in the seed's own style. Timing
headers, caps and isolation are added around them by `course.lean_handler`, never inside them.
"""

import asyncio
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpResponse

WAIT_TIME = settings.COURSE_WAIT_TIME


# fmt: off
async def slow_view(request):
    await asyncio.sleep(WAIT_TIME)
    return HttpResponse('Done waiting!')


def sync_view(request):
    time.sleep(WAIT_TIME)
    return HttpResponse('Done waiting!')


async def blocking_view(request):
    time.sleep(WAIT_TIME)  # blocks the event loop
    return HttpResponse('Done waiting!')


async def no_await_view(request):
    asyncio.sleep(WAIT_TIME)  # never awaited
    return HttpResponse('Done waiting!')
# fmt: on


async def db_view(request):
    # Served by the full site stack, so it proves the site's database hygiene: each request
    # runs its query in its own thread, and Django closes that connection when it finishes.
    sessions = await Session.objects.acount()
    return HttpResponse(f"{sessions} sessions")
