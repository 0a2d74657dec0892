"""What earlier runs computed for history.json, kept so a run recomputes only what changed.

history.json is built from three years of stored activities on every run. Most of those
days, weeks and months are finished: their inputs did not change since the last run, so
neither did their roll-ups. The memo keeps, in the history state:

- per day with activities: the day's load, hard-day flag and zone split (the values that
  need every activity of the day evaluated by the zone and load metrics);
- per week of ``weekly_180d`` and per month (of the monthly tiers): the finished row.

Each entry is stored under a key: a digest of everything the value was computed from (the
day's stored activity rows, wellness row and API coverage; for a week also the three weeks
before it, which its ACWR and ramp read; the settings and units the row uses; whether the
period is still open). A run reuses an entry only when the key it computes now is the same,
so an edited, added or deleted activity, a new wellness value or another ZONE_PREFERENCE
recomputes exactly the periods it touches. The memo as a whole carries a seal (a digest of
its own content), the memo layout version and the program's fingerprint (its version and a
digest of the source files the values come from: the metrics, the history modules, units,
settings and the API models): an edited, truncated or foreign memo, or one written by other
code, is dropped whole and everything is recomputed.
It never changes the output: history.json built with the memo is byte-identical to one
built without (tests/test_history_incremental.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from section11 import __version__
from section11.outputs.history_models import ZoneSplit

# Bump when what an entry holds, or how a key is made, changes.
MEMO_VERSION = 1
_DIGEST_BYTES = 8  # 64 bits: a key is only ever compared with the same period's key
_BASES = frozenset({"power", "hr", "mixed"})
# The code the memoized values come from: any change to these files (a formula, a row
# field) makes every stored entry stale, even while the version number stays the same.
_SOURCES = (
    "metrics/**/*.py",
    "outputs/history*.py",
    "units.py",
    "config.py",
    "sources/intervals_icu/models.py",
)


@cache
def program_fingerprint() -> str:
    """The version plus a digest of the source files the memoized values depend on."""
    root = Path(__file__).resolve().parent.parent
    hasher = hashlib.blake2b(digest_size=_DIGEST_BYTES)
    try:
        for path in sorted(p for pattern in _SOURCES for p in root.glob(pattern)):
            hasher.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            hasher.update(path.read_bytes())
    except OSError:
        # Sources unreadable: a fingerprint no stored memo can match (nothing is reused).
        return f"{__version__}+unknown-{os.urandom(8).hex()}"
    return f"{__version__}+{hasher.hexdigest()}"


def digest(parts: object) -> str:
    """A short stable digest of JSON-able ``parts`` (the same in every process)."""
    text = json.dumps(parts, separators=(",", ":"), sort_keys=True, allow_nan=False)
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_DIGEST_BYTES).hexdigest()


@dataclass(frozen=True, slots=True)
class DayFacts:
    """The per-day values that need every activity of the day evaluated."""

    load: float  # unrounded sum of training load
    hard: bool | None
    zones: ZoneSplit

    def as_row(self) -> list[object]:
        z = self.zones
        load = int(self.load) if self.load.is_integer() else self.load  # 86, not 86.0
        return [load, self.hard, z.z1_z2_pct, z.z3_pct, z.z4_plus_pct, z.zone_basis]


@dataclass
class HistoryMemo:
    """Memo entries by period: ``(key, value)``; the JSON rows of weeks and months."""

    days: dict[date, tuple[str, DayFacts]] = field(default_factory=dict)
    weeks: dict[date, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    months: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.days or self.weeks or self.months)

    def day(self, day: date, key: str) -> DayFacts | None:
        entry = self.days.get(day)
        return entry[1] if entry is not None and entry[0] == key else None

    def week(self, week_start: date, key: str) -> dict[str, Any] | None:
        entry = self.weeks.get(week_start)
        return entry[1] if entry is not None and entry[0] == key else None

    def month(self, month: str, key: str) -> dict[str, Any] | None:
        entry = self.months.get(month)
        return entry[1] if entry is not None and entry[0] == key else None

    def to_doc(self, week_fields: Sequence[str], month_fields: Sequence[str]) -> dict[str, Any]:
        """The stored layout: days as a list from the first memoized day (null for a day
        without activities), rows as value arrays with their field names stored once."""
        days: list[object] = []
        if self.days:
            first, last = min(self.days), max(self.days)
            for offset in range((last - first).days + 1):
                entry = self.days.get(first + timedelta(days=offset))
                days.append([entry[0], *entry[1].as_row()] if entry is not None else None)
        body = {
            "first_day": min(self.days).isoformat() if self.days else None,
            "days": days,
            "week_fields": list(week_fields),
            "weeks": {d.isoformat(): _row(k, r, week_fields) for d, (k, r) in self.weeks.items()},
            "month_fields": list(month_fields),
            "months": {m: _row(k, r, month_fields) for m, (k, r) in self.months.items()},
        }
        return {
            "version": MEMO_VERSION,
            "program": program_fingerprint(),
            "seal": digest(body),
            **body,
        }


def _row(key: str, row: Mapping[str, Any], fields: Sequence[str]) -> list[object]:
    return [key, [row.get(name) for name in fields]]


_BODY = ("first_day", "days", "week_fields", "weeks", "month_fields", "months")


def parse_memo(doc: object, week_fields: Sequence[str], month_fields: Sequence[str]) -> HistoryMemo:
    """The memo of a stored state; an empty memo for anything that is not exactly one this
    version wrote (missing, older, edited, truncated, other row fields): it is then
    rebuilt, never trusted."""
    if not isinstance(doc, Mapping):
        return HistoryMemo()
    if doc.get("version") != MEMO_VERSION or doc.get("program") != program_fingerprint():
        return HistoryMemo()
    body = {name: doc.get(name) for name in _BODY}
    if doc.get("seal") != _safe_digest(body):
        return HistoryMemo()
    if body["week_fields"] != list(week_fields) or body["month_fields"] != list(month_fields):
        return HistoryMemo()
    try:
        return HistoryMemo(
            days=_days(body["first_day"], body["days"]),
            weeks={
                date.fromisoformat(d): _row_entry(e, week_fields) for d, e in _items(body["weeks"])
            },
            months={_month(m): _row_entry(e, month_fields) for m, e in _items(body["months"])},
        )
    except (TypeError, ValueError):
        return HistoryMemo()


def _days(first: object, entries: object) -> dict[date, tuple[str, DayFacts]]:
    if not isinstance(entries, list):
        raise ValueError("days")
    if not entries:
        return {}
    if not isinstance(first, str):
        raise ValueError("first_day")
    start = date.fromisoformat(first)
    return {
        start + timedelta(days=offset): _day_entry(entry)
        for offset, entry in enumerate(entries)
        if entry is not None
    }


def _safe_digest(body: object) -> str | None:
    try:
        return digest(body)
    except (TypeError, ValueError):
        return None


def _items(value: object) -> Iterable[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        raise ValueError("not an object")
    return value.items()


def _month(value: str) -> str:
    date.fromisoformat(f"{value}-01")
    return value


def _day_entry(entry: object) -> tuple[str, DayFacts]:
    if not isinstance(entry, list) or len(entry) != 7:
        raise ValueError("day entry")
    key, load, hard, z12, z3, z4, basis = entry
    numbers = (z12, z3, z4)
    if (
        not isinstance(key, str)
        or not _is_number(load)
        or not (hard is None or isinstance(hard, bool))
        or not all(v is None or _is_number(v) for v in numbers)
        or not (basis is None or basis in _BASES)
    ):
        raise ValueError("day entry")
    return key, DayFacts(
        load=float(load),
        hard=hard,
        zones=ZoneSplit(z1_z2_pct=z12, z3_pct=z3, z4_plus_pct=z4, zone_basis=basis),
    )


def _row_entry(entry: object, fields: Sequence[str]) -> tuple[str, dict[str, Any]]:
    if (
        not isinstance(entry, list)
        or len(entry) != 2
        or not isinstance(entry[0], str)
        or not isinstance(entry[1], list)
        or len(entry[1]) != len(fields)
    ):
        raise ValueError("row entry")
    return entry[0], dict(zip(fields, entry[1], strict=True))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
