"""Nothing a learner can see before answering says which option is right.

Every page, fragment and JSON answer reachable before answering a practice question or
submitting the test is rendered here and searched for the right-answer markers and for the
text of every solution step, option feedback, quick check and common mistake of the bank.
"""

from __future__ import annotations

import functools
import html
import json
import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

from exercises import models
from lessons.options import OPTION_REFERENCE, option_letters
from lessons.selectors import lesson_get
from lessons.types import Lesson

pytestmark = pytest.mark.django_db

SLUG = "why-async-matters"
PRACTICE = f"/lessons/{SLUG}/practice/"
TEST = f"/lessons/{SLUG}/test/"

# What only an answered question's review may carry.
MARKUP_MARKERS = (
    "data-correct",
    "quiz-option--right",
    "quiz-option--wrong",
    "quiz-review",
    "quiz-verdict",
    "quiz-final",
    "✓ Right answer",
    "✗ Your answer",
    "Final answer",
    "Quick check",
    "Common mistakes",
    "Not quite",
    "right_option",
    '"correct"',
    '"solution"',
    '"feedback"',
)


def text_of(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup)).split())


def allowed_text(lesson: Lesson) -> str:
    """Text a learner may see before answering: prompts, options and hints."""
    parts = []
    for question in lesson.questions:
        parts += [question.prompt_html, question.hint_html]
        parts += [option.text_html for option in question.options]
    return text_of(" ".join(parts))


@functools.cache
def secrets_of(lesson: Lesson) -> frozenset[str]:
    """Pieces of every solution, feedback, quick check and common mistake, split at option
    references (which render as letters). Pieces a learner may see anyway are dropped: in the
    seed, one quick check repeats its hint word for word, and the hint is shown on purpose."""
    allowed = allowed_text(lesson)
    secrets = set()
    for question in lesson.questions:
        texts = [*question.solution_html, question.quick_check_html]
        texts += list(question.common_mistakes_html)
        texts += [option.feedback_html for option in question.options]
        for text in texts:
            for piece in OPTION_REFERENCE.sub("\0", text_of(text)).split("\0"):
                piece = piece.strip(" .,;:()“”")
                if len(piece) >= 12 and piece not in allowed:
                    secrets.add(piece)
    return frozenset(secrets)


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    found = lesson_get(slug=SLUG)
    assert found is not None
    return found


def test_the_secrets_are_many(lesson):
    # Guards the guard: the check below must have something to look for.
    assert len(secrets_of(lesson)) > 5 * len(lesson.questions)


def assert_no_leak(lesson: Lesson, label: str, body: str) -> None:
    for marker in MARKUP_MARKERS:
        assert marker not in body, f"{label} shows {marker!r} before answering"
    for question in lesson.questions:
        for option in question.options:
            # Forms post letters; option ids (which can name the idea) stay on the server.
            assert f'value="{option.id}"' not in body, f"{label} names option {option.id}"
    visible = text_of(body)
    for secret in secrets_of(lesson):
        assert secret not in visible, f"{label} leaks {secret!r}"


def seen_before_answering(lesson: Lesson) -> list[tuple[str, str]]:
    client = Client()
    pages: list[tuple[str, str]] = []

    def get(url: str, **headers: str) -> None:
        response = client.get(url, **headers)
        assert response.status_code == 200, url
        pages.append((f"GET {url} {headers}", response.content.decode()))

    get(f"/lessons/{SLUG}/")
    get(PRACTICE)
    for number in range(1, len(lesson.practice_questions) + 1):
        get(f"{PRACTICE}{number}/")
        get(f"{PRACTICE}{number}/", HTTP_HX_REQUEST="true")
        # A refused (empty or forged) check is still "before answering".
        for data in ({}, {"answer": "Q"}):
            response = client.post(f"{PRACTICE}{number}/check/", data, HTTP_HX_REQUEST="true")
            assert response.status_code == 400
            pages.append((f"POST check {number} {data}", response.content.decode()))
    get(TEST)
    response = client.post(TEST + "start/")
    attempt_url = response["Location"]
    pages.append(("POST start", response.content.decode()))
    get(attempt_url)
    get(TEST)
    # Answers saved along the way are still ungraded.
    for number in range(1, 11):
        response = client.post(
            attempt_url + "save/",
            {f"q{n}": "B" for n in range(1, number + 1)},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 204
        pages.append((f"POST save {number}", response.content.decode()))
    get(attempt_url)
    get(attempt_url, HTTP_HX_REQUEST="true")
    # Somebody else's attempt shows nothing of it.
    response = Client().get(attempt_url)
    assert response.status_code == 404
    pages.append(("GET other learner", response.content.decode()))
    get(f"/api/lessons/{SLUG}/quiz/")
    return pages


def test_nothing_leaks_before_answering(lesson):
    pages = seen_before_answering(lesson)
    assert len(pages) > 30
    for label, body in pages:
        assert_no_leak(lesson, label, body)


def test_json_questions_carry_no_answer_key(lesson):
    payload = Client().get(f"/api/lessons/{SLUG}/quiz/").json()
    assert_no_leak(lesson, "GET api", " ".join(json.dumps(payload).split()))
    for item in payload["questions"]:
        for option in item["options"]:
            assert set(option) == {"id", "text"}


def test_api_errors_tell_nothing(lesson):
    client = Client()
    for body in ({"answers": {"why-async-views": "forged"}}, {"answers": {"nope": "x"}}):
        response = client.post(
            f"/api/lessons/{SLUG}/quiz/grade/", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400
        assert_no_leak(lesson, f"api error {body}", response.content.decode())


def test_the_check_finds_a_leak_when_there_is_one(lesson):
    """The same check on an answered question must fire (otherwise it proves nothing)."""
    client = Client()
    body = client.post(f"{PRACTICE}1/check/", {"answer": "A"}).content.decode()
    with pytest.raises(AssertionError):
        assert_no_leak(lesson, "answered", body)
    attempt_url = client.post(TEST + "start/")["Location"]
    client.post(attempt_url + "submit/", {})
    body = client.get(attempt_url).content.decode()
    assert models.TestAttempt.objects.get().submitted_at is not None
    hits = [secret for secret in secrets_of(lesson) if secret in text_of(body)]
    assert len(hits) > 20


def test_option_order_in_the_test_is_not_the_bank_order(lesson):
    """The right option is not always at the same place: each attempt shuffles."""
    client = Client()
    positions = set()
    for _ in range(5):
        attempt_url = client.post(TEST + "start/")["Location"]
        attempt = models.TestAttempt.objects.get(pk=int(re.findall(r"\d+", attempt_url)[-1]))
        for entry in attempt.questions:
            right = lesson.question(entry["id"]).correct_option.id
            positions.add(entry["options"].index(right))
        client.post(attempt_url + "submit/", {})
    assert len(positions) >= 3


def test_a_first_miss_tells_why_that_option_is_wrong_and_nothing_more(lesson):
    client = Client()
    for number, question in enumerate(lesson.practice_questions, start=1):
        letters = option_letters([option.id for option in question.options])
        wrong = next(option for option in question.options if not option.correct)
        response = client.post(f"{PRACTICE}{number}/check/", {"answer": letters[wrong.id]})
        body = response.content.decode()
        assert response.status_code == 200 and "is not it" in body
        said = {
            piece.strip(" .,;:()“”")
            for piece in OPTION_REFERENCE.sub("\0", text_of(wrong.feedback_html)).split("\0")
        }
        visible = text_of(body)
        for secret in secrets_of(lesson) - said:
            assert secret not in visible, f"a first miss on question {number} leaks {secret!r}"
        shown_only_after = ("quiz-option--right", "quiz-final", "✓ Right answer", "Final answer")
        for marker in (*shown_only_after, "Quick check", "Common mistakes", "data-correct"):
            assert marker not in body, f"a first miss on question {number} shows {marker!r}"
