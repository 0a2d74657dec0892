"""latest.json's coaching blocks: alerts, readiness, phase, race calendar, plan adherence.

Builds the typed inputs of each decision in ``section11.metrics.decisions`` from the
run's records and the metrics ``latest.py`` already computed, then shapes the results.
Order matters and is fixed: phase (with the one deload check) -> race calendar ->
alerts -> readiness, because each later decision reads the earlier ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

from section11.config import ZoneBasis
from section11.metrics import load as load_metrics
from section11.metrics.capability import Durability
from section11.metrics.decisions import (
    Alert,
    AlertInputs,
    DurabilitySignal,
    PhaseInputs,
    PhaseResult,
    PlannedSession,
    RaceInfo,
    RaceWeek,
    RaceWeekInputs,
    ReadinessDecision,
    ReadinessInputs,
    WeekSummary,
    build_alerts,
    decide,
    detect_phase,
    pick_race_week_race,
    race_alerts,
    race_week,
)
from section11.metrics.decisions.race_week import TAPER_WINDOW, taper_message
from section11.metrics.fitness import FitnessStatus
from section11.metrics.load import LoadSummary
from section11.metrics.sports import (
    RACE_CATEGORIES,
    TRAINING_EVENT_CATEGORIES,
    VIRTUAL_TYPES,
    family_of,
)
from section11.metrics.weeks import week_start_of
from section11.metrics.wellness import Baselines, is_valid_hrv
from section11.metrics.workout import summarize_workout
from section11.metrics.zones import SeilerTID, hard_day
from section11.outputs.common import hours, int_or_none, km
from section11.outputs.latest_models import (
    DistanceDisplay,
    NotActive,
    PlanAdherence,
    PlannedSessionOutcome,
    Race,
    RaceCalendar,
    TaperAlert,
    WorkoutSummaryStats,
)
from section11.sources.intervals_icu.models import Activity, Event, Wellness
from section11.units import DisplayUnits

FINALIZED_WEEKS = 4
PLAN_LOOKAHEAD_DAYS = 14
ADHERENCE_DAYS = 14  # the events fetch reaches 14 days back
_HARD_WORDS = (
    "interval",
    "vo2",
    "threshold",
    "sprint",
    "tempo",
    "race",
    "hard",
    "intensity",
    "sweet spot",
)


@dataclass(frozen=True)
class DecisionContext:
    """What the decisions read: records of this run and metrics computed once upstream."""

    today: date
    activities: Sequence[Activity]
    wellness: Sequence[Wellness]
    events: Sequence[Event]
    zone_preference: Mapping[str, ZoneBasis]
    week_start: int
    load: LoadSummary
    base: Baselines
    ri: float | None
    ri_yesterday: float | None
    fitness: FitnessStatus
    seiler_7d: SeilerTID
    seiler_28d: SeilerTID
    terrain_ids: frozenset[int]
    units: DisplayUnits
    weekly_phases: Mapping[date, str | None]
    durability: DurabilitySignal | None = None


@dataclass(frozen=True)
class Decisions:
    alerts: list[Alert]
    readiness: ReadinessDecision
    phase: PhaseResult
    race_calendar: RaceCalendar
    adherence: PlanAdherence
    summary_stats: WorkoutSummaryStats


def build_decisions(ctx: DecisionContext) -> Decisions:
    phase = detect_phase(_phase_inputs(ctx))
    calendar, races = _race_calendar(ctx)
    week = calendar.race_week if isinstance(calendar.race_week, RaceWeek) else None
    taper = next(
        (
            r
            for r in races
            if r.category == "RACE_A"
            and TAPER_WINDOW[0] <= (r.day - ctx.today).days <= TAPER_WINDOW[1]
        ),
        None,
    )
    alerts = build_alerts(_alert_inputs(ctx, phase.basis.deload.active))
    alerts += race_alerts(taper, week, ctx.today)
    readiness = decide(_readiness_inputs(ctx, phase, alerts, week is not None))
    adherence, stats = _plan_adherence(ctx)
    return Decisions(alerts, readiness, phase, calendar, adherence, stats)


# ------------------------------------------------------------------------------ weeks


def _week(ctx: DecisionContext, start: date, data_start: date) -> WeekSummary:
    """One week's summary from the records (the current week up to today)."""
    end = min(start + timedelta(days=6), ctx.today)
    acts = [
        a
        for a in ctx.activities
        if not a.is_strava_stub and a.local_date is not None and start <= a.local_date <= end
    ]
    by_day: dict[date, list[Activity]] = {}
    for a in acts:
        assert a.local_date is not None
        by_day.setdefault(a.local_date, []).append(a)
    verdicts = [hard_day(day_acts, ctx.zone_preference) for day_acts in by_day.values()]
    hard_verdicts = [v for v in verdicts if v.is_hard]
    known = [v for v in verdicts if v.is_hard is not None]
    loads = load_metrics.daily_loads(ctx.activities, start, end)
    primary = ctx.load.primary_sport
    primary_tss = sum(
        a.icu_training_load or 0.0 for a in acts if primary and family_of(a.type) == primary
    )
    records = sorted(
        (
            w
            for w in ctx.wellness
            if w.day is not None and start <= w.day <= end and w.ctl is not None
        ),
        key=lambda w: w.day or start,
    )
    window_start = end - timedelta(days=load_metrics.CHRONIC_DAYS - 1)
    acwr = (
        load_metrics.acwr(load_metrics.daily_loads(ctx.activities, window_start, end))
        if window_start >= data_start
        else None
    )
    complete = end == start + timedelta(days=6)
    # Neither training nor fitness values: before the athlete's data, not a rest week.
    has_data = bool(acts) or bool(records)
    return WeekSummary(
        week_start=start,
        total_tss=round(sum(loads), 1) if has_data else None,
        primary_sport_tss=round(primary_tss, 1) if primary else None,
        hard_days=len(hard_verdicts) if has_data and (known or not by_day) else None,
        activity_count=len(acts),
        ctl_end=round(records[-1].ctl, 1) if records and records[-1].ctl is not None else None,
        acwr=acwr,
        monotony=load_metrics.monotony(loads) if complete else None,
        has_data=has_data,
        hr_only_hard=bool(hard_verdicts) and all(v.basis == "hr" for v in hard_verdicts),
    )


def live_weeks(ctx: DecisionContext) -> tuple[list[WeekSummary], WeekSummary]:
    """The four finalized weeks before this one (oldest first) and the current week."""
    current_start = week_start_of(ctx.today, ctx.week_start)
    days = [w.day for w in ctx.wellness if w.day is not None]
    days += [a.local_date for a in ctx.activities if a.local_date is not None]
    data_start = min(days) if days else ctx.today
    finalized = [
        _week(ctx, current_start - timedelta(weeks=back), data_start)
        for back in range(FINALIZED_WEEKS, 0, -1)
    ]
    current = _week(ctx, current_start, data_start)
    # Live values for the running week: today's ACWR and monotony, not a partial week's.
    current = replace(
        current,
        acwr=ctx.load.acwr,
        monotony=ctx.load.effective_monotony,
        ctl_end=ctx.fitness.ctl,
    )
    return finalized, current


def _is_hard_session(event: Event, summary: str | None) -> bool:
    if event.category in RACE_CATEGORIES:
        return True
    if summary is not None and ("×" in summary or "sets" in summary):
        return True
    name = (event.name or "").lower()
    return any(word in name for word in _HARD_WORDS)


def _plan(ctx: DecisionContext) -> list[PlannedSession]:
    horizon = ctx.today + timedelta(days=PLAN_LOOKAHEAD_DAYS)
    out: list[PlannedSession] = []
    for e in ctx.events:
        day = e.local_date
        if day is None or not ctx.today <= day <= horizon:
            continue
        if e.category not in TRAINING_EVENT_CATEGORIES:
            continue
        out.append(
            PlannedSession(
                day=day,
                category=e.category or "",
                planned_tss=e.icu_training_load,
                primary_sport=family_of(e.type) == ctx.load.primary_sport,
                hard=_is_hard_session(e, summarize_workout(e.workout_doc)),
            )
        )
    return sorted(out, key=lambda s: s.day)


def _phase_inputs(ctx: DecisionContext) -> PhaseInputs:
    finalized, current = live_weeks(ctx)
    races = sorted(
        (e for e in ctx.events if e.category in RACE_CATEGORIES and e.local_date is not None),
        key=lambda e: e.local_date or ctx.today,
    )
    upcoming = [e for e in races if e.local_date is not None and e.local_date >= ctx.today]
    nxt = upcoming[0] if upcoming else None
    # The nearest A/B race counts for taper/peak even when a C race comes first.
    ab = next((e for e in upcoming if e.category in ("RACE_A", "RACE_B")), nxt)
    previous = [ctx.weekly_phases.get(w.week_start) for w in finalized]
    while previous and previous[0] is None:
        previous.pop(0)
    week_end = week_start_of(ctx.today, ctx.week_start) + timedelta(days=6)
    return PhaseInputs(
        finalized=finalized,
        current=current,
        current_ctl=ctx.fitness.ctl,
        today=ctx.today,
        current_week_end=week_end,
        plan=_plan(ctx),
        next_race_category=ab.category if ab else None,
        next_race_days=(ab.local_date - ctx.today).days if ab and ab.local_date else None,
        previous_phases=previous,
        tss_7d=ctx.load.tss_7d_total,
        tss_28d=ctx.load.tss_28d_total,
        any_hr_zone_preference="hr" in ctx.zone_preference.values(),
    )


# ------------------------------------------------------------------------------ races


def _start_time(event: Event) -> str | None:
    moment = event.local_datetime
    if moment is None or (moment.hour, moment.minute) == (0, 0):
        return None
    return moment.strftime("%H:%M")


def _race_calendar(ctx: DecisionContext) -> tuple[RaceCalendar, list[RaceInfo]]:
    races: list[Race] = []
    infos: list[RaceInfo] = []
    for event in ctx.events:
        day = event.local_date
        if event.category not in RACE_CATEGORIES or day is None or day < ctx.today:
            continue
        races.append(
            Race(
                id=event.id,
                name=event.name,
                date=day,
                category=event.category or "",
                type=event.type,
                days_until=(day - ctx.today).days,
                moving_time_seconds=int_or_none(event.moving_time),
                distance_meters=event.distance,
                display=DistanceDisplay(distance=ctx.units.display_distance(km(event.distance))),
                has_terrain=event.id is not None and event.id in ctx.terrain_ids,
                start_time=_start_time(event),
                indoor=True if event.indoor or event.type in VIRTUAL_TYPES else None,
            )
        )
    races.sort(key=lambda r: (r.days_until, r.start_time or "", r.id or 0))
    infos = [RaceInfo(r.name, r.date, r.category, r.type, r.moving_time_seconds) for r in races]
    taper = next(
        (
            r
            for r in races
            if r.category == "RACE_A" and TAPER_WINDOW[0] <= r.days_until <= TAPER_WINDOW[1]
        ),
        None,
    )
    chosen = pick_race_week_race(infos, ctx.today)
    week = None
    if chosen is not None:
        # Everything done from race day - 7 up to today, whatever the display window.
        first = chosen.day - timedelta(days=7)
        spent = (
            sum(load_metrics.daily_loads(ctx.activities, first, ctx.today))
            if first <= ctx.today
            else 0.0
        )
        week = race_week(
            RaceWeekInputs(
                race=chosen,
                today=ctx.today,
                ctl=ctx.fitness.ctl,
                atl=ctx.fitness.atl,
                tss_spent=spent,
            )
        )
    calendar = RaceCalendar(
        next_race=races[0] if races else None,
        all_races=races,
        taper_alert=NotActive()
        if taper is None
        else TaperAlert(
            active=True,
            event_name=taper.name,
            event_date=taper.date,
            days_until=taper.days_until,
            message=taper_message(
                RaceInfo(taper.name, taper.date, taper.category, taper.type, None),
                taper.days_until,
            ),
        ),
        race_week=week if week is not None else NotActive(),
    )
    return calendar, infos


# ------------------------------------------------------------------------------ alerts


def _readings(
    wellness: Sequence[Wellness], today: date, attr: str, valid: bool
) -> list[tuple[date, float]]:
    """(date, value) of the last 28 days up to today, oldest first, valid values only."""
    start = today - timedelta(days=27)
    by_day: dict[date, float] = {}
    for w in wellness:
        value = getattr(w, attr)
        if w.day is None or value is None or not start <= w.day <= today:
            continue
        if valid and not (is_valid_hrv(value) if attr == "hrv" else value > 0):
            continue
        by_day[w.day] = float(value)
    return sorted(by_day.items())


def _tid_drift(seven: SeilerTID, twenty_eight: SeilerTID) -> str | None:
    c7, c28 = seven.classification, twenty_eight.classification
    if c7 is None or c28 is None:
        return None
    pi7, pi28 = seven.polarization_index, twenty_eight.polarization_index
    if pi28 is not None and pi28 >= 2.0 and (pi7 is None or pi7 < 2.0):
        return "acute_depolarization"
    return "shifting" if c7 != c28 else "consistent"


def _alert_inputs(ctx: DecisionContext, deload_active: bool) -> AlertInputs:
    return AlertInputs(
        today=ctx.today,
        acwr=ctx.load.acwr,
        effective_monotony=ctx.load.effective_monotony,
        strain=ctx.load.strain,
        ri=ctx.ri,
        ri_yesterday=ctx.ri_yesterday,
        hrv_baseline_7d=ctx.base.hrv_baseline_7d,
        rhr_baseline_7d=ctx.base.rhr_baseline_7d,
        hrv_days=_readings(ctx.wellness, ctx.today, "hrv", valid=True),
        rhr_days=_readings(ctx.wellness, ctx.today, "resting_hr", valid=True),
        deload_active=deload_active,
        durability=ctx.durability,
        tid_drift=_tid_drift(ctx.seiler_7d, ctx.seiler_28d),
    )


# ------------------------------------------------------------------------------ readiness


def _readiness_inputs(
    ctx: DecisionContext, phase: PhaseResult, alerts: Sequence[Alert], race_week_active: bool
) -> ReadinessInputs:
    today_record = next((w for w in reversed(list(ctx.wellness)) if w.day == ctx.today), None)
    fresh = ctx.today - timedelta(days=1)
    base = ctx.base
    hrv = base.latest_hrv if base.latest_hrv_date and base.latest_hrv_date >= fresh else None
    rhr = base.latest_rhr if base.latest_rhr_date and base.latest_rhr_date >= fresh else None
    sleep_secs = today_record.sleep_secs if today_record is not None else None
    return ReadinessInputs(
        as_of_date=ctx.today,
        hrv=hrv,
        hrv_baseline_7d=base.hrv_baseline_7d,
        rhr=rhr,
        rhr_baseline_7d=base.rhr_baseline_7d,
        sleep_hours=hours(sleep_secs),
        sleep_quality=today_record.sleep_quality if today_record is not None else None,
        acwr_start_of_day=ctx.load.acwr_start_of_day,
        ri=ctx.ri,
        ri_yesterday=ctx.ri_yesterday,
        tsb=ctx.fitness.tsb,
        alerts=alerts,
        phase=phase.phase,
        phase_week=phase.phase_duration_weeks,
        race_week_active=race_week_active,
        deload_active=phase.basis.deload.active,
        sdnn_available=today_record is not None
        and today_record.hrv is None
        and today_record.hrv_sdnn is not None,
    )


# ------------------------------------------------------------------------------ plan adherence


def _plan_adherence(ctx: DecisionContext) -> tuple[PlanAdherence, WorkoutSummaryStats]:
    """Each planned session of the last 14 days (and today) with the activity that did it."""
    start = ctx.today - timedelta(days=ADHERENCE_DAYS)
    by_event: dict[int, Activity] = {}
    by_id = {a.id: a for a in ctx.activities if a.id}
    for a in ctx.activities:
        if a.paired_event_id is not None and not a.is_strava_stub:
            by_event.setdefault(a.paired_event_id, a)
    sessions: list[PlannedSessionOutcome] = []
    for e in sorted(ctx.events, key=lambda e: (e.start_date_local or "", e.id or 0)):
        day = e.local_date
        if day is None or not start <= day <= ctx.today or e.category != "WORKOUT":
            continue
        activity = by_event.get(e.id) if e.id is not None else None
        if activity is None and e.paired_activity_id:
            activity = by_id.get(e.paired_activity_id)
        planned = e.icu_training_load
        actual = activity.icu_training_load if activity is not None else None
        status: Literal["completed", "missed", "pending"] = (
            "completed" if activity is not None else "pending" if day == ctx.today else "missed"
        )
        seconds = e.moving_time
        sessions.append(
            PlannedSessionOutcome(
                event_id=e.id,
                date=day,
                name=e.name,
                sport_type=e.type,
                workout_summary=summarize_workout(e.workout_doc),
                planned_tss=int_or_none(planned),
                planned_duration_hours=hours(seconds),
                status=status,
                activity_id=activity.id if activity is not None else None,
                actual_tss=int_or_none(actual),
                actual_duration_hours=hours(activity.moving_time) if activity else None,
                tss_ratio=round(actual / planned, 2) if actual is not None and planned else None,
            )
        )
    past = [s for s in sessions if s.status != "pending"]
    done = sum(1 for s in past if s.status == "completed")
    adherence = PlanAdherence(
        window_start=start,
        window_end=ctx.today,
        planned=len(past),
        completed=done,
        missed=len(past) - done,
        completion_rate=round(done / len(past), 2) if past else None,
        sessions=sessions,
    )
    return adherence, _summary_stats(ctx)


def _summary_stats(ctx: DecisionContext) -> WorkoutSummaryStats:
    """How many planned sessions (today … +42 days) got a one-line workout summary."""
    horizon = ctx.today + timedelta(days=42)
    attempted = success = no_doc = no_match = 0
    for e in ctx.events:
        day = e.local_date
        if day is None or not ctx.today <= day <= horizon:
            continue
        if e.category not in TRAINING_EVENT_CATEGORIES:
            continue
        attempted += 1
        if summarize_workout(e.workout_doc) is not None:
            success += 1
        elif e.workout_doc is None:
            no_doc += 1
        else:
            no_match += 1
    return WorkoutSummaryStats(
        attempted=attempted,
        success=success,
        bail_no_workout_doc=no_doc,
        bail_no_match=no_match,
    )


def durability_signal(d: Durability) -> DurabilitySignal:
    """The capability block's durability, as the alerts read it (one computation)."""
    return DurabilitySignal(
        mean_7d=d.mean_decoupling_7d,
        mean_28d=d.mean_decoupling_28d,
        sessions_7d=d.qualifying_sessions_7d,
        sessions_28d=d.qualifying_sessions_28d,
        high_drift_7d=d.high_drift_count_7d,
        trend=d.trend,
    )
