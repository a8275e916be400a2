from __future__ import annotations

from typing import Any

from django import forms

from demo.modes import (
    BROWSER_MAX,
    MODES,
    SEED_LESSON,
    WORKER_CHOICES,
    WORKERS_DEFAULT,
    DemoMode,
    modes_for_lesson,
)

SERVER_N_MAX = max(mode.server_max for mode in MODES.values())
# Rounds of K requests a worker-pool run may take (1000 requests on the default 4 workers).
POOL_ROUNDS_MAX = 250


class RunForm(forms.Form):
    """What every run asks: which view, how many requests, and the learner's prediction.

    The prediction field carries no hint of the answer (no placeholder, no default): the
    point is that the learner commits to their own picture of the view first.
    """

    mode = forms.ChoiceField(choices=[], initial="async", widget=forms.RadioSelect)
    prediction = forms.FloatField(
        label="Your prediction: total seconds for the whole run",
        min_value=0,
        max_value=3600,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    workers = forms.TypedChoiceField(
        label="Workers (K), for the worker-pool view",
        choices=[(k, str(k)) for k in WORKER_CHOICES],
        coerce=int,
        initial=WORKERS_DEFAULT,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, lesson: str = SEED_LESSON, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lesson = lesson
        self.fields["mode"].choices = [(m.key, m.label) for m in modes_for_lesson(lesson)]  # type: ignore[attr-defined]

    @property
    def demo_mode(self) -> DemoMode:
        return MODES[self.cleaned_data["mode"]]

    @property
    def shows_workers(self) -> bool:
        return any(mode.pooled for mode in modes_for_lesson(self.lesson))


class BrowserRunForm(RunForm):
    n = forms.IntegerField(label="Parallel requests (N)", min_value=1, max_value=BROWSER_MAX)
    field_order = ["mode", "n", "prediction", "workers"]


class ServerRunForm(RunForm):
    n = forms.IntegerField(label="Requests (N)", min_value=1, max_value=SERVER_N_MAX)
    predicted_threads = forms.IntegerField(
        label="Predicted extra server threads at the peak of the run",
        min_value=0,
        max_value=100_000,
        required=False,
    )
    field_order = ["mode", "n", "prediction", "predicted_threads", "workers"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode_key, n = cleaned.get("mode"), cleaned.get("n")
        if mode_key in MODES and n is not None and n > MODES[mode_key].server_max:
            self.add_error(
                "n",
                f"At most {MODES[mode_key].server_max} requests for this view: "
                "each waiting request holds a thread or queues on one loop.",
            )
        elif mode_key in MODES and MODES[mode_key].pooled and n is not None:
            # K workers serve N requests in N / K waits: bound the rounds, so one learner's
            # run cannot hold the shared pool for an hour.
            workers = cleaned.get("workers") or WORKERS_DEFAULT
            if n > POOL_ROUNDS_MAX * workers:
                self.add_error(
                    "n",
                    f"At most {POOL_ROUNDS_MAX * workers} requests on {workers} "
                    f"worker{'s' if workers != 1 else ''}: they are served {workers} at a "
                    f"time, {POOL_ROUNDS_MAX} rounds at most.",
                )
        return cleaned


class BrowserRecordForm(forms.Form):
    """A browser-fired run's measurements, sent by the page when its last answer is in."""

    mode = forms.ChoiceField(choices=[(key, key) for key in MODES])
    n = forms.IntegerField(min_value=1, max_value=BROWSER_MAX)
    workers = forms.TypedChoiceField(
        choices=[(k, str(k)) for k in WORKER_CHOICES],
        coerce=int,
        required=False,
        empty_value=None,
    )
    prediction = forms.FloatField(min_value=0, max_value=3600, required=False)
    elapsed = forms.FloatField(min_value=0, max_value=3600)
    threads = forms.IntegerField(min_value=0, max_value=BROWSER_MAX)
    failed = forms.IntegerField(min_value=0, max_value=BROWSER_MAX, required=False)
    warning = forms.CharField(max_length=500, required=False)
    warned = forms.IntegerField(min_value=0, max_value=BROWSER_MAX, required=False)
    lesson = forms.SlugField(max_length=200, required=False)

    @property
    def demo_mode(self) -> DemoMode:
        return MODES[self.cleaned_data["mode"]]
