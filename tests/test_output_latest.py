"""latest.json builder: windows, missing values, anonymization, weeks, zones, schema.

The athlete lives in Los Angeles. The run happens at 05:00 UTC on 2026-03-19, which is
22:00 on Wednesday 2026-03-18 local time (PDT, UTC-7): "today" is 2026-03-18.
Display window (--days 7): 2026-03-12 … 2026-03-18.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic.json_schema import JsonSchemaMode

from section11.config import Settings
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.latest import (
    ActivityExtras,
    LatestInputs,
    build_latest,
)
from section11.outputs.latest_models import HistoryBlock, LatestFile
from section11.sources.intervals_icu.models import Activity, Athlete, Event, Wellness
from section11.store import dumps

TODAY = date(2026, 3, 18)
NOW_UTC = datetime(2026, 3, 19, 5, 0, tzinfo=UTC)


def _power(z1: int = 0, z2: int = 0, z3: int = 0, z4: int = 0, z5: int = 0) -> list[Any]:
    times = {"Z1": z1, "Z2": z2, "Z3": z3, "Z4": z4, "Z5": z5, "SS": 999}
    return [{"id": k, "secs": v} for k, v in times.items()]


ACTIVITIES: list[dict[str, Any]] = [
    # Today, outdoor ride with both power and HR zones (power z3+ = 600 s: not hard).
    {
        "id": "i1",
        "start_date_local": "2026-03-18T07:00:00",
        "type": "Ride",
        "name": "Morning Ride",
        "description": "NOTE: legs heavy\n\nFelt fine after 20 min",
        "moving_time": 3600,
        "distance": 30000,
        "total_elevation_gain": 412.3,
        "icu_training_load": 60,
        "icu_intensity": 80,
        "icu_rpe": 5,
        "average_speed": 8.3333,
        "icu_joules": 720000,
        "icu_zone_times": _power(z1=1200, z2=1800, z3=600),
        "icu_hr_zone_times": [1000, 2000, 600],
    },
    # Indoor race on Monday: power z4+ = 900 + 300 = 1200 s >= 600 -> hard day.
    {
        "id": "i2",
        "start_date_local": "2026-03-16T18:30:00",
        "type": "VirtualRide",
        "name": "Zwift race",
        "moving_time": 2700,
        "distance": 20000,
        "icu_training_load": 45,
        "icu_zone_times": _power(z2=1500, z4=900, z5=300),
    },
    # First day of the window (today − 6): included. Outdoor run, HR zones only.
    {
        "id": "i3",
        "start_date_local": "2026-03-12T00:05:00",
        "type": "Run",
        "name": "Park loop",
        "moving_time": 1800,
        "distance": 5000,
        "icu_training_load": 30,
        "icu_hr_zone_times": [600, 1200],
    },
    # today − 7, one minute before the window opens: excluded from the display window.
    {
        "id": "i4",
        "start_date_local": "2026-03-11T23:59:00",
        "type": "Ride",
        "name": "Late spin",
        "moving_time": 5400,
        "icu_training_load": 50,
    },
    # A Strava stub inside the window: counted, never shown.
    {
        "id": "i5",
        "start_date_local": "2026-03-17T08:00:00",
        "source": "STRAVA",
        "_note": "STRAVA activities are not available via the API",
    },
    # Present-but-null values everywhere.
    {
        "id": "i6",
        "start_date_local": "2026-03-15T10:00:00",
        "type": "WeightTraining",
        "name": "Gym",
        "moving_time": None,
        "distance": None,
        "icu_training_load": None,
        "icu_intensity": None,
        "average_speed": None,
        "icu_zone_times": None,
        "icu_hr_zone_times": None,
        "icu_joules": None,
    },
]

WELLNESS: list[dict[str, Any]] = [
    {"id": "2026-03-10", "weight": 70.5},
    *[
        {"id": f"2026-03-{day:02d}", "hrv": 60.0, "restingHR": 50, "sleepSecs": 27000}
        for day in range(12, 18)
    ],
    # Today's record exists but carries nulls: yesterday's values show, dated.
    {
        "id": "2026-03-18",
        "hrv": None,
        "restingHR": None,
        "weight": None,
        "sleepSecs": None,
        "ctl": 50.0,
        "atl": 60.0,
        "rampRate": 2.0,
        "sportInfo": None,
        "fatigue": 2,
    },
]

EVENTS: list[dict[str, Any]] = [
    {
        "id": 101,
        "category": "WORKOUT",
        "type": "Ride",
        "name": "Sweet spot",
        "start_date_local": "2026-03-18T00:00:00",
        "moving_time": 3600,
        "icu_training_load": 70,
        "description": "NOTE: keep cadence high\n3x10min SS",
        "workout_doc": {
            "steps": [
                {"duration": 600, "power": {"value": 150, "units": "w"}},
                {
                    "reps": 3,
                    "steps": [
                        {"duration": 600, "power": {"value": 250, "units": "w"}},
                        {"duration": 300, "power": {"value": 150, "units": "w"}},
                    ],
                },
            ]
        },
    },
    {
        "id": 102,
        "category": "RACE_A",
        "type": "Ride",
        "name": "Spring Classic",
        "start_date_local": "2026-03-28T09:30:00",
        "distance": 120000,
        "moving_time": 14400,
    },
    {
        "id": 103,
        "category": "NOTE",
        "name": "Travel",
        "start_date_local": "2026-04-07T00:00:00",
        "description": "Flying out",
    },
    # today + 43: beyond the 42-day plan horizon.
    {
        "id": 104,
        "category": "WORKOUT",
        "type": "Run",
        "name": "Far away",
        "start_date_local": "2026-04-30T00:00:00",
    },
    {
        "id": 105,
        "category": "SICK",
        "name": "Cold",
        "start_date_local": "2026-03-10T00:00:00",
        "end_date_local": "2026-03-14T00:00:00",
    },
]

ATHLETE: dict[str, Any] = {
    "id": "i424242",
    "sex": "F",
    "city": "Los Angeles",
    "state": "CA",
    "country": "USA",
    "timezone": "America/Los_Angeles",
    "icu_date_of_birth": "1990-03-19",
    "icu_activated": "2020-03-18T10:00:00Z",
    "height": 1.68,
    "icu_weight": 68.0,
    "icu_notes": "  Goal: first century  ",
    "icu_api_key": "must-never-appear",
    "email": "athlete@example.com",
    "sportSettings": [
        {"types": ["Ride", "VirtualRide"], "ftp": 250, "indoor_ftp": 240, "lthr": 165},
        {"types": ["Run"], "lthr": 172, "threshold_pace": 0},
    ],
}


def _settings(**changes: Any) -> Settings:
    base = Settings(athlete_id="i424242", intervals_key=None, output_dir=Path("."))
    return replace(base, **changes)


def _inputs(**changes: Any) -> LatestInputs:
    base = LatestInputs(
        athlete=Athlete.model_validate(ATHLETE),
        activities=[Activity.model_validate(a) for a in ACTIVITIES],
        wellness=[Wellness.model_validate(w) for w in WELLNESS],
        events=[Event.model_validate(e) for e in EVENTS],
        health_events=[Event.model_validate(e) for e in EVENTS if e["category"] == "SICK"],
        ftp_history=FtpHistory(outdoor={"2026-01-01": 240}),
        settings=_settings(),
        now_utc=NOW_UTC,
        today=TODAY,
        version="1.0.0",
        warnings=("skipped 1 wellness record(s) from the API that could not be read",),
    )
    return replace(base, **changes)


def _json(file: LatestFile) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(file))
    return data


@pytest.fixture(scope="module")
def out() -> dict[str, Any]:
    return _json(build_latest(_inputs()))


# ------------------------------------------------------------------------------ window


def test_recent_activities_cover_28_days_newest_first_and_flag_the_display_window(
    out: dict[str, Any],
) -> None:
    rows = [(a["id"], a["days_ago"], a["in_display_window"]) for a in out["recent_activities"]]
    # i4 (03-11 23:59) is 7 days before 03-18, one day before the 7-day window (03-12 …);
    # i5 is a Strava stub and never shown.
    assert rows == [
        ("i1", 0, True),
        ("i2", 2, True),
        ("i6", 3, True),
        ("i3", 6, True),
        ("i4", 7, False),
    ]
    assert out["READ_THIS_FIRST"]["data_period"] == (
        "Last 7 days including today (2026-03-12 to 2026-03-18, athlete local time)"
    )
    assert out["metadata"]["today"] == "2026-03-18"
    assert out["metadata"]["last_updated"] == "2026-03-18T22:00:00-07:00"
    assert out["metadata"]["last_updated_utc"] == "2026-03-19T05:00:00+00:00"


def test_shorter_display_window_but_rolling_windows_stay_7_and_28_days() -> None:
    data = _json(build_latest(_inputs(settings=_settings(days=3))))
    # 3 days: 03-16 … 03-18 -> i1 and i2 only are in the display window.
    shown = [a["id"] for a in data["recent_activities"] if a["in_display_window"]]
    assert shown == ["i1", "i2"]
    assert [r["date"] for r in data["wellness_data"]] == ["2026-03-16", "2026-03-17", "2026-03-18"]
    derived = data["derived_metrics"]
    # 7-day TSS is still 60 + 45 + 30 = 135 (i3 is 6 days back), 28-day adds i4: 185.
    assert derived["tss_7d_total"] == 135
    assert derived["tss_28d_total"] == 185
    assert derived["data_quality"]["activities_7d"] == 4
    assert derived["data_quality"]["activities_28d"] == 5


def test_strava_stubs_are_counted_and_explained_not_shown(out: dict[str, Any]) -> None:
    assert "i5" not in [a["id"] for a in out["recent_activities"]]
    assert out["derived_metrics"]["data_quality"]["strava_stub_activities"] == 1
    assert out["READ_THIS_FIRST"]["strava_note"].startswith(
        "1 activity in the last 28 days came from Strava"
    )


def test_no_strava_note_without_stubs() -> None:
    acts = [Activity.model_validate(a) for a in ACTIVITIES if a["id"] != "i5"]
    data = _json(build_latest(_inputs(activities=acts)))
    assert "strava_note" not in data["READ_THIS_FIRST"]
    assert data["derived_metrics"]["data_quality"]["strava_stub_activities"] == 0


# ------------------------------------------------------------------------------ values


def test_present_but_null_values_stay_null(out: dict[str, Any]) -> None:
    gym = next(a for a in out["recent_activities"] if a["id"] == "i6")
    for key in (
        "duration_hours",
        "duration_formatted",
        "distance_km",
        "tss",
        "intensity_factor",
        "avg_speed",
        "work_kj",
        "zone_distribution",
        "effort_response",
        "has_intervals",
    ):
        assert gym[key] is None, key
    assert gym["display"]["distance"] is None  # as the reference: no {"value": null}
    summary = out["summary"]["by_activity_type"]["WeightTraining"]
    assert summary == {
        "duration_decimal_hours": None,
        "count": 1,
        "tss": None,
        "distance_km": None,
        "display": {"distance": None},
    }


def test_activity_fields(out: dict[str, Any]) -> None:
    ride = out["recent_activities"][0]
    assert ride["date"] == "2026-03-18T07:00:00"
    assert ride["duration_hours"] == 1.0
    assert ride["duration_formatted"] == "1h00m"
    assert ride["distance_km"] == 30.0
    assert ride["intensity_factor"] == 80.0  # icu_intensity 80 % = IF 0.80, written as 80.0
    assert ride["avg_speed"] == 30.0  # 8.3333 m/s × 3.6 = 29.99988 -> 30.0 km/h
    assert ride["work_kj"] == 720.0
    assert ride["elevation_m"] == 412.3
    assert ride["display"]["elevation"] == {"value": 412, "unit": "m"}
    # IF 0.80 expects RPE 4-6; RPE 5 is within -> neutral.
    assert ride["effort_response"] == "neutral"
    assert ride["coach_notes"] == ["legs heavy"]
    assert ride["description"] == "Felt fine after 20 min"
    # Both zone sets as recorded; SS (sweet spot) is not a zone.
    assert ride["zone_distribution"]["power_zones"] == {
        "z1_time": 1200,
        "z2_time": 1800,
        "z3_time": 600,
        "z4_time": 0,
        "z5_time": 0,
    }
    assert ride["zone_distribution"]["hr_zones"] == {
        "z1_time": 1000,
        "z2_time": 2000,
        "z3_time": 600,
    }
    run = next(a for a in out["recent_activities"] if a["id"] == "i3")
    assert run["zone_distribution"]["power_zones"] is None
    assert "terrain_summary" not in ride and "weather_summary" not in ride


def test_activity_extras_are_passed_through() -> None:
    extras = {
        "i1": ActivityExtras(
            has_intervals=True,
            terrain_summary={"total_elevation_m": 412},
            weather_summary={"avg_temp": 11.5},
        )
    }
    data = _json(build_latest(_inputs(activity_extras=extras)))
    ride = data["recent_activities"][0]
    assert ride["has_intervals"] is True
    assert ride["terrain_summary"] == {"total_elevation_m": 412}
    assert ride["weather_summary"] == {"avg_temp": 11.5}
    assert "terrain_status" not in ride


def test_totals_hand_computed(out: dict[str, Any]) -> None:
    # Shown: i1 3600 s, i2 2700 s, i3 1800 s, i6 unknown -> 8100 s = 2.25 h; TSS 60+45+30.
    quick = out["READ_THIS_FIRST"]["quick_stats"]
    assert quick == {
        "total_training_hours": 2.25,
        "total_training_formatted": "2h15m",
        "total_activities": 4,
        "total_tss": 135,
    }
    weekly = out["weekly_summary"]
    assert weekly["total_training_hours"] == 2.25
    assert weekly["total_tss"] == 135
    assert weekly["activities_count"] == 4
    # Six valid readings of 60 ms / 50 bpm in the window (today's are null).
    assert weekly["avg_hrv"] == 60.0
    assert weekly["avg_resting_hr"] == 50.0
    by_type = out["summary"]["by_activity_type"]
    assert list(by_type) == ["Ride", "Run", "VirtualRide", "WeightTraining"]
    assert by_type["Ride"]["duration_decimal_hours"] == 1.0
    assert by_type["Run"]["distance_km"] == 5.0
    assert by_type["VirtualRide"]["tss"] == 45
    assert out["summary"]["total_duration_decimal_hours"] == 2.25


def test_current_metrics_take_the_newest_value_by_date(out: dict[str, Any]) -> None:
    metrics = out["current_status"]["current_metrics"]
    assert metrics["as_of"] == "2026-03-18"
    assert metrics["hrv"] == 60.0
    assert metrics["sleep_hours"] == 7.5  # 27000 s
    assert metrics["sleep_formatted"] == "7h30m"
    assert metrics["fatigue"] == 2  # today's own value, so no date entry
    assert metrics["weight_kg"] == 70.5
    assert metrics["weight_source"] == "wellness"
    assert metrics["value_dates"] == {
        "hrv": "2026-03-17",
        "resting_hr": "2026-03-17",
        "sleep_hours": "2026-03-17",
        "weight_kg": "2026-03-10",
    }
    assert "fatigue" not in metrics["value_dates"]


def test_weight_falls_back_to_the_athlete_profile() -> None:
    wellness = [Wellness.model_validate(w) for w in WELLNESS if "weight" not in w]
    data = _json(build_latest(_inputs(wellness=wellness)))
    metrics = data["current_status"]["current_metrics"]
    assert metrics["weight_kg"] == 68.0
    assert metrics["weight_source"] == "athlete_profile"
    assert metrics["display"]["weight"] == {"value": 68.0, "unit": "kg"}


def test_wellness_rows_cover_the_window_ascending(out: dict[str, Any]) -> None:
    rows = out["wellness_data"]
    # 03-10 is outside the window; 03-12 … 03-18 are seven records.
    assert [r["date"] for r in rows] == [f"2026-03-{day}" for day in range(12, 19)]
    assert rows[-1]["hrv_rmssd"] is None
    assert rows[-1]["sleep_formatted"] is None
    assert rows[0]["hrv_rmssd"] == 60.0


# ------------------------------------------------------------------------------ privacy


def test_anonymized_by_default(out: dict[str, Any]) -> None:
    assert out["metadata"]["athlete_id"] == "REDACTED"
    assert out["metadata"]["anonymized"] is True
    names = {a["id"]: a["name"] for a in out["recent_activities"]}
    # Outdoor rides and run are renamed; the virtual ride and gym session keep their names.
    assert names == {
        "i1": "Training Session",
        "i2": "Zwift race",
        "i3": "Training Session",
        "i4": "Training Session",
        "i6": "Gym",
    }
    text = dumps(build_latest(_inputs())).decode()
    assert "must-never-appear" not in text
    assert "athlete@example.com" not in text
    assert "i424242" not in text


def test_no_anonymize_keeps_id_and_names() -> None:
    data = _json(build_latest(_inputs(settings=_settings(anonymize=False))))
    assert data["metadata"]["athlete_id"] == "i424242"
    assert data["recent_activities"][0]["name"] == "Morning Ride"


def test_athlete_profile(out: dict[str, Any]) -> None:
    profile = out["athlete_profile"]
    # Born 1990-03-19: the 36th birthday is tomorrow -> 35 complete years.
    assert profile["age"] == 35
    # Activated 2020-03-18: exactly 6 years today.
    assert profile["years_on_platform"] == 6
    assert profile["location"] == "Los Angeles, CA, USA"
    assert profile["display"]["height"] == {"value": 168, "unit": "cm"}
    assert profile["display_preferences"]["temp"] == "c"
    assert out["athlete_notes"] == "Goal: first century"


# ------------------------------------------------------------------------------ weeks, zones


def test_sunday_start_weeks() -> None:
    data = _json(build_latest(_inputs(settings=_settings(week_start=6))))
    weekly = data["weekly_summary"]
    assert weekly["week_start"] == "sun"
    current = weekly["current_week"]
    # Wednesday 03-18 belongs to the week starting Sunday 03-15: i6 (03-15), i2, i1.
    assert current["week_start"] == "2026-03-15"
    assert current["activity_count"] == 3
    assert current["total_tss"] == 105  # 45 + 60; i6 has no load
    assert current["tss_by_sport"] == {"cycling": 105}
    # 03-16 is hard (power z4+ 1200 s); 03-18 is not; 03-15 has no zone data.
    assert current["hard_days"] == 1
    assert current["days_without_zone_data"] == 1
    assert current["complete"] is False
    assert [w["week_start"] for w in weekly["weeks"]] == [
        "2026-02-22",
        "2026-03-01",
        "2026-03-08",
        "2026-03-15",
    ]
    previous = weekly["weeks"][2]
    # 03-08 … 03-14: i4 (03-11) and i3 (03-12).
    assert previous["activity_count"] == 2
    assert previous["total_tss"] == 80
    assert previous["complete"] is True
    assert data["derived_metrics"]["hard_days_this_week"] == 1


def test_monday_start_weeks(out: dict[str, Any]) -> None:
    current = out["weekly_summary"]["current_week"]
    # Monday 03-16 … Sunday 03-22: i2 and i1.
    assert current["week_start"] == "2026-03-16"
    assert current["activity_count"] == 2
    assert current["hard_days"] == 1


def test_zone_preference_switches_the_basis() -> None:
    default = _json(build_latest(_inputs()))["derived_metrics"]["zone_distribution_7d"]
    # Power first: i1 power z1 1200 s + i3 (HR only) z1 600 s = 1800 s = 0.5 h.
    assert default["z1_hours"] == 0.5
    hr_first = _json(build_latest(_inputs(settings=_settings(zone_preference={"cycling": "hr"}))))
    zones = hr_first["derived_metrics"]["zone_distribution_7d"]
    # HR first for cycling: i1 HR z1 1000 s + i3 600 s = 1600 s = 0.44 h.
    assert zones["z1_hours"] == 0.44
    assert hr_first["READ_THIS_FIRST"]["zone_preference"] == {"cycling": "hr"}
    assert default is not zones


# ------------------------------------------------------------------------------ plan, races


def test_planned_workouts_and_races(out: dict[str, Any]) -> None:
    plan = out["planned_workouts"]
    assert [p["id"] for p in plan] == [101, 102, 103]  # 104 is beyond 42 days; 105 is SICK
    workout = plan[0]
    assert workout["type"] == "WORKOUT"
    assert workout["sport_type"] == "Ride"
    assert workout["duration_formatted"] == "1h00m"
    assert workout["coach_notes"] == ["keep cadence high"]
    assert workout["description"] == "3x10min SS"
    assert "start_time" not in workout  # midnight
    assert workout["workout_summary"] is not None and "3" in workout["workout_summary"]
    note = plan[2]
    assert "description" not in note  # 20 days out
    # ... but without structured steps its first lines still say what it is.
    assert note["description_preview"] == "Flying out"
    assert "description_preview" not in workout  # 0 days out: the full description
    race = out["race_calendar"]["next_race"]
    assert race["days_until"] == 10
    assert race["start_time"] == "09:30"
    assert race["display"]["distance"] == {"value": 120.0, "unit": "km"}
    taper = out["race_calendar"]["taper_alert"]
    assert taper["days_until"] == 10 and taper["event_name"] == "Spring Classic"


def test_description_preview_is_the_first_three_lines_after_notes() -> None:
    # 10 days out, no workout_doc: NOTE line split off, blank lines skipped, 3 lines kept.
    # A structured session the same day gets its workout_summary instead of a preview.
    far = {
        "id": 106,
        "category": "WORKOUT",
        "type": "Run",
        "name": "Long run",
        "start_date_local": "2026-03-28T00:00:00",
        "description": "NOTE: fuel every 30 min\nEasy 2h\n\nFlat route\nHR cap 150\nStretch",
    }
    structured = {**EVENTS[0], "id": 107, "start_date_local": "2026-03-28T00:00:00"}
    events = [
        *[Event.model_validate(e) for e in EVENTS],
        *map(Event.model_validate, [far, structured]),
    ]
    plan = {p["id"]: p for p in _json(build_latest(_inputs(events=events)))["planned_workouts"]}
    assert plan[106]["description_preview"] == "Easy 2h\nFlat route\nHR cap 150"
    assert plan[106]["coach_notes"] == ["fuel every 30 min"]
    assert "description" not in plan[106]
    assert plan[107]["workout_summary"] is not None
    assert "description_preview" not in plan[107]


def test_terrain_event_ids_mark_races() -> None:
    data = _json(build_latest(_inputs(terrain_event_ids=frozenset({102}))))
    assert data["race_calendar"]["all_races"][0]["has_terrain"] is True
    assert data["planned_workouts"][1]["has_terrain"] is True


# ------------------------------------------------------------------------------ derived


def test_derived_metrics_and_quality(out: dict[str, Any]) -> None:
    derived = out["derived_metrics"]
    assert derived["acwr_definition"] == "7-day mean load / 28-day mean load, both ending today"
    assert derived["acwr_start_of_day"]["as_of_date"] == "2026-03-18"
    quality = derived["data_quality"]
    assert quality["activities_7d"] == 4
    # Wellness records exist for every day 03-12 … 03-18.
    assert quality["wellness_days_missing_7d"] == 0
    # Outdoor series starts 2026-01-01: 76 days before 2026-03-18; indoor is empty.
    assert quality["ftp_history_days"] == {"indoor": None, "outdoor": 76}
    assert quality["warnings"] == [
        "skipped 1 wellness record(s) from the API that could not be read"
    ]
    # FTP 250 now vs 240 in effect on 2026-01-21 (56 days ago): 250/240 − 1 = 0.042.
    assert derived["benchmark_outdoor"]["benchmark_index"] == 0.042
    assert derived["benchmark_indoor"]["ftp_8_weeks_ago"] is None
    assert out["current_status"]["thresholds"]["sports"]["cycling"]["ftp"] == 250
    # A session is done today, so today's API values stand: TSB = 50 − 60.
    fitness = out["current_status"]["fitness"]
    assert (fitness["ctl"], fitness["atl"], fitness["tsb"]) == (50.0, 60.0, -10.0)
    assert fitness["fitness_source"].startswith("From Intervals.icu API")


def test_a_strava_session_today_counts_as_training_done_for_fitness() -> None:
    # Today's only session is a Strava stub; a WORKOUT is planned today (event 101).
    # Intervals.icu has the stub's load in today's CTL/ATL (50 / 60), so those stand.
    # Treating the day as "planned, not done" would decay yesterday's 49 / 58 instead:
    # 49·e^(−1/42) = 47.85, 58·e^(−1/7) = 50.27 — dropping the session just done.
    activities = [Activity.model_validate(a) for a in ACTIVITIES if a["id"] != "i1"]
    activities.append(
        Activity.model_validate(
            {
                "id": "i7",
                "start_date_local": "2026-03-18T06:00:00",
                "source": "STRAVA",
                "_note": "STRAVA activities are not available via the API",
            }
        )
    )
    wellness = [Wellness.model_validate(w) for w in WELLNESS]
    wellness.append(Wellness.model_validate({"id": "2026-03-17", "ctl": 49.0, "atl": 58.0}))
    fitness = _json(build_latest(_inputs(activities=activities, wellness=wellness)))[
        "current_status"
    ]["fitness"]
    assert (fitness["ctl"], fitness["atl"], fitness["tsb"]) == (50.0, 60.0, -10.0)
    assert fitness["decayed_from"] is None


def test_power_model_skips_a_newer_record_whose_model_is_all_null() -> None:
    # Today's record lists a Ride model with every value null; yesterday's has the values.
    # eFTP 251.26 -> 251.3 (1 dp); W′ 18000 J -> 18.0 kJ; Pmax 900 W.
    model = {"type": "Ride", "eftp": 251.26, "wPrime": 18000, "pMax": 900}
    empty = {"type": "Ride", "eftp": None, "wPrime": None, "pMax": None}
    wellness = [
        *[Wellness.model_validate(w) for w in WELLNESS[:-1]],
        Wellness.model_validate({"id": "2026-03-17", "sportInfo": [model]}),
        Wellness.model_validate({"id": "2026-03-18", "sportInfo": [empty]}),
    ]
    data = _json(build_latest(_inputs(wellness=wellness)))
    thresholds = data["current_status"]["thresholds"]
    assert (thresholds["eftp"], thresholds["w_prime"], thresholds["w_prime_kj"]) == (
        251.3,
        18000,
        18.0,
    )
    assert thresholds["p_max"] == 900
    assert thresholds["power_model_source"] == "wellness.sportInfo"
    assert data["derived_metrics"]["eftp"] == 251.3


def test_health_context_partial_when_the_dedicated_fetch_failed() -> None:
    complete = _json(build_latest(_inputs()))["health_context"]
    assert complete["source_status"] == "ok"
    assert complete["lookback_days"] == 365
    partial = _json(build_latest(_inputs(health_events=None)))["health_context"]
    assert partial["source_status"] == "partial"
    assert partial["lookback_days"] == 14
    # The SICK event (03-10 … 03-13 inclusive) is still found in the main events list.
    assert [m["event_id"] for m in partial["recent"]] == [105]


def test_alerts_from_derived_values() -> None:
    # Today HRV 40 vs six days of 60 -> 7-day baseline (6×60 + 40)/7 = 57.1;
    # 40 / 57.1 − 1 = −30 % -> warning. RHR 58 vs (6×50 + 58)/7 = 51.1: +6.9 bpm -> warning.
    # RI = (40/57.1) / (58/51.1) = 0.617 -> above 0.6, no alarm.
    wellness = [Wellness.model_validate(w) for w in WELLNESS[:-1]]
    wellness.append(Wellness.model_validate({"id": "2026-03-18", "hrv": 40, "restingHR": 58}))
    data = _json(build_latest(_inputs(wellness=wellness)))
    metrics = {a["metric"]: a for a in data["alerts"]}
    # The RACE_A 10 days out (8-14) adds the taper alert.
    assert set(metrics) == {"acwr", "hrv", "rhr", "race_taper"}
    # One day below the line so far (yesterday's 60 is above 0.8 x 57.1 = 45.7): warning.
    assert metrics["hrv"]["severity"] == "warning"
    assert metrics["hrv"]["persistence_days"] == 1
    assert metrics["hrv"]["tier"] == 1
    # Race alerts come after the sorted threshold alerts.
    assert data["alerts"][-1]["metric"] == "race_taper"
    assert data["derived_metrics"]["recovery_index"] == 0.62


def test_acwr_alarm_comes_first(out: dict[str, Any]) -> None:
    # Acute 135 / 7 = 19.29 TSS/day; chronic 185 / 28 = 6.61 -> ACWR 2.92 >= 1.35: alarm.
    # Steady HRV/RHR (today's are null, yesterday's equal the baseline): no other threshold
    # alert; the RACE_A 10 days out adds the taper alert after the sorted ones.
    assert out["alerts"][0] == {
        "metric": "acwr",
        "value": 2.92,
        "severity": "alarm",
        "threshold": ">= 1.35",
        "context": out["alerts"][0]["context"],
        "persistence_days": None,
        "tier": 2,
        "scope": "live_retrospective",
        "readiness_eligible": False,
    }
    assert [a["metric"] for a in out["alerts"]] == ["acwr", "race_taper"]


def test_history_block_default_and_given() -> None:
    assert _json(build_latest(_inputs()))["history"] == {
        "available": False,
        "last_generated": None,
        "age_days": None,
        "history_confidence": "low",
        "total_months": None,
        "note": "history.json has not been generated yet; long-term trends are not available",
    }
    given = HistoryBlock(available=True, last_generated="2026-03-18", history_confidence="high")
    data = _json(build_latest(_inputs(history=given)))
    assert data["history"]["history_confidence"] == "high"


# ------------------------------------------------------------------------------ schema


@pytest.mark.parametrize("mode", ["serialization", "validation"])
def test_schema_validates_the_output(out: dict[str, Any], mode: JsonSchemaMode) -> None:
    schema = LatestFile.model_json_schema(mode=mode)
    jsonschema.Draft202012Validator.check_schema(schema)
    # Every block is described, not left open: the output's nested models are in $defs.
    assert {"RecentActivity", "DerivedMetrics", "HealthContext"} <= set(schema["$defs"])
    jsonschema.validate(out, schema)
    minimal = _json(
        build_latest(
            _inputs(
                athlete=Athlete.model_validate({"id": "i1"}),
                activities=[],
                wellness=[],
                events=[],
                health_events=None,
                ftp_history=FtpHistory(),
            )
        )
    )
    jsonschema.validate(minimal, schema)
    assert LatestFile.model_validate(minimal).metadata.schema_version == 1
    # Nothing at all: totals are real zeros (no activities), the rest is null.
    assert minimal["READ_THIS_FIRST"]["quick_stats"]["total_tss"] == 0
    assert minimal["current_status"]["current_metrics"]["weight_kg"] is None
    assert minimal["derived_metrics"]["acwr"] is None


def test_schema_rejects_a_wrong_shape(out: dict[str, Any]) -> None:
    schema = LatestFile.model_json_schema(mode="serialization")
    broken = json.loads(json.dumps(out))
    broken["recent_activities"][0]["tss"] = "sixty"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
    unknown = json.loads(json.dumps(out))
    unknown["metadata"]["api_key"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(unknown, schema)


def test_records_with_nulls_everywhere_do_not_crash() -> None:
    activities = [
        *[Activity.model_validate(a) for a in ACTIVITIES],
        Activity.model_validate({"id": None, "start_date_local": None, "type": None}),
        Activity.model_validate({"id": "i9", "start_date_local": "2026-03-17T09:00:00"}),
    ]
    wellness = [
        *[Wellness.model_validate(w) for w in WELLNESS],
        Wellness.model_validate({"id": None, "hrv": 55}),
    ]
    events = [
        *[Event.model_validate(e) for e in EVENTS],
        Event.model_validate({"id": None, "category": None, "start_date_local": None}),
        Event.model_validate(
            {"id": None, "category": "RACE_B", "start_date_local": "2026-03-20T00:00:00"}
        ),
        Event.model_validate({"category": "WORKOUT", "start_date_local": "2026-03-19"}),
    ]
    data = _json(build_latest(_inputs(activities=activities, wellness=wellness, events=events)))
    jsonschema.validate(data, LatestFile.model_json_schema(mode="serialization"))
    # The undated activity cannot be placed in the window; the bare one (i9) is shown with
    # type "Unknown" in the summary and adds nothing to known totals.
    shown = [a["id"] for a in data["recent_activities"]]
    assert shown == ["i1", "i9", "i2", "i6", "i3", "i4"]  # i4: 7 days ago, outside --days 7
    assert data["summary"]["by_activity_type"]["Unknown"]["count"] == 1
    assert data["READ_THIS_FIRST"]["quick_stats"]["total_tss"] == 135
    race = data["race_calendar"]["next_race"]
    assert (race["id"], race["days_until"], race["distance_meters"]) == (None, 2, None)
    bare = next(p for p in data["planned_workouts"] if p["date"] == "2026-03-19")
    assert bare["duration_hours"] is None and bare["planned_tss"] is None


def test_lifestyle_and_lab_fields_use_the_reference_names() -> None:
    extra = {
        "id": TODAY.isoformat(),
        "mentalEnergy": 2,
        "bloodGlucose": 5.4,
        "baevskySI": 88.0,
        "lactate": 1.2,
        "abdomen": 80.0,
        "carbohydrates": 310.0,
        "protein": 120.0,
        "fatTotal": 70.0,
    }
    data = _json(build_latest(_inputs(wellness=[Wellness.model_validate(extra)])))
    row = data["wellness_data"][-1]
    assert (row["mental_energy"], row["blood_glucose"], row["baevsky_si"]) == (2, 5.4, 88.0)
    assert (row["lactate"], row["abdomen_cm"]) == (1.2, 80.0)
    assert (row["carbohydrates_g"], row["protein_g"], row["fat_g"]) == (310.0, 120.0, 70.0)
    assert data["current_status"]["current_metrics"]["fat_g"] == 70.0
