"""The site's own pages, where lesson content meets the learner's progress: the catalogue and
each lesson's page. (Pages of one kind of learner work live with it, under `exercises/`.)"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from exercises.build.selectors import steps_passed
from exercises.learners import learner_id_known
from lessons.selectors import lesson_get, lesson_problems_for, lesson_problems_list, lessons_list


def track_title(track: str) -> str:
    """`async-django` is shown as "Async Django"."""
    return " ".join(word.capitalize() for word in track.split("-")) if track else "Lessons"


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    learner = learner_id_known(request)
    lessons = [lesson for lesson in lessons_list() if not lesson.draft or request.user.is_staff]
    titles = {lesson.slug: lesson.title for lesson in lessons}
    # Tracks in the order of their first lesson, each track's lessons in course order.
    tracks: dict[str, list[dict[str, Any]]] = {}
    for lesson in lessons:
        tracks.setdefault(lesson.track, []).append(
            {
                "lesson": lesson,
                "passed": len(steps_passed(learner=learner, lesson_slug=lesson.slug)),
                "prerequisites": [
                    {"slug": slug, "title": titles[slug]}
                    for slug in lesson.prerequisites
                    if slug in titles
                ],
            }
        )
    context = {
        "tracks": [
            {"slug": track or "lessons", "title": track_title(track), "cards": cards}
            for track, cards in tracks.items()
        ],
        "problems": lesson_problems_list() if request.user.is_staff else [],
    }
    return render(request, "lessons/catalogue.html", context)


@require_safe
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = lesson_get(slug=slug)
    if lesson is None or (lesson.draft and not request.user.is_staff):
        raise Http404("No lesson with that name.")
    learner = learner_id_known(request)
    passed = steps_passed(learner=learner, lesson_slug=lesson.slug)
    problems = lesson_problems_for(slug=slug) if request.user.is_staff else []
    return render(
        request,
        "lessons/lesson.html",
        {
            "lesson": lesson,
            "passed": passed,
            "passed_count": len(passed),
            "passed_key": "-".join(str(number) for number in sorted(passed)),
            "problems": problems,
        },
    )


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial page for load balancers, and the baseline the page bench compares against:
    the same stack (middleware, sessions, routing) with no work of its own."""
    return HttpResponse("ok", content_type="text/plain")
