"""Browser tests: Debian's Chromium, driven by Playwright, against a real Daphne server.

The server is a subprocess running `daphne course.asgi:application` with its own SQLite file,
exactly as `make run` serves the site (tests/daphne.py), so these tests see what a learner
sees.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests.daphne import ROOT, daphne_running

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Daphne on a free port, as `make run` starts it; its base URL."""
    with daphne_running(tmp_path_factory.mktemp("daphne")) as server:
        yield server.url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# Every Content-Security-Policy violation fires this DOM event; it is reported as a console
# error, except while the axe audit runs (axe's own style attributes are not the site's).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  if (window.__axeRunning) return;
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`
    + ` at ${event.sourceFile}:${event.lineNumber}: ${event.sample}`
    + ` (${event.target?.outerHTML?.slice(0, 120) ?? event.target} on ${location.pathname})`);
});
"""
# Chromium's own console line for a violation: the event above reports each one instead.
CHROMIUM_CSP_MESSAGE = "violates the following Content Security Policy directive"


class PageProblems:
    """Console errors (CSP violations among them), failed requests, requests to other hosts,
    and pages served without a Content-Security-Policy, seen by one page."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.errors: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("requestfailed", self.on_request_failed)
        page.on("request", self.on_request)
        page.on("response", self.on_response)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and CHROMIUM_CSP_MESSAGE not in message.text:
            self.errors.append(f"console error: {message.text}")

    def on_request(self, request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if not (url.startswith(self.base_url) or url.startswith(("data:", "blob:", "about:"))):
            self.errors.append(f"request to another host: {url}")

    def on_request_failed(self, request) -> None:  # type: ignore[no-untyped-def]
        # A run the page itself aborts (navigating away mid-request) is not a failure.
        if request.failure and "ERR_ABORTED" in request.failure:
            return
        self.errors.append(f"request failed: {request.url} ({request.failure})")

    def on_response(self, response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 500:
            self.errors.append(f"server error {response.status}: {response.url}")
        if response.request.resource_type == "document" and response.url.startswith(self.base_url):
            policy = response.headers.get("content-security-policy", "")
            scripts = re.search(r"script-src ([^;]*)", policy)
            if not scripts or scripts.group(1) != "'self'":
                self.errors.append(f"page without a strict CSP: {response.url} ({policy!r})")


@pytest.fixture
def page_problems(live_server_url: str) -> PageProblems:
    return PageProblems(live_server_url)


@pytest.fixture(params=["light"])
def color_scheme(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(
    browser: Browser, live_server_url: str, page_problems: PageProblems, color_scheme: str
) -> Iterator[Page]:
    """A fresh learner (new cookies) whose page fails the test on any console error,
    failed request or request to another host."""
    context = browser.new_context(base_url=live_server_url, color_scheme=color_scheme)  # type: ignore[arg-type]
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page_problems.watch(page)
    yield page
    context.close()
    assert page_problems.errors == [], page_problems.errors


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots/ for people to look at."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path
