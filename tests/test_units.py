"""Display units: conversions and the athlete's settings."""

from __future__ import annotations

from typing import Any

from section11.units import METRIC, DisplayUnits, DisplayValue

IMPERIAL = DisplayUnits(distance="imperial", weight="lb", height="in")


def _dump(shown: DisplayValue | None) -> dict[str, Any]:
    assert shown is not None  # a value was given, so there is a display value
    return shown.model_dump()


def test_metric_blocks_round_as_documented() -> None:
    assert _dump(METRIC.display_distance(12.345)) == {"value": 12.35, "unit": "km"}
    assert _dump(METRIC.display_elevation(239.6)) == {"value": 240, "unit": "m"}
    assert _dump(METRIC.display_speed(34.06)) == {"value": 34.1, "unit": "km/h"}
    assert _dump(METRIC.display_weight(64.44)) == {"value": 64.4, "unit": "kg"}
    assert _dump(METRIC.display_height(1.78)) == {"value": 178, "unit": "cm"}
    assert _dump(METRIC.display_elevation_rate(12.4)) == {"value": 12, "unit": "m/km"}


def test_imperial_conversions() -> None:
    # 10 km × 0.621371 = 6.21371 mi → 6.21
    assert _dump(IMPERIAL.display_distance(10)) == {"value": 6.21, "unit": "mi"}
    # 100 m × 3.28084 = 328.084 ft → 328
    assert _dump(IMPERIAL.display_elevation(100)) == {"value": 328, "unit": "ft"}
    # 20 m/km × 5.28 = 105.6 ft/mi → 106
    assert _dump(IMPERIAL.display_elevation_rate(20)) == {"value": 106, "unit": "ft/mi"}
    # 30 km/h × 0.621371 = 18.64 mph → 18.6
    assert _dump(IMPERIAL.display_speed(30)) == {"value": 18.6, "unit": "mph"}
    # 70 kg × 2.20462 = 154.32 lb → 154.3
    assert _dump(IMPERIAL.display_weight(70)) == {"value": 154.3, "unit": "lb"}
    # 1.8 m × 39.3701 = 70.87 in → 71
    assert _dump(IMPERIAL.display_height(1.8)) == {"value": 71, "unit": "in"}


def test_missing_values_stay_missing() -> None:
    for units in (METRIC, IMPERIAL):
        # No source value, no display value (null, as the reference writes it).
        assert units.display_distance(None) is None
        assert units.display_elevation(None) is None
        assert units.display_weight(None) is None
        assert units.display_speed(None) is None
        assert units.display_height(None) is None
        assert units.display_elevation_rate(None) is None
    assert _dump(METRIC.display_elevation(0)) == {"value": 0, "unit": "m"}  # a genuine zero


def test_units_from_athlete_settings() -> None:
    assert (
        DisplayUnits.from_athlete_settings(
            measurement_preference="meters",
            weight_pref_lb=None,
            fahrenheit=None,
            wind_speed=None,
            rain=None,
            height_units=None,
        )
        == METRIC
    )
    us = DisplayUnits.from_athlete_settings(
        measurement_preference="feet",
        weight_pref_lb=True,
        fahrenheit=True,
        wind_speed="MPH",
        rain="IN",
        height_units="FEET",
    )
    assert us.as_preferences() == {
        "distance": "imperial",
        "weight": "lb",
        "temperature": "F",
        "wind": "mph",
        "rain": "in",
        "height": "in",
    }
