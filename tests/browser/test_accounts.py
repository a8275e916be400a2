"""Accounts in a real browser: anonymous work that survives signing up, a second browser
that logs in and carries on, a draft found again after a reload, and "my learning"."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from lessons.selectors import lesson_get
from tests.browser.audit import axe_audit
from tests.browser.conftest import PageProblems, screenshot
from tests.browser.test_build import editor_code, editor_type

pytestmark = pytest.mark.browser

SLUG = "why-async-matters"
STEP = f"/lessons/{SLUG}/steps/{{}}/"
PASSWORD = "correct horse battery 9"


def solution(number: int) -> str:
    lesson = lesson_get(slug=SLUG)
    assert lesson is not None
    step = lesson.step(number)
    assert step is not None
    return step.solution


def paste(page: Page, code: str) -> None:
    """Put code in the editor as a whole (typing would auto-indent a solution twice)."""
    page.locator(".cm-content").click()
    page.evaluate(
        "code => { const v = window.AsyncEditor.get('#code');"
        " v.dispatch({changes: {from: 0, to: v.state.doc.length, insert: code}}); }",
        code,
    )


def pass_step(page: Page, number: int) -> None:
    page.goto(STEP.format(number))
    expect(page.locator(".cm-content")).to_be_visible()
    paste(page, solution(number))
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_contain_text("all")
    expect(page.locator("#verdict").get_by_role("heading")).to_contain_text("checks pass")


def test_pass_anonymously_sign_up_and_keep_it_then_carry_on_elsewhere(
    page: Page, browser: Browser, live_server_url: str, page_problems: PageProblems
) -> None:
    username = "learner-one"
    streak = page.locator("a.streak")
    page.goto("/")
    expect(streak).to_contain_text("0-day streak")

    pass_step(page, 1)
    # The pass makes today count: the header says so at once, without a reload.
    expect(streak).to_have_accessible_name("1-day streak")
    page.goto(f"/lessons/{SLUG}/")
    expect(page.get_by_text("Progress 1/4 steps").first).to_be_visible()
    expect(page.get_by_role("link", name="Continue step 2").first).to_be_visible()
    expect(streak).to_have_accessible_name("1-day streak")

    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", name="Sign up")).to_be_visible()
    assert axe_audit(page, "sign up") == []
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # Back on the lesson page, signed in: the anonymous pass is the account's now.
    expect(page.get_by_role("button", name=re.compile("Log out"))).to_be_visible()
    expect(page.get_by_text("Progress 1/4 steps").first).to_be_visible()
    expect(streak).to_have_accessible_name("1-day streak")
    page.goto("/me/")
    expect(page.get_by_text("Build: 1/4 steps")).to_be_visible()
    expect(page.get_by_role("heading", name="Continue where you left off")).to_be_visible()
    assert axe_audit(page, "my learning") == []
    screenshot(page, "me-desktop-light")

    # Typing on step 2, then another browser logs in to the same account.
    page.goto(STEP.format(2))
    expect(page.locator(".cm-content")).to_be_visible()
    draft = solution(1) + "\n# started step 2 on the first computer\n"
    paste(page, draft)
    expect(page.locator("#draft-status")).to_have_text("Draft saved.")

    second = browser.new_context(base_url=live_server_url)
    try:
        other = second.new_page()
        page_problems.watch(other)
        other.goto("/accounts/login/")
        assert axe_audit(other, "log in") == []
        other.get_by_label("Username").fill(username)
        other.get_by_label("Password:").fill(PASSWORD)
        other.get_by_role("button", name="Log in").click()
        expect(other.get_by_role("heading", name="My learning")).to_be_visible()
        expect(other.get_by_text("Build: 1/4 steps")).to_be_visible()
        other.get_by_role("link", name=re.compile(r"^Step 2:")).click()
        expect(other.locator(".cm-content")).to_be_visible()
        assert editor_code(other) == draft
        pass_step(other, 2)
        other.goto(f"/lessons/{SLUG}/")
        expect(other.get_by_text("Progress 2/4 steps").first).to_be_visible()
        expect(other.get_by_role("link", name="Continue step 3").first).to_be_visible()
    finally:
        second.close()


def test_a_reload_mid_typing_finds_the_draft(page: Page) -> None:
    page.goto(STEP.format(1))
    expect(page.locator(".cm-content")).to_be_visible()
    editor_type(page, "import asyncio\n\n\nasync def half_typed")
    # Reloaded before the draft could reach the server: the browser's copy comes back.
    page.reload()
    expect(page.locator(".cm-content")).to_be_visible()
    expect(page.locator("#draft-status")).not_to_be_hidden()
    assert editor_code(page) == "import asyncio\n\n\nasync def half_typed"
    # And it reaches the server: a browser without that copy finds it too.
    expect(page.locator("#draft-status")).to_have_text("Draft saved.")
    page.evaluate("localStorage.clear()")
    page.reload()
    expect(page.locator(".cm-content")).to_be_visible()
    assert editor_code(page) == "import asyncio\n\n\nasync def half_typed"


def test_start_over_asks_first_without_javascript(browser: Browser, live_server_url: str) -> None:
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(STEP.format(1))
        page.get_by_label("Your code").fill("import asyncio  # mine\n")
        page.get_by_role("button", name="Start over").click()
        expect(page.get_by_role("heading", name="Start step 1 over?")).to_be_visible()
        assert axe_audit(page, "start over, no JS") == []
        page.get_by_role("link", name="No, keep my code").click()
        expect(page.get_by_label("Your code")).to_have_value("import asyncio  # mine\n")
        page.get_by_role("button", name="Start over").click()
        page.get_by_role("button", name="Yes, start over").click()
        expect(page.get_by_text("holds the starter code of step 1 again")).to_be_visible()
    finally:
        context.close()


def test_export_my_data_then_delete_my_account(page: Page) -> None:
    pass_step(page, 1)
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("leaving-learner")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.goto("/me/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["username"] == "leaving-learner"
    assert data["work"]["exercises.stepwork"][0]["passed"] is True

    page.get_by_role("link", name="Delete my account…").click()
    expect(page.get_by_role("heading", name="Delete your account?")).to_be_visible()
    assert axe_audit(page, "delete account") == []
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and all your work are deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator("a.streak")).to_have_accessible_name("0-day streak")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("leaving-learner")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_a_draft_too_large_for_a_step_stays_in_the_browser(page: Page) -> None:
    page.goto(STEP.format(1))
    expect(page.locator(".cm-content")).to_be_visible()
    paste(page, "import asyncio\n" + "x = 1\n" * 5000)
    expect(page.locator("#draft-status")).to_contain_text("kept in this browser only")
    page.reload()
    expect(page.locator(".cm-content")).to_be_visible()
    assert editor_code(page).count("x = 1") == 5000


def test_start_over_dismissed_keeps_the_code(page: Page) -> None:
    page.goto(STEP.format(1))
    expect(page.locator(".cm-content")).to_be_visible()
    editor_type(page, "import asyncio  # keep me")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Start over").click()
    expect(page.locator("#draft-status")).to_have_text("Draft saved.")
    assert editor_code(page) == "import asyncio  # keep me"
    page.reload()
    expect(page.locator(".cm-content")).to_be_visible()
    assert editor_code(page) == "import asyncio  # keep me"


def test_the_browser_tells_the_server_its_time_zone(browser: Browser, live_server_url: str) -> None:
    context = browser.new_context(base_url=live_server_url, timezone_id="Pacific/Kiritimati")
    try:
        page = context.new_page()
        page.goto("/")
        page.wait_for_function("document.cookie.includes('tz=')")
        cookies = {cookie["name"]: cookie["value"] for cookie in context.cookies()}
        assert cookies["tz"] == "Pacific/Kiritimati"
        page.goto("/me/")
        expect(page.get_by_text("Pacific/Kiritimati", exact=True)).to_be_visible()
    finally:
        context.close()
