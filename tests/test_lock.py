"""SyncLock: an operating-system lock. A live holder in another process is refused (and
named, with how long it has run); a dead one never holds it; the file's content never
decides anything."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from section11.errors import ConfigError
from section11.lock import LockHeldError, SyncLock, format_duration

NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)

# A child process that takes the lock (started at the time given), says so, then waits.
_HOLDER = """
import sys, time
from datetime import datetime
from pathlib import Path
from section11.lock import SyncLock
lock = SyncLock(Path(sys.argv[1]), now=datetime.fromisoformat(sys.argv[2]))
lock.acquire()
print("held", flush=True)
time.sleep(120)
"""


def _hold_in_child(path: Path, started: datetime) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), started.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    return child


def test_holder_information_is_written_and_cleared_on_release(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    with SyncLock(path, now=NOW) as lock:
        assert lock.held
        data = json.loads(path.read_text())
        assert data == {
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
            "started": "2026-11-21T10:15:00Z",
        }
    assert not lock.held
    # The file stays (deleting it could let two processes lock two files), emptied.
    assert path.read_bytes() == b""


def test_a_live_holder_in_another_process_is_named_with_its_running_time(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sync.lock"
    child = _hold_in_child(path, NOW - timedelta(minutes=65))
    try:
        with pytest.raises(LockHeldError) as caught, SyncLock(path, now=NOW):
            pass
    finally:
        child.kill()
        child.wait()
    assert caught.value.exit_code == 0  # overlapping a slow run is not a failure
    # 65 min = 1 h 5 min; in seconds 65 * 60 = 3900.
    assert caught.value.held_seconds == 3900
    message = str(caught.value)
    assert f"pid {child.pid}" in message and "running for 1 h 5 min" in message


def test_a_killed_holder_never_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    child = _hold_in_child(path, NOW)
    child.send_signal(signal.SIGKILL)  # no chance to clean up, like a crash or power cut
    child.wait()
    assert json.loads(path.read_text())["pid"] == child.pid  # its note is still there
    with SyncLock(path, now=NOW) as lock:
        assert lock.held


def test_a_pid_file_naming_a_live_unrelated_process_does_not_block(tmp_path: Path) -> None:
    # What the old pid-file lock left behind after a reboot: a pid now used by another
    # live process (here our parent, certainly alive), on this very host.
    path = tmp_path / "sync.lock"
    stale = {"pid": os.getppid(), "hostname": socket.gethostname(), "started": "2026-01-01"}
    path.write_text(json.dumps(stale))
    with SyncLock(path, now=NOW) as lock:
        assert lock.held
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_second_lock_in_the_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    with SyncLock(path, now=NOW), pytest.raises(LockHeldError), SyncLock(path, now=NOW):
        pass
    with SyncLock(path, now=NOW) as again:  # free again after release
        assert again.held


def test_unreadable_holder_information_still_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    with SyncLock(path):
        path.write_bytes(b"\xff garbage")
        with pytest.raises(LockHeldError, match=r"another sync is running \(another process\)"):
            SyncLock(path, now=NOW).acquire()


def test_an_unusable_lock_path_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match="a part of its path is a file"):
        SyncLock(blocker / "sync.lock").acquire()


def test_path_is_absolute_regardless_of_later_chdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lock = SyncLock(Path(".sync.lock"))
    assert lock.path == tmp_path / ".sync.lock"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (42, "42 s"),
        (12 * 60 + 5, "12 min"),
        (3 * 3600 + 5 * 60, "3 h 5 min"),
        (2 * 86400 + 4 * 3600 + 59, "2 d 4 h"),
    ],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


_CONTENDER = """
import os, sys, time
from pathlib import Path
from section11.lock import LockHeldError, SyncLock
lock_path, work = Path(sys.argv[1]), Path(sys.argv[2])
while not (work / "go").exists():
    time.sleep(0.001)
try:
    with SyncLock(lock_path):
        marker = work / f"active-{os.getpid()}"
        marker.touch()
        if len(list(work.glob("active-*"))) != 1:
            (work / f"overlap-{os.getpid()}").touch()
        (work / f"won-{os.getpid()}").touch()
        time.sleep(0.3)
        marker.unlink()
except LockHeldError:
    pass
"""


def test_processes_racing_for_the_lock_never_overlap(tmp_path: Path) -> None:
    lock_path = tmp_path / ".sync.lock"
    work = tmp_path / "work"
    work.mkdir()
    children = [
        subprocess.Popen([sys.executable, "-c", _CONTENDER, str(lock_path), str(work)])
        for _ in range(6)
    ]
    (work / "go").touch()  # release them together
    for child in children:
        assert child.wait(timeout=30) == 0
    assert list(work.glob("overlap-*")) == []
    assert len(list(work.glob("won-*"))) >= 1
