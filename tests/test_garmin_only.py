"""Garmin Connect alone: all five files from Garmin data, load and CTL/ATL computed by us,
a rolling window that catches late uploads, deduplicated by Garmin's activity id."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from fake_garmin import (
    ACCESS,
    FakeGarmin,
    activity,
    readiness,
    summary,
    sync_garmin_alone,
    training_status,
)

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in UTC+1
TODAY = date(2026, 11, 21)
FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")


def sync(garmin: FakeGarmin, tmp_path: Path, now: datetime = NOW) -> int:
    return sync_garmin_alone(garmin, tmp_path, now)


@pytest.fixture
def garmin() -> FakeGarmin:
    fake = FakeGarmin()
    for n in range(7):
        day = (TODAY - timedelta(days=n)).isoformat()
        fake.summaries[day] = summary(day)
        fake.readiness[day] = readiness(day, 65)
        fake.status[day] = training_status(day)
        fake.sleep[day] = {
            "dailySleepDTO": {"sleepTimeSeconds": 27000, "sleepScores": {"overall": {"value": 81}}},
            "avgOvernightHrv": 58.0,
        }
    # One hour at 153 bpm with LTHR 170: 1 x (153/170)^2 x 100 = 1 x 0.81 x 100 = 81.0
    fake.activities = [activity(1001, "2026-11-20 07:00:00")]
    return fake


def test_garmin_alone_writes_all_five_files_with_our_load(
    garmin: FakeGarmin, tmp_path: Path
) -> None:
    with garmin:
        assert sync(garmin, tmp_path) == 0
    out = tmp_path / "out"
    for name in FILES:
        schema = json.loads((REPO / "schemas" / name.replace(".json", ".schema.json")).read_text())
        jsonschema.validate(json.loads((out / name).read_text()), schema)
    latest = json.loads((out / "latest.json").read_text())
    [run_1] = latest["recent_activities"]
    assert run_1["tss"] == 81
    assert run_1["type"] == "Run"
    assert run_1["distance_km"] == 12.0
    fitness = latest["current_status"]["fitness"]
    assert "Garmin" in fitness["fitness_source"]
    # One load of 81 yesterday, then a rest day today:
    # CTL = 81 x (1 - e^(-1/42)) x e^(-1/42) = 1.906 x 0.9765 = 1.86
    assert fitness["ctl"] == pytest.approx(1.86, abs=0.01)
    rows = {r["date"]: r for r in latest["wellness_data"]}
    yesterday = rows["2026-11-20"]
    assert yesterday["sleep_hours"] == 7.5  # 27000 s / 3600
    assert yesterday["hrv_rmssd"] == 58.0
    assert yesterday["garmin"]["training_readiness"] == 65
    # The first run reached back 90 days for activities (one list request covers it).
    lists = [r for r in garmin.requests if r.path.endswith("/search/activities")]
    assert lists[0].query["startDate"] == [
        (TODAY + timedelta(days=1) - timedelta(days=89)).isoformat()
    ]


def test_late_arriving_activity_lands_and_refetches_are_deduplicated(
    garmin: FakeGarmin, tmp_path: Path
) -> None:
    with garmin:
        assert sync(garmin, tmp_path) == 0
        # Uploaded after the first run, but started yesterday evening.
        garmin.activities.append(activity(1002, "2026-11-20 18:30:00", avg_hr=None))
        garmin.requests.clear()
        assert sync(garmin, tmp_path, NOW + timedelta(hours=3)) == 0
    latest = json.loads((tmp_path / "out" / "latest.json").read_text())
    ids = [a["id"] for a in latest["recent_activities"]]
    assert sorted(ids) == ["1001", "1002"]  # 1001 was fetched by both runs: listed once
    late = next(a for a in latest["recent_activities"] if a["id"] == "1002")
    assert late["tss"] is None  # no heart rate: no load, never 0
    # The rerun's window is 7 days, not 90.
    lists = [r for r in garmin.requests if r.path.endswith("/search/activities")]
    assert lists[0].query["startDate"] == [
        (TODAY + timedelta(days=1) - timedelta(days=6)).isoformat()
    ]
    stored = json.loads((tmp_path / "out" / ".section11" / "garmin-activities.json").read_text())
    assert sorted(stored["activities"]) == ["1001", "1002"]
    assert ACCESS not in json.dumps(stored)


def test_without_lthr_load_and_fitness_are_null_with_a_warning(
    garmin: FakeGarmin, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    garmin.user_settings["userData"].pop("lactateThresholdHeartRate")
    with garmin:
        assert sync(garmin, tmp_path) == 0
    latest = json.loads((tmp_path / "out" / "latest.json").read_text())
    assert latest["recent_activities"][0]["tss"] is None  # never 0
    fitness = latest["current_status"]["fitness"]
    assert fitness["ctl"] is None and "Garmin" not in fitness["fitness_source"]
    assert "lactate-threshold heart rate" in caplog.text
