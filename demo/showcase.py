# mypy: allow-untyped-defs, allow-untyped-calls, disable-error-code="unused-coroutine"
"""The views the learner watches serve parallel requests: each lesson's own, and its counterparts.

The demo page shows these functions exactly as written here (read with `inspect.getsource`),
so each stays the few lines a learner writes in the lesson, in the seed's own style. Timing
headers, caps and isolation are added around them by `course.lean_handler`, never inside them.
"""

import asyncio
import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpResponse

from articles.models import Article

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


# "Query the database from an async view" (async-database-queries).

async def orm_sync_in_async_view(request):
    await asyncio.sleep(WAIT_TIME)
    article = Article.objects.get(pk=1)  # sync ORM call in async def
    return HttpResponse(article.title)


async def orm_aget_view(request):
    await asyncio.sleep(WAIT_TIME)
    article = await Article.objects.aget(pk=1)  # the query runs in a worker thread
    return HttpResponse(article.title)


def orm_sync_view(request):
    time.sleep(WAIT_TIME)
    article = Article.objects.get(pk=1)
    return HttpResponse(article.title)


# "Wait for two things at once" (wait-for-two-things).

async def fetch_weather():
    await asyncio.sleep(WAIT_TIME)
    return 'sunny'


async def fetch_news():
    await asyncio.sleep(WAIT_TIME)
    return 'Django 5.2 is out'


async def fetch_slow_news():
    await asyncio.sleep(2 * WAIT_TIME)
    return 'Django 5.2 is out'


async def sequential_view(request):
    weather = await fetch_weather()
    news = await fetch_news()
    return HttpResponse(f'{weather}; {news}')


async def gather_view(request):
    weather, news = await asyncio.gather(fetch_weather(), fetch_news())
    return HttpResponse(f'{weather}; {news}')


async def timeout_view(request):
    try:
        async with asyncio.timeout(1.5 * WAIT_TIME):
            weather, news = await asyncio.gather(fetch_weather(), fetch_slow_news())
    except TimeoutError:
        return HttpResponse('Gave up waiting', status=504)
    return HttpResponse(f'{weather}; {news}')
# fmt: on


async def db_view(request):
    # Served by the full site stack, so it proves the site's database hygiene: each request
    # runs its query in its own thread, and Django closes that connection when it finishes.
    sessions = await Session.objects.acount()
    return HttpResponse(f"{sessions} sessions")
