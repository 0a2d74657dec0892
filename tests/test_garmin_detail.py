"""Garmin per-activity detail in Garmin-only mode: grouped into recent_activities under our
field names (empty groups left out), the workout structure and laps into intervals.json,
fetched once per activity, within a daily cap, and paused by a 429."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fake_garmin import (
    FakeGarmin,
    Fault,
    activity,
    lap,
    split_summary,
    sync_garmin_alone,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def sync(garmin: FakeGarmin, tmp_path: Path, extra: dict[str, str] | None = None) -> int:
    return sync_garmin_alone(garmin, tmp_path, NOW, extra)


def structured(fake: FakeGarmin, activity_id: int, start: str) -> None:
    # Warm-up 2000 m, 4 x 1200 m active, 3 x 300 m recovery, cool-down 1800 m = 9500 m
    # in 600 + 4 x 240 + 3 x 120 + 600 = 2520 s.
    entry = activity(activity_id, start, moving_s=2520, distance_m=9500)
    entry["avgGradeAdjustedSpeed"] = 3.8462  # 1000 / 3.8462 = 260 s -> 4:20 per km
    fake.activities.append(entry)
    key = str(activity_id)
    fake.split_summaries[key] = [
        split_summary("INTERVAL_WARMUP", 1, 600, 2000, 130),
        split_summary("INTERVAL_ACTIVE", 4, 960, 4800, 172),
        split_summary("INTERVAL_RECOVERY", 3, 360, 900, 140),
        split_summary("INTERVAL_COOLDOWN", 1, 600, 1800, 135),
        split_summary("RWD_RUN", 1, 2520, 9500, 155),
    ]
    laps = [lap(1, "WARMUP", 600, 2000, 130)]
    for n in range(4):
        laps.append(lap(2 + 2 * n, "ACTIVE", 240, 1200, 172))
        if n < 3:
            laps.append(lap(3 + 2 * n, "RECOVERY", 120, 300, 140))
    laps.append(lap(9, "COOLDOWN", 600, 1800, 135))
    fake.laps[key] = laps


def load(tmp_path: Path, name: str) -> Any:
    return json.loads((tmp_path / "out" / name).read_text())


def detail_requests(fake: FakeGarmin) -> list[str]:
    return fake.paths("/activity-service/")


@pytest.fixture
def garmin() -> FakeGarmin:
    fake = FakeGarmin()
    structured(fake, 2001, "2026-11-19 07:00:00")
    return fake


def test_detail_lands_in_recent_activities_grouped(garmin: FakeGarmin, tmp_path: Path) -> None:
    with garmin:
        assert sync(garmin, tmp_path) == 0
    [entry] = load(tmp_path, "latest.json")["recent_activities"]
    detail = entry["garmin"]
    # 9500 m / 2520 s = 3.7698 m/s -> 1000 / 3.7698 = 265 s -> 4:25 per km
    assert detail["pace"]["avg_pace_per_km"] == "4:25"
    assert detail["pace"]["gap_per_km"] == "4:20"
    assert detail["pace"]["distance_km"] == 9.5
    assert detail["running_dynamics"]["cadence_spm"] == 172.0
    assert detail["running_dynamics"]["ground_contact_ms"] == 241.0
    assert detail["training_effect"] == {
        "aerobic": 3.1,
        "anaerobic": 0.8,
        "label": None,
        "garmin_load": 118.0,
    }
    assert detail["body"]["body_battery_change"] == -14
    assert detail["body"]["stamina_start_pct"] is None
    assert "power" not in detail  # no power meter: the empty group is left out
    structure = detail["workout_structure"]
    # Active: 4 repeats, 960 s, 4800 m / 960 s = 5 m/s -> 200 s -> 3:20 per km
    assert structure["active"]["count"] == 4
    assert structure["active"]["duration_secs"] == 960
    assert structure["active"]["avg_pace_per_km"] == "3:20"
    assert structure["warmup"]["distance_km"] == 2.0
    assert set(structure) == {"warmup", "active", "recovery", "cooldown"}  # RWD_RUN ignored
    assert detail["lap_count"] == 12  # Garmin's own count from the activity list


def test_laps_and_phases_land_in_intervals_json(garmin: FakeGarmin, tmp_path: Path) -> None:
    with garmin:
        assert sync(garmin, tmp_path) == 0
    [entry] = load(tmp_path, "intervals.json")["activities"]
    assert entry["activity_id"] == "2001"
    assert len(entry["intervals"]) == 9  # 1 warm-up + 4 active + 3 recovery + 1 cool-down
    phases = entry["phases"]
    assert phases["active"]["count"] == 4 and phases["active"]["duration_secs"] == 960
    assert phases["recovery"]["count"] == 3 and phases["recovery"]["duration_secs"] == 360
    assert phases["warmup"]["count"] == 1 and phases["cooldown"]["count"] == 1
    assert phases["active"]["avg_hr"] == 172
    # Lap starts are cumulative: warm-up 600 s, then the first active lap starts at 600.
    assert entry["intervals"][1]["start_secs"] == 600


def test_detail_is_fetched_once_per_activity(garmin: FakeGarmin, tmp_path: Path) -> None:
    with garmin:
        assert sync(garmin, tmp_path) == 0
        assert len(detail_requests(garmin)) == 2  # split summaries + laps
        garmin.requests.clear()
        assert sync(garmin, tmp_path) == 0
    assert detail_requests(garmin) == []
    assert load(tmp_path, "latest.json")["recent_activities"][0]["garmin"]["workout_structure"]


def test_daily_cap_defers_the_rest_to_tomorrow(garmin: FakeGarmin, tmp_path: Path) -> None:
    structured(garmin, 2002, "2026-11-20 07:00:00")
    with garmin:
        assert sync(garmin, tmp_path, {"SECTION11_GARMIN_DETAIL_CAP": "2"}) == 0
    # Cap 2 = one activity's two requests: the newest (2002) got them, 2001 waits.
    assert detail_requests(garmin) == [
        "/activity-service/activity/2002/split_summaries",
        "/activity-service/activity/2002/splits",
    ]
    rows = {a["id"]: a for a in load(tmp_path, "latest.json")["recent_activities"]}
    assert "workout_structure" in rows["2002"]["garmin"]
    assert "workout_structure" not in rows["2001"]["garmin"]
    assert "pace" in rows["2001"]["garmin"]  # the list entry's detail needs no request


def test_429_pauses_detail_and_the_next_run_catches_up(garmin: FakeGarmin, tmp_path: Path) -> None:
    garmin.fail("split_summaries", Fault(429, {"Retry-After": "600"}, times=1))
    with garmin:
        assert sync(garmin, tmp_path) == 0  # a 429 on detail is not a failed run
        first = load(tmp_path, "latest.json")["recent_activities"][0]["garmin"]
        assert "workout_structure" not in first
        garmin.requests.clear()
        assert sync(garmin, tmp_path) == 0
    assert len(detail_requests(garmin)) == 2
    again = load(tmp_path, "latest.json")["recent_activities"][0]["garmin"]
    assert again["workout_structure"]["active"]["count"] == 4
