from __future__ import annotations

from typing import Any

from django import forms

from demo.modes import BROWSER_MAX, MODES, DemoMode

MODE_CHOICES = [(mode.key, mode.label) for mode in MODES.values()]
SERVER_N_MAX = max(mode.server_max for mode in MODES.values())


class RunForm(forms.Form):
    mode = forms.ChoiceField(choices=MODE_CHOICES, initial="async", widget=forms.RadioSelect)
    prediction = forms.FloatField(
        label="Your prediction: total seconds for the whole run",
        min_value=0,
        max_value=3600,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )

    @property
    def demo_mode(self) -> DemoMode:
        return MODES[self.cleaned_data["mode"]]


class BrowserRunForm(RunForm):
    n = forms.IntegerField(label="Parallel requests (N)", min_value=1, max_value=BROWSER_MAX)
    field_order = ["mode", "n", "prediction"]


class ServerRunForm(RunForm):
    n = forms.IntegerField(label="Requests (N)", min_value=1, max_value=SERVER_N_MAX)
    field_order = ["mode", "n", "prediction"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode_key, n = cleaned.get("mode"), cleaned.get("n")
        if mode_key in MODES and n is not None and n > MODES[mode_key].server_max:
            self.add_error(
                "n",
                f"At most {MODES[mode_key].server_max} requests for this view: "
                "each waiting request holds a thread or queues on one loop.",
            )
        return cleaned
