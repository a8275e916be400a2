"""The streak: days, not acts; the learner's own calendar days; one missed day a week
forgiven; nobody loses a streak before their day is over."""

from __future__ import annotations

import datetime as dt

import pytest

from learners.streaks import streak_compute

D = dt.date(2026, 3, 2)  # a Monday


def days(*offsets: int) -> list[dt.date]:
    return [D + dt.timedelta(days=offset) for offset in offsets]


def test_no_days_is_no_streak() -> None:
    streak = streak_compute(days=[], today=D)
    assert (streak.current, streak.longest, streak.restarting) == (0, 0, False)
    assert streak.label == "0-day streak"


def test_many_acts_on_one_day_count_once() -> None:
    streak = streak_compute(days=days(0, 0, 0), today=D)
    assert (streak.current, streak.longest, streak.active_today) == (1, 1, True)
    assert streak.label == "1-day streak"


def test_consecutive_days_extend_the_streak() -> None:
    assert streak_compute(days=days(0, 1, 2), today=D + dt.timedelta(2)).current == 3


def test_yesterday_keeps_the_streak_alive_until_today_is_over() -> None:
    streak = streak_compute(days=days(0, 1), today=D + dt.timedelta(2))
    assert streak.current == 2 and not streak.active_today and not streak.restarting


def test_one_missed_day_is_forgiven() -> None:
    streak = streak_compute(days=days(0, 1, 3), today=D + dt.timedelta(3))
    # Counts the days learned, not the forgiven one.
    assert streak.current == 3
    assert streak.freeze_day == D + dt.timedelta(2)


def test_a_second_missed_day_in_the_same_week_breaks_the_streak() -> None:
    streak = streak_compute(days=days(0, 2, 4), today=D + dt.timedelta(4))
    assert streak.current == 1
    assert streak.longest == 2


def test_a_missed_day_a_week_after_the_last_freeze_is_forgiven_again() -> None:
    # Missed day 1, then day 8: seven days apart.
    active = days(0, 2, 3, 4, 5, 6, 7, 9)
    assert streak_compute(days=active, today=D + dt.timedelta(9)).current == 8


def test_two_missed_days_in_a_row_end_the_streak() -> None:
    streak = streak_compute(days=days(0, 1, 2), today=D + dt.timedelta(5))
    assert streak.current == 0
    assert streak.longest == 3
    # Said kindly on "my learning": a fresh start, the longest kept.
    assert streak.restarting


def test_yesterday_missed_is_forgiven_while_today_can_still_count() -> None:
    streak = streak_compute(days=days(0, 1), today=D + dt.timedelta(3))
    assert streak.current == 2 and not streak.restarting
    assert streak.freeze_day == D + dt.timedelta(2)


def test_a_day_ahead_of_today_after_moving_west_counts_as_today() -> None:
    streak = streak_compute(days=days(0, 1), today=D)
    assert streak.current == 1 and streak.active_today


@pytest.mark.parametrize("gap_start", [0, 10, 20])
def test_longest_is_the_longest_run(gap_start: int) -> None:
    active = [*days(*range(gap_start, gap_start + 5)), *days(40, 41)]
    streak = streak_compute(days=active, today=D + dt.timedelta(41))
    assert (streak.current, streak.longest) == (2, 5)
