"""Snapshots of latest.json under ``archive/YYYY-MM/`` and their retention.

Layout: ``archive/2026-11/20261121T101500Z.json`` — one folder per UTC month, file names
are the UTC time of the run (ISO-8601 basic format), so a plain name sort is a time sort.
Snapshots written by the reference workflow (``20261121_101500.json``) are recognised
and pruned by the same rules; any other file in ``archive/`` is never touched.

Retention (applied on every publishing run that commits):

1. **Age.** Snapshots older than ``keep_days`` days (by the time in their name, not the
   file's mtime, which a fresh clone resets) are removed. ``keep_days = 0`` keeps none: the
   archive is disabled and existing snapshots are removed.
2. **Folder cap.** GitHub's web UI lists at most 1,000 entries per folder, so a month
   folder is kept at or below :data:`MAX_SNAPSHOTS_PER_FOLDER` (500). When a folder is over
   the cap, snapshots older than 24 hours are thinned to the newest one per UTC hour; if
   it is still over, to the newest one per 2, 3, 4, 6, 12 and finally 24 hours, stopping at
   the first step that fits. Snapshots from the last 24 hours are kept as they are. Only
   if the last 24 hours alone exceed the cap (a schedule faster than every ~3 minutes) are
   the oldest snapshots removed until the folder fits.
3. Month folders left empty are removed.

A symbolic link at ``archive/`` or at a month folder is refused (:class:`PublishError`):
retention deletes files and must never do so outside the repository.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from section11.publish.git import PublishError
from section11.store import write_bytes_atomic

__all__ = [
    "ARCHIVE_DIR",
    "DEFAULT_RETENTION_DAYS",
    "MAX_SNAPSHOTS_PER_FOLDER",
    "apply_retention",
    "refuse_symlinks",
    "snapshot_path",
    "write_snapshot",
]

log = logging.getLogger(__name__)

ARCHIVE_DIR = "archive"
DEFAULT_RETENTION_DAYS = 30
MAX_SNAPSHOTS_PER_FOLDER = 500
# Thinning steps, in hours; each divides 24 so buckets line up with UTC days.
_THINNING_HOURS = (1, 2, 3, 4, 6, 12, 24)
_UNTHINNED_WINDOW = timedelta(hours=24)

_MONTH_DIR = re.compile(r"^\d{4}-\d{2}$")
_NAME_FORMATS = (
    (re.compile(r"^\d{8}T\d{6}Z\.json$"), "%Y%m%dT%H%M%SZ.json"),
    (re.compile(r"^\d{8}_\d{6}\.json$"), "%Y%m%d_%H%M%S.json"),  # reference workflow
)


def _as_utc(now_utc: datetime) -> datetime:
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    return now_utc.astimezone(UTC)


def snapshot_path(repo_dir: Path, now_utc: datetime) -> Path:
    """Where the snapshot of a run at ``now_utc`` goes."""
    now = _as_utc(now_utc)
    return (
        Path(repo_dir) / ARCHIVE_DIR / now.strftime("%Y-%m") / now.strftime("%Y%m%dT%H%M%SZ.json")
    )


def write_snapshot(repo_dir: Path, latest_json_bytes: bytes, now_utc: datetime) -> Path:
    """Write ``latest_json_bytes`` atomically to ``archive/YYYY-MM/<UTC timestamp>.json``."""
    path = snapshot_path(repo_dir, now_utc)
    refuse_symlinks(repo_dir, path.parent.name)
    write_bytes_atomic(path, latest_json_bytes)
    return path


@dataclass(frozen=True)
class _Snapshot:
    path: Path
    taken: datetime


def _parse_name(name: str) -> datetime | None:
    for pattern, fmt in _NAME_FORMATS:
        if pattern.match(name):
            try:
                return datetime.strptime(name, fmt).replace(tzinfo=UTC)
            except ValueError:
                return None
    return None


def refuse_symlinks(repo_dir: Path, month: str | None = None) -> None:
    """Raise when ``archive/``, a month folder in it, or ``month`` is a symbolic link."""
    root = Path(repo_dir) / ARCHIVE_DIR
    linked = [root] if root.is_symlink() else []
    if not linked and root.is_dir():
        linked = [p for p in root.iterdir() if p.is_symlink() and _MONTH_DIR.match(p.name)]
        if month is not None and (root / month).is_symlink() and root / month not in linked:
            linked.append(root / month)
    if linked:
        raise PublishError(
            f"{linked[0]} is a symbolic link; the archive only writes and deletes snapshots "
            "inside the repository: replace the link with a real folder (or remove it)"
        )


def _month_folders(repo_dir: Path) -> list[Path]:
    root = Path(repo_dir) / ARCHIVE_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and _MONTH_DIR.match(p.name))


def _snapshots(folder: Path) -> list[_Snapshot]:
    found = []
    for entry in folder.iterdir():
        if not entry.is_file():
            continue
        taken = _parse_name(entry.name)
        if taken is not None:
            found.append(_Snapshot(entry, taken))
    return sorted(found, key=lambda s: s.taken)


def _newest_per_bucket(snapshots: list[_Snapshot], hours: int) -> list[_Snapshot]:
    width = hours * 3600
    newest: dict[int, _Snapshot] = {}
    for snap in snapshots:  # sorted oldest first, so the last one per bucket wins
        newest[int(snap.taken.timestamp()) // width] = snap
    return sorted(newest.values(), key=lambda s: s.taken)


def _thin(snapshots: list[_Snapshot], now: datetime, cap: int) -> list[_Snapshot]:
    """The snapshots to keep so that at most ``cap`` remain (see the module docstring)."""
    if len(snapshots) <= cap:
        return snapshots
    recent = [s for s in snapshots if now - s.taken < _UNTHINNED_WINDOW]
    older = [s for s in snapshots if now - s.taken >= _UNTHINNED_WINDOW]
    kept_older = older
    for hours in _THINNING_HOURS:
        kept_older = _newest_per_bucket(older, hours)
        if len(kept_older) + len(recent) <= cap:
            return kept_older + recent
    kept = kept_older + recent
    return kept[len(kept) - cap :] if cap > 0 else []


def apply_retention(
    repo_dir: Path,
    keep_days: int,
    now_utc: datetime,
    *,
    max_per_folder: int = MAX_SNAPSHOTS_PER_FOLDER,
) -> list[Path]:
    """Remove snapshots outside the retention rules; returns the removed paths (oldest first).

    See the module docstring for the rules. ``keep_days`` must be >= 0.
    """
    if keep_days < 0:
        raise ValueError("keep_days must be 0 (archive disabled) or a positive number of days")
    refuse_symlinks(repo_dir)
    now = _as_utc(now_utc)
    cutoff = now - timedelta(days=keep_days)
    removed: list[Path] = []
    for folder in _month_folders(repo_dir):
        snapshots = _snapshots(folder)
        if keep_days == 0:
            keep: list[_Snapshot] = []
        else:
            keep = _thin([s for s in snapshots if s.taken >= cutoff], now, max_per_folder)
        kept_paths = {s.path for s in keep}
        for snap in snapshots:
            if snap.path not in kept_paths:
                snap.path.unlink(missing_ok=True)
                removed.append(snap.path)
        try:
            next(folder.iterdir())
        except StopIteration:
            folder.rmdir()
    if removed:
        log.info("archive: removed %d snapshot(s) outside the retention rules", len(removed))
    return sorted(removed, key=lambda p: (p.parent.name, p.name))
