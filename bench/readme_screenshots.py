"""The README's screenshots, taken from the real site in Debian's Chromium.

    .venv/bin/python bench/readme_screenshots.py

Starts the site as `make run` serves it (COURSE_WAIT_TIME=0.3, a throwaway database) and
saves, at 1280 × 900 in the light scheme, into docs/screenshots/:
  lesson-desktop-light.png          the lesson page, as a new learner first sees it
  step-feedback-desktop-light.png   step 1 after a check that does not pass, with a hint open
  demo-timeline-desktop-light.png   the demo lab after a browser-fired run, its timeline in view
  modes-chooser-desktop-light.png   the lesson page's chooser of learning modes
  modes-parsons-desktop-light.png   Parsons, the lines shuffled with their traps
  modes-fix-desktop-dark.png        fix the bug after a check that does not pass, in the dark scheme
"""

from __future__ import annotations

from playwright.sync_api import Page, expect, sync_playwright
from server import CHROMIUM, CHROMIUM_ARGS, ROOT, site_running

OUT = ROOT / "docs" / "screenshots"
SLUG = "why-async-matters"
MISTAKE = "import asyncio\n\n\ndef slow_view(request):\n    pass\n"


def shoot(page: Page, name: str) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))  # the viewport: a README-sized picture
    print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        site_running(wait_time=0.3) as (base, _process),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(
            base_url=base, viewport={"width": 1280, "height": 900}, color_scheme="light"
        )

        page.goto(f"/lessons/{SLUG}/")
        shoot(page, "lesson-desktop-light")

        page.goto(f"/lessons/{SLUG}/steps/1/")
        page.locator(".cm-content").click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(MISTAKE)
        page.get_by_role("button", name="Check", exact=True).click()
        expect(page.locator("#verdict")).to_contain_text("Not yet")
        page.get_by_role("button", name="Show hint 1 of 3").click()
        expect(page.locator("#hint-1")).to_be_focused()
        page.locator("#hint-1").blur()
        page.evaluate("window.scrollTo(0, 0)")
        shoot(page, "step-feedback-desktop-light")

        page.goto("/demo/")
        form = page.locator("#browser-form")
        form.get_by_label("your slow_view", exact=False).check()
        form.get_by_label("Parallel requests (N)").fill("6")
        form.get_by_label("Your prediction").fill("0.3")
        form.get_by_role("button", name="Fire the requests").click()
        expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)
        page.locator("#browser-run").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -24)")
        shoot(page, "demo-timeline-desktop-light")

        page.goto(f"/lessons/{SLUG}/")
        page.locator("#styles-heading").evaluate("e => e.scrollIntoView({block: 'start'})")
        page.evaluate("window.scrollBy(0, -24)")
        shoot(page, "modes-chooser-desktop-light")

        page.goto(f"/lessons/{SLUG}/parsons/")
        expect(page.locator(".parsons__js-help")).to_be_visible()
        shoot(page, "modes-parsons-desktop-light")

        dark = browser.new_page(
            base_url=base, viewport={"width": 1280, "height": 900}, color_scheme="dark"
        )
        dark.goto(f"/lessons/{SLUG}/fix-the-bug/6/")
        dark.get_by_role("button", name="Check", exact=True).click()
        expect(dark.locator("#feedback")).to_contain_text("Hint")
        dark.evaluate("window.scrollTo(0, 220)")
        shoot(dark, "modes-fix-desktop-dark")
        browser.close()


if __name__ == "__main__":
    main()
