"""One code check for an outside client, as one JSON object: what `manage.py check_code`
prints and what `POST /api/lessons/<slug>/steps/<n>/check/` answers, built here for both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from checker import MAX_SUBMISSION_BYTES
from exercises.check_pool import step_check_pooled
from lessons.checking import step_check
from lessons.selectors import lesson_current_get, lesson_get
from lessons.types import Lesson

# passed and failed are verdicts; the others refuse: the lesson or step does not exist, the
# code is over the size limit, or it is not text the checker takes.
Outcome = Literal["passed", "failed", "not_found", "too_big", "refused"]


@dataclass(frozen=True)
class CodeCheck:
    outcome: Outcome
    report: dict[str, Any]


@dataclass(frozen=True)
class CheckTarget:
    lesson: Lesson
    step_number: int

    @property
    def head(self) -> dict[str, Any]:
        return {"lesson": self.lesson.slug, "step": self.step_number}


def code_check_refusal(head: dict[str, Any], outcome: Outcome, message: str) -> CodeCheck:
    report = {**head, "passed": False, "status": "refused", "error": message, "feedback": []}
    return CodeCheck(outcome, report)


def code_check_target(*, slug: str, step: str, current: bool = False) -> CheckTarget | CodeCheck:
    """The lesson step to check against, or the refusal naming what does not exist.

    The site checks against the version it serves (the last good one); `current` takes the
    file as it is now, valid or not, as the command line does for instructors."""
    head: dict[str, Any] = {"lesson": slug, "step": step}
    lesson = lesson_current_get(slug=slug) if current else lesson_get(slug=slug)
    if lesson is None:
        return code_check_refusal(head, "not_found", f"There is no lesson {slug!r}.")
    # ASCII digits only: str.isdigit() also accepts "١" and "²".
    step_number = int(step) if step.isascii() and step.isdigit() else None
    if step_number is None or lesson.step(step_number) is None:
        numbers = ", ".join(str(each.number) for each in lesson.steps)
        return code_check_refusal(
            head, "not_found", f"Lesson {slug!r} has no step {step!r}; its steps are {numbers}."
        )
    return CheckTarget(lesson, step_number)


def code_check_report(*, target: CheckTarget, code: bytes | str, pooled: bool = False) -> CodeCheck:
    """Check `code` (UTF-8 bytes or text) against the target step; the verdict as JSON.

    `pooled` checks in the site's worker processes (a request of the HTTP API); the command
    line checks in its own process."""
    head = target.head
    size = len(code) if isinstance(code, bytes) else len(code.encode("utf-8", "surrogatepass"))
    if size > MAX_SUBMISSION_BYTES:
        return code_check_refusal(
            head, "too_big", f"Your code is over the limit of {MAX_SUBMISSION_BYTES:,} bytes."
        )
    if isinstance(code, bytes):
        try:
            code = code.decode("utf-8")
        except UnicodeDecodeError as error:
            return code_check_refusal(
                head,
                "refused",
                f"The input is not UTF-8 text (byte {error.start:,} cannot be decoded).",
            )
    check = step_check_pooled if pooled else step_check
    verdict = check(lesson=target.lesson, step_number=target.step_number, code=code)
    report = {**head, **verdict.as_json()}
    if verdict.status == "refused":
        report["error"] = verdict.items[0].message
        return CodeCheck("refused", report)
    return CodeCheck("passed" if verdict.passed else "failed", report)
