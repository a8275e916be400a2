"""The JSON API for auto-grading clients (contract in docs/architecture.md; its OpenAPI
description in openapi.py, served at /api/openapi.json).

Stateless: it reads no cookies and records nothing, so a script can call it without a
session. A client is known only by the API key it may send (`Authorization: Bearer <key>`).
Every refusal is JSON: `{"error": "what is wrong", ...}`.

CSRF protects cookie-authenticated requests from being forged by other sites. These views use
no cookie or session, and the key travels in a header no other site can make a browser send,
so the POST views are exempt.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from course.ratelimits import rate_limited
from exercises.api import schema
from exercises.api.checking import CodeCheck, code_check_report, code_check_target
from exercises.api.keys import ApiKeyRefused, api_key_from_header
from exercises.api.openapi import openapi_document
from exercises.quiz.grading import quiz_grade as answers_grade
from lessons.selectors import lesson_get
from lessons.types import Lesson

View = Callable[..., HttpResponse]

CHECK_STATUS = {"passed": 200, "failed": 200, "not_found": 404, "too_big": 413, "refused": 400}


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


def keyed(view: Callable[..., HttpResponse]) -> View:
    """Pass `whole_bank` (a valid API key was sent) to the view; a bad key is a JSON 401.

    Answers differ with and without a key, so they say so to any cache (`Vary`).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            key = api_key_from_header(authorization=request.headers.get("Authorization"))
        except ApiKeyRefused as refused:
            response: HttpResponse = json_error(refused.message, status=401)
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        else:
            response = view(request, *args, whole_bank=key is not None, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapper


def _lesson_or_error(slug: str) -> Lesson | JsonResponse:
    lesson = lesson_get(slug=slug)
    if lesson is None:
        return json_error(f"No lesson {slug!r}.", status=404)
    return lesson


def _json_body(request: HttpRequest, *, limit: int, example: str) -> object | JsonResponse:
    """The request's JSON body, or the JSON error refusing it (413 over `limit` bytes)."""
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
        return json_error(f"The body is empty; send {example}.", status=400)
    try:
        payload: object = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        return json_error("The body is not UTF-8 text.", status=400)
    except json.JSONDecodeError as error:
        return json_error(f"The body is not valid JSON: {error}.", status=400)
    except RecursionError:
        return json_error("The body is nested too deeply.", status=400)
    except ValueError:
        # Python refuses to turn a number of more than 4300 digits into an int.
        return json_error("The body holds a number too long to read.", status=400)
    return payload


@api_method("GET")
@keyed
def quiz_questions(request: HttpRequest, slug: str, *, whole_bank: bool) -> HttpResponse:
    lesson = _lesson_or_error(slug)
    if isinstance(lesson, JsonResponse):
        return lesson
    return JsonResponse(schema.quiz_questions_json(lesson=lesson, whole_bank=whole_bank))


@csrf_exempt
@api_method("POST")
@keyed
def quiz_grade(request: HttpRequest, slug: str, *, whole_bank: bool) -> HttpResponse:
    lesson = _lesson_or_error(slug)
    if isinstance(lesson, JsonResponse):
        return lesson
    payload = _json_body(
        request,
        limit=schema.QUIZ_API_MAX_BODY,
        example='{"answers": {"<question id>": "<option id>"}}',
    )
    if isinstance(payload, JsonResponse):
        return payload
    try:
        answers = schema.quiz_answers_validate(
            lesson=lesson, payload=payload, whole_bank=whole_bank
        )
    except schema.ApiInputError as error:
        return json_error(error.message, status=error.status, **error.details)
    grade = answers_grade(lesson=lesson, answers=answers)
    return JsonResponse(schema.quiz_grade_json(grade))


@csrf_exempt
@api_method("POST")
@rate_limited("check")
def code_check(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """`manage.py check_code` over HTTP: the same JSON object, the verdict a 200."""
    target = code_check_target(slug=slug, step=step)
    if isinstance(target, CodeCheck):
        return JsonResponse(target.report, status=CHECK_STATUS[target.outcome])
    payload = _json_body(request, limit=schema.CHECK_API_MAX_BODY, example='{"code": "..."}')
    if isinstance(payload, JsonResponse):
        return payload
    try:
        code = schema.check_code_validate(payload)
    except schema.ApiInputError as error:
        return json_error(error.message, status=error.status, **error.details)
    check = code_check_report(target=target, code=code, pooled=True)
    return JsonResponse(check.report, status=CHECK_STATUS[check.outcome])


@api_method("GET")
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"indent": 1})
