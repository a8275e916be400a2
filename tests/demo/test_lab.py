"""The lab's counterparts and its memory, against a real Daphne server (WAIT_TIME 0.3 s).

Timings tell shapes apart (one wait, N / K waits, N waits), never budgets; those are proved
by the scripts in bench/.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time

import httpx
import pytest

from demo.forms import ServerRunForm
from demo.history import RUNS_KEPT, chart_build, run_record, runs_list
from demo.models import DemoRun
from demo.modes import MODES, modes_for_lesson
from tests.demo.conftest import WAIT_TIME, DemoServer
from tests.demo.test_pages import csrf_client
from tests.demo.test_views import fire, threads_of

NEVER_AWAITED = "RuntimeWarning: coroutine 'sleep' was never awaited"


async def fire_on_workers(url: str, workers: int, n: int) -> tuple[float, list[httpx.Response]]:
    limits = httpx.Limits(max_connections=n + 5)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(
            *(
                client.get("/demo/sync-workers/", params={"workers": workers, "i": i})
                for i in range(n)
            )
        )
        return time.perf_counter() - started, list(responses)


def timing_metric(response: httpx.Response, name: str) -> float:
    header = response.headers["server-timing"]
    return float(header.split(f"{name};dur=", 1)[1].split(",", 1)[0].split(";", 1)[0])


async def test_every_forgotten_await_carries_pythons_own_warning(demo_server: DemoServer) -> None:
    _, first = await fire(demo_server.url, "/demo/no-await/", 3)
    _, again = await fire(demo_server.url, "/demo/no-await/", 2)
    _, waited = await fire(demo_server.url, "/demo/slow/", 1)

    # Python shows a warning once per code location; the lab needs it for every request.
    assert [r.headers.get("demo-warning") for r in first + again] == [NEVER_AWAITED] * 5
    assert "demo-warning" not in waited[0].headers


def test_the_no_js_forgotten_await_run_shows_the_warning_and_no_sum_of_waits(
    demo_server: DemoServer,
) -> None:
    client, token = csrf_client(demo_server)
    response = client.post(
        "/demo/run/",
        data={"csrfmiddlewaretoken": token, "mode": "no-await", "n": "20", "prediction": "0.3"},
    )

    assert response.status_code == 200
    summary = response.text.split('id="server-summary"', 1)[1].split("</section>", 1)[0]
    assert "This run failed" in summary
    assert "20 responses from no_await_view came back in" in summary
    assert "without doing the work" in summary
    assert "coroutine &#x27;sleep&#x27; was never awaited" in summary
    assert "raised by 20 requests" in summary
    assert "one after another" not in summary


async def test_k_workers_serve_n_requests_in_n_over_k_waits(demo_server: DemoServer) -> None:
    two_elapsed, two = await fire_on_workers(demo_server.url, 2, 8)
    eight_elapsed, eight = await fire_on_workers(demo_server.url, 8, 8)

    assert [r.text for r in two + eight] == ["Done waiting!"] * 16
    # Two workers: four rounds of two, the last request queued three waits for a worker.
    assert two_elapsed >= 4 * WAIT_TIME * 0.95
    assert len(threads_of(two)) == 2
    assert max(timing_metric(r, "queue") for r in two) >= 3 * WAIT_TIME * 1000 * 0.9
    # Eight workers: one round, nobody queued for long.
    assert eight_elapsed < two_elapsed / 2
    assert len(threads_of(eight)) == 8
    assert all(t.startswith("demo-8-workers") for t in threads_of(eight))


async def test_cancelled_blocking_requests_never_run(demo_server: DemoServer) -> None:
    async with httpx.AsyncClient(base_url=demo_server.url, timeout=30) as client:
        doomed = [
            asyncio.create_task(client.get("/demo/blocking/", params={"doomed": i}))
            for i in range(6)
        ]
        await asyncio.sleep(WAIT_TIME / 3)  # the first is blocking its loop; five queue
        for task in doomed:
            task.cancel()
        await asyncio.gather(*doomed, return_exceptions=True)
        started = time.perf_counter()
        fresh = await client.get("/demo/blocking/", params={"fresh": 1})
        fresh_seconds = time.perf_counter() - started

    assert fresh.text == "Done waiting!"
    # At most the one already running, then its own wait: not the five that were dropped.
    assert fresh_seconds < 3 * WAIT_TIME


async def test_stock_django_holds_a_thread_per_waiting_request_the_lean_path_does_not(
    demo_server: DemoServer,
) -> None:
    process = demo_server.process
    await fire(demo_server.url, "/demo/stock/", 2)  # warm up

    async def extra_threads(path: str, n: int) -> tuple[int, list[httpx.Response]]:
        idle = process.num_threads()
        peak = idle
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, process.num_threads())
                stop.wait(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            _, responses = await fire(demo_server.url, path, n)
        finally:
            stop.set()
            sampler.join()
        return peak - idle, responses

    stock_extra, stock = await extra_threads("/demo/stock/", 40)
    lean_extra, lean = await extra_threads("/demo/slow/", 40)

    assert [r.text for r in stock + lean] == ["Done waiting!"] * 80
    assert stock_extra >= 30
    assert lean_extra <= 10
    assert 'desc="slow_view"' in stock[0].headers["server-timing"]
    assert stock[0].headers["cache-control"] == "no-store"


def test_a_learners_runs_are_kept_and_drawn_side_by_side(demo_server: DemoServer) -> None:
    client, token = csrf_client(demo_server)
    for mode, n in (("async", "5"), ("async", "50"), ("sync", "20")):
        response = client.post(
            "/demo/run/",
            data={"csrfmiddlewaretoken": token, "mode": mode, "n": n, "prediction": "0.3"},
        )
        assert response.status_code == 200
    page = client.get("/demo/").text
    other_learner = httpx.get(demo_server.url + "/demo/").text

    history = page.split('id="history"', 1)[1]
    assert len(re.findall(r'<tr data-history-mode="', history)) == 3
    assert history.count('class="run-chart__svg"') == 2
    assert 'role="img"' in history and "<title" in history
    assert 'data-series="async"' in history and 'data-series="sync"' in history
    assert "Requests fired at once (N, logarithmic)" in history
    assert '<table class="demo-table" id="history-table">' in history
    assert "Your runs appear here once you fire one" in other_learner


def test_a_browser_runs_measurements_are_kept_and_explained(demo_server: DemoServer) -> None:
    client, token = csrf_client(demo_server)
    measured = {
        "mode": "no-await",
        "n": "6",
        "prediction": "1",
        "elapsed": "0.05",
        "threads": "1",
        "warning": NEVER_AWAITED,
        "warned": "6",
        "lesson": "why-async-matters",
    }
    response = client.post(
        "/demo/browser-run/record/",
        data=measured,
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    refused = client.post(
        "/demo/browser-run/record/",
        data={**measured, "n": "7", "elapsed": "soon"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="browser-explain"')
    assert "This run failed" in response.text
    assert "raised by 6 requests" in response.text
    assert 'id="history" aria-labelledby="history-heading" hx-swap-oob="true"' in response.text
    assert refused.status_code == 400
    assert "n:" in refused.text and "elapsed:" in refused.text


def test_the_lab_shows_the_lessons_modes_says_it_is_lean_and_where_next(
    demo_server: DemoServer,
) -> None:
    page = httpx.get(demo_server.url + "/demo/?lesson=why-async-matters")
    unknown = httpx.get(demo_server.url + "/demo/?lesson=no-such-lesson")

    assert page.status_code == 200
    for mode in modes_for_lesson("why-async-matters"):
        assert f'id="view-{mode.key}"' in page.text
    assert "lean path" in page.text and "without middleware" in page.text
    assert "Four views below" not in page.text
    assert 'href="/lessons/why-async-matters/practice/"' in page.text
    assert 'href="/lessons/why-async-matters/test/"' in page.text
    assert 'href="/lessons/why-async-matters/"' in page.text
    assert 'placeholder="e.g.' not in page.text  # the prediction field gives nothing away
    assert unknown.status_code == 404


def test_sync_takes_1000_server_fired_requests_and_async_10000() -> None:
    def valid(mode: str, n: int) -> bool:
        return ServerRunForm({"mode": mode, "n": str(n), "prediction": ""}).is_valid()

    assert valid("sync", 1000) and not valid("sync", 1001)
    assert valid("sync-pool", 1000) and valid("stock", 1000)
    assert valid("async", 10_000) and not valid("async", 10_001)
    assert not valid("blocking", 7)
    on_one_worker = ServerRunForm({"mode": "sync-pool", "n": "251", "workers": "1"})
    assert not on_one_worker.is_valid()
    assert "At most 250 requests on 1 worker" in str(on_one_worker.errors["n"])
    assert set(MODES) >= {"async", "sync", "blocking", "no-await", "sync-pool", "stock"}


@pytest.mark.django_db
def test_the_oldest_runs_go_past_the_limit_and_the_chart_follows_the_latest() -> None:
    from demo.explain import RunFacts

    for elapsed in (0.5, 0.4):
        run_record(
            learner_id="l1",
            lesson="why-async-matters",
            fired_from="server",
            facts=RunFacts(mode=MODES["async"], n=100, wait=0.3, elapsed=elapsed),
        )
    chart = chart_build(
        runs_list(learner_id="l1", lesson="why-async-matters"),
        metric="elapsed_s",
        title="t",
        y_label="y",
        unit="s",
    )
    [series] = chart.series
    assert len(series.points) == 1 and "0.4 s" in series.points[0].title
    assert [tick.label for tick in chart.x_ticks] == ["1", "10", "100"]

    DemoRun.objects.bulk_create(
        DemoRun(
            learner_id="l1",
            lesson="why-async-matters",
            mode="async",
            fired_from="server",
            n=1,
            wait_s=0.3,
            elapsed_s=0.3,
        )
        for _ in range(RUNS_KEPT)
    )
    run_record(
        learner_id="l1",
        lesson="why-async-matters",
        fired_from="browser",
        facts=RunFacts(mode=MODES["sync"], n=6, wait=0.3, elapsed=0.31),
    )
    assert DemoRun.objects.filter(learner_id="l1").count() == RUNS_KEPT
    assert runs_list(learner_id=None, lesson="why-async-matters") == []
