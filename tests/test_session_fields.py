"""Per-session values of recent_activities: HRRc, IF in percent, pace, weather line, comments."""

from __future__ import annotations

import math

from section11.metrics.session import average_pace, hrr_value, intensity_pct
from section11.outputs.chat_notes import message_texts
from section11.outputs.session_fields import weather_line
from section11.sources.intervals_icu.models import Activity
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
    assert average_pace(3.636, "MINS_KM") == ("4:35 /km", "min/km")
    # 100 m / 1.2 m/s = 83.3 s -> 83 s = 1:23 per 100 m.
    assert average_pace(1.2, "SECS_100M") == ("1:23 /100m", "min/100m")
    # 1609.344 m / 4.0 m/s = 402.3 s -> 6:42 per mile.
    assert average_pace(4.0, "MINS_MILE") == ("6:42 /mi", "min/mi")
    assert average_pace(8.0, None) == (None, None)  # a ride: no pace setting
    assert average_pace(0.0, "MINS_KM") == (None, None)
    assert average_pace(None, "MINS_KM") == (None, None)


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
