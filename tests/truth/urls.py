# mypy: allow-untyped-defs
"""Views written the way the lessons' mistakes write them, for the truth tests to serve
through Django's real ASGI handler (`AsyncClient`). Never part of the site."""

import asyncio

from django.http import Http404, JsonResponse
from django.urls import path

from articles.models import Article
from course.urls import urlpatterns as site_urlpatterns


# fmt: off
async def returns_a_string(request):
    await asyncio.sleep(0)
    return 'Done waiting!'


async def detail_without_try(request, pk):
    article = await Article.objects.aget(pk=pk)
    return JsonResponse({'id': article.pk, 'title': article.title})


async def detail_with_http404(request, pk):
    try:
        article = await Article.objects.aget(pk=pk)
    except Article.DoesNotExist:
        raise Http404('Article not found') from None
    return JsonResponse({'id': article.pk, 'title': article.title})


async def never_awaited_in_truth_tests():
    await asyncio.sleep(0)
    return 1


async def forgotten_await_json(request):
    result = never_awaited_in_truth_tests()
    return JsonResponse({'data': result})
# fmt: on


urlpatterns = [
    path("returns-str/", returns_a_string),
    path("no-try/<int:pk>/", detail_without_try),
    path("http404/<int:pk>/", detail_with_http404),
    path("forgotten-await-json/", forgotten_await_json),
    # The site's own, for what its error pages link to.
    *site_urlpatterns,
]
