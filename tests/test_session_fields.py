"""Per-session values of recent_activities: HRRc, IF in percent, pace, weather line, comments."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path

from section11.config import Settings
from section11.metrics.dfa_profile import DfaSummary, TizPct
from section11.metrics.session import hrr_value, intensity_pct
from section11.metrics.thresholds import format_pace
from section11.outputs.chat_notes import message_texts
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.latest import ActivityExtras, LatestInputs, build_latest
from section11.outputs.session_fields import weather_line
from section11.sources.intervals_icu.models import Activity, Athlete
from section11.units import DisplayUnits

METRIC = DisplayUnits.from_athlete_settings(
    measurement_preference="meters",
    weight_pref_lb=False,
    fahrenheit=False,
    wind_speed="KPH",
    rain="MM",
    height_units=None,
)


def test_hrr_from_object_number_and_junk() -> None:
    assert hrr_value({"start_bpm": 172, "end_bpm": 140, "hrr": 32}) == 32
    assert hrr_value({"value": 27.6}) == 28  # rounded to whole bpm
    assert hrr_value(31) == 31
    # Zero, negative, NaN, bool and text are not a recovery: unknown, never 0.
    for junk in (0, -5, math.nan, True, "32", {"hrr": None}, None):
        assert hrr_value(junk) is None


def test_intensity_factor_is_written_in_percent() -> None:
    assert intensity_pct(84.2) == 84.2  # IF 0.842
    assert intensity_pct(65.8234) == 65.82
    assert intensity_pct(None) is None
    assert intensity_pct(math.inf) is None


def test_average_pace_in_the_sport_setting() -> None:
    # 1000 m / 3.636 m/s = 275.0 s = 4:35 per km.
    assert format_pace(3.636, "MINS_KM") == "4:35 /km"
    # 100 m / 1.2 m/s = 83.3 s -> 83 s = 1:23 per 100 m.
    assert format_pace(1.2, "SECS_100M") == "1:23 /100m"
    # 1609.344 m / 4.0 m/s = 402.3 s -> 6:42 per mile.
    assert format_pace(4.0, "MINS_MILE") == "6:42 /mi"
    assert format_pace(8.0, None) is None  # a ride: no pace setting
    assert format_pace(0.0, "MINS_KM") is None
    assert format_pace(None, "MINS_KM") is None


def test_weather_line_in_the_athletes_units() -> None:
    act = Activity.model_validate(
        {
            "average_weather_temp": 6.62,
            "average_feels_like": 3.69,
            "average_wind_speed": 26.21,
            "prevailing_wind_deg": 78,  # 78 / 45 = 1.7 -> 2 -> "E"
            "average_clouds": 8,
            "max_rain": 1.59,
            "max_snow": 0.0,
        }
    )
    assert weather_line(act, METRIC) == (
        "6.6 °C (feels like 3.7 °C), wind 26.2 km/h from E, 8 % cloud, rain 1.59 mm"
    )
    assert weather_line(Activity.model_validate({"average_temp": 21.0}), METRIC) is None


def test_message_texts_skip_blank_and_deleted_comments() -> None:
    data = [
        {"id": 1, "content": "  Legs felt great  "},
        {"id": 2, "content": "   \n "},
        {"id": 3, "content": "gone", "deleted": "2026-11-20T10:00:00Z"},
        {"id": 4, "content": None},
        "not a message",
        {"id": 5, "text": "older field name"},
    ]
    assert message_texts(data) == ["Legs felt great", "older field name"]
    assert message_texts({"error": "x"}) == []


def test_recent_activity_carries_the_session_detail_of_the_run() -> None:
    athlete = Athlete.model_validate(
        {
            "id": "i1",
            "timezone": "UTC",
            "sportSettings": [{"types": ["Run"], "pace_units": "MINS_KM"}],
        }
    )
    activities = [
        Activity.model_validate(
            {
                "id": "r1",
                "start_date_local": "2026-03-18T07:00:00",
                "type": "Run",
                "moving_time": 1800,
                "average_speed": 3.636,
                "icu_intensity": 84.2,
                "icu_rpe": 9,
                "icu_hrr": {"hrr": 31},
            }
        ),
        Activity.model_validate(
            {"id": "v1", "start_date_local": "2026-03-17T07:00:00", "type": "VirtualRide"}
        ),
    ]
    summary = DfaSummary(
        avg=0.8,
        dominant_band="endurance",
        tiz_pct=TizPct(easy=0.0, endurance=100.0, tempo=0.0, supra=0.0),
        valid_pct=98.0,
        sufficient=True,
    )
    extras = {
        "r1": ActivityExtras(
            has_intervals=False,
            terrain_status="failed",
            terrain_error="the streams could not be fetched",
            has_dfa=True,
            dfa_summary=summary,
            chat_notes=("Felt great",),
        ),
        "v1": ActivityExtras(has_intervals=False, has_dfa=False),
    }
    latest = build_latest(
        LatestInputs(
            athlete=athlete,
            activities=activities,
            wellness=[],
            events=[],
            health_events=[],
            ftp_history=FtpHistory(),
            settings=Settings(athlete_id=None, intervals_key=None, output_dir=Path(".")),
            now_utc=datetime(2026, 3, 18, 12, 0, tzinfo=UTC),
            today=date(2026, 3, 18),
            version="test",
            activity_extras=extras,
        )
    )
    run, ride = (a.model_dump(mode="json") for a in latest.recent_activities)
    assert (run["days_ago"], run["in_display_window"]) == (0, True)
    assert run["intensity_factor"] == 84.2
    assert run["avg_pace"] == "4:35 /km"  # 1000 / 3.636; the unit is part of the text
    assert "avg_pace_unit" not in run
    # IF 0.842 expects RPE 4-6; RPE 9 is above: the session felt harder than its intensity.
    assert run["effort_response"] == "negative"
    assert run["hrrc"] == 31
    assert run["has_dfa"] is True and run["dfa_summary"]["dominant_band"] == "endurance"
    assert run["chat_notes"] == ["Felt great"]
    assert (run["terrain_status"], run["terrain_error"]) == (
        "failed",
        "the streams could not be fetched",
    )
    # An outdoor run without Intervals.icu weather says so; an indoor ride does not.
    assert run["weather_status"] == "unavailable" and run["weather"] is None
    assert "weather_status" not in ride and "chat_notes" not in ride and "dfa_summary" not in ride
    assert (ride["avg_pace"], ride["has_dfa"], ride["hrrc"]) == (None, False, None)
