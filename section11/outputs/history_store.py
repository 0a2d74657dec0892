"""The stored state behind history.json: compact per-activity and per-day wellness records.

history.json is rebuilt from this state on every run, so the state is what must survive
between runs. It lives in ``<output_dir>/.section11/history-state.json`` (not a file the AI
reads) and holds, for up to three years:

- one row per activity: id, local date, type, load, moving time, distance, feel, RPE,
  the raw power and heart-rate zone seconds (both kept, so a change of ZONE_PREFERENCE
  re-evaluates old weeks without refetching), and decoupling, variability index,
  efficiency factor and HR recovery for the weekly capability roll-ups (a state written
  before these four columns is still read, with them unknown);
- one row per wellness day: CTL, ATL, HRV, resting HR, sleep, weight, subjective scores;
- the date ranges the API answered for (``covered``), which is how history tells
  "no activity recorded" apart from "no data from the API";
- the memo of the last build (history_memo.py): per-day facts, weekly and monthly rows
  under digests of their inputs. A damaged memo is dropped on its own; the state is kept.

Rows are arrays with their column names stored once, written without indentation: three
years of a busy athlete take about 200 kB.

A state that cannot be read, or was written in another layout, is moved aside (never
overwritten) and the caller starts cold; the run itself never fails on it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_serializer

from section11.metrics.session import hrr_value
from section11.metrics.sports import family_of
from section11.outputs.history_memo import HistoryMemo, parse_memo
from section11.outputs.history_models import HistoryFile, MonthlyRow, WeeklyRow
from section11.sources.intervals_icu.models import Activity, Wellness, ZoneTime
from section11.store import load_model, read_json, set_aside, write_bytes_atomic

log = logging.getLogger(__name__)

STATE_VERSION: Literal[1] = 1
STATE_DIRNAME = ".section11"
STATE_FILENAME = "history-state.json"
ZONE_COUNT = 7

ACTIVITY_FIELDS = (
    "id",
    "date",
    "type",
    "load",
    "moving_time",
    "distance",
    "feel",
    "rpe",
    "power_zone_secs",
    "hr_zone_secs",
    "decoupling",
    "variability_index",
    "efficiency_factor",
    "hrr",
)
# States written before the capability columns: read, with those values unknown.
LEGACY_ACTIVITY_FIELDS = ACTIVITY_FIELDS[:10]
WELLNESS_FIELDS = (
    "date",
    "ctl",
    "atl",
    "hrv",
    "rhr",
    "sleep_secs",
    "weight",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "sleep_quality",
    "injury",
)
# States written before the injury column: read, with injury unknown.
LEGACY_WELLNESS_FIELDS = WELLNESS_FIELDS[:13]

DateRange = tuple[date, date]
# Memoized rows are stored as value arrays in this field order (history_memo.py).
WEEK_FIELDS = tuple(WeeklyRow.model_fields)
MONTH_FIELDS = tuple(MonthlyRow.model_fields)


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True, slots=True)
class ActivityRecord:
    """What history needs of one activity. Zone seconds are z1..z7 or None when absent."""

    id: str
    day: date
    type: str | None
    load: float | None
    moving_time: float | None
    distance: float | None
    feel: int | None
    rpe: int | None
    power_zone_secs: tuple[int, ...] | None
    hr_zone_secs: tuple[int, ...] | None
    decoupling: float | None = None
    variability_index: float | None = None
    efficiency_factor: float | None = None
    hrr: int | None = None

    @property
    def family(self) -> str:
        return family_of(self.type)

    @classmethod
    def from_activity(cls, activity: Activity) -> ActivityRecord | None:
        """None for records history cannot place (no date) or that carry no data (Strava
        stubs, which the load metrics leave out as well)."""
        day = activity.local_date
        if day is None or activity.is_strava_stub:
            return None
        key = activity.id or f"{activity.start_date_local}|{activity.type}"
        return cls(
            id=key,
            day=day,
            type=activity.type,
            load=activity.icu_training_load,
            moving_time=activity.moving_time,
            distance=activity.distance,
            feel=activity.feel,
            rpe=activity.icu_rpe,
            power_zone_secs=_power_zones(activity.icu_zone_times),
            hr_zone_secs=_hr_zones(activity.icu_hr_zone_times),
            decoupling=activity.decoupling,
            variability_index=activity.icu_variability_index,
            efficiency_factor=activity.icu_efficiency_factor,
            hrr=hrr_value(activity.icu_hrr),
        )

    def to_activity(self) -> Activity:
        """An ``Activity`` carrying just these fields, so the shared metric functions
        (load, zones, hard days, Seiler TID) evaluate stored history exactly like fresh data."""
        return Activity(
            id=self.id,
            start_date_local=f"{self.day.isoformat()}T00:00:00",
            type=self.type,
            icu_training_load=self.load,
            moving_time=self.moving_time,
            distance=self.distance,
            feel=self.feel,
            icu_rpe=self.rpe,
            icu_zone_times=(
                [ZoneTime(id=f"Z{i + 1}", secs=s) for i, s in enumerate(self.power_zone_secs)]
                if self.power_zone_secs is not None
                else None
            ),
            icu_hr_zone_times=(
                [float(s) for s in self.hr_zone_secs] if self.hr_zone_secs is not None else None
            ),
            decoupling=self.decoupling,
            icu_variability_index=self.variability_index,
            icu_efficiency_factor=self.efficiency_factor,
            icu_hrr=self.hrr,
        )

    def as_row(self) -> list[object]:
        return [
            self.id,
            self.day.isoformat(),
            self.type,
            _compact(self.load),
            _compact(self.moving_time),
            _compact(self.distance),
            self.feel,
            self.rpe,
            list(self.power_zone_secs) if self.power_zone_secs is not None else None,
            list(self.hr_zone_secs) if self.hr_zone_secs is not None else None,
            _compact(self.decoupling),
            _compact(self.variability_index),
            _compact(self.efficiency_factor),
            self.hrr,
        ]


@dataclass(frozen=True, slots=True)
class WellnessRecord:
    day: date
    ctl: float | None = None
    atl: float | None = None
    hrv: float | None = None
    rhr: float | None = None
    sleep_secs: float | None = None
    weight: float | None = None
    fatigue: int | None = None
    soreness: int | None = None
    stress: int | None = None
    mood: int | None = None
    motivation: int | None = None
    sleep_quality: int | None = None
    injury: int | None = None

    @classmethod
    def from_wellness(cls, wellness: Wellness) -> WellnessRecord | None:
        day = wellness.day
        if day is None:
            return None
        return cls(
            day=day,
            ctl=wellness.ctl,
            atl=wellness.atl,
            hrv=wellness.hrv,
            rhr=wellness.resting_hr,
            sleep_secs=wellness.sleep_secs,
            weight=wellness.weight,
            fatigue=wellness.fatigue,
            soreness=wellness.soreness,
            stress=wellness.stress,
            mood=wellness.mood,
            motivation=wellness.motivation,
            sleep_quality=wellness.sleep_quality,
            injury=wellness.injury,
        )

    @property
    def has_measurement(self) -> bool:
        """True when the athlete (or a device) logged something; CTL/ATL alone are computed
        by Intervals.icu every day and do not count."""
        return any(
            v is not None
            for v in (
                self.hrv,
                self.rhr,
                self.sleep_secs,
                self.weight,
                self.fatigue,
                self.soreness,
                self.stress,
                self.mood,
                self.motivation,
                self.sleep_quality,
                self.injury,
            )
        )

    def as_row(self) -> list[object]:
        return [
            self.day.isoformat(),
            _compact(self.ctl),
            _compact(self.atl),
            _compact(self.hrv),
            _compact(self.rhr),
            _compact(self.sleep_secs),
            _compact(self.weight),
            self.fatigue,
            self.soreness,
            self.stress,
            self.mood,
            self.motivation,
            self.sleep_quality,
            self.injury,
        ]


class HistoryState(BaseModel):
    """Everything history.json is built from. ``covered`` holds merged, sorted, inclusive
    date ranges the API answered for. Serialises to the compact on-disk layout, so
    ``store.write_json_atomic`` can write it too (``save_history_state`` writes it without
    indentation, which is about three times smaller)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    activities: Mapping[str, ActivityRecord] = Field(default_factory=dict)
    wellness: Mapping[date, WellnessRecord] = Field(default_factory=dict)
    covered: tuple[DateRange, ...] = ()
    updated_at: datetime | None = None
    # Phase detected for each finalized week (by week start), kept once detected.
    phases: Mapping[date, str | None] = Field(default_factory=dict)
    # Roll-ups of earlier runs, reused while their inputs are unchanged (history_memo.py).
    memo: HistoryMemo = Field(default_factory=HistoryMemo)

    @classmethod
    def of(
        cls,
        activities: Mapping[str, ActivityRecord],
        wellness: Mapping[date, WellnessRecord],
        covered: Iterable[DateRange],
        updated_at: datetime | None,
        phases: Mapping[date, str | None] | None = None,
        memo: HistoryMemo | None = None,
    ) -> HistoryState:
        """Build without revalidating thousands of records that are already typed."""
        return cls.model_construct(
            activities=dict(activities),
            wellness=dict(wellness),
            covered=merge_ranges(covered),
            updated_at=updated_at,
            phases=dict(sorted((phases or {}).items())),
            memo=memo if memo is not None else HistoryMemo(),
        )

    def without_memo(self) -> HistoryState:
        """The same state with nothing memoized: the next build recomputes every period."""
        return HistoryState.of(
            self.activities, self.wellness, self.covered, self.updated_at, self.phases
        )

    def is_covered(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.covered)

    @model_serializer(mode="plain")
    def to_doc(self) -> dict[str, Any]:
        """The on-disk layout, already made of JSON values (strings, numbers, lists)."""
        return {
            "state_version": STATE_VERSION,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "covered": [[s.isoformat(), e.isoformat()] for s, e in self.covered],
            "activity_fields": list(ACTIVITY_FIELDS),
            "activities": [
                r.as_row() for r in sorted(self.activities.values(), key=lambda r: (r.day, r.id))
            ],
            "wellness_fields": list(WELLNESS_FIELDS),
            "wellness": [self.wellness[d].as_row() for d in sorted(self.wellness)],
            "phases": {d.isoformat(): p for d, p in sorted(self.phases.items())},
            **({"memo": self.memo.to_doc(WEEK_FIELDS, MONTH_FIELDS)} if self.memo else {}),
        }


# ------------------------------------------------------------------------------ ranges


def merge_ranges(ranges: Iterable[DateRange]) -> tuple[DateRange, ...]:
    """Sort and merge overlapping or touching inclusive date ranges."""
    merged: list[DateRange] = []
    for start, end in sorted(r for r in ranges if r[0] <= r[1]):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def missing_ranges(covered: Iterable[DateRange], start: date, end: date) -> list[DateRange]:
    """The parts of [start, end] not inside any covered range, oldest first."""
    holes: list[DateRange] = []
    cursor = start
    for c_start, c_end in merge_ranges(covered):
        if c_end < cursor:
            continue
        if c_start > end:
            break
        if c_start > cursor:
            holes.append((cursor, min(end, c_start - timedelta(days=1))))
        cursor = max(cursor, c_end + timedelta(days=1))
        if cursor > end:
            break
    if cursor <= end:
        holes.append((cursor, end))
    return holes


# ------------------------------------------------------------------------------ disk


def state_path(output_dir: Path) -> Path:
    return output_dir / STATE_DIRNAME / STATE_FILENAME


class _StateDoc(BaseModel):
    """The on-disk layout. Any mismatch makes the state incompatible (moved aside)."""

    model_config = ConfigDict(extra="forbid")

    state_version: Literal[1]
    updated_at: datetime | None
    covered: list[tuple[date, date]]
    activity_fields: list[str]
    # Left to right: a row of this version matches the first layout at once (the default
    # "smart" union tries every layout strictly, then again leniently, for each row).
    activities: list[
        Annotated[
            tuple[
                str,
                date,
                str | None,
                float | None,
                float | None,
                float | None,
                int | None,
                int | None,
                list[int] | None,
                list[int] | None,
                float | None,
                float | None,
                float | None,
                int | None,
            ]
            | tuple[
                str,
                date,
                str | None,
                float | None,
                float | None,
                float | None,
                int | None,
                int | None,
                list[int] | None,
                list[int] | None,
            ],
            Field(union_mode="left_to_right"),
        ]
    ]
    wellness_fields: list[str]
    # As the activities: this version's rows first, then those without the injury column.
    wellness: list[
        Annotated[
            tuple[
                date,
                float | None,
                float | None,
                float | None,
                float | None,
                float | None,
                float | None,
                int | None,
                int | None,
                int | None,
                int | None,
                int | None,
                int | None,
                int | None,
            ]
            | tuple[
                date,
                float | None,
                float | None,
                float | None,
                float | None,
                float | None,
                float | None,
                int | None,
                int | None,
                int | None,
                int | None,
                int | None,
                int | None,
            ],
            Field(union_mode="left_to_right"),
        ]
    ]
    # Added after the first state version; older files simply have none yet.
    phases: dict[date, str | None] = Field(default_factory=dict)
    # Checked entry by entry by parse_memo: a damaged memo is dropped, the state kept.
    memo: Any = None


def dump_state(state: HistoryState) -> bytes:
    """The state as compact JSON (no indentation)."""
    # to_doc gives JSON values already; model_dump would walk its thousands of rows again.
    doc = state.to_doc()
    return (json.dumps(doc, separators=(",", ":"), allow_nan=False) + "\n").encode("utf-8")


def save_history_state(path: Path, state: HistoryState) -> int:
    """Write the state atomically; returns its size in bytes."""
    payload = dump_state(state)
    write_bytes_atomic(path, payload)
    return len(payload)


def parse_state(data: object) -> HistoryState:
    """Build a state from decoded JSON; raises ValueError when the layout does not match."""
    try:
        doc = _StateDoc.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"unexpected layout ({exc.error_count()} problem(s))") from None
    fields = doc.activity_fields
    if fields not in (list(ACTIVITY_FIELDS), list(LEGACY_ACTIVITY_FIELDS)):
        raise ValueError("columns differ from this version's")
    wellness_fields = doc.wellness_fields
    if wellness_fields not in (list(WELLNESS_FIELDS), list(LEGACY_WELLNESS_FIELDS)):
        raise ValueError("columns differ from this version's")
    if any(len(w) != len(wellness_fields) for w in doc.wellness):
        raise ValueError("wellness rows do not match their columns")
    if any(len(a) != len(fields) for a in doc.activities):
        raise ValueError("activity rows do not match their columns")
    activities: dict[str, ActivityRecord] = {}
    for a in doc.activities:
        power, hr = a[8], a[9]
        if (power is not None and len(power) != ZONE_COUNT) or (
            hr is not None and len(hr) != ZONE_COUNT
        ):
            raise ValueError(f"activity {a[0]} has zone arrays of the wrong length")
        # The capability columns; a row of the legacy layout has none (unknown).
        capability: tuple[Any, ...] = a[10:] or (None, None, None, None)
        activities[a[0]] = ActivityRecord(
            id=a[0],
            day=a[1],
            type=a[2],
            load=a[3],
            moving_time=a[4],
            distance=a[5],
            feel=a[6],
            rpe=a[7],
            power_zone_secs=tuple(power) if power is not None else None,
            hr_zone_secs=tuple(hr) if hr is not None else None,
            decoupling=capability[0],
            variability_index=capability[1],
            efficiency_factor=capability[2],
            hrr=capability[3],
        )
    wellness = {w[0]: WellnessRecord(*w) for w in doc.wellness}
    return HistoryState.of(
        activities,
        wellness,
        doc.covered,
        doc.updated_at,
        doc.phases,
        parse_memo(doc.memo, WEEK_FIELDS, MONTH_FIELDS),
    )


def load_history_state(path: Path, now_utc: datetime) -> tuple[HistoryState | None, list[str]]:
    """The stored state (None to start cold: missing, unreadable or incompatible) and the
    warnings to report.

    An unreadable or incompatible file is moved aside to ``<name>.corrupt-<UTC stamp>``,
    logged, and named in the returned warnings; the run goes on with a cold build.
    """
    warnings: list[str] = []
    loaded = read_json(path)
    if loaded.status == "missing":
        return None, warnings
    problem = loaded.error
    if loaded.status == "ok":
        try:
            return parse_state(loaded.data), warnings
        except ValueError as exc:
            problem = f"{path.name} is not a history state this version can read: {exc}"
    warnings.append(set_aside(path, now_utc, f"{problem}; history will be rebuilt from the API"))
    return None, warnings


def load_history_file(path: Path, now_utc: datetime) -> tuple[HistoryFile | None, list[str]]:
    """The previous history.json and warnings. An unreadable one, or one written with
    another schema, is moved aside with a warning rather than silently overwritten; one in
    the layout of an earlier version is read as it is (the run rewrites it anyway)."""
    return load_model(
        path,
        HistoryFile,
        now_utc,
        consequence="it will be regenerated",
        upgrade=_upgrade_history_file,
    )


# Row keys earlier versions wrote and this one does not (each said again what another key
# of the same row says): tier -> keys.
_DROPPED_ROW_KEYS = {
    "daily_90d": ("data_status",),
    "weekly_180d": ("ramp",),
    "monthly_1y": ("sport_tss_breakdown",),
    "monthly_2y": ("sport_tss_breakdown",),
    "monthly_3y": ("sport_tss_breakdown",),
}
_DROPPED_SEILER_KEYS = ("z1_seconds", "z2_seconds", "z3_seconds", "zone_basis", "sport")


def _upgrade_history_file(data: Any) -> Any:
    """history.json as earlier versions wrote it, in the current layout: they also had a
    ``monthly`` list (the rows of ``monthly_3y``), ``data_gaps`` rows with ``days`` where
    they now have ``period`` and ``days_missing``, and row keys that repeated other keys
    (``_DROPPED_ROW_KEYS``, the weekly Seiler block's seconds, basis and sport). Their
    overlapping monthly tiers read as they are."""
    if not isinstance(data, dict):
        return data
    upgraded = _without(data, ("monthly",))
    gaps = data.get("data_gaps")
    if isinstance(gaps, list):
        upgraded["data_gaps"] = [_upgrade_gap(gap) for gap in gaps]
    for tier, dropped in _DROPPED_ROW_KEYS.items():
        rows = data.get(tier)
        if isinstance(rows, list):
            upgraded[tier] = [_without(row, dropped) for row in rows]
    weeks = upgraded.get("weekly_180d")
    if isinstance(weeks, list):
        upgraded["weekly_180d"] = [_upgrade_week(week) for week in weeks]
    return upgraded


def _without(row: Any, keys: Sequence[str]) -> Any:
    if not isinstance(row, dict):
        return row
    return {key: value for key, value in row.items() if key not in keys}


def _upgrade_week(week: Any) -> Any:
    tid = week.get("seiler_tid") if isinstance(week, dict) else None
    if not isinstance(tid, dict):
        return week
    return {**week, "seiler_tid": _without(tid, _DROPPED_SEILER_KEYS)}


def _upgrade_gap(gap: Any) -> Any:
    if not isinstance(gap, dict) or "days" not in gap or "days_missing" in gap:
        return gap
    return {
        "period": f"{gap.get('start')} to {gap.get('end')}",
        "days_missing": gap["days"],
        **_without(gap, ("days",)),
    }


# ------------------------------------------------------------------------------ helpers


def _compact(value: float | None) -> float | int | None:
    """Whole numbers written as ints (``86`` not ``86.0``); other values exactly as read, so
    a state read back from disk builds the same file as the one in memory."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _power_zones(zones: list[ZoneTime | None] | None) -> tuple[int, ...] | None:
    if zones is None:
        return None
    secs = [0] * ZONE_COUNT
    found = False
    for zone in zones:
        if zone is None or zone.id is None or zone.secs is None:
            continue
        zid = zone.id.strip().lower()
        if len(zid) == 2 and zid[0] == "z" and zid[1] in "1234567":
            secs[int(zid[1]) - 1] += round(zone.secs)
            found = True
    return tuple(secs) if found else None


def _hr_zones(zones: list[float | None] | None) -> tuple[int, ...] | None:
    if zones is None:
        return None
    secs = [round(s) if s is not None else 0 for s in zones[:ZONE_COUNT]]
    if not any(secs):
        return None
    return tuple(secs + [0] * (ZONE_COUNT - len(secs)))
