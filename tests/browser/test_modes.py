"""The learning modes in a real browser: the chooser, and Parsons done by keyboard alone
(move buttons, focus kept, each move announced) and with JavaScript off."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.audit import axe_audit
from tests.conftest import FIXTURE_SLUG

pytestmark = pytest.mark.browser

PARSONS = f"/lessons/{FIXTURE_SLUG}/parsons/"
# The fixture lesson's solution, as (line, indent level).
SOLUTION = [
    ("import asyncio", 0),
    ("from django.http import HttpResponse", 0),
    ("async def greet(request):", 0),
    ("await asyncio.sleep(0)", 1),
    ("return HttpResponse('Hello!')", 1),
]


def rows(page: Page):
    return page.locator(".parsons__line")


def row_texts(page: Page) -> list[str]:
    codes = page.locator(".parsons__line .parsons__code")
    return [text.strip() for text in codes.all_inner_texts()]


def press(page: Page, row_text: str, verb: str, times: int = 1) -> None:
    """Focus a line's button and press it from the keyboard, `times` times over: focus must
    stay on the button for the presses after the first to land."""
    button = page.get_by_role("button", name=f"{verb}: {row_text}", exact=True)
    button.focus()
    for _ in range(times):
        page.keyboard.press("Enter")
    # The button's word may change ("Leave out" becomes "Use"); the line it acts on may not.
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.endswith(f": {row_text}"), focused


def test_the_chooser_offers_every_mode(page: Page) -> None:
    page.goto(f"/lessons/{FIXTURE_SLUG}/")
    for key in ("concepts", "parsons", "fix-the-bug", "review", "test"):
        expect(page.locator(f'[data-mode="{key}"]')).to_be_visible()
    page.locator('[data-mode="parsons"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Put the lines in order")


def test_parsons_by_keyboard_alone(page: Page) -> None:
    page.goto(PARSONS)
    expect(page.locator(".parsons__js-help")).to_be_visible()
    # The traps first: leave out every line that is not in the solution.
    wanted = [text for text, _ in SOLUTION]
    for text in row_texts(page):
        if text not in wanted:
            press(page, text, "Leave out")
            expect(page.locator("#parsons-moves")).to_have_text(f"{text}: left out.")
    # Then bring each solution line up to its place, top first.
    for place, (text, indent) in enumerate(SOLUTION):
        current = row_texts(page).index(text)
        if current > place:
            press(page, text, "Up", times=current - place)
            expect(page.locator("#parsons-moves")).to_have_text(
                f"{text}: moved to position {place + 1}."
            )
        if indent:
            press(page, text, "Indent", times=indent)
            expect(page.locator("#parsons-moves")).to_have_text(f"{text}: indentation {indent}.")
    assert row_texts(page)[: len(SOLUTION)] == wanted
    assert axe_audit(page, "parsons, arranged") == []
    page.get_by_role("button", name="Check the program").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#feedback")).to_contain_text("Right: the program passes every check")


def test_parsons_without_javascript(browser: Browser, live_server_url: str) -> None:
    context = browser.new_context(base_url=live_server_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(PARSONS)
        expect(page.locator(".parsons__js-help")).to_be_hidden()
        for line in rows(page).all():
            text = line.locator(".parsons__code").inner_text().strip()
            place = next((n for n, (t, _) in enumerate(SOLUTION, start=1) if t == text), None)
            indent = dict(SOLUTION).get(text, 0)
            line.locator('select[data-role="position"]').select_option(
                str(place) if place else "unused"
            )
            line.locator('select[data-role="indent"]').select_option(str(indent))
        page.get_by_role("button", name="Check the program").click()
        expect(page.locator("#feedback")).to_contain_text("Right: the program passes every check")
    finally:
        context.close()


MODE_PAGES = [
    "",
    "concepts/",
    "worked-example/",
    "worked-example/faded/",
    "parsons/",
    "fill-in/",
    "fix-the-bug/",
    "fix-the-bug/1/",
    "from-scratch/",
    "review/",
]


@pytest.mark.parametrize(
    "color_scheme, width", [("light", 1280), ("dark", 390)], indirect=["color_scheme"]
)
def test_every_mode_page_passes_axe_and_fits_a_phone(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for path in MODE_PAGES:
        page.goto(f"/lessons/{FIXTURE_SLUG}/{path}")
        assert axe_audit(page, f"{path or 'lesson page'} at {width}px") == []
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"


def test_fix_the_bug_in_the_code_editor(page: Page) -> None:
    page.goto(f"/lessons/{FIXTURE_SLUG}/fix-the-bug/1/")
    editor = page.locator(".cm-content")
    expect(editor).to_contain_text("def greet(request):")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#feedback")).to_contain_text("Hint")
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("import asyncio\n\n\nasync def greet(request):\n    pass\n")
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#feedback")).to_contain_text("Fixed: the program passes every check")
    page.get_by_role("link", name="Next broken program").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("program 2 of 2")
