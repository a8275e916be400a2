"""One page grid: on a wide screen the catalogue, the lesson, practice and the test put
their content and a narrow framing column side by side across the width; on a phone the
two stack, and nothing sticks out sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

pytestmark = pytest.mark.browser

LESSON = "/lessons/why-async-matters/"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}

BOXES = """() => {
    const box = s => { const r = document.querySelector(s).getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top, width: r.width}; };
    return {wrap: box("main.wrap"), main: box(".page-grid__main"),
            aside: box(".page-grid__aside")};
}"""


def pages(page: Page) -> list[str]:
    """Visit each page with the grid; return the names visited, in order."""
    seen: list[str] = []

    def visit(name: str) -> None:
        expect(page.locator(".page-grid")).to_have_count(1)
        boxes = page.evaluate(BOXES)
        wrap, main, aside = boxes["wrap"], boxes["main"], boxes["aside"]
        width = page.viewport_size["width"] if page.viewport_size else 0
        if width >= 1000:
            # Side by side, spanning the width: no empty right column.
            assert aside["left"] > main["right"], name
            assert abs(aside["right"] - wrap["right"]) <= 2, name
            assert main["width"] >= 0.6 * wrap["width"], name
            assert aside["top"] < 600, f"{name}: the framing column starts below the fold"
        else:
            assert abs(aside["width"] - main["width"]) <= 2, name
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, name
        seen.append(name)

    page.goto("/")
    visit("catalogue")
    page.goto(LESSON)
    visit("lesson")
    page.goto(f"{LESSON}practice/")
    visit("practice")
    page.goto(f"{LESSON}test/")
    visit("test start")
    page.get_by_role("button", name="Start the test").click()
    expect(page.locator("fieldset")).to_have_count(10)
    visit("test")
    page.get_by_role("button", name="Submit the test").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your score")
    visit("test result")
    return seen


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_pages_share_one_grid_that_uses_the_width(page: Page, viewport: ViewportSize) -> None:
    page.set_viewport_size(viewport)
    assert len(pages(page)) == 6


def test_on_a_phone_the_demo_table_scrolls_and_its_caption_stays_readable(page: Page) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/demo/")
    form = page.locator("#browser-form")
    form.get_by_label("your slow_view", exact=False).check()
    form.get_by_label("Parallel requests (N)").fill("3")
    form.get_by_label("Your prediction").fill("0.3")
    form.get_by_role("button", name="Fire the requests").click()
    expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)
    region = page.locator("#browser-run .table-scroll")
    caption = region.locator("caption")
    # The table is wider than the phone: it scrolls, by keyboard too ...
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(region).to_have_attribute("tabindex", "0")
    expect(page.get_by_role("group", name="Each request, in seconds")).to_be_visible()
    # ... and its caption is on screen whole, before and after scrolling.
    for _ in range(2):
        right = caption.evaluate("el => el.getBoundingClientRect().right")
        left = caption.evaluate("el => el.getBoundingClientRect().left")
        assert left >= 0 and right <= PHONE["width"], (left, right)
        region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
