"""What the lessons say learners' mistakes do inside Django: served through Django's real ASGI
handler (`AsyncClient`, the site's middleware and signals), from tests/truth/urls.py."""

from __future__ import annotations

import asyncio
import logging

import pytest
from django.http import JsonResponse
from django.test import AsyncClient

pytestmark = [pytest.mark.urls("tests.truth.urls"), pytest.mark.usefixtures("articles")]


@pytest.fixture
def client() -> AsyncClient:
    return AsyncClient(raise_request_exception=False)


async def test_a_view_that_returns_a_string_is_a_server_error(client: AsyncClient) -> None:
    """ "A view must return a response: returning a plain string fails with a server error
    (500)" (seed question return-a-response; async-database-queries step 3's mistakes)."""
    response = await client.get("/returns-str/")
    assert response.status_code == 500


async def test_an_uncaught_does_not_exist_is_a_500(client: AsyncClient) -> None:
    """ "An uncaught exception is a 500 error" when `aget()` finds no row (async-database-queries
    step 4, concept not-found)."""
    assert (await client.get("/no-try/1/")).status_code == 200
    assert (await client.get("/no-try/999/")).status_code == 500


async def test_http404_answers_an_html_page_not_json(client: AsyncClient) -> None:
    """ "`raise Http404` answers Django's HTML 404 page, not JSON" (step 4's mistake, question
    json-404)."""
    response = await client.get("/http404/999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


async def test_jsonresponse_of_an_unawaited_coroutine_is_a_server_error(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    """ "The view fails with "Object of type coroutine is not JSON serializable", a server
    error" (seed question identify-the-error)."""
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = await client.get("/forgotten-await-json/")
    assert response.status_code == 500
    assert "Object of type coroutine is not JSON serializable" in caplog.text


def test_jsonresponse_refuses_a_coroutine() -> None:
    """The same failure, without a server: `JsonResponse` cannot encode a coroutine."""

    async def slow_function() -> int:
        return 1

    pending = slow_function()
    try:
        with pytest.raises(TypeError, match="not JSON serializable"):
            JsonResponse({"data": pending})
    finally:
        pending.close()


def test_aget_object_or_404_exists() -> None:
    """ "Django also has `aget_object_or_404`" (concept not-found)."""
    from django import shortcuts

    assert callable(shortcuts.aget_object_or_404)


async def test_gather_of_plain_values_is_a_type_error() -> None:
    """ "gather needs awaitables: plain values are a TypeError" (question
    awaited-inside-gather)."""
    with pytest.raises(TypeError, match="awaitable is required"):
        await asyncio.gather("sunny", "news")  # type: ignore[call-overload]
