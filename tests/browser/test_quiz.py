"""Practice and the test in a real browser: keyboard only for practice, and screenshots of
both in light and dark, on a desktop and a 390px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SLUG = "why-async-matters"
PHONE = {"width": 390, "height": 844}


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 8) -> None:
    """Press Tab (or Shift+Tab) until the element matching `selector` has focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_practice_wrong_then_right_by_keyboard(page: Page, color_scheme: str) -> None:
    page.goto(f"/lessons/{SLUG}/practice/")
    expect(page.get_by_role("heading", name="Question 1/5")).to_be_visible()
    expect(page.locator("#question .pill--easy")).to_be_visible()

    # The hint opens from the keyboard before answering.
    page.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Async means multitasking without waiting.")).to_be_visible()

    # Into the radio group, down to B (wrong), then to the button.
    page.locator("input[name=answer]").first.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=re.compile("^B"))).to_be_checked()
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # A first miss: why B is wrong, another go, and nothing yet about the right answer.
    verdict = page.locator(".quiz-verdict")
    expect(verdict).to_contain_text("Not quite: B is not it")
    expect(verdict).to_be_focused()
    expect(page.locator(".quiz-feedback")).to_contain_text("The overhead of a coroutine is tiny")
    expect(page.locator(".quiz-final")).to_have_count(0)
    expect(page.get_by_role("radio", name=re.compile("^B"))).to_be_disabled()
    expect(page.locator(".quiz-option--tried")).to_contain_text("You tried this")
    screenshot(page, f"quiz-practice-retry-desktop-{color_scheme}")

    # The worked solution on request, by keyboard.
    tab_to(page, "button[name=reveal]", backwards=True)
    page.keyboard.press("Enter")
    expect(verdict).to_contain_text("Not quite")
    expect(verdict).to_be_focused()
    expect(page.locator(".quiz-final")).to_contain_text("A (“Handle multiple requests")
    expect(page.locator(".quiz-quick")).to_contain_text("Async improves concurrency. → A")
    expect(page.locator(".quiz-option--right")).to_contain_text("✓ Right answer")
    screenshot(page, f"quiz-practice-wrong-desktop-{color_scheme}")
    page.set_viewport_size(PHONE)
    screenshot(page, f"quiz-practice-wrong-phone-{color_scheme}")

    # Back into the group from the verdict, up to A, and check again.
    tab_to(page, "input[name=answer]", backwards=True)
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name=re.compile("^A"))).to_be_checked()
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-verdict")).to_contain_text("Right")
    expect(page.locator(".quiz-verdict")).to_be_focused()

    # On to the next question by keyboard.
    tab_to(page, "a[rel=next]", limit=40)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question 2/5")).to_be_visible()
    expect(page.locator(".quiz-review")).to_have_count(0)


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_take_the_test_and_see_the_review(page: Page, color_scheme: str) -> None:
    page.goto(f"/lessons/{SLUG}/test/")
    expect(page.get_by_text("You have not taken this test yet.")).to_be_visible()
    screenshot(page, f"quiz-test-start-desktop-{color_scheme}")
    page.get_by_role("button", name="Start the test").click()
    expect(page.locator("fieldset")).to_have_count(10)
    expect(page.locator(".quiz-review, .quiz-option--right")).to_have_count(0)
    # htmx loads deferred: an answer chosen before it has run is sent only on submit.
    page.wait_for_load_state("load")

    # The first three answers are saved as the learner goes and survive a reload.
    for number in (1, 2, 3):
        with page.expect_response(re.compile(r"/save/$")) as saved:
            page.locator(f"input[name=q{number}]").nth(1).check()
        assert saved.value.status == 204
    page.reload()
    for number in (1, 2, 3):
        expect(page.locator(f"input[name=q{number}]").nth(1)).to_be_checked()
    for number in range(4, 10):
        page.locator(f"input[name=q{number}]").first.check()
    screenshot(page, f"quiz-test-take-desktop-{color_scheme}")

    page.get_by_role("button", name="Submit the test").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^Your score: \d+/10$"))
    expect(page.locator(".quiz-breakdown tbody tr")).to_have_count(3)
    # The page starts with the score, then only the questions answered wrongly ...
    score, total = map(int, heading.inner_text().removeprefix("Your score: ").split("/"))
    reviewed = page.locator(".quiz-review-list > li")
    expect(reviewed).to_have_count(total - score)
    expect(page.locator(".quiz-badge--right")).to_have_count(0)
    # (question 10 was left unanswered, so it is among them, last)
    expect(reviewed.last).to_contain_text("Not answered")
    screenshot(page, f"quiz-test-result-desktop-{color_scheme}")
    page.set_viewport_size(PHONE)
    screenshot(page, f"quiz-test-result-phone-{color_scheme}")
    page.set_viewport_size({"width": 1280, "height": 900})
    # ... and every question is one click away.
    page.get_by_role("link", name="Show all questions").first.click()
    expect(reviewed).to_have_count(10)
    expect(page.locator(".quiz-final")).to_have_count(10)
    expect(reviewed.nth(9)).to_contain_text("Not answered")
    expect(page.locator(".quiz-badge--right")).to_have_count(score)

    page.goto(f"/lessons/{SLUG}/test/")
    expect(page.locator(".quiz-scores")).to_contain_text(f"{score}/{total}")
    expect(page.get_by_role("button", name="Retake the test")).to_be_visible()
