"""The demo lab's pages: thin views over demo.forms, demo.runs and demo.selectors."""

from __future__ import annotations

import secrets
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from course.admission import client_key
from course.http import HtmxHttpRequest
from demo.forms import BrowserRunForm, ServerRunForm
from demo.modes import BROWSER_MAX, MODES
from demo.runs import RUNS_PER_CLIENT_MAX, RunProgress, run_fire, run_slots, server_base_url
from lessons.highlight import source_highlight

TEMPLATE = "demo/lab.html"
WS_PATH = "/ws/demo/run/"


def lab_context(**extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "modes": [
            {
                "mode": mode,
                "source": source_highlight(mode.view),
                "path": reverse(mode.url_name),
            }
            for mode in MODES.values()
        ],
        "wait_time": settings.COURSE_WAIT_TIME,
        "browser_max": BROWSER_MAX,
        "server_max": {mode.key: mode.server_max for mode in MODES.values()},
        "browser_form": BrowserRunForm(initial={"mode": "async", "n": BROWSER_MAX}),
        "server_form": ServerRunForm(initial={"mode": "async", "n": 1000}),
        "runs_per_client": RUNS_PER_CLIENT_MAX,
        "ws_path": WS_PATH,
    }
    context.update(extra)
    return context


@require_safe
def lab(request: HtmxHttpRequest) -> HttpResponse:
    return render(request, TEMPLATE, lab_context())


@require_POST
@vary_on_headers("HX-Request")
def browser_run(request: HtmxHttpRequest) -> HttpResponse:
    """The lanes for a browser-fired run: htmx fires one request per lane, all at once."""
    form = BrowserRunForm(request.POST)
    if not form.is_valid():
        template = f"{TEMPLATE}#browser_run" if request.htmx else TEMPLATE
        context = lab_context(browser_form=form, browser_errors=form.errors)
        return render(request, template, context, status=422)
    mode = form.demo_mode
    run_id = secrets.token_hex(6)
    path = reverse(mode.url_name)
    run = {
        "id": run_id,
        "mode": mode,
        "n": form.cleaned_data["n"],
        "prediction": form.cleaned_data["prediction"],
        "sum_of_waits": form.cleaned_data["n"] * settings.COURSE_WAIT_TIME,
        "lanes": [
            {"index": index, "url": f"{path}?run={run_id}&i={index}"}
            for index in range(1, form.cleaned_data["n"] + 1)
        ],
    }
    template = f"{TEMPLATE}#browser_run" if request.htmx else TEMPLATE
    return render(request, template, lab_context(browser_form=form, browser_run=run))


@require_POST
async def server_run(request: HtmxHttpRequest) -> HttpResponse:
    """A server-fired run without JavaScript: fire it, wait for it, show the result page.

    With JavaScript the same run streams over the WebSocket instead (demo.consumers).
    """
    form = ServerRunForm(request.POST)
    if not await sync_to_async(form.is_valid)():
        return await render_async(request, lab_context(server_form=form), status=422)
    client = client_key(request.scope)  # type: ignore[attr-defined]
    ticket = await run_slots.try_take(client, mode=form.demo_mode, n=form.cleaned_data["n"])
    if isinstance(ticket, int):
        response = await render_async(
            request,
            lab_context(server_form=form, server_refused=ticket),
            status=429,
        )
        response.headers["Retry-After"] = str(ticket)
        return response
    try:
        progress: RunProgress = await run_fire(
            mode=form.demo_mode,
            n=form.cleaned_data["n"],
            prediction=form.cleaned_data["prediction"],
            base_url=server_base_url(request.scope),  # type: ignore[attr-defined]
        )
    finally:
        await run_slots.give_back(ticket)
    return await render_async(request, lab_context(server_form=form, server_progress=progress))


async def render_async(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    # Rendering may touch the lazy request.user (the auth context processor): off the loop.
    return await sync_to_async(render)(request, TEMPLATE, context, status=status)
