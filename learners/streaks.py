"""The streak, computed from the days a learner did something meaningful.

Pure date arithmetic, no database and no clock: the callers pass the learner's own calendar
days and today's date in their time zone (freeCodeCamp's streak bugs came from mixing time
zones and from counting acts instead of days; here a day is a date, and only dates count).

The rules:
- consecutive days extend the streak; many acts on one day count once;
- one missed day is forgiven (a freeze) when no other day was forgiven in the 7 days before;
- a streak is still alive today if the learner was active yesterday, or the day before with
  yesterday forgiven, so nobody loses a streak before their day is over;
- a streak counts the days the learner was active, not the forgiven ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

FREEZE_EVERY_DAYS = 7


@dataclass(frozen=True)
class Streak:
    current: int
    longest: int
    active_today: bool
    # The day a missed day was last forgiven within the current streak (None if never).
    freeze_day: dt.date | None
    # There was a streak once, it ended, and no new one has begun: said kindly, not as a loss.
    restarting: bool

    @property
    def freeze_available(self) -> bool:
        return self.freeze_day is None

    @property
    def label(self) -> str:
        return f"{self.current}-day streak"


def _forgivable(last_freeze: dt.date | None, missed: dt.date) -> bool:
    return last_freeze is None or (missed - last_freeze).days >= FREEZE_EVERY_DAYS


def streak_compute(*, days: Iterable[dt.date], today: dt.date) -> Streak:
    # A day "after today" happens when a learner moves west across time zones: it is today.
    ordered = sorted({min(day, today) for day in days})
    run = longest = 0
    last: dt.date | None = None
    last_freeze: dt.date | None = None
    for day in ordered:
        gap = None if last is None else (day - last).days
        if gap == 1:
            run += 1
        elif gap == 2 and last is not None and _forgivable(last_freeze, last + dt.timedelta(1)):
            last_freeze = last + dt.timedelta(1)
            run += 1
        else:
            run, last_freeze = 1, None
        longest = max(longest, run)
        last = day
    if last is None:
        return Streak(0, 0, False, None, False)
    gap = (today - last).days
    alive = gap <= 1 or (gap == 2 and _forgivable(last_freeze, last + dt.timedelta(1)))
    if gap == 2 and alive:
        # Yesterday is forgiven as long as today still counts.
        last_freeze = last + dt.timedelta(1)
    recent_freeze = (
        last_freeze
        if alive and last_freeze is not None and (today - last_freeze).days < FREEZE_EVERY_DAYS
        else None
    )
    return Streak(
        current=run if alive else 0,
        longest=longest,
        active_today=gap == 0,
        freeze_day=recent_freeze,
        restarting=not alive,
    )
