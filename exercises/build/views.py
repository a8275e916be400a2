"""The guided build's step pages. Each POST answers htmx with fragments of the step page
and a plain form post with the whole page, so the build works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from checker import MAX_SUBMISSION_BYTES
from course.http import HtmxHttpRequest
from course.ratelimits import rate_limited
from exercises.build.presenters import (
    SolutionView,
    VerdictView,
    problem_verdict,
    step_solution_reveal,
    verdict_present,
)
from exercises.build.selectors import (
    lesson_step_get,
    step_solution_unlocked,
    step_work_get,
    steps_progress,
)
from exercises.build.services import (
    SubmittedCode,
    step_draft_save,
    step_hint_reveal,
    step_reset,
    step_submission_record,
    submitted_code_read,
)
from exercises.editor_csp import editor_page
from exercises.learners import learner_id, learner_id_known
from exercises.models import StepWork
from learners.identity import browser_time_zone
from learners.services import activity_record
from lessons.highlight import code_highlight
from lessons.types import Lesson, Step

TEMPLATE = "exercises/step.html"
# Points for a passed step: earned once per step, however often it passes again.
POINTS_PER_STEP = 10


def _lesson_step(request: HttpRequest, slug: str, number: int) -> tuple[Lesson, Step]:
    # Staff may open a draft's steps, as they open its lesson page.
    found = lesson_step_get(slug=slug, number=number, drafts=request.user.is_staff)
    if found is None:
        raise Http404("No such lesson or step.")
    return found


def _submitted(request: HttpRequest) -> SubmittedCode:
    # The raw body can only be re-read for url-encoded posts (htmx and plain forms send
    # those); multipart posts are decoded by Django alone.
    body = request.body if request.content_type == "application/x-www-form-urlencoded" else None
    return submitted_code_read(post=request.POST, body=body)


def _page(
    request: HtmxHttpRequest,
    lesson: Lesson,
    step: Step,
    work: StepWork,
    *,
    code: str | None = None,
    verdict: VerdictView | None = None,
    solution: SolutionView | None = None,
    notice: str = "",
    hint_revealed: bool = False,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    progress = steps_progress(learner=learner_id_known(request), lesson_slug=lesson.slug)
    passed = progress.passing
    number = step.number
    urls = {
        name: reverse(f"exercises:{name}", args=[lesson.slug, number])
        for name in (
            "step",
            "step_check",
            "step_hint",
            "step_solution",
            "step_reset",
            "step_draft",
        )
    }
    is_last = number == max(s.number for s in lesson.steps)
    context: dict[str, Any] = {
        "lesson": lesson,
        "step": step,
        "work": work,
        "code": work.code if code is None else code,
        "passed": passed,
        "passed_count": len(passed),
        "passed_before": progress.passed_before,
        "total": len(lesson.steps),
        "previous_step": lesson.step(number - 1),
        "next_step": lesson.step(number + 1),
        "is_last": is_last,
        "finished_html": (
            code_highlight(work.code, label="Your finished code") if is_last and work.passed else ""
        ),
        "hints": list(enumerate(step.hints_html[: work.hints_shown], start=1)),
        "hint_revealed": hint_revealed,
        "solution_unlocked": step_solution_unlocked(work),
        "solution": solution,
        "verdict": verdict,
        "notice": notice,
        "urls": urls,
        "max_post_bytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        "max_code_bytes": f"{MAX_SUBMISSION_BYTES:,}",
        "max_draft_bytes": MAX_SUBMISSION_BYTES,
    }
    template = f"{TEMPLATE}#{partial}" if partial and request.htmx else TEMPLATE
    return render(request, template, context, status=status)


@editor_page
@require_safe
def step_detail(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, step = _lesson_step(request, slug, number)
    work = step_work_get(learner=learner_id_known(request), lesson=lesson, step=step)
    return _page(request, lesson, step, work)


@editor_page
@require_POST
@rate_limited("check")
@vary_on_headers("HX-Request")
def step_submit(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, step = _lesson_step(request, slug, number)
    learner = learner_id(request)
    submitted = _submitted(request)
    if submitted.problem:
        work = step_work_get(learner=learner, lesson=lesson, step=step)
        return _page(
            request,
            lesson,
            step,
            work,
            code=submitted.code,
            verdict=problem_verdict(submitted.problem),
            partial="check_result",
            status=submitted.status,
        )
    result = step_submission_record(learner=learner, lesson=lesson, step=step, code=submitted.code)
    if result.verdict.passed:
        # A pass makes today a day of the streak (every pass, not only the first).
        activity_record(
            learner=learner,
            kind="step_passed",
            key=f"step:{lesson.slug}:{step.number}",
            points=POINTS_PER_STEP,
            time_zone=browser_time_zone(request),
        )
    response = _page(
        request,
        lesson,
        step,
        result.work,
        code=submitted.code,
        verdict=verdict_present(result.verdict),
        partial="check_result",
        status=result.status,
    )
    if result.retry_after is not None:
        response.headers["Retry-After"] = str(result.retry_after)
    return response


@editor_page
@require_POST
@rate_limited("hint")
@vary_on_headers("HX-Request")
def step_hint(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, step = _lesson_step(request, slug, number)
    learner = learner_id(request)
    submitted = _submitted(request)
    if not submitted.problem:
        step_draft_save(learner=learner, lesson=lesson, step=step, code=submitted.code)
    work = step_hint_reveal(learner=learner, lesson=lesson, step=step)
    return _page(
        request,
        lesson,
        step,
        work,
        code=submitted.code if "code" in request.POST else None,
        hint_revealed=True,
        partial="hints",
    )


@editor_page
@require_POST
@rate_limited("hint")
@vary_on_headers("HX-Request")
def step_solution(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, step = _lesson_step(request, slug, number)
    learner = learner_id(request)
    submitted = _submitted(request)
    if submitted.problem:
        work = step_work_get(learner=learner, lesson=lesson, step=step)
        code = work.code
    else:
        work = step_draft_save(learner=learner, lesson=lesson, step=step, code=submitted.code)
        code = submitted.code
    if not step_solution_unlocked(work):
        return _page(request, lesson, step, work, code=code, partial="solution", status=403)
    solution = step_solution_reveal(step=step, code=code)
    return _page(request, lesson, step, work, code=code, solution=solution, partial="solution")


@require_POST
@rate_limited("draft")
def step_draft(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    """Keep code typed but not checked yet (the editor posts it when typing pauses)."""
    lesson, step = _lesson_step(request, slug, number)
    submitted = _submitted(request)
    if submitted.problem:
        return HttpResponse(submitted.problem, status=submitted.status, content_type="text/plain")
    if len(submitted.code.encode("utf-8", "replace")) > MAX_SUBMISSION_BYTES:
        return HttpResponse(
            f"This draft is larger than the {MAX_SUBMISSION_BYTES:,} bytes a step accepts; "
            "it was not saved.",
            status=413,
            content_type="text/plain",
        )
    step_draft_save(learner=learner_id(request), lesson=lesson, step=step, code=submitted.code)
    return HttpResponse(status=204)


@require_POST
@rate_limited("hint")
@vary_on_headers("HX-Request")
def step_start_over(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson, step = _lesson_step(request, slug, number)
    learner = learner_id(request)
    if request.POST.get("confirm") != "yes":
        # Without JavaScript there is no confirm dialog: keep what was typed, then ask.
        submitted = _submitted(request)
        work = step_work_get(learner=learner, lesson=lesson, step=step)
        if not submitted.problem:
            work = step_draft_save(learner=learner, lesson=lesson, step=step, code=submitted.code)
        return render(
            request,
            "exercises/step_start_over.html",
            {
                "lesson": lesson,
                "step": step,
                "work": work,
                "urls": {
                    "step": reverse("exercises:step", args=[lesson.slug, step.number]),
                    "step_reset": reverse("exercises:step_reset", args=[lesson.slug, step.number]),
                },
            },
        )
    work = step_reset(learner=learner, lesson=lesson, step=step)
    return _page(
        request,
        lesson,
        step,
        work,
        notice=f"The editor holds the starter code of step {step.number} again.",
        partial="reset_result",
    )
