"""The site's own pages, where lesson content meets the learner's progress: the catalogue and
each lesson's page. (Pages of one kind of learner work live with it, under `exercises/`.)"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from exercises.build.selectors import steps_progress
from exercises.learners import learner_id_known
from exercises.modes.selectors import mode_cards
from exercises.progress import lesson_progress, lessons_progress
from lessons.selectors import lesson_get, lesson_problems_for, lesson_problems_list, lessons_list


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    cards = lessons_progress(learner=learner_id_known(request), lessons=lessons_list())
    problems = lesson_problems_list() if request.user.is_staff else []
    return render(request, "lessons/catalogue.html", {"cards": cards, "problems": problems})


@require_safe
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = lesson_get(slug=slug)
    if lesson is None:
        raise Http404("No lesson with that name.")
    learner = learner_id_known(request)
    progress = lesson_progress(learner=learner, lesson=lesson)
    # What holds for the latest code (a step passed before may be broken by later code).
    steps = steps_progress(learner=learner, lesson_slug=lesson.slug)
    problems = lesson_problems_for(slug=slug) if request.user.is_staff else []
    return render(
        request,
        "lessons/lesson.html",
        {
            "lesson": lesson,
            "progress": progress,
            "passed": steps.passing,
            "passed_count": len(steps.passing),
            "passed_before": steps.passed_before,
            "passed_key": f"{progress.key}:{steps.key}",
            "problems": problems,
            "modes": mode_cards(lesson=lesson, learner=learner, stage=progress.stage),
        },
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page for load balancers, and the baseline the page bench compares against:
    the same stack (middleware, sessions, routing) with no work of its own."""
    return HttpResponse("ok", content_type="text/plain")
