"""Small per-session texts of recent_activities."""

from __future__ import annotations

from section11.sources.intervals_icu.models import Activity
from section11.units import DisplayUnits

_COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


def weather_line(a: Activity, units: DisplayUnits) -> str | None:
    """Intervals.icu's weather for the session as one line, e.g. "6.6 °C (feels like
    3.7 °C), wind 26.2 km/h from E, 8 % cloud, rain 1.6 mm"; None without weather values.
    Values are in the athlete's units, as Intervals.icu reports them."""
    temp_unit = "°F" if units.temperature == "F" else "°C"
    parts: list[str] = []
    if a.average_weather_temp is not None:
        text = f"{a.average_weather_temp:.1f} {temp_unit}"
        if a.average_feels_like is not None:
            text += f" (feels like {a.average_feels_like:.1f} {temp_unit})"
        parts.append(text)
    if a.average_wind_speed is not None:
        text = f"wind {a.average_wind_speed:.1f} {units.wind}"
        if a.prevailing_wind_deg is not None:
            text += f" from {_COMPASS[round(a.prevailing_wind_deg / 45) % 8]}"
        parts.append(text)
    if a.average_clouds is not None:
        parts.append(f"{a.average_clouds:.0f} % cloud")
    if a.max_rain is not None and a.max_rain > 0:
        parts.append(f"rain {a.max_rain:g} {units.rain}")
    if a.max_snow is not None and a.max_snow > 0:
        parts.append(f"snow {a.max_snow:g} {units.rain}")
    return ", ".join(parts) or None
