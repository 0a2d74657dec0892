"""Terrain of outdoor activities (fetched once, cached) and weather summaries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from section11.demo import DemoAthlete, FakeIntervalsServer
from section11.outputs.activity_extras import (
    TerrainCache,
    TerrainCacheEntry,
    load_terrain_cache,
    terrain_cache_path,
    update_activity_terrain,
    weather_summary,
)
from section11.sources.intervals_icu import Activity, IntervalsClient, parse_records
from section11.sources.intervals_icu.detail import FetchOutcome, terrain_fetcher
from section11.store import write_json_atomic
from section11.units import DisplayUnits, DisplayValue

TODAY = date(2026, 11, 21)  # the date the conftest fixture generates the athlete for
NOW = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)
METRIC = DisplayUnits()


def _activities(client: IntervalsClient, fake_api: FakeIntervalsServer) -> list[Activity]:
    raw = client.activities("2026-10-01", "2026-11-21T23:59:59")
    fake_api.reset_log()
    return parse_records(Activity, raw, "activity")


def _outdoor_with_gps(athlete: DemoAthlete) -> set[str]:
    """Outdoor demo activities of the last 28 days (10-25 ... 11-21) that record GPS."""
    return {
        a["id"]
        for a in athlete.activities
        if a["start_date_local"][:10] >= "2026-10-25"
        and a.get("type") is not None
        and not a.get("trainer")
        and "latlng" in (a.get("stream_types") or [])
    }


# --- terrain ----------------------------------------------------------------------------


def test_terrain_is_fetched_once_with_a_types_filter_and_cached(
    client: IntervalsClient,
    fake_api: FakeIntervalsServer,
    demo_athlete: DemoAthlete,
    tmp_path: Path,
) -> None:
    acts = _activities(client, fake_api)
    expected = _outdoor_with_gps(demo_athlete)
    assert len(expected) >= 5, "the demo rides and runs outside most weeks"
    fetch = terrain_fetcher(client)

    cache, results = update_activity_terrain(None, acts, fetch, METRIC, TODAY)
    requested = {r.path.split("/")[-2] for r in fake_api.requests}
    assert requested == expected
    assert len(fake_api.requests) == len(expected)
    assert all(r.query == {"types": "latlng,altitude"} for r in fake_api.requests)
    assert set(results) == expected
    statuses = {aid: r.status for aid, r in results.items()}
    # The 11-20 run records GPS but no altitude (a demo edge case); the rest have both.
    no_altitude = {
        a["id"] for a in demo_athlete.activities if a["id"] in expected
        and "altitude" not in a["stream_types"]
    }  # fmt: skip
    assert {aid for aid, s in statuses.items() if s == "no_elevation"} == no_altitude
    assert {aid for aid, s in statuses.items() if s == "ok"} == expected - no_altitude
    ok = next(r for r in results.values() if r.status == "ok")
    assert ok.terrain_summary is not None
    assert ok.terrain_summary.source == "activity_streams"
    assert ok.terrain_summary.polyline is None  # activities do not carry a polyline

    path = terrain_cache_path(tmp_path)
    assert path == tmp_path / ".section11" / "activity-terrain.json"
    write_json_atomic(path, cache)
    reloaded, notes = load_terrain_cache(path, NOW)
    assert (reloaded, notes) == (cache, [])

    fake_api.reset_log()
    again, results_again = update_activity_terrain(reloaded, acts, fetch, METRIC, TODAY)
    assert fake_api.requests == []  # every outdoor activity is settled: no request at all
    assert again == cache
    assert results_again == results


def test_cached_terrain_follows_unit_changes_without_fetching(
    client: IntervalsClient, fake_api: FakeIntervalsServer
) -> None:
    acts = _activities(client, fake_api)
    fetch = terrain_fetcher(client)
    cache, metric = update_activity_terrain(None, acts, fetch, METRIC, TODAY)
    fake_api.reset_log()
    _, imperial = update_activity_terrain(
        cache, acts, fetch, DisplayUnits(distance="imperial"), TODAY
    )
    assert fake_api.requests == []
    aid, first = next((k, v) for k, v in metric.items() if v.terrain_summary is not None)
    before = first.terrain_summary
    after = imperial[aid].terrain_summary
    assert before is not None and after is not None
    # km x 0.621371, 2 dp
    miles = round(before.total_distance_km * 0.621371, 2)
    assert after.display.total_distance == DisplayValue(value=miles, unit="mi")


def test_download_failures_are_retried_and_not_found_is_final(
    client: IntervalsClient, fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete
) -> None:
    acts = _activities(client, fake_api)
    flaky, gone = sorted(_outdoor_with_gps(demo_athlete))[:2]
    fake_api.faults.add(rf"/activity/{flaky}/streams", "503", count=1)
    demo_athlete.remove_activity(gone)
    fetch = terrain_fetcher(client)

    cache, results = update_activity_terrain(None, acts, fetch, METRIC, TODAY)
    assert results[flaky].status == "pending"
    assert flaky not in cache.activities  # a transient failure is never written down
    assert results[gone].status == "failed"
    assert cache.activities[gone].status == "failed"

    fake_api.reset_log()
    cache, results = update_activity_terrain(cache, acts, fetch, METRIC, TODAY)
    assert [r.path for r in fake_api.requests] == [f"/api/v1/activity/{flaky}/streams.json"]
    assert results[flaky].status == "ok"
    assert results[gone].status == "failed"


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, ids: Sequence[str]) -> Mapping[str, FetchOutcome]:
        self.calls.append(list(ids))
        return {aid: FetchOutcome.no_data() for aid in ids}


def _act(aid: str, day: str, **fields: Any) -> Activity:
    return Activity.model_validate(
        {"id": aid, "start_date_local": f"{day}T10:00:00", "type": "Ride", **fields}
    )


def test_selection_shortcuts_and_pruning() -> None:
    acts = [
        _act("gps", "2026-11-20"),  # stream types unknown: ask
        _act("no-gps", "2026-11-20", stream_types=["time", "watts"]),  # settled, no request
        _act("trainer", "2026-11-20", trainer=True),  # indoor: no terrain
        _act("virtual", "2026-11-20", type="VirtualRide"),
        _act("oldest-in", "2026-10-25"),  # 28 days = 10-25 ... 11-21
        _act("too-old", "2026-10-24"),
    ]
    summary_free = TerrainCacheEntry(date="2026-10-24", status="no_gps", error="x")
    old_cache = TerrainCache(
        activities={
            "pruned": summary_free,
            "kept": summary_free.model_copy(update={"date": "2026-10-25"}),
        }
    )
    fetch = _Recorder()
    cache, results = update_activity_terrain(old_cache, acts, fetch, METRIC, TODAY)
    assert fetch.calls == [["gps", "oldest-in"]]
    assert results["no-gps"].status == "no_gps"
    assert results["gps"].status == "no_gps"  # 200 without latlng/altitude data
    assert set(results) == {"gps", "no-gps", "oldest-in"}
    assert set(cache.activities) == {"gps", "kept", "no-gps", "oldest-in"}

    fetch.calls.clear()
    update_activity_terrain(cache, acts, fetch, METRIC, TODAY)
    assert fetch.calls == [[]]  # called once, with nothing to fetch


def test_too_few_gps_points_is_no_gps() -> None:
    streams = [
        {"type": "latlng", "data": [59.9, 59.91, None], "data2": [10.7, 10.71, 10.72]},
        {"type": "altitude", "data": [100.0, 101.0, 102.0]},
    ]
    _, results = update_activity_terrain(
        None,
        [_act("a", "2026-11-20")],
        lambda ids: {i: FetchOutcome.ok(streams) for i in ids},
        METRIC,
        TODAY,
    )
    # 2 usable positions (the None latitude is skipped) < 10
    assert results["a"].status == "no_gps"
    assert results["a"].error == "2 usable GPS points"


def test_unreadable_cache_is_moved_aside(tmp_path: Path) -> None:
    path = terrain_cache_path(tmp_path)
    path.parent.mkdir()
    path.write_text("{not json", encoding="utf-8")
    cache, notes = load_terrain_cache(path, NOW)
    assert cache is None and len(notes) == 1
    assert (path.parent / "activity-terrain.json.corrupt-20261121T200000Z").exists()
    assert load_terrain_cache(path, NOW) == (None, [])  # now simply missing


# --- weather ----------------------------------------------------------------------------


WEATHER: dict[str, Any] = {
    "has_weather": True,
    "average_weather_temp": 41.04,
    "min_weather_temp": 37.4,
    "max_weather_temp": 44.6,
    "average_temp": 39.2,
    "average_feels_like": 35.0,
    "average_wind_speed": 11.24,
    "average_wind_gust": 19.0,
    "prevailing_wind_deg": 359.6,
    "headwind_percent": 42.0,
    "tailwind_percent": 31.5,
    "average_clouds": 80,
    "max_rain": 0.0,
    "max_snow": None,
}


def test_weather_carries_the_athletes_units() -> None:
    act = _act("w", "2026-11-20", **WEATHER)
    imperial = DisplayUnits(distance="imperial", temperature="F", wind="mph", rain="in")
    summary = weather_summary(act, imperial)
    assert summary is not None
    assert summary.source == "intervals.icu (Open-Meteo)"
    assert summary.units.model_dump() == {"wind": "mph", "temp": "°F", "rain": "in"}
    # Values are passed through in the account's units, rounded to 1 dp, never converted.
    assert (summary.avg_temp, summary.avg_temp_device, summary.avg_wind_speed) == (41.0, 39.2, 11.2)
    assert summary.prevailing_wind_deg == 0  # 359.6 rounds to 360, which is north: 0
    assert summary.rain == 0.0  # a genuine zero stays zero
    assert summary.snow is None  # missing stays missing

    metric = weather_summary(act, DisplayUnits(wind="km/h"))
    assert metric is not None
    assert metric.units.model_dump() == {"wind": "km/h", "temp": "°C", "rain": "mm"}


def test_weather_absent_is_none() -> None:
    assert weather_summary(_act("x", "2026-11-20"), METRIC) is None
    assert weather_summary(_act("x", "2026-11-20", has_weather=False), METRIC) is None
    # The device's own thermometer is not weather data.
    assert weather_summary(_act("x", "2026-11-20", average_temp=18.0), METRIC) is None
    # A wind value alone is enough to report it.
    only_wind = weather_summary(_act("x", "2026-11-20", average_wind_speed=3.0), METRIC)
    assert only_wind is not None and only_wind.avg_wind_speed == 3.0
    assert only_wind.avg_temp is None
