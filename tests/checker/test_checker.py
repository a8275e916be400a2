"""The structural checker: what it accepts, what it rejects, and what it tells the learner."""

from __future__ import annotations

import pytest

from checker import Verdict, pattern_problems, submission_check
from tests.factories import check

SLOW_VIEW = """\
import asyncio

from django.http import HttpResponse

WAIT_TIME = 3


async def slow_view(request):
    await asyncio.sleep(WAIT_TIME)
    return HttpResponse('Done waiting!')
"""

AWAIT_SLEEP = check("await asyncio.sleep(WAIT_TIME)", inside="slow_view")
RETURN_DONE = check(
    "return HttpResponse('Done waiting!')",
    inside="slow_view",
    after="await asyncio.sleep(WAIT_TIME)",
    message="End `slow_view` with `return HttpResponse('Done waiting!')`.",
)
ASYNC_VIEW = check("async def slow_view(request): ...", message="Use `async def`.")
WAIT_TIME_TOP = check("WAIT_TIME = 3", inside="module", message="Add `WAIT_TIME = 3`.")


def failures(verdict: Verdict) -> list[str]:
    return [item.message for item in verdict.items if not item.passed]


def test_the_seed_solution_passes_every_check():
    checks = [check("import asyncio"), ASYNC_VIEW, WAIT_TIME_TOP, AWAIT_SLEEP, RETURN_DONE]
    verdict = submission_check(code=SLOW_VIEW, checks=checks)
    assert verdict.status == "passed", failures(verdict)
    assert verdict.as_json()["passed"] is True


@pytest.mark.parametrize(
    ("code", "spec"),
    [
        ('x = "Done waiting!"', check("x = 'Done waiting!'")),
        ("x = (  ( 3 ) )  # a comment", check("x = 3")),
        ("WAIT_TIME: int = 3", WAIT_TIME_TOP),
        ("WAIT_TIME = 3.0", WAIT_TIME_TOP),
        ("import asyncio, time", check("import asyncio")),
        ("import asyncio as aio", check("import asyncio")),
        (
            "from django.http import HttpResponse, JsonResponse",
            check("from django.http import HttpResponse"),
        ),
        ('async def slow_view(request):\n    """Waits."""\n    return 1\n', ASYNC_VIEW),
        ("async def slow_view(request):\n    pass\n", ASYNC_VIEW),
        (
            "import asyncio\nasync def slow_view(request):\n"
            "    await asyncio.sleep(delay=WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        (
            "import asyncio\nasync def slow_view(request):\n    x = await asyncio.sleep(WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        (
            "from asyncio import sleep\nasync def slow_view(request):\n    await sleep(WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        (
            "import asyncio as aio\nasync def slow_view(request):\n    await aio.sleep(WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        (
            "import asyncio\nasync def slow_view(request):\n"
            "    if True:\n        await asyncio.sleep(WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        (
            "from django.http import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    return HttpResponse(content='Done waiting!')",
            RETURN_DONE,
        ),
        (
            "from django.http import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    return HttpResponse('Done waiting!', status=200)",
            RETURN_DONE,
        ),
        (
            "from django.http import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    response = HttpResponse('Done waiting!')\n    return response",
            RETURN_DONE,
        ),
        ("def handler(request, slug): ...", check("def __(request, __): ...")),
        ("def handler(a, b=1, *c): ...", check("def handler(__): ...")),
        ("print(f'Done waiting!')", check("print('Done waiting!')")),
    ],
)
def test_equivalent_code_is_accepted(code, spec):
    verdict = submission_check(code=code, checks=[spec])
    assert verdict.items[0].passed, verdict.items[0].message


@pytest.mark.parametrize(
    ("code", "spec"),
    [
        ("x = '3'", check("x = 3")),
        ("x = True", check("x = 1")),
        ("s = 'await asyncio.sleep(WAIT_TIME)'", check("await asyncio.sleep(WAIT_TIME)")),
        ("# await asyncio.sleep(WAIT_TIME)\nx = 1", check("await asyncio.sleep(WAIT_TIME)")),
        (
            "import asyncio\nasync def other(request):\n    await asyncio.sleep(WAIT_TIME)",
            AWAIT_SLEEP,
        ),
        ("import time", check("import asyncio")),
        ("from django.http import JsonResponse", check("from django.http import HttpResponse")),
        ("async def slow_view(request, extra=1): ...", ASYNC_VIEW),
        (
            "from django.http import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    return HttpResponse('Done waiting!', status=500)",
            RETURN_DONE,
        ),
        (
            "from django.http import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    response = HttpResponse('Done waiting!')\n    response = None\n"
            "    return response",
            RETURN_DONE,
        ),
        ("async def slow_view(): ...", ASYNC_VIEW),
        ("from time import sleep\nasync def slow_view(r):\n    await sleep(3)", AWAIT_SLEEP),
        (
            "async def slow_view(request):\n    return HttpResponse('Done waiting!')\n"
            "    await asyncio.sleep(WAIT_TIME)",
            RETURN_DONE,
        ),
    ],
)
def test_look_alikes_are_rejected(code, spec):
    verdict = submission_check(code=code, checks=[spec])
    assert not verdict.items[0].passed
    assert spec.message in verdict.items[0].message


def explanation(code: str, spec=None) -> tuple[str, int | None]:
    verdict = submission_check(code=code, checks=[spec] if spec else [])
    item = verdict.items[0]
    return item.message, item.line


def test_a_plain_def_is_named_with_its_line():
    message, line = explanation(
        "import asyncio\n\n\ndef slow_view(request):\n    pass\n", ASYNC_VIEW
    )
    assert message.startswith(
        "Line 4 defines `def slow_view(request)` with plain `def`; it must be `async def`."
    )
    assert message.endswith("Use `async def`.")
    assert line == 4


def test_an_await_outside_the_view_is_named():
    code = (
        "import asyncio\nasync def slow_view(request):\n    pass\nawait asyncio.sleep(WAIT_TIME)\n"
    )
    message, line = explanation(code, AWAIT_SLEEP)
    assert "Line 4 has `await asyncio.sleep(WAIT_TIME)`, but outside `slow_view`" in message
    assert line == 4


def test_a_return_before_the_await_is_named_once():
    code = (
        "import asyncio\nfrom django.http import HttpResponse\nWAIT_TIME = 3\n"
        "async def slow_view(request):\n    return HttpResponse('Done waiting!')\n"
        "    await asyncio.sleep(WAIT_TIME)\n"
    )
    verdict = submission_check(code=code, checks=[RETURN_DONE])
    assert failures(verdict) == [
        "Line 5 returns before the `await` on line 6. "
        "End `slow_view` with `return HttpResponse('Done waiting!')`."
    ]


def test_a_string_wait_time_is_named():
    message, line = explanation("WAIT_TIME = '3'\n", WAIT_TIME_TOP)
    assert message == "Line 1 sets `WAIT_TIME = '3'` (a string); expected `3`. Add `WAIT_TIME = 3`."


def test_a_wait_time_inside_the_view_is_named():
    message, line = explanation("async def slow_view(request):\n    WAIT_TIME = 3\n", WAIT_TIME_TOP)
    assert "Line 2 sets `WAIT_TIME = 3` inside `async def slow_view`" in message
    assert "top level" in message
    assert line == 2


def test_the_wrong_response_text_is_named():
    code = SLOW_VIEW.replace("'Done waiting!'", "'Done!'")
    message, line = explanation(code, RETURN_DONE)
    assert message.startswith("Line 10 returns `HttpResponse('Done!')`: `'Done!'` should be")
    assert line == 10


def test_a_plain_string_response_is_named():
    code = SLOW_VIEW.replace("HttpResponse('Done waiting!')", "'Done waiting!'")
    message, _ = explanation(code, RETURN_DONE)
    assert message.startswith(
        "Line 10 returns a plain string; a view must return an `HttpResponse`."
    )


def test_a_forgotten_await_is_named_once():
    code = (
        "import asyncio\nWAIT_TIME = 3\nasync def slow_view(request):\n"
        "    asyncio.sleep(WAIT_TIME)\n"
    )
    verdict = submission_check(code=code, checks=[AWAIT_SLEEP])
    assert len(failures(verdict)) == 1
    assert failures(verdict)[0].startswith(
        "Line 4 calls `asyncio.sleep(WAIT_TIME)` without `await`"
    )


def test_a_forbidden_call_fails_once_per_match_and_hides_the_same_diagnostic():
    forbid = check("time.sleep(__)", kind="forbid", inside="async def", message="No time.sleep.")
    code = "import time\nasync def a(r):\n    time.sleep(1)\nasync def b(r):\n    time.sleep(2)\n"
    verdict = submission_check(code=code, checks=[forbid])
    assert failures(verdict) == [
        "Line 3 has `time.sleep(1)`. No time.sleep.",
        "Line 5 has `time.sleep(2)`. No time.sleep.",
    ]
    assert [item.line for item in verdict.items] == [3, 5]


def test_a_forbidden_call_outside_its_scope_passes():
    forbid = check("time.sleep(__)", kind="forbid", inside="async def")
    verdict = submission_check(
        code="import time\ndef sync_view(r):\n    time.sleep(1)\n", checks=[forbid]
    )
    assert verdict.passed


@pytest.mark.parametrize(
    ("code", "label", "start"),
    [
        (
            "import time\nasync def v(r):\n    time.sleep(1)\n",
            "Blocking call in async code",
            "Line 3 calls `time.sleep(1)` inside `async def v`: it blocks the whole event loop",
        ),
        (
            "from time import sleep\nasync def v(r):\n    sleep(1)\n",
            "Blocking call in async code",
            "Line 3 calls `sleep(1)` inside `async def v`",
        ),
        (
            "import requests\nasync def v(r):\n    requests.get('https://example.com')\n",
            "Blocking call in async code",
            "Line 3 calls `requests.get('https://example.com')`",
        ),
        (
            "import asyncio\nasync def v(r):\n    asyncio.sleep(1)\n",
            "Coroutine never awaited",
            "Line 3 calls `asyncio.sleep(1)` without `await`",
        ),
        (
            "async def fetch():\n    return 1\nasync def v(r):\n"
            "    data = fetch()\n    return {'data': data}\n",
            "Coroutine never awaited",
            "Line 4 calls `fetch()` without `await`",
        ),
        (
            "import asyncio\nawait asyncio.sleep(1)\n",
            "`await` outside async def",
            "Line 2 uses `await` at the top level",
        ),
        (
            "import asyncio\ndef v(r):\n    await asyncio.sleep(1)\n",
            "`await` outside async def",
            "Line 3 uses `await` inside `def v`",
        ),
        ("print(HttpResponse)\n", "Name not defined", "Line 1 uses `HttpResponse`, but nothing"),
        (
            "import asyncio\nasync def v(r):\n    return 1\n    await asyncio.sleep(1)\n",
            "Unreachable `await`",
            "Line 3 returns before the `await` on line 4",
        ),
    ],
)
def test_each_diagnostic_names_the_code_and_line(code, label, start):
    verdict = submission_check(code=code, checks=[])
    assert verdict.status == "failed"
    item = verdict.items[0]
    assert (item.kind, item.label) == ("diagnostic", label)
    assert item.message.startswith(start), item.message


@pytest.mark.parametrize(
    "code",
    [
        "import asyncio\nasync def v(r):\n    await asyncio.gather(asyncio.sleep(1), other())\n"
        "async def other():\n    pass\n",
        "import asyncio\nasync def v(r):\n    task = asyncio.create_task(asyncio.sleep(1))\n"
        "    await task\n",
        "import asyncio\nasync def v(r):\n    coro = asyncio.sleep(1)\n    await coro\n",
        "import asyncio\ndef v():\n    return asyncio.sleep(1)\n",
        "import time\ndef sync_view(r):\n    time.sleep(1)\n",
        "x = [y for y in range(3)]\nfor i, j in []:\n    print(i, j)\n"
        "try:\n    pass\nexcept OSError as error:\n    print(error)\n"
        "with open('f') as f:\n    print(f, __name__)\n",
        "from os.path import *\nprint(join)\n",
    ],
)
def test_correct_async_code_gets_no_diagnostic(code):
    verdict = submission_check(code=code, checks=[])
    assert verdict.passed, failures(verdict)


@pytest.mark.parametrize(
    ("code", "line", "column", "message"),
    [
        (
            "import asyncio\n\n\nasync def slow_view(request)\n    pass\n",
            4,
            29,
            "Line 4: an `async def` line must end with a colon `:`.",
        ),
        (
            "def slow_view(request)\n    pass\n",
            1,
            23,
            "Line 1: a `def` line must end with a colon `:`.",
        ),
        ("x = 1\n    y = 2\n", 2, None, "Line 2: this line is indented more"),
        ("if x:\n        a = 1\n    b = 2\n", 3, None, "Line 3: its indentation matches no line"),
        ("x = (1,\n", 1, 5, "Line 1: `(` is opened but never closed"),
        ("s = 'abc\n", 1, 5, "Line 1: a string starts here but never ends"),
        ("async slow_view(request):\n    pass\n", 1, None, "Line 1: `async` can only come"),
        ("print 'hi'\n", 1, 1, "Line 1: `print` is a function"),
        ("if x:\n\ty = 1\n        z = 2\n", 3, None, "Line 3: it mixes tabs and spaces"),
        (
            "def f():\nreturn 1\n",
            2,
            None,
            "Line 2: the body of the `def` on line 1 must be indented",
        ),
    ],
)
def test_syntax_errors_are_explained_with_line_and_column(code, line, column, message):
    verdict = submission_check(code=code, checks=[ASYNC_VIEW])
    assert verdict.status == "syntax_error"
    (item,) = verdict.items
    assert item.kind == "syntax"
    assert item.line == line
    if column is not None:
        assert item.column == column
    assert item.message.startswith(message), item.message


def test_verdict_json_shape():
    verdict = submission_check(code="x = 2\n", checks=[check("x = 1", label="x is one")])
    assert verdict.as_json() == {
        "passed": False,
        "status": "failed",
        "feedback": [
            {
                "label": "x is one",
                "passed": False,
                "message": "Line 1 sets `x = 2`; expected `1`. Instructor message.",
                "line": 1,
                "column": 5,
                "kind": "check",
            }
        ],
    }


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (check("def f(:"), "pattern: the pattern does not parse"),
        (check("x = 1\ny = 2"), "pattern: the pattern has 2 statements"),
        (check("__"), "pattern: `__` alone matches any code"),
        (check("x = 1", after="(("), "after: the pattern does not parse"),
        (check("x = 1", inside="not a name"), "inside must be a function name"),
        (check(""), "pattern: the pattern is empty"),
    ],
)
def test_unusable_patterns_are_reported(spec, problem):
    problems = pattern_problems(spec)
    assert any(text.startswith(problem) for text in problems), problems


def test_usable_patterns_have_no_problems():
    for spec in (ASYNC_VIEW, AWAIT_SLEEP, RETURN_DONE, WAIT_TIME_TOP):
        assert pattern_problems(spec) == []


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ("def helper(a, a):\n    pass\n", 11, "the parameter `a` is named twice"),
        ("for i in range(3):\n    pass\nbreak\n", 13, "`break` only works inside a"),
        ("def helper():\n    nonlocal WAIT_TIME\n", 12, "`nonlocal WAIT_TIME` needs"),
    ],
)
def test_code_python_refuses_to_compile_is_a_syntax_error(extra, line, message):
    verdict = submission_check(code=SLOW_VIEW + extra, checks=[AWAIT_SLEEP])
    assert verdict.status == "syntax_error"
    assert verdict.items[0].line == line
    assert message in verdict.items[0].message


def test_a_later_plain_def_that_replaces_the_view_is_named():
    code = SLOW_VIEW + "\n\ndef slow_view(request):\n    return HttpResponse('Done waiting!')\n"
    verdict = submission_check(code=code, checks=[ASYNC_VIEW, AWAIT_SLEEP, RETURN_DONE])
    assert not verdict.passed
    assert failures(verdict) == [
        "Line 13 defines `slow_view` again (it was first on line 8). Python keeps only the "
        "last one, so the `slow_view` on line 8 is thrown away. Keep one."
    ]


def test_a_wait_time_set_twice_is_named():
    verdict = submission_check(code=SLOW_VIEW + "WAIT_TIME = 0\n", checks=[WAIT_TIME_TOP])
    assert failures(verdict) == [
        "Line 11 sets `WAIT_TIME` again (it was first on line 5). Python keeps only the "
        "last one, so the `WAIT_TIME` on line 5 is thrown away. Keep one."
    ]


def test_an_await_in_a_function_nested_in_the_view_does_not_count():
    code = (
        "import asyncio\nWAIT_TIME = 3\nasync def slow_view(request):\n"
        "    async def inner():\n        await asyncio.sleep(WAIT_TIME)\n"
    )
    verdict = submission_check(code=code, checks=[AWAIT_SLEEP])
    assert not verdict.passed
    assert "outside `slow_view` (inside `async def inner`)" in failures(verdict)[0]


def test_columns_count_characters_not_bytes():
    code = "import asyncio\nasync def slow_view(request):\n    é = 'éé'; await asyncio.sleep(X)\n"
    verdict = submission_check(code=code, checks=[])
    undefined = next(item for item in verdict.items if "`X`" in item.message)
    assert (undefined.line, undefined.column) == (3, 35)
    assert code.splitlines()[2][35 - 1] == "X"  # the column names the character itself


def test_hundreds_of_one_forbidden_call_give_a_few_findings():
    code = "import time\nasync def slow_view(request):\n" + "    time.sleep(1)\n" * 400
    forbid = check("time.sleep(__)", kind="forbid", inside="async def", message="No.")
    verdict = submission_check(code=code, checks=[forbid])
    assert len(verdict.items) == 5


@pytest.mark.parametrize(
    "code",
    [
        "async def slow_view(request, *args, **kwargs): ...",
        "import asyncio\nfrom django.http import HttpResponse\nWAIT_TIME = 3\n"
        "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
        "    return HttpResponse('Done waiting!', content_type='text/plain')",
        "\ufeffasync def slow_view(request): ...",
    ],
)
def test_what_django_and_editors_accept_is_accepted(code):
    view = check("async def slow_view(request): ...", inside="module")
    checks = [view, RETURN_DONE] if "return" in code else [view]
    verdict = submission_check(code=code, checks=checks)
    assert verdict.passed, failures(verdict)


def test_a_view_that_is_a_method_is_named_with_its_class():
    code = "class Views:\n    async def slow_view(self, request): ...\n"
    verdict = submission_check(
        code=code, checks=[check("async def slow_view(request): ...", inside="module")]
    )
    assert failures(verdict)[0].startswith(
        "Line 2 defines `async def slow_view(self, request)` inside `class Views`; it must be "
        "at the top level of the file."
    )


def test_a_view_that_returns_only_on_some_paths_is_named():
    code = SLOW_VIEW.replace(
        "    return HttpResponse('Done waiting!')",
        "    if request.method == 'POST':\n        return HttpResponse('Done waiting!')",
    )
    verdict = submission_check(code=code, checks=[RETURN_DONE])
    assert failures(verdict) == [
        "`slow_view` returns a value on line 11, but not on every path: when it runs past its "
        "end it returns `None`, and Django refuses a view that returns no response. End it "
        "with a `return`."
    ]


def test_a_return_on_both_branches_is_every_path():
    code = SLOW_VIEW.replace(
        "    return HttpResponse('Done waiting!')",
        "    if request.GET:\n        return HttpResponse('Done waiting!')\n"
        "    else:\n        return HttpResponse('Done waiting!')",
    )
    assert submission_check(code=code, checks=[]).passed


def test_a_typo_where_a_name_is_imported_is_pointed_out():
    code = "import asycio\nasync def slow_view(request):\n    await asyncio.sleep(1)\n"
    message = failures(submission_check(code=code, checks=[]))[0]
    assert "Your code has `asycio` on line 1: a typo for `asyncio`" in message


@pytest.mark.parametrize(
    ("code", "spec"),
    [
        (
            "from django.http.response import HttpResponse",
            check("from django.http import HttpResponse"),
        ),
        ("WAIT_TIME = DEFAULT = 3", check("WAIT_TIME = 3")),
        (
            "from django.http.response import HttpResponse\nimport asyncio\n"
            "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
            "    return HttpResponse(b'Done waiting!')",
            RETURN_DONE,
        ),
    ],
)
def test_other_spellings_of_the_same_thing_are_accepted(code, spec):
    verdict = submission_check(code=code, checks=[spec])
    assert verdict.items[0].passed, verdict.items[0].message


def test_a_setting_hidden_inside_the_view_is_named():
    code = SLOW_VIEW.replace(
        "    await asyncio.sleep(WAIT_TIME)",
        "    WAIT_TIME = 0\n    await asyncio.sleep(WAIT_TIME)",
    )
    assert failures(submission_check(code=code, checks=[])) == [
        "Line 9 sets `WAIT_TIME` inside `slow_view`: that makes a new local `WAIT_TIME` that "
        "hides the one on line 5, so `slow_view` uses this value instead. Set it once, at the "
        "top of the file."
    ]
