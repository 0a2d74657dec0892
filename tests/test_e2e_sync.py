"""End to end: the CLI syncs the demo athlete from the fake Intervals.icu over real HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, SECRET_CANARIES, FakeIntervalsServer

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo, the demo athlete's timezone
TODAY = date(2026, 11, 21)
OUTPUT_FILES = ("latest.json", "history.json", "intervals.json", "routes.json", "ftp_history.json")


def run_cli(
    args: list[str],
    fake_api: FakeIntervalsServer | None,
    tmp_path: Path,
    *,
    key: str = DEMO_API_KEY,
    env: dict[str, str] | None = None,
    now: datetime = NOW,
) -> int:
    empty_config = tmp_path / "empty-config.json"
    empty_config.write_text("{}")
    environment = {"SECTION11_CONFIG": str(empty_config), **(env or {})}
    if fake_api is not None:
        environment |= {
            "ATHLETE_ID": DEMO_ATHLETE_ID,
            "INTERVALS_KEY": key,
            "INTERVALS_API_BASE": fake_api.base_url,
        }
    return main(args, env=environment, clock=FixedClock(now))


def load(folder: Path, name: str = "latest.json") -> Any:
    return json.loads((folder / name).read_text("utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def synced(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    assert run_cli(["--output-dir", str(out)], fake_api, tmp_path) == 0
    return out


def test_happy_path_writes_every_file_valid_against_its_schema(synced: Path) -> None:
    for name in OUTPUT_FILES:
        data = load(synced, name)
        schema = json.loads((REPO / "schemas" / name.replace(".json", ".schema.json")).read_text())
        jsonschema.validate(data, schema)
    latest = load(synced)
    assert latest["metadata"]["athlete_id"] == "REDACTED"
    assert latest["metadata"]["today"] == TODAY.isoformat()
    assert latest["metadata"]["schema_version"] == 1


def test_recent_activities_cover_28_days_and_flag_the_display_window(synced: Path) -> None:
    latest = load(synced)
    rows = latest["recent_activities"]
    dates = [a["date"][:19] for a in rows]
    assert dates == sorted(dates, reverse=True), "newest first"
    # 28 days: 2026-10-25 … 2026-11-21 inclusive.
    assert min(dates)[:10] >= "2026-10-25" and max(dates)[:10] <= "2026-11-21"
    shown = {a["date"][:10] for a in rows if a["in_display_window"]}
    # --days 7 (default): 2026-11-15 … 2026-11-21 inclusive.
    assert shown, "the demo athlete trains in the last 7 days"
    assert min(shown) >= "2026-11-15" and max(shown) <= "2026-11-21"
    older = [a for a in rows if not a["in_display_window"]]
    assert older and all(a["date"][:10] < "2026-11-15" for a in older)
    # days_ago: 2026-11-21 minus the activity's date.
    for a in rows:
        assert a["days_ago"] == (date(2026, 11, 21) - date.fromisoformat(a["date"][:10])).days


def test_strava_stubs_are_counted_and_explained_not_listed(
    synced: Path, fake_api: FakeIntervalsServer
) -> None:
    latest = load(synced)
    stub_ids = {
        a["id"]
        for a in fake_api.athlete.activities
        # data_quality counts the 28 days ending today: 2026-10-25 … 2026-11-21.
        if a.get("source") == "STRAVA" and a.get("start_date_local", "") >= "2026-10-25"
    }
    listed = {a["id"] for a in latest["recent_activities"]}
    assert stub_ids and not (stub_ids & listed)
    assert latest["derived_metrics"]["data_quality"]["strava_stub_activities"] == len(stub_ids)
    assert "Strava" in latest["READ_THIS_FIRST"]["strava_note"]


def test_present_but_null_fields_stay_null(synced: Path, fake_api: FakeIntervalsServer) -> None:
    nulls = [
        a
        for a in fake_api.athlete.activities
        if "moving_time" in a and a["moving_time"] is None and a.get("type")
    ]
    assert nulls, "the demo athlete has a manual activity with null fields"
    latest = load(synced)
    by_id = {a["id"]: a for a in latest["recent_activities"]}
    for activity in nulls:
        if activity["id"] in by_id:
            shown = by_id[activity["id"]]
            assert shown["duration_hours"] is None
            if activity.get("icu_training_load", 0) is None:
                assert shown["tss"] is None


def test_secrets_never_reach_outputs_or_logs(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    log_file = tmp_path / "sync.log"
    code = run_cli(
        ["--output-dir", str(out), "--debug", "--log-file", str(log_file)], fake_api, tmp_path
    )
    assert code == 0
    captured = capsys.readouterr()
    texts = [captured.out, captured.err, log_file.read_text("utf-8")]
    texts += [p.read_text("utf-8") for p in out.rglob("*") if p.is_file()]
    for canary in (*SECRET_CANARIES, DEMO_API_KEY):
        for text in texts:
            assert canary not in text


def test_storms_of_429_and_500_give_identical_output(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    calm = tmp_path / "calm"
    assert run_cli(["--output-dir", str(calm)], fake_api, tmp_path) == 0
    fake_api.faults.add(r"/athlete/[^/]+$", "429", count=2, retry_after="0")
    fake_api.faults.add(r"/activities", "500", count=2)
    fake_api.faults.add(r"/wellness", "429", count=1)
    fake_api.faults.add(r"/events", "503", count=2)
    stormy = tmp_path / "stormy"
    assert run_cli(["--output-dir", str(stormy)], fake_api, tmp_path) == 0
    assert snapshot(stormy) == snapshot(calm)


def test_wrong_key_exits_3_and_leaves_files_intact(
    synced: Path, fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(synced)
    capsys.readouterr()
    code = run_cli(["--output-dir", str(synced)], fake_api, tmp_path, key="not-the-key")
    assert code == 3
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("section11: error")]
    assert len(errors) == 1 and "ATHLETE_ID" in errors[0]
    assert "not-the-key" not in err
    assert snapshot(synced) == before


def test_api_returning_garbage_exits_4_and_leaves_files_intact(
    synced: Path, fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(synced)
    fake_api.faults.add(r"/wellness", "malformed", count=50)
    capsys.readouterr()
    assert run_cli(["--output-dir", str(synced)], fake_api, tmp_path) == 4
    assert "malformed JSON" in capsys.readouterr().err
    assert snapshot(synced) == before


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"WEEK_START": "someday"}, "WEEK_START must be one of"),
        ({"ZONE_PREFERENCE": "run:watts"}, "must be power or hr"),
        ({"ATHLETE_ID": "me"}, "does not look like an Intervals.icu athlete id"),
    ],
)
def test_invalid_settings_exit_2_with_one_line(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    fragment: str,
) -> None:
    empty_config = tmp_path / "c.json"
    empty_config.write_text("{}")
    environment = {
        "SECTION11_CONFIG": str(empty_config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        **env,
    }
    code = main(["--output-dir", str(tmp_path / "o")], env=environment, clock=FixedClock(NOW))
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and fragment in err[0]
    assert len(fake_api.requests) == 0  # nothing fetched with bad settings


def test_week_start_aligns_weeks(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    out = tmp_path / "sun"
    assert run_cli(["--output-dir", str(out), "--week-start", "sun"], fake_api, tmp_path) == 0
    weeks = load(out)["weekly_summary"]["weeks"]
    assert weeks and all(date.fromisoformat(w["week_start"]).weekday() == 6 for w in weeks)
    history_weeks = load(out, "history.json")["weekly_180d"]
    assert all(date.fromisoformat(w["week_start"]).weekday() == 6 for w in history_weeks)


def test_zone_preference_switches_basis(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    power = tmp_path / "power"
    hr = tmp_path / "hr"
    assert run_cli(["--output-dir", str(power)], fake_api, tmp_path) == 0
    assert (
        run_cli(
            ["--output-dir", str(hr)], fake_api, tmp_path, env={"ZONE_PREFERENCE": "cycling:hr"}
        )
        == 0
    )
    tid_power = load(power)["derived_metrics"]["seiler_tid_28d_primary"]
    tid_hr = load(hr)["derived_metrics"]["seiler_tid_28d_primary"]
    assert tid_power["sport"] == tid_hr["sport"] == "cycling"
    assert tid_power["zone_basis"] == "power"
    assert tid_hr["zone_basis"] == "hr"


def test_unreadable_ftp_history_is_moved_aside_and_run_fails(
    synced: Path, fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (synced / "ftp_history.json").write_text("{not json")
    before = snapshot(synced)
    capsys.readouterr()
    assert run_cli(["--output-dir", str(synced)], fake_api, tmp_path) == 1
    assert "moved to" in capsys.readouterr().err
    moved = list(synced.glob("ftp_history.json.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_text() == "{not json"
    after = snapshot(synced)
    del before["ftp_history.json"]
    assert {k: v for k, v in after.items() if not k.startswith("ftp_history.json")} == before


def test_output_file_puts_everything_beside_it(
    fake_api: FakeIntervalsServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "data" / "today.json"
    assert run_cli(["--output", str(target)], fake_api, tmp_path) == 0
    names = {p.name for p in target.parent.iterdir()}
    assert {
        "today.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
    } <= names
    assert not (tmp_path / "history.json").exists()


def test_rerun_with_nothing_new_makes_at_most_five_requests(
    synced: Path, fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    fake_api.reset_log()
    assert run_cli(["--output-dir", str(synced)], fake_api, tmp_path) == 0
    assert len(fake_api.requests) <= 5, [r.path for r in fake_api.requests]


def test_demo_flag_runs_the_real_code_path(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert run_cli(["--demo", "--output-dir", str(out), "--quiet"], None, tmp_path) == 0
    latest = load(out)
    assert latest["recent_activities"]
    assert latest["metadata"]["athlete_id"] == "REDACTED"


def test_entry_points_run_as_subprocesses(tmp_path: Path) -> None:
    env = {
        "SECTION11_NOW": NOW.isoformat(),
        "SECTION11_CONFIG": str(tmp_path / "c.json"),
        "PATH": "",
    }
    (tmp_path / "c.json").write_text("{}")
    version = subprocess.run(
        [sys.executable, "-m", "section11", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("section11 ")
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "sync.py"),
            "--demo",
            "--quiet",
            "--output-dir",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "latest.json").exists()
    missing = subprocess.run(
        [sys.executable, str(REPO / "sync.py"), "--output-dir", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "missing INTERVALS_KEY" in missing.stderr and "ATHLETE_ID is optional" in missing.stderr
