"""Browser tests: Debian's Chromium, driven by Playwright, against a real Daphne server.

The server is a subprocess running `daphne course.asgi:application` with its own SQLite file,
exactly as `make run` serves the site, so these tests see what a learner sees.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
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

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(tmp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "course.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "insecure-key-for-browser-tests-only",
            "DATABASE_URL": f"sqlite:///{tmp_dir / 'browser.sqlite3'}",
            "COURSE_WAIT_TIME": os.environ.get("COURSE_WAIT_TIME", "0.3"),
        }
    )
    return env


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start Daphne on a free port, as `make run` does, and yield its base URL."""
    tmp_dir = tmp_path_factory.mktemp("daphne")
    env = server_env(tmp_dir)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = free_port()
    log = (tmp_dir / "daphne.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-e",
            f"tcp:port={port}:interface=127.0.0.1:backlog=4096",
            "course.asgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(url + "/", timeout=1)
            break
        except httpx.HTTPError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(
                    "Daphne did not start:\n" + (tmp_dir / "daphne.log").read_text()
                ) from None
            time.sleep(0.1)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


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


class PageProblems:
    """Console errors, failed requests and requests to other hosts seen by one page."""

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
        if message.type == "error":
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
