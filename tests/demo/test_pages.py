"""The lab page and its forms, as a browser without JavaScript and as htmx use them."""

from __future__ import annotations

import asyncio
import re
import time

import httpx
import pytest
from asgiref.testing import ApplicationCommunicator
from django.test import Client

from course.admission import in_flight
from course.asgi import application
from demo import showcase
from demo.modes import SEED_LESSON, modes_for_lesson
from tests.demo.conftest import WAIT_TIME, DemoServer


def csrf_client(server: DemoServer) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, timeout=30)
    page = client.get("/demo/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    return client, token.group(1)


def test_the_lab_shows_each_views_real_source(demo_server: DemoServer) -> None:
    page = httpx.get(demo_server.url + "/demo/").text

    for name in ("slow_view", "sync_view", "blocking_view", "no_await_view"):
        assert f'<span class="nf">{name}</span>' in page
    assert "<span class=\"s1\">'Done waiting!'</span>" in page  # the seed's own quotes
    # The seed lesson's lab (the default): each of its views' own source, once.
    shown = [mode for mode in modes_for_lesson(SEED_LESSON) if not mode.same_view_as]
    assert page.count('class="highlight"') == len(shown)
    assert "Why at most six?" in page
    assert 'ws-connect="/ws/demo/run/"' in page
    assert 'href="/demo/slow/"' in page


@pytest.mark.django_db
def test_a_lessons_lab_shows_only_the_views_its_demo_line_names(client: Client) -> None:
    page = client.get("/demo/?lesson=wait-for-two-things").content.decode()

    assert page.count('class="highlight"') == 3
    for name in ("sequential_view", "gather_view", "timeout_view", "fetch_weather"):
        assert f'<span class="nf">{name}</span>' in page
    assert "slow_view" not in page
    assert 'value="orm-aget"' not in page  # nor can a run pick another lesson's view
    # The no-JS run form says which lesson's lab answers it.
    assert page.count('<input type="hidden" name="lesson" value="wait-for-two-things">') == 2
    assert 'href="/lessons/wait-for-two-things/"' in page

    missing = client.get("/demo/?lesson=no-such-lesson")
    assert missing.status_code == 404
    assert "has no demo views" in missing.content.decode()


def test_the_seed_view_is_literally_the_seeds() -> None:
    import inspect

    assert inspect.getsource(showcase.slow_view) == (
        "async def slow_view(request):\n"
        "    await asyncio.sleep(WAIT_TIME)\n"
        "    return HttpResponse('Done waiting!')\n"
    )
    assert showcase.WAIT_TIME == WAIT_TIME


def test_a_browser_run_renders_lanes_with_unique_urls(demo_server: DemoServer) -> None:
    client, token = csrf_client(demo_server)
    response = client.post(
        "/demo/browser-run/",
        data={"csrfmiddlewaretoken": token, "mode": "blocking", "n": "3", "prediction": "0.9"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="browser-run"')
    urls = re.findall(r'hx-get="([^"]+)"', response.text)
    assert len(urls) == len(set(urls)) == 3
    assert all(url.startswith("/demo/blocking/?run=") for url in urls)
    assert 'data-prediction="0.9"' in response.text


def test_a_browser_run_beyond_six_is_refused_with_422(demo_server: DemoServer) -> None:
    client, token = csrf_client(demo_server)
    response = client.post(
        "/demo/browser-run/",
        data={"csrfmiddlewaretoken": token, "mode": "async", "n": "7"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "less than or equal to 6" in response.text


def test_without_javascript_the_server_fires_the_run_and_shows_it(demo_server: DemoServer) -> None:
    client, token = csrf_client(demo_server)
    response = client.post(
        "/demo/run/",
        data={"csrfmiddlewaretoken": token, "mode": "async", "n": "30", "prediction": "0.3"},
    )

    assert response.status_code == 200
    assert "30 / 30 (100%)" in response.text
    assert "30 requests to slow_view took" in response.text


async def test_a_second_run_from_the_same_client_gets_429_and_retry_after(
    demo_server: DemoServer,
) -> None:
    client, token = csrf_client(demo_server)
    cookies = dict(client.cookies)
    data = {"csrfmiddlewaretoken": token, "mode": "blocking", "n": "3"}
    async with httpx.AsyncClient(base_url=demo_server.url, timeout=30, cookies=cookies) as aclient:
        first = asyncio.create_task(aclient.post("/demo/run/", data=data))
        await asyncio.sleep(WAIT_TIME)
        second = await aclient.post("/demo/run/", data=data)
        assert (await first).status_code == 200

    assert second.status_code == 429
    assert int(second.headers["retry-after"]) >= 1
    assert "try again in" in second.text


async def test_a_client_leaving_mid_wait_has_its_view_cancelled() -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "path": "/demo/slow/",
        "raw_path": b"/demo/slow/",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("10.1.1.1", 1234),
        "server": ("127.0.0.1", 80),
    }
    comm = ApplicationCommunicator(application, scope)
    await comm.send_input({"type": "http.request", "body": b""})
    # Wait for the request to be admitted and waiting in the view, not for a guessed time.
    deadline = time.monotonic() + 5
    while await in_flight.waiting("async") < 1 and time.monotonic() < deadline:
        await asyncio.sleep(0)
    assert await in_flight.waiting("async") >= 1

    started = time.perf_counter()
    await comm.send_input({"type": "http.disconnect"})
    await comm.wait(timeout=WAIT_TIME)

    assert time.perf_counter() - started < WAIT_TIME / 2
    assert await in_flight.waiting("async", "10.1.1.1") == 0
    assert await comm.receive_nothing()
