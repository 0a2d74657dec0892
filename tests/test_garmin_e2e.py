"""End to end: a sync with Intervals.icu as the primary source and Garmin Connect adding
its own signals, both fakes on loopback, through the real pipeline and files on disk."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from fake_garmin import (
    ACCESS,
    CLIENT_ID,
    REFRESH,
    FakeGarmin,
    activity,
    readiness,
    split_summary,
    summary,
    training_status,
)

from section11.cli import main
from section11.clock import FixedClock
from section11.config import resolve_settings
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.pipeline import run
from section11.sources.garmin.tokens import GarminTokens

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 21)
BLOB = GarminTokens(ACCESS, REFRESH, CLIENT_ID).to_blob()


def environment(
    fake_api: FakeIntervalsServer, garmin: FakeGarmin, tmp_path: Path
) -> dict[str, str]:
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    return {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        "GARMIN_TOKENS": BLOB,
        "SECTION11_GARMIN_API_BASE": garmin.url,
        "SECTION11_GARMIN_TOKEN_URL": garmin.token_url,
    }


def sync_fast(env: dict[str, str], out: Path) -> int:
    """The pipeline as the CLI runs it, with Garmin's pacing lifted for the test's speed."""
    settings = resolve_settings({"output_dir": str(out)}, env)
    fast = dataclasses.replace(settings.garmin, max_per_second=1000.0)
    return run(dataclasses.replace(settings, garmin=fast), clock=FixedClock(NOW), env=env)


@pytest.fixture
def garmin() -> FakeGarmin:
    fake = FakeGarmin()
    for n in range(7):
        day = (TODAY - timedelta(days=n)).isoformat()
        fake.summaries[day] = summary(day, bb_high=90 - n, stress=25 + n)
        fake.readiness[day] = readiness(day, 70 - n)
        fake.status[day] = training_status(day)
    del fake.summaries[TODAY.isoformat()]  # today's summary is not in yet
    return fake


def test_both_mode_adds_garmin_signals_to_wellness_and_current_status(
    fake_api: FakeIntervalsServer, garmin: FakeGarmin, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with garmin:
        assert sync_fast(environment(fake_api, garmin, tmp_path), out) == 0
    latest = json.loads((out / "latest.json").read_text())
    schema = json.loads((REPO / "schemas" / "latest.schema.json").read_text())
    jsonschema.validate(latest, schema)

    status = latest["current_status"]["garmin"]
    # Readiness today: the waking reading, 70 - 0; Body Battery: today has no summary yet,
    # so the newest is yesterday's high, 90 - 1 = 89, dated in value_dates.
    assert status["as_of"] == TODAY.isoformat()
    assert status["training_readiness"] == 70
    assert status["body_battery_high"] == 89
    assert status["value_dates"]["body_battery_high"] == (TODAY - timedelta(days=1)).isoformat()
    assert status["training_status"] == "productive"
    # Today's missing summary leaves the 6 summary signals latest.json shows (Body Battery
    # high/low/charged/drained, stress avg/max) not_recorded: 6 metric-days, nothing failed.
    assert status["missing_counts"] == {"not_recorded": 6}

    rows = {row["date"]: row for row in latest["wellness_data"]}
    yesterday = rows[(TODAY - timedelta(days=1)).isoformat()]["garmin"]
    assert yesterday["stress_avg"] == 26  # 25 + 1
    assert yesterday["missing"] == {}
    # The Intervals.icu fields are unchanged by Garmin: the primary source stays primary.
    assert "hrv_rmssd" in rows[(TODAY - timedelta(days=1)).isoformat()]

    everything = "".join(p.read_text() for p in out.rglob("*.json"))
    assert ACCESS not in everything and REFRESH not in everything and BLOB not in everything
    assert (out / ".section11" / "garmin-wellness.json").exists()


def test_both_mode_adds_garmin_detail_to_the_matching_activity(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, garmin: FakeGarmin, tmp_path: Path
) -> None:
    # The same recording in both services: Garmin's UTC start equals Intervals.icu's.
    recent = [a for a in demo_athlete.activities if a.get("start_date_local", "") >= "2026-11-18"]
    target = max(recent, key=lambda a: a["start_date_local"])
    local = target["start_date_local"][:19].replace("T", " ")
    utc = datetime.fromisoformat(target["start_date"].replace("Z", "+00:00"))
    offset = round(
        (datetime.fromisoformat(local) - utc.replace(tzinfo=None)).total_seconds() / 3600
    )
    entry = activity(555, local, offset_hours=offset)
    garmin.activities.append(entry)
    garmin.split_summaries["555"] = [
        split_summary("INTERVAL_WARMUP", 1, 600, 2000, 130),
        split_summary("INTERVAL_ACTIVE", 5, 1200, 5000, 170),
    ]
    out = tmp_path / "out"
    with garmin:
        assert sync_fast(environment(fake_api, garmin, tmp_path), out) == 0
        first_detail = garmin.paths("/activity-service/")
        garmin.requests.clear()
        assert sync_fast(environment(fake_api, garmin, tmp_path), out) == 0
    rows = {a["id"]: a for a in json.loads((out / "latest.json").read_text())["recent_activities"]}
    detail = rows[str(target["id"])]["garmin"]
    assert detail["training_effect"]["aerobic"] == 3.1
    assert detail["body"]["body_battery_change"] == -14
    # Active: 5 repeats, 5000 m in 1200 s = 4.1667 m/s -> 240 s -> 4:00 per km
    assert detail["workout_structure"]["active"]["avg_pace_per_km"] == "4:00"
    assert "cooldown" not in detail["workout_structure"]  # Garmin had no cool-down split
    # The Intervals.icu values stay the primary ones.
    assert rows[str(target["id"])]["tss"] == round(target["icu_training_load"])
    assert first_detail == [
        "/activity-service/activity/555/split_summaries",
        "/activity-service/activity/555/splits",
    ]
    # Rerun: detail cached; 1 profile + 4 days x 3 + 1 activity list = 14 Garmin requests.
    assert garmin.paths("/activity-service/") == []
    assert len(garmin.requests) == 14


def test_expired_session_stops_the_run_with_one_line_and_writes_nothing(
    fake_api: FakeIntervalsServer,
    garmin: FakeGarmin,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    garmin.valid_access.clear()
    garmin.valid_refresh.clear()  # revoked by Garmin (password change, sign-out everywhere)
    out = tmp_path / "out"
    with garmin:
        code = main(
            ["--output-dir", str(out)],
            env=environment(fake_api, garmin, tmp_path),
            clock=FixedClock(NOW),
        )
    assert code == 3
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "error" in line.lower()]
    assert len(lines) == 1 and "section11 garmin-login" in lines[0]
    assert REFRESH not in err and ACCESS not in err
    assert not (out / "latest.json").exists()


def test_no_garmin_tokens_means_no_garmin_requests(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    garmin = FakeGarmin()
    env = environment(fake_api, garmin, tmp_path)
    del env["GARMIN_TOKENS"]
    out = tmp_path / "out"
    with garmin:
        assert sync_fast(env, out) == 0
    assert garmin.requests == []
    assert "garmin" not in json.loads((out / "latest.json").read_text())["current_status"]
