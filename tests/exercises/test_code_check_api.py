"""`POST /api/lessons/<slug>/steps/<n>/check/`: `manage.py check_code` over HTTP, the same
JSON object; 200 for a verdict, 400/413 for refused input, 404 for an unknown step."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command
from django.test import Client

from checker import MAX_SUBMISSION_BYTES
from exercises.models import StepAttempt, StepWork
from lessons.selectors import lesson_get
from tests.conftest import FIXTURE_SLUG, SEED_SLUG

pytestmark = pytest.mark.django_db


def url(slug=SEED_SLUG, step=1):
    return f"/api/lessons/{slug}/steps/{step}/check/"


def post(body, *, slug=SEED_SLUG, step=1, client=None):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return (client or Client()).post(url(slug, step), data, content_type="application/json")


def cli_report(slug, step, code: str):
    out = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(code.encode()))
    try:
        call_command("check_code", slug, str(step), "-", stdout=out)
    except SystemExit:
        pass
    finally:
        sys.stdin = old_stdin
    return json.loads(out.getvalue())


@pytest.mark.parametrize("slug", [SEED_SLUG, FIXTURE_SLUG])
def test_every_step_solution_passes_and_matches_the_cli(slug):
    lesson = lesson_get(slug=slug)
    for step in lesson.steps:
        response = post({"code": step.solution}, slug=slug, step=step.number)
        assert response.status_code == 200, response.content
        report = response.json()
        assert (report["passed"], report["status"]) == (True, "passed")
        assert (report["lesson"], report["step"]) == (slug, step.number)
        assert report == cli_report(slug, step.number, step.solution)


def test_failing_code_is_a_200_verdict_with_feedback_like_the_cli():
    code = "import asyncio\n\ndef slow_view(request):\n    pass\n"
    response = post({"code": code})
    assert response.status_code == 200
    report = response.json()
    assert report["passed"] is False and report["status"] == "failed"
    failed = [item for item in report["feedback"] if not item["passed"]]
    assert failed and failed[0]["line"] == 3 and "async def" in failed[0]["message"]
    assert report == cli_report(SEED_SLUG, 1, code)


def test_a_syntax_error_is_a_200_verdict():
    report = post({"code": "async def slow_view(request:\n"}).json()
    assert (report["passed"], report["status"]) == (False, "syntax_error")
    assert report["feedback"][0]["line"] == 1


@pytest.mark.parametrize(
    ("slug", "step", "message"),
    [
        ("no-such-lesson", "1", "There is no lesson 'no-such-lesson'"),
        (SEED_SLUG, "99", "has no step '99'; its steps are 1, 2"),
        (SEED_SLUG, "one", "has no step 'one'"),
    ],
)
def test_unknown_lesson_or_step_is_a_json_404(slug, step, message):
    response = post({"code": "x = 1"}, slug=slug, step=step)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"", 400, "empty"),
        (b"not json", 400, "not valid JSON"),
        (b"\xff\xfe", 400, "UTF-8"),
        ([], 400, "JSON object"),
        ({}, 400, '"code"'),
        ({"code": 3}, 400, "must be a string, not a number"),
        ({"code": None}, 400, "not null"),
        ({"code": "x = 1", "source": "y"}, 400, "Unexpected fields: source"),
        ({"code": "\ud800"}, 400, "surrogate"),
        ({"code": "x = 1\n" * 600}, 400, "600 lines"),
        ({"code": "x = 1 #" + "\0"}, 400, "null byte"),
        ({"code": "x" * (MAX_SUBMISSION_BYTES + 1)}, 413, "over the limit of 20,000 bytes"),
        ({"code": "x = 1", "pad": " " * 200_000}, 413, "larger than"),
    ],
)
def test_refused_input_is_a_json_4xx(body, status, message):
    response = post(body)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


def test_code_at_the_limit_is_checked_however_it_is_escaped():
    code = ("#" + "é" * 480 + "\n") * 20
    assert MAX_SUBMISSION_BYTES - 1000 < len(code.encode()) <= MAX_SUBMISSION_BYTES
    body = json.dumps({"code": code}, ensure_ascii=True)
    assert len(body) > 2.5 * MAX_SUBMISSION_BYTES
    response = post(body)
    assert response.status_code == 200
    assert response.json()["passed"] is False


def test_it_is_stateless():
    client = Client(enforce_csrf_checks=True)
    response = post({"code": "import asyncio\n"}, client=client)
    assert response.status_code == 200
    assert not response.cookies
    assert StepAttempt.objects.count() == 0 and StepWork.objects.count() == 0


def test_get_is_a_json_405():
    response = Client().get(url())
    assert response.status_code == 405
    assert response["Allow"] == "POST"
