"""Practice and the test through the Django test client, as a learner's browser would."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.test import Client

from exercises import models
from exercises.quiz import attempts
from lessons.options import option_letters
from lessons.selectors import lesson_get

pytestmark = pytest.mark.django_db

SLUG = "why-async-matters"
PRACTICE = f"/lessons/{SLUG}/practice/"
TEST = f"/lessons/{SLUG}/test/"


@pytest.fixture
def lesson():
    return lesson_get(slug=SLUG)


def start_attempt(client: Client) -> models.TestAttempt:
    response = client.post(TEST + "start/")
    assert response.status_code == 302
    attempt_id = int(re.search(r"/test/(\d+)/$", response["Location"]).group(1))
    return models.TestAttempt.objects.get(pk=attempt_id)


def letters_for(lesson, attempt, *, right: bool) -> dict[str, str]:
    """The form a learner would post: right (or wrong) letters by the attempt's order."""
    data = {}
    for number, entry in enumerate(attempt.questions, start=1):
        question = lesson.question(entry["id"])
        letters = option_letters(entry["options"])
        option = next(o for o in question.options if o.correct == right)
        data[f"q{number}"] = letters[option.id]
    return data


# --- Practice ------------------------------------------------------------------------------


def test_practice_shows_the_first_question(client, lesson):
    response = client.get(PRACTICE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question 1/5" in html
    assert "pill--easy" in html
    assert "Why is using async views in Django important?" in html
    assert "Show hint" in html and "Async means multitasking without waiting." in html
    assert f'href="{PRACTICE}2/"' in html
    assert "Previous" not in html


def test_practice_walks_all_five_in_order(client, lesson):
    for number, question in enumerate(lesson.practice_questions, start=1):
        html = client.get(f"{PRACTICE}{number}/").content.decode()
        assert f"Question {number}/5" in html
        assert f"pill--{question.difficulty}" in html
    last = client.get(f"{PRACTICE}5/").content.decode()
    assert "Take the test" in last and f'href="{PRACTICE}4/"' in last


@pytest.mark.parametrize("url", [f"{PRACTICE}0/", f"{PRACTICE}6/", "/lessons/nope/practice/"])
def test_practice_out_of_range_is_404(client, url):
    assert client.get(url).status_code == 404


def test_practice_a_first_miss_gets_another_go_without_the_answer(client, lesson):
    url = f"{PRACTICE}1/check/"
    response = client.post(url, {"answer": "B"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not quite: B is not it" in html
    assert "The overhead of a coroutine is tiny" in html  # why B is wrong
    # Nothing says which option is right yet.
    assert "Final answer" not in html and "✓ Right answer" not in html
    assert "Async improves concurrency." not in html  # the quick check
    assert "Options you tried: B." in html
    assert '<input type="hidden" name="tried" value="B">' in html
    assert re.search(r'value="B" disabled', html)
    assert "Show the answer" in html
    # Asking for the answer shows the worked solution; nothing new is recorded.
    html = client.post(url, {"tried": "B", "reveal": "1"}).content.decode()
    assert "Final answer" in html and "✓ Right answer" in html
    assert 'You chose <span class="option-ref"><strong>B</strong>' in html
    assert models.QuizAnswer.objects.count() == 1


def test_practice_a_second_miss_shows_the_solution_and_what_was_tried(client, lesson):
    url = f"{PRACTICE}1/check/"
    client.post(url, {"answer": "B"})
    html = client.post(url, {"answer": "C", "tried": "B"}).content.decode()
    assert "Final answer" in html and "<strong>A</strong> (“Handle multiple requests" in html
    assert "Options you tried: B, C." in html
    assert "✗ Your answer" in html and "✗ You tried this" in html
    # A forged tried list is cleaned, never an error.
    html = client.post(url, {"answer": "C", "tried": ["Z", "<b>", "C"]}).content.decode()
    assert "Not quite: C is not it" in html and "Options you tried: C." in html


def test_practice_wrong_then_right(client, lesson):
    url = f"{PRACTICE}1/check/"
    client.post(url, {"answer": "C"})
    response = client.post(url, {"answer": "B", "tried": "C"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not quite" in html
    assert 'You chose <span class="option-ref"><strong>B</strong> (“Run slower' in html
    assert "The overhead of a coroutine is tiny" in html
    assert "Final answer" in html and "<strong>A</strong> (“Handle multiple requests" in html
    assert (
        'Async improves concurrency. <span aria-label="answer">→</span> <strong>A</strong>' in html
    )
    assert "Thinking async makes Django slower" in html
    assert "✓ Right answer" in html and "✗ Your answer" in html

    response = client.post(url, {"answer": "A"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="question"' in html
    assert "✓</span> Right" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]

    answers = list(models.QuizAnswer.objects.order_by("pk").values_list("option_id", "correct"))
    assert answers[1:] == [("slower", False), ("concurrent", True)]


@pytest.mark.parametrize("data", [{}, {"answer": "Z"}, {"answer": "concurrent"}, {"answer": ""}])
def test_practice_missing_or_forged_answer_is_400(client, data):
    response = client.post(f"{PRACTICE}1/check/", data)
    assert response.status_code == 400
    assert "Choose one of the options" in response.content.decode()
    assert models.QuizAnswer.objects.count() == 0


def test_practice_check_needs_post(client):
    assert client.get(f"{PRACTICE}1/check/").status_code == 405


# --- The test ------------------------------------------------------------------------------


def test_start_page_before_any_attempt(client):
    html = client.get(TEST).content.decode()
    assert "Start the test" in html
    assert "You have not taken this test yet." in html


def test_take_and_submit_all_right(client, lesson):
    attempt = start_attempt(client)
    assert len(attempt.questions) == 10
    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    assert html.count("<fieldset") == 10
    assert "Submit the test" in html

    response = client.post(f"{TEST}{attempt.pk}/submit/", letters_for(lesson, attempt, right=True))
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total) == (10, 10)
    assert attempt.submitted_at is not None

    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    assert "Your score: 10/10" in html
    assert html.count("Final answer") == 10
    for difficulty in ("Easy", "Medium", "Hard"):
        assert re.search(rf">{difficulty}</span></th><td>\d/\d</td>", html)

    start = client.get(TEST).content.decode()
    assert "Best" in start and "Latest" in start and "10/10" in start
    assert "Retake the test" in start


def test_review_uses_the_attempts_letters(client, lesson):
    attempt = start_attempt(client)
    client.post(f"{TEST}{attempt.pk}/submit/", letters_for(lesson, attempt, right=False))
    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    assert "Your score: 0/10" in html
    first = attempt.questions[0]
    question = lesson.question(first["id"])
    letter = option_letters(first["options"])[question.correct_option.id]
    review = html.split("Question 1/10")[1].split("Question 2/10")[0]
    assert f'<p class="quiz-final"><span class="option-ref"><strong>{letter}</strong>' in review


def test_unanswered_and_forged_answers_count_as_not_answered(client, lesson):
    attempt = start_attempt(client)
    data = letters_for(lesson, attempt, right=True)
    data["q1"] = "Z"
    data["q2"] = lesson.question(
        attempt.questions[1]["id"]
    ).correct_option.id  # an id, not a letter
    del data["q3"]
    data["q99"] = "A"
    response = client.post(f"{TEST}{attempt.pk}/submit/", data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert (attempt.score, attempt.total) == (7, 10)
    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    assert html.count("quiz-badge--unanswered") == 3


def test_double_submit_records_one_attempt(client, lesson):
    attempt = start_attempt(client)
    url = f"{TEST}{attempt.pk}/submit/"
    first = client.post(url, letters_for(lesson, attempt, right=True))
    second = client.post(url, letters_for(lesson, attempt, right=False))
    assert first.status_code == second.status_code == 302
    assert models.TestAttempt.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.score == 10


def test_start_twice_continues_the_open_attempt_and_retake_draws_again(client, lesson):
    first = start_attempt(client)
    assert start_attempt(client).pk == first.pk
    assert "Continue the test" in client.get(TEST).content.decode()
    client.post(f"{TEST}{first.pk}/submit/", {})
    retakes = [start_attempt(client) for _ in range(1)]
    assert retakes[0].pk != first.pk
    # The retake's order is its own and stays put on review.
    retake = retakes[0]
    client.post(f"{TEST}{retake.pk}/submit/", letters_for(lesson, retake, right=True))
    retake.refresh_from_db()
    assert retake.score == 10
    start = client.get(TEST).content.decode()
    assert "0/10" in start and "10/10" in start


def test_answers_are_saved_as_the_learner_goes(client, lesson):
    attempt = start_attempt(client)
    data = letters_for(lesson, attempt, right=False)
    response = client.post(f"{TEST}{attempt.pk}/save/", {"q1": data["q1"]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    assert html.count(" checked") == 1
    assert f'name="q1" value="{data["q1"]}" checked' in html
    attempt.refresh_from_db()
    assert attempt.score is None and attempt.submitted_at is None

    client.post(f"{TEST}{attempt.pk}/submit/", data)
    response = client.post(f"{TEST}{attempt.pk}/save/", {"q1": "A"})
    assert response.status_code == 409


def test_another_learners_attempt_is_404(client, lesson):
    attempt = start_attempt(client)
    other = Client()
    other.get(PRACTICE)
    for response in (
        other.get(f"{TEST}{attempt.pk}/"),
        other.post(f"{TEST}{attempt.pk}/submit/", letters_for(lesson, attempt, right=True)),
        other.post(f"{TEST}{attempt.pk}/save/", {"q1": "A"}),
    ):
        assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    assert client.get(f"{TEST}999999/").status_code == 404


def test_every_form_post_needs_csrf(lesson):
    client = Client(enforce_csrf_checks=True)
    client.get(PRACTICE)
    assert client.post(f"{PRACTICE}1/check/", {"answer": "A"}).status_code == 403
    assert client.post(TEST + "start/").status_code == 403
    assert models.QuizAnswer.objects.count() == 0
    assert models.TestAttempt.objects.count() == 0

    # With the token from the page, the same posts work.
    token = client.cookies["csrftoken"].value
    assert (
        client.post(
            f"{PRACTICE}1/check/", {"answer": "A", "csrfmiddlewaretoken": token}
        ).status_code
        == 200
    )
    response = client.post(TEST + "start/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    attempt = models.TestAttempt.objects.get()
    assert client.post(f"{TEST}{attempt.pk}/submit/", {}).status_code == 403
    assert client.post(f"{TEST}{attempt.pk}/save/", {}).status_code == 403
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_pages_render_forms_with_csrf_tokens(client):
    assert 'name="csrfmiddlewaretoken"' in client.get(TEST).content.decode()
    attempt = start_attempt(client)
    for url in (PRACTICE, f"{TEST}{attempt.pk}/"):
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()


def test_practice_keeps_the_first_answer_and_the_latest_ones(client, lesson, monkeypatch):
    from exercises.quiz import practice

    monkeypatch.setattr(practice, "ANSWERS_KEPT_PER_QUESTION", 3)
    url = f"{PRACTICE}1/check/"
    made = []
    for letter in ["B", "A", "A", "B", "A"]:
        client.post(url, {"answer": letter})
        made.append(models.QuizAnswer.objects.latest("pk").pk)
    kept = list(models.QuizAnswer.objects.order_by("pk").values_list("pk", flat=True))
    # The first answer (what instructors count) and the latest two.
    assert kept == [made[0], made[-2], made[-1]]


def test_result_starts_with_the_wrong_answers_and_shows_all_on_request(client, lesson):
    attempt = start_attempt(client)
    data = letters_for(lesson, attempt, right=True)
    wrong = letters_for(lesson, attempt, right=False)
    data["q2"], data["q5"] = wrong["q2"], wrong["q5"]
    client.post(f"{TEST}{attempt.pk}/submit/", data)
    url = f"{TEST}{attempt.pk}/"
    html = client.get(url).content.decode()
    assert "Your score: 8/10" in html
    assert "The 2 questions you answered wrongly" in html
    assert html.count('class="card quiz-question"') == 2
    assert "Question 2/10" in html and "Question 5/10" in html and "Question 1/10" not in html
    assert html.count("Final answer") == 2
    # One click (a plain link, no JavaScript) to the whole review.
    assert f'href="{url}?all=1#review-heading">Show all questions</a>' in html
    html = client.get(url, {"all": "1"}).content.decode()
    assert "All 10 questions" in html and html.count('class="card quiz-question"') == 10
    assert f'href="{url}#review-heading">Show only the 2 answered wrongly</a>' in html


def test_a_reviewed_question_links_to_where_the_lesson_teaches_it(client, lesson, monkeypatch):
    # What a question's `Teaches:` names: a step, or a concept of the lesson page.
    step = attempts.question_teaching(lesson=lesson, question=SimpleNamespace(teaches="step-3"))
    assert step == attempts.Teaching(label=f"Step 3: {lesson.step(3).title}", step=3)
    concept = attempts.question_teaching(lesson=lesson, question=SimpleNamespace(teaches="loop"))
    assert concept is not None and concept.concept == "loop"
    assert attempts.question_teaching(lesson=lesson, question=SimpleNamespace()) is None
    missing_step = SimpleNamespace(teaches="step-9")
    assert attempts.question_teaching(lesson=lesson, question=missing_step) is None

    monkeypatch.setattr(attempts, "question_teaching", lambda **_: step)
    attempt = start_attempt(client)
    client.post(f"{TEST}{attempt.pk}/submit/", letters_for(lesson, attempt, right=False))
    html = client.get(f"{TEST}{attempt.pk}/").content.decode()
    link = f'Where the lesson teaches this: <a href="/lessons/{SLUG}/steps/3/">Step 3: '
    assert html.count(link) == 10
