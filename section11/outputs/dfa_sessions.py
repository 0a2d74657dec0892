"""DFA a1 of recent sessions recorded with AlphaHRV: fetch once, keep, show everywhere.

An activity is a DFA session when its ``stream_types`` (from the activity list) include
``dfa_a1``; no other activity is ever asked for streams here. For each DFA session of the
last 28 days, the ``dfa_a1``, ``artifacts``, ``heartrate`` and ``watts`` streams are fetched
once (``types=`` asks for exactly these) and the computed block is kept in
``<output_dir>/.section11/activity-dfa.json``. It is fetched again only when Intervals.icu
reports a newer version of the activity (``icu_sync_date`` / ``analyzed``), or on the next
run after a download failure. An activity that answers without a ``dfa_a1`` stream, or
with a 404, is settled and not asked again until its version changes.

The blocks feed intervals.json (``dfa``, 14 days), recent_activities (``has_dfa``,
``dfa_summary``, 28 days) and ``derived_metrics.capability.dfa_a1_profile``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from section11.metrics.dfa import DfaBlock, dfa_block
from section11.metrics.dfa_profile import DfaSession
from section11.metrics.sports import is_outdoor
from section11.outputs.intervals import session_entry
from section11.outputs.intervals_models import IntervalsFile
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.store import load_model
from section11.units import DisplayUnits

DFA_WINDOW_DAYS = 28
CACHE_VERSION: Literal[1] = 1
CACHE_FILE = "activity-dfa.json"
DFA_STREAM = "dfa_a1"
ANONYMOUS_NAME = "Training Session"

DfaStatus = Literal["ok", "no_data", "failed"]


class DfaCacheEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: str
    version: str | None
    status: DfaStatus
    dfa: DfaBlock | None = None
    error: str | None = None


class DfaCache(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cache_version: Literal[1] = CACHE_VERSION
    activities: dict[str, DfaCacheEntry] = {}


def update_dfa_sessions(
    cache: DfaCache | None,
    activities: Sequence[Activity],
    fetcher: Callable[[Sequence[str]], Mapping[str, FetchOutcome]],
    today: date,
    *,
    anonymize: bool = False,
) -> tuple[DfaCache, list[DfaSession]]:
    """This run's cache and the DFA sessions of the last 28 days (newest first).

    ``fetcher`` is called once, with the ids that are due (possibly none)."""
    candidates = dfa_candidates(activities, today)
    old = cache.activities if cache else {}
    due = [aid for aid, act in candidates.items() if _is_due(old.get(aid), act)]
    outcomes = fetcher(due)
    kept: dict[str, DfaCacheEntry] = {}
    for aid, act in candidates.items():
        entry = old.get(aid)
        if aid in due:
            outcome = outcomes.get(aid) or FetchOutcome.transient("not fetched")
            if outcome.kind != "transient":  # a failed download is retried next run
                entry = _entry(act, outcome)
        if entry is not None:
            kept[aid] = entry
    sessions = [
        _session(candidates[aid], entry.dfa, anonymize=anonymize)
        for aid, entry in kept.items()
        if entry.status == "ok" and entry.dfa is not None
    ]
    sessions.sort(key=lambda s: (s.start, s.activity_id), reverse=True)
    return DfaCache(activities=dict(sorted(kept.items()))), sessions


def with_dfa(
    file: IntervalsFile,
    cache: DfaCache,
    activities: Sequence[Activity],
    today: date,
    *,
    anonymize: bool,
    units: DisplayUnits,
) -> IntervalsFile:
    """intervals.json with each session's ``dfa`` block; a DFA session of its window that has
    no interval entry gets one without segments."""
    oldest = today - timedelta(days=file.window_days - 1)
    by_id = {a.id: a for a in activities if a.id is not None}
    blocks = {
        aid: e.dfa
        for aid, e in cache.activities.items()
        if e.dfa is not None and aid in by_id and _in_window(by_id[aid], oldest, today)
    }
    entries = [e.model_copy(update={"dfa": blocks.get(e.activity_id)}) for e in file.activities]
    present = {e.activity_id for e in entries}
    for aid, block in blocks.items():
        if aid not in present:
            entry = session_entry(by_id[aid], anonymize=anonymize, units=units)
            entries.append(entry.model_copy(update={"dfa": block}))
    entries.sort(key=lambda e: (e.start_datetime or e.date, e.activity_id), reverse=True)
    return file.model_copy(update={"activities": entries})


def has_dfa(cache: DfaCache, activities: Sequence[Activity], today: date) -> dict[str, bool]:
    """``has_dfa`` of recent_activities: True with a computed block, False when the activity
    has no usable AlphaHRV recording; missing (null) while its streams are still due."""
    candidates = dfa_candidates(activities, today)
    result: dict[str, bool] = {}
    for act in activities:
        if act.id is None or act.is_strava_stub:
            continue
        entry = cache.activities.get(act.id)
        if entry is not None:
            result[act.id] = entry.status == "ok" and entry.dfa is not None
        elif act.id not in candidates:
            result[act.id] = False
    return result


def _in_window(act: Activity, oldest: date, today: date) -> bool:
    return act.local_date is not None and oldest <= act.local_date <= today


def dfa_candidates(activities: Sequence[Activity], today: date) -> dict[str, Activity]:
    """Activities of the last 28 days whose stream list includes ``dfa_a1``."""
    oldest = today - timedelta(days=DFA_WINDOW_DAYS - 1)
    chosen: dict[str, Activity] = {}
    for act in activities:
        day = act.local_date
        if act.id is None or day is None or act.is_strava_stub:
            continue
        if oldest <= day <= today and DFA_STREAM in (act.stream_types or ()):
            chosen[act.id] = act
    return chosen


def activity_version(act: Activity) -> str | None:
    """The later of ``icu_sync_date`` and ``analyzed``: changes when the activity is
    re-uploaded, re-analysed or edited."""
    stamps = [s for s in (act.icu_sync_date, act.analyzed) if s]
    parsed = [(t, s) for s in stamps if (t := _parse(s)) is not None]
    return max(parsed)[1] if parsed else None


def load_dfa_cache(path: Path, now_utc: datetime) -> tuple[DfaCache | None, list[str]]:
    return load_model(
        path,
        DfaCache,
        now_utc,
        consequence="DFA a1 streams are fetched again",
        version_key="cache_version",
        version=CACHE_VERSION,
    )


def _is_due(entry: DfaCacheEntry | None, act: Activity) -> bool:
    if entry is None:
        return True
    current, stored = _parse(activity_version(act)), _parse(entry.version)
    return current is not None and (stored is None or current > stored)


def _entry(act: Activity, outcome: FetchOutcome) -> DfaCacheEntry:
    day = act.local_date.isoformat() if act.local_date else ""
    version = activity_version(act)
    if outcome.kind == "permanent":
        return DfaCacheEntry(date=day, version=version, status="failed", error=outcome.reason)
    streams = _streams(outcome.data) if outcome.kind == "ok" else {}
    block = dfa_block(
        streams.get("dfa_a1"),
        streams.get("artifacts"),
        streams.get("heartrate"),
        streams.get("watts"),
    )
    if block is None:
        return DfaCacheEntry(date=day, version=version, status="no_data", error="no dfa_a1 samples")
    return DfaCacheEntry(date=day, version=version, status="ok", dfa=block)


def _streams(data: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for stream in data if isinstance(data, list) else ():
        if isinstance(stream, dict) and isinstance(stream.get("data"), list):
            kind = stream.get("type")
            if isinstance(kind, str):
                out[kind] = stream["data"]
    return out


def _session(act: Activity, block: DfaBlock, *, anonymize: bool) -> DfaSession:
    local = act.local_datetime
    outdoor = is_outdoor(act.type, act.trainer)
    return DfaSession(
        activity_id=str(act.id),
        day=act.local_date or date.min,
        start=local.isoformat(timespec="seconds") if local else (act.start_date_local or ""),
        name=ANONYMOUS_NAME if anonymize and outdoor else act.name,
        sport=act.type,
        block=block,
    )


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
