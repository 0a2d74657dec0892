"""The only place that reads the wall clock.

Everything else receives ``now``/``today`` as arguments. "Today" is the athlete's local
date (their Intervals.icu timezone), not the date of the machine running the sync.

``SECTION11_NOW`` (an ISO-8601 timestamp with offset, e.g. ``2026-11-21T07:30:00+00:00``)
pins the clock for reproducible runs: example files, demos and end-to-end tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from section11.errors import ConfigError

NOW_ENV = "SECTION11_NOW"


class Clock(Protocol):
    def now_utc(self) -> datetime: ...


class SystemClock:
    def now_utc(self) -> datetime:
        pinned = os.environ.get(NOW_ENV, "").strip()
        if pinned:
            return parse_pinned_now(pinned)
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """A clock that always answers the same instant (tests, reproducible runs)."""

    instant: datetime

    def now_utc(self) -> datetime:
        return self.instant.astimezone(UTC)


def parse_pinned_now(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigError(
            f"{NOW_ENV} must be an ISO-8601 timestamp such as 2026-11-21T07:30:00+00:00 "
            f"(got {value!r}); unset it to use the real clock"
        ) from None
    if parsed.tzinfo is None:
        raise ConfigError(f"{NOW_ENV} needs a UTC offset, e.g. {value}+00:00")
    return parsed.astimezone(UTC)


def athlete_zone(tz_name: str | None) -> ZoneInfo:
    """The athlete's timezone; UTC when the profile has none or an unknown name."""
    if not tz_name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(now_utc: datetime, tz_name: str | None) -> datetime:
    return now_utc.astimezone(athlete_zone(tz_name))


def local_today(now_utc: datetime, tz_name: str | None) -> date:
    return local_now(now_utc, tz_name).date()
