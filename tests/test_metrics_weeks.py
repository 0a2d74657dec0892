from __future__ import annotations

from datetime import date

from section11.metrics.weeks import week_days, week_start_of, weeks_between

SAT = date(2026, 11, 21)  # a Saturday


def test_week_start_of() -> None:
    assert week_start_of(SAT, 0) == date(2026, 11, 16)  # Monday before
    assert week_start_of(SAT, 6) == date(2026, 11, 15)  # Sunday before
    assert week_start_of(SAT, 5) == SAT  # a Saturday week starts today
    assert week_start_of(date(2026, 11, 16), 0) == date(2026, 11, 16)


def test_week_days() -> None:
    days = week_days(date(2026, 11, 16))
    assert len(days) == 7
    assert days[0] == date(2026, 11, 16) and days[-1] == date(2026, 11, 22)


def test_weeks_between() -> None:
    # 11-01 (Sun) .. 11-21 (Sat), Monday weeks: 10-26, 11-02, 11-09, 11-16
    assert weeks_between(date(2026, 11, 1), SAT, 0) == [
        date(2026, 10, 26),
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    # Sunday weeks: 11-01, 11-08, 11-15
    assert weeks_between(date(2026, 11, 1), SAT, 6) == [
        date(2026, 11, 1),
        date(2026, 11, 8),
        date(2026, 11, 15),
    ]
    assert weeks_between(SAT, SAT, 0) == [date(2026, 11, 16)]
    assert weeks_between(SAT, date(2026, 11, 20), 0) == []
