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
