"""Accounts, 'my learning' and my data, through the test client (no JavaScript)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from exercises.models import StepWork
from learners.models import Activity
from lessons.selectors import lesson_get
from tests.exercises.test_quiz_views import letters_for, start_attempt

pytestmark = pytest.mark.django_db

SLUG = "why-async-matters"
PASSWORD = "correct horse battery 9"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # allauth counts attempts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


def solution(number: int) -> str:
    lesson = lesson_get(slug=SLUG)
    return lesson.step(number).solution


def pass_step(client: Client, number: int) -> None:
    response = client.post(f"/lessons/{SLUG}/steps/{number}/check/", {"code": solution(number)})
    assert "All checks pass" in response.content.decode() or response.status_code == 200


def sign_up(client: Client, username: str = "ada", **extra) -> None:
    response = client.post(
        "/accounts/signup/",
        {"username": username, "password1": PASSWORD, "password2": PASSWORD, **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_sign_up_page_is_the_sites_own_and_needs_only_a_username_and_password(
    client: Client,
) -> None:
    html = page(client, "/accounts/signup/")
    assert "Async in Action" in html and 'class="site-header"' in html
    assert '<label for="id_username">' in html and '<label for="id_password1">' in html
    assert re.search(r'<input[^>]*name="email"(?![^>]*required)', html)
    assert "email address is optional" in html
    sign_up(client)
    assert get_user_model().objects.filter(username="ada").exists()


def test_log_in_and_password_pages_are_styled_as_the_site(client: Client) -> None:
    for url in ("/accounts/login/", "/accounts/password/reset/"):
        html = page(client, url)
        assert 'class="site-header"' in html and 'id="main"' in html


def test_anonymous_work_becomes_the_accounts_on_sign_up(client: Client) -> None:
    pass_step(client, 1)
    client.post(f"/lessons/{SLUG}/steps/2/draft/", {"code": "draft of step 2"})
    assert StepWork.objects.exclude(learner__startswith="user-").count() == 2
    response = client.post(
        "/accounts/signup/",
        {"username": "ada", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    assert "Everything you did before logging in is now in your account" in (
        response.content.decode()
    )
    user = get_user_model().objects.get(username="ada")
    assert set(StepWork.objects.values_list("learner", flat=True)) == {f"user-{user.pk}"}
    assert Activity.objects.get().learner == f"user-{user.pk}"
    lesson = page(client, f"/lessons/{SLUG}/")
    assert "Progress 1/4 steps" in lesson
    assert "1-day streak" in lesson
    assert "draft of step 2" in page(client, f"/lessons/{SLUG}/steps/2/")


def test_logging_in_elsewhere_finds_the_work_and_merges_what_was_done_there(
    client: Client,
) -> None:
    pass_step(client, 1)
    sign_up(client)
    client.post("/accounts/logout/")
    other = Client()
    pass_step(other, 2)  # anonymously, on a second device
    response = other.post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    assert response.status_code == 302
    lesson = page(other, f"/lessons/{SLUG}/")
    assert "Progress 2/4 steps" in lesson
    assert "Continue step 3" in lesson


def test_after_log_out_a_new_anonymous_learner_starts_afresh(client: Client) -> None:
    pass_step(client, 1)
    sign_up(client)
    client.post("/accounts/logout/")
    assert "Progress 0/4 steps" in page(client, f"/lessons/{SLUG}/")


def test_failed_logins_are_rate_limited(client: Client) -> None:
    sign_up(Client())
    answers = [
        client.post("/accounts/login/", {"login": "ada", "password": "wrong"}) for _ in range(7)
    ]
    last = answers[-1]
    assert last.status_code in (200, 429)
    assert "Too many failed login attempts" in last.content.decode()
    # Even the right password is refused while the limit holds.
    right = client.post("/accounts/login/", {"login": "ada", "password": PASSWORD})
    assert right.status_code != 302


def test_admin_login_goes_through_the_sites_rate_limited_login(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_staff_log_in_and_reach_the_admin(client: Client) -> None:
    get_user_model().objects.create_superuser("root", "", PASSWORD)
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_header_shows_the_streak_for_everyone(client: Client) -> None:
    html = page(client, "/")
    assert "0-day streak" in html
    assert re.search(r'<svg class="streak__icon"[^>]*aria-hidden="true"', html)
    pass_step(client, 1)
    assert "1-day streak" in page(client, "/")


def test_the_browsers_time_zone_decides_the_day(client: Client) -> None:
    client.cookies["tz"] = "Pacific/Kiritimati"
    pass_step(client, 1)
    assert Activity.objects.get().time_zone == "Pacific/Kiritimati"
    client.cookies["tz"] = "Nowhere/Atlantis"
    pass_step(client, 2)
    assert Activity.objects.order_by("-pk").first().time_zone == "Pacific/Kiritimati"


def test_my_learning_shows_progress_scores_streak_points_and_where_to_continue(
    client: Client,
) -> None:
    html = page(client, "/me/")
    assert "My learning" in html and "Start learning" in html
    pass_step(client, 1)
    lesson = lesson_get(slug=SLUG)
    attempt = start_attempt(client)
    client.post(
        f"/lessons/{SLUG}/test/{attempt.pk}/submit/", letters_for(lesson, attempt, right=True)
    )
    client.post(f"/lessons/{SLUG}/steps/2/draft/", {"code": "working on it"})
    html = page(client, "/me/")
    assert "Build: 1/4 steps" in html
    assert f"best {lesson.test_size}/{lesson.test_size}" in html
    assert "Continue step 2" in html
    assert "Continue where you left off" in html and f"/lessons/{SLUG}/steps/2/" in html
    # 10 for the step, 5 for each right answer.
    assert f'<span class="me-stat__value">{10 + 5 * lesson.test_size}</span> points' in html
    assert '<span class="me-stat__value">1</span> day: your streak now' in html


def test_the_recommendation_moves_with_progress(client: Client) -> None:
    def recommended(html: str) -> str:
        found = re.search(r'data-recommended="([a-z-]+)"', html)
        return found.group(1) if found else ""

    html = page(client, f"/lessons/{SLUG}/")
    assert recommended(html) != "test" and "Start step 1" in html
    for number in range(1, 5):
        pass_step(client, number)
    html = page(client, f"/lessons/{SLUG}/")
    assert "Continue step" not in html
    lesson = lesson_get(slug=SLUG)
    attempt = start_attempt(client)
    client.post(
        f"/lessons/{SLUG}/test/{attempt.pk}/submit/", letters_for(lesson, attempt, right=False)
    )
    html = page(client, f"/lessons/{SLUG}/")
    assert recommended(html) == "practice"
    assert f"best 0/{lesson.test_size}" in html
    catalogue = page(client, "/")
    assert f"Test: best 0/{lesson.test_size}" in catalogue


def test_catalogue_says_continue_once_begun(client: Client) -> None:
    assert "Continue step" not in page(client, "/")
    pass_step(client, 1)
    assert "Continue step 2" in page(client, "/")


def test_choosing_a_time_zone(client: Client) -> None:
    response = client.post("/me/time-zone/", {"time_zone": "Mars/Base"})
    assert response.status_code == 400
    assert "not a time zone name" in response.content.decode()
    response = client.post("/me/time-zone/", {"time_zone": "Asia/Kolkata"}, follow=True)
    assert "Your days now follow Asia/Kolkata" in response.content.decode()
    assert "<strong>Asia/Kolkata</strong>" in response.content.decode()


def test_my_data_downloads_as_json(client: Client) -> None:
    pass_step(client, 1)
    sign_up(client, email="ada@example.org")
    response = client.get("/me/data.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["username"] == "ada"
    assert data["account"]["email_addresses"][0]["email"] == "ada@example.org"
    assert data["work"]["exercises.stepwork"][0]["code"] == solution(1)
    assert len(data["work"]["learners.activity"]) == 1


def test_deleting_the_account_asks_for_the_password_then_deletes_everything(
    client: Client,
) -> None:
    pass_step(client, 1)
    sign_up(client)
    html = page(client, "/me/delete/")
    assert "Delete your account?" in html and 'type="password"' in html
    response = client.post("/me/delete/", {"password": "not it"})
    assert response.status_code == 400
    assert "nothing was deleted" in response.content.decode()
    assert get_user_model().objects.exists() and StepWork.objects.exists()
    response = client.post("/me/delete/", {"password": PASSWORD}, follow=True)
    assert "Your account and all your work are deleted" in response.content.decode()
    assert not get_user_model().objects.exists()
    assert not StepWork.objects.exists() and not Activity.objects.exists()


def test_an_anonymous_learner_can_delete_their_work(client: Client) -> None:
    pass_step(client, 1)
    html = page(client, "/me/delete/")
    assert "Delete your work?" in html
    client.post("/me/delete/", {})
    assert not StepWork.objects.exists()
    assert "Progress 0/4 steps" in page(client, f"/lessons/{SLUG}/")


def test_my_learning_shows_the_browsers_zone_until_one_is_kept(client: Client) -> None:
    client.cookies["tz"] = "America/Sao_Paulo"
    assert "<strong>America/Sao_Paulo</strong>" in page(client, "/me/")
    client.cookies["tz"] = "Bad/Zone"
    assert "<strong>UTC</strong>" in page(client, "/me/")


def test_a_forgotten_password_is_reset_by_email(client: Client, mailoutbox) -> None:
    sign_up(Client(), email="ada@example.org")
    response = client.post("/accounts/password/reset/", {"email": "ada@example.org"})
    assert response.status_code == 302
    assert "Check your email" in page(client, response["Location"])
    assert len(mailoutbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mailoutbox[0].body)
    assert link
    response = client.get(link.group(1), follow=True)
    form_page = response.content.decode()
    assert "Choose a new password" in form_page
    action = re.search(r'<form method="post" action="([^"]+)"', form_page).group(1)
    new = "another fine password 7"
    response = client.post(action, {"password1": new, "password2": new}, follow=True)
    assert "Your password is changed" in response.content.decode()
    assert client.post("/accounts/login/", {"login": "ada", "password": new}).status_code == 302


def test_a_learners_session_is_renewed_once_a_day(client: Client) -> None:
    from learners.middleware import SEEN_KEY

    pass_step(client, 1)
    client.get("/")
    session = client.session
    assert session[SEEN_KEY]
    session[SEEN_KEY] = "2000-01-01"
    session.save()
    client.get("/")
    assert client.session[SEEN_KEY] != "2000-01-01"


def test_a_first_visit_makes_no_session(client: Client) -> None:
    response = client.get(f"/lessons/{SLUG}/")
    assert "sessionid" not in response.cookies


@pytest.mark.parametrize("verification", ["none", "mandatory"])
def test_email_is_required_only_when_verification_is_on(client: Client, settings, verification):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    settings.ACCOUNT_SIGNUP_FIELDS = [
        "username*",
        "email*" if verification == "mandatory" else "email",
        "password1*",
        "password2*",
    ]
    response = client.post(
        "/accounts/signup/", {"username": "bo", "password1": PASSWORD, "password2": PASSWORD}
    )
    if verification == "none":
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "This field is required" in response.content.decode()


def test_too_many_sign_ups_from_one_address_get_the_sites_429_page(client: Client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    statuses = [
        client.post(
            "/accounts/signup/",
            {"username": f"u{n}", "password1": PASSWORD, "password2": PASSWORD},
        )
        for n in range(3)
    ]
    assert statuses[-1].status_code == 429
    assert "Too many attempts" in statuses[-1].content.decode()


def test_account_pages_of_a_signed_in_learner_render_in_the_site(client: Client) -> None:
    sign_up(client)
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/logout/"):
        html = page(client, url)
        assert 'class="site-header"' in html, url


def test_error_pages_for_requests_refused_early_still_render(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "0-day streak" in response.content.decode()
