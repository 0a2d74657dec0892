"""SyncLock: exclusive creation, live locks refused, stale locks replaced, release only ours."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.errors import Section11Error
from section11.lock import LockHeldError, SyncLock

NOW = datetime(2026, 11, 21, 10, 15, tzinfo=UTC)


def dead_pid() -> int:
    """The pid of a process that has already exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def write_lock(path: Path, pid: int, hostname: str | None = None) -> None:
    payload = {"pid": pid, "hostname": hostname or socket.gethostname(), "started": "x"}
    path.write_text(json.dumps(payload))


def test_lock_file_is_created_with_pid_host_and_start(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    with SyncLock(path, now=NOW) as lock:
        assert lock.held
        data = json.loads(path.read_text())
        assert data == {
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
            "started": "2026-11-21T10:15:00Z",
        }
    assert not path.exists()


def test_creation_is_exclusive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flags_seen: list[int] = []
    real_open = os.open

    def spy(file: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
        flags_seen.append(flags)
        return real_open(file, flags, mode)

    monkeypatch.setattr(os, "open", spy)
    with SyncLock(tmp_path / "l"):
        pass
    assert flags_seen and flags_seen[0] & os.O_EXCL and flags_seen[0] & os.O_CREAT


def test_live_lock_is_refused_with_exit_code_zero(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    write_lock(path, os.getppid())  # our parent: alive for the whole test
    before = path.read_bytes()
    with pytest.raises(LockHeldError, match="another sync is running") as caught:
        SyncLock(path).acquire()
    assert isinstance(caught.value, Section11Error)
    assert caught.value.exit_code == 0
    assert path.read_bytes() == before  # untouched


def test_second_lock_in_same_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    with SyncLock(path), pytest.raises(LockHeldError):
        SyncLock(path).acquire()
    assert not path.exists()


def test_lock_from_a_dead_process_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    write_lock(path, dead_pid())
    with SyncLock(path):
        assert json.loads(path.read_text())["pid"] == os.getpid()
    assert not path.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no leftovers moved aside


def test_unreadable_lock_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    path.write_text("{not json")
    with SyncLock(path):
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_old_but_live_lock_is_never_stale_by_age(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    path.write_text(
        json.dumps(
            {"pid": os.getppid(), "hostname": socket.gethostname(), "started": "2020-01-01T00:00Z"}
        )
    )
    old = 1_577_836_800  # 2020-01-01: the file looks years old
    os.utime(path, (old, old))
    with pytest.raises(LockHeldError):
        SyncLock(path).acquire()


def test_lock_from_another_host_is_respected(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    write_lock(path, dead_pid(), hostname="other-machine")
    with pytest.raises(LockHeldError, match="other-machine"):
        SyncLock(path).acquire()


def test_release_leaves_a_lock_taken_over_by_someone_else(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    lock = SyncLock(path)
    lock.acquire()
    write_lock(path, os.getppid())  # another process took it over
    lock.release()
    assert json.loads(path.read_text())["pid"] == os.getppid()


def test_release_without_acquire_does_not_delete(tmp_path: Path) -> None:
    path = tmp_path / ".sync.lock"
    write_lock(path, os.getpid())
    SyncLock(path).release()
    assert path.exists()


def test_path_is_absolute_regardless_of_later_chdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    lock = SyncLock(Path(".sync.lock"))
    assert lock.path == tmp_path / ".sync.lock"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    with lock:
        monkeypatch.chdir(elsewhere)
    assert not (tmp_path / ".sync.lock").exists()


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


def test_processes_racing_for_a_stale_lock_never_overlap(tmp_path: Path) -> None:
    lock_path = tmp_path / ".sync.lock"
    write_lock(lock_path, dead_pid())
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
    assert not lock_path.exists()
