"""Training-phase detection: two streams of evidence and one classifier.

Stream 1 reads the finalized weeks (what was done): CTL slope, ACWR trend, hard days,
monotony. Stream 2 reads the calendar (what is planned): load of the rest of this week and
of next week against recent weeks, planned hard sessions, race proximity. The classifier
walks a fixed ladder (first match wins) and reports the reason codes of the rung that
matched. Pure: the caller supplies the weeks, the plan and the deload check.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from section11.metrics._common import MetricModel
from section11.metrics.decisions.deload import (
    REDUCED_RATIO,
    DeloadCheck,
    DeloadInputs,
    detect_deload,
)

Phase = Literal["Base", "Build", "Peak", "Taper", "Deload", "Recovery", "Overreached"]
Confidence = Literal["high", "medium", "low"]

# Stream 1
FLAT_SLOPE = 1.0
BUILD_HARD_AVG = 1.5
MONOTONY_ELEVATED = 2.5
ACWR_OVERREACHED = 1.5
ACWR_OVERREACHED_RISING = 1.3
ACWR_TREND_STEP = 0.1
# Stream 2 and the classifier
TAPER_DAYS = 14
PEAK_DAYS = 21
PEAK_CTL_SHARE = 0.95
PEAK_MIN_SLOPE = -0.5
RECOVERY_SLOPE = -1.0
RECOVERY_HARD_AVG = 0.5
NEXT_WEEK_REBOUND = 0.85
CONFIRMED_REBOUND = 0.80
PLAN_GAP_COVERAGE = 0.3
RELIABLE_SESSIONS = 3
DEFAULT_EXPECTED_SESSIONS = 5
MIN_WEEKS = 3
A_OR_B = frozenset({"RACE_A", "RACE_B"})


@dataclass(frozen=True)
class WeekSummary:
    """One finalized (or the current) week. ``hr_only_hard`` marks a week whose hard days
    were all judged on heart rate alone."""

    week_start: date
    total_tss: float | None
    primary_sport_tss: float | None
    hard_days: int | None
    activity_count: int
    ctl_end: float | None
    acwr: float | None
    monotony: float | None
    has_data: bool = True
    hr_only_hard: bool = False


@dataclass(frozen=True)
class PlannedSession:
    day: date
    category: str
    planned_tss: float | None
    primary_sport: bool
    hard: bool


@dataclass(frozen=True)
class PhaseInputs:
    """Everything the classifier reads. ``finalized`` are up to 4 complete weeks, oldest
    first; ``current`` is the running week (None for history backfill)."""

    finalized: Sequence[WeekSummary]
    current: WeekSummary | None = None
    current_ctl: float | None = None
    today: date | None = None
    current_week_end: date | None = None
    plan: Sequence[PlannedSession] = ()
    next_race_category: str | None = None
    next_race_days: int | None = None
    previous_phases: Sequence[str | None] = ()  # finalized weeks' phases, oldest first
    tss_7d: float | None = None
    tss_28d: float | None = None
    any_hr_zone_preference: bool = False
    backfill: bool = False


class StreamOne(MetricModel):
    ctl_slope: float | None
    acwr_trend: Literal["rising", "falling", "stable"] | None
    hard_day_pattern: float | None
    monotony_trend: Literal["elevated", "normal"] | None
    weeks_available: int
    suggested_phase: Phase | None


class StreamTwo(MetricModel):
    planned_tss_delta: float | None
    planned_tss_delta_reliable: bool
    hard_sessions_planned: int
    sessions_planned_current_week: int
    current_week_hard_days_completed: int | None
    current_week_hard_days_total: int | None
    race_proximity: int | None
    race_category: str | None
    next_week_load: float | None
    plan_coverage_current_week: float | None
    plan_coverage_next_week: float | None
    expected_sessions: int
    suggested_phase: Phase | None


class PhaseBasis(MetricModel):
    stream_1: StreamOne
    stream_2: StreamTwo
    data_quality: Literal["good", "mixed", "poor"]
    stream_agreement: bool | None
    deload: DeloadCheck


class PhaseResult(MetricModel):
    phase: Phase | None
    confidence: Confidence
    reason_codes: list[str]
    basis: PhaseBasis
    previous_phase: str | None
    phase_duration_weeks: int | None


# ------------------------------------------------------------------------------ streams


def _slope(values: Sequence[float]) -> float | None:
    """Least-squares slope against the index (per week); None below 2 values."""
    n = len(values)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return round(num / den, 2)


def stream_one(weeks: Sequence[WeekSummary]) -> StreamOne:
    ctls = [w.ctl_end for w in weeks if w.ctl_end is not None]
    slope = _slope(ctls)
    acwrs = [w.acwr for w in weeks if w.acwr is not None]
    trend: Literal["rising", "falling", "stable"] | None = None
    if len(acwrs) >= 2:
        change = acwrs[-1] - acwrs[0]
        trend = (
            "rising"
            if change > ACWR_TREND_STEP
            else "falling"
            if change < -ACWR_TREND_STEP
            else "stable"
        )
    hard = [w.hard_days for w in weeks if w.hard_days is not None]
    hard_avg = round(sum(hard) / len(hard), 2) if hard else None
    monos = [w.monotony for w in weeks if w.monotony is not None]
    mono_trend: Literal["elevated", "normal"] | None = None
    if len(monos) >= 2:
        mono_trend = "elevated" if monos[-1] > MONOTONY_ELEVATED else "normal"
    last_acwr = weeks[-1].acwr if weeks else None
    suggested: Phase | None = None
    if (
        mono_trend == "elevated"
        and last_acwr is not None
        and (
            last_acwr >= ACWR_OVERREACHED
            or (last_acwr >= ACWR_OVERREACHED_RISING and trend == "rising")
        )
    ):
        suggested = "Overreached"
    elif slope is not None and hard_avg is not None:
        if slope > FLAT_SLOPE and hard_avg >= BUILD_HARD_AVG:
            suggested = "Build"
        elif abs(slope) <= FLAT_SLOPE and hard_avg <= BUILD_HARD_AVG:
            suggested = "Base"
    return StreamOne(
        ctl_slope=slope,
        acwr_trend=trend,
        hard_day_pattern=hard_avg,
        monotony_trend=mono_trend,
        weeks_available=sum(1 for w in weeks if w.has_data),
        suggested_phase=suggested,
    )


def _ratio(part: float, whole: float | None) -> float | None:
    return round(part / whole, 2) if whole else None


def stream_two(inputs: PhaseInputs, stream1_weeks: Sequence[WeekSummary]) -> StreamTwo:
    today, week_end = inputs.today, inputs.current_week_end
    counts = [w.activity_count for w in stream1_weeks[-4:] if w.has_data]
    expected = max(1, round(sum(counts) / len(counts))) if counts else DEFAULT_EXPECTED_SESSIONS
    use_primary = any((w.primary_sport_tss or 0) > 0 for w in stream1_weeks)

    def tss(s: PlannedSession) -> float:
        if use_primary and not s.primary_sport:
            return 0.0
        return s.planned_tss or 0.0

    def week_tss(w: WeekSummary) -> float | None:
        return w.primary_sport_tss if use_primary else w.total_tss

    prev = [v for v in (week_tss(w) for w in stream1_weeks[-3:]) if v is not None]
    avg_prev = sum(prev) / len(prev) if prev else None
    current: list[PlannedSession] = []
    following: list[PlannedSession] = []
    if today is not None and week_end is not None:
        days_left = (week_end - today).days + 1
        for s in inputs.plan:
            offset = (s.day - week_end).days
            if today <= s.day <= week_end:
                current.append(s)
            elif 1 <= offset <= 7:
                following.append(s)
    else:
        days_left = 0
    planned = sum(tss(s) for s in current)
    delta = _ratio(planned * 7 / days_left, avg_prev) if planned > 0 and days_left > 0 else None
    next_planned = sum(tss(s) for s in following)
    next_delta = _ratio(next_planned, avg_prev) if following else None
    hard_planned = sum(1 for s in current if s.hard)
    done = inputs.current.hard_days if inputs.current is not None else None
    cov_now = round(len(current) / expected, 2) if inputs.today is not None else None
    cov_next = round(len(following) / expected, 2) if inputs.today is not None else None
    reliable = delta is not None and len(current) >= RELIABLE_SESSIONS

    suggested: Phase | None = None
    race_days, race_cat = inputs.next_race_days, inputs.next_race_category
    if race_cat in A_OR_B and race_days is not None and race_days <= TAPER_DAYS:
        suggested = "Taper"
    elif (
        race_cat in A_OR_B
        and race_days is not None
        and race_days <= PEAK_DAYS
        and delta is not None
        and delta > REDUCED_RATIO
    ):
        suggested = "Peak"
    elif (
        delta is not None
        and delta <= REDUCED_RATIO
        and (
            (next_delta is not None and next_delta >= NEXT_WEEK_REBOUND)
            or (cov_next is not None and cov_next >= PLAN_GAP_COVERAGE)
        )
    ):
        suggested = "Deload"
    return StreamTwo(
        planned_tss_delta=delta,
        planned_tss_delta_reliable=reliable,
        hard_sessions_planned=hard_planned,
        sessions_planned_current_week=len(current),
        current_week_hard_days_completed=done,
        current_week_hard_days_total=None if done is None else done + hard_planned,
        race_proximity=race_days,
        race_category=race_cat,
        next_week_load=next_delta,
        plan_coverage_current_week=cov_now,
        plan_coverage_next_week=cov_next,
        expected_sessions=expected,
        suggested_phase=suggested,
    )


# ------------------------------------------------------------------------------ classifier


@dataclass
class _Verdict:
    phase: Phase | None
    confidence: Confidence
    reasons: list[str] = field(default_factory=list)


_DOWNGRADE: dict[Confidence, Confidence] = {"high": "medium", "medium": "low", "low": "low"}


def _score(s1: StreamOne, s2: StreamTwo, previous: str | None, good: bool) -> _Verdict:
    build = base = 0
    slope, hard = s1.ctl_slope, s1.hard_day_pattern
    if slope is not None:
        if slope > 2:
            build += 3
        elif slope > 1:
            build += 2
        elif slope > 0:
            build += 1
        elif slope >= -1:
            base += 2
    if hard is not None:
        if hard >= 2.5:
            build += 2
        elif hard >= 1.5:
            build += 1
        elif hard <= 1.0:
            base += 2
        else:
            base += 1
    if s1.acwr_trend == "rising":
        build += 1
    elif s1.acwr_trend in ("stable", "falling"):
        base += 1
    total = s2.current_week_hard_days_total
    if s2.sessions_planned_current_week >= RELIABLE_SESSIONS and total is not None:
        if total >= 2:
            build += 1
        else:
            base += 1
    margin = build - base
    prev_ok: Phase | None = previous if previous in ("Build", "Base") else None  # type: ignore[assignment]
    phase: Phase | None
    if margin >= 2:
        phase = "Build"
    elif margin <= -2:
        phase = "Base"
    elif margin > 0:
        phase = prev_ok or "Build"
    elif margin < 0:
        phase = prev_ok or "Base"
    else:
        phase = prev_ok
    if phase is None:
        return _Verdict(None, "low", ["BUILD_BASE_AMBIGUOUS"])
    if abs(margin) >= 3 and good:
        confidence: Confidence = "high"
    elif abs(margin) >= 2 or good:
        confidence = "medium"
    else:
        confidence = "low"
    reasons = [f"{phase.upper()}_SCORE_{build}_{base}"]
    return _Verdict(phase, confidence, reasons)


def _classify(
    inputs: PhaseInputs, s1: StreamOne, s2: StreamTwo, deload: DeloadCheck, quality: str
) -> _Verdict:
    previous = inputs.previous_phases[-1] if inputs.previous_phases else None
    weeks = s1.weeks_available
    if quality == "poor" and weeks < 2:
        return _Verdict(None, "low", ["INSUFFICIENT_DATA"])
    if s1.suggested_phase == "Overreached":
        return _Verdict("Overreached", "high", ["SAFETY_ACWR_OR_MONOTONY"])
    race_days = s2.race_proximity
    a_or_b = s2.race_category in A_OR_B and race_days is not None
    delta, reliable = s2.planned_tss_delta, s2.planned_tss_delta_reliable
    if a_or_b and race_days is not None and race_days <= TAPER_DAYS:
        if reliable and delta is not None and delta <= REDUCED_RATIO:
            return _Verdict("Taper", "high", ["RACE_IMMINENT_VOLUME_REDUCING"])
        return _Verdict("Taper", "medium", ["RACE_IMMINENT"])
    ctls = [w.ctl_end for w in inputs.finalized if w.ctl_end is not None]
    current_ctl = (
        inputs.current_ctl if inputs.current_ctl is not None else (ctls[-1] if ctls else None)
    )
    slope, hard_avg = s1.ctl_slope, s1.hard_day_pattern
    if (
        a_or_b
        and race_days is not None
        and race_days <= PEAK_DAYS
        and (not reliable or (delta is not None and delta > REDUCED_RATIO))
        and len(ctls) >= 3
        and current_ctl is not None
        and current_ctl >= PEAK_CTL_SHARE * max([*ctls, current_ctl])
        and slope is not None
        and slope >= PEAK_MIN_SLOPE
    ):
        return _Verdict("Peak", "medium", ["RACE_APPROACHING_CTL_HIGH"])
    if (
        slope is not None
        and slope < RECOVERY_SLOPE
        and hard_avg is not None
        and hard_avg < RECOVERY_HARD_AVG
        and weeks >= MIN_WEEKS
    ):
        return _Verdict(
            "Recovery", "medium" if quality == "good" else "low", ["DECLINING_LOAD_NO_HARD_DAYS"]
        )
    hard_planned = s2.hard_sessions_planned
    if previous == "Deload":
        if hard_planned >= 2:
            return _Verdict("Build", "medium", ["BUILD_RESUMING_AFTER_DELOAD"])
        cov = s2.plan_coverage_current_week
        if hard_planned >= 1 or (
            cov is not None and cov > 0 and (not reliable or (delta or 0) > REDUCED_RATIO)
        ):
            return _Verdict("Build", "low", ["BUILD_RESUMING_AFTER_DELOAD_TENTATIVE"])
    if deload.active:
        reasons = [f"DELOAD_PATH_{(deload.path or '').upper()}"]
        nxt, cov_next = s2.next_week_load, s2.plan_coverage_next_week
        if nxt is not None and nxt >= CONFIRMED_REBOUND:
            return _Verdict(
                "Deload", "high", ["BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED", *reasons]
            )
        if cov_next is not None and cov_next < PLAN_GAP_COVERAGE:
            return _Verdict(
                "Deload", "medium", ["BUILD_HISTORY_REDUCED_LOAD", "PLAN_GAP_NEXT_WEEK", *reasons]
            )
        return _Verdict("Deload", "medium", ["BUILD_HISTORY_REDUCED_LOAD", *reasons])
    if (
        reliable
        and delta is not None
        and delta <= REDUCED_RATIO
        and hard_planned <= 1
        and not deload.build_history
        and slope is not None
        and slope < RECOVERY_SLOPE
    ):
        return _Verdict("Recovery", "low", ["NO_BUILD_HISTORY_LOW_LOAD"])
    return _score(s1, s2, previous, quality == "good")


def _quality(
    inputs: PhaseInputs, s1: StreamOne
) -> tuple[Literal["good", "mixed", "poor"], list[str]]:
    if s1.weeks_available < MIN_WEEKS:
        return "poor", ["INSUFFICIENT_LOOKBACK"]
    recent = inputs.finalized[-4:]
    hr_only = sum(1 for w in recent if w.hr_only_hard)
    if recent and hr_only * 2 > len(recent) and not inputs.any_hr_zone_preference:
        return "mixed", ["HR_ONLY_MAJORITY"]
    return "good", []


def detect_phase(inputs: PhaseInputs) -> PhaseResult:
    """Classify the current week (or, with ``backfill``, the last of ``finalized``)."""
    weeks = list(inputs.finalized)[-4:]
    s1 = stream_one(weeks)
    s2 = stream_two(inputs, weeks)
    quality, quality_codes = _quality(inputs, s1)
    deload = detect_deload(
        DeloadInputs(
            finalized_week_tss=[w.total_tss for w in weeks],
            finalized_hard_days=[w.hard_days for w in weeks],
            ctl_slope=s1.ctl_slope,
            tss_7d=inputs.tss_7d,
            tss_28d=inputs.tss_28d,
            planned_tss_ratio=s2.planned_tss_delta,
            plan_reliable=s2.planned_tss_delta_reliable,
            sessions_planned=s2.sessions_planned_current_week,
            hard_sessions_planned=s2.hard_sessions_planned,
        )
    )
    verdict = _classify(inputs, s1, s2, deload, quality)
    previous = inputs.previous_phases[-1] if inputs.previous_phases else None
    reasons = list(verdict.reasons)
    confidence = verdict.confidence
    if verdict.phase is not None and previous and previous != verdict.phase:
        reasons.append(f"PHASE_TRANSITION_{previous.upper()}_TO_{verdict.phase.upper()}")
    if quality == "poor" and verdict.phase is not None:
        confidence = _DOWNGRADE[confidence]
    planned = s2.sessions_planned_current_week > 0 or bool(s2.plan_coverage_next_week)
    if not inputs.backfill and not planned and confidence == "high":
        confidence = "medium"
        reasons.append("NO_PLANNED_WORKOUTS")
    reasons.extend(quality_codes)
    suggestions = (s1.suggested_phase, s2.suggested_phase)
    agreement = None if None in suggestions else suggestions[0] == suggestions[1]
    duration: int | None = None
    if verdict.phase is not None:
        duration = 1
        for past in reversed(inputs.previous_phases):
            if past != verdict.phase:
                break
            duration += 1
    return PhaseResult(
        phase=verdict.phase,
        confidence=confidence,
        reason_codes=reasons,
        basis=PhaseBasis(
            stream_1=s1,
            stream_2=s2,
            data_quality=quality,
            stream_agreement=agreement,
            deload=deload,
        ),
        previous_phase=previous,
        phase_duration_weeks=duration,
    )
