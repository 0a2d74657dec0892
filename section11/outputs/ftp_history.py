"""ftp_history.json: the append-only record of the athlete's cycling FTP settings.

The file is the only place FTP changes are remembered (the API only knows today's value),
so it is never rebuilt from a partial read: a file we cannot read is moved aside and the
run stops with a clear message instead of starting a fresh, empty history over it.

Accepted on disk:
- the current format ``{"schema_version": 1, "indoor": {...}, "outdoor": {...}}``;
- the reference format ``{"indoor": {...}, "outdoor": {...}}`` (no schema_version);
- the legacy flat format ``{"YYYY-MM-DD": ftp, ...}``, read as outdoor values.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from section11.errors import DataFileError
from section11.sources.intervals_icu.models import Athlete
from section11.store import move_aside, read_json

FTP_HISTORY_FILENAME = "ftp_history.json"


class FtpHistory(BaseModel):
    """FTP values keyed by the local date they were first seen ("YYYY-MM-DD"), sorted."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1] = 1
    indoor: dict[str, int] = {}
    outdoor: dict[str, int] = {}

    @field_validator("indoor", "outdoor")
    @classmethod
    def _dated_and_sorted(cls, series: dict[str, int]) -> dict[str, int]:
        for key, value in series.items():
            try:
                date.fromisoformat(key)
            except ValueError:
                raise ValueError(f"{key!r} is not a YYYY-MM-DD date") from None
            if value <= 0:
                raise ValueError(f"FTP on {key} must be positive (got {value})")
        return dict(sorted(series.items()))


def load_ftp_history(path: Path, now_utc: datetime) -> FtpHistory:
    """Read ftp_history.json; missing -> empty. Unreadable -> moved aside + DataFileError."""
    loaded = read_json(path)
    if loaded.status == "missing":
        return FtpHistory()
    problem = loaded.error if loaded.status == "corrupt" else _problem_with(loaded.data)
    if problem is None:
        return _parse(loaded.data)
    moved_to = move_aside(path, now_utc)
    raise DataFileError(
        f"{path.name} could not be read ({problem}); it was moved to {moved_to} "
        "— restore or fix it, then run again"
    )


def update_ftp_history(
    history: FtpHistory, athlete: Athlete, today: date
) -> tuple[FtpHistory, bool]:
    """Record today's cycling FTP settings; returns the new history and whether it changed.

    A value is written under ``today`` only when it differs from the newest entry of its
    series; a second change on the same day replaces today's entry. Older entries are
    never touched, and a missing setting (None) never creates an entry.
    """
    # The same cycling entry latest.json reports as current (and the Benchmark Index
    # compares against this history), not merely the first entry listing a cycling type.
    # Imported here: a rerun with nothing new reads this file but never updates it.
    from section11.metrics.thresholds import sport_thresholds

    cycling = sport_thresholds(athlete).get("cycling")
    if cycling is None:
        return history, False
    day = today.isoformat()
    indoor, indoor_changed = _record(history.indoor, cycling.ftp_indoor, day)
    outdoor, outdoor_changed = _record(history.outdoor, cycling.ftp, day)
    if not (indoor_changed or outdoor_changed):
        return history, False
    return FtpHistory(indoor=indoor, outdoor=outdoor), True


def _record(series: dict[str, int], value: int | None, day: str) -> tuple[dict[str, int], bool]:
    if value is None or value <= 0:
        return series, False
    older = {key: ftp for key, ftp in series.items() if key < day}
    if day in series:
        # Today's entry may be replaced; what counts as "the previous value" is the one
        # before today, so changing back to it the same day removes today's entry.
        if series[day] == value:
            return series, False
        updated = dict(older)
        if not older or older[max(older)] != value:
            updated[day] = value
        updated.update({key: ftp for key, ftp in series.items() if key > day})
        return updated, True
    if series and series[max(series)] == value:
        return series, False
    return {**series, day: value}, True


def _problem_with(data: Any) -> str | None:
    try:
        _parse(data)
    except (ValidationError, ValueError, TypeError) as exc:
        return _one_line(exc)
    return None


def _parse(data: Any) -> FtpHistory:
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object, found {type(data).__name__}")
    if "indoor" in data or "outdoor" in data or "schema_version" in data:
        # The reference format has no schema_version; a present one must be ours (1).
        return FtpHistory.model_validate({"schema_version": 1, **data})
    # Legacy flat format: every key is a date, every value the (outdoor) FTP.
    return FtpHistory.model_validate({"outdoor": data})


def _one_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        return f"{where}: {first['msg']}"
    return str(exc).splitlines()[0]
