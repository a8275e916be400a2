"""Proof that a set of checks does what its author meant: every pattern usable, the reference
solution passing, every known mistake caught with the promised message."""

from __future__ import annotations

from collections.abc import Sequence

from checker.check import pattern_problems, submission_check
from checker.spec import CheckSpec, Mistake
from checker.verdict import Verdict


def failure_summary(verdict: Verdict) -> str:
    messages = [f"[{item.label}] {item.message}" for item in verdict.failures]
    return "; ".join(messages) or "no feedback"


def check_spec_problems(check: CheckSpec) -> list[str]:
    """Why a check cannot be used as written, each as `check 'label': problem`."""
    return [f"check {check.label!r}: {problem}" for problem in pattern_problems(check)]


def solution_problem(*, checks: Sequence[CheckSpec], solution: str) -> str | None:
    """Why the reference solution fails its checks, or None when it passes."""
    verdict = submission_check(code=solution, checks=checks)
    if verdict.passed:
        return None
    return f"does not pass its checks: {failure_summary(verdict)}"


def mistake_problem(*, checks: Sequence[CheckSpec], mistake: Mistake) -> str | None:
    """Why a known mistake is not caught as promised, or None when it is."""
    verdict = submission_check(code=mistake.code, checks=checks)
    if verdict.passed:
        return "passes the checks; it must fail"
    if any(mistake.message in item.message for item in verdict.failures):
        return None
    return f"no feedback contains {mistake.message!r}; got: {failure_summary(verdict)}"
