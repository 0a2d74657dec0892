"""An operating-system lock so that two syncs never run at the same time on one data folder.

The lock is held with ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows) on an open
lockfile. The kernel drops it when the holding process ends, however it ends (crash,
kill, reboot, a container that went away): a dead process never holds the lock, and the
file's content never decides anything. A lockfile left behind by the old pid-file scheme,
naming a process id that was since reused, is therefore harmless.

While held, the file names the holder (``{"pid", "hostname", "started"}``) so that a run
that finds the lock taken can say who holds it and for how long. The file is not deleted
on release: deleting a lockfile that another process has just opened would let two
processes lock two different files.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from section11.errors import ConfigError, Section11Error

__all__ = ["LockHeldError", "LockInfo", "SyncLock", "format_duration"]

log = logging.getLogger(__name__)

# Windows locks byte ranges and refuses reads of a locked range: lock one byte far past
# the holder information so that the information stays readable.
_WINDOWS_LOCK_OFFSET = 1 << 20


class LockHeldError(Section11Error):
    """Another sync holds the lock; this run did nothing.

    Exit code 0 on purpose: schedulers start a sync every few minutes, so overlapping a
    slow run is normal, not a failure. A non-zero code would make cron, launchd, systemd
    and Actions report errors (and send emails) for a situation that needs no action.
    ``held_seconds`` is how long the holder has been running (None if unknown).
    """

    exit_code = 0

    def __init__(self, message: str, *, held_seconds: float | None = None) -> None:
        super().__init__(message)
        self.held_seconds = held_seconds


@dataclass(frozen=True)
class LockInfo:
    pid: int | None
    hostname: str | None
    started: datetime | None

    def running_for(self, now: datetime | None) -> float | None:
        if now is None or self.started is None:
            return None
        return max(0.0, (now - self.started).total_seconds())

    def describe(self, now: datetime | None) -> str:
        who = f"pid {self.pid}" if self.pid is not None else "another process"
        if self.hostname:
            who += f" on {self.hostname}"
        seconds = self.running_for(now)
        if seconds is not None:
            who += f", running for {format_duration(seconds)}"
        return who


def format_duration(seconds: float) -> str:
    """``42 s``, ``12 min``, ``3 h 5 min``, ``2 d 4 h``."""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def _parse(raw: bytes) -> LockInfo | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    pid, host, started = data.get("pid"), data.get("hostname"), data.get("started")
    when: datetime | None = None
    if isinstance(started, str):
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(started.replace("Z", "+00:00"))
        if when is not None and when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    return LockInfo(
        pid if isinstance(pid, int) and not isinstance(pid, bool) else None,
        host if isinstance(host, str) and host else None,
        when,
    )


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock without waiting; False when another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _os_reason(exc: OSError) -> str:
    # mkdir of the parent says "File exists" when a part of the path is a file.
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "a part of its path is a file, not a folder"
    return exc.strerror or str(exc)


class SyncLock:
    """``with SyncLock(path, now=…):`` — raises :class:`LockHeldError` if another sync holds it.

    ``now`` is recorded as the start time (so a skipped run can say how long the holder
    has been running). ``path`` is made absolute at construction, so later changes of the
    working directory do not matter.
    """

    def __init__(self, path: Path, *, now: datetime | None = None) -> None:
        self.path = Path(path).expanduser().absolute()
        self._now = now.astimezone(UTC) if now is not None else None
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _payload(self) -> bytes:
        started = self._now.isoformat().replace("+00:00", "Z") if self._now else None
        data = {"pid": os.getpid(), "hostname": socket.gethostname(), "started": started}
        return (json.dumps(data) + "\n").encode("utf-8")

    def acquire(self) -> None:
        if self._fd is not None:
            raise RuntimeError("SyncLock is not re-entrant")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            # A lock path in a missing/unwritable place, or a folder: a setting to fix.
            raise ConfigError(
                f"cannot use the lock file {self.path}: {_os_reason(exc)}; "
                "pass --lockfile a writable file path"
            ) from None
        try:
            locked = _try_lock(fd)
        except OSError as exc:
            os.close(fd)
            raise ConfigError(
                f"cannot lock {self.path}: {_os_reason(exc)} (the file system may not "
                "support locks); pass --lockfile a path on a local disk"
            ) from None
        if not locked:
            raw = self._read_holder(fd)
            os.close(fd)
            info = _parse(raw) if raw else None
            info = info or LockInfo(None, None, None)
            raise LockHeldError(
                f"another sync is running ({info.describe(self._now)}); this run was skipped",
                held_seconds=info.running_for(self._now),
            )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, self._payload())
        self._fd = fd
        log.debug("lock acquired: %s", self.path)

    @staticmethod
    def _read_holder(fd: int) -> bytes:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            return os.read(fd, 4096)
        except OSError:
            return b""

    def release(self) -> None:
        """Clear the holder information and drop the lock (the file stays)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
