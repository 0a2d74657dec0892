"""intervals.json: per-interval detail of recent structured sessions.

A pure builder (``update_intervals``). Its result carries the published file and the fetch
state of every candidate; the fetch state is run state, written to
``.section11/intervals-fetch-state.json`` and read back (with the previous file) by
:mod:`section11.outputs.intervals_fetch_state`. intervals.json itself holds no bookkeeping.

Candidates
----------
An activity is a candidate when all of these hold:
- it is not a Strava stub and has an id and a local start date;
- its athlete-local date is within the last ``WINDOW_DAYS`` (14) calendar days, today
  included (today-13 ... today);
- its sport family is one of ``INTERVAL_FAMILIES`` (cycling, run, ski, rowing, swim);
- it looks structured: Intervals.icu gave it an ``interval_summary``, or it is paired with
  a planned workout (``paired_event_id``), or the athlete edited its intervals
  (``icu_intervals_edited``). Steady rides without any of these are left out: their
  "intervals" would be one long segment that says nothing the activity list does not.

Everything that is not a candidate any more (older than the window, deleted upstream) is
pruned from both ``activities`` and the fetch state.

When an activity is fetched (the fetch state)
---------------------------------------------
- New candidate: fetched once.
- ``ok``, ``no_intervals`` and ``failed`` are final for the version of the activity that was
  fetched. The version is the later of ``icu_sync_date`` and ``analyzed``; when Intervals.icu
  reports a newer one (re-uploaded, re-analysed, intervals edited) the activity is fetched
  again with a fresh retry ladder. Previously stored segments stay visible until the new
  ones arrive.
- 200 without intervals (not computed yet): ``pending``, retried after 10 min, 30 min, 2 h
  and 6 h (first look plus at most four retries), never later than 48 h after the later of
  the activity's start and its sync date; then ``no_intervals``. An old activity seen for
  the first time (first run) that has no intervals is therefore settled by one request.
- 404/410 or another refusal: ``failed``.
- Download failure (5xx after the client's retries, timeout, connection error): the status
  is kept (``pending`` for a new activity) and the activity is retried on the next run; only
  repeated failures back off (10 min, 30 min, 2 h, then every 6 h). These never count
  towards the give-up limit.

There is no code-version cache invalidation: only a different ``schema_version`` makes the
previous file unusable. A file that cannot be read is moved aside and rebuilt. Without a
readable previous intervals.json the stored fetch state is not used either (the segments
are gone): every candidate is fetched again. A fetch-state file that cannot be read is
moved aside; the activities are fetched again.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from section11.metrics.sports import INTERVAL_FAMILIES, family_of, is_outdoor
from section11.outputs.intervals_fetch_state import FetchState, IntervalsResult
from section11.outputs.intervals_models import (
    SCHEMA_VERSION,
    IntervalsActivity,
    IntervalSegment,
    IntervalsFile,
    Phases,
    PhaseStats,
    SessionContext,
    ZoneBasis,
)
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.models import Activity
from section11.units import DisplayUnits

log = logging.getLogger(__name__)

WINDOW_DAYS = 14
RETRY_LADDER: tuple[timedelta, ...] = (
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
NO_DATA_DEADLINE = timedelta(hours=48)
ANALYSIS_SETTLED = timedelta(hours=1)  # analysis older than this is final
ANONYMOUS_NAME = "Training Session"
DESCRIPTION = (
    "Per-interval detail of the structured sessions of the last 14 days, as Intervals.icu "
    "detected or the athlete edited them. Segments are WORK or RECOVERY; times in seconds "
    "from the start, distances m, power W, HR bpm, speed km/h. 'phases' groups segments as "
    "a coach would (warm-up, work, recoveries, cool-down)."
)


# --- entry points -----------------------------------------------------------------------


def update_intervals(
    previous: IntervalsResult | None,
    activities: Sequence[Activity],
    fetcher: Callable[[Sequence[str]], Mapping[str, FetchOutcome]],
    today: date,
    now_utc: datetime,
    *,
    anonymize: bool,
    units: DisplayUnits,
) -> IntervalsResult:
    """Build this run's intervals.json and fetch state from the previous ones and the
    activity list.

    ``fetcher`` is called exactly once, with the ids that are due (possibly none), so the
    caller can fetch them concurrently; it must return an outcome per id (a missing id is
    treated as a download failure).
    """
    now = now_utc.astimezone(UTC)
    candidates = select_candidates(activities, today)
    old_entries = {e.activity_id: e for e in previous.file.activities} if previous else {}
    old_states = dict(previous.fetch_state) if previous else {}

    due = [aid for aid, act in candidates.items() if _is_due(old_states.get(aid), act, now)]
    outcomes = fetcher(due)

    entries: list[IntervalsActivity] = []
    states: dict[str, FetchState] = {}
    for aid, act in candidates.items():
        state = old_states.get(aid)
        old = old_entries.get(aid)
        segments: list[IntervalSegment] | None = None
        basis: ZoneBasis | None = None
        if old is not None:
            segments, basis = old.intervals, old.zone_basis
        if aid in due:
            outcome = outcomes.get(aid) or FetchOutcome.transient("not fetched")
            fresh = _segments_from(outcome)
            if outcome.kind == "ok" and not fresh:
                outcome = FetchOutcome.no_data("no readable intervals")
            state = _next_state(state, outcome, act, now)
            if fresh:
                segments, basis = fresh, _zone_basis(outcome.data, act, fresh)
        if state is None:  # cannot happen: every candidate without state is due
            continue
        states[aid] = state
        if segments is not None and state.status != "no_intervals":
            entries.append(_entry(act, segments, basis, anonymize=anonymize, units=units))

    entries.sort(key=lambda e: (e.start_datetime or e.date, e.activity_id), reverse=True)
    file = IntervalsFile(
        schema_version=SCHEMA_VERSION,
        generated_at=_iso(now),
        window_days=WINDOW_DAYS,
        description=DESCRIPTION,
        activities=entries,
    )
    return IntervalsResult(file, dict(sorted(states.items())))


def select_candidates(activities: Sequence[Activity], today: date) -> dict[str, Activity]:
    """Activities that get an intervals.json entry (rule in the module docstring)."""
    oldest = today - timedelta(days=WINDOW_DAYS - 1)
    chosen: dict[str, Activity] = {}
    for act in activities:
        day = act.local_date
        if act.id is None or day is None or act.is_strava_stub:
            continue
        if not oldest <= day <= today or family_of(act.type) not in INTERVAL_FAMILIES:
            continue
        if _looks_structured(act):
            chosen[act.id] = act
    return chosen


def activities_with_intervals(intervals: IntervalsResult) -> dict[str, bool]:
    """``has_intervals`` for latest.json.

    True: the entry has at least one WORK segment. False: fetched, and there is no WORK
    segment (or Intervals.icu never produced intervals). Missing: not known yet (pending,
    failed, or not a candidate) — latest.json shows null.
    """
    result = {
        e.activity_id: any(s.type == "WORK" for s in e.intervals) for e in intervals.file.activities
    }
    for aid, state in intervals.fetch_state.items():
        if aid not in result and state.status == "no_intervals":
            result[aid] = False
    return result


def session_entry(act: Activity, *, anonymize: bool, units: DisplayUnits) -> IntervalsActivity:
    """An entry without segments, for a session that has other per-session detail (DFA)."""
    return _entry(act, [], None, anonymize=anonymize, units=units)


# --- fetch state ------------------------------------------------------------------------


def _is_due(state: FetchState | None, act: Activity, now: datetime) -> bool:
    if state is None:
        return True
    changed = _version_changed(state, act)
    waiting = state.next_retry_at is not None and _parse_time(state.next_retry_at) > now
    if changed and state.transient_failures == 0:
        return True  # a new upstream version does not wait for an old no-data retry
    if changed or state.status == "pending":
        return not waiting
    return False


def _next_state(
    state: FetchState | None, outcome: FetchOutcome, act: Activity, now: datetime
) -> FetchState:
    now_s = _iso(now)
    version = _version(act)
    if state is None:
        base = FetchState(
            status="pending",
            attempts=0,
            transient_failures=0,
            first_seen=now_s,
            last_attempt=None,
            next_retry_at=None,
            source_sync_date=None,
            reason=None,
        )
    elif _version_changed(state, act):
        base = state.model_copy(update={"attempts": 0})  # a fresh ladder for the new version
    else:
        base = state

    if outcome.kind == "transient":
        failures = base.transient_failures + 1
        delay = _transient_delay(failures, outcome.retry_after)
        # The version is left as it was, so a pending refetch stays due.
        return base.model_copy(
            update={
                "transient_failures": failures,
                "last_attempt": now_s,
                "next_retry_at": None if delay is None else _iso(now + delay),
                "reason": outcome.reason,
            }
        )

    attempts = base.attempts + 1
    common: dict[str, Any] = {
        "attempts": attempts,
        "transient_failures": 0,
        "last_attempt": now_s,
        "next_retry_at": None,
        "reason": outcome.reason,
    }
    if outcome.kind == "ok":
        fetched = _later(version, _version_of_payload(outcome.data))
        return base.model_copy(update={**common, "status": "ok", "source_sync_date": fetched})
    if outcome.kind == "permanent":
        return base.model_copy(update={**common, "status": "failed", "source_sync_date": version})

    # no_data: intervals not computed (yet)
    deadline = _no_data_deadline(act, base.first_seen)
    common["source_sync_date"] = version
    common["reason"] = "no intervals yet"
    analyzed = _parse_opt(act.analyzed)
    if analyzed is not None and now - analyzed >= ANALYSIS_SETTLED:
        # Intervals are computed during analysis: an activity analysed a while ago that has
        # none will not grow any until it is re-analysed (which changes its version).
        common["reason"] = "Intervals.icu found no intervals in this activity"
        return base.model_copy(update={**common, "status": "no_intervals"})
    if attempts > len(RETRY_LADDER) or now >= deadline:
        common["reason"] = "Intervals.icu reported no intervals"
        return base.model_copy(update={**common, "status": "no_intervals"})
    retry_at = min(now + RETRY_LADDER[attempts - 1], deadline)
    return base.model_copy(update={**common, "status": "pending", "next_retry_at": _iso(retry_at)})


def _transient_delay(failures: int, retry_after: float | None) -> timedelta | None:
    """None = due on the next run. The first failure is retried next run; repeated ones
    climb the ladder and stay at its last step."""
    asked = timedelta(seconds=retry_after) if retry_after is not None else None
    if failures <= 1:
        return asked
    step = RETRY_LADDER[min(failures - 2, len(RETRY_LADDER) - 1)]
    return step if asked is None else max(step, asked)


def _no_data_deadline(act: Activity, first_seen: str) -> datetime:
    anchors = [t for t in (_parse_opt(act.start_date), _parse_opt(_version(act))) if t is not None]
    base = max(anchors) if anchors else _parse_time(first_seen)
    return base + NO_DATA_DEADLINE


def _version(act: Activity) -> str | None:
    return _later(act.icu_sync_date, act.analyzed)


def _version_of_payload(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    sync, analyzed = data.get("icu_sync_date"), data.get("analyzed")
    return _later(
        sync if isinstance(sync, str) else None, analyzed if isinstance(analyzed, str) else None
    )


def _version_changed(state: FetchState, act: Activity) -> bool:
    current = _parse_opt(_version(act))
    if current is None:
        return False  # nothing to compare: never refetch on a guess
    stored = _parse_opt(state.source_sync_date)
    return stored is None or current > stored


def _later(a: str | None, b: str | None) -> str | None:
    """The later of two API timestamps, kept as the API wrote it (full precision)."""
    ta, tb = _parse_opt(a), _parse_opt(b)
    if ta is None:
        return b if tb is not None else None
    if tb is None or ta >= tb:
        return a
    return b


# --- entry building ---------------------------------------------------------------------


def _looks_structured(act: Activity) -> bool:
    return (
        bool(act.interval_summary)
        or act.paired_event_id is not None
        or act.icu_intervals_edited is True
    )


def _entry(
    act: Activity,
    segments: list[IntervalSegment],
    basis: ZoneBasis | None,
    *,
    anonymize: bool,
    units: DisplayUnits,
) -> IntervalsActivity:
    local = act.local_datetime
    day = act.local_date
    name = act.name
    if anonymize and is_outdoor(act.type, act.trainer):
        name = ANONYMOUS_NAME
    return IntervalsActivity(
        activity_id=str(act.id),
        date=day.isoformat() if day is not None else "",
        start_datetime=local.isoformat(timespec="seconds") if local is not None else None,
        type=act.type,
        name=name,
        interval_summary=list(act.interval_summary) if act.interval_summary else None,
        session=_session(act, units),
        zone_basis=basis,
        phases=group_phases(segments, units),
        intervals=segments,
    )


def _session(act: Activity, units: DisplayUnits) -> SessionContext:
    distance_km = None if act.distance is None else round(act.distance / 1000.0, 2)
    return SessionContext(
        duration_secs=_int(act.moving_time),
        elapsed_secs=_int(act.elapsed_time),
        distance_km=distance_km,
        distance=units.display_distance(distance_km),
        tss=_round(act.icu_training_load, 1),
        avg_power=_int(act.icu_average_watts),
        normalized_power=_int(act.icu_weighted_avg_watts),
        avg_hr=_int(act.average_heartrate),
        ftp=_int(act.icu_ftp),
    )


def format_segments(raw_intervals: Sequence[Any]) -> list[IntervalSegment]:
    """Intervals.icu ``icu_intervals`` to segments, in time order (non-objects skipped)."""
    segments: list[IntervalSegment] = []
    for raw in raw_intervals:
        if not isinstance(raw, dict):
            continue
        speed = _num(raw, "average_speed")
        label = raw.get("label") or raw.get("group_id")
        kind = raw.get("type")
        segments.append(
            IntervalSegment(
                type=kind if isinstance(kind, str) else None,
                label=label if isinstance(label, str) else None,
                start_secs=_int(_num(raw, "start_time")),
                end_secs=_int(_num(raw, "end_time")),
                duration_secs=_int(_num(raw, "elapsed_time")),
                moving_secs=_int(_num(raw, "moving_time")),
                distance_m=_round(_num(raw, "distance"), 1),
                avg_power=_int(_num(raw, "average_watts")),
                normalized_power=_int(_num(raw, "weighted_average_watts")),
                max_power=_int(_num(raw, "max_watts")),
                avg_hr=_int(_num(raw, "average_heartrate")),
                min_hr=_int(_num(raw, "min_heartrate")),
                max_hr=_int(_num(raw, "max_heartrate")),
                avg_cadence=_round(_num(raw, "average_cadence"), 1),
                avg_speed_kmh=None if speed is None else round(speed * 3.6, 1),
                zone=_int(_num(raw, "zone")),
                w_bal_start=_int(_num(raw, "wbal_start")),
                w_bal_end=_int(_num(raw, "wbal_end")),
                training_load=_round(_num(raw, "training_load"), 1),
            )
        )
    segments.sort(key=lambda s: (s.start_secs is None, s.start_secs or 0))
    return segments


def group_phases(segments: Sequence[IntervalSegment], units: DisplayUnits) -> Phases | None:
    """Warm-up / active / recovery / cool-down; None when there is no WORK segment."""
    work = [i for i, s in enumerate(segments) if s.type == "WORK"]
    if not work:
        return None
    first, last = work[0], work[-1]
    warmup = list(segments[:first])
    cooldown = list(segments[last + 1 :])
    middle = segments[first : last + 1]
    return Phases(
        warmup=_phase(warmup, units),
        active=_phase([s for s in middle if s.type == "WORK"], units),
        recovery=_phase([s for s in middle if s.type != "WORK"], units),
        cooldown=_phase(cooldown, units),
    )


def _phase(segments: Sequence[IntervalSegment], units: DisplayUnits) -> PhaseStats:
    """Totals, and averages weighted by each segment's elapsed seconds (segments without a
    duration or without the value are left out of that average)."""
    durations = [s.duration_secs for s in segments]
    total = sum(d for d in durations if d is not None)
    distances = [s.distance_m for s in segments]
    distance_km = (
        round(sum(d for d in distances if d is not None) / 1000.0, 2)
        if segments and all(d is not None for d in distances)
        else None
    )
    speed = _weighted(segments, lambda s: s.avg_speed_kmh)
    speed = None if speed is None else round(speed, 1)
    return PhaseStats(
        count=len(segments),
        duration_secs=total,
        distance_km=distance_km,
        avg_speed_kmh=speed,
        avg_power=_int(_weighted(segments, lambda s: s.avg_power)),
        avg_hr=_int(_weighted(segments, lambda s: s.avg_hr)),
        distance=units.display_distance(distance_km),
        avg_speed=units.display_speed(speed),
    )


def _weighted(
    segments: Sequence[IntervalSegment], value: Callable[[IntervalSegment], float | None]
) -> float | None:
    num = den = 0.0
    for s in segments:
        v = value(s)
        if v is None or s.duration_secs is None or s.duration_secs <= 0:
            continue
        num += v * s.duration_secs
        den += s.duration_secs
    return None if den == 0 else num / den


def _zone_basis(
    payload: Any, act: Activity, segments: Sequence[IntervalSegment]
) -> ZoneBasis | None:
    """What the segment zones mean: power when Intervals.icu reports watt bounds for the
    zones; otherwise HR or pace when the activity has zone times of exactly one of them."""
    if not any(s.zone is not None for s in segments):
        return None
    raw = payload.get("icu_intervals") if isinstance(payload, dict) else None
    if isinstance(raw, list) and any(
        isinstance(i, dict)
        and (i.get("zone_min_watts") is not None or i.get("zone_max_watts") is not None)
        for i in raw
    ):
        return "power"
    has_hr = _has_times(act.icu_hr_zone_times)
    has_pace = _has_times(act.pace_zone_times) or _has_times(act.gap_zone_times)
    if has_hr and not has_pace:
        return "hr"
    if has_pace and not has_hr:
        return "pace"
    return None


def _segments_from(outcome: FetchOutcome) -> list[IntervalSegment] | None:
    if outcome.kind != "ok" or not isinstance(outcome.data, dict):
        return None
    raw = outcome.data.get("icu_intervals")
    segments = format_segments(raw) if isinstance(raw, list) else []
    return segments or None


# --- small helpers ----------------------------------------------------------------------


def _has_times(values: Sequence[float | None] | None) -> bool:
    return values is not None and any(v is not None for v in values)


def _num(raw: Mapping[str, Any], key: str) -> float | None:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _int(value: float | None) -> int | None:
    return None if value is None else round(value)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _parse_opt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _parse_time(value: str) -> datetime:
    """A timestamp this module wrote; an unreadable one counts as long past."""
    return _parse_opt(value) or datetime(1970, 1, 1, tzinfo=UTC)
