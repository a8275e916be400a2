"""Rate limits on POSTs that do work: a 429 with Retry-After and a message in the page."""

from __future__ import annotations

import time

import django_ratelimit.core
import pytest
from django.test import Client

from course.ratelimits import LIMITS
from course.serve import daphne_arguments

pytestmark = pytest.mark.django_db


class StoppedClock:
    """django-ratelimit counts in fixed one-minute windows; a test must not straddle two."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(django_ratelimit.core, "time", StoppedClock())


SLUG = "why-async-matters"
CHECK = f"/lessons/{SLUG}/steps/1/check/"


def per_minute(rate: str) -> int:
    count, period = rate.split("/")
    assert period == "m"
    return int(count)


def test_a_learner_checking_too_fast_gets_a_429_notice_in_the_page() -> None:
    client = Client()
    allowed = per_minute(LIMITS["check"].per_learner)
    # The first check makes the learner (a session); it is counted per address only.
    for _ in range(allowed + 1):
        assert client.post(CHECK, {"code": "import asyncio\n"}).status_code == 200
    response = client.post(CHECK, {"code": "import asyncio\n"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # htmx puts it in the page's notice area, whatever the form targets.
    assert response["HX-Retarget"] == "#rate-limit-notice"
    body = response.content.decode()
    assert "more code checks in a minute than we take" in body and "<html" not in body
    # Without JavaScript: a page of its own, with the way back to the step.
    page = client.post(CHECK, {"code": "import asyncio\n"})
    assert page.status_code == 429
    assert "Slow down a little" in page.content.decode()
    assert f'href="/lessons/{SLUG}/steps/1/"' in page.content.decode()


def test_dropping_the_cookie_does_not_escape_the_per_address_limit() -> None:
    allowed = per_minute(LIMITS["demo"].per_address)
    for _ in range(allowed):
        # A fresh client each time: no session, no learner, the same address.
        assert Client().post("/demo/browser-run/", {"n": "1"}).status_code == 422
    response = Client().post("/demo/browser-run/", {"n": "1"}, HTTP_X_FORWARDED_FOR="10.9.8.7")
    assert response.status_code == 429
    assert "more demo runs in a minute" in response.content.decode()


def test_the_async_demo_run_is_limited_too() -> None:
    allowed = per_minute(LIMITS["demo"].per_address)
    for _ in range(allowed):
        Client().post("/demo/run/", {"n": "1"})
    assert Client().post("/demo/run/", {"n": "1"}).status_code == 429


def test_reading_pages_is_never_limited() -> None:
    client = Client()
    for _ in range(per_minute(LIMITS["check"].per_learner) + 5):
        assert client.get(f"/lessons/{SLUG}/steps/1/").status_code == 200


def test_forwarded_addresses_are_trusted_only_when_configured() -> None:
    argv = ["-e", "tcp:port=8000", "course.asgi:application"]
    assert "--proxy-headers" not in daphne_arguments(argv, {})
    assert "--proxy-headers" not in daphne_arguments(argv, {"COURSE_TRUST_PROXY": "0"})
    trusted = daphne_arguments(argv, {"COURSE_TRUST_PROXY": "1"})
    assert trusted[0] == "--proxy-headers" and trusted[-3:] == argv
