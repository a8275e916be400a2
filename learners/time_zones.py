"""Learners' time zones: IANA names only, checked against the zone database."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import cache

UTC_NAME = "UTC"


@cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_valid(name: str | None) -> bool:
    return bool(name) and len(name or "") <= 64 and name in time_zone_names()


def time_zone_get(name: str | None) -> zoneinfo.ZoneInfo:
    """The zone of that name; UTC for an unknown or empty one."""
    return zoneinfo.ZoneInfo(name if name and time_zone_valid(name) else UTC_NAME)


def local_day(*, when: dt.datetime, time_zone: str | None) -> dt.date:
    """The calendar date `when` falls on for someone in that zone."""
    return when.astimezone(time_zone_get(time_zone)).date()
