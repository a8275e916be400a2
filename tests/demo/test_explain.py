"""What the lab says after a run: the prediction's verdict and the per-view "why"."""

from __future__ import annotations

from demo.explain import RunFacts, run_explain
from demo.modes import MODES
from demo.runs import RunProgress, progress_facts

WAIT = 1.0


def facts(mode: str, **values: object) -> RunFacts:
    defaults: dict[str, object] = {"n": 6, "wait": WAIT, "elapsed": 1.05}
    defaults.update(values)
    return RunFacts(mode=MODES[mode], **defaults)  # type: ignore[arg-type]


def test_a_close_prediction_is_called_right_and_async_overlap_is_explained() -> None:
    said = run_explain(facts("async", prediction=1.0, threads_served=1))

    assert said.headline.startswith("6 requests to slow_view took 1.05 s in all")
    assert "against 6.00 s if they had waited one after another" in said.headline
    assert "you predicted 1.00 s" in said.headline
    assert said.verdict == "That is about what you predicted."
    assert "overlapped" in said.why and "1 thread serving them" in said.why
    assert not said.failed


def test_a_big_async_run_is_one_wait_plus_the_time_to_take_it_in() -> None:
    said = run_explain(facts("async", n=1000, elapsed=1.5, extra_threads=1))

    # Measured, not assumed: 1000 requests did not take "about one wait" but one wait plus
    # what the server needed to start and answer them all.
    assert "took one wait (1.00 s) plus 0.50 s to start and answer them all" in said.why


def test_a_wrong_prediction_is_called_wrong_by_how_much() -> None:
    slower = run_explain(facts("blocking", elapsed=6.1, prediction=1.0))
    faster = run_explain(facts("async", elapsed=1.0, prediction=6.0))

    assert slower.verdict == "That is 6× slower than you predicted."
    assert faster.verdict == "That is 6× faster than you predicted."


def test_no_prediction_asks_for_one_next_time() -> None:
    said = run_explain(facts("async"))

    assert "you predicted" not in said.headline
    assert "no prediction" in said.verdict


def test_the_blocking_mistake_is_explained_as_a_staircase() -> None:
    said = run_explain(facts("blocking", n=3, elapsed=3.1, prediction=1))

    assert "staircase" in said.why
    assert "3 requests took 3 waits (3.00 s) one after another" in said.why


def test_sync_keeps_up_but_the_threads_it_held_are_named() -> None:
    said = run_explain(
        facts(
            "sync",
            n=1000,
            elapsed=1.4,
            prediction=1.2,
            predicted_threads=1,
            extra_threads=1000,
            extra_rss_mb=41.0,
        )
    )

    assert "Sync kept up, at a price" in said.why
    assert "1000 extra threads in the server, +41 MB" in said.why
    assert said.verdict.endswith("You predicted 1 extra thread; the server needed more: 1000.")


def test_the_forgotten_await_is_a_failure_with_no_sum_of_waits() -> None:
    warning = "RuntimeWarning: coroutine 'sleep' was never awaited"
    said = run_explain(facts("no-await", n=50, elapsed=0.04, prediction=1, warnings={warning: 50}))

    assert said.failed
    assert said.headline.startswith(
        "50 responses from no_await_view came back in 0.04 s, without doing the work"
    )
    assert "one after another" not in said.text
    assert "Nothing waited" in said.why
    assert said.warnings == ((warning, 50),)

    progress = RunProgress(mode=MODES["no-await"], n=50)
    assert progress.sum_of_waits is None
    assert RunProgress(mode=MODES["async"], n=50).sum_of_waits is not None


def test_the_worker_pool_is_explained_as_n_over_k_waits() -> None:
    said = run_explain(facts("sync-pool", n=1000, elapsed=250.3, workers=4, queued_max_s=249.0))

    assert "Only 4 workers" in said.why
    assert "1000 requests took about 250 waits (250.00 s)" in said.why
    assert "the last queued 249.00 s for a worker" in said.why


def test_stock_django_is_explained_by_the_threads_its_stack_held() -> None:
    said = run_explain(facts("stock", n=1000, elapsed=2.2, extra_threads=1000, extra_rss_mb=30))

    assert "stock Django held 1000 extra threads" in said.why
    assert "request_started / request_finished" in said.why


def test_a_server_runs_progress_becomes_the_facts_it_measured() -> None:
    progress = RunProgress(mode=MODES["sync"], n=10, prediction=2.0, predicted_threads=10)
    progress.elapsed, progress.threads_idle, progress.threads_peak = 1.1, 3, 13
    progress.rss_idle_mb, progress.rss_peak_mb = 80.0, 82.5

    made = progress_facts(progress)

    assert (made.extra_threads, made.extra_rss_mb, made.elapsed) == (10, 2.5, 1.1)
    assert run_explain(made).verdict.endswith("You predicted 10 extra threads: about right.")
