"""Proof that a set of checks does what its author meant: every pattern usable, the reference
solution passing, every known mistake caught with the promised message, every Forbid firing on
some known mistake."""

from __future__ import annotations

import re
from collections.abc import Sequence

from checker.check import pattern_problem_details, submission_check
from checker.spec import CheckSpec, Mistake
from checker.verdict import Feedback, Verdict

PATTERN_LINE = re.compile(r" \(pattern line \d+\)")


def failure_summary(verdict: Verdict) -> str:
    messages = [f"[{item.label}] {item.message}" for item in verdict.failures]
    return "; ".join(messages) or "no feedback"


def check_spec_problems(check: CheckSpec) -> list[str]:
    """Why a check cannot be used as written, each as `check 'label': problem`."""
    return [text for _, text in check_spec_problem_lines(check)]


def check_spec_problem_lines(check: CheckSpec) -> list[tuple[int, str]]:
    """Like `check_spec_problems`, each with the file line at fault (the check's heading when
    the lesson reader recorded no better one)."""
    found: list[tuple[int, str]] = []
    for problem in pattern_problem_details(check):
        line = check.line
        message = problem.message
        if isinstance(problem.where, int) and problem.where < len(check.pattern_lines):
            line = check.pattern_lines[problem.where] + (problem.line or 1) - 1
            # The problem's line is the file line now; the pattern's own count is noise.
            message = PATTERN_LINE.sub("", message)
        elif problem.where == "after" and check.after_line:
            line = check.after_line
        elif problem.where == "inside" and check.inside_line:
            line = check.inside_line
        found.append((line, f"check {check.label!r}: {message}"))
    return found


def first_failure(verdict: Verdict) -> Feedback | None:
    return next((item for item in verdict.failures if item.line is not None), None)


def solution_problem(*, checks: Sequence[CheckSpec], solution: str) -> str | None:
    """Why the reference solution fails its checks, or None when it passes."""
    verdict = submission_check(code=solution, checks=checks)
    if verdict.passed:
        return None
    return f"does not pass its checks: {failure_summary(verdict)}"


def solution_verdict(*, checks: Sequence[CheckSpec], solution: str) -> Verdict:
    return submission_check(code=solution, checks=checks)


def mistake_problem(*, checks: Sequence[CheckSpec], mistake: Mistake) -> str | None:
    """Why a known mistake is not caught as promised, or None when it is."""
    verdict = submission_check(code=mistake.code, checks=checks)
    if verdict.passed:
        return "passes the checks; it must fail"
    if any(mistake.message in item.message for item in verdict.failures):
        return None
    return f"no feedback contains {mistake.message!r}; got: {failure_summary(verdict)}"


def forbid_fires(*, check: CheckSpec, mistakes: Sequence[Mistake]) -> bool:
    """Whether a Forbid check catches at least one of the known mistakes."""
    for mistake in mistakes:
        verdict = submission_check(code=mistake.code, checks=[check])
        if any(item.kind == "check" and item.label == check.label for item in verdict.failures):
            return True
    return False
