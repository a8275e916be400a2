"""The OpenAPI 3.1 description at /api/openapi.json: a valid document, and every answer the
API gives (verdicts and refusals alike) matches it. Validated by openapi-core, which checks
the path, method, status, content type and body against the document."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from exercises.api.keys import api_key_create
from exercises.api.urls import urlpatterns as api_urlpatterns
from lessons.selectors import lesson_get
from tests.conftest import SEED_SLUG

pytestmark = pytest.mark.django_db

QUIZ = f"/api/lessons/{SEED_SLUG}/quiz/"
GRADE = QUIZ + "grade/"
CHECK = f"/api/lessons/{SEED_SLUG}/steps/1/check/"


@pytest.fixture
def document():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_it_describes_every_api_url(document):
    api_routes = {str(pattern.pattern) for pattern in api_urlpatterns}
    described = {
        path.lstrip("/").replace("{slug}", "<slug:slug>").replace("{step}", "<str:step>")
        for path in document["paths"]
    }
    assert api_routes == described


def post(path, body, **headers):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return Client().post(path, data, content_type="application/json", **headers)


def real_answers():
    """One real request per documented answer, and the status it must get."""
    lesson = lesson_get(slug=SEED_SLUG)
    token = api_key_create(name="openapi test")[1]
    key = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    practice = lesson.practice_questions[0]
    test_only = next(q for q in lesson.questions if not q.practice)
    wrong = next(o for o in practice.options if o.id != practice.correct_option.id)
    return [
        (200, Client().get(QUIZ)),
        (200, Client().get(QUIZ, **key)),
        (401, Client().get(QUIZ, HTTP_AUTHORIZATION="Bearer nope")),
        (404, Client().get("/api/lessons/no-such/quiz/")),
        (200, post(GRADE, {"answers": {practice.id: practice.correct_option.id}})),
        (200, post(GRADE, {"answers": {practice.id: wrong.id}})),
        (
            200,
            post(GRADE, {"answers": {q.id: q.correct_option.id for q in lesson.questions}}, **key),
        ),
        (400, post(GRADE, b"not json")),
        (400, post(GRADE, {"answers": {"nope": "x"}})),
        (400, post(GRADE, {"answers": {practice.id: "forged"}})),
        (403, post(GRADE, {"answers": {test_only.id: test_only.correct_option.id}})),
        (413, post(GRADE, {"answers": {}, "pad": "x" * 70_000})),
        (200, post(CHECK, {"code": lesson.steps[0].solution})),
        (200, post(CHECK, {"code": "def slow_view(request):\n    pass\n"})),
        (200, post(CHECK, {"code": "def (:\n"})),
        (400, post(CHECK, {"code": 1})),
        (400, post(CHECK, {"code": "x = 1\n" * 600})),
        (404, post(f"/api/lessons/{SEED_SLUG}/steps/99/check/", {"code": ""})),
        (413, post(CHECK, {"code": "x" * 20_001})),
    ]


def test_every_real_answer_matches_the_document(document):
    openapi = OpenAPI.from_dict(document)
    for status, response in real_answers():
        request = response.wsgi_request
        assert response.status_code == status, (request.path, response.content[:200])
        # Raises, naming the mismatch, when the answer is not what the document says.
        openapi.validate_response(DjangoOpenAPIRequest(request), DjangoOpenAPIResponse(response))


def test_the_check_fails_for_an_answer_the_document_does_not_allow(document):
    """Proof the validation above can fail: a document that forgets a field's type."""
    document["components"]["schemas"]["Grade"]["properties"]["score"] = {"type": "string"}
    openapi = OpenAPI.from_dict(document)
    response = post(GRADE, {"answers": {"why-async-views": "concurrent"}})
    with pytest.raises(Exception, match="(?i)invalid|validat"):
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
