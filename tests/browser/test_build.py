"""The guided build in a real browser: the CodeMirror editor, htmx checks, hints, the
solution, and the same flow with JavaScript turned off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from tests.browser.conftest import PageProblems, screenshot

pytestmark = pytest.mark.browser

STEP_1 = "/lessons/why-async-matters/steps/1/"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def editor_type(page: Page, text: str) -> None:
    """Replace the editor's content by typing, as a learner would (auto-indent included)."""
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def editor_code(page: Page) -> str:
    return str(page.evaluate("window.AsyncEditor.get('#code').state.doc.toString()"))


def test_learner_builds_step_one_in_the_editor(page: Page) -> None:
    page.goto(STEP_1)
    expect(page.locator(".cm-content")).to_be_visible()
    expect(page.locator("#code-hint")).to_be_visible()
    expect(page.get_by_text("Progress 0/4 steps")).to_be_visible()

    # A mistake first: a plain def. Enter auto-indents the body.
    editor_type(page, "import asyncio\n\n\ndef slow_view(request):\npass")
    assert editor_code(page) == "import asyncio\n\n\ndef slow_view(request):\n    pass"
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("#verdict")
    expect(verdict.get_by_role("heading")).to_contain_text("Not yet")
    expect(verdict).to_have_attribute("role", "status")
    expect(verdict).to_contain_text("async def")
    line_link = verdict.locator("a.verdict__line", has_text="Line 4")
    expect(line_link).to_be_visible()

    # "Line 4" puts the cursor on that line of the editor.
    line_link.click()
    expect(page.locator(".cm-content")).to_be_focused()
    cursor_line = page.evaluate(
        "(() => { const v = window.AsyncEditor.get('#code');"
        " return v.state.doc.lineAt(v.state.selection.main.head).number; })()"
    )
    assert cursor_line == 4

    # A hint, revealed on request and focused so it is read out.
    page.get_by_role("button", name="Show hint 1 of 3").click()
    hint = page.locator("#hint-1")
    expect(hint).to_contain_text("Hint 1 of 3")
    expect(hint).to_be_focused()
    expect(page.get_by_role("button", name="Show hint 2 of 3")).to_be_visible()
    # The editor kept the learner's code through the hint request.
    assert editor_code(page) == "import asyncio\n\n\ndef slow_view(request):\n    pass"
    screenshot(page, "build-step1-not-yet")

    editor_type(page, "import asyncio\n\n\nasync def slow_view(request):\npass")
    page.get_by_role("button", name="Check").click()
    expect(verdict.get_by_role("heading")).to_contain_text("Step passed")
    expect(page.locator("#build-progress")).to_contain_text("Progress 1/4 steps")
    expect(page.locator(".build-steps__item.is-passed")).to_have_count(1)
    expect(page.get_by_role("button", name="Reveal the solution")).to_be_visible()
    screenshot(page, "build-step1-passed")

    # Progress and code survive a reload.
    page.reload()
    expect(page.get_by_text("Progress 1/4 steps")).to_be_visible()
    expect(page.locator(".cm-content")).to_be_visible()
    assert editor_code(page) == "import asyncio\n\n\nasync def slow_view(request):\n    pass"
    expect(page.locator("#hint-1")).to_be_visible()

    # Step 2 starts from the learner's own step 1.
    page.get_by_role("link", name=re.compile("Go to step 2|Step 2:")).first.click()
    expect(page.locator(".cm-content")).to_be_visible()
    assert editor_code(page) == "import asyncio\n\n\nasync def slow_view(request):\n    pass"


def test_ctrl_enter_checks_the_code_from_the_editor(page: Page) -> None:
    page.goto(STEP_1)
    hint = page.locator("#code-hint")
    expect(hint).to_contain_text("Ctrl+Enter")
    # The editor announces the hint: it describes the editable content.
    described_by = page.locator(".cm-content").get_attribute("aria-describedby") or ""
    assert "code-hint" in described_by.split()
    editor_type(page, "import asyncio\n\n\nasync def slow_view(request):\npass")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#verdict").get_by_role("heading")).to_contain_text("Step passed")
    # The key checked the code; it did not add a line to it.
    assert editor_code(page) == "import asyncio\n\n\nasync def slow_view(request):\n    pass"
    expect(page.locator("#build-progress")).to_contain_text("Progress 1/4 steps")


# The computed colour and weight of each token, by its text.
TOKEN_STYLES = """root => Object.fromEntries(
    Array.from(root.querySelectorAll("span[class]"))
        .filter(span => span.textContent.trim() && !span.children.length)
        .map(span => {
            const style = getComputedStyle(span);
            return [span.textContent.trim(), style.color + " " + style.fontWeight];
        }))"""


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_the_editor_colours_code_as_the_solution_does(page: Page, color_scheme: str) -> None:
    page.goto(STEP_1)
    code = "import asyncio\n\n\nasync def slow_view(request):\npass"
    editor_type(page, code)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_contain_text("Step passed")
    page.get_by_role("button", name="Reveal the solution").click()
    solution = page.locator("#solution .highlight")
    expect(solution).to_contain_text("async def slow_view")
    page.locator("#code-form .build-actions").click()  # the editor loses focus
    editor = page.locator(".cm-content").evaluate(TOKEN_STYLES)
    pygments = solution.evaluate(TOKEN_STYLES)
    for token in ("import", "asyncio", "async", "def", "slow_view", "request", "pass"):
        assert editor[token] == pygments[token], (token, editor[token], pygments[token])
    # The keyword is coloured at all (not the plain text colour).
    text_colour = page.evaluate("getComputedStyle(document.body).color")
    assert not editor["async"].startswith(text_colour + " ")


def test_tab_indents_and_escape_then_tab_leaves_the_editor(page: Page) -> None:
    page.goto(STEP_1)
    editor_type(page, "x")
    page.keyboard.press("Home")
    page.keyboard.press("Tab")
    assert editor_code(page) == "    x"
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Check")).to_be_focused()


def test_start_over_puts_the_starter_back_in_a_live_editor(page: Page) -> None:
    page.goto(STEP_1)
    editor_type(page, "import asyncio\nx = 1")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_contain_text("Not yet")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Start over").click()
    expect(page.locator("#verdict")).to_contain_text("starter code of step 1 again")
    expect(page.locator(".cm-editor")).to_have_count(1)
    expect(page.locator(".cm-content")).to_contain_text("# Import asyncio")
    assert editor_code(page).startswith("# Import asyncio")
    # The new editor is a working one.
    editor_type(page, "import asyncio\n\n\nasync def slow_view(request):\npass")
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_contain_text("Step passed")


def test_syntax_error_and_solution_diff(page: Page) -> None:
    page.goto(STEP_1)
    for _ in range(3):
        editor_type(page, "import asyncio\n\nasync def slow_view(request)\npass")
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#verdict")).to_contain_text("Line 3, column")
    expect(page.locator("#verdict")).to_contain_text("colon")
    page.get_by_role("button", name="Reveal the solution").click()
    solution = page.locator("#solution")
    expect(solution.locator(".highlight")).to_contain_text("async def slow_view(request):")
    expect(solution.locator(".diff__line--remove")).not_to_have_count(0)
    expect(solution.locator(".diff__line--add")).not_to_have_count(0)
    screenshot(page, "build-solution-diff")


def test_oversized_code_gets_a_verdict_and_stays_in_the_editor(
    page: Page, page_problems: PageProblems
) -> None:
    page.goto(STEP_1)
    expect(page.locator(".cm-content")).to_be_visible()
    for size, expected in ((30_000, "the limit is 20,000"), (300_000, "far too large to send")):
        page.evaluate(
            "n => { const v = window.AsyncEditor.get('#code');"
            " v.dispatch({changes: {from: 0, to: v.state.doc.length,"
            " insert: 'import asyncio\\n' + '# ' + 'x'.repeat(60) + '\\n'.repeat(1) +"
            " 'x = 1\\n'.repeat(Math.floor(n / 6))}}); }",
            size,
        )
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#verdict")).to_contain_text(expected)
        expect(page.locator("#verdict")).to_contain_text("Your code was not checked")
        assert len(editor_code(page)) > size - 100
    # The 413 is the intended answer (the browser logs every 4xx); the 300 KB post was
    # never sent at all.
    expected = "the server responded with a status of 413"
    assert sum(expected in error for error in page_problems.errors) == 1
    page_problems.errors = [error for error in page_problems.errors if expected not in error]


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_step_page_screenshots(page: Page, color_scheme: str, width: str) -> None:
    if width == "phone":
        page.set_viewport_size(PHONE)
    else:
        page.set_viewport_size(DESKTOP)
    page.goto("/lessons/why-async-matters/steps/3/")
    editor_type(
        page,
        "import asyncio\nimport time\n\nWAIT_TIME = 3\n\n\n"
        "async def slow_view(request):\ntime.sleep(WAIT_TIME)",
    )
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#verdict")).to_contain_text("blocks the whole event loop")
    # The headline's counts add up to the rows listed under it.
    headline = page.locator("#verdict").get_by_role("heading").inner_text()
    counts = re.search(r"(\d+) of (\d+) checks? pass(?:, (\d+) problems? found)?", headline)
    assert counts, headline
    rows = page.locator("#verdict .verdict__item").count()
    assert int(counts.group(2)) + int(counts.group(3) or 0) == rows
    page.get_by_role("button", name="Show hint 1 of 3").click()
    expect(page.locator("#hint-1")).to_be_visible()
    # Nothing may stick out sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, f"build-step3-{width}-{color_scheme}")


def test_finishing_the_build(page: Page) -> None:
    solutions = {
        1: "import asyncio\n\n\nasync def slow_view(request):\npass",
        2: "import asyncio\n\nWAIT_TIME = 3\n\n\nasync def slow_view(request):\npass",
        3: "import asyncio\n\nWAIT_TIME = 3\n\n\nasync def slow_view(request):\n"
        "await asyncio.sleep(WAIT_TIME)",
        4: "import asyncio\n\nfrom django.http import HttpResponse\n\nWAIT_TIME = 3\n\n\n"
        "async def slow_view(request):\nawait asyncio.sleep(WAIT_TIME)\n"
        "return HttpResponse('Done waiting!')",
    }
    for number, code in solutions.items():
        page.goto(f"/lessons/why-async-matters/steps/{number}/")
        expect(page.locator(".cm-content")).to_be_visible()
        editor_type(page, code)
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#verdict")).to_contain_text("Step passed")
    expect(page.locator("#build-progress")).to_contain_text("Progress 4/4 steps")
    finished = page.locator("#finished")
    expect(finished).to_contain_text("You built an async view")
    expect(finished).to_contain_text("Done waiting!")
    screenshot(page, "build-finished")
    page.goto("/lessons/why-async-matters/")
    expect(page.get_by_text("Progress 4/4 steps").first).to_be_visible()


def test_the_build_works_without_javascript(
    browser: Browser, live_server_url: str, page_problems: PageProblems
) -> None:
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    page = context.new_page()
    page_problems.watch(page)
    try:
        page.goto(STEP_1)
        textarea = page.locator("textarea#code")
        expect(textarea).to_be_visible()
        expect(page.locator(".cm-content")).to_have_count(0)
        # The keyboard hint is about the enhanced editor only.
        expect(page.locator("#code-hint")).to_be_hidden()

        textarea.fill("import asyncio\n\n\ndef slow_view(request):\n    pass\n")
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#verdict")).to_contain_text("Not yet")
        expect(page.locator("textarea#code")).to_have_value(
            "import asyncio\n\n\ndef slow_view(request):\n    pass\n"
        )

        page.get_by_role("button", name="Show hint 1 of 3").click()
        expect(page.locator("#hint-1")).to_contain_text("Hint 1 of 3")
        expect(page.locator("textarea#code")).to_have_value(
            "import asyncio\n\n\ndef slow_view(request):\n    pass\n"
        )

        page.locator("textarea#code").fill(
            "import asyncio\n\n\nasync def slow_view(request):\n    pass\n"
        )
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#verdict")).to_contain_text("Step passed")
        expect(page.get_by_text("Progress 1/4 steps")).to_be_visible()
        screenshot(page, "build-no-js-passed")
    finally:
        context.close()
    assert page_problems.errors == [], page_problems.errors


def test_on_a_phone_code_keeps_its_lines_and_scrolls_by_keyboard(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/lessons/why-async-matters/steps/4/")
    code = (
        "import asyncio\n\nfrom django.http import HttpResponse\n\nWAIT_TIME = 3\n\n\n"
        "async def slow_view(request):\nawait asyncio.sleep(WAIT_TIME)\n"
        "return HttpResponse('Done waiting for the slow thing!')"
    )
    for checks in (1, 2, 3):
        editor_type(page, code)
        page.get_by_role("button", name="Check").click()
        if checks < 3:
            expect(page.locator("#solution")).to_contain_text(f"({checks} so far)")
    expect(page.get_by_role("button", name="Reveal the solution")).to_be_visible()
    # A string literal in the feedback stays on one line.
    literal = page.locator("#verdict .code-string", has_text="'Done waiting!'").first
    expect(literal).to_be_visible()
    assert literal.evaluate("span => span.getClientRects().length") == 1
    page.get_by_role("button", name="Reveal the solution").click()
    block = page.locator("#solution .highlight pre")
    expect(block).to_contain_text("HttpResponse('Done waiting!')")
    # The solution's string is one piece on one line, in a block that scrolls sideways ...
    string = block.locator("span", has_text="'Done waiting!'").first
    assert string.evaluate("span => span.getClientRects().length") == 1
    expect(block).to_have_attribute("tabindex", "0")
    expect(block).to_have_attribute("aria-label", "Reference solution for step 4")
    assert block.evaluate("pre => pre.scrollWidth > pre.clientWidth")
    # ... by keyboard too, while the page itself does not.
    block.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    expect(block).to_be_focused()
    page.wait_for_function(
        "() => document.querySelector('#solution .highlight pre').scrollLeft > 0"
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    diff = page.locator("#solution pre.diff")
    expect(diff).to_have_attribute("tabindex", "0")
    screenshot(page, "build-solution-phone")


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_pills_say_what_holds_for_the_latest_code(page: Page, color_scheme: str) -> None:
    page.goto(STEP_1)
    editor_type(page, "import asyncio\n\n\nasync def slow_view(request):\npass")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#build-progress")).to_contain_text("Progress 1/4 steps")
    step_1 = page.locator(".build-steps__item").first
    expect(step_1.locator(".build-steps__mark")).to_have_text("✓")
    # Step 2's code drops the `async`: step 1 passed once, and no longer holds.
    page.goto("/lessons/why-async-matters/steps/2/")
    editor_type(page, "import asyncio\n\nWAIT_TIME = 3\n\n\ndef slow_view(request):\npass")
    page.keyboard.press("Control+Enter")
    progress = page.locator("#build-progress")
    expect(progress).to_contain_text("Progress 0/4 steps · 1 passed before")
    expect(step_1).to_have_class(re.compile(r"\bis-passed-before\b"))
    expect(step_1.locator(".build-steps__mark")).not_to_have_text("✓")
    expect(step_1).to_contain_text("passed before")
    expect(step_1.get_by_role("link")).to_contain_text("your latest code no longer passes it")
    screenshot(page, f"build-passed-before-{color_scheme}")
    page.set_viewport_size(PHONE)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.locator("#build-progress").screenshot(
        path=str(screenshot(page, f"build-passed-before-phone-{color_scheme}"))
    )
    page.set_viewport_size(DESKTOP)
    # Fixing the code puts the tick back.
    editor_type(page, "import asyncio\n\nWAIT_TIME = 3\n\n\nasync def slow_view(request):\npass")
    page.keyboard.press("Control+Enter")
    expect(progress).to_contain_text("Progress 2/4 steps")
    expect(step_1.locator(".build-steps__mark")).to_have_text("✓")
