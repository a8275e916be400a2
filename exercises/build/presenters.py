"""How the step page shows a verdict, a checker message and the solution.

Checker messages are plain text with `code` spans; here they become escaped HTML, each
feedback item gets its "Line N" link, and the solution is diffed against the learner's code.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from typing import Literal

from django.utils.safestring import SafeString, mark_safe

from checker import Feedback, Verdict
from exercises.build.services import code_normalize
from lessons.highlight import code_highlight, inline_code_strings
from lessons.types import Step


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
    # Rows that are not the lesson's checks but failed (the checker's own diagnostics,
    # such as a blocking call), so the headline's counts match the list below it.
    problems: int = 0

    @property
    def summary(self) -> str:
        """The headline with counts that add up to the rows shown ("Not yet: 5 of 5 checks
        pass, 1 problem found")."""
        if self.passed:
            return f"{self.headline}: all {_checks(self.checks_total)} pass"
        parts = []
        if self.checks_total:
            parts.append(f"{self.checks_passed} of {_checks(self.checks_total)} pass")
        if self.problems:
            parts.append(f"{self.problems} problem{'' if self.problems == 1 else 's'} found")
        return f"{self.headline}: {', '.join(parts)}" if parts else self.headline


def _checks(count: int) -> str:
    return f"{count} check{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "add", "remove"]
    text: str


@dataclass(frozen=True)
class SolutionView:
    code_html: SafeString
    diff: tuple[DiffLine, ...]
    identical: bool


def step_solution_reveal(*, step: Step, code: str) -> SolutionView:
    """The reference solution, highlighted, and how the learner's code differs from it.

    Only lines of code count: trailing spaces and blank lines (how many, and where) are
    layout, not a difference, so the diff shows the solution's blank lines and marks only
    lines whose code differs."""
    mine = [line.rstrip() for line in code_normalize(code).split("\n") if line.strip()]
    solution = [line.rstrip() for line in step.solution.rstrip("\n").split("\n")]
    # Where each non-blank solution line sits, to put the solution's blank lines back.
    where = [index for index, line in enumerate(solution) if line.strip()]
    wanted = [solution[index] for index in where]
    diff: list[DiffLine] = []
    shown = -1  # the last solution line shown

    def solution_line(number: int, kind: Literal["same", "add"]) -> None:
        nonlocal shown
        diff.extend(DiffLine("same", "") for _ in range(shown + 1, where[number]))
        diff.append(DiffLine(kind, solution[where[number]]))
        shown = where[number]

    matcher = difflib.SequenceMatcher(None, mine, wanted, autojunk=False)
    for tag, mine_from, mine_to, wanted_from, wanted_to in matcher.get_opcodes():
        diff.extend(DiffLine("remove", line) for line in mine[mine_from:mine_to] if tag != "equal")
        for number in range(wanted_from, wanted_to):
            solution_line(number, "same" if tag == "equal" else "add")
    return SolutionView(
        code_html=code_highlight(step.solution, label=f"Reference solution for step {step.number}"),
        diff=tuple(diff),
        identical=mine == wanted,
    )


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def message_html(message: str) -> SafeString:
    """Checker messages are plain text with `code` spans: escape all, then mark the spans."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(message):
        parts.append(html.escape(message[position : match.start()]))
        parts.append(f"<code>{inline_code_strings(html.escape(match.group(1)))}</code>")
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
    problems = sum(not item.passed for item in items if item.kind == "diagnostic")
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
        problems=problems,
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
