"""The quiz JSON API (docs/architecture.md): GET the bank without answers, POST answers to be
graded."""

from __future__ import annotations

import json

import pytest

from exercises.models import QuizAnswer
from lessons.selectors import lesson_get

pytestmark = pytest.mark.django_db

QUESTIONS_URL = "/api/lessons/why-async-matters/quiz/"
GRADE_URL = "/api/lessons/why-async-matters/quiz/grade/"

# The seed's five practice questions, with the right option and one wrong one.
SEED_FIVE = {
    "why-async-views": ("concurrent", "slower"),
    "define-async-view": ("async-def", "keywords-swapped"),
    "concurrent-requests": ("concurrent", "crashes"),
    "identify-the-error": ("await-missing", "should-be-sync"),
    "best-async-approach": ("await-both", "threads"),
}


def grade(client, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(GRADE_URL, data, content_type="application/json", **extra)


def test_get_without_a_key_lists_the_practice_questions_without_answers(client):
    response = client.get(QUESTIONS_URL)
    assert response.status_code == 200
    payload = response.json()
    lesson = lesson_get(slug="why-async-matters")
    assert [q["id"] for q in payload["questions"]] == list(SEED_FIVE)
    assert [q.id for q in lesson.practice_questions] == list(SEED_FIVE)
    assert len(lesson.questions) > len(SEED_FIVE)
    for item in payload["questions"]:
        assert set(item) == {"id", "difficulty", "prompt", "options"}
        assert item["difficulty"] in {"easy", "medium", "hard"}
        assert item["prompt"] and "<" not in item["prompt"].replace("<=", "")
        for option in item["options"]:
            assert set(option) == {"id", "text"}
    body = response.content.decode()
    for marker in ('"correct"', '"right', '"solution"', '"feedback"', '"answer"'):
        assert marker not in body


def test_the_seed_five_right(client):
    response = grade(client, {"answers": {qid: right for qid, (right, _) in SEED_FIVE.items()}})
    assert response.status_code == 200
    payload = response.json()
    assert (payload["score"], payload["total"]) == (5, 5)
    assert [r["id"] for r in payload["results"]] == list(SEED_FIVE)
    for result in payload["results"]:
        assert result["correct"] is True
        assert result["chosen"] == result["right_option"] == SEED_FIVE[result["id"]][0]
        assert result["solution"] and result["quick_check"] and result["common_mistakes"]


def test_the_seed_five_wrong(client):
    response = grade(client, {"answers": {qid: wrong for qid, (_, wrong) in SEED_FIVE.items()}})
    payload = response.json()
    assert (payload["score"], payload["total"]) == (0, 5)
    by_id = {r["id"]: r for r in payload["results"]}
    assert by_id["why-async-views"]["feedback"].startswith("The overhead of a coroutine is tiny")
    assert by_id["define-async-view"]["right_option"] == "async-def"
    # Option references name ids, since API clients see no letters.
    assert "async-def (“async def view(request):”)" in by_id["define-async-view"]["solution"][1]


def test_total_is_the_questions_answered(client):
    payload = grade(client, {"answers": {"why-async-views": "concurrent"}}).json()
    assert (payload["score"], payload["total"]) == (1, 1)


def test_it_records_nothing_and_needs_no_session(client):
    client.cookies.clear()
    grade(client, {"answers": {"why-async-views": "concurrent"}})
    assert QuizAnswer.objects.count() == 0
    assert "sessionid" not in client.cookies


def test_grading_needs_no_csrf_token():
    from django.test import Client

    response = grade(Client(enforce_csrf_checks=True), {"answers": {"why-async-views": "slower"}})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "status", "message"),
    [
        (b"", 400, "empty"),
        (b"not json", 400, "not valid JSON"),
        (b"\xff\xfe\x00", 400, "UTF-8"),
        (b"[" * 5000 + b"]" * 5000, 400, "nested too deeply"),
        ([], 400, "JSON object"),
        ("just a string", 400, "JSON object"),
        ({}, 400, '"answers"'),
        ({"answers": ["why-async-views", "concurrent"]}, 400, "not an array"),
        ({"answers": "concurrent"}, 400, "not a string"),
        ({"answers": None}, 400, "not null"),
        ({"answers": {}}, 400, "empty"),
        ({"answers": {"why-async-views": 1}}, 400, "why-async-views"),
        ({"answers": {"why-async-views": ["concurrent"]}}, 400, "why-async-views"),
        (
            {"answers": {"no-such-question": "a", "why-async-views": "concurrent"}},
            400,
            "Unknown question ids: no-such-question",
        ),
        (
            {"answers": {"why-async-views": "forged"}},
            400,
            "Unknown option ids: 'forged' for why-async-views",
        ),
    ],
)
def test_bad_input_gets_a_json_error(client, body, status, message):
    if isinstance(body, list | dict | str):
        body = json.dumps(body)
    response = grade(client, body)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]


def test_unknown_ids_are_listed_for_clients(client):
    payload = grade(client, {"answers": {"nope": "x", "zzz": "y"}}).json()
    assert payload["unknown_questions"] == ["nope", "zzz"]
    payload = grade(client, {"answers": {"why-async-views": "x"}}).json()
    assert payload["unknown_options"] == {"why-async-views": "x"}


def test_oversized_body_is_refused(client):
    body = json.dumps({"answers": {"why-async-views": "concurrent"}, "pad": "x" * 70_000})
    response = grade(client, body)
    assert response.status_code == 413
    assert "64 KB" in response.json()["error"]


def test_very_large_body_is_refused_too(client):
    response = grade(client, b"{" + b" " * 400_000 + b"}")
    assert response.status_code == 413
    assert "error" in response.json()


def test_unknown_lesson_is_404_json(client):
    for response in (
        client.get("/api/lessons/no-such-lesson/quiz/"),
        client.post(
            "/api/lessons/no-such-lesson/quiz/grade/", "{}", content_type="application/json"
        ),
    ):
        assert response.status_code == 404
        assert "no-such-lesson" in response.json()["error"]


def test_wrong_methods_are_405_json(client):
    response = client.get(GRADE_URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "POST" in response.json()["error"]
    response = client.post(QUESTIONS_URL, "{}", content_type="application/json")
    assert response.status_code == 405
    assert "GET" in response.json()["error"]


def test_a_form_encoded_body_is_explained(client):
    response = client.post(GRADE_URL, {"answers": "x"})
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
