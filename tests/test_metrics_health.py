from __future__ import annotations

from datetime import date
from typing import Any

from section11.metrics.health import INJURY_SERIES, health_context, marker_last_day
from section11.outputs.latest_models import WellnessRow
from section11.sources.intervals_icu.models import Event, Wellness

TODAY = date(2026, 11, 21)


def ev(event_id: int, category: str, start: str, end: str | None, **extra: Any) -> Event:
    return Event.model_validate(
        {
            "id": event_id,
            "category": category,
            "start_date_local": start,
            "end_date_local": end,
            **extra,
        }
    )


MARKERS = [
    ev(1, "INJURED", "2026-11-01T00:00:00", "2026-11-25T00:00:00", name="Knee niggle"),
    ev(2, "SICK", "2026-11-12T00:00:00", "2026-11-15T00:00:00", description="Head cold"),
    ev(3, "SICK", "2026-11-01T00:00:00", "2026-11-06T00:00:00"),  # ended 11-05: too old
    ev(4, "SICK", "2026-11-07T00:00:00", "2026-11-08T00:00:00"),  # last day 11-07 = T − 14
    ev(5, "INJURED", "2026-12-01T00:00:00", "2026-12-03T00:00:00"),
    ev(6, "WORKOUT", "2026-11-21T00:00:00", None, name="Sick day recovery ride"),
    ev(7, "NOTE", "2026-11-20T00:00:00", "2026-11-22T00:00:00", name="SICK"),
    ev(8, "SICK", "2026-11-19T00:00:00", "2026-11-21T00:00:00"),  # exclusive end: last 11-20
    ev(9, "SICK", "2026-11-20T00:00:00", "2026-11-21T12:00:00"),  # covers today
]


def test_marker_last_day() -> None:
    assert marker_last_day(MARKERS[0]) == date(2026, 11, 24)  # 00:00 of 11-25 is exclusive
    assert marker_last_day(MARKERS[8]) == TODAY  # 12:00 today: today is marked
    same = ev(10, "SICK", "2026-11-10T00:00:00", "2026-11-10T00:00:00")
    assert marker_last_day(same) == date(2026, 11, 10)  # never before the start
    assert marker_last_day(ev(11, "SICK", "2026-11-10T00:00:00", None)) == date(2026, 11, 10)


def test_buckets_and_clarification() -> None:
    h = health_context(MARKERS, None, TODAY, lookback_days=365, complete=True)
    assert [m.event_id for m in h.current] == [1, 9]
    assert h.current[0].end_date == date(2026, 11, 24)
    assert h.current[0].marker_active_today is True
    assert h.current[0].name == "Knee niggle"
    assert [m.event_id for m in h.recent] == [4, 2, 8]
    # days since end: 21 − 7 = 14, 21 − 14 = 7, 21 − 20 = 1
    assert [m.days_since_end for m in h.recent] == [14, 7, 1]
    assert h.recent[1].description == "Head cold"
    assert all(m.days_since_end is None for m in h.current)
    assert [m.event_id for m in h.upcoming] == [5]
    assert h.upcoming[0].marker_active_today is False
    # A marker spans today, so recent_marker is false although some ended recently.
    assert h.marker_active is True and h.recent_marker is False
    assert h.clarification_required is True
    assert h.source_status == "ok"
    assert h.lookback_days == 365 and h.recent_window_days == 14
    assert h.wellness_injury is None
    assert "NOT a readiness input" in h.note


def test_nothing_to_report() -> None:
    h = health_context([], None, TODAY, lookback_days=365, complete=True)
    assert (h.marker_active, h.recent_marker, h.clarification_required) == (False, False, False)
    assert h.current == [] and h.recent == [] and h.upcoming == []


def test_partial_source() -> None:
    h = health_context([], None, TODAY, lookback_days=28, complete=False)
    assert h.source_status == "partial"
    assert h.marker_active is None and h.recent_marker is None  # not established
    dumped = h.model_dump(mode="json")
    assert "marker_active" not in dumped and "recent_marker" not in dumped
    assert h.clarification_required is True
    assert h.lookback_days == 28


def test_wellness_injury() -> None:
    def run(day: str, injury: int | None) -> Any:
        record = Wellness.model_validate({"id": day, "injury": injury})
        return health_context([], record, TODAY, lookback_days=365, complete=True)

    niggle = run("2026-11-21", 2)
    assert niggle.wellness_injury is not None
    assert niggle.wellness_injury.value == 2
    assert niggle.wellness_injury.freshness == "current"
    assert niggle.wellness_injury.days_old == 0
    assert niggle.clarification_required is False  # 2 is reported but below the gate of 3
    poor = run("2026-11-21", 3)
    assert poor.clarification_required is True
    stale = run("2026-11-20", 4)
    assert stale.wellness_injury is not None
    assert stale.wellness_injury.freshness == "stale"
    assert stale.wellness_injury.days_old == 1  # 21 − 20
    assert stale.clarification_required is False  # only a current score gates
    assert run("2026-11-21", 1).wellness_injury is None
    assert run("2026-11-21", None).wellness_injury is None


def test_recent_marker_only_without_a_current_one() -> None:
    # Only the markers that ended before today: recent, none current -> recovery unknown.
    ended = [m for m in MARKERS if m.id in (2, 4, 8)]
    h = health_context(ended, None, TODAY, lookback_days=365, complete=True)
    assert h.current == [] and len(h.recent) == 3
    assert h.marker_active is False and h.recent_marker is True


def test_injury_series_points_at_a_field_latest_json_has() -> None:
    # Each pointer names a list block of latest.json and a field every row of it carries.
    for pointer in INJURY_SERIES.split(" / "):
        block, _, field = pointer.partition("[].")
        assert block == "wellness_data"
        assert field in WellnessRow.model_fields
