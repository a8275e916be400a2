"""Built-in knowledge of Django's async mistakes: every lesson gets it without a Forbid."""

from __future__ import annotations

import pytest

from checker import submission_check
from tests.factories import check

HEAD = (
    "import asyncio\nimport time\nimport httpx\nimport requests\nimport subprocess\n"
    "from asgiref.sync import sync_to_async\n"
    "from django.shortcuts import get_object_or_404, aget_object_or_404\n"
    "from blog.models import Article\n\n"
    "@sync_to_async\ndef fetch_later(pk):\n    return Article.objects.get(pk=pk)\n\n"
    "async def view(request, pk):\n"
    "    article = qs = None\n"
)


def diagnostics_of(body: str) -> list[str]:
    code = HEAD + "".join(f"    {line}\n" for line in body.splitlines())
    verdict = submission_check(code=code, checks=[])
    return [item.message for item in verdict.items if item.kind == "diagnostic"]


@pytest.mark.parametrize(
    ("body", "advice"),
    [
        ("a = Article.objects.get(pk=pk)", "`await Article.objects.aget(pk=pk)`"),
        ("a = Article.objects.first()", "`await Article.objects.afirst()`"),
        ("a = Article.objects.last()", "`await Article.objects.alast()`"),
        ("n = Article.objects.filter(x=1).count()", "`await Article.objects.filter(x=1).acount()`"),
        ("e = Article.objects.exists()", "`await Article.objects.aexists()`"),
        ("a = Article.objects.create(title='t')", "`await Article.objects.acreate(title='t')`"),
        ("Article.objects.filter(pk=pk).update(n=1)", ".aupdate(n=1)`"),
        ("Article.objects.all().delete()", "`await Article.objects.all().adelete()`"),
        ("a, _ = Article.objects.get_or_create(pk=pk)", ".aget_or_create(pk=pk)`"),
        ("xs = list(Article.objects.all())", "`[item async for item in Article.objects.all()]`"),
        ("n = len(Article.objects.all())", "`await Article.objects.all().acount()`"),
        ("b = bool(Article.objects.filter(x=1))", ".aexists()`"),
        ("a = Article.objects.order_by('-id')[0]", ".afirst()`"),
        (
            "if Article.objects.filter(x=1):\n    pass",
            "`await Article.objects.filter(x=1).aexists()`",
        ),
        ("for a in Article.objects.all():\n    print(a)", "`async for`"),
        ("qs = Article.objects.filter(x=1)\nfor a in qs:\n    print(a)", "`async for`"),
        ("titles = [a.title for a in Article.objects.all()]", "`async for` in the comprehension"),
        ("article.save()", "`await article.asave()`"),
        ("article.delete()", "`await article.adelete()`"),
        ("article.refresh_from_db()", "`await article.arefresh_from_db()`"),
        ("a = get_object_or_404(Article, pk=pk)", "`await aget_object_or_404(Article, pk=pk)`"),
    ],
)
def test_sync_orm_calls_in_async_def_name_the_async_alternative(body, advice):
    found = [m for m in diagnostics_of(body) if "SynchronousOnlyOperation" in m]
    assert found, diagnostics_of(body)
    assert advice in found[0]


@pytest.mark.parametrize(
    "body",
    [
        "a = await Article.objects.aget(pk=pk)",
        "qs = Article.objects.filter(x=1)",
        "page = Article.objects.all()[:10]",
        "async for a in Article.objects.all():\n    print(a)",
        "titles = [a.title async for a in Article.objects.all()]",
        "xs = await sync_to_async(list)(Article.objects.all())",
        "xs = await sync_to_async(lambda: list(Article.objects.all()))()",
        "await article.asave()",
        "a = await aget_object_or_404(Article, pk=pk)",
        "d = {}\nd.get('x')",
        "cache.delete('key')",
    ],
)
def test_async_orm_use_is_not_flagged(body):
    assert not [m for m in diagnostics_of(body) if "SynchronousOnlyOperation" in m]


def test_sync_orm_in_a_plain_def_is_fine():
    code = (
        "from blog.models import Article\n"
        "def view(request):\n    return Article.objects.get(pk=1)\n"
    )
    assert submission_check(code=code, checks=[]).passed


@pytest.mark.parametrize(
    ("body", "advice"),
    [
        ("r = httpx.get('https://x')", "httpx.AsyncClient"),
        ("r = httpx.post('https://x', json={})", "httpx.AsyncClient"),
        ("with httpx.Client() as client:\n    client.get('https://x')", "httpx.AsyncClient"),
        ("r = requests.get('https://x')", "httpx.AsyncClient"),
        ("time.sleep(1)", "await asyncio.sleep"),
        ("subprocess.run(['ls'])", "create_subprocess_exec"),
        ("data = open('f').read()", "start-up"),
    ],
)
def test_blocking_calls_name_the_async_way(body, advice):
    found = [m for m in diagnostics_of(body) if "blocks the whole event loop" in m]
    assert found and advice in found[0]


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("Article.objects.aget(pk=pk)", "`await Article.objects.aget(pk=pk)`"),
        ("Article.objects.acount()", "`await Article.objects.acount()`"),
        ("Article.objects.acreate(title='t')", "`await Article.objects.acreate(title='t')`"),
        ("article.asave()", "`await article.asave()`"),
        ("article.adelete()", "`await article.adelete()`"),
        ("aget_object_or_404(Article, pk=pk)", "`await aget_object_or_404(Article, pk=pk)`"),
        ("sync_to_async(fetch)(pk)", "`await sync_to_async(fetch)(pk)`"),
        ("asyncio.gather(f(), g())", "`await asyncio.gather(f(), g())`"),
        ("fetch_later(pk)", "`await fetch_later(pk)`"),
    ],
)
def test_a_missing_await_on_django_async_api_is_named(body, wanted):
    found = [m for m in diagnostics_of(body) if "without `await`" in m]
    assert found and wanted in found[0]


def test_awaited_coroutines_are_fine():
    body = "a = await Article.objects.aget(pk=pk)\nr = await asyncio.gather(x(), y())"
    assert not [m for m in diagnostics_of(body) if "without `await`" in m]


def test_await_without_the_call_says_so():
    found = [m for m in diagnostics_of("await article.asave") if "not a call" in m]
    assert found and "Write `await article.asave()`" in found[0]


@pytest.mark.parametrize(
    "body",
    [
        "try:\n    return 1\nexcept ValueError:\n    return 2",
        "try:\n    x = 1\nexcept ValueError:\n    return 2\nelse:\n    return 1",
        "try:\n    x = 1\nfinally:\n    return 3",
        "match pk:\n    case 1:\n        return 1\n    case _:\n        return 2",
        "with lock:\n    return 1",
    ],
)
def test_every_branch_returning_is_not_a_path_that_returns_nothing(body):
    assert not [m for m in diagnostics_of(body) if "not on every path" in m]


@pytest.mark.parametrize(
    "body",
    [
        "try:\n    return 1\nexcept ValueError:\n    pass",
        "match pk:\n    case 1:\n        return 1",
    ],
)
def test_a_branch_without_return_is_still_reported(body):
    assert [m for m in diagnostics_of(body) if "not on every path" in m]


def test_a_comparison_where_an_assignment_was_meant_says_so():
    verdict = submission_check(
        code="WAIT_TIME == 3\n", checks=[check("WAIT_TIME = 3", inside="module")]
    )
    messages = [item.message for item in verdict.items if not item.passed]
    assert len(messages) == 1, messages
    assert "Line 1 compares `WAIT_TIME == 3`" in messages[0]
    alone = submission_check(code="WAIT_TIME == 3\n", checks=[])
    assert [i.message for i in alone.items] == [
        "Line 1 compares `WAIT_TIME == 3` and throws the answer away: `==` asks whether two "
        "values are equal. To set `WAIT_TIME`, write `WAIT_TIME = 3` (one `=`)."
    ]


STEP_ONE = [
    check("import asyncio", message="Add `import asyncio`."),
    check("async def slow_view(request): ...", inside="module"),
]


def test_a_misspelt_import_in_step_one_is_named_as_the_learners():
    verdict = submission_check(
        code="import asycio\n\nasync def slow_view(request):\n    pass\n", checks=STEP_ONE
    )
    message = next(item.message for item in verdict.items if not item.passed)
    assert message.startswith("Line 1 imports `asycio`: your `asycio` is a typo for `asyncio`.")


def test_a_misspelt_use_is_named_as_the_learners():
    code = "import asyncio\nasync def slow_view(request):\n    await asycio.sleep(3)\n"
    checks = [*STEP_ONE, check("await asyncio.sleep(3)", inside="slow_view")]
    failed = [
        item.message for item in submission_check(code=code, checks=checks).items if not item.passed
    ]
    assert len(failed) == 1, failed
    assert (
        "Line 3 has `await asycio.sleep(3)`: your `asycio` is a typo for `asyncio`." in (failed[0])
    )


def test_a_misspelt_view_name_is_named_as_the_learners():
    verdict = submission_check(
        code="import asyncio\nasync def slow_veiw(request):\n    pass\n", checks=STEP_ONE
    )
    message = next(item.message for item in verdict.items if not item.passed)
    assert "Line 2 defines `slow_veiw`: your `slow_veiw` is a typo for `slow_view`." in message
