"""The pattern language as the README describes it: what instructors can say, and what it
accepts and refuses."""

from __future__ import annotations

import pytest

from checker import Verdict, pattern_problems, submission_check
from tests.factories import check


def passes(code: str, *checks) -> bool:
    verdict = submission_check(code=code, checks=list(checks))
    return all(item.passed for item in verdict.items if item.kind == "check")


def messages(verdict: Verdict) -> list[str]:
    return [item.message for item in verdict.items if not item.passed]


GET_ANY = check("Article.objects.get(**__)", inside="async def")


@pytest.mark.parametrize(
    ("pattern", "code", "expected"),
    [
        ("Article.objects.get(**__)", "Article.objects.get(pk=pk)", True),
        ("Article.objects.get(**__)", "Article.objects.get()", True),
        ("Article.objects.get(**__)", "Article.objects.get(pk=1, slug='a')", True),
        ("Article.objects.get(**__)", "Article.objects.get(1)", False),
        ("Article.objects.get(*__)", "Article.objects.get(1, 2)", True),
        ("Article.objects.get(*__)", "Article.objects.get()", True),
        ("Article.objects.get(*__)", "Article.objects.get(pk=1)", False),
        ("Article.objects.get(*__, **__)", "Article.objects.get(Q(a=1), pk=1)", True),
        ("Article.objects.get(pk=__)", "Article.objects.get(pk=article_id)", True),
        ("Article.objects.get(pk=__)", "Article.objects.get(pk=1, slug='a')", False),
        ("Article.objects.get(pk=__, **__)", "Article.objects.get(slug='a', pk=1)", True),
        ("Article.objects.get(pk=__, **__)", "Article.objects.get(slug='a')", False),
        ("f(1, *__)", "f(1, 2, 3)", True),
        ("f(1, *__)", "f(2, 3)", False),
        ("f(*__, 3)", "f(1, 2, 3)", True),
        ("f(__)", "f(x=1)", False),
        ("f(__)", "f(g(h(1)))", True),
        ("HttpResponse('Done', **__)", "HttpResponse(content='Done', status=201)", True),
    ],
)
def test_star_wildcards_take_any_arguments(pattern, code, expected):
    assert passes(code, check(pattern)) is expected


@pytest.mark.parametrize(
    ("pattern", "code", "expected"),
    [
        ("JsonResponse({'id': __, 'title': __})", "JsonResponse({'title': t, 'id': 1})", True),
        ("JsonResponse({'id': __, 'title': __})", "JsonResponse({'id': 1})", False),
        ("JsonResponse({'id': 1, 'title': __})", "JsonResponse({'title': 1, 'id': 2})", False),
        ("x = {'a': {'b': 1, 'c': 2}, 'd': 3}", "x = {'d': 3, 'a': {'c': 2, 'b': 1}}", True),
    ],
)
def test_dict_literals_compare_in_any_key_order(pattern, code, expected):
    assert passes(code, check(pattern)) is expected


TRY = """\
try:
    article = Article.objects.get(pk=pk)
except Article.DoesNotExist as error:
    raise Http404 from error
else:
    pass
finally:
    log()
"""


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("try:\n    ...\nexcept Article.DoesNotExist:\n    ...", True),
        ("try:\n    ...\nexcept Article.DoesNotExist as __:\n    ...", True),
        ("try:\n    ...\nexcept ValueError:\n    ...", False),
        ("try:\n    ...\nexcept Article.DoesNotExist:\n    raise Http404 from __", True),
        ("try:\n    ...\nexcept Article.DoesNotExist:\n    return None", False),
        ("try:\n    ...\nexcept __:\n    ...\nfinally:\n    ...", True),
    ],
)
def test_dots_are_any_block_in_try_and_except(pattern, expected):
    assert passes(TRY, check(pattern)) is expected


def test_except_as_wildcard_needs_a_name():
    code = "try:\n    x()\nexcept ValueError:\n    pass\n"
    assert not passes(code, check("try:\n    ...\nexcept ValueError as __:\n    ..."))


def test_a_try_pattern_accepts_extra_handlers():
    code = "try:\n    x()\nexcept KeyError:\n    a()\nexcept ValueError:\n    b()\n"
    assert passes(code, check("try:\n    ...\nexcept ValueError:\n    ..."))


@pytest.mark.parametrize(
    ("pattern", "code"),
    [
        ("with open(__) as __:\n    ...", "with open('f') as handle:\n    data = handle.read()"),
        ("with lock:\n    ...", "with lock as held:\n    work()"),
        (
            "async with httpx.AsyncClient() as __:\n    ...",
            "async with httpx.AsyncClient() as c:\n    await c.get(u)",
        ),
        (
            "for __ in __:\n    ...",
            "for article in articles:\n    print(article)\nelse:\n    done()",
        ),
        (
            "async for __ in Article.objects.all():\n    ...",
            "async for a in Article.objects.all():\n    x.append(a)",
        ),
        ("if __:\n    ...", "if x:\n    a()\nelse:\n    b()"),
        ("if request.method == 'POST':\n    ...", "if request.method == 'POST':\n    save()"),
    ],
)
def test_dots_are_any_block_in_every_block_statement(pattern, code):
    wrapped = "async def view(request):\n" + "".join(f"    {line}\n" for line in code.splitlines())
    assert passes(wrapped, check(pattern))


def test_a_wildcard_is_one_expression_anywhere():
    code = "async def view(request):\n    return JsonResponse({'n': await count()}, status=200)\n"
    assert passes(code, check("return JsonResponse(__, status=__)"))
    assert passes(code, check("JsonResponse({'n': await __}, status=200)"))


AGET = "await Article.objects.aget(pk=__)"
HELPER = "await sync_to_async(__)(*__, **__)"


def test_any_of_several_patterns_passes_with_either():
    checks = check(AGET, alternatives=(HELPER,), inside="async def", message="Fetch it.")
    first = "async def v(request, pk):\n    a = await Article.objects.aget(pk=pk)\n"
    second = "async def v(request, pk):\n    a = await sync_to_async(fetch)(pk)\n"
    neither = "async def v(request, pk):\n    a = fetch(pk)\n"
    assert passes(first, checks)
    assert passes(second, checks)
    verdict = submission_check(code=neither, checks=[checks])
    assert [m for m in messages(verdict) if "Fetch it." in m]


def test_any_of_problems_name_the_pattern_number():
    problems = pattern_problems(check("x = 1", alternatives=("def (",)))
    assert problems and problems[0].startswith("pattern 2: the pattern does not parse")


def test_inside_def_means_any_plain_function():
    spec = check("time.sleep(__)", inside="def")
    assert passes("import time\ndef helper():\n    time.sleep(1)\n", spec)
    assert not passes("import time\nasync def helper():\n    time.sleep(1)\n", spec)
    assert not passes("import time\ntime.sleep(1)\n", spec)


def test_inside_except_means_an_except_body():
    spec = check("raise Http404(__)", inside="detail, except")
    good = (
        "async def detail(request):\n    try:\n        x()\n"
        "    except E:\n        raise Http404('no')\n"
    )
    outside = "async def detail(request):\n    raise Http404('no')\n"
    nested = (
        "async def detail(request):\n    try:\n        x()\n    except E:\n"
        "        def later():\n            raise Http404('no')\n"
    )
    assert passes(good, spec)
    assert not passes(outside, spec)
    assert not passes(nested, spec)
    message = messages(submission_check(code=outside, checks=[spec]))[0]
    assert "inside `detail` and inside an `except` block" in message


def test_count_asks_for_exactly_that_many():
    spec = check("await asyncio.sleep(__)", count=1, inside="slow_view", message="Wait once.")
    once = "import asyncio\nasync def slow_view(r):\n    await asyncio.sleep(1)\n"
    twice = once + "    await asyncio.sleep(2)\n"
    assert passes(once, spec)
    verdict = submission_check(code=twice, checks=[spec])
    assert not verdict.passed
    assert (
        "Lines 3, 4 each have `await asyncio.sleep(1)`; it must appear exactly once."
        in (messages(verdict)[0])
    )


@pytest.mark.parametrize(
    "code",
    [
        "if False:\n    WAIT_TIME = 3\n",
        "if 0:\n    WAIT_TIME = 3\n",
        'if __name__ == "__main__":\n    WAIT_TIME = 3\n',
        'if "__main__" == __name__:\n    WAIT_TIME = 3\n',
        "if True:\n    pass\nelse:\n    WAIT_TIME = 3\n",
    ],
)
def test_code_that_never_runs_on_import_counts_nowhere(code):
    verdict = submission_check(code=code, checks=[check("WAIT_TIME = 3")])
    assert not verdict.passed
    assert "never runs when Django imports the file" in messages(verdict)[0]


def test_code_under_a_real_condition_still_counts():
    assert passes("import os\nif os.environ:\n    WAIT_TIME = 3\n", check("WAIT_TIME = 3"))


def test_dead_code_in_the_view_does_not_count():
    code = (
        "import asyncio\nasync def slow_view(request):\n"
        "    if False:\n        await asyncio.sleep(3)\n"
    )
    assert not passes(code, check("await asyncio.sleep(3)", inside="slow_view"))


ASYNC_VIEW = check("async def slow_view(request): ...", inside="module")


def test_any_name_for_the_one_parameter_passes_naming_the_convention():
    verdict = submission_check(code="async def slow_view(req):\n    pass\n", checks=[ASYNC_VIEW])
    assert verdict.passed
    assert "`request` is the convention" in verdict.items[0].message


def test_exact_asks_for_the_pattern_parameter_name():
    exact = check("async def slow_view(request): ...", exact=True)
    verdict = submission_check(code="async def slow_view(req):\n    pass\n", checks=[exact])
    assert not verdict.passed
    assert "expected `async def slow_view(request)`" in messages(verdict)[0]
    assert passes("async def slow_view(request):\n    pass\n", exact)


def test_two_parameters_still_compare_by_name():
    spec = check("async def detail(request, pk): ...")
    assert not passes("async def detail(request, slug):\n    pass\n", spec)
