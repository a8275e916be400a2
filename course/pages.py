"""The site's own pages, where lesson content meets the learner's progress: the catalogue and
each lesson's page. (Pages of one kind of learner work live with it, under `exercises/`.)"""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from demo.modes import lessons_with_modes
from exercises.build.selectors import steps_progress
from exercises.learners import learner_id_known
from exercises.modes.selectors import mode_cards, mode_cards_key
from exercises.progress import lesson_progress, lessons_progress
from lessons.demos import demo_modes_known
from lessons.selectors import lesson_get, lesson_problems_for, lesson_problems_list, lessons_list
from lessons.types import Lesson


def track_title(track: str) -> str:
    """`async-django` is shown as "Async Django"."""
    return " ".join(word.capitalize() for word in track.split("-")) if track else "Other lessons"


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    lessons = lessons_list(drafts=request.user.is_staff)
    titles = {lesson.slug: lesson for lesson in lessons}
    tracks: dict[str, list[dict[str, Any]]] = {}
    for card in lessons_progress(learner=learner_id_known(request), lessons=lessons):
        lesson = card.lesson
        tracks.setdefault(lesson.track, []).append(
            {
                "card": card,
                # What to take first, by title (a prerequisite hidden as a draft is left out).
                "prerequisites": [titles[slug] for slug in lesson.prerequisites if slug in titles],
            }
        )
    groups = [{"track": track_title(track), "cards": cards} for track, cards in tracks.items()]
    if len(groups) == 1 and not next(iter(tracks)):
        groups[0]["track"] = ""  # no tracks at all: the "Lessons" heading says it all
    problems = lesson_problems_list() if request.user.is_staff else []
    context = {
        "groups": groups,
        "cards": [entry["card"] for cards in tracks.values() for entry in cards],
        "problems": problems,
    }
    return render(request, "lessons/catalogue.html", context)


def demo_modes_of(lesson: Lesson) -> list[dict[str, str]]:
    labels = demo_modes_known() or {}
    return [{"key": key, "label": labels.get(key, key)} for key in lesson.demo]


def demo_lab_url(lesson: Lesson) -> str:
    """The lab showing this lesson's own views when the demo app has some for it."""
    url = reverse("demo:lab")
    return f"{url}?lesson={lesson.slug}" if lesson.slug in lessons_with_modes() else url


@require_safe
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = lesson_get(slug=slug, drafts=request.user.is_staff)
    if lesson is None:
        raise Http404("No lesson with that name.")
    learner = learner_id_known(request)
    progress = lesson_progress(learner=learner, lesson=lesson)
    # What holds for the latest code (a step passed before may be broken by later code).
    steps = steps_progress(learner=learner, lesson_slug=lesson.slug)
    problems = lesson_problems_for(slug=slug) if request.user.is_staff else []
    modes = mode_cards(lesson=lesson, learner=learner, stage=progress.stage)
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
            "demo_modes": demo_modes_of(lesson),
            "demo_lab_url": demo_lab_url(lesson),
            "modes": modes,
            "modes_key": mode_cards_key(modes),
        },
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page for load balancers, and the baseline the page bench compares against:
    the same stack (middleware, sessions, routing) with no work of its own."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says. The hashed
    name is looked up per request, so importing the URLs never needs collected static files."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.svg"))
