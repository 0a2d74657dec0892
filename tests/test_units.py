"""Display units: conversions and the athlete's settings."""

from __future__ import annotations

from section11.units import METRIC, DisplayUnits

IMPERIAL = DisplayUnits(distance="imperial", weight="lb", height="in")


def test_metric_blocks_round_as_documented() -> None:
    assert METRIC.display_distance(12.345).model_dump() == {"value": 12.35, "unit": "km"}
    assert METRIC.display_elevation(239.6).model_dump() == {"value": 240, "unit": "m"}
    assert METRIC.display_speed(34.06).model_dump() == {"value": 34.1, "unit": "km/h"}
    assert METRIC.display_weight(64.44).model_dump() == {"value": 64.4, "unit": "kg"}
    assert METRIC.display_height(1.78).model_dump() == {"value": 178, "unit": "cm"}
    assert METRIC.display_elevation_rate(12.4).model_dump() == {"value": 12, "unit": "m/km"}


def test_imperial_conversions() -> None:
    # 10 km × 0.621371 = 6.21371 mi → 6.21
    assert IMPERIAL.display_distance(10).model_dump() == {"value": 6.21, "unit": "mi"}
    # 100 m × 3.28084 = 328.084 ft → 328
    assert IMPERIAL.display_elevation(100).model_dump() == {"value": 328, "unit": "ft"}
    # 20 m/km × 5.28 = 105.6 ft/mi → 106
    assert IMPERIAL.display_elevation_rate(20).model_dump() == {"value": 106, "unit": "ft/mi"}
    # 30 km/h × 0.621371 = 18.64 mph → 18.6
    assert IMPERIAL.display_speed(30).model_dump() == {"value": 18.6, "unit": "mph"}
    # 70 kg × 2.20462 = 154.32 lb → 154.3
    assert IMPERIAL.display_weight(70).model_dump() == {"value": 154.3, "unit": "lb"}
    # 1.8 m × 39.3701 = 70.87 in → 71
    assert IMPERIAL.display_height(1.8).model_dump() == {"value": 71, "unit": "in"}


def test_missing_values_stay_missing() -> None:
    for units in (METRIC, IMPERIAL):
        # No source value, no display value (null, as the reference writes it).
        assert units.display_distance(None) is None
        assert units.display_elevation(None) is None
        assert units.display_weight(None) is None
        assert units.display_speed(None) is None
        assert units.display_height(None) is None
        assert units.display_elevation_rate(None) is None
    assert METRIC.display_elevation(0).value == 0  # a genuine zero is a value


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
