"""The run log's day states: exactly one per day, by the documented ladder."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from section11.outputs.dashboard import CalendarFacts, HealthSpan, build_days
from section11.outputs.dashboard.days import PAST_DAYS
from section11.outputs.dashboard.facts import PlannedSession

DATA = Path(__file__).parent / "data" / "dashboard"
TODAY = date(2030, 4, 10)


def fixture(name: str) -> Any:
    return json.loads((DATA / name).read_text("utf-8"))


def states(facts: CalendarFacts | None = None) -> dict[date, str]:
    latest = fixture("reference_shape_latest.json")
    history = fixture("reference_shape_history.json")
    return {d.date: d.state for d in build_days(latest, history, facts, TODAY)}


def test_reference_shaped_files_give_one_state_per_day() -> None:
    got = states()
    # No run facts: illness from health_context.recent (SICK 04-02..04-03), the past plan
    # from consistency_details (planned 04-06/08/09, completed 04-06/09 -> 04-08 missed).
    assert got[date(2030, 4, 1)] == "no-data"  # no history row, no wellness: API gap
    assert got[date(2030, 4, 2)] == "sick"  # no row either, but the marker wins
    assert got[date(2030, 4, 3)] == "sick"
    assert got[date(2030, 4, 5)] == "no-data"  # activity_count 0 and no wellness at all
    assert got[date(2030, 4, 6)] == "trained"  # activity_count 1 (Ride)
    assert got[date(2030, 4, 7)] == "rest"  # activity_count 0, HRV 63
    assert got[date(2030, 4, 8)] == "missed"  # planned, nothing done, wellness present
    assert got[date(2030, 4, 9)] == "trained"  # "Run, Swim"
    assert got[TODAY] == "future"  # nothing done or planned yet today
    assert got[date(2030, 4, 11)] == "planned"  # Openers 4x1min
    assert got[date(2030, 4, 12)] == "future"  # a NOTE is not a workout
    assert got[date(2030, 4, 14)] == "race"  # Harbour 10K
    # 90 days back (2030-01-11) to today + 27 (2030-05-07; the race is earlier).
    assert min(got) == date(2030, 1, 11)
    assert max(got) == date(2030, 5, 7)
    assert len(got) == PAST_DAYS + 27


def test_a_history_row_without_an_answer_is_a_no_data_day() -> None:
    latest = fixture("reference_shape_latest.json")
    history = fixture("reference_shape_history.json")
    row = next(r for r in history["daily_90d"] if r["date"] == "2030-04-07")
    # Our history.json writes a day the API did not answer for with null count and totals;
    # the same day with a count of 0 and HRV 63 is a rest day (test above).
    row.update(activity_count=None, total_tss=None, total_hours=None)
    got = {d.date: d.state for d in build_days(latest, history, None, TODAY)}
    assert got[date(2030, 4, 7)] == "no-data"


def test_run_facts_replace_what_latest_json_summarises() -> None:
    facts = CalendarFacts(
        past_plan=(PlannedSession(date(2030, 4, 7), "Tempo", "Run"),),
        health=(HealthSpan("INJURED", date(2030, 3, 1), date(2030, 3, 2), "Ankle"),),
        strava_stub_days=frozenset({date(2030, 4, 8)}),
    )
    got = states(facts)
    assert got[date(2030, 4, 2)] == "no-data"  # the run's markers have no 04-02 illness
    assert got[date(2030, 3, 1)] == "sick"
    assert got[date(2030, 4, 7)] == "missed"  # the run's own past plan
    assert got[date(2030, 4, 8)] == "no-data"  # a Strava stub only: it cannot be read


def test_sport_and_load_of_a_trained_day() -> None:
    latest = fixture("reference_shape_latest.json")
    history = fixture("reference_shape_history.json")
    day = {d.date: d for d in build_days(latest, history, None, TODAY)}[date(2030, 4, 9)]
    assert day.sports == ("run", "swim")
    assert day.load == 60.0
    assert [s.name for s in day.sessions] == ["Easy run"]  # from recent_activities
    assert ("HRV", "55 ms") in day.wellness


def test_an_athlete_without_wellness_devices_still_has_rest_days() -> None:
    latest = fixture("reference_shape_latest.json")
    latest["wellness_data"] = []
    history = fixture("reference_shape_history.json")
    for row in history["daily_90d"]:
        row["hrv"] = row["rhr"] = row["sleep_hours"] = None
    got = {d.date: d.state for d in build_days(latest, history, None, TODAY)}
    # Nobody records wellness, so its absence says nothing about syncing.
    assert got[date(2030, 4, 5)] == "rest"
    assert got[date(2030, 4, 7)] == "rest"


def test_without_history_only_latest_json_days_are_known() -> None:
    latest = fixture("reference_shape_latest.json")
    got = {d.date: d.state for d in build_days(latest, None, None, TODAY)}
    assert got[date(2030, 4, 6)] == "trained"  # recent_activities
    assert got[date(2030, 4, 7)] == "no-data"  # nothing at all for that day
    assert got[date(2030, 4, 8)] == "missed"  # wellness row, planned and not done
    assert got[date(2030, 1, 20)] == "no-data"
