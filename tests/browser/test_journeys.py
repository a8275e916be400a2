"""Whole learner journeys in Debian's Chromium against the real Daphne server.

catalogue → lesson → the four steps typed into the editor (one mistake, one hint) → the demo
(a browser-fired run and a server-fired run) → practice → the 10-question test → the
catalogue again after a reload, with progress shown. Once with the mouse, once by keyboard
alone, and once with JavaScript off (the lesson, the steps and the quiz as plain forms).
Every state is audited with axe-core; the `page` fixture fails a test on any console error,
failed request or request to another host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.audit import axe_audit
from tests.browser.conftest import PageProblems, screenshot

pytestmark = pytest.mark.browser

SLUG = "why-async-matters"
LESSON = f"/lessons/{SLUG}/"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

# Each step's code as a learner would end up with it; a step starts from the previous one.
MISTAKE = "import asyncio\n\n\ndef slow_view(request):\n    pass\n"
STEPS = {
    1: "import asyncio\n\n\nasync def slow_view(request):\n    pass\n",
    2: "import asyncio\n\nWAIT_TIME = 3\n\n\nasync def slow_view(request):\n    pass\n",
    3: "import asyncio\n\nWAIT_TIME = 3\n\n\nasync def slow_view(request):\n"
    "    await asyncio.sleep(WAIT_TIME)\n",
    4: "import asyncio\n\nfrom django.http import HttpResponse\n\nWAIT_TIME = 3\n\n\n"
    "async def slow_view(request):\n    await asyncio.sleep(WAIT_TIME)\n"
    "    return HttpResponse('Done waiting!')\n",
}


class Audit:
    """Collects axe violations over a journey, so one test reports every state at once."""

    def __init__(self) -> None:
        self.violations: list[dict] = []

    def __call__(self, page: Page, name: str) -> None:
        self.violations += axe_audit(page, name)


@pytest.fixture
def audit() -> Iterator[Audit]:
    collected = Audit()
    yield collected
    assert collected.violations == [], "\n".join(
        f"{v['context']}: {v['id']} ({v['impact']}) {v['help']} at {v['targets'][:3]}"
        for v in collected.violations
    )


def active(page: Page) -> str:
    """What has focus, as a short description: tag, role/class and text."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()}"
            "${e.id ? '#' + e.id : ''}.${e.className}: ${(e.innerText || e.value || '')"
            ".trim().slice(0, 80)}` : ''; }"
        )
    )


def focus_matches(page: Page, selector: str, text: str | None) -> bool:
    return bool(
        page.evaluate(
            "([s, t]) => { const e = document.activeElement;"
            " return !!e && e.matches(s) && (!t || (e.innerText || e.value || '').includes(t)); }",
            [selector, text],
        )
    )


def tab_to(
    page: Page, selector: str, text: str | None = None, *, back: bool = False, limit: int = 60
) -> None:
    """Press Tab (or Shift+Tab) until focus is on `selector` (whose text contains `text`)."""
    for _ in range(limit):
        if focus_matches(page, selector, text):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    if not focus_matches(page, selector, text):
        raise AssertionError(f"Tab never reached {selector} {text!r}; focus is on {active(page)}")


def editor_replace(page: Page, code: str) -> None:
    """Replace everything in the (focused) editor; insert_text skips auto-indent."""
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(code)


def editor_code(page: Page) -> str:
    return str(page.evaluate("window.AsyncEditor.get('#code').state.doc.toString()"))


def seed_card(page: Page):
    """The seed lesson's card in the catalogue (other lessons have cards of their own)."""
    return page.locator(".lesson-card").filter(
        has=page.locator(f'.lesson-card__title a[href="{LESSON}"]')
    )


def wait_for_editor(page: Page) -> None:
    expect(page.locator(".cm-content")).to_be_visible()


# --- the journey with a mouse -------------------------------------------------------------


def test_a_new_learner_takes_the_whole_course(page: Page, audit: Audit) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(seed_card(page)).to_contain_text("0/4 steps")
    audit(page, "catalogue")
    seed_card(page).get_by_role("link", name="Why async matters in Django").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Why async matters in Django")
    expect(page.get_by_role("navigation", name="Lesson path")).to_be_visible()
    audit(page, "lesson")
    page.get_by_role("link", name="Start step 1").click()

    # Step 1, with a mistake first: a plain def.
    wait_for_editor(page)
    page.locator(".cm-content").click()
    editor_replace(page, MISTAKE)
    check = page.get_by_role("button", name="Check", exact=True)
    check.click()
    verdict = page.locator("#verdict")
    expect(verdict.get_by_role("heading")).to_contain_text("Not yet")
    expect(verdict).to_contain_text("async def")
    # The verdict is announced from a live region; focus stays on the button pressed.
    expect(verdict).to_have_attribute("aria-live", "polite")
    expect(check).to_be_focused()
    audit(page, "step 1 with a failed check")

    page.get_by_role("button", name="Show hint 1 of 3").click()
    expect(page.locator("#hint-1")).to_be_focused()
    audit(page, "step 1 with a hint")

    for number, code in STEPS.items():
        if number > 1:
            page.get_by_role("link", name=re.compile(f"^Go to step {number}")).click()
            expect(page.get_by_text(f"Step {number} of 4")).to_be_visible()
            wait_for_editor(page)
        page.locator(".cm-content").click()
        editor_replace(page, code)
        assert editor_code(page) == code
        check.click()
        expect(verdict.get_by_role("heading")).to_contain_text("Step passed")
        expect(page.locator("#build-progress")).to_contain_text(f"Progress {number}/4 steps")
    expect(page.locator("#finished")).to_contain_text("You built an async view")
    audit(page, "step 4 passed, build finished")

    # The demo: one run from the browser, one fired by the server.
    page.locator("#finished").get_by_role("link", name="Open the demo lab").click()
    expect(page.get_by_role("heading", name="See it in action", level=1)).to_be_visible()
    audit(page, "demo")
    browser_form = page.locator("#browser-form")
    browser_form.get_by_label("your slow_view", exact=False).check()
    browser_form.get_by_label("Parallel requests (N)").fill("4")
    browser_form.get_by_label("Your prediction").fill("0.3")
    browser_form.get_by_role("button", name="Fire the requests").click()
    expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)
    expect(page.locator("#browser-run tbody tr")).to_have_count(4)
    expect(page.locator("#browser-summary")).to_contain_text("4 requests took")
    audit(page, "demo after a browser-fired run")

    server_form = page.locator("#server-form")
    server_form.get_by_label("your slow_view", exact=False).check()
    server_form.get_by_label("Requests (N)").fill("50")
    server_form.get_by_label("Your prediction").fill("0.4")
    server_form.get_by_role("button", name="Fire from the server").click()
    expect(page.locator('[data-progress-percent="100"]')).to_be_visible(timeout=30_000)
    expect(page.locator("#server-summary")).to_contain_text("50 requests to slow_view took")
    audit(page, "demo after a server-fired run")

    # Practice: a wrong answer, then the right one; the verdict takes focus.
    page.goto(LESSON)
    page.locator("#prove").get_by_role("link", name="Practice").click()
    expect(page.get_by_role("heading", name="Question 1/5")).to_be_visible()
    page.get_by_text("Show hint").click()
    audit(page, "practice with the hint open")
    page.get_by_role("radio", name=re.compile("^B")).check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".quiz-verdict")).to_contain_text("Not quite")
    expect(page.locator(".quiz-verdict")).to_be_focused()
    audit(page, "practice, wrong answer checked")
    page.get_by_role("radio", name=re.compile("^A")).check()
    page.get_by_role("button", name="Check again").click()
    expect(page.locator(".quiz-verdict")).to_contain_text("Right")
    expect(page.locator(".quiz-verdict")).to_be_focused()

    # The test: all ten questions, then the result.
    page.goto(f"{LESSON}test/")
    audit(page, "test start")
    page.get_by_role("button", name="Start the test").click()
    expect(page.locator("fieldset")).to_have_count(10)
    page.wait_for_load_state("load")  # htmx is deferred: it saves answers once it has run
    audit(page, "test, unanswered")
    for number in range(1, 11):
        with page.expect_response(re.compile(r"/save/$")):
            page.locator(f"input[name=q{number}]").first.check()
    page.get_by_role("button", name="Submit the test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Your score: \d+/10$"))
    audit(page, "test result")
    show_all = page.get_by_role("link", name="Show all questions")
    if show_all.count():  # absent only after a perfect score, when all are shown anyway
        show_all.first.click()
    expect(page.locator(".quiz-review-list > li")).to_have_count(10)
    audit(page, "test result, all questions")

    # Back to the catalogue: progress survives a reload.
    page.get_by_role("link", name="Lessons", exact=True).first.click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.reload()
    expect(seed_card(page)).to_contain_text("4/4 steps")
    seed_card(page).get_by_role("link", name="Why async matters in Django").click()
    expect(page.get_by_text("Progress 4/4 steps").first).to_be_visible()


# --- the same journey by keyboard alone ---------------------------------------------------


def test_the_same_journey_by_keyboard_alone(page: Page, audit: Audit) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    # The skip link comes first and lands on the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    tab_to(page, "a", "Why async matters in Django")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Why async matters")
    tab_to(page, "a", "Guided build")
    page.keyboard.press("Enter")

    for number, code in STEPS.items():
        expect(page.get_by_text(f"Step {number} of 4")).to_be_visible()
        wait_for_editor(page)
        tab_to(page, ".cm-content")
        if number == 1:
            editor_replace(page, MISTAKE)
            page.keyboard.press("Escape")
            page.keyboard.press("Tab")
            expect(page.get_by_role("button", name="Check", exact=True)).to_be_focused()
            page.keyboard.press("Enter")
            expect(page.locator("#verdict")).to_contain_text("Not yet")
            expect(page.get_by_role("button", name="Check", exact=True)).to_be_focused()
            # The hint button comes before the editor: back up to it.
            tab_to(page, "button", "Show hint 1 of 3", back=True)
            page.keyboard.press("Space")
            expect(page.locator("#hint-1")).to_be_focused()
            audit(page, "keyboard: step 1 with a failed check and a hint")
            tab_to(page, ".cm-content")
        editor_replace(page, code)
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(page.locator("#verdict")).to_contain_text("Step passed")
        if number < 4:
            tab_to(page, "a", f"Go to step {number + 1}")
            page.keyboard.press("Enter")
    expect(page.locator("#finished")).to_contain_text("You built an async view")
    tab_to(page, "#finished a", "Open the demo lab")
    page.keyboard.press("Enter")

    # The demo by keyboard: radio groups move with the arrow keys, numbers are typed.
    expect(page.get_by_role("heading", name="See it in action", level=1)).to_be_visible()
    tab_to(page, "#browser-form input[type=radio]")
    tab_to(page, "#browser-form input[name$=n], #browser-form input[id=browser-n]")
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Tab")
    page.keyboard.type("0.3")
    tab_to(page, "#browser-form button")
    page.keyboard.press("Enter")
    expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)
    expect(page.locator("#browser-summary")).to_contain_text("3 requests took")

    tab_to(page, "#server-form input[id=server-n]")
    page.keyboard.press("Control+A")
    page.keyboard.type("50")
    tab_to(page, "#server-form button")
    page.keyboard.press("Enter")
    expect(page.locator('[data-progress-percent="100"]')).to_be_visible(timeout=30_000)
    audit(page, "keyboard: demo after both runs")

    # Practice by keyboard: Space picks the first option; the verdict takes focus.
    page.goto(LESSON)
    tab_to(page, "#prove a", "Practice")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Question 1/5")).to_be_visible()
    tab_to(page, "summary", "Show hint")
    page.keyboard.press("Enter")
    tab_to(page, "input[type=radio]")
    page.keyboard.press("Space")
    tab_to(page, "button", "Check answer")
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-verdict")).to_be_focused()
    audit(page, "keyboard: practice checked")

    # The test by keyboard: Tab into each group, Space on its first option.
    page.goto(f"{LESSON}test/")
    tab_to(page, "button", "Start the test")
    page.keyboard.press("Enter")
    expect(page.locator("fieldset")).to_have_count(10)
    page.wait_for_load_state("load")  # htmx is deferred: it saves answers once it has run
    for number in range(1, 11):
        tab_to(page, f"input[name=q{number}]")
        with page.expect_response(re.compile(r"/save/$")):
            page.keyboard.press("Space")
    tab_to(page, "button", "Submit the test")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Your score: \d+/10$"))

    # Home by keyboard, then a reload: progress is shown.
    # A new page starts with focus at the top: the nav is a few Tabs away.
    tab_to(page, ".site-nav a", "Lessons", limit=5)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    page.reload()
    expect(seed_card(page)).to_contain_text("4/4 steps")


# --- with JavaScript off ------------------------------------------------------------------


def test_the_course_works_without_javascript(
    browser: Browser, live_server_url: str, page_problems: PageProblems, audit: Audit
) -> None:
    context = browser.new_context(
        base_url=live_server_url, java_script_enabled=False, viewport=DESKTOP
    )
    page = context.new_page()
    page_problems.watch(page)
    try:
        page.goto("/")
        audit(page, "no-js: catalogue")
        seed_card(page).get_by_role("link", name="Why async matters in Django").click()
        audit(page, "no-js: lesson")
        page.get_by_role("link", name="Start step 1").click()

        textarea = page.get_by_label("Your code")
        expect(textarea).to_be_visible()
        expect(page.locator(".cm-content")).to_have_count(0)
        textarea.fill(MISTAKE)
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.locator("#verdict")).to_contain_text("Not yet")
        expect(page.get_by_label("Your code")).to_have_value(MISTAKE)
        page.get_by_role("button", name="Show hint 1 of 3").click()
        expect(page.locator("#hint-1")).to_contain_text("Hint 1 of 3")
        audit(page, "no-js: step 1 with a failed check and a hint")
        for number, code in STEPS.items():
            if number > 1:
                page.get_by_role("link", name=re.compile(f"^Go to step {number}")).click()
            page.get_by_label("Your code").fill(code)
            page.get_by_role("button", name="Check", exact=True).click()
            expect(page.locator("#verdict")).to_contain_text("Step passed")
            expect(page.get_by_text(f"Progress {number}/4 steps")).to_be_visible()
        audit(page, "no-js: build finished")

        page.goto(f"{LESSON}practice/")
        page.get_by_role("radio", name=re.compile("^B")).check()
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator(".quiz-verdict")).to_contain_text("Not quite")
        audit(page, "no-js: practice checked")

        page.goto(f"{LESSON}test/")
        page.get_by_role("button", name="Start the test").click()
        expect(page.locator("fieldset")).to_have_count(10)
        for number in range(1, 11):
            page.locator(f"input[name=q{number}]").first.check()
        page.get_by_role("button", name="Submit the test").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            re.compile(r"^Your score: \d+/10$")
        )
        audit(page, "no-js: test result")

        page.goto("/")
        expect(seed_card(page)).to_contain_text("4/4 steps")
    finally:
        context.close()
    assert page_problems.errors == [], page_problems.errors


# --- every page, desktop and phone, light and dark ----------------------------------------


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_looks_right_and_passes_the_audit(
    page: Page, audit: Audit, color_scheme: str, width: str
) -> None:
    """Each page once per variant: a screenshot in test-artifacts/screenshots/, an axe audit
    (contrast included, so light and dark are both checked) and nothing sticking out sideways."""
    page.set_viewport_size(PHONE if width == "phone" else DESKTOP)
    variant = f"{width}-{color_scheme}"

    def look(name: str) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px too wide at {variant}"
        audit(page, f"{name} ({variant})")
        screenshot(page, f"page-{name}-{variant}")

    page.goto("/")
    look("catalogue")
    page.goto(LESSON)
    look("lesson")

    page.goto(f"{LESSON}steps/1/")
    wait_for_editor(page)
    look("step")
    page.locator(".cm-content").click()
    editor_replace(page, MISTAKE)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#verdict")).to_contain_text("Not yet")
    page.get_by_role("button", name="Show hint 1 of 3").click()
    expect(page.locator("#hint-1")).to_be_focused()
    look("step-feedback")

    page.goto(f"{LESSON}practice/")
    look("practice")
    page.get_by_role("radio", name=re.compile("^B")).check()
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator(".quiz-verdict")).to_be_focused()
    look("practice-checked")

    page.goto(f"{LESSON}test/")
    look("test-start")
    page.get_by_role("button", name="Start the test").click()
    expect(page.locator("fieldset")).to_have_count(10)
    look("test-take")
    page.get_by_role("button", name="Submit the test").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your score")
    look("test-result")

    page.goto("/demo/")
    look("demo")
    form = page.locator("#browser-form")
    form.get_by_label("your slow_view", exact=False).check()
    form.get_by_label("Parallel requests (N)").fill("6")
    form.get_by_label("Your prediction").fill("0.3")
    form.get_by_role("button", name="Fire the requests").click()
    expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)
    look("demo-browser-run")
