"""Command-line behaviour not covered by the sync end-to-end tests."""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

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
    # This very process holds the lock: alive, same host.
    lock.write_text(json.dumps({"pid": os.getpid(), "hostname": socket.gethostname()}))
    args = ["--output-dir", str(tmp_path / "out"), "--lockfile", str(lock)]
    assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert "another sync" in capsys.readouterr().err.lower()
    assert fake_api.requests == []
    assert not (tmp_path / "out" / "latest.json").exists()


def test_lock_is_taken_and_released(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--output-dir", str(out), "--lockfile", "--quiet"]
    assert main(args, env=_env(tmp_path, fake_api), clock=FixedClock(NOW)) == 0
    assert (out / "latest.json").exists()
    assert not (out / ".section11" / "sync.lock").exists()


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
