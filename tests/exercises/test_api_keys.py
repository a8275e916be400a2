"""API keys (docs/architecture.md): without one the quiz API covers the practice questions
only, so the graded test cannot be beaten from outside; with one, the whole bank."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from exercises.api.keys import api_key_create
from exercises.models import ApiKey
from lessons.selectors import lesson_get

pytestmark = pytest.mark.django_db

SLUG = "why-async-matters"
QUESTIONS_URL = f"/api/lessons/{SLUG}/quiz/"
GRADE_URL = f"/api/lessons/{SLUG}/quiz/grade/"


@pytest.fixture
def lesson():
    return lesson_get(slug=SLUG)


@pytest.fixture
def token():
    return api_key_create(name="Moodle")[1]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def grade(answers, **headers):
    return Client().post(
        GRADE_URL, json.dumps({"answers": answers}), content_type="application/json", **headers
    )


def all_right(questions):
    return {question.id: question.correct_option.id for question in questions}


def test_with_a_key_the_whole_bank_is_listed(lesson, token):
    response = Client().get(QUESTIONS_URL, **bearer(token))
    assert response.status_code == 200
    assert [q["id"] for q in response.json()["questions"]] == [q.id for q in lesson.questions]
    assert "Authorization" in response["Vary"]


def test_without_a_key_the_test_questions_are_not_graded(lesson):
    test_only = [q for q in lesson.questions if not q.practice]
    assert test_only
    answers = {**all_right(test_only[:2]), **all_right(lesson.practice_questions[:1])}
    response = grade(answers)
    assert response.status_code == 403
    payload = response.json()
    assert payload["key_required"] == sorted(q.id for q in test_only[:2])
    assert all(q.id in payload["error"] for q in test_only[:2])
    assert "API key" in payload["error"]
    # Nothing about the right options comes back.
    assert "right_option" not in response.content.decode()


def test_without_a_key_a_forged_option_on_a_test_question_is_still_403(lesson):
    # Otherwise 400-versus-403 would tell which option ids exist.
    test_question = next(q for q in lesson.questions if not q.practice)
    assert grade({test_question.id: "forged"}).status_code == 403


def test_without_a_key_practice_questions_are_graded(lesson):
    response = grade(all_right(lesson.practice_questions))
    assert response.status_code == 200
    assert response.json()["score"] == len(lesson.practice_questions)


def test_with_a_key_the_whole_bank_is_graded(lesson, token):
    response = grade(all_right(lesson.questions), **bearer(token))
    assert response.status_code == 200
    assert response.json()["score"] == response.json()["total"] == len(lesson.questions)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("Bearer aia_not-a-key", "not known"),
        ("Basic dXNlcjpwYXNz", "Bearer"),
        ("Bearer", "Bearer"),
    ],
)
def test_a_bad_key_is_a_json_401(header, message):
    for response in (
        Client().get(QUESTIONS_URL, HTTP_AUTHORIZATION=header),
        grade({"why-async-views": "concurrent"}, HTTP_AUTHORIZATION=header),
    ):
        assert response.status_code == 401
        assert message in response.json()["error"]
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_stops_working(token):
    assert Client().get(QUESTIONS_URL, **bearer(token)).status_code == 200
    ApiKey.objects.update(revoked_at=timezone.now())
    response = Client().get(QUESTIONS_URL, **bearer(token))
    assert response.status_code == 401
    assert "revoked" in response.json()["error"]


def test_the_key_is_stored_only_as_a_digest_and_its_use_is_recorded(token):
    key = ApiKey.objects.get()
    assert token not in json.dumps(list(ApiKey.objects.values()), default=str)
    assert token.startswith(key.prefix) and len(key.prefix) < 12
    assert key.last_used_at is None
    Client().get(QUESTIONS_URL, **bearer(token))
    key.refresh_from_db()
    assert key.last_used_at is not None
    assert timezone.now() - key.last_used_at < timedelta(seconds=30)


@pytest.fixture
def staff_client():
    user = get_user_model().objects.create_superuser("staff", "staff@example.com", "pw-for-tests")
    client = Client()
    client.force_login(user)
    return client


def test_staff_create_a_key_in_the_admin_see_it_once_and_revoke_it(staff_client):
    response = staff_client.post("/admin/exercises/apikey/add/", {"name": "Canvas grader"})
    assert response.status_code == 200
    page = response.content.decode()
    token = re.search(r'value="(aia_[^"]+)"', page)[1]
    assert "shown only" in page and "no-store" in response["Cache-Control"]
    key = ApiKey.objects.get()
    assert key.name == "Canvas grader" and key.created_by.username == "staff"
    # Shown once: neither the list nor the key's own page has it again.
    for url in ("/admin/exercises/apikey/", f"/admin/exercises/apikey/{key.pk}/change/"):
        later = staff_client.get(url)
        assert later.status_code == 200
        assert token not in later.content.decode()
        assert key.prefix in later.content.decode()
    assert Client().get(QUESTIONS_URL, **bearer(token)).status_code == 200
    staff_client.post(
        "/admin/exercises/apikey/",
        {"action": "revoke", "_selected_action": [key.pk]},
    )
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert Client().get(QUESTIONS_URL, **bearer(token)).status_code == 401


def test_learners_cannot_reach_the_keys():
    response = Client().get("/admin/exercises/apikey/add/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
