"""Local sync as the scheduler templates run it (``--lockfile --log-file --quiet``): stale
locks, errors in the log file, standing warnings once a day, the Python version line, and
the templates themselves."""

from __future__ import annotations

import configparser
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def _env(tmp_path: Path, api: FakeIntervalsServer, **extra: str) -> dict[str, str]:
    config = tmp_path / "config.json"
    config.write_text("{}")
    return {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": api.base_url,
        **extra,
    }


def _scheduled_args(out: Path, log_file: Path) -> list[str]:
    """What every scheduler template passes."""
    return ["--output-dir", str(out), "--lockfile", "--log-file", str(log_file), "--quiet"]


@pytest.fixture
def unrelated_process() -> Iterator[int]:
    """A live process that has nothing to do with section11 (its pid is reused)."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        yield child.pid
    finally:
        child.kill()
        child.wait()


def test_a_stale_lock_naming_a_live_unrelated_process_does_not_stop_a_sync(
    fake_api: FakeIntervalsServer, tmp_path: Path, unrelated_process: int
) -> None:
    out = tmp_path / "out"
    lock = out / ".section11" / "sync.lock"
    lock.parent.mkdir(parents=True)
    # Left by a sync that died; after a reboot its pid belongs to another live process.
    stale = {"pid": unrelated_process, "hostname": socket.gethostname(), "started": "x"}
    lock.write_text(json.dumps(stale))
    log_file = tmp_path / "sync.log"
    code = main(_scheduled_args(out, log_file), env=_env(tmp_path, fake_api), clock=FixedClock(NOW))
    assert code == 0
    assert (out / "latest.json").is_file()
    assert "another sync is running" not in log_file.read_text()


def test_an_authentication_error_appears_in_the_log_file(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "sync.log"
    env = _env(tmp_path, fake_api, INTERVALS_KEY="wrong-key-0123456789")
    code = main(_scheduled_args(tmp_path / "out", log_file), env=env, clock=FixedClock(NOW))
    assert code == 3
    logged = log_file.read_text()
    errors = [line for line in logged.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "refused the credentials (HTTP 401)" in errors[0]
    assert "wrong-key-0123456789" not in logged
    assert "refused the credentials" in capsys.readouterr().err  # and on stderr, as before


def test_a_usage_error_appears_in_the_log_file(tmp_path: Path) -> None:
    # Even a mistyped flag: under pythonw.exe the log file is the only trail.
    log_file = tmp_path / "sync.log"
    assert main(["--log-file", str(log_file), "--dayz", "3"], env={}) == 2
    assert "unrecognized arguments: --dayz 3" in log_file.read_text()


def test_a_standing_warning_reaches_the_quiet_console_once_a_day(
    fake_api: FakeIntervalsServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, log_file = tmp_path / "out", tmp_path / "sync.log"
    env = _env(tmp_path, fake_api)

    def run(now: datetime) -> str:
        assert main(_scheduled_args(out, log_file), env=env, clock=FixedClock(now)) == 0
        return capsys.readouterr().err

    assert "came from Strava" in run(NOW)  # the demo athlete has Strava-only activities
    assert run(NOW + timedelta(minutes=15)) == ""  # still true, already mailed today
    assert run(NOW + timedelta(hours=23, minutes=45)) == ""
    assert "came from Strava" in run(NOW + timedelta(days=1))  # a day later: once more
    # The log file has it on every run: 4 runs, 4 lines.
    assert log_file.read_text().count("came from Strava") == 4


def test_sync_py_on_an_old_python_says_what_is_needed_in_one_line(tmp_path: Path) -> None:
    # Pretend to be Python 3.10 (what Ubuntu 22.04 ships) before sync.py runs.
    code = (
        "import runpy, sys; sys.version_info = (3, 10, 12, 'final', 0); "
        f"sys.argv = ['sync.py', '--version']; runpy.run_path({str(REPO / 'sync.py')!r}, "
        "run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "Python 3.11 or newer is needed; this is Python 3.10" in lines[0]
    assert done.stdout == ""


def test_python_m_section11_on_an_old_python_says_what_is_needed_in_one_line() -> None:
    code = (
        "import runpy, sys; sys.version_info = (3, 9, 18, 'final', 0); "
        "sys.argv = ['section11', '--version']; runpy.run_module('section11', run_name='__main__')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "section11: error: Python 3.11 or newer is needed; this is Python 3.9. "
        "Install a newer Python (python.org) and run section11 with it"
    ]


def test_sync_py_on_a_current_python_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "sync.py"), "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("section11 ")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((REPO / "examples" / "schedulers" / name).read_text())
    return parser


def test_the_systemd_timer_is_persistent_on_a_calendar() -> None:
    timer = _unit("section11-sync.timer")["Timer"]
    # Persistent= only has an effect with OnCalendar= (systemd.timer(5)).
    assert timer.get("Persistent") == "true"
    assert timer.get("OnCalendar") == "*:0/15"


def test_the_user_service_does_not_wait_for_a_system_target() -> None:
    unit = _unit("section11-sync.service")["Unit"]
    assert "network-online.target" not in (unit.get("Wants", "") + unit.get("After", ""))


@pytest.mark.parametrize(
    "name",
    ["crontab.txt", "section11-sync.service", "com.section11.sync.plist", "register-task.ps1"],
)
def test_every_scheduler_template_locks_logs_to_a_file_and_is_quiet(name: str) -> None:
    text = (REPO / "examples" / "schedulers" / name).read_text()
    for flag in ("--lockfile", "--log-file", "--quiet"):
        assert flag in text


def test_an_unreadable_warning_state_shows_every_warning(tmp_path: Path) -> None:
    from section11.warning_digest import split_repeats

    state = tmp_path / "quiet-warnings.json"
    state.write_text("{not json")
    assert split_repeats(state, ["a", "b", "a"], NOW) == (["a", "b"], [])
    # Recorded now: 23 h 59 min later both are repeats, 24 h later both show again.
    assert split_repeats(state, ["a", "b"], NOW + timedelta(hours=23, minutes=59)) == (
        [],
        ["a", "b"],
    )
    assert split_repeats(state, ["a"], NOW + timedelta(hours=24)) == (["a"], [])
    # "b" was not current in the last run, so it was forgotten: shown again at once.
    assert split_repeats(state, ["b"], NOW + timedelta(hours=24, minutes=15)) == (["b"], [])
