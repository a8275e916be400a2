"""Hostile submissions get a verdict, never an exception, and refusals name the limit."""

from __future__ import annotations

import pytest

from checker import submission_check
from checker.limits import MAX_LINE_LENGTH, MAX_LINES, MAX_SUBMISSION_BYTES
from tests.factories import check

CHECKS = [
    check("await asyncio.sleep(WAIT_TIME)", inside="slow_view"),
    check("return HttpResponse(__)", inside="slow_view", after="await asyncio.sleep(__)"),
    check("time.sleep(__)", kind="forbid", inside="async def"),
    check("WAIT_TIME = 3", inside="module"),
    # The richer pattern language: star wildcards, any-of, dicts, blocks, scopes, counts.
    check(
        "await Article.objects.aget(*__, **__)",
        alternatives=("await sync_to_async(__)(*__, **__)",),
        inside="async def",
    ),
    check("JsonResponse({'id': __, 'title': __, **__})", inside="def, except"),
    check("try:\n    ...\nexcept Article.DoesNotExist as __:\n    ...", count=1),
    check("async def slow_view(request): ...", exact=True),
]


def wrapped(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def chain(term: str, joiner: str, count: int, width: int = 900) -> str:
    """`count` terms joined across lines inside brackets, each line under the length limit."""
    per_line = max(1, width // (len(term) + len(joiner)))
    rows = [
        joiner.join([term] * min(per_line, count - start)) for start in range(0, count, per_line)
    ]
    return "x = (\n" + (joiner + "\n").join(rows) + "\n)\n"


HOSTILE = {
    "empty": "",
    "only whitespace": " \n\t\n   ",
    "parentheses 100 deep": "x = " + "(" * 100 + "1" + ")" * 100,
    "parentheses 250 deep": "x = " + "(" * 250 + "1" + ")" * 250,
    "lists 150 deep": "x = " + "[" * 150 + "]" * 150,
    "calls 90 deep": "x = " + "f(" * 90 + ")" * 90,
    "sum of 5,000 terms": chain("1", "+", 5_000),
    "sum of 900 terms": chain("1", "+", 900),
    "attribute chain 3,000 long": "x = (a\n" + "\n".join([".b" * 300] * 10) + "\n)",
    "method chain": "x = (a\n" + "\n".join([".b()" * 200] * 20) + "\n)",
    "and-chain": chain("a", " and ", 3_000),
    "string concatenation": chain("'s'", " + ", 3_000),
    "deep ifs": "".join(" " * level + "if x:\n" for level in range(99)) + " " * 99 + "pass\n",
    "deep defs": "".join(" " * level + "def f():\n" for level in range(99)) + " " * 99 + "pass\n",
    "deep async defs": "".join(" " * level + "async def f():\n" for level in range(60))
    + " " * 60
    + "await g()\n",
    "null byte": "x = 1\0\n",
    "control characters": "x = '\x01\x02\x1b[31m'\n\x07\n",
    "lone surrogate": "x = '\ud800'\n",
    "binary garbage": bytes(range(256)).decode("latin-1"),
    "right-to-left override": "x = 1 # \u202e evil\n",
    "form feeds": "x = 1\f\n\fy = 2\n",
    "carriage returns": "import asyncio\rx = 1\r\n",
    "unclosed everything": "def f(:\n  [({'\n",
    "many awaits": wrapped(
        ["import asyncio", "async def slow_view(request):"]
        + ["    await asyncio.sleep(WAIT_TIME)"] * 400
    ),
    "many undefined names": wrapped([f"x{n} = y{n}" for n in range(450)]),
    "many returns then awaits": wrapped(
        ["async def slow_view(request):"] + ["    return 1", "    await asyncio.sleep(1)"] * 200
    ),
    "many unawaited coroutines": wrapped(
        ["import asyncio", "async def slow_view(request):"]
        + [f"    c{n} = asyncio.sleep(1)" for n in range(400)]
    ),
    "huge number": "x = " + "9" * 900,
    "huge string": "x = '" + "a" * 990 + "'",
    "unicode names": "ñame = 1\nπ = ñame\nasync def vïew(réquest): pass\n",
    "emoji": "x = '😀' * 3  # 😀\n",
    "tabs": "if x:\n\tpass\n",
    "dedent soup": "if x:\n    a\n  b\n",
    "await everywhere": "await x\nclass C:\n    await y\nlambda: await z\n",
    "star args": "import asyncio\nasync def slow_view(*a, **k):\n"
    "    await asyncio.sleep(*a, **k)\n",
    "queryset chain 400 long": "async def v(r):\n    x = (Article.objects\n"
    + "\n".join(["    .filter(a=1)" * 10] * 40)
    + "\n    .get())\n",
    "dict of 400 keys": "x = {" + ", ".join(f"'k{n}': {n}" for n in range(400)) + "}\n",
    "many try blocks": wrapped(
        ["async def v(r):"]
        + ["    try:\n        x()\n    except Article.DoesNotExist as e:\n        pass"] * 150
    ),
    "many sync queries": wrapped(
        ["async def v(r):"] + [f"    a{n} = Article.objects.get(pk={n})" for n in range(400)]
    ),
    "dead code everywhere": wrapped(["if False:"] + ["    WAIT_TIME = 3"] * 400),
    "walrus and match": "if (n := 3):\n    match n:\n        case {'a': 1, **rest}: print(rest)\n",
}


@pytest.mark.parametrize("code", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_code_gets_a_verdict(code):
    verdict = submission_check(code=code, checks=CHECKS)
    assert verdict.status in ("passed", "failed", "syntax_error", "refused")
    assert verdict.items
    assert verdict.as_json()["feedback"]
    for item in verdict.items:
        assert item.message or item.passed


def test_too_large_is_refused_naming_the_limit():
    verdict = submission_check(code="x = 1\n" * 4_000, checks=CHECKS)
    assert verdict.status == "refused"
    assert verdict.items[0].kind == "refused"
    assert verdict.items[0].message == (
        f"Your code is 24,000 bytes; the limit is {MAX_SUBMISSION_BYTES:,}."
    )


def test_too_many_lines_is_refused_naming_the_limit():
    verdict = submission_check(code="\n" * (MAX_LINES + 1), checks=CHECKS)
    assert verdict.status == "refused"
    assert f"the limit is {MAX_LINES:,}" in verdict.items[0].message


def test_exactly_max_lines_is_accepted():
    verdict = submission_check(code="x = 1\n" * MAX_LINES, checks=CHECKS)
    assert verdict.status == "failed"


def test_a_long_line_is_refused_naming_line_and_limit():
    verdict = submission_check(code="x = 1\ny = '" + "a" * 2_000 + "'\n", checks=CHECKS)
    assert verdict.status == "refused"
    assert verdict.items[0].line == 2
    assert f"the limit is {MAX_LINE_LENGTH:,} characters per line" in verdict.items[0].message


def test_a_null_byte_is_refused_with_its_line():
    verdict = submission_check(code="x = 1\ny = 2\0\n", checks=CHECKS)
    assert verdict.status == "refused"
    assert verdict.items[0].message.startswith("Your code contains a null byte (\\0) on line 2.")


def test_nesting_beyond_the_parser_is_explained():
    verdict = submission_check(code=HOSTILE["sum of 5,000 terms"], checks=CHECKS)
    assert verdict.status == "refused"
    assert "nests too deeply" in verdict.items[0].message


def test_too_many_brackets_is_a_syntax_error():
    verdict = submission_check(code=HOSTILE["parentheses 250 deep"], checks=CHECKS)
    assert verdict.status == "syntax_error"
    assert "nested too deeply" in verdict.items[0].message


def test_many_problems_are_capped():
    verdict = submission_check(code=HOSTILE["many undefined names"], checks=[])
    assert len(verdict.items) == 5
