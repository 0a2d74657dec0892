"""Today is the athlete's local date; the clock can be pinned for reproducible runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from section11.clock import FixedClock, SystemClock, local_today
from section11.errors import ConfigError


def test_local_today_uses_athlete_timezone() -> None:
    # 23:30 UTC on 20 Nov is 00:30 on 21 Nov in Oslo (UTC+1 in November)
    # and 12:30 on 21 Nov in Auckland (UTC+13), but still 20 Nov in New York (UTC-5).
    instant = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert local_today(instant, "Europe/Oslo") == date(2026, 11, 21)
    assert local_today(instant, "Pacific/Auckland") == date(2026, 11, 21)
    assert local_today(instant, "America/New_York") == date(2026, 11, 20)


def test_unknown_or_missing_timezone_falls_back_to_utc() -> None:
    instant = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert local_today(instant, None) == date(2026, 11, 20)
    assert local_today(instant, "Mars/Olympus_Mons") == date(2026, 11, 20)


def test_fixed_clock() -> None:
    instant = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    assert FixedClock(instant).now_utc() == instant


def test_pinned_clock_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECTION11_NOW", "2026-11-21T08:00:00+01:00")
    assert SystemClock().now_utc() == datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
    monkeypatch.setenv("SECTION11_NOW", "2026-11-21T08:00:00")
    with pytest.raises(ConfigError, match="needs a UTC offset"):
        SystemClock().now_utc()
    monkeypatch.setenv("SECTION11_NOW", "yesterday")
    with pytest.raises(ConfigError, match="ISO-8601"):
        SystemClock().now_utc()
