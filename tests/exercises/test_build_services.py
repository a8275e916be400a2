"""The guided build's services, without HTTP."""

from __future__ import annotations

import pytest

from checker import Feedback
from exercises.build.presenters import feedback_present, message_html, step_solution_reveal
from exercises.build.selectors import step_initial_code, step_solution_unlocked, step_work_get
from exercises.build.services import (
    NOT_TEXT_MESSAGE,
    refusal_status,
    step_hint_reveal,
    step_submission_record,
    submitted_code_read,
)
from exercises.models import StepAttempt, StepWork
from lessons.selectors import lesson_get
from lessons.types import Lesson


def seed() -> Lesson:
    lesson = lesson_get(slug="why-async-matters")
    assert lesson is not None
    return lesson


def test_message_html_escapes_text_and_marks_code_spans() -> None:
    assert message_html("Use `<b>` & `a<b` <i>now</i>") == (
        "Use <code>&lt;b&gt;</code> &amp; <code>a&lt;b</code> &lt;i&gt;now&lt;/i&gt;"
    )
    assert message_html("an odd ` backtick") == "an odd ` backtick"


def test_feedback_line_lead_becomes_the_link_text() -> None:
    syntax = feedback_present(
        Feedback("Syntax error", False, "Line 2: a colon is missing.", 2, 29, "syntax")
    )
    assert syntax.line_text == "Line 2, column 29"
    assert syntax.message_html == ": a colon is missing."
    check = feedback_present(Feedback("x", False, "Line 6 calls `f`.", 6, 5, "check"))
    assert check.line_text == "Line 6" and check.message_html == " calls <code>f</code>."
    other = feedback_present(Feedback("x", False, "Add it.", 3, None, "check"))
    assert other.line_text == "Line 3" and other.message_html == ": Add it."
    passed = feedback_present(Feedback("`asyncio` is imported", True, "", 1, None, "check"))
    assert passed.label_html == "<code>asyncio</code> is imported" and passed.message_html == ""


def test_submitted_code_read() -> None:
    assert submitted_code_read(post={"code": "a\r\nb"}, body=b"code=a%0D%0Ab").code == "a\nb"
    bad = submitted_code_read(post={"code": "\ufffd"}, body=b"code=%FF")
    assert bad.problem == NOT_TEXT_MESSAGE and bad.status == 400 and bad.code == "\ufffd"
    assert submitted_code_read(post={}, body=b"").status == 400


def test_refusal_status() -> None:
    assert refusal_status("x" * 30_000) == 413
    assert refusal_status("x\0") == 400
    assert refusal_status("\udc80") == 400


def test_solution_diff_marks_lines_of_each_side() -> None:
    step = seed().step(1)
    assert step is not None
    view = step_solution_reveal(step=step, code="import asyncio\nx = 1\n")
    kinds = {(line.kind, line.text) for line in view.diff}
    assert ("same", "import asyncio") in kinds
    assert ("remove", "x = 1") in kinds
    assert ("add", "async def slow_view(request):") in kinds
    assert not view.identical
    assert step_solution_reveal(step=step, code=step.solution + "\n").identical


@pytest.mark.django_db
def test_submission_is_recorded_and_passing_is_kept() -> None:
    lesson = seed()
    step = lesson.step(1)
    assert step is not None
    result = step_submission_record(learner="L", lesson=lesson, step=step, code=step.solution)
    assert result.verdict.passed and result.status == 200 and result.work.passed
    later = step_submission_record(learner="L", lesson=lesson, step=step, code="x = 1\n")
    assert not later.verdict.passed
    work = StepWork.objects.get()
    assert work.passed and work.code == "x = 1\n" and work.checks_run == 2
    assert StepAttempt.objects.count() == 2
    assert step_solution_unlocked(work)


@pytest.mark.django_db
def test_refused_code_is_recorded_but_not_saved() -> None:
    lesson = seed()
    step = lesson.step(1)
    assert step is not None
    result = step_submission_record(learner="L", lesson=lesson, step=step, code="x" * 30_000)
    assert result.status == 413 and result.verdict.status == "refused"
    assert result.work.code == step.starter and result.work.checks_run == 0
    attempt = StepAttempt.objects.get()
    assert attempt.status == "refused" and len(attempt.code) <= 2_000


@pytest.mark.django_db
def test_hints_stop_at_the_last_and_next_step_starts_from_own_code() -> None:
    lesson = seed()
    step1, step2 = lesson.step(1), lesson.step(2)
    assert step1 is not None and step2 is not None
    for _ in range(5):
        work = step_hint_reveal(learner="L", lesson=lesson, step=step1)
    assert work.hints_shown == len(step1.hints_html)
    assert step_initial_code(learner="L", lesson=lesson, step=step2) == step1.starter
    step_submission_record(learner="L", lesson=lesson, step=step1, code="import asyncio\n")
    assert step_initial_code(learner="L", lesson=lesson, step=step2) == "import asyncio\n"
    unsaved = step_work_get(learner="someone-else", lesson=lesson, step=step2)
    assert unsaved.pk is None and unsaved.code == step2.starter
