"""Practice questions and the 10-question test. Logic lives in `exercises.quiz`."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from course.http import HtmxHttpRequest
from course.ratelimits import rate_limited
from exercises.learners import learner_id, learner_id_known
from exercises.lti.services import lti_score_send
from exercises.models import TestAttempt
from exercises.quiz import attempts
from exercises.quiz import practice as practice_questions
from learners.identity import browser_time_zone
from learners.services import activity_record
from lessons.selectors import lesson_get
from lessons.types import Lesson, Question

# Points for a finished test: each right answer of the learner's best attempt.
POINTS_PER_CORRECT_ANSWER = 5


def _lesson(request: HttpRequest, slug: str) -> Lesson:
    # Staff may open a draft's pages, as they open its lesson page.
    lesson = lesson_get(slug=slug, drafts=request.user.is_staff)
    if lesson is None:
        raise Http404("No lesson with that name.")
    return lesson


def _practice_question(lesson: Lesson, number: int) -> Question:
    questions = lesson.practice_questions
    if not 1 <= number <= len(questions):
        raise Http404("No practice question with that number.")
    return questions[number - 1]


def _practice_context(
    lesson: Lesson,
    number: int,
    result: practice_questions.PracticeResult | None = None,
    error: str = "",
    tried: tuple[str, ...] = (),
) -> dict[str, object]:
    question = _practice_question(lesson, number)
    total = len(lesson.practice_questions)
    view = (
        result.view
        if result
        else practice_questions.practice_question_view(question=question, number=number)
    )
    return {
        "lesson": lesson,
        "number": number,
        "total": total,
        "view": view,
        "review": result.review if result else None,
        "miss": result.miss if result else None,
        "tried": result.tried if result else tried,
        "error": error,
        "previous_url": reverse("exercises:practice_question", args=[lesson.slug, number - 1])
        if number > 1
        else None,
        "next_url": reverse("exercises:practice_question", args=[lesson.slug, number + 1])
        if number < total
        else None,
    }


@require_safe
def practice(request: HtmxHttpRequest, slug: str, number: int = 1) -> HttpResponse:
    lesson = _lesson(request, slug)
    return render(request, "exercises/practice.html", _practice_context(lesson, number))


@require_POST
@rate_limited("practice")
@vary_on_headers("HX-Request")
def practice_check(request: HtmxHttpRequest, slug: str, number: int) -> HttpResponse:
    lesson = _lesson(request, slug)
    question = _practice_question(lesson, number)
    learner = learner_id(request)
    tried = request.POST.getlist(practice_questions.TRIED_FIELD)
    result = practice_questions.practice_answer_check(
        lesson=lesson,
        question=question,
        number=number,
        learner=learner,
        letter=request.POST.get(practice_questions.PRACTICE_FIELD),
        tried=tried,
        reveal=request.POST.get("reveal") == "1",
    )
    context = _practice_context(
        lesson,
        number,
        result,
        error="" if result else "Choose one of the options first.",
        tried=practice_questions.practice_tried_read(question=question, letters=tried),
    )
    template = "exercises/practice.html#question" if request.htmx else "exercises/practice.html"
    # A missing or forged answer is refused; htmx leaves the page as it is on a 400.
    return render(request, template, context, status=200 if result else 400)


@require_safe
def test_start(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson(request, slug)
    scores = attempts.test_scores(lesson=lesson, learner=learner_id_known(request))
    return render(request, "exercises/test_start.html", {"lesson": lesson, "scores": scores})


@require_POST
@rate_limited("test_start")
def test_attempt_create(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson(request, slug)
    learner = learner_id(request)
    attempt = attempts.test_attempt_start(lesson=lesson, learner=learner)
    return redirect("exercises:test_attempt", lesson.slug, attempt.pk)


def _attempt(request: HttpRequest, lesson: Lesson, attempt_id: int) -> TestAttempt:
    attempt = attempts.test_attempt_get(
        lesson=lesson, learner=learner_id_known(request), attempt_id=attempt_id
    )
    if attempt is None:
        raise Http404("No such test attempt.")
    return attempt


@require_safe
def test_attempt(request: HtmxHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    lesson = _lesson(request, slug)
    attempt = _attempt(request, lesson, attempt_id)
    if attempt.submitted_at is None:
        views = attempts.test_attempt_views(lesson=lesson, attempt=attempt)
        return render(
            request,
            "exercises/test_take.html",
            {"lesson": lesson, "attempt": attempt, "views": views},
        )
    result = attempts.test_attempt_result(lesson=lesson, attempt=attempt)
    # The page starts with the score and what went wrong; ?all=1 reviews every question.
    show_all = request.GET.get("all") == "1" or not result.missed
    return render(
        request,
        "exercises/test_result.html",
        {
            "lesson": lesson,
            "attempt": attempt,
            "result": result,
            "show_all": show_all,
            "shown": result.items if show_all else result.missed,
        },
    )


@require_POST
@rate_limited("test")
def test_attempt_save(request: HtmxHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    lesson = _lesson(request, slug)
    attempt = _attempt(request, lesson, attempt_id)
    answers = attempts.test_answers_from_form(lesson=lesson, attempt=attempt, data=request.POST)
    if not attempts.test_attempt_save(attempt=attempt, answers=answers):
        return HttpResponse("This test is already submitted.", status=409)
    return HttpResponse(status=204)


@require_POST
@rate_limited("test_start")
def test_attempt_submit(request: HtmxHttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    lesson = _lesson(request, slug)
    attempt = _attempt(request, lesson, attempt_id)
    answers = attempts.test_answers_from_form(lesson=lesson, attempt=attempt, data=request.POST)
    # A second submit of the same attempt records nothing and shows the first result.
    if attempts.test_attempt_submit(lesson=lesson, attempt=attempt, answers=answers):
        attempt.refresh_from_db()
        activity_record(
            learner=attempt.learner,
            kind="test_finished",
            key=f"test:{lesson.slug}",
            points=(attempt.score or 0) * POINTS_PER_CORRECT_ANSWER,
            time_zone=browser_time_zone(request),
        )
        # A learner who came from an LMS gets the score in its grade book too.
        lti_score_send(attempt=attempt)
    return redirect("exercises:test_attempt", lesson.slug, attempt.pk)
