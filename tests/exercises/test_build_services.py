"""The guided build's services, without HTTP."""

from __future__ import annotations

import pytest

from checker import Feedback
from exercises.build.presenters import (
    feedback_present,
    message_html,
    step_solution_reveal,
    verdict_present,
)
from exercises.build.selectors import (
    step_initial_code,
    step_solution_unlocked,
    step_work_get,
    steps_passed,
    steps_progress,
)
from exercises.build.services import (
    NOT_TEXT_MESSAGE,
    refusal_status,
    step_hint_reveal,
    step_submission_record,
    submitted_code_read,
)
from exercises.models import StepAttempt, StepWork
from lessons.checking import step_check
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


def test_solution_diff_ignores_blank_lines_and_trailing_spaces() -> None:
    step = seed().step(4)
    assert step is not None
    # The solution's code, with its blank lines squeezed, doubled and moved, and trailing
    # spaces added: nothing to mark.
    lines = [line for line in step.solution.split("\n") if line.strip()]
    relaid = "\n\n\n".join(line + "   " for line in lines) + "\n\n"
    view = step_solution_reveal(step=step, code=relaid)
    assert view.identical
    assert {line.kind for line in view.diff} == {"same"}
    # Shown as the solution lays it out, blank lines included.
    assert [line.text for line in view.diff] == step.solution.rstrip("\n").split("\n")
    # A real difference is still marked, once, with the solution's layout around it.
    changed = relaid.replace("Done waiting!", "Done!")
    view = step_solution_reveal(step=step, code=changed)
    assert not view.identical
    assert [line.text for line in view.diff if line.kind == "remove"] == [
        "    return HttpResponse('Done!')"
    ]
    assert [line.text for line in view.diff if line.kind == "add"] == [
        "    return HttpResponse('Done waiting!')"
    ]


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


def test_verdict_headline_counts_every_row_shown() -> None:
    lesson = seed()
    code = (
        "import asyncio\nimport requests\n\nWAIT_TIME = 3\n\n\n"
        "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
        "    requests.get('https://example.com')\n"
    )
    view = verdict_present(step_check(lesson=lesson, step_number=3, code=code))
    checks = [item for item in view.items if item.kind == "check"]
    assert all(item.passed for item in checks)
    assert len(view.items) == len(checks) + 1  # the blocking-call diagnostic
    assert view.summary == f"Not yet: {len(checks)} of {len(checks)} checks pass, 1 problem found"
    # Every row is counted: the passing checks, the failing ones and the problems.
    typo = verdict_present(
        step_check(lesson=lesson, step_number=3, code=code.replace("asyncio.sleep", "asycio.sleep"))
    )
    failed_checks = sum(not item.passed for item in typo.items if item.kind == "check")
    problems = sum(not item.passed for item in typo.items if item.kind == "diagnostic")
    assert typo.checks_total + problems == len(typo.items)
    passing = len(checks) - failed_checks
    assert typo.summary.startswith(f"Not yet: {passing} of {len(checks)} checks pass, ")
    assert typo.summary.endswith(f"{problems} problem{'s' if problems > 1 else ''} found")
    step = lesson.step(3)
    assert step is not None
    passed = verdict_present(step_check(lesson=lesson, step_number=3, code=step.solution))
    assert passed.summary == f"Step passed: all {passed.checks_total} checks pass"


@pytest.mark.django_db
def test_a_later_step_that_breaks_an_earlier_one_shows_it_as_passed_before() -> None:
    lesson = seed()
    step1, step2, step3 = lesson.step(1), lesson.step(2), lesson.step(3)
    assert step1 is not None and step2 is not None and step3 is not None
    step_submission_record(learner="L", lesson=lesson, step=step1, code=step1.solution)
    step_submission_record(learner="L", lesson=lesson, step=step2, code=step2.solution)
    progress = steps_progress(learner="L", lesson_slug=lesson.slug)
    assert progress.passing == {1, 2} and not progress.passed_before
    # Step 3's code drops the async def: steps 1 and 2 passed once but do not hold now.
    broken = step2.solution.replace("async def", "def")
    step_submission_record(learner="L", lesson=lesson, step=step3, code=broken)
    progress = steps_progress(learner="L", lesson_slug=lesson.slug)
    assert progress.passing == set() and progress.passed_before == {1, 2}
    assert steps_passed(learner="L", lesson_slug=lesson.slug) == set()
    # Passing stays for keeps (the solution stays unlocked), and fixing the code restores it.
    assert StepWork.objects.get(step_number=1).passed
    step_submission_record(learner="L", lesson=lesson, step=step3, code=step3.solution)
    progress = steps_progress(learner="L", lesson_slug=lesson.slug)
    assert progress.passing == {1, 2, 3} and not progress.passed_before
    # Breaking a step in its own page says the same.
    step_submission_record(learner="L", lesson=lesson, step=step3, code="x = 1\n")
    progress = steps_progress(learner="L", lesson_slug=lesson.slug)
    assert progress.passing == set() and progress.passed_before == {1, 2, 3}


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


def test_code_keeps_string_literals_whole_and_blocks_scroll_by_keyboard() -> None:
    # A short string literal in feedback never breaks in two on a narrow screen.
    html = message_html("Return `HttpResponse('Done waiting!')` after the wait.")
    assert '<span class="code-string">&#x27;Done waiting!&#x27;</span>' in html
    step = seed().step(4)
    assert step is not None
    view = step_solution_reveal(step=step, code="")
    # The solution's block scrolls sideways instead of wrapping, so it can take focus.
    assert '<pre tabindex="0" role="group" aria-label="Reference solution for step 4">' in (
        view.code_html
    )
    # Lesson text too: inline code keeps its strings whole, code blocks scroll.
    assert '<span class="code-string">' in step.instructions_html
