"""With ``--quiet`` (every scheduler template), a standing warning reaches the console —
and so cron mail — once a day, not on every run.

A warning that is still true hours later (e.g. "2 activities came from Strava") would
otherwise be mailed every 15 minutes. Which warnings were shown when is kept in a small
state file; a warning shown less than a day ago is written to the log file only. A
changed text counts as a new warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from section11.store import write_bytes_atomic

__all__ = ["REPEAT_INTERVAL", "split_repeats"]

REPEAT_INTERVAL = timedelta(days=1)


def _key(warning: str) -> str:
    return hashlib.sha256(warning.encode("utf-8")).hexdigest()[:16]


def _load(path: Path) -> dict[str, datetime]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    shown: dict[str, datetime] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            try:
                shown[str(key)] = datetime.fromisoformat(str(value))
            except ValueError:
                continue
    return shown


def split_repeats(
    state_path: Path, warnings: Sequence[str], now_utc: datetime
) -> tuple[list[str], list[str]]:
    """(warnings to show now, warnings already shown within a day). Records the shown ones;
    a state file that cannot be read or written means every warning is shown."""
    shown = _load(state_path)
    fresh: list[str] = []
    repeated: list[str] = []
    kept: dict[str, datetime] = {}
    for warning in dict.fromkeys(warnings):
        key = _key(warning)
        last = shown.get(key)
        if last is not None and last.tzinfo is not None and now_utc - last < REPEAT_INTERVAL:
            repeated.append(warning)
            kept[key] = last
        else:
            fresh.append(warning)
            kept[key] = now_utc
    text = json.dumps({k: v.isoformat() for k, v in sorted(kept.items())}, indent=1) + "\n"
    try:
        write_bytes_atomic(state_path, text.encode("utf-8"))
    except OSError:
        return list(dict.fromkeys(warnings)), []
    return fresh, repeated
