"""After a run: what was measured, how it compares with the learner's prediction, and why.

One function for every run, fired by the browser or by the server, so the page says the same
thing whichever way the learner ran it. The "why" is written per view, with the run's own
numbers in it: the point of predicting first is to have one's model of the view corrected.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Mapping
from dataclasses import dataclass

from demo.modes import WORKERS_DEFAULT, DemoMode


@dataclass(frozen=True, kw_only=True)
class RunFacts:
    """What a finished run measured, from wherever it was fired."""

    mode: DemoMode
    n: int
    wait: float
    elapsed: float
    prediction: float | None = None
    predicted_threads: int | None = None
    # Server-fired runs: threads and memory the serving process added at peak.
    extra_threads: int | None = None
    extra_rss_mb: float | None = None
    # Distinct threads named in the answers' Server-Timing headers.
    threads_served: int | None = None
    workers: int | None = None
    queued_max_s: float | None = None
    errors: int = 0
    # Python's warnings raised while serving the run, with how many answers carried each.
    warnings: Mapping[str, int] | None = None


@dataclass(frozen=True, kw_only=True)
class Explanation:
    headline: str
    verdict: str
    why: str
    # True when the answers came back but the work was not done (the forgotten await).
    failed: bool = False
    warnings: tuple[tuple[str, int], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(part for part in (self.headline, self.verdict, self.why) if part)


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def expected_seconds(facts: RunFacts) -> float | None:
    """What the model of this view predicts for the run (None for a view that never waits)."""
    mode = facts.mode
    if not mode.waits:
        return None
    if mode.isolated_loop:
        return facts.n * facts.wait
    if mode.pooled:
        return math.ceil(facts.n / (facts.workers or WORKERS_DEFAULT)) * facts.wait
    return facts.wait * mode.waits_per_request


def time_verdict(*, prediction: float | None, measured: float) -> str:
    if prediction is None:
        return (
            "You made no prediction this time; write one down before the next run, "
            "it is how a wrong picture of the view shows itself."
        )
    tolerance = max(0.25 * measured, 0.1)
    if abs(prediction - measured) <= tolerance:
        return "That is about what you predicted."
    if prediction > measured:
        if measured > 0 and prediction / measured >= 2:
            return f"That is {prediction / measured:.0f}× faster than you predicted."
        return "That is faster than you predicted."
    if prediction > 0 and measured / prediction >= 2:
        return f"That is {measured / prediction:.0f}× slower than you predicted."
    return "That is slower than you predicted."


def threads_verdict(*, predicted: int | None, measured: int | None) -> str:
    if predicted is None or measured is None:
        return ""
    if abs(predicted - measured) <= max(0.2 * measured, 3):
        return f"You predicted {plural(predicted, 'extra thread')}: about right."
    more_or_fewer = "more" if measured > predicted else "fewer"
    return (
        f"You predicted {plural(predicted, 'extra thread')}; the server needed "
        f"{more_or_fewer}: {measured}."
    )


def headline(facts: RunFacts) -> str:
    view = facts.mode.view_name
    took = f"{facts.n} requests to {view} took {seconds(facts.elapsed)} in all"
    if not facts.mode.waits:
        took = (
            f"{facts.n} responses from {view} came back in {seconds(facts.elapsed)}, "
            "without doing the work"
        )
    elif facts.n > 1:
        one_after_another = facts.n * facts.wait * facts.mode.waits_per_request
        took += f", against {seconds(one_after_another)} if they had waited one after another"
    if facts.prediction is not None:
        took += f"; you predicted {seconds(facts.prediction)}"
    if facts.errors:
        took += f"; {plural(facts.errors, 'request')} failed"
    return took + "."


def threads_phrase(facts: RunFacts) -> str:
    if facts.extra_threads is not None:
        memory = f", +{facts.extra_rss_mb:.0f} MB" if facts.extra_rss_mb is not None else ""
        return f"{plural(facts.extra_threads, 'extra thread')} in the server{memory}"
    if facts.threads_served:
        return f"{plural(facts.threads_served, 'thread')} serving them"
    return "a thread per waiting request"


def why(facts: RunFacts) -> str:
    """One or two sentences, per view, on why the run took the time it took."""
    mode, n, wait = facts.mode, facts.n, facts.wait
    threads = threads_phrase(facts)
    if mode.after_run:
        return f"{mode.after_run} ({threads}.)"
    if not mode.waits:
        return (
            "Nothing waited: asyncio.sleep(WAIT_TIME) only made a coroutine, which was thrown "
            "away without being awaited, so each view returned at once, before the work it was "
            "written to do. Fast, and wrong; Python's warning below says so."
        )
    if mode.isolated_loop:
        return (
            f"A staircase: time.sleep held the event loop, so each request started only when "
            f"the one before had finished, and {n} requests took {n} waits "
            f"({seconds(n * wait)}) one after another."
        )
    if mode.pooled:
        workers = facts.workers or WORKERS_DEFAULT
        rounds = math.ceil(n / workers)
        queued = (
            f"; the last queued {seconds(facts.queued_max_s)} for a worker"
            if facts.queued_max_s
            else ""
        )
        return (
            f"Only {plural(workers, 'worker')}: {workers} requests waited at a time and the "
            f"rest queued, so {n} requests took about {rounds} waits "
            f"({seconds(rounds * wait)}){queued}. Under a WSGI server every waiting request "
            "holds a worker like this."
        )
    if mode.full_stack:
        return (
            f"The waits overlapped, as on the lean path, but stock Django held {threads}: its "
            "sync middleware and request_started / request_finished receivers run in a thread "
            "of each request's own, for as long as the request waits. The lean path serves "
            "the same view on one thread."
        )
    if inspect.iscoroutinefunction(mode.view):
        # The measured time, split honestly: one wait, and what it took beyond that to start
        # and answer every request (a big run spends most of its extra time taking them in).
        beyond = max(0.0, facts.elapsed - wait)
        return (
            f"The waits overlapped: while one request awaited asyncio.sleep, the event loop "
            f"started the others, so {n} requests took one wait ({seconds(wait)}) plus "
            f"{seconds(beyond)} to start and answer them all, with {threads}."
        )
    return (
        f"Sync kept up, at a price: Django ran each request's time.sleep in a thread of its "
        f"own, so the waits overlapped too, but it took {threads}, one per waiting request. "
        "The async view does the same with no thread per request."
    )


def run_explain(facts: RunFacts) -> Explanation:
    """What the page says after a run: the measurement, the prediction's verdict, and why."""
    verdict = time_verdict(prediction=facts.prediction, measured=facts.elapsed)
    thread_part = threads_verdict(predicted=facts.predicted_threads, measured=facts.extra_threads)
    warnings = tuple(sorted((facts.warnings or {}).items(), key=lambda item: -item[1]))
    return Explanation(
        headline=headline(facts),
        verdict=" ".join(part for part in (verdict, thread_part) if part),
        why=why(facts),
        failed=not facts.mode.waits,
        warnings=warnings,
    )
