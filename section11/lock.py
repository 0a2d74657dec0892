"""A lockfile so that two syncs never run at the same time on one data folder.

The lock is a small JSON file ``{"pid": …, "hostname": …, "started": …}`` created with
``O_CREAT | O_EXCL`` — the operating system guarantees only one process creates it.

An existing lock is *stale* only when

- its content cannot be read as such a JSON object (checked twice, a moment apart, so a
  lock that another process has just created but not yet filled in is not mistaken for a
  broken one), or
- it was written on this host and its process no longer exists.

A live process keeps its lock however long it runs — a first sync that rebuilds years of
history is slow, not dead. A lock written on another host (a data folder shared through a
cloud drive) cannot be checked and is respected; the message says which host holds it.

A stale lock is moved aside with an atomic rename, re-checked, deleted, and the exclusive
create is retried — so two processes that both find the same stale lock cannot both
win. Release deletes the file only if it still holds our pid and host.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from section11.errors import ConfigError, Section11Error

__all__ = ["LockHeldError", "LockInfo", "SyncLock"]

log = logging.getLogger(__name__)

_ATTEMPTS = 5
_UNREADABLE_RECHECK_SECONDS = 0.2


class LockHeldError(Section11Error):
    """Another sync holds the lock; this run did nothing.

    Exit code 0 on purpose: schedulers start a sync every minute, so overlapping a slow
    run is normal, not a failure. A non-zero code would make cron, launchd, systemd and
    Actions report errors (and send emails) for a situation that needs no action. The CLI
    prints the message as one info line.
    """

    exit_code = 0


@dataclass(frozen=True)
class LockInfo:
    pid: int
    hostname: str
    started: str | None

    def describe(self) -> str:
        since = f", started {self.started}" if self.started else ""
        return f"pid {self.pid} on {self.hostname}{since}"


def _hostname() -> str:
    return socket.gethostname() or "unknown-host"


def _parse(raw: bytes) -> LockInfo | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    pid, host, started = data.get("pid"), data.get("hostname"), data.get("started")
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return None
    if not isinstance(host, str) or not host:
        return None
    return LockInfo(pid, host, started if isinstance(started, str) else None)


def _pid_alive(pid: int) -> bool:
    """Whether a process with ``pid`` exists on this machine."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by another user
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


if sys.platform == "win32":  # pragma: no cover

    def _pid_alive_windows(pid: int) -> bool:
        # os.kill(pid, 0) would *terminate* the process on Windows; ask the kernel instead.
        import ctypes

        process_query_limited_information = 0x1000
        still_active = 259
        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
        if not handle:
            # Access denied means it exists; anything else means it is gone.
            return bool(kernel32.GetLastError() == 5)
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == still_active
        finally:
            kernel32.CloseHandle(handle)


def _os_reason(exc: OSError) -> str:
    # mkdir of the parent says "File exists" when a part of the path is a file.
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "a part of its path is a file, not a folder"
    return exc.strerror or str(exc)


class SyncLock:
    """``with SyncLock(path, now=…):`` — raises :class:`LockHeldError` if a live sync holds it.

    ``now`` is written as the ``started`` field (informational; staleness never depends on
    age). ``path`` is made absolute at construction, so later changes of the working
    directory do not matter.
    """

    def __init__(self, path: Path, *, now: datetime | None = None) -> None:
        self.path = Path(path).expanduser().absolute()
        self._started = now.astimezone(UTC).isoformat().replace("+00:00", "Z") if now else None
        self._pid = os.getpid()
        self._host = _hostname()
        self._held = False

    @property
    def held(self) -> bool:
        return self._held

    def _payload(self) -> bytes:
        data = {"pid": self._pid, "hostname": self._host, "started": self._started}
        return (json.dumps(data) + "\n").encode("utf-8")

    def _try_create(self) -> bool:
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, self._payload())
            os.fsync(fd)
        finally:
            os.close(fd)
        return True

    def _read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def _stale_reason(self, raw: bytes) -> tuple[str | None, LockInfo | None]:
        """(why it is stale, parsed info) — reason None means the holder is alive."""
        info = _parse(raw)
        if info is None:
            return "its content is unreadable", None
        if info.hostname != self._host:
            return None, info
        if not _pid_alive(info.pid):
            return f"process {info.pid} no longer exists", info
        return None, info

    def _remove_if_unchanged(self, raw: bytes) -> bool:
        """Atomically take the stale lock out of the way; False if someone changed it first."""
        aside = self.path.with_name(f"{self.path.name}.stale-{self._pid}-{secrets.token_hex(4)}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return True  # someone else removed it; just retry the create
        try:
            if aside.read_bytes() == raw:
                return True
            # Between our read and the rename another process replaced the stale lock with
            # its own live one: put it back (without clobbering a newer file) and give way.
            try:
                os.link(aside, self.path)
            except FileExistsError:
                pass
            except OSError:
                if not self.path.exists():
                    os.replace(aside, self.path)
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                aside.unlink()

    def acquire(self) -> None:
        if self._held:
            raise RuntimeError("SyncLock is not re-entrant")
        try:
            self._acquire()
        except OSError as exc:
            # A lock path in a missing/unwritable place, or a folder: a setting to fix.
            raise ConfigError(
                f"cannot use the lock file {self.path}: {_os_reason(exc)}; "
                "pass --lockfile a writable file path"
            ) from None

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(_ATTEMPTS):
            if self._try_create():
                self._held = True
                log.debug("lock acquired: %s", self.path)
                return
            raw = self._read()
            if raw is None:
                continue  # released between our create and read
            reason, info = self._stale_reason(raw)
            if reason is not None and _parse(raw) is None:
                # Possibly a lock being created right now: look again before judging.
                time.sleep(_UNREADABLE_RECHECK_SECONDS)
                again = self._read()
                if again is None:
                    continue
                if again != raw:
                    raw = again
                    reason, info = self._stale_reason(raw)
            if reason is None:
                assert info is not None
                raise LockHeldError(
                    f"another sync is running ({info.describe()}); nothing was done. "
                    f"If no sync is running, delete {self.path}"
                )
            log.info("replacing stale lock %s: %s", self.path, reason)
            if not self._remove_if_unchanged(raw):
                continue
        raise LockHeldError(
            f"could not take the lock {self.path} (it kept changing); another sync is "
            "probably starting; nothing was done"
        )

    def release(self) -> None:
        """Delete the lockfile if it is still ours."""
        if not self._held:
            return
        self._held = False
        raw = self._read()
        if raw is None:
            return
        info = _parse(raw)
        if info is not None and info.pid == self._pid and info.hostname == self._host:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
        else:
            log.warning("lock %s was taken over by another process; leaving it", self.path)

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
