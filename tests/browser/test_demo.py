"""The demo lab in Debian's Chromium: fire runs from the browser and from the server."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def wait_for_paint(page: Page) -> None:
    """Resolve after the browser has painted twice: the new layout is on screen."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


PHONE = {"width": 390, "height": 844}


def fire_browser_run(page: Page, mode_label: str, n: int, prediction: str) -> None:
    form = page.locator("#browser-form")
    form.get_by_label(mode_label, exact=False).check()
    form.get_by_label("Parallel requests (N)").fill(str(n))
    form.get_by_label("Your prediction").fill(prediction)
    form.get_by_role("button", name="Fire the requests").click()
    expect(page.locator('#browser-run[data-finished="true"]')).to_be_visible(timeout=20_000)


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_a_browser_run_of_the_seed_view_overlaps_and_is_timed(
    page: Page, color_scheme: str
) -> None:
    page.goto("/demo/")
    expect(page.get_by_role("heading", name="See it in action", level=1)).to_be_visible()

    fire_browser_run(page, "(your slow_view)", 6, "0.3")

    rows = page.locator("#browser-run tbody tr")
    expect(rows).to_have_count(6)
    for index in range(6):
        row = rows.nth(index)
        expect(row.locator('[data-cell="answer"]')).to_have_text("Done waiting!")
        took = float(row.locator('[data-cell="server-took"]').inner_text())
        assert 0.28 <= took < 0.6
        assert row.locator('[data-cell="thread"]').inner_text().startswith("MainThread")
    wall = float(page.locator('[data-fact="wall"]').inner_text().split()[0])
    assert wall < 6 * 0.3 / 2  # the six waits overlapped
    expect(page.locator("#browser-summary")).to_contain_text("you predicted 0.30 s")
    expect(page.locator("#browser-summary")).to_contain_text("1 thread served them")
    # The server keeps the run and explains it against the prediction.
    explained = page.locator("#browser-explain [data-explained]")
    expect(explained).to_contain_text("6 requests to slow_view took")
    expect(explained).to_contain_text("Why: The waits overlapped")
    # Said once: the quick summary steps aside when the explanation, which says it all, is in.
    expect(page.locator("#browser-summary")).to_be_hidden()
    expect(page.locator("#history-table tbody tr")).to_have_count(1)
    screenshot(page, f"demo-browser-run-{color_scheme}")

    page.set_viewport_size(PHONE)
    wait_for_paint(page)  # the narrow layout, laid out and painted, before the full-page shot
    screenshot(page, f"demo-browser-run-{color_scheme}-phone")


def test_a_browser_run_of_the_blocking_mistake_queues(page: Page) -> None:
    page.goto("/demo/")
    fire_browser_run(page, "the mistake", 3, "0.3")

    wall = float(page.locator('[data-fact="wall"]').inner_text().split()[0])
    assert wall >= 3 * 0.3 * 0.9
    expect(page.locator("#browser-summary")).to_contain_text("3 requests took")


@pytest.mark.parametrize("color_scheme", ["light", "dark"], indirect=True)
def test_a_server_fired_run_streams_to_100_percent(page: Page, color_scheme: str) -> None:
    page.goto("/demo/")
    form = page.locator("#server-form")
    form.get_by_label("(your slow_view)", exact=False).check()
    form.get_by_label("Requests (N)").fill("300")
    form.get_by_label("Your prediction").fill("0.5")
    # The socket opens with the page; wait for it so the form goes over it.
    page.wait_for_function("() => !!document.querySelector('#server-lab')")
    form.get_by_role("button", name="Fire from the server").click()

    expect(page.locator('[data-progress-percent="100"]')).to_be_visible(timeout=30_000)
    assert page.url.endswith("/demo/")  # streamed over the WebSocket, not a form post
    expect(page.locator("#server-summary")).to_contain_text("300 requests to slow_view took")
    expect(page.locator("#server-live")).to_contain_text("300 / 300 (100%)")
    assert page.locator(".histogram__bar").count() == 12
    screenshot(page, f"demo-server-run-{color_scheme}")
    page.set_viewport_size(PHONE)
    wait_for_paint(page)  # the narrow layout, laid out and painted, before the full-page shot
    screenshot(page, f"demo-server-run-{color_scheme}-phone")


def test_the_forgotten_await_run_is_shown_failed_with_pythons_warning(page: Page) -> None:
    page.goto("/demo/")
    fire_browser_run(page, "without await", 4, "0.3")

    summary = page.locator("#browser-summary")
    expect(summary).to_contain_text("4 responses from no_await_view came back in")
    expect(summary).to_contain_text("without doing the work")
    expect(summary).not_to_contain_text("one after another")
    explained = page.locator("#browser-explain [data-explained]")
    expect(explained).to_contain_text("This run failed")
    expect(explained).to_contain_text("That is")  # the verdict on the prediction
    expect(explained.locator(".demo-warning")).to_have_text(
        "RuntimeWarning: coroutine 'sleep' was never awaited"
    )
    expect(page.locator('[data-cell="answer"]').first).to_contain_text("was never awaited")


def test_a_new_server_run_clears_the_last_summary_and_explains_the_threads(page: Page) -> None:
    page.goto("/demo/")
    form = page.locator("#server-form")
    page.wait_for_function("() => !!document.querySelector('#server-lab')")
    for label, exact in (("def + time.sleep", True), ("(your slow_view)", False)):
        form.get_by_label(label, exact=exact).check()
        form.get_by_label("Requests (N)").fill("40")
        form.get_by_label("total seconds").fill("0.3")
        form.get_by_label("extra server threads").fill("0")
        form.get_by_role("button", name="Fire from the server").click()
        # The previous run's summary goes the moment this one starts.
        expect(page.locator('#server-summary[data-finished="true"]')).to_have_count(0)
        expect(page.locator('#server-summary[data-finished="true"]')).to_be_visible(timeout=30_000)
    summary = page.locator("#server-summary")
    expect(summary).to_contain_text("40 requests to slow_view took")
    expect(summary).to_contain_text("You predicted 0 extra threads")
    expect(page.locator("#history-table tbody tr")).to_have_count(2)
    expect(page.locator("#history svg.run-chart__svg")).to_have_count(2)
    expect(page.get_by_role("link", name="Take the test")).to_be_visible()
