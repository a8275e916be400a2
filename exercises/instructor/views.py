"""Pages for instructors (staff): a live preview of a lesson file while they edit it, and a
view of what learners get wrong."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from course.http import HtmxHttpRequest
from exercises.instructor.selectors import question_answer_summary, step_failure_summary
from lessons.options import option_letters, option_references_resolve
from lessons.selectors import lesson_file_preview, lesson_get


@require_safe
@staff_member_required
@vary_on_headers("HX-Request")
def lesson_preview(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    preview = lesson_file_preview(slug=slug)
    if preview is None:
        raise Http404("No lesson file with that name.")
    if request.htmx and request.GET.get("version") == preview.version:
        # Nothing changed since the page last looked: htmx leaves the page alone on a 204.
        return HttpResponse(status=204)
    template = "exercises/preview.html#preview" if request.htmx else "exercises/preview.html"
    questions = []
    if preview.lesson is not None:
        for question in preview.lesson.questions:
            letters = option_letters([option.id for option in question.options])
            questions.append(
                {
                    "question": question,
                    "letters": letters,
                    "options": [(letters[o.id], o) for o in question.options],
                    "solution": [
                        option_references_resolve(step, question, letters)
                        for step in question.solution_html
                    ],
                }
            )
    return render(request, template, {"preview": preview, "slug": slug, "questions": questions})


@require_safe
@staff_member_required
def lesson_insights(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = lesson_get(slug=slug)
    if lesson is None:
        raise Http404("No lesson with that name.")
    return render(
        request,
        "exercises/insights.html",
        {
            "lesson": lesson,
            "steps": step_failure_summary(lesson=lesson),
            "questions": question_answer_summary(lesson=lesson),
        },
    )
