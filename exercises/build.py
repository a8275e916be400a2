"""The guided build: a learner's code for each step, its checks, hints and the solution.

Every press of "Check" is kept as a `StepAttempt`; the learner's latest code, progress and
hints live in one `StepWork` per step, so a reload, a closed tab or a server restart loses
nothing. Learner code is checked by `exercises.services.step_check`, never executed.
"""

from __future__ import annotations

import difflib
import html
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from exercises.checker import Feedback, Verdict
from exercises.models import StepAttempt, StepWork
from exercises.services import step_check
from lessons.selectors import lesson_get
from lessons.types import Lesson, Step

# The reference solution unlocks after the step passes or after this many checks that
# did not pass: enough to have tried, not so many that a stuck learner gives up.
SOLUTION_AFTER_FAILED_CHECKS = 3

# What the site refuses before the checker sees it: a posted form that is not UTF-8 text.
NOT_TEXT_MESSAGE = (
    "Your code could not be read as text (it is not valid UTF-8). It was not checked. "
    "Copy it from a plain-text editor and try again."
)
NO_CODE_MESSAGE = "No code was sent. Type your code in the editor, then press Check."


@dataclass(frozen=True)
class FeedbackItem:
    """One feedback line. When it points at a line, `line_text` ("Line 4, column 12") is
    shown as a link to that line, and `message_html` carries on from it."""

    label_html: SafeString
    passed: bool
    message_html: SafeString
    line: int | None
    column: int | None
    kind: str
    line_text: str = ""


@dataclass(frozen=True)
class VerdictView:
    """A verdict as the step page shows it."""

    status: str
    passed: bool
    headline: str
    items: tuple[FeedbackItem, ...]
    checks_passed: int
    checks_total: int


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "add", "remove"]
    text: str


@dataclass(frozen=True)
class SolutionView:
    code_html: SafeString
    diff: tuple[DiffLine, ...]
    identical: bool


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


def lesson_step_get(*, slug: str, number: int) -> tuple[Lesson, Step] | None:
    lesson = lesson_get(slug=slug)
    if lesson is None:
        return None
    step = lesson.step(number)
    if step is None:
        return None
    return lesson, step


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


def step_initial_code(*, learner: str | None, lesson: Lesson, step: Step) -> str:
    """Where a step starts: the learner's own code of the step before, else the starter."""
    if learner is not None and step.number > 1:
        previous = (
            StepWork.objects.filter(
                learner=learner, lesson_slug=lesson.slug, step_number__lt=step.number
            )
            .exclude(code="")
            .order_by("-step_number")
            .values_list("code", flat=True)
            .first()
        )
        if previous is not None:
            return previous
    return step.starter


def step_work_get(*, learner: str | None, lesson: Lesson, step: Step) -> StepWork:
    """The learner's work on a step; unsaved and starting afresh when there is none yet."""
    if learner is not None:
        work = StepWork.objects.filter(
            learner=learner, lesson_slug=lesson.slug, step_number=step.number
        ).first()
        if work is not None:
            return work
    return StepWork(
        learner=learner or "",
        lesson_slug=lesson.slug,
        step_number=step.number,
        code=step_initial_code(learner=learner, lesson=lesson, step=step),
    )


def _work_for_update(*, learner: str, lesson: Lesson, step: Step) -> StepWork:
    work = (
        StepWork.objects.select_for_update()
        .filter(learner=learner, lesson_slug=lesson.slug, step_number=step.number)
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
        work = _work_for_update(learner=learner, lesson=lesson, step=step)
        if not refused:
            work.code = code
            work.checks_run += 1
            # Passing is for keeps: later experiments do not take progress away.
            if verdict.passed and not work.passed:
                work.passed = True
                work.passed_at = timezone.now()
            work.save()
    status = refusal_status(code) if refused else 200
    return SubmissionResult(work=work, verdict=verdict, status=status)


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


def step_solution_unlocked(work: StepWork) -> bool:
    # Passing is sticky, so every check of a step that has not passed has failed.
    return work.passed or work.checks_run >= SOLUTION_AFTER_FAILED_CHECKS


def step_solution_reveal(*, step: Step, code: str) -> SolutionView:
    """The reference solution, highlighted, and how the learner's code differs from it."""
    mine = code_normalize(code).rstrip("\n").split("\n")
    solution = step.solution.rstrip("\n").split("\n")
    diff: list[DiffLine] = []
    # All lines as context: step files are short, and the whole file reads best.
    context = max(len(mine), len(solution))
    for line in difflib.unified_diff(mine, solution, lineterm="", n=context):
        if line.startswith(("---", "+++", "@@")):
            continue
        marker, text = line[:1], line[1:]
        kind: Literal["same", "add", "remove"] = (
            "add" if marker == "+" else "remove" if marker == "-" else "same"
        )
        diff.append(DiffLine(kind, text))
    return SolutionView(
        code_html=code_highlight(step.solution),
        diff=tuple(diff),
        identical=mine == solution,
    )


def code_highlight(code: str) -> SafeString:
    html_text: str = highlight(code, PythonLexer(), HtmlFormatter(cssclass="highlight"))
    return mark_safe(html_text)  # Pygments escapes the source


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def message_html(message: str) -> SafeString:
    """Checker messages are plain text with `code` spans: escape all, then mark the spans."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(message):
        parts.append(html.escape(message[position : match.start()]))
        parts.append(f"<code>{html.escape(match.group(1))}</code>")
        position = match.end()
    parts.append(html.escape(message[position:]))
    return mark_safe("".join(parts))  # every piece is escaped above


# The checker's messages often open with the line they concern ("Line 6 calls ...").
_LINE_LEAD = re.compile(r"Line (\d+)(?:, column \d+)?")


def feedback_present(item: Feedback) -> FeedbackItem:
    message = item.message
    line_text = ""
    if item.line:
        line_text = f"Line {item.line}"
        if item.kind == "syntax" and item.column:
            line_text += f", column {item.column}"
        lead = _LINE_LEAD.match(message)
        if lead and int(lead.group(1)) == item.line:
            message = message[lead.end() :]
        elif message:
            message = ": " + message
    return FeedbackItem(
        label_html=message_html(item.label),
        passed=item.passed,
        message_html=message_html(message),
        line=item.line,
        column=item.column,
        kind=item.kind,
        line_text=line_text,
    )


def verdict_present(verdict: Verdict) -> VerdictView:
    items = tuple(feedback_present(item) for item in verdict.items)
    checks = [item for item in items if item.kind == "check"]
    checks_passed = sum(item.passed for item in checks)
    if verdict.status == "passed":
        headline = "Step passed"
    elif verdict.status == "syntax_error":
        headline = "Python cannot read this code yet"
    elif verdict.status == "refused":
        headline = "Your code was not checked"
    else:
        headline = "Not yet"
    return VerdictView(
        status=verdict.status,
        passed=verdict.passed,
        headline=headline,
        items=items,
        checks_passed=checks_passed,
        checks_total=len(checks),
    )


def problem_verdict(message: str) -> VerdictView:
    """A refusal made before the checker ran (a post that is not text, or no code)."""
    item = FeedbackItem(
        label_html=message_html("Not checked"),
        passed=False,
        message_html=message_html(message),
        line=None,
        column=None,
        kind="refused",
    )
    return VerdictView(
        status="refused",
        passed=False,
        headline="Your code was not checked",
        items=(item,),
        checks_passed=0,
        checks_total=0,
    )
