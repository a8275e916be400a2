"""Writes of the guided build: checking and keeping a submission, drafts, hints, starting over.

Every press of "Check" is kept as a `StepAttempt`; the learner's latest code, progress and
hints live in one `StepWork` per step, so a reload, a closed tab or a server restart loses
nothing. Learner code is checked by the structural checker, never executed.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from checker import Verdict
from exercises.build.selectors import step_work_get
from exercises.models import StepAttempt, StepWork
from lessons.checking import step_check
from lessons.types import Lesson, Step

# What the site refuses before the checker sees it: a posted form that is not UTF-8 text.
NOT_TEXT_MESSAGE = (
    "Your code could not be read as text (it is not valid UTF-8). It was not checked. "
    "Copy it from a plain-text editor and try again."
)


NO_CODE_MESSAGE = "No code was sent. Type your code in the editor, then press Check."


@dataclass(frozen=True)
class SubmittedCode:
    """What a post carried in its `code` field, or why it cannot be checked.

    `code` is always what can be shown back in the editor, so that a refused post never
    loses the learner's work."""

    code: str
    problem: str | None = None
    status: int = 200


@dataclass(frozen=True)
class SubmissionResult:
    work: StepWork
    verdict: Verdict
    status: int


def code_normalize(code: str) -> str:
    """Browsers post textareas with CRLF line breaks; keep code with plain newlines."""
    return code.replace("\r\n", "\n").replace("\r", "\n")


def submitted_code_read(*, post: Mapping[str, str], body: bytes | None) -> SubmittedCode:
    """The `code` field of a form post, refusing a body that is not UTF-8.

    Django decodes form posts leniently (bad bytes become U+FFFD), so the raw body is
    decoded strictly here; `body` is None when it cannot be read (multipart posts)."""
    code = code_normalize(post.get("code", ""))
    if body is not None:
        try:
            urllib.parse.parse_qsl(
                body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
            )
        except (UnicodeDecodeError, ValueError):
            return SubmittedCode(code, NOT_TEXT_MESSAGE, 400)
    if "code" not in post:
        return SubmittedCode("", NO_CODE_MESSAGE, 400)
    return SubmittedCode(code)


# Every press of "Check" is kept for instructors, but no more than this many per learner and
# step, so one learner cannot fill the disk.
ATTEMPTS_KEPT_PER_STEP = 50


def step_attempts_trim(*, learner: str, lesson_slug: str, step_number: int) -> int:
    """Keep the latest ATTEMPTS_KEPT_PER_STEP attempts of one learner on one step."""
    attempts = StepAttempt.objects.filter(
        learner=learner, lesson_slug=lesson_slug, step_number=step_number
    )
    old = list(
        attempts.order_by("-created_at", "-pk").values_list("pk", flat=True)[
            ATTEMPTS_KEPT_PER_STEP:
        ]
    )
    if not old:
        return 0
    deleted, _ = StepAttempt.objects.filter(pk__in=old).delete()
    return deleted


def _work_for_update(*, learner: str, lesson: Lesson, step: Step) -> StepWork:
    work = (
        StepWork.objects.for_step(learner=learner, lesson_slug=lesson.slug, step_number=step.number)
        .select_for_update()
        .first()
    )
    if work is None:
        work = step_work_get(learner=learner, lesson=lesson, step=step)
        work.save()
    return work


def refusal_status(code: str) -> int:
    """413 when refused for its size, 400 when it is not text Python could hold."""
    if "\0" in code:
        return 400
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:
        return 400
    return 413


def step_submission_record(
    *, learner: str, lesson: Lesson, step: Step, code: str
) -> SubmissionResult:
    """Check the code, keep the attempt, and save the code and progress.

    A refused submission (too big, not text) is kept as an attempt but does not replace
    the learner's saved code: what they sent is shown back in the editor instead."""
    code = code_normalize(code)
    verdict = step_check(lesson=lesson, step_number=step.number, code=code)
    refused = verdict.status == "refused"
    failed = [item.label for item in verdict.items if not item.passed]
    with transaction.atomic():
        StepAttempt.objects.create(
            learner=learner,
            lesson_slug=lesson.slug,
            step_number=step.number,
            code=_storable(code) if refused else code,
            status=verdict.status,
            passed=verdict.passed,
            failed=failed,
        )
        step_attempts_trim(learner=learner, lesson_slug=lesson.slug, step_number=step.number)
        work = _work_for_update(learner=learner, lesson=lesson, step=step)
        if not refused:
            work.code = code
            work.checks_run += 1
            work.passes_now = verdict.passed
            # Passing is for keeps: later experiments do not take progress away (but
            # `passes_now` says when they break it).
            if verdict.passed and not work.passed:
                work.passed = True
                work.passed_at = timezone.now()
            work.save()
            _earlier_steps_recheck(learner=learner, lesson=lesson, step=step, code=code)
    status = refusal_status(code) if refused else 200
    return SubmissionResult(work=work, verdict=verdict, status=status)


def _earlier_steps_recheck(*, learner: str, lesson: Lesson, step: Step, code: str) -> None:
    """Say whether the code just checked still passes each step passed before it.

    The file grows step by step, so this code carries the earlier steps' code on: when it
    breaks one of them, that step's pill says "passed before" rather than a plain tick."""
    earlier = StepWork.objects.for_lesson(learner=learner, lesson_slug=lesson.slug).filter(
        step_number__lt=step.number, passed=True
    )
    for work in earlier.select_for_update():
        holds = step_check(lesson=lesson, step_number=work.step_number, code=code).passed
        if work.passes_now != holds:
            work.passes_now = holds
            work.save(update_fields=["passes_now", "updated_at"])


def _storable(code: str) -> str:
    """Refused code, cut to something a database accepts and an instructor can read."""
    text = code.encode("utf-8", "replace").decode("utf-8").replace("\0", "\ufffd")
    return text[:2_000]


def step_draft_save(*, learner: str, lesson: Lesson, step: Step, code: str) -> StepWork:
    """Keep unchecked code (sent along with a hint or solution request)."""
    with transaction.atomic():
        work = _work_for_update(learner=learner, lesson=lesson, step=step)
        if work.code != code:
            work.code = code
            work.save(update_fields=["code", "updated_at"])
    return work


def step_hint_reveal(*, learner: str, lesson: Lesson, step: Step) -> StepWork:
    """Show one more hint, up to the last."""
    with transaction.atomic():
        work = _work_for_update(learner=learner, lesson=lesson, step=step)
        if work.hints_shown < len(step.hints_html):
            work.hints_shown += 1
            work.save(update_fields=["hints_shown", "updated_at"])
    return work


def step_reset(*, learner: str, lesson: Lesson, step: Step) -> StepWork:
    """Put the step's starter code back in the editor (progress and hints stay)."""
    with transaction.atomic():
        work = _work_for_update(learner=learner, lesson=lesson, step=step)
        work.code = step.starter
        work.save(update_fields=["code", "updated_at"])
    return work
