"""The quiz JSON API for auto-grading clients (contract in docs/architecture.md).

Stateless: it reads no cookies and records nothing, so a script can call it without a
session. Every refusal is JSON: `{"error": "what is wrong", ...}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from exercises.api import schema
from exercises.quiz.grading import quiz_grade as answers_grade
from lessons.selectors import lesson_get
from lessons.types import Lesson

View = Callable[..., HttpResponse]


def json_error(message: str, *, status: int, **details: Any) -> JsonResponse:
    return JsonResponse({"error": message, **details}, status=status)


def api_method(method: str) -> Callable[[View], View]:
    """Like `require_http_methods([method])`, but the 405 is JSON, as the API promises."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method != method and not (method == "GET" and request.method == "HEAD"):
                response = json_error(
                    f"Method {request.method} is not allowed here; use {method}.", status=405
                )
                response["Allow"] = "GET, HEAD" if method == "GET" else method
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _lesson_or_error(slug: str) -> Lesson | JsonResponse:
    lesson = lesson_get(slug=slug)
    if lesson is None:
        return json_error(f"No lesson {slug!r}.", status=404)
    return lesson


@api_method("GET")
def quiz_questions(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson_or_error(slug)
    if isinstance(lesson, JsonResponse):
        return lesson
    return JsonResponse(schema.quiz_questions_json(lesson=lesson))


# CSRF protects cookie-authenticated requests from being forged by other sites. This endpoint
# uses no cookie or session, changes nothing and returns only what the public GET plus the
# lesson's answers would tell anyone, so a forged cross-site call gains an attacker nothing.
@csrf_exempt
@api_method("POST")
def quiz_grade(request: HttpRequest, slug: str) -> HttpResponse:
    lesson = _lesson_or_error(slug)
    if isinstance(lesson, JsonResponse):
        return lesson
    limit = schema.QUIZ_API_MAX_BODY
    too_big = json_error(f"The body is larger than {limit // 1024} KB.", status=413)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return too_big
    try:
        body = request.body
    except RequestDataTooBig:
        return too_big
    if len(body) > limit:
        return too_big
    if not body.strip():
        return json_error(
            'The body is empty; send {"answers": {"<question id>": "<option id>"}}.', status=400
        )
    try:
        payload = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return json_error("The body is not UTF-8 text.", status=400)
    except json.JSONDecodeError as error:
        return json_error(f"The body is not valid JSON: {error}.", status=400)
    except RecursionError:
        return json_error("The body is nested too deeply.", status=400)
    try:
        answers = schema.quiz_answers_validate(lesson=lesson, payload=payload)
    except schema.QuizInputError as error:
        return json_error(error.message, status=400, **error.details)
    grade = answers_grade(lesson=lesson, answers=answers)
    return JsonResponse(schema.quiz_grade_json(grade))
