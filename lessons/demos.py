"""Which demo lab modes a lesson's `demo:` line may name.

`lessons` never imports the demo app: whoever provides demo modes registers their keys and
labels here when Django starts (the demo app does, in its `AppConfig.ready`). Until someone
does, `demo:` keys are checked for their shape only.
"""

from __future__ import annotations

from collections.abc import Mapping

_known: dict[str, str] = {}


def demo_modes_register(modes: Mapping[str, str]) -> None:
    """Make these demo mode keys (key -> label shown to learners) valid in `demo:`."""
    _known.update(modes)


def demo_modes_known() -> dict[str, str] | None:
    """Every registered key and its label; None when no demo app registered any."""
    return dict(_known) if _known else None
