"""What the last full build was made from, so that a rerun with nothing new stops early.

A run always makes its core requests (athlete, activities, wellness, calendar, health
markers). Everything after them — per-activity detail, history, the metrics, the privacy
pass, writing and the dashboard — is a pure function of those answers, the athlete's date,
the settings, the code and the files and caches already on disk. So when all of these are
the same as for the last full build, the build would write the same data again; the run
leaves the files as they are and ends there.

The record (``.section11/last-build.json``) holds digests, not data:

- ``inputs``: the core answers as the models read them (fields we do not read are ignored),
  the athlete's date, the settings (credentials and console options left out) and the code
  (version plus the content of every module, so a changed install builds again);
- ``files``: the SHA-256 of every file the build wrote; a file edited, deleted or restored
  by hand makes the next run build again;
- ``recheck_at``: the earliest time a build could come out differently with the same
  inputs (an interval analysis still pending, a route download waiting for its retry).

A build is recorded only when it was clean: no request failed and no part was left for the
next run. Otherwise the next run builds again, and nothing is skipped. What skipping means
for the files: ``metadata.last_updated`` is the time of the last build, which is at most a
day old while the sync runs (a new athlete date always builds).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from section11 import __version__
from section11.store import read_json, sha256_file, write_bytes_atomic

if TYPE_CHECKING:
    from section11.config import Settings
    from section11.sources.intervals_icu.fetch import CoreData

log = logging.getLogger(__name__)

RECORD_FILE = "last-build.json"
RECORD_VERSION = 1

# Settings that change what the console shows or where a run publishes, never what the
# files hold: a change of them alone does not need a build.
_RUNTIME_ONLY_SETTINGS: dict[str, Any] = {
    "intervals_key": None,  # a credential never enters a digest
    "output_dir": Path("."),  # where the files are is not what they hold
    "debug": False,
    "quiet": False,
    "publish": False,
    "lockfile": None,
    "log_file": None,
    "archive_days": 0,
    "template_repo": None,
    "config_path": None,
    "allow_public_repo": False,
}


@dataclass(frozen=True)
class BuildRecord:
    inputs: str
    today: date
    built_at: datetime
    recheck_at: datetime | None
    files: dict[str, str]  # path relative to the output folder -> SHA-256
    sizes: dict[str, int]  # output files of the run summary (name -> bytes)

    def to_json(self) -> dict[str, Any]:
        return {
            "record_version": RECORD_VERSION,
            "inputs": self.inputs,
            "today": self.today.isoformat(),
            "built_at": self.built_at.isoformat(),
            "recheck_at": self.recheck_at.isoformat() if self.recheck_at else None,
            "files": dict(sorted(self.files.items())),
            "sizes": dict(sorted(self.sizes.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> BuildRecord | None:
        """The record, or None when it is not one this code wrote (then the run builds)."""
        if not isinstance(data, dict) or data.get("record_version") != RECORD_VERSION:
            return None
        try:
            files, sizes = data["files"], data["sizes"]
            if not _str_map(files, str) or not _str_map(sizes, int):
                return None
            recheck = data["recheck_at"]
            return cls(
                inputs=str(data["inputs"]),
                today=date.fromisoformat(data["today"]),
                built_at=datetime.fromisoformat(data["built_at"]),
                recheck_at=datetime.fromisoformat(recheck) if recheck is not None else None,
                files=dict(files),
                sizes=dict(sizes),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _str_map(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, kind) and not isinstance(v, bool)
        for k, v in value.items()
    )


# ------------------------------------------------------------------------------ digests


def inputs_digest(settings: Settings, core: CoreData) -> str:
    """One digest of everything a build reads besides the files on disk."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}\n{code_digest()}\n".encode())
    digest.update(settings_digest(settings).encode())
    digest.update(f"\n{core.today.isoformat()}\n".encode())
    digest.update(_model_json(core.athlete))
    for records in (core.activities, core.wellness, core.events, core.health_events):
        digest.update(b"\n[")
        if records is None:
            digest.update(b"missing")
        else:
            for record in records:
                digest.update(_model_json(record))
                digest.update(b",")
    return digest.hexdigest()


def settings_digest(settings: Settings) -> str:
    """The settings that shape the files (credentials and console options left out)."""
    shaping = replace(
        settings,
        **{
            f.name: _RUNTIME_ONLY_SETTINGS[f.name]
            for f in fields(settings)
            if f.name in _RUNTIME_ONLY_SETTINGS
        },
    )
    return hashlib.sha256(repr(shaping).encode()).hexdigest()


def code_digest(root: Path | None = None) -> str:
    """The content of every module of the package (about 1 MB, a few milliseconds). Not
    their times: a GitHub Actions checkout gives every file a new one on every run."""
    root = root or Path(__file__).parent
    digest = hashlib.sha256()
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                path = Path(folder, name)
                digest.update(f"{path.relative_to(root).as_posix()}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _model_json(model: BaseModel) -> bytes:
    return model.__pydantic_serializer__.to_json(model)


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file, or None when it cannot be read (missing, say)."""
    try:
        return sha256_file(path)
    except OSError:
        return None


# ------------------------------------------------------------------------------ the record


def load_record(path: Path) -> BuildRecord | None:
    loaded = read_json(path)
    return BuildRecord.from_json(loaded.data) if loaded.status == "ok" else None


def why_build(
    record: BuildRecord | None, inputs: str, today: date, now_utc: datetime, folder: Path
) -> str | None:
    """Why this run must build (for the debug log), or None when the last build stands."""
    if record is None:
        return "no record of a clean previous build"
    if record.today != today:
        return "a new day for the athlete"
    if record.inputs != inputs:
        return "new or changed data, settings or code"
    if record.recheck_at is not None and now_utc >= record.recheck_at:
        return "a pending fetch is due again"
    for name, expected in record.files.items():
        if file_digest(folder / name) != expected:
            return f"{name} is not the file the last build wrote"
    return None


def save_record(
    path: Path,
    *,
    inputs: str,
    today: date,
    now_utc: datetime,
    recheck_at: datetime | None,
    written: Mapping[Path, bytes],
    folder: Path,
    sizes: Mapping[str, int],
) -> None:
    """Record a clean build: the digest of every file it wrote, by its path in ``folder``."""
    files = {
        p.relative_to(folder).as_posix(): hashlib.sha256(payload).hexdigest()
        for p, payload in written.items()
    }
    _write(path, BuildRecord(inputs, today, now_utc, recheck_at, files, dict(sizes)))


def _write(path: Path, record: BuildRecord) -> None:
    """Run state: readable by the owner only, like the rest of ``.section11/``."""
    text = json.dumps(record.to_json(), indent=1, ensure_ascii=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"), owner_only=True)


def forget_record(path: Path) -> None:
    """A build that was not clean: the next run must build again."""
    path.unlink(missing_ok=True)


def refresh_file_digests(path: Path, folder: Path) -> None:
    """While publishing: files whose only change was a run timestamp are put back to the
    committed version, which holds the same data; record those bytes as the build's (before
    the record itself is committed: a GitHub Actions run starts from that commit)."""
    record = load_record(path)
    if record is None:
        return
    files = {name: file_digest(folder / name) for name in record.files}
    if any(value is None for value in files.values()):
        forget_record(path)
        return
    refreshed = replace(record, files={k: v for k, v in files.items() if v is not None})
    if refreshed != record:
        _write(path, refreshed)


def earliest(times: Iterable[datetime | None]) -> datetime | None:
    present = [t for t in times if t is not None]
    return min(present) if present else None
