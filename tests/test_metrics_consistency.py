from __future__ import annotations

from datetime import date
from typing import Any

from section11.metrics.consistency import NO_PLAN_NOTE, consistency_index
from section11.sources.intervals_icu.models import Activity, Event

START, END = date(2026, 11, 15), date(2026, 11, 21)


def ev(day: str, category: str = "WORKOUT") -> Event:
    return Event.model_validate({"start_date_local": f"{day}T00:00:00", "category": category})


def act(day: str, **extra: Any) -> Activity:
    return Activity.model_validate({"start_date_local": f"{day}T07:00:00", "type": "Ride", **extra})


def test_consistency_by_day() -> None:
    planned = [
        ev("2026-11-15"),
        ev("2026-11-17"),
        ev("2026-11-17"),  # two workouts, one planned day
        ev("2026-11-19"),
        ev("2026-11-20", "RACE_A"),  # only WORKOUT counts
        ev("2026-11-10"),  # before the window
    ]
    activities = [
        act("2026-11-15"),
        act("2026-11-19"),
        act("2026-11-19"),
        act("2026-11-20"),
        act("2026-11-17", source="STRAVA", _note="not available via the API"),  # stub
    ]
    c = consistency_index(planned, activities, START, END)
    # planned {15, 17, 19}; completed {15, 19, 20}; matched {15, 19} → 2/3 = 0.67
    assert c.consistency_index == 0.67
    assert (c.planned_days, c.completed_days, c.matched_days) == (3, 3, 2)
    assert c.planned_dates == [date(2026, 11, 15), date(2026, 11, 17), date(2026, 11, 19)]
    assert c.completed_dates == [date(2026, 11, 15), date(2026, 11, 19), date(2026, 11, 20)]
    assert c.note is None


def test_no_planned_days() -> None:
    c = consistency_index([], [act("2026-11-16")], START, END)
    assert c.consistency_index is None
    assert (c.planned_days, c.completed_days, c.matched_days) == (0, 1, 0)
    assert c.note == NO_PLAN_NOTE
    # planned but nothing done: a genuine 0.0
    assert consistency_index([ev("2026-11-16")], [], START, END).consistency_index == 0.0
