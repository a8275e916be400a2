"""Whatever text arrives, the checker answers with a verdict and never raises."""

from __future__ import annotations

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import Verdict, submission_check
from tests.factories import check

CHECKS = [
    check("import asyncio"),
    check("async def slow_view(request): ...", inside="module"),
    check("WAIT_TIME = 3", inside="module"),
    check("await asyncio.sleep(WAIT_TIME)", inside="slow_view"),
    check("return HttpResponse(__)", inside="slow_view", after="await asyncio.sleep(__)"),
    check("time.sleep(__)", kind="forbid", inside="async def"),
    check("__.__(__)", kind="forbid", inside="async def"),
    check("__.__(*__, **__)", kind="forbid", inside="def, except"),
    check("await __.aget(pk=__, **__)", alternatives=("await sync_to_async(__)(*__)",)),
    check("x = {'a': __, 'b': __}", count=1),
    check("try:\n    ...\nexcept __ as __:\n    ...", inside="async def"),
    check("for __ in __:\n    ..."),
    check("with __ as __:\n    ...", kind="forbid"),
]
# hypothesmith compiles what it generates; its SyntaxWarnings are not ours.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def assert_sound(verdict: Verdict) -> None:
    assert verdict.status in ("passed", "failed", "syntax_error", "refused")
    assert verdict.passed == all(item.passed for item in verdict.items)
    for item in verdict.items:
        assert item.line is None or item.line >= 1
        assert item.column is None or item.column >= 1
    assert len(verdict.as_json()["feedback"]) == len(verdict.items)
    # A verdict that does not pass always says why.
    assert verdict.passed or verdict.failures


@EXAMPLES
@given(st.text(max_size=400))
def test_any_text_gets_a_verdict(code):
    assert_sound(submission_check(code=code, checks=CHECKS))


@EXAMPLES
@given(st.text(alphabet="()[]{}:=+.,'\"\\\n\t #asyncdefwaitreturn_0123", max_size=300))
def test_python_like_noise_gets_a_verdict(code):
    assert_sound(submission_check(code=code, checks=CHECKS))


@EXAMPLES
@given(hypothesmith.from_grammar())
def test_valid_programs_get_a_verdict(code):
    assert_sound(submission_check(code=code, checks=CHECKS))


ITEMS = [("a", 1), ("b", 2), ("c", "'c'"), ("d", "x.y")]


@EXAMPLES
@given(st.permutations(ITEMS), st.integers(1, 4))
def test_dict_key_order_never_matters(shuffled, size):
    items = ITEMS[:size]
    order = [item for item in shuffled if item in items]
    pattern = "x = {" + ", ".join(f"'{key}': {value}" for key, value in items) + "}"
    code = "x = {" + ", ".join(f"'{key}': {value}" for key, value in order) + "}\n"
    assert submission_check(code=code, checks=[check(pattern)]).passed


@EXAMPLES
@given(st.integers(0, 5), st.integers(0, 5))
def test_star_wildcards_accept_any_number_of_arguments(positional, keywords):
    arguments = [str(n) for n in range(positional)] + [f"k{n}={n}" for n in range(keywords)]
    code = f"def f(*a, **k):\n    pass\n\n\nf({', '.join(arguments)})\n"
    assert submission_check(code=code, checks=[check("f(*__, **__)")]).passed
    only_keywords = submission_check(code=code, checks=[check("f(**__)")]).passed
    assert only_keywords is (positional == 0)
