"""Activity recorded in the learner's own time zone: day boundaries, DST, the far ends of
the zone map, and the points that count once per achievement."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from learners.models import Activity, LearnerProfile
from learners.selectors import learner_points, learner_streak
from learners.services import activity_record, time_zone_remember

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def at(zone: str, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=ZoneInfo(zone))


def record(when: dt.datetime, zone: str | None = None, learner: str = "anon") -> Activity:
    return activity_record(learner=learner, kind="step_passed", when=when, time_zone=zone)


def test_until_the_zone_is_known_days_are_utc() -> None:
    activity = record(dt.datetime(2026, 5, 1, 23, 30, tzinfo=UTC))
    assert activity.day == dt.date(2026, 5, 1) and activity.time_zone == "UTC"


def test_23_30_and_00_30_local_are_two_days_of_a_streak() -> None:
    zone = "Europe/Berlin"
    record(at(zone, 2026, 5, 1, 23, 30), zone)
    record(at(zone, 2026, 5, 2, 0, 30), zone)
    assert sorted(Activity.objects.values_list("day", flat=True)) == [
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 2),
    ]
    now = at(zone, 2026, 5, 2, 12, 0)
    assert learner_streak(learner="anon", now=now).current == 2


def test_a_utc_streak_would_have_put_both_in_one_day() -> None:
    # The same two moments, a learner in New York: 23:30 and 00:30 local are 03:30 and
    # 04:30 UTC of one UTC day, yet two days of theirs.
    zone = "America/New_York"
    first = record(at(zone, 2026, 5, 1, 23, 30), zone)
    second = record(at(zone, 2026, 5, 2, 0, 30), zone)
    assert first.at.astimezone(UTC).date() == second.at.astimezone(UTC).date()
    assert (first.day, second.day) == (dt.date(2026, 5, 1), dt.date(2026, 5, 2))


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 3, 8),  # spring forward in New York: the day has 23 hours
        dt.date(2026, 11, 1),  # fall back: 25 hours, 01:30 happens twice
    ],
)
def test_dst_changes_neither_skip_nor_double_a_day(day: dt.date) -> None:
    zone = "America/New_York"
    before = dt.datetime.combine(day - dt.timedelta(1), dt.time(23, 30), ZoneInfo(zone))
    late = dt.datetime.combine(day, dt.time(23, 30), ZoneInfo(zone))
    twice = dt.datetime.combine(day, dt.time(1, 30), ZoneInfo(zone))
    record(before, zone)
    record(twice, zone)
    record(twice.replace(fold=1), zone)
    record(late, zone)
    assert sorted(set(Activity.objects.values_list("day", flat=True))) == [
        day - dt.timedelta(1),
        day,
    ]
    next_morning = dt.datetime.combine(day + dt.timedelta(1), dt.time(0, 5), ZoneInfo(zone))
    assert learner_streak(learner="anon", now=next_morning).current == 2


def test_utc_plus_14_and_utc_minus_12_learners_live_a_day_apart() -> None:
    moment = dt.datetime(2026, 6, 15, 11, 0, tzinfo=UTC)
    east = record(moment, "Pacific/Kiritimati", learner="east")  # UTC+14: 01:00 on the 16th
    west = record(moment, "Etc/GMT+12", learner="west")  # UTC-12: 23:00 on the 14th
    assert east.day == dt.date(2026, 6, 16)
    assert west.day == dt.date(2026, 6, 14)
    # An hour later it is the 15th for the western learner: their streak is still alive
    # (yesterday counted); for the eastern one it is still the 16th (today counted).
    later = moment + dt.timedelta(hours=2)
    assert learner_streak(learner="west", now=later).current == 1
    assert not learner_streak(learner="west", now=later).active_today
    assert learner_streak(learner="east", now=later).active_today


def test_a_recorded_day_stays_when_the_learner_moves_zone() -> None:
    record(at("Asia/Tokyo", 2026, 5, 1, 8, 0), "Asia/Tokyo")  # 30 April 23:00 UTC
    time_zone_remember(learner="anon", time_zone="America/Los_Angeles")
    assert Activity.objects.get().day == dt.date(2026, 5, 1)


def test_an_unknown_time_zone_is_ignored() -> None:
    assert not time_zone_remember(learner="anon", time_zone="Mars/Olympus_Mons")
    assert not time_zone_remember(learner="anon", time_zone="../../etc/passwd")
    activity = record(dt.datetime(2026, 5, 1, 23, 30, tzinfo=UTC), "Not/AZone")
    assert activity.time_zone == "UTC"


def test_a_chosen_zone_beats_the_browsers_guess() -> None:
    time_zone_remember(learner="anon", time_zone="Europe/Paris", chosen=True)
    record(dt.datetime(2026, 5, 1, 22, 30, tzinfo=UTC), "America/Chicago")
    profile = LearnerProfile.objects.get()
    assert profile.time_zone == "Europe/Paris"
    assert Activity.objects.get().day == dt.date(2026, 5, 2)


def test_opening_pages_is_not_activity_and_kinds_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown activity kind"):
        activity_record(learner="anon", kind="page_opened")


def test_points_count_each_achievement_once_with_its_best() -> None:
    for _ in range(3):
        activity_record(learner="anon", kind="step_passed", key="step:a:1", points=10)
    activity_record(learner="anon", kind="step_passed", key="step:a:2", points=10)
    activity_record(learner="anon", kind="test_finished", key="test:a", points=30)
    activity_record(learner="anon", kind="test_finished", key="test:a", points=45)
    activity_record(learner="anon", kind="test_finished", key="test:a", points=20)
    assert learner_points(learner="anon") == 10 + 10 + 45
    assert learner_points(learner=None) == 0


def test_the_same_achievement_on_the_same_day_is_one_row() -> None:
    for _ in range(20):
        activity_record(learner="anon", kind="step_passed", key="step:a:1", points=10)
    activity_record(learner="anon", kind="test_finished", key="test:a", points=5)
    activity_record(learner="anon", kind="test_finished", key="test:a", points=25)
    assert Activity.objects.count() == 2
    assert learner_points(learner="anon") == 35
