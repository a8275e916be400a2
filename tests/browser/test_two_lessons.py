"""Two lessons side by side in a real browser: the suite's fixture lesson has pages, steps,
progress and quizzes of its own, and never borrows the seed lesson's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.audit import axe_audit
from tests.conftest import FIXTURE_SLUG, SEED_SLUG

pytestmark = pytest.mark.browser

LESSON = f"/lessons/{FIXTURE_SLUG}/"
SOLUTION = "import asyncio\n\n\nasync def greet(request):\npass"


def card(page: Page, slug: str):
    return page.locator(".lesson-card").filter(
        has=page.locator(f'.lesson-card__title a[href="/lessons/{slug}/"]')
    )


def test_a_learner_builds_the_second_lesson_and_only_its_progress_moves(page: Page) -> None:
    page.goto("/")
    expect(card(page, FIXTURE_SLUG)).to_contain_text("0/2 steps")
    expect(card(page, SEED_SLUG)).to_contain_text("0/4 steps")
    card(page, FIXTURE_SLUG).get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Greet politely")
    expect(page.get_by_text("Progress 0/2 steps").first).to_be_visible()
    assert axe_audit(page, "fixture lesson") == []
    page.get_by_role("link", name="Start step 1").click()

    expect(page.locator(".cm-content")).to_be_visible()
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(SOLUTION)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#verdict")).to_contain_text("Step passed")
    expect(page.locator("#build-progress")).to_contain_text("Progress 1/2 steps")

    page.goto("/")
    expect(card(page, FIXTURE_SLUG)).to_contain_text("1/2 steps")
    expect(card(page, SEED_SLUG)).to_contain_text("0/4 steps")

    page.goto(f"{LESSON}practice/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practice questions")
    expect(page.get_by_text("What does greet send back?")).to_be_visible()
    expect(page.get_by_text("Done waiting!")).to_have_count(0)
