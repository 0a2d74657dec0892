"""latest.json fields the public coaching protocol reads: the ACWR scope flags, the live
ACWR alert's scope, planned_workouts_7d, the health and wellness notes, the race-calendar
blocks that are {active: false} when inactive, and differences_from_reference.

Fixture data: tests/test_output_latest.py (today 2026-03-18, a Wednesday).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jsonschema
import pytest
from test_dashboard_render import render, section
from test_output_latest import ACTIVITIES, EVENTS, _inputs, _json

from section11.metrics.consistency import planned_sessions
from section11.metrics.decisions.race_week import RaceWeek
from section11.outputs.dashboard import DASHBOARD_FILE
from section11.outputs.garmin_signals import add_garmin_signals
from section11.outputs.latest import build_latest
from section11.outputs.latest_models import HistoryBlock, LatestFile, TaperAlert
from section11.sources.intervals_icu.models import Activity, Event

TODAY = date(2026, 3, 18)


def _event(event_id: int, day: str, category: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "category": category,
        "type": "Ride",
        "name": f"{category} {day}",
        "start_date_local": f"{day}T00:00:00",
    }


def _built(**changes: Any) -> dict[str, Any]:
    return _json(build_latest(_inputs(**changes)))


# ------------------------------------------------------------------------------ ACWR scope


def test_live_acwr_is_flagged_retrospective_and_readiness_reads_start_of_day() -> None:
    data = _built()
    derived = data["derived_metrics"]
    # Fixture loads in the 28 days: i4 50 (03-11), i3 30 (03-12), i2 45 (03-16), i1 60
    # (today); i5 is a Strava stub and i6 has no load.
    # Live: acute (30 + 45 + 60) / 7 over chronic (50 + 30 + 45 + 60) / 28
    #   = 135 * 4 / 185 = 2.9189... -> 2.92.
    # Start of day (today's 60 left out): 75 * 4 / 125 = 2.40.
    assert derived["acwr"] == 2.92
    assert derived["acwr_start_of_day"]["value"] == 2.4
    assert derived["acwr_scope"] == "live_retrospective"
    assert derived["acwr_readiness_eligible"] is False
    # The flags sit between the live value's fields and the start-of-day block.
    keys = list(derived)
    assert keys.index("acwr_definition") + 1 == keys.index("acwr_scope")
    assert keys.index("acwr_readiness_eligible") + 1 == keys.index("acwr_start_of_day")
    signal = data["readiness_decision"]["signals"]["acwr"]
    assert signal["value"] == 2.4 and signal["scope"] == "start_of_day"
    assert signal["current_day_load_included"] is False


def test_live_acwr_alert_is_context_only_and_never_cited() -> None:
    data = _built()
    # Live ACWR 2.92 >= 1.35: an alarm, tier 2, marked as not readiness-eligible.
    acwr = next(a for a in data["alerts"] if a["metric"] == "acwr")
    assert (acwr["severity"], acwr["tier"]) == ("alarm", 2)
    assert acwr["scope"] == "live_retrospective"
    assert acwr["readiness_eligible"] is False
    assert "injury" not in acwr["context"]
    # The other alerts do not carry the two keys (the reference writes them on ACWR only).
    for alert in data["alerts"]:
        if alert["metric"] != "acwr":
            assert "scope" not in alert and "readiness_eligible" not in alert
    assert "acwr" not in data["readiness_decision"]["alarm_refs"]


# ------------------------------------------------------------------------------ planned workouts


def test_planned_workouts_7d_counts_training_entries_of_the_last_7_days() -> None:
    events = [
        *EVENTS,  # 101 WORKOUT today counts; 102 RACE_A 03-28 and 105 SICK 03-10 do not
        _event(301, "2026-03-12", "WORKOUT"),  # today - 6, first day of the window: counts
        _event(302, "2026-03-11", "WORKOUT"),  # today - 7: outside
        _event(303, "2026-03-15", "RACE_C"),  # counts
        _event(304, "2026-03-17", "WORKOUT"),  # two sessions on one day: both count
        _event(305, "2026-03-17", "WORKOUT"),
        _event(306, "2026-03-14", "NOTE"),  # not training
        _event(307, "2026-03-16", "SICK"),  # not training
        _event(308, "2026-03-13", "HOLIDAY"),  # not training
        _event(309, "2026-03-19", "WORKOUT"),  # tomorrow: not in the last 7 days
    ]
    data = _built(events=[Event.model_validate(e) for e in events])
    quality = data["derived_metrics"]["data_quality"]
    # 101 + 301 + 303 + 304 + 305 = 5 entries.
    assert quality["planned_workouts_7d"] == 5
    keys = list(quality)
    assert keys.index("activities_28d") + 1 == keys.index("planned_workouts_7d")


def test_planned_workouts_7d_is_a_real_zero_when_the_calendar_is_empty() -> None:
    # The events fetch is core data: when it fails the run stops and nothing is written,
    # so an empty list here is an answered, empty calendar.
    data = _built(events=[])
    assert data["derived_metrics"]["data_quality"]["planned_workouts_7d"] == 0


def test_planned_sessions_counts_entries_between_the_bounds() -> None:
    events = [
        Event.model_validate(e)
        for e in (
            _event(1, "2026-03-12", "RACE_A"),
            _event(2, "2026-03-12", "RACE_B"),
            _event(3, "2026-03-18", "WORKOUT"),
            _event(4, "2026-03-18", "INJURED"),
            {"id": 5, "category": "WORKOUT"},  # no date: not placed in any window
        )
    ]
    # 1, 2 and 3 are training entries in 03-12 ... 03-18; 4 is a marker.
    assert planned_sessions(events, date(2026, 3, 12), TODAY) == 3
    # A one-day window of today holds 3 only.
    assert planned_sessions(events, TODAY, TODAY) == 1


# ------------------------------------------------------------------------------ notes


def test_health_context_note_is_short_and_says_what_matters() -> None:
    note = _built()["READ_THIS_FIRST"]["health_context_note"]
    assert len(note) < 500
    for phrase in ("health_context", "not a readiness input", "inclusive", "not proof of"):
        assert phrase in note
    assert "clarification_required" in note and "ask the athlete" in note


def test_fatigue_and_soreness_carry_the_pre_training_ui_note() -> None:
    scales = _built()["READ_THIS_FIRST"]["wellness_field_scales"]
    for name in ("fatigue", "soreness"):
        assert "'Pre training'" in scales[name]["ui_note"]
        # The 1-4 labels come first, as before.
        assert list(scales[name]) == ["1", "2", "3", "4", "ui_note"]
    for name in ("sleep_quality", "stress", "mood", "motivation", "injury", "hydration"):
        assert "ui_note" not in scales[name]


HISTORY_ENTRIES = (
    "history.json monthly_1y/2y/3y do not overlap (1y: this month and the 12 before, 2y: "
    "the 12 before those, 3y: older): find a month by `month` in all three.",
    "history.json daily_90d rows carry the wellness fields trends need (HRV, RHR, sleep, "
    "weight, subjective scores, injury); the full wellness record is in wellness_data.",
    "history.json data_gaps rows say why a gap exists (`kind`: no_activity, no_api_data, "
    "no_wellness).",
)


def test_differences_from_reference_is_a_short_list_of_sentences() -> None:
    differences = _built()["READ_THIS_FIRST"]["differences_from_reference"]
    assert isinstance(differences, list) and 1 <= len(differences) <= 12
    # Read by an AI on every conversation: the whole block stays small.
    assert len(json.dumps(differences, ensure_ascii=False)) < 1500
    for entry in HISTORY_ENTRIES:
        assert entry in differences
    for entry in differences:
        assert entry.endswith(".") and "\n" not in entry
        if entry not in HISTORY_ENTRIES:
            assert len(entry) <= 130, entry


def test_differences_name_fields_that_exist_in_the_file() -> None:
    data = _built()
    differences = " ".join(data["READ_THIS_FIRST"]["differences_from_reference"])
    # Fields the entries point at are where they say.
    assert "strava_stub_activities" in differences
    assert "strava_stub_activities" in data["derived_metrics"]["data_quality"]
    assert "tsb" in data["readiness_decision"]["signals"]
    assert "dossier_declared" not in data["derived_metrics"]["phase_detection"]
    assert "patternA" not in data["workout_summary_stats"]
    # history.age_hours is written whenever history.json exists (not in this fixture).
    assert "age_hours" in HistoryBlock.model_fields


# ------------------------------------------------------------------------------ race calendar


def _schema_check(data: dict[str, Any]) -> None:
    jsonschema.validate(data, LatestFile.model_json_schema(mode="serialization"))


def _with_race_on(day: str) -> dict[str, Any]:
    events = [dict(e) for e in EVENTS]
    next(e for e in events if e["id"] == 102)["start_date_local"] = f"{day}T09:30:00"
    return _built(events=[Event.model_validate(e) for e in events])


def test_inactive_race_week_and_taper_are_objects_with_active_false() -> None:
    # The RACE_A moved 20 days out: neither the taper (8-14 days) nor race week (0-7).
    data = _with_race_on("2026-04-07")
    calendar = data["race_calendar"]
    assert calendar["taper_alert"] == {"active": False}
    assert calendar["race_week"] == {"active": False}
    assert calendar["next_race"]["days_until"] == 20  # 03-18 -> 04-07: 13 + 7 days
    _schema_check(data)
    # No race alerts and no race-week tightening of the readiness ladder.
    assert not {"race_taper", "race_week"} & {a["metric"] for a in data["alerts"]}
    assert data["readiness_decision"]["race_week_defers"] is False
    assert data["readiness_decision"]["phase_context"]["modifier_applied"] != (
        "race_week_tightened"
    )


def test_active_taper_keeps_every_field() -> None:
    data = _built()  # RACE_A 2026-03-28: 10 days out, inside 8-14
    taper = data["race_calendar"]["taper_alert"]
    assert taper["active"] is True
    assert set(taper) == set(TaperAlert.model_fields)
    assert (taper["event_date"], taper["days_until"]) == ("2026-03-28", 10)
    assert data["race_calendar"]["race_week"] == {"active": False}
    _schema_check(data)


def test_active_race_week_keeps_every_field() -> None:
    data = _with_race_on("2026-03-22")  # Sunday: D-4
    week = data["race_calendar"]["race_week"]
    assert week["active"] is True
    assert set(week) == set(RaceWeek.model_fields)
    assert week["current_day"] == "D-4"
    assert data["race_calendar"]["taper_alert"] == {"active": False}
    _schema_check(data)
    assert data["readiness_decision"]["phase_context"]["modifier_applied"] == (
        "race_week_tightened"
    )


def test_schema_rejects_an_inactive_block_with_other_fields() -> None:
    data = _with_race_on("2026-04-07")
    data["race_calendar"]["race_week"] = {"active": False, "current_day": "D-3"}
    with pytest.raises(jsonschema.ValidationError):
        _schema_check(data)


def test_dashboard_reads_the_inactive_blocks() -> None:
    activities = [Activity.model_validate(a) for a in ACTIVITIES]
    inactive = _with_race_on("2026-04-07")
    race = section(render(inactive)[DASHBOARD_FILE], "race")
    assert 'data-race-week="inactive"' in race
    assert 'class="taper"' not in race
    taper = _built(activities=activities)
    race = section(render(taper)[DASHBOARD_FILE], "race")
    assert 'class="taper"' in race and "in 10 days" in race


def test_planned_workouts_7d_is_null_without_a_calendar() -> None:
    # Garmin as the only source has no training calendar: unknown, not 0.
    built = build_latest(_inputs())
    assert built.derived_metrics.data_quality.planned_workouts_7d == 1  # 101, today
    garmin_only = _json(add_garmin_signals(built, {}, TODAY, garmin_only=True))
    assert garmin_only["derived_metrics"]["data_quality"]["planned_workouts_7d"] is None
    _schema_check(garmin_only)
    # With Intervals.icu as well, the calendar count stays.
    both = _json(add_garmin_signals(built, {}, TODAY, garmin_only=False))
    assert both["derived_metrics"]["data_quality"]["planned_workouts_7d"] == 1
