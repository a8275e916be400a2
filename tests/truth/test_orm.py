"""async-database-queries (and the seed's `synchronous-only` concept): what Django 5.2's ORM
does inside `async def`, checked against the ORM itself and the lab's own views."""

from __future__ import annotations

import asyncio
import inspect
import threading
from typing import Any

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.exceptions import SynchronousOnlyOperation
from django.db.models.query import QuerySet
from django.test import AsyncRequestFactory

from articles.models import Article
from demo import showcase

pytestmark = pytest.mark.usefixtures("articles", "short_wait")


async def test_a_sync_orm_call_in_async_def_is_refused() -> None:
    """ "Django refuses a sync ORM call such as `Article.objects.get()` on the event loop and
    raises SynchronousOnlyOperation" (concept sync-orm-refused; the lab's orm-sync-in-async)."""
    with pytest.raises(SynchronousOnlyOperation) as error:
        await showcase.orm_sync_in_async_view(AsyncRequestFactory().get("/"))
    assert "You cannot call this from an async context - use a thread or sync_to_async." in str(
        error.value
    )


async def test_building_a_queryset_is_fine_evaluating_it_is_refused() -> None:
    """ "Building a queryset runs no query; `list()`, `for`, `len()`, `[0]`, `.count()`,
    `.first()`, `.exists()` and `.get()` do, and are refused" (question lazy-queryset)."""
    queryset = Article.objects.filter(title__startswith="A")  # no query yet: no error
    evaluations: list[Any] = [
        list,
        len,
        lambda q: q[0],
        lambda q: q.count(),
        lambda q: q.first(),
        lambda q: q.exists(),
        lambda q: q.get(pk=2),
        lambda q: next(iter(q)),  # what a `for` loop does first
    ]
    for evaluate in evaluations:
        with pytest.raises(SynchronousOnlyOperation):
            evaluate(queryset.all())


async def test_async_for_reads_a_queryset() -> None:
    """ "`async for` over a queryset works" (question async-for-loop)."""
    titles = [article.title async for article in Article.objects.order_by("pk")]
    assert titles == ["Why async matters", "Async ORM", "Gather"]


async def test_awaiting_a_queryset_is_a_type_error() -> None:
    """ "`await Article.objects.all()` is a TypeError: a queryset is not awaitable"
    (async-for-loop, option await-all)."""
    with pytest.raises(TypeError):
        await Article.objects.all()  # type: ignore[misc]


async def test_the_a_methods_exist_and_answer_when_awaited() -> None:
    """ "The async ORM methods have an `a` in front: `aget`, `acount`, `afirst`, `aexists`"
    (concept async-orm-api, question a-prefix)."""
    assert (await Article.objects.aget(pk=1)).title == "Why async matters"
    assert await Article.objects.acount() == 3
    assert await Article.objects.filter(pk=2).aexists()
    first = await Article.objects.order_by("pk").afirst()
    assert first is not None and first.pk == 1


async def test_aget_without_await_is_a_coroutine_without_a_title() -> None:
    """ "Without `await`, `aget()` gives a coroutine, and `.title` fails with AttributeError"
    (question forgotten-await-aget; step 2's forgotten await)."""
    result = Article.objects.aget(pk=1)
    try:
        assert asyncio.iscoroutine(result)
        with pytest.raises(AttributeError, match="'coroutine' object has no attribute 'title'"):
            result.title  # type: ignore[attr-defined]  # noqa: B018
    finally:
        result.close()


async def test_aget_is_sync_to_async_of_get() -> None:
    """ "`aget()` is `sync_to_async(get)` in Django 5.2" (concept orm-thread, question
    aget-under-the-hood; the lab's orm-aget explanation)."""
    assert "sync_to_async(self.get)" in inspect.getsource(QuerySet.aget)
    same = await sync_to_async(Article.objects.get)(pk=1)
    assert same.title == "Why async matters"


async def test_the_query_runs_in_the_requests_thread_not_the_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "The query runs in a worker thread while the view awaits, so the event loop stays free;
    all sync steps of one request share that thread" (concept orm-thread, question
    thread-of-query; step 2's instructions)."""
    loop_thread = threading.current_thread()
    original = QuerySet.get
    seen: list[threading.Thread] = []

    def spy(self: QuerySet[Any], *args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", spy)
    # Django's ASGI handler gives each request a ThreadSensitiveContext; so does this test.
    async with ThreadSensitiveContext():
        article = await Article.objects.aget(pk=1)
        other_hop = await sync_to_async(threading.current_thread)()
    assert article.title == "Why async matters"
    assert seen == [other_hop]
    assert other_hop is not loop_thread


async def test_sync_to_async_of_a_helper_runs_it_in_a_thread() -> None:
    """ "`await sync_to_async(helper)(...)` runs a sync helper in a thread;
    `sync_to_async(helper(...))` calls it on the loop first and is refused; without `await`
    nothing runs" (concept sync-to-async, questions wrap-sync-helper, error-advice)."""

    def count_titles_with(word: str) -> int:
        return Article.objects.filter(title__icontains=word).count()

    assert await sync_to_async(count_titles_with)("async") == 2
    with pytest.raises(SynchronousOnlyOperation):
        # The helper is called here, on the loop, before sync_to_async sees anything.
        sync_to_async(count_titles_with("async"))  # type: ignore[call-overload]
    pending = sync_to_async(count_titles_with)("async")
    assert asyncio.iscoroutine(pending)
    pending.close()


async def test_aget_of_a_missing_row_raises_does_not_exist() -> None:
    """ "`aget()` raises `Article.DoesNotExist` when no article has that `pk`" (concept
    not-found, question missing-row; step 4)."""
    with pytest.raises(Article.DoesNotExist):
        await Article.objects.aget(pk=999)


async def test_the_labs_async_orm_and_sync_views_answer_the_title() -> None:
    """ "orm-aget and orm-sync-view answer the article's title; a `def` view may use the sync
    ORM" (question sync-view-orm; the lab's two working database views)."""
    request = AsyncRequestFactory().get("/")
    response = await showcase.orm_aget_view(request)
    assert response.content == b"Why async matters"
    sync_response = await sync_to_async(showcase.orm_sync_view)(request)
    assert sync_response.content == b"Why async matters"
