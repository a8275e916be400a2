"""The guided build, as a learner's browser talks to it (without running JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from exercises.models import StepAttempt, StepWork
from lessons.selectors import lesson_get

pytestmark = pytest.mark.django_db

SLUG = "why-async-matters"
HTMX = {"HX-Request": "true"}


def step_url(number: int, action: str = "") -> str:
    return f"/lessons/{SLUG}/steps/{number}/" + (f"{action}/" if action else "")


def step(number: int):
    lesson = lesson_get(slug=SLUG)
    assert lesson is not None
    found = lesson.step(number)
    assert found is not None
    return found


def editor_code(html: str) -> str:
    """The textarea's content as the browser sees it (first newline dropped, unescaped)."""
    import html as html_lib

    match = re.search(r'<textarea id="code"[^>]*>\n(.*?)</textarea>', html, re.S)
    assert match, "no code editor on the page"
    return html_lib.unescape(match.group(1))


def check(client: Client, number: int, code: str, htmx: bool = False):
    return client.post(step_url(number, "check"), {"code": code}, headers=HTMX if htmx else {})


def text(response) -> str:
    return str(response.content.decode())


def test_step_page_shows_instructions_and_starter_code(client: Client) -> None:
    response = client.get(step_url(1))
    assert response.status_code == 200
    page = text(response)
    assert "Import asyncio and create the Django view function" in page
    assert editor_code(page) == step(1).starter
    assert 'data-editor="python"' in page
    assert "vendor/codemirror/editor.bundle.js" in page
    assert "Progress 0/4 steps" in page
    assert "Show hint 1 of 3" in page
    assert 'id="code-hint" ' in page and "press Escape, then Tab" in page


def test_reference_solution_passes_and_progress_counts_it(client: Client) -> None:
    response = check(client, 1, step(1).solution)
    assert response.status_code == 200
    page = text(response)
    assert "Step passed" in page
    assert "Progress 1/4 steps" in page
    assert "Go to step 2" in page
    assert "Progress 1/4 steps" in text(client.get(f"/lessons/{SLUG}/"))
    work = StepWork.objects.get(lesson_slug=SLUG, step_number=1)
    assert work.passed and work.passed_at is not None and work.code == step(1).solution
    attempt = StepAttempt.objects.get()
    assert attempt.passed and attempt.status == "passed" and attempt.failed == []


def test_wrong_code_gets_the_targeted_message_and_its_line(client: Client) -> None:
    code = "import asyncio\n\n\ndef slow_view(request):\n    pass\n"
    page = text(check(client, 1, code))
    assert "Not yet" in page
    assert "async def" in page
    assert re.search(r'data-line="4"[^>]*>Line 4</a>', page)
    assert "Progress 0/4 steps" in page
    # The learner's code is kept, in the editor and in the database.
    assert editor_code(page) == code
    assert StepWork.objects.get().code == code
    assert StepAttempt.objects.get().failed


def test_message_code_spans_become_code_and_the_rest_is_escaped(client: Client) -> None:
    page = text(check(client, 1, "async def slow_view(request):\n    pass\n"))
    assert "<code>import asyncio</code>" in page


def test_syntax_error_shows_line_column_and_an_explanation(client: Client) -> None:
    page = text(check(client, 1, "import asyncio\n\nasync def slow_view(request)\n    pass\n"))
    assert "Python cannot read this code yet" in page
    assert re.search(r">Line 3, column \d+</a>: ", page)
    assert "Syntax error" in page


def test_htmx_check_returns_the_verdict_fragment_with_out_of_band_progress(
    client: Client,
) -> None:
    response = check(client, 1, step(1).solution, htmx=True)
    page = text(response)
    assert response.status_code == 200
    assert "<html" not in page and "<textarea" not in page
    assert "Step passed" in page
    assert re.search(r'id="build-progress"[^>]*hx-swap-oob="true"', page)
    assert "Progress 1/4 steps" in page
    assert re.search(r'id="solution"[^>]*hx-swap-oob="true"', page)
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_without_htmx_a_check_renders_the_whole_page(client: Client) -> None:
    page = text(check(client, 1, step(1).solution))
    assert "<html" in page and "<textarea" in page and 'role="status"' in page


def test_hints_are_revealed_one_at_a_time_and_kept(client: Client) -> None:
    page = text(client.get(step_url(1)))
    assert "Hint 1 of 3" not in page
    response = client.post(step_url(1, "hint"), {"code": "import asyncio\n"}, headers=HTMX)
    page = text(response)
    assert "Hint 1 of 3" in page and "Hint 2 of 3" not in page
    assert "Show hint 2 of 3" in page
    assert "<html" not in page
    client.post(step_url(1, "hint"), {"code": "import asyncio\n"})
    page = text(client.get(step_url(1)))
    assert "Hint 1 of 3" in page and "Hint 2 of 3" in page and "Hint 3 of 3" not in page
    # The code sent along with the request is kept, unchecked.
    assert editor_code(page) == "import asyncio\n"
    client.post(step_url(1, "hint"), {"code": "import asyncio\n"})
    page = text(client.post(step_url(1, "hint"), {"code": "import asyncio\n"}))
    assert "Hint 3 of 3" in page and "Show hint" not in page
    assert StepWork.objects.get().hints_shown == 3


def test_solution_is_locked_until_the_step_passes(client: Client) -> None:
    page = text(client.get(step_url(1)))
    assert "The solution unlocks" in page and "Reveal the solution" not in page
    response = client.post(step_url(1, "solution"), {"code": "x = 1\n"})
    assert response.status_code == 403
    assert "import asyncio\n\n\nasync def slow_view" not in text(response).split("</form>")[1]
    check(client, 1, step(1).solution)
    page = text(client.get(step_url(1)))
    assert "Reveal the solution" in page
    page = text(client.post(step_url(1, "solution"), {"code": step(1).solution}, headers=HTMX))
    assert "Your code matches the solution line for line." in page
    assert 'class="highlight"' in page


def test_solution_unlocks_after_three_failed_checks_with_a_diff(client: Client) -> None:
    for _ in range(2):
        check(client, 1, "import asyncio\n")
    assert "Reveal the solution" not in text(client.get(step_url(1)))
    check(client, 1, "import asyncio\n")
    assert "Reveal the solution" in text(client.get(step_url(1)))
    page = text(client.post(step_url(1, "solution"), {"code": "import asyncio\nx = 1\n"}))
    assert "Only in your code: </span>x = 1" in page
    assert "Only in the solution: </span>async def slow_view(request):" in page
    assert 'class="diff"' in page


def test_next_step_starts_from_the_learners_own_code(client: Client) -> None:
    mine = "import asyncio  # mine\n\n\nasync def slow_view(request):\n    pass\n"
    check(client, 1, mine)
    page = text(client.get(step_url(2)))
    assert editor_code(page) == mine
    # A fresh learner starts step 2 from its starter.
    assert editor_code(text(Client().get(step_url(2)))) == step(2).starter


def test_start_over_restores_the_starter_code(client: Client) -> None:
    check(client, 1, "import asyncio\n")
    # htmx sends confirm=yes once the learner accepted the confirm dialog.
    page = text(
        client.post(
            step_url(1, "start-over"), {"code": "import asyncio\n", "confirm": "yes"}, headers=HTMX
        )
    )
    assert "starter code of step 1 again" in page
    assert re.search(r'id="editor"[^>]*hx-swap-oob="true"', page)
    assert editor_code(page) == step(1).starter
    assert StepWork.objects.get().code == step(1).starter


def test_oversized_code_is_refused_with_the_limit_named_and_kept(client: Client) -> None:
    code = "import asyncio\n" + "# " + "x" * 900 + "\n" + ("x = 1\n" * 4000)
    response = check(client, 1, code)
    assert response.status_code == 413
    page = text(response)
    assert "Your code was not checked" in page
    assert "limit" in page
    assert editor_code(page) == code
    fragment = check(client, 1, code, htmx=True)
    assert fragment.status_code == 413 and "limit" in text(fragment)
    # Refused code never replaces the saved code, and the attempt is recorded.
    assert not StepWork.objects.filter(code=code).exists()
    assert StepAttempt.objects.filter(status="refused").count() == 2


def test_a_body_larger_than_django_accepts_is_a_400_not_a_500(client: Client) -> None:
    response = check(client, 1, "x" * (300 * 1024))
    assert response.status_code == 400


def test_code_that_is_not_utf8_is_refused_and_kept(client: Client) -> None:
    body = b"code=import+asyncio%0Ax+%3D+%27%FF%FE%27%0A"
    response = client.post(
        step_url(1, "check"), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    page = text(response)
    assert "not valid UTF-8" in page
    assert editor_code(page).startswith("import asyncio\nx = '")
    assert not StepAttempt.objects.exists()


def test_null_bytes_get_a_verdict_and_a_400(client: Client) -> None:
    response = check(client, 1, "import asyncio\x00\n")
    assert response.status_code == 400
    assert "null byte" in text(response)


def test_a_post_without_code_is_a_400(client: Client) -> None:
    response = client.post(step_url(1, "check"), {})
    assert response.status_code == 400
    assert "No code was sent" in text(response)


@pytest.mark.parametrize(
    "url",
    [
        "/lessons/no-such-lesson/steps/1/",
        f"/lessons/{SLUG}/steps/9/",
        f"/lessons/{SLUG}/steps/0/",
        f"/lessons/{SLUG}/steps/9/check/",
    ],
)
def test_unknown_lesson_or_step_is_a_404(client: Client, url: str) -> None:
    response = client.post(url, {"code": "x"}) if url.endswith("check/") else client.get(url)
    assert response.status_code == 404


def test_a_check_without_csrf_token_is_forbidden() -> None:
    client = Client(enforce_csrf_checks=True)
    response = check(client, 1, step(1).solution)
    assert response.status_code == 403
    assert not StepAttempt.objects.exists()


def test_a_check_with_the_csrf_token_works_when_enforced() -> None:
    client = Client(enforce_csrf_checks=True)
    page = text(client.get(step_url(1)))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    response = client.post(
        step_url(1, "check"), {"code": step(1).solution, "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 200 and "Step passed" in text(response)


def test_progress_and_code_survive_a_new_client_with_the_same_session(client: Client) -> None:
    check(client, 1, step(1).solution)
    check(client, 2, "import asyncio\n# working on it\n")
    cookie = client.cookies["sessionid"].value
    later = Client()
    later.cookies["sessionid"] = cookie
    page = text(later.get(step_url(2)))
    # Step 2's code, checked last, no longer holds step 1's view: progress says so.
    assert "Progress 0/4 steps · 1 passed before, not with your latest code" in page
    assert editor_code(page) == "import asyncio\n# working on it\n"
    lesson_page = text(later.get(f"/lessons/{SLUG}/"))
    assert "Progress 0/4 steps" in lesson_page and "Passed before" in lesson_page
    check(later, 2, step(2).solution)
    assert "Progress 2/4 steps" in text(later.get(f"/lessons/{SLUG}/"))


def test_passing_the_last_step_congratulates_with_the_finished_code(client: Client) -> None:
    for number in range(1, 5):
        check(client, number, step(number).solution)
    page = text(client.get(step_url(4)))
    assert "You built an async view" in page
    assert "All 4 steps pass." in page
    assert "Progress 4/4 steps" in page
    fragment = text(check(client, 4, step(4).solution, htmx=True))
    assert re.search(r'id="finished"[^>]*hx-swap-oob="true"', fragment)
    assert "You built an async view" in fragment


def test_steps_list_marks_passed_steps_and_links_neighbours(client: Client) -> None:
    check(client, 1, step(1).solution)
    page = text(client.get(step_url(2)))
    assert "(passed)" in page and "(not passed yet)" in page
    assert "passed before" not in page
    check(client, 2, "x = 1\n")  # breaks step 1 too
    page = text(client.get(step_url(2)))
    assert "(passed)" not in page and "(your latest code no longer passes it)" in page
    assert re.search(r'is-passed-before">\s*<a[^>]*>\s*<span class="build-steps__mark"', page)
    assert f'href="{step_url(1)}"' in page and f'href="{step_url(3)}"' in page
    assert 'aria-current="step"' in page
    assert "Back to the lesson" in page


def test_start_over_without_javascript_asks_first_and_keeps_the_code(client: Client) -> None:
    check(client, 1, "import asyncio\n")
    typed = "import asyncio  # typed, never checked\n"
    response = client.post(step_url(1, "start-over"), {"code": typed})
    page = text(response)
    assert response.status_code == 200
    assert "Start step 1 over?" in page
    assert "Yes, start over" in page and "No, keep my code" in page
    # Nothing is discarded until the learner says yes; what they typed is kept meanwhile.
    assert StepWork.objects.get().code == typed
    assert 'name="confirm" value="yes"' in page
    client.post(step_url(1, "start-over"), {"confirm": "yes"})
    assert StepWork.objects.get().code == step(1).starter


def test_a_draft_is_kept_without_checking_and_shown_on_reload(client: Client) -> None:
    typed = "import asyncio\n\nasync def slow_"
    response = client.post(step_url(1, "draft"), {"code": typed})
    assert response.status_code == 204
    assert editor_code(text(client.get(step_url(1)))) == typed
    work = StepWork.objects.get()
    assert work.checks_run == 0 and not work.passed
    assert not StepAttempt.objects.exists()


def test_a_draft_without_code_is_refused_with_a_message(client: Client) -> None:
    response = client.post(step_url(1, "draft"), {})
    assert response.status_code == 400
    assert "No code was sent" in text(response)
    assert client.get(step_url(1, "draft")).status_code == 405


def test_only_the_latest_attempts_per_step_are_kept(client: Client, monkeypatch) -> None:
    from exercises.build import services

    monkeypatch.setattr(services, "ATTEMPTS_KEPT_PER_STEP", 3)
    for number in range(5):
        check(client, 1, f"import asyncio  # try {number}\n")
    kept = list(StepAttempt.objects.order_by("created_at", "pk").values_list("code", flat=True))
    assert kept == [f"import asyncio  # try {number}\n" for number in (2, 3, 4)]
    assert StepWork.objects.get().checks_run == 5


def test_a_draft_larger_than_a_step_accepts_is_refused(client: Client) -> None:
    from checker import MAX_SUBMISSION_BYTES

    response = client.post(step_url(1, "draft"), {"code": "x" * (MAX_SUBMISSION_BYTES + 1)})
    assert response.status_code == 413
    assert "not saved" in text(response)
    assert not StepWork.objects.exists()
