"""Each lesson's final Solution, read from the lesson file itself, does what the lesson's Goal
says; and the checks accept the other right ways to write it that the lessons allow."""

from __future__ import annotations

import asyncio
import json
import sys
import time
import types

import pytest
from django.test import AsyncClient, AsyncRequestFactory
from django.urls import path

from course.urls import urlpatterns as site_urlpatterns
from lessons.checking import step_check
from lessons.selectors import lesson_get
from tests.truth.conftest import WAIT, final_solution


async def test_why_async_matters_many_requests_take_about_one_wait() -> None:
    """why-async-matters, Goal and concept event-loop: "a hundred users who request the view
    at the same moment each get their answer after about 3 seconds, all at about the same
    time" (20 calls of the learner's own `slow_view`, scaled down)."""
    module = final_solution("why-async-matters")
    module.WAIT_TIME = WAIT
    request = AsyncRequestFactory().get("/")
    started = time.perf_counter()
    responses = await asyncio.gather(*(module.slow_view(request) for _ in range(20)))
    elapsed = time.perf_counter() - started
    assert all(response.content == b"Done waiting!" for response in responses)
    assert WAIT <= elapsed < 3 * WAIT  # about one wait, nowhere near 20


@pytest.fixture
def article_detail_routed(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's `article_detail` routed as the lesson says, `articles/<int:pk>/`."""
    module = final_solution("async-database-queries")
    urls = types.ModuleType("truth_solution_urls")
    urls.urlpatterns = [  # type: ignore[attr-defined]
        path("articles/<int:pk>/", module.article_detail),
        *site_urlpatterns,
    ]
    monkeypatch.setitem(sys.modules, "truth_solution_urls", urls)
    settings.ROOT_URLCONF = "truth_solution_urls"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("articles", "article_detail_routed")
async def test_async_database_queries_answers_json_and_a_json_404() -> None:
    """async-database-queries, Goal and step 4: `article_detail` answers the article's id and
    title as JSON, and `{"error": "Article not found"}` with 404 for a missing pk; the URL
    converter passes `pk` as a keyword (question view-signature)."""
    client = AsyncClient()
    found = await client.get("/articles/1/")
    assert found.status_code == 200
    assert json.loads(found.content) == {"id": 1, "title": "Why async matters"}
    missing = await client.get("/articles/999/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert json.loads(missing.content) == {"error": "Article not found"}


async def test_wait_for_two_things_answers_in_one_wait_or_504_at_the_bound() -> None:
    """wait-for-two-things, Goal and step 4: the dashboard answers both results after about
    one WAIT_TIME, and 504 at TIMEOUT when the services are slower than that (scaled: the
    lesson's 1 s calls and 1.5 s bound, divided alike)."""
    module = final_solution("wait-for-two-things")
    module.WAIT_TIME = WAIT
    module.TIMEOUT = 1.5 * WAIT
    request = AsyncRequestFactory().get("/")
    started = time.perf_counter()
    response = await module.dashboard(request)
    elapsed = time.perf_counter() - started
    assert json.loads(response.content) == {"weather": "sunny", "news": "Django 5.2 is out"}
    assert WAIT <= elapsed < 1.5 * WAIT  # one wait, not two
    module.WAIT_TIME = 2 * WAIT  # slower than the bound
    started = time.perf_counter()
    response = await module.dashboard(request)
    assert response.status_code == 504
    assert 1.5 * WAIT <= time.perf_counter() - started < 2 * WAIT


def passes(slug: str, step: int, code: str) -> bool:
    lesson = lesson_get(slug=slug)
    assert lesson is not None
    return step_check(lesson=lesson, step_number=step, code=code).passed


ARTICLE_DETAIL = """\
from django.http import JsonResponse

from articles.models import Article


async def article_detail(request, pk):
{body}
"""
DASHBOARD = """\
import asyncio

from django.http import HttpResponse, JsonResponse

WAIT_TIME = 1
TIMEOUT = 1.5


async def fetch_weather():
    await asyncio.sleep(WAIT_TIME)
    return 'sunny'


async def fetch_news():
    await asyncio.sleep(WAIT_TIME)
    return 'Django 5.2 is out'


async def dashboard(request):
{body}
"""


@pytest.mark.parametrize(
    ("body", "right"),
    [
        # aget(id=pk) is the same query as aget(pk=pk); article.id is article.pk.
        (
            "    try:\n        article = await Article.objects.aget(id=pk)\n"
            "    except Article.DoesNotExist:\n"
            "        return JsonResponse({'error': 'Article not found'}, status=404)\n"
            "    return JsonResponse({'id': article.id, 'title': article.title})",
            True,
        ),
        # Both returns inside the try: every path still answers.
        (
            "    try:\n        article = await Article.objects.aget(pk=pk)\n"
            "        return JsonResponse({'id': article.pk, 'title': article.title})\n"
            "    except Article.DoesNotExist as error:\n"
            "        return JsonResponse({'error': 'Article not found'}, status=404)",
            True,
        ),
        # Naming the exception is not catching it.
        (
            "    article = await Article.objects.aget(pk=pk)\n"
            "    if not article:\n        raise Article.DoesNotExist\n"
            "        return JsonResponse({}, status=404)\n"
            "    return JsonResponse({'id': article.pk, 'title': article.title})",
            False,
        ),
    ],
)
def test_the_database_lesson_accepts_its_other_right_answers(body: str, right: bool) -> None:
    """async-database-queries step 4 asks for "`except Article.DoesNotExist:` that returns
    `JsonResponse(..., status=404)`": right code written another way passes, code that only
    names the exception does not."""
    assert passes("async-database-queries", 4, ARTICLE_DETAIL.format(body=body)) is right


@pytest.mark.parametrize(
    ("body", "right"),
    [
        # asyncio.TimeoutError is TimeoutError (Python 3.11+), a body for the 504 is fine.
        (
            "    try:\n        async with asyncio.timeout(TIMEOUT):\n"
            "            weather, news = await asyncio.gather(fetch_weather(), fetch_news())\n"
            "    except asyncio.TimeoutError:\n"
            "        return HttpResponse('Too slow', status=504)\n"
            "    return JsonResponse({'weather': weather, 'news': news})",
            True,
        ),
        # The success return inside the bound.
        (
            "    try:\n        async with asyncio.timeout(TIMEOUT):\n"
            "            weather, news = await asyncio.gather(fetch_weather(), fetch_news())\n"
            "            return JsonResponse({'weather': weather, 'news': news})\n"
            "    except TimeoutError:\n        return HttpResponse(status=504)",
            True,
        ),
        # The step asks for asyncio.timeout, not wait_for.
        (
            "    try:\n        weather, news = await asyncio.wait_for(\n"
            "            asyncio.gather(fetch_weather(), fetch_news()), TIMEOUT)\n"
            "    except TimeoutError:\n        return HttpResponse(status=504)\n"
            "    return JsonResponse({'weather': weather, 'news': news})",
            False,
        ),
    ],
)
def test_the_timeout_step_accepts_its_other_right_answers(body: str, right: bool) -> None:
    """wait-for-two-things step 4 asks to "bound the gather with `async with
    asyncio.timeout(TIMEOUT):` and return 504 from `except TimeoutError:`": equivalent code
    passes, another tool does not."""
    assert passes("wait-for-two-things", 4, DASHBOARD.format(body=body)) is right


def test_the_checker_says_what_an_unawaited_gather_really_does() -> None:
    """wait-for-two-things, question gather-line: gather without `await` "starts the calls,
    but nothing waits for them" (proved in test_asyncio.py), so the checker must not say that
    nothing runs."""
    lesson = lesson_get(slug="wait-for-two-things")
    assert lesson is not None
    code = DASHBOARD.format(
        body="    weather, news = asyncio.gather(fetch_weather(), fetch_news())\n"
        "    return JsonResponse({'weather': weather, 'news': news})"
    ).replace(
        "from django.http import HttpResponse, JsonResponse", "from django.http import JsonResponse"
    )
    verdict = step_check(lesson=lesson, step_number=3, code=code)
    messages = " ".join(item.message for item in verdict.failures)
    assert "starts the calls, but nothing waits for them" in messages
    assert "nothing runs" not in messages


def test_the_checker_says_a_blocking_call_stalls_its_own_process() -> None:
    """why-async-matters, concept blocking-call and question blocking-one-process: a blocking
    call stalls every request on that event loop, "and only that process" (the seed's own
    Forbid says so too; this is the checker's built-in diagnostic, as wait-for-two-things
    step 1 shows it)."""
    lesson = lesson_get(slug="wait-for-two-things")
    assert lesson is not None
    solution = lesson.steps[0].solution
    assert "await asyncio.sleep(WAIT_TIME)" in solution
    code = "import time\n" + solution.replace(
        "await asyncio.sleep(WAIT_TIME)", "time.sleep(WAIT_TIME)"
    )
    verdict = step_check(lesson=lesson, step_number=1, code=code)
    messages = " ".join(item.message for item in verdict.failures)
    assert "blocks the whole event loop" in messages
    assert "every other request on it (this server process) waits too" in messages
