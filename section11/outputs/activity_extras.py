"""Terrain and weather of recent outdoor activities (shown on latest.json's activities).

Terrain
-------
The terrain of a finished activity never changes, so it is analysed once and kept in a
small cache, ``<output_dir>/.section11/activity-terrain.json``, keyed by activity id:
either the terrain summary or a final status (``no_gps``, ``no_elevation``, ``failed``).
Every run fetches streams only for outdoor activities of the last 28 days that are not in
the cache, and asks for ``latlng`` and ``altitude`` only. An activity whose
``stream_types`` (from the activity list) has no ``latlng`` is settled as ``no_gps``
without a request. A download failure (5xx, timeout) is not cached: the activity reports
``pending`` and is retried on the next run. Cache entries older than 28 days are pruned.
The cache is tied to ``CACHE_VERSION``, bumped when the analysis changes what a summary
would be (2: null island, impossible steps, 0 m placeholders, gain hysteresis), so every
cached activity is analysed once more; a changed unit preference only recomputes the
display blocks.

Weather
-------
Intervals.icu enriches outdoor activities with weather from Open-Meteo. We assume, as the
reference mirror does, that it reports these values in the athlete's own account units:
temperature in °F when the athlete's ``fahrenheit`` setting is on (else °C), wind speed in
the athlete's ``wind_speed`` unit (m/s, km/h or mph), rain and snow in the ``rain`` unit
(mm or in). The values are passed through unconverted and every summary states its units,
so a reader never has to guess.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from section11.metrics.sports import is_outdoor
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.store import load_model
from section11.terrain import TerrainSummary, analyze_terrain, apply_display_units
from section11.terrain import points_from_streams as _points_from_streams
from section11.units import DisplayUnits

log = logging.getLogger(__name__)

TERRAIN_WINDOW_DAYS = 28
CACHE_VERSION: Literal[2] = 2
CACHE_RELATIVE_PATH = Path(".section11") / "activity-terrain.json"
MIN_GPS_POINTS = 10  # fewer valid positions is a GPS glitch, not a course
WEATHER_SOURCE: Literal["intervals.icu (Open-Meteo)"] = "intervals.icu (Open-Meteo)"

TerrainStatus = Literal["ok", "no_gps", "no_elevation", "failed"]


# --- models -----------------------------------------------------------------------------


class TerrainCacheEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str = Field(description="Athlete-local date of the activity (used for pruning)")
    status: TerrainStatus
    terrain_summary: TerrainSummary | None = None
    error: str | None = None


class TerrainCache(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cache_version: Literal[2] = CACHE_VERSION
    activities: dict[str, TerrainCacheEntry] = Field(default_factory=dict)


class ActivityTerrainResult(BaseModel):
    """What latest.json shows for one outdoor activity.

    ``pending``: the streams could not be downloaded this run; retried next run.
    """

    status: Literal["ok", "no_gps", "no_elevation", "failed", "pending"]
    terrain_summary: TerrainSummary | None = None
    error: str | None = None


class WeatherUnits(BaseModel):
    # Key names follow the reference mirror (temp, wind, rain).
    wind: str = Field(description="Unit of wind speed and gusts, e.g. m/s, km/h, mph")
    temp: Literal["°C", "°F"]
    rain: str = Field(description="Unit of rain and snow, mm or in")


class WeatherSummary(BaseModel):
    """Weather during an outdoor activity, in the units given in ``units``."""

    source: Literal["intervals.icu (Open-Meteo)"] = WEATHER_SOURCE
    units: WeatherUnits
    avg_temp: float | None = Field(description="Weather-model air temperature")
    min_temp: float | None
    max_temp: float | None
    avg_temp_device: float | None = Field(description="The recording device's sensor")
    avg_feels_like: float | None
    min_feels_like: float | None
    max_feels_like: float | None
    avg_wind_speed: float | None
    avg_wind_gust: float | None
    prevailing_wind_deg: int | None = Field(description="Direction the wind comes from")
    headwind_pct: float | None = Field(description="Share of the activity into a headwind")
    tailwind_pct: float | None
    clouds_pct: float | None
    rain: float | None = Field(description="Heaviest rain during the activity")
    snow: float | None = Field(description="Heaviest snow during the activity")


# --- terrain ----------------------------------------------------------------------------


def update_activity_terrain(
    cache: TerrainCache | None,
    activities: Sequence[Activity],
    fetcher: Callable[[Sequence[str]], Mapping[str, FetchOutcome]],
    units: DisplayUnits,
    today: date,
) -> tuple[TerrainCache, dict[str, ActivityTerrainResult]]:
    """Terrain of outdoor activities of the last 28 days; fetch only what is not cached.

    ``fetcher`` is called once with the ids to download (possibly none) and returns the
    outcome of a ``latlng,altitude`` streams request per id.
    """
    oldest = today - timedelta(days=TERRAIN_WINDOW_DAYS - 1)
    kept = {
        aid: entry
        for aid, entry in (cache.activities.items() if cache else ())
        if _entry_day(entry) >= oldest
    }
    outdoor: dict[str, Activity] = {}
    for act in activities:
        day = act.local_date
        if act.id is None or day is None or act.is_strava_stub:
            continue
        if oldest <= day <= today and is_outdoor(act.type, act.trainer):
            outdoor[act.id] = act

    to_fetch: list[str] = []
    for aid, act in outdoor.items():
        if aid in kept:
            continue
        if act.stream_types is not None and "latlng" not in act.stream_types:
            kept[aid] = _settled(act, "no_gps", "the activity has no GPS stream")
        else:
            to_fetch.append(aid)
    outcomes = fetcher(to_fetch)

    results: dict[str, ActivityTerrainResult] = {}
    for aid in to_fetch:
        outcome = outcomes.get(aid) or FetchOutcome.transient("not fetched")
        if outcome.kind == "transient":
            results[aid] = ActivityTerrainResult(status="pending", error=outcome.reason)
            continue
        kept[aid] = _analyse(outdoor[aid], outcome, units)

    for aid in outdoor:
        entry = kept.get(aid)
        if entry is None:
            continue
        summary = entry.terrain_summary
        results[aid] = ActivityTerrainResult(
            status=entry.status,
            terrain_summary=None if summary is None else apply_display_units(summary, units),
            error=entry.error,
        )
    return TerrainCache(activities=dict(sorted(kept.items()))), results


def terrain_cache_path(output_dir: Path) -> Path:
    return output_dir / CACHE_RELATIVE_PATH


def load_terrain_cache(path: Path, now_utc: datetime) -> tuple[TerrainCache | None, list[str]]:
    """The cache, or None to start afresh, plus warnings for the run.

    Another ``cache_version`` is rebuilt; an unreadable file is moved aside.
    """
    return load_model(
        path,
        TerrainCache,
        now_utc,
        consequence="activity terrain is fetched again",
        version_key="cache_version",
        version=CACHE_VERSION,
    )


def _analyse(act: Activity, outcome: FetchOutcome, units: DisplayUnits) -> TerrainCacheEntry:
    if outcome.kind == "permanent":
        return _settled(act, "failed", outcome.reason or "the streams could not be fetched")
    if outcome.kind == "no_data":
        return _settled(act, "no_gps", "no GPS or altitude stream")
    lat, lon, altitude = _terrain_streams(outcome.data)
    points = _points_from_streams(lat, lon, altitude)
    if len(points) < MIN_GPS_POINTS:
        return _settled(act, "no_gps", f"{len(points)} usable GPS points")
    if all(p.ele is None for p in points):
        return _settled(act, "no_elevation", "no altitude stream")
    summary = analyze_terrain(
        points, source="activity_streams", units=units, include_polyline=False
    )
    if summary is None:
        return _settled(act, "no_gps", "the GPS track is shorter than 100 m")
    return TerrainCacheEntry(date=_day(act), status="ok", terrain_summary=summary)


def _terrain_streams(
    data: Any,
) -> tuple[list[float | None], list[float | None], list[float | None] | None]:
    """``latlng`` carries latitudes in ``data`` and longitudes in ``data2``."""
    lat: list[float | None] = []
    lon: list[float | None] = []
    altitude: list[float | None] | None = None
    for stream in data if isinstance(data, list) else ():
        if not isinstance(stream, dict):
            continue
        if stream.get("type") == "latlng":
            lat = _numbers(stream.get("data"))
            lon = _numbers(stream.get("data2"))
        elif stream.get("type") == "altitude":
            altitude = _numbers(stream.get("data"))
    return lat, lon, altitude


def _numbers(values: Any) -> list[float | None]:
    if not isinstance(values, list):
        return []
    return [
        float(v) if isinstance(v, int | float) and not isinstance(v, bool) else None for v in values
    ]


def _settled(act: Activity, status: TerrainStatus, error: str) -> TerrainCacheEntry:
    return TerrainCacheEntry(date=_day(act), status=status, error=error)


def _day(act: Activity) -> str:
    day = act.local_date
    return day.isoformat() if day is not None else ""


def _entry_day(entry: TerrainCacheEntry) -> date:
    """An entry without a readable date counts as old (pruned)."""
    try:
        return date.fromisoformat(entry.date)
    except ValueError:
        return date.min


# --- weather ----------------------------------------------------------------------------


def weather_summary(activity: Activity, units: DisplayUnits) -> WeatherSummary | None:
    """Intervals.icu's weather for the activity, with explicit units; None when absent."""
    a = activity
    values: dict[str, float | None] = {
        "avg_temp": _r(a.average_weather_temp, 1),
        "min_temp": _r(a.min_weather_temp, 1),
        "max_temp": _r(a.max_weather_temp, 1),
        "avg_temp_device": _r(a.average_temp, 1),
        "avg_feels_like": _r(a.average_feels_like, 1),
        "min_feels_like": _r(a.min_feels_like, 1),
        "max_feels_like": _r(a.max_feels_like, 1),
        "avg_wind_speed": _r(a.average_wind_speed, 1),
        "avg_wind_gust": _r(a.average_wind_gust, 1),
        "headwind_pct": _r(a.headwind_percent, 1),
        "tailwind_pct": _r(a.tailwind_percent, 1),
        "clouds_pct": _r(a.average_clouds, 1),
        "rain": _r(a.max_rain, 2),
        "snow": _r(a.max_snow, 2),
    }
    # The device temperature alone is not Intervals.icu weather.
    weather_values = [v for k, v in values.items() if k != "avg_temp_device"]
    has_any = any(v is not None for v in weather_values) or a.prevailing_wind_deg is not None
    if a.has_weather is not True and not has_any:
        return None
    return WeatherSummary(
        units=WeatherUnits(
            wind=units.wind,
            temp="°F" if units.temperature == "F" else "°C",
            rain=units.rain,
        ),
        prevailing_wind_deg=None
        if a.prevailing_wind_deg is None
        else round(a.prevailing_wind_deg) % 360,
        **values,
    )


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
