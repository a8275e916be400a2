"""The learner's runs, kept and drawn side by side: total time and threads against N.

The charts are inline SVG drawn here, on the server, with a data table beside them (the same
numbers, for screen readers and for anyone who wants them exact). N runs from 1 to 10,000, so
its axis is logarithmic: the curve that shows why async matters is flat on it for the async
view and a climbing line for the blocking one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from demo.explain import RunFacts
from demo.models import DemoRun
from demo.modes import MODES
from exercises.modes.services import mode_progress_record
from lessons.selectors import lesson_get

# Runs kept per learner and lesson; the oldest go first.
RUNS_KEPT = 200
CHART_WIDTH, CHART_HEIGHT = 640, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 16, 16, 48
# One marker shape per view, so the series differ by more than colour (paths around 0,0).
MARKERS = {
    "circle": "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0Z",
    "square": "M-4.5,-4.5h9v9h-9Z",
    "triangle": "M0,-6L5.5,4.5H-5.5Z",
    "diamond": "M0,-6L6,0L0,6L-6,0Z",
    "cross": "M-5,-2h3v-3h4v3h3v4h-3v3h-4v-3h-3Z",
    "star": "M0,-6L1.8,-1.8L6,-1.8L2.6,1L4,5.6L0,2.8L-4,5.6L-2.6,1L-6,-1.8L-1.8,-1.8Z",
}
MARKER_NAMES = tuple(MARKERS)


def run_record(*, learner_id: str, lesson: str, fired_from: str, facts: RunFacts) -> DemoRun:
    """Keep one finished run for the learner; forget their oldest past RUNS_KEPT."""
    run = DemoRun.objects.create(
        learner_id=learner_id,
        lesson=lesson,
        mode=facts.mode.key,
        fired_from=fired_from,
        n=facts.n,
        workers=facts.workers,
        wait_s=facts.wait,
        prediction_s=facts.prediction,
        predicted_threads=facts.predicted_threads,
        elapsed_s=facts.elapsed,
        extra_threads=facts.extra_threads,
        extra_rss_mb=facts.extra_rss_mb,
        threads_served=facts.threads_served,
        errors=facts.errors,
        warnings=max((facts.warnings or {}).values(), default=0),
    )
    stale = DemoRun.objects.filter(learner_id=learner_id, lesson=lesson).order_by("-created", "-id")
    stale_ids = list(stale.values_list("id", flat=True)[RUNS_KEPT:])
    if stale_ids:
        DemoRun.objects.filter(id__in=stale_ids).delete()
    if facts.prediction is not None or facts.predicted_threads is not None:
        predict_progress_record(learner_id=learner_id, lesson_slug=lesson, mode=facts.mode.key)
    return run


def predict_progress_record(*, learner_id: str, lesson_slug: str, mode: str) -> None:
    """The lesson's "Predict, then measure" mode: one of its demo views predicted and run.
    Done once every view the lesson's lab shows has been."""
    lesson = lesson_get(slug=lesson_slug, drafts=True)
    if lesson is None or mode not in lesson.demo:
        return
    progress = mode_progress_record(
        learner=learner_id, lesson=lesson, mode="predict", done=False, item=mode
    )
    if set(lesson.demo) <= set(progress.data.get("done", [])):
        mode_progress_record(learner=learner_id, lesson=lesson, mode="predict", done=True)


def runs_list(*, learner_id: str | None, lesson: str) -> list[DemoRun]:
    if learner_id is None:
        return []
    return list(DemoRun.objects.filter(learner_id=learner_id, lesson=lesson))


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    index: int
    marker: str
    points: tuple[Point, ...]

    @property
    def marker_path(self) -> str:
        return MARKERS[self.marker]

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )


@dataclass(frozen=True)
class Chart:
    title: str
    y_label: str
    x_label: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]

    @property
    def empty(self) -> bool:
        return not self.series


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (an axis's top)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def number_label(value: float) -> str:
    if value >= 1000 and value == int(value):
        return f"{int(value):,}"
    return f"{value:g}"


def chart_build(
    runs: Sequence[DemoRun], *, metric: str, title: str, y_label: str, unit: str
) -> Chart:
    """A chart of `metric` ("elapsed_s" or "extra_threads") against N, one series per view.

    Each series goes through the learner's latest run at each N; runs without the metric
    (threads of a browser-fired run) are left out of that chart.
    """
    latest: dict[tuple[str, int], DemoRun] = {}
    for run in runs:
        if getattr(run, metric) is not None and run.mode in MODES:
            latest[run.mode, run.n] = run  # runs come oldest first: the last one wins
    values = [float(getattr(run, metric)) for run in latest.values()]
    ns = [run.n for run in latest.values()]
    x_top = 10 ** max(1, math.ceil(math.log10(max(ns, default=10))))
    y_top = nice_ceiling(max(values, default=1.0) * 1.05)
    left, right = MARGIN_LEFT, CHART_WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, CHART_HEIGHT - MARGIN_BOTTOM

    def x_of(n: int) -> float:
        return left + (right - left) * math.log10(max(n, 1)) / math.log10(x_top)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / y_top

    x_ticks = tuple(
        Tick(x_of(10**k), number_label(10**k)) for k in range(int(math.log10(x_top)) + 1)
    )
    y_ticks = tuple(
        Tick(y_of(y_top * i / 4), number_label(round(y_top * i / 4, 3))) for i in range(5)
    )
    series = []
    for index, mode in enumerate(MODES.values()):
        mine = sorted(
            (run for (key, _), run in latest.items() if key == mode.key), key=lambda r: r.n
        )
        if not mine:
            continue
        points = tuple(
            Point(
                x_of(run.n),
                y_of(float(getattr(run, metric))),
                f"{mode.view_name}, N = {run.n}: {float(getattr(run, metric)):g} {unit}",
            )
            for run in mine
        )
        series.append(
            Series(
                key=mode.key,
                label=mode.label,
                index=index,
                marker=MARKER_NAMES[index % len(MARKER_NAMES)],
                points=points,
            )
        )
    return Chart(
        title=title,
        y_label=y_label,
        x_label="Requests fired at once (N, logarithmic)",
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=tuple(series),
    )


def charts_build(runs: Iterable[DemoRun]) -> list[Chart]:
    kept = list(runs)
    return [
        chart_build(
            kept,
            metric="elapsed_s",
            title="Total time against N",
            y_label="Total time (s)",
            unit="s",
        ),
        chart_build(
            kept,
            metric="extra_threads",
            title="Extra server threads against N (server-fired runs)",
            y_label="Extra threads",
            unit="threads",
        ),
    ]


def history_for_page(*, learner_id: str | None, lesson: str) -> dict[str, Any]:
    """The template context of the lab's "your runs" section."""
    runs = runs_list(learner_id=learner_id, lesson=lesson)
    return {"history_runs": runs, "history_charts": charts_build(runs), "lesson_slug": lesson}
