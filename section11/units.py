"""The athlete's display preferences and the `{value, unit}` display blocks built from them.

Canonical values in every output are metric (km, m, kg, km/h). Display blocks carry the
same value converted to the athlete's chosen units so an AI can quote them directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator

_KM_TO_MI = 0.621371
_M_TO_FT = 3.28084
_M_PER_KM_TO_FT_PER_MI = 5.28
_KG_TO_LB = 2.20462
_M_TO_IN = 39.3701


class DisplayValue(BaseModel):
    """A value in the athlete's preferred unit. A missing source value has no display value
    at all (``None``, written ``null`` as the reference writes it), not ``{value: null}``."""

    value: float | int
    unit: str


def _missing_as_null(value: Any) -> Any:
    """Earlier versions wrote a missing display value as ``{"value": null, "unit": …}``;
    their files (read back as the previous run's output or cache) mean ``null``."""
    if isinstance(value, dict) and value.get("value") is None:
        return None
    return value


# The type of every display field: a DisplayValue, or null when the value is missing.
ShownValue = Annotated[DisplayValue | None, BeforeValidator(_missing_as_null)]


@dataclass(frozen=True)
class DisplayUnits:
    distance: Literal["metric", "imperial"] = "metric"
    weight: Literal["kg", "lb"] = "kg"
    temperature: Literal["C", "F"] = "C"
    wind: str = "m/s"
    rain: str = "mm"
    height: Literal["cm", "in"] = "cm"

    @classmethod
    def from_athlete_settings(
        cls,
        *,
        measurement_preference: str | None,
        weight_pref_lb: bool | None,
        fahrenheit: bool | None,
        wind_speed: str | None,
        rain: str | None,
        height_units: str | None,
    ) -> DisplayUnits:
        """Units from the athlete's Intervals.icu settings (metric unless they chose otherwise)."""
        wind = {"MPS": "m/s", "KPH": "km/h", "MPH": "mph"}.get((wind_speed or "").upper(), "m/s")
        return cls(
            distance="imperial"
            if measurement_preference and measurement_preference.lower() != "meters"
            else "metric",
            weight="lb" if weight_pref_lb else "kg",
            temperature="F" if fahrenheit else "C",
            wind=wind,
            rain="in" if (rain or "").upper() == "IN" else "mm",
            height="in" if (height_units or "").upper() in ("IN", "FEET") else "cm",
        )

    def as_preferences(self) -> dict[str, str]:
        """The six-key unit map shown to the AI in the athlete profile."""
        return {
            "distance": self.distance,
            "weight": self.weight,
            "temperature": self.temperature,
            "wind": self.wind,
            "rain": self.rain,
            "height": self.height,
        }

    def display_distance(self, km: float | None) -> DisplayValue | None:
        if km is None:
            return None
        if self.distance == "imperial":
            return DisplayValue(value=_round(km, _KM_TO_MI, 2), unit="mi")
        return DisplayValue(value=_round(km, 1.0, 2), unit="km")

    def display_elevation(self, metres: float | None) -> DisplayValue | None:
        if metres is None:
            return None
        if self.distance == "imperial":
            return DisplayValue(value=_round_int(metres, _M_TO_FT), unit="ft")
        return DisplayValue(value=_round_int(metres, 1.0), unit="m")

    def display_elevation_rate(self, m_per_km: float | None) -> DisplayValue | None:
        if m_per_km is None:
            return None
        if self.distance == "imperial":
            return DisplayValue(value=_round_int(m_per_km, _M_PER_KM_TO_FT_PER_MI), unit="ft/mi")
        return DisplayValue(value=_round_int(m_per_km, 1.0), unit="m/km")

    def display_speed(self, kmh: float | None) -> DisplayValue | None:
        if kmh is None:
            return None
        if self.distance == "imperial":
            return DisplayValue(value=_round(kmh, _KM_TO_MI, 1), unit="mph")
        return DisplayValue(value=_round(kmh, 1.0, 1), unit="km/h")

    def display_weight(self, kg: float | None) -> DisplayValue | None:
        if kg is None:
            return None
        if self.weight == "lb":
            return DisplayValue(value=_round(kg, _KG_TO_LB, 1), unit="lb")
        return DisplayValue(value=_round(kg, 1.0, 1), unit="kg")

    def display_height(self, metres: float | None) -> DisplayValue | None:
        if metres is None:
            return None
        if self.height == "in":
            return DisplayValue(value=_round_int(metres, _M_TO_IN), unit="in")
        return DisplayValue(value=_round_int(metres, 100.0), unit="cm")


METRIC = DisplayUnits()


def _round(value: float, factor: float, digits: int) -> float:
    return round(value * factor, digits)


def _round_int(value: float, factor: float) -> int:
    return round(value * factor)


# Module-level helpers for callers that prefer functions over methods.
def display_distance(km: float | None, units: DisplayUnits = METRIC) -> DisplayValue | None:
    return units.display_distance(km)


def display_elevation(metres: float | None, units: DisplayUnits = METRIC) -> DisplayValue | None:
    return units.display_elevation(metres)


def display_elevation_rate(
    m_per_km: float | None, units: DisplayUnits = METRIC
) -> DisplayValue | None:
    return units.display_elevation_rate(m_per_km)


def display_speed(kmh: float | None, units: DisplayUnits = METRIC) -> DisplayValue | None:
    return units.display_speed(kmh)


def display_weight(kg: float | None, units: DisplayUnits = METRIC) -> DisplayValue | None:
    return units.display_weight(kg)


def display_height(metres: float | None, units: DisplayUnits = METRIC) -> DisplayValue | None:
    return units.display_height(metres)
