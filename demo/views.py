"""The demo lab's pages: thin views over demo.forms, demo.runs, demo.explain and demo.history."""

from __future__ import annotations

import secrets
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from course.admission import client_key
from course.http import HtmxHttpRequest
from course.ratelimits import rate_limited
from demo.explain import RunFacts, run_explain
from demo.forms import BrowserRecordForm, BrowserRunForm, ServerRunForm
from demo.history import history_for_page, run_record
from demo.modes import BROWSER_MAX, MODES, SEED_LESSON, WORKERS_DEFAULT, modes_for_lesson
from demo.runs import (
    RUNS_PER_CLIENT_MAX,
    RunProgress,
    progress_facts,
    run_fire,
    run_slots,
    server_base_url,
)
from exercises.learners import learner_id, learner_id_known
from lessons.highlight import source_highlight
from lessons.selectors import lesson_get

TEMPLATE = "demo/lab.html"
WS_PATH = "/ws/demo/run/"


def lesson_requested(request: HttpRequest) -> str:
    """The lesson whose demo views the lab shows: `?lesson=<slug>` (or the form's), else the
    seed's. An unknown or view-less lesson is a 404, not a lab with nothing to run."""
    slug = request.POST.get("lesson") or request.GET.get("lesson") or SEED_LESSON
    if not modes_for_lesson(slug):
        raise Http404("That lesson has no demo views.")
    return slug


def lab_context(*, lesson: str, learner: str | None, **extra: Any) -> dict[str, Any]:
    modes = modes_for_lesson(lesson)
    found = lesson_get(slug=lesson)
    context: dict[str, Any] = {
        "lesson_slug": lesson,
        "lesson_title": found.title if found else lesson,
        "modes": [
            {
                "mode": mode,
                "source": None if mode.same_view_as else source_highlight(*mode.helpers, mode.view),
                "same_as": MODES.get(mode.same_view_as),
                "path": reverse(mode.url_name),
            }
            for mode in modes
        ],
        "lean_modes": [mode for mode in modes if not mode.full_stack],
        "full_stack_modes": [mode for mode in modes if mode.full_stack],
        "wait_time": settings.COURSE_WAIT_TIME,
        "browser_max": BROWSER_MAX,
        "browser_form": BrowserRunForm(
            initial={"mode": "async", "n": BROWSER_MAX, "workers": WORKERS_DEFAULT},
            lesson=lesson,
        ),
        "server_form": ServerRunForm(
            initial={"mode": "async", "n": 1000, "workers": WORKERS_DEFAULT}, lesson=lesson
        ),
        "runs_per_client": RUNS_PER_CLIENT_MAX,
        "ws_path": WS_PATH,
        "next_steps": {
            "lesson": reverse("lessons:detail", args=[lesson]),
            "practice": reverse("exercises:practice", args=[lesson]),
            "test": reverse("exercises:test", args=[lesson]),
        }
        if found
        else None,
        **history_for_page(learner_id=learner, lesson=lesson),
    }
    context.update(extra)
    return context


@require_safe
def lab(request: HtmxHttpRequest) -> HttpResponse:
    lesson = lesson_requested(request)
    # Made here, not at the first run: a run streamed over the WebSocket cannot set a cookie,
    # so the learner's id must exist before the socket opens for their runs to be kept.
    learner = learner_id(request)
    return render(request, TEMPLATE, lab_context(lesson=lesson, learner=learner))


@require_POST
@rate_limited("demo")
@vary_on_headers("HX-Request")
def browser_run(request: HtmxHttpRequest) -> HttpResponse:
    """The lanes for a browser-fired run: htmx fires one request per lane, all at once."""
    lesson = lesson_requested(request)
    form = BrowserRunForm(request.POST, lesson=lesson)
    template = f"{TEMPLATE}#browser_run" if request.htmx else TEMPLATE
    learner = learner_id_known(request)
    if not form.is_valid():
        context = lab_context(
            lesson=lesson, learner=learner, browser_form=form, browser_errors=form.errors
        )
        return render(request, template, context, status=422)
    mode = form.demo_mode
    run_id = secrets.token_hex(6)
    path = reverse(mode.url_name)
    workers = (form.cleaned_data["workers"] or WORKERS_DEFAULT) if mode.pooled else None
    query = f"&workers={workers}" if workers else ""
    run = {
        "id": run_id,
        "mode": mode,
        "n": form.cleaned_data["n"],
        "workers": workers,
        "prediction": form.cleaned_data["prediction"],
        "sum_of_waits": form.cleaned_data["n"] * settings.COURSE_WAIT_TIME if mode.waits else None,
        "lanes": [
            {"index": index, "url": f"{path}?run={run_id}&i={index}{query}"}
            for index in range(1, form.cleaned_data["n"] + 1)
        ],
    }
    context = lab_context(lesson=lesson, learner=learner, browser_form=form, browser_run=run)
    return render(request, template, context)


@require_POST
@rate_limited("demo")
@vary_on_headers("HX-Request")
def browser_record(request: HtmxHttpRequest) -> HttpResponse:
    """A browser-fired run is over: keep it, and answer with its explanation and the charts."""
    form = BrowserRecordForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "Those measurements were not understood: "
            + "; ".join(
                f"{field}: {' '.join(map(str, errors))}" for field, errors in form.errors.items()
            ),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = form.cleaned_data
    lesson = data["lesson"] or SEED_LESSON
    mode = form.demo_mode
    warning = data["warning"].strip()
    facts = RunFacts(
        mode=mode,
        n=data["n"],
        wait=settings.COURSE_WAIT_TIME,
        elapsed=data["elapsed"],
        prediction=data["prediction"],
        threads_served=data["threads"],
        workers=(data["workers"] or WORKERS_DEFAULT) if mode.pooled else None,
        errors=data["failed"] or 0,
        warnings={warning: data["warned"] or 1} if warning else None,
    )
    learner = learner_id(request)
    run_record(learner_id=learner, lesson=lesson, fired_from="browser", facts=facts)
    context = {
        "explanation": run_explain(facts),
        "oob": True,
        "lesson_slug": lesson,
        **history_for_page(learner_id=learner, lesson=lesson),
    }
    if not request.htmx:
        return render(request, TEMPLATE, lab_context(lesson=lesson, learner=learner, **context))
    # The explanation replaces the run's placeholder; the redrawn history swaps in out of band.
    explained = render_to_string(f"{TEMPLATE}#browser_explained", context, request=request)
    history = render_to_string(f"{TEMPLATE}#history", context, request=request)
    return HttpResponse(explained + history)


@require_POST
@rate_limited("demo")
async def server_run(request: HtmxHttpRequest) -> HttpResponse:
    """A server-fired run without JavaScript: fire it, wait for it, show the result page.

    With JavaScript the same run streams over the WebSocket instead (demo.consumers).
    """
    lesson = lesson_requested(request)
    learner = await sync_to_async(learner_id)(request)
    form = ServerRunForm(request.POST, lesson=lesson)
    if not await sync_to_async(form.is_valid)():
        context = await sync_to_async(lab_context)(lesson=lesson, learner=learner, server_form=form)
        return await render_async(request, context, status=422)
    client = client_key(request.scope)  # type: ignore[attr-defined]
    ticket = await run_slots.try_take(client, mode=form.demo_mode, n=form.cleaned_data["n"])
    if isinstance(ticket, int):
        context = await sync_to_async(lab_context)(
            lesson=lesson, learner=learner, server_form=form, server_refused=ticket
        )
        response = await render_async(request, context, status=429)
        response.headers["Retry-After"] = str(ticket)
        return response
    try:
        progress: RunProgress = await run_fire(
            mode=form.demo_mode,
            n=form.cleaned_data["n"],
            prediction=form.cleaned_data["prediction"],
            predicted_threads=form.cleaned_data["predicted_threads"],
            workers=form.cleaned_data["workers"],
            base_url=server_base_url(request.scope),  # type: ignore[attr-defined]
        )
    finally:
        await run_slots.give_back(ticket)
    facts = progress_facts(progress)
    await sync_to_async(run_record)(
        learner_id=learner, lesson=lesson, fired_from="server", facts=facts
    )
    context = await sync_to_async(lab_context)(
        lesson=lesson,
        learner=learner,
        server_form=form,
        server_progress=progress,
        server_explanation=run_explain(facts),
    )
    return await render_async(request, context)


async def render_async(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    # Rendering may touch the lazy request.user (the auth context processor): off the loop.
    return await sync_to_async(render)(request, TEMPLATE, context, status=status)
