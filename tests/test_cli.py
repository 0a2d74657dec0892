"""Command-line behaviour not covered by the sync end-to-end tests."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.lock import SyncLock

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _env(tmp_path: Path, fake_api: FakeIntervalsServer) -> dict[str, str]:
    config = tmp_path / "config.json"
    config.write_text("{}")
    return {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }


def test_a_live_lock_skips_the_run_with_exit_0(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "sync.lock"
    # Another sync (here a lock taken in this process) started 20 minutes earlier.
    with SyncLock(lock, now=NOW - timedelta(minutes=20)):
        args = ["--output-dir", str(tmp_path / "out"), "--lockfile", str(lock)]
        assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert "another sync is running" in capsys.readouterr().err
    assert fake_api.requests == []
    assert not (tmp_path / "out" / "latest.json").exists()


def test_lock_is_taken_and_released(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--output-dir", str(out), "--lockfile", "--quiet"]
    assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert (out / "latest.json").exists()
    with SyncLock(out / ".section11" / "sync.lock") as again:  # free again
        assert again.held


def test_unknown_flag_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--dayz", "3"], env={}) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unrecognized arguments: --dayz" in err[0]


def test_errors_become_annotations_in_github_actions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "c.json"
    config.write_text("{}")
    env = {"SECTION11_CONFIG": str(config), "GITHUB_ACTIONS": "true", "WEEK_START": "x"}
    assert main(["--output-dir", str(tmp_path)], env=env) == 2
    assert capsys.readouterr().out.startswith("::error::WEEK_START must be one of")


@pytest.mark.parametrize(
    ("command", "folder"),
    [("schemas", "schemas"), ("manifest", "."), ("examples", "examples/output")],
)
def test_maintenance_checks_pass_on_the_committed_files(
    command: str, folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    assert main([command, "--check"]) == 0


def test_maintenance_command_needs_a_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schemas"]) == 2
    assert "one of the arguments --generate --check is required" in capsys.readouterr().err


def _one_error(err: str) -> str:
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("section11: error")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("where", ["below_a_file", "a_folder"])
def test_an_unusable_log_file_is_a_config_error(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    blocker = tmp_path / "blocker"
    if where == "below_a_file":
        blocker.write_text("x")
        log_file = blocker / "sync.log"
    else:
        blocker.mkdir()
        log_file = blocker
    args = ["--output-dir", str(tmp_path / "out"), "--log-file", str(log_file)]
    assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 2
    assert "cannot write the log file" in _one_error(capsys.readouterr().err)
    assert fake_api.requests == []


def test_an_unusable_lockfile_is_a_config_error(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    args = ["--output-dir", str(tmp_path / "out"), "--lockfile", str(blocker / "sync.lock")]
    assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 2
    line = _one_error(capsys.readouterr().err)
    assert "cannot use the lock file" in line and "a part of its path is a file" in line
    assert fake_api.requests == []


def test_output_pointing_at_a_folder_fails_before_any_request(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # It used to fetch everything, write the other files and then fail on the rename.
    folder = tmp_path / "latest.json"
    folder.mkdir()
    assert main(["--output", str(folder)], env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 2
    assert "is a folder; use --output-dir" in _one_error(capsys.readouterr().err)
    assert fake_api.requests == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "latest.json"]


def test_a_failed_write_is_one_clear_line(
    fake_api: FakeIntervalsServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import section11.store as store

    real_write = store._write_temp

    def disk_full_for_latest(path: Path, payload: bytes, *, owner_only: bool) -> str:
        if path.name == "latest.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write(path, payload, owner_only=owner_only)

    monkeypatch.setattr(store, "_write_temp", disk_full_for_latest)
    out = tmp_path / "out"
    assert (
        main(["--output-dir", str(out)], env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 1
    )
    line = _one_error(capsys.readouterr().err)
    assert "cannot write" in line and "latest.json" in line and "No space left" in line
    assert "unexpected" not in line


def test_a_corrupt_file_is_reported_once(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    env = _env(tmp_path, fake_api)
    assert main(["--output-dir", str(out), "--quiet"], env=env, clock=FixedClock(NOW)) == 0
    (out / "intervals.json").write_text("{broken")
    capsys.readouterr()
    assert main(["--output-dir", str(out), "--quiet"], env=env, clock=FixedClock(NOW)) == 0
    err = capsys.readouterr().err
    assert err.count("intervals.json is not valid JSON") == 1
    assert len(list(out.glob("intervals.json.corrupt-*"))) == 1


def test_nan_from_the_api_syncs_as_null(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Python's json accepts NaN; it once ended the run with "unexpected AttributeError".
    for day in fake_api.athlete.wellness[-10:]:
        day["ctl"], day["restingHR"], day["hrv"] = float("nan"), float("inf"), float("nan")
    out = tmp_path / "out"
    assert (
        main(["--output-dir", str(out)], env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    )
    assert "error" not in capsys.readouterr().err
    json.loads((out / "latest.json").read_text("utf-8"))  # strict JSON, no NaN


def test_a_skipped_run_is_logged_with_how_long_the_holder_has_run(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = tmp_path / "sync.lock"
    log_file = tmp_path / "sync.log"
    args = ["--output-dir", str(tmp_path / "out"), "--lockfile", str(lock), "--quiet"]
    args += ["--log-file", str(log_file)]
    # 20 minutes: a slow run, normal. Nothing on the console (cron mail), a line in the log.
    with SyncLock(lock, now=NOW - timedelta(minutes=20)):
        assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert capsys.readouterr().err == ""
    assert "another sync is running" in log_file.read_text()
    assert "running for 20 min" in log_file.read_text()
    # 3 h 10 min: stuck, so it is a warning that --quiet lets through.
    with SyncLock(lock, now=NOW - timedelta(hours=3, minutes=10)):
        assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert "running for 3 h 10 min" in capsys.readouterr().err
    assert fake_api.requests == []
