"""latest.json: the athlete's current picture, built from already-fetched records.

A pure builder: every input arrives in ``LatestInputs`` (records, settings, the run's clock
values and what other builders found), every number comes from ``section11.metrics``.

Windows:
- the display window (``--days``, default 7) is today − (days − 1) … today in the athlete's
  local dates; ``wellness_data``, ``summary``, ``quick_stats`` and the headline of
  ``weekly_summary`` cover exactly that window;
- ``recent_activities`` lists the 28 days ending today, each entry flagged with
  ``days_ago`` and ``in_display_window``;
- 7-day and 28-day metrics always cover the 7 / 28 days ending today, whatever ``--days``;
- ``weekly_summary.weeks`` are the last four calendar weeks starting on WEEK_START.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from section11.clock import athlete_zone, local_now
from section11.config import Settings
from section11.metrics.benchmark import benchmark_index, seasonal_context
from section11.metrics.consistency import consistency_index, planned_sessions
from section11.metrics.decisions import PhaseResult
from section11.metrics.dfa_profile import DfaSession, DfaSummary, dfa_a1_profile
from section11.metrics.effort import effort_response
from section11.metrics.fitness import current_fitness
from section11.metrics.health import HealthContext, health_context
from section11.metrics.load import LoadSummary, load_summary
from section11.metrics.load_ratios import load_recovery_ratio, stress_tolerance
from section11.metrics.session import hrr_value, intensity_pct
from section11.metrics.sports import (
    HEALTH_EVENT_CATEGORIES,
    TRAINING_EVENT_CATEGORIES,
    VIRTUAL_TYPES,
    family_of,
    is_outdoor,
)
from section11.metrics.thresholds import (
    PowerModel,
    SportThreshold,
    format_pace,
    power_model,
    sport_thresholds,
)
from section11.metrics.weeks import week_start_of
from section11.metrics.wellness import Baselines, baselines, is_valid_hrv, recovery_indices
from section11.metrics.workout import summarize_workout, workout_total_seconds
from section11.metrics.zones import SeilerTID, activity_zones, aggregate_zones, hard_day, seiler_tid
from section11.outputs.common import (
    clean_text,
    format_duration,
    hours,
    int_or_none,
    km,
    kmh,
    round_or_none,
    split_coach_notes,
)
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.latest_capability import Capability
from section11.outputs.latest_capability_builder import capability_for_latest
from section11.outputs.latest_decisions import DecisionContext, build_decisions, durability_signal
from section11.outputs.latest_models import (
    ActivityDisplay,
    ActivityZones,
    AcwrStartOfDay,
    AthleteProfile,
    ConsistencyDetails,
    CurrentMetrics,
    CurrentStatus,
    DataQuality,
    DerivedMetrics,
    DisplayPreferences,
    DistanceDisplay,
    FtpHistoryDays,
    HeightDisplay,
    HistoryBlock,
    LatestFile,
    Metadata,
    PlannedWorkout,
    QuickStats,
    ReadThisFirst,
    RecentActivity,
    Summary,
    Thresholds,
    TypeSummary,
    WeeklySummary,
    WeekRow,
    WeightDisplay,
    WellnessFieldScales,
    WellnessRow,
    ZoneDistribution7d,
)
from section11.outputs.latest_protocol import PRE_TRAINING_UI_NOTE
from section11.outputs.latest_weight import weight_for_latest
from section11.outputs.session_fields import weather_line
from section11.privacy.notes import ATHLETE_TEXT_NOTE, privacy_note
from section11.sources.intervals_icu.curve_models import DataCurve
from section11.sources.intervals_icu.models import (
    Activity,
    Athlete,
    Event,
    Wellness,
    parse_local_date,
)
from section11.units import DisplayUnits

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
PLAN_HORIZON_DAYS = 42
PLAN_DESCRIPTION_DAYS = 7
PLAN_PREVIEW_LINES = 3
WEEKS_SHOWN = 4
# Main events fetch starts 14 days back: the health lookback when the dedicated fetch fails.
MAIN_EVENTS_LOOKBACK_DAYS = 14
HEALTH_LOOKBACK_DAYS = 365
TAPER_WINDOW = (8, 14)
ANONYMOUS_NAME = "Training Session"
REDACTED = "REDACTED"
DEFAULT_ZONE_PREFERENCE = "default (power preferred, HR fallback)"
ACWR_DEFINITION = "7-day mean load / 28-day mean load, both ending today"

# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class ActivityExtras:
    """What the intervals/terrain builders know about one activity (keyed by activity id)."""

    has_intervals: bool | None = None
    terrain_summary: dict[str, Any] | None = None
    terrain_status: str | None = None
    terrain_error: str | None = None
    weather_summary: dict[str, Any] | None = None
    has_dfa: bool | None = None
    dfa_summary: DfaSummary | None = None
    chat_notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LatestInputs:
    athlete: Athlete
    activities: Sequence[Activity]  # everything fetched (>= 42 days, stubs included)
    wellness: Sequence[Wellness]  # fetched range (>= 42 days)
    events: Sequence[Event]  # today-14 ... today+90
    health_events: Sequence[Event] | None  # SICK/INJURED; None = that fetch failed
    ftp_history: FtpHistory  # already updated for this run
    settings: Settings
    now_utc: datetime
    today: date  # athlete-local date
    version: str
    history: HistoryBlock | None = None
    activity_extras: Mapping[str, ActivityExtras] = field(default_factory=dict)
    terrain_event_ids: frozenset[int] = frozenset()
    warnings: Sequence[str] = ()
    # Phase stored for each finalized week (history.json), keyed by week start.
    weekly_phases: Mapping[date, str | None] = field(default_factory=dict)
    # Power/HR curves by request key (see outputs/curve_cache.py); None: not fetched.
    curves: Mapping[str, Sequence[DataCurve]] | None = None
    dfa_sessions: Sequence[DfaSession] = ()  # AlphaHRV sessions of the last 28 days


# ------------------------------------------------------------------------------ windows


@dataclass(frozen=True)
class _Window:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def _ending(today: date, days: int) -> _Window:
    return _Window(today - timedelta(days=days - 1), today)


def _activities_in(activities: Iterable[Activity], window: _Window) -> list[Activity]:
    """Non-stub activities whose local start date lies in the window, newest first."""
    chosen = [a for a in activities if not a.is_strava_stub and a.local_date in window]
    return sorted(chosen, key=lambda a: (a.start_date_local or "", a.id or ""), reverse=True)


def _wellness_by_day(wellness: Iterable[Wellness], window: _Window) -> dict[date, Wellness]:
    """One record per date in the window, ascending; a later duplicate of a date wins."""
    out: dict[date, Wellness] = {}
    for record in wellness:
        if record.day in window:
            assert record.day is not None
            out[record.day] = record
    return dict(sorted(out.items()))


# ------------------------------------------------------------------------------ builder


def build_latest(inputs: LatestInputs) -> LatestFile:
    """Assemble latest.json from one run's records."""
    today, settings = inputs.today, inputs.settings
    units = DisplayUnits.from_athlete_settings(
        measurement_preference=inputs.athlete.measurement_preference,
        weight_pref_lb=inputs.athlete.weight_pref_lb,
        fahrenheit=inputs.athlete.fahrenheit,
        wind_speed=inputs.athlete.wind_speed,
        rain=inputs.athlete.rain,
        height_units=inputs.athlete.height_units,
    )
    display_window = _ending(today, settings.days)
    window_7, window_28 = _ending(today, ACUTE_DAYS), _ending(today, CHRONIC_DAYS)
    shown = _activities_in(inputs.activities, display_window)
    acts_7 = _activities_in(inputs.activities, window_7)
    acts_28 = _activities_in(inputs.activities, window_28)
    stubs_28 = sum(1 for a in inputs.activities if a.is_strava_stub and a.local_date in window_28)
    wellness_shown = _wellness_by_day(inputs.wellness, display_window)
    wellness_28 = _wellness_by_day(inputs.wellness, window_28)

    load = load_summary(inputs.activities, today)
    base = baselines(inputs.wellness, today)
    thresholds = sport_thresholds(inputs.athlete)
    current = _current_metrics(wellness_28, inputs.athlete, today, units)
    # Intervals.icu models eFTP daily; the newest record that carries the model is used.
    # A Ride entry whose values are all null carries nothing and must not hide older ones.
    model = next(
        (m for m in map(power_model, reversed(wellness_28.values())) if m.source is not None),
        power_model(None),
    )
    ri, ri_yesterday = recovery_indices(inputs.wellness, today, base)
    weeks = _weeks(inputs.activities, today, settings)
    totals = _totals(shown)
    fitness = current_fitness(
        inputs.wellness,
        today,
        # Strava stubs count: Intervals.icu has the session (and its load in
        # today's CTL/ATL), only its API will not share the details.
        trained_today=any(a.local_date == today for a in inputs.activities),
        training_planned_today=any(
            e.local_date == today and e.category in TRAINING_EVENT_CATEGORIES for e in inputs.events
        ),
    )
    # Shared by the capability block, the alerts and derived_metrics: computed once.
    seiler_7d = seiler_tid(acts_7, settings.zone_preference)
    seiler_28d = seiler_tid(acts_28, settings.zone_preference)
    capability = capability_for_latest(
        inputs, acts_7, acts_28, thresholds, model.w_prime, seiler_7d, seiler_28d
    ).model_copy(update={"dfa_a1_profile": dfa_a1_profile(inputs.dfa_sessions)})
    decisions = build_decisions(
        DecisionContext(
            today=today,
            activities=inputs.activities,
            wellness=inputs.wellness,
            events=inputs.events,
            zone_preference=settings.zone_preference,
            week_start=settings.week_start,
            load=load,
            base=base,
            ri=ri,
            ri_yesterday=ri_yesterday,
            fitness=fitness,
            seiler_7d=seiler_7d,
            seiler_28d=seiler_28d,
            terrain_ids=inputs.terrain_event_ids,
            units=units,
            weekly_phases=inputs.weekly_phases,
            durability=durability_signal(capability.durability),
        )
    )

    return LatestFile(
        READ_THIS_FIRST=_read_this_first(settings, display_window, totals, stubs_28),
        metadata=_metadata(inputs),
        athlete_profile=_athlete_profile(inputs.athlete, today, units),
        athlete_notes=clean_text(inputs.athlete.icu_notes),
        alerts=decisions.alerts,
        readiness_decision=decisions.readiness,
        health_context=_health(inputs, wellness_28),
        history=inputs.history
        or HistoryBlock(
            available=False,
            history_confidence="low",
            note="history.json has not been generated yet; long-term trends are not available",
        ),
        summary=_summary(shown, settings.days, units),
        current_status=CurrentStatus(
            fitness=fitness,
            thresholds=Thresholds(
                eftp=model.eftp,
                w_prime=model.w_prime,
                w_prime_kj=model.w_prime_kj,
                p_max=model.p_max,
                vo2max=current.vo2max,
                power_model_source=model.source or "unavailable",
                sports=thresholds,
            ),
            current_metrics=current,
            weight=weight_for_latest(
                wellness_28,
                today,
                thresholds=thresholds,
                eftp=model.eftp,
                ftp_history=inputs.ftp_history,
                units=units,
            ),
        ),
        derived_metrics=_derived(
            inputs,
            _Computed(
                load=load,
                base=base,
                ri=(ri, ri_yesterday),
                power=model,
                vo2max=current.vo2max,
                thresholds=thresholds,
                weeks=weeks,
                phase=decisions.phase,
                seiler_7d=seiler_7d,
                seiler_28d=seiler_28d,
                capability=capability,
            ),
            acts_7,
            acts_28,
            stubs_28,
            wellness_28,
        ),
        recent_activities=[_recent_activity(a, inputs, units, display_window) for a in acts_28],
        wellness_data=[_wellness_row(day, r, units) for day, r in wellness_shown.items()],
        planned_workouts=_planned(inputs.events, today, inputs.terrain_event_ids),
        workout_summary_stats=decisions.summary_stats,
        plan_adherence=decisions.adherence,
        weekly_summary=_weekly_summary(totals, wellness_shown, weeks, settings),
        race_calendar=decisions.race_calendar,
    )


# ------------------------------------------------------------------------------ guidance

_WELLNESS_SCALES = WellnessFieldScales(
    note=(
        "Categorical wellness fields use a 1-4 scale where 1 is the best state and 4 the "
        "worst. Labels are those shown in Intervals.icu."
    ),
    sleep_quality={"1": "GREAT", "2": "OK", "3": "POOR", "4": "WORST"},
    fatigue={
        "1": "None",
        "2": "Some",
        "3": "High",
        "4": "Extreme",
        "ui_note": PRE_TRAINING_UI_NOTE,
    },
    soreness={
        "1": "None",
        "2": "Some",
        "3": "High",
        "4": "Extreme",
        "ui_note": PRE_TRAINING_UI_NOTE,
    },
    stress={"1": "LOW", "2": "AVG", "3": "HIGH", "4": "EXTREME"},
    mood={"1": "GREAT", "2": "GOOD", "3": "OK", "4": "GRUMPY"},
    motivation={"1": "EXTREME", "2": "HIGH", "3": "AVG", "4": "LOW"},
    injury={"1": "NONE", "2": "NIGGLE", "3": "POOR", "4": "INJURED"},
    hydration={"1": "GOOD", "2": "OK", "3": "POOR", "4": "BAD"},
    menstrual=(
        "menstrual_phase and menstrual_phase_predicted are not on the 1-4 scale; values are "
        "PERIOD, FOLLICULAR, OVULATING, LUTEAL or NONE."
    ),
)

_UNITS: dict[str, str] = {
    "distance_km, total_distance_km": "km",
    "distance_meters": "m",
    "elevation_m": "m",
    "height_m": "m",
    "duration_hours, total_training_hours, *_decimal_hours, *_hours": "hours (decimal)",
    "moving_time_seconds, *_seconds, zone *_time": "seconds",
    "avg_speed, max_speed": "km/h",
    "threshold_pace": "m/s (a speed); threshold_pace_formatted shows it as pace",
    "weight_kg": "kg",
    "resting_hr, avg_hr, max_hr, avg_sleeping_hr, lthr, max_hr (thresholds)": "bpm",
    "hrv, hrv_rmssd, latest_hrv, hrv_baseline_*": "ms (rMSSD)",
    "hrv_sdnn": "ms (SDNN)",
    "tss, total_tss, planned_tss, tss_*": "TSS (Intervals.icu training load)",
    "intensity_factor": "percent of FTP (84.2 = IF 0.842)",
    "avg_pace": "pace with its unit, in the sport's pace setting ('4:35 /km', '1:55 /100m')",
    "wind_speed": "as wind_speed_unit (the athlete's Intervals.icu setting)",
    "hrrc": "bpm (heart-rate drop in the minute after the hardest effort)",
    "days_ago": "days before today (0 = today), athlete local dates",
    "weather": "one line built from Intervals.icu's weather values, in the athlete's units",
    "avg_power, normalized_power, eftp, ftp, ftp_indoor, p_max": "W",
    "w_prime": "J",
    "w_prime_kj, work_kj": "kJ",
    "calories, kcal_consumed": "kcal",
    "carbs_used, carbs_ingested": "g",
    "avg_temp": "as avg_temp_unit (the athlete's Intervals.icu setting)",
    "sleep_hours": "hours (decimal); quote sleep_formatted",
    "spO2, body_fat_pct": "%",
    "hydration_volume_l": "litres",
    "display": "{value, unit} in the athlete's preferred units; quote these to the athlete",
}


READINESS_DECISION_NOTE = (
    "readiness_decision.recommendation (go / modify / skip) is the baseline answer to 'train "
    "as planned today?': quote it with its reason and priority (P0 safety stop ... P3 green "
    "light) and do not re-derive it from the raw signals; modification.suggested_adjustments "
    "says what to change. derived_metrics.phase_detected (with phase_detection.confidence "
    "and reason_codes) is the training phase; race_calendar.race_week is the day-by-day plan "
    "when an A or B race is 0-7 days away and, when active, sets today's session. alerts are "
    "sorted by tier (1 recovery, 2 load, 3 capability) then severity; race alerts come last. "
    "plan_adherence pairs each planned session of the last 14 days with the activity that "
    "did it. Details: docs/coaching.md in the section11 repository."
)


def _read_this_first(
    settings: Settings, window: _Window, totals: _Totals, stubs: int
) -> ReadThisFirst:
    return ReadThisFirst(
        instruction_for_ai=(
            "DO NOT calculate totals from individual activities: use the pre-calculated "
            "'summary', 'weekly_summary' and 'derived_metrics', computed from the full API "
            "data. A null value means 'not available' (not recorded, not synced or not "
            "computable) - never read it as zero. Check 'derived_metrics.data_quality' "
            "before drawing conclusions from sparse data."
        ),
        display_formatting=(
            "Show the '_formatted' fields for durations and sleep (duration_formatted, "
            "sleep_formatted, total_training_formatted), not converted decimal hours. For "
            "distance, elevation, speed and weight quote the 'display' blocks: they are in "
            "the athlete's preferred units."
        ),
        data_period=(
            f"Last {settings.days} days including today ({window.start.isoformat()} to "
            f"{window.end.isoformat()}, athlete local time)"
        ),
        extended_data_note=(
            "recent_activities holds every activity of the last 28 days, newest first, to "
            "compare sessions over 2-4 weeks; days_ago (0 = today) and in_display_window "
            "(inside data_period) place each one. Totals, summaries and quick_stats cover "
            "data_period only; ACWR, baselines and 28d metrics cover 28 days."
        ),
        rolling_windows_note=(
            "Metrics named 7d or 28d (ACWR, monotony, strain, TSS totals, HRV/RHR baselines, "
            "zone_distribution_7d, seiler_tid_*) cover the 7 or 28 days ending today, "
            "whatever data_period is."
        ),
        zone_preference=dict(settings.zone_preference) or DEFAULT_ZONE_PREFERENCE,
        week_start=settings.week_start_name,
        wellness_field_scales=_WELLNESS_SCALES,
        units=dict(_UNITS),
        quick_stats=QuickStats(
            total_training_hours=totals.hours,
            total_training_formatted=format_duration(totals.seconds),
            total_activities=totals.count,
            total_tss=totals.tss,
        ),
        readiness_decision_note=READINESS_DECISION_NOTE,
        strava_note=(
            f"{stubs} {'activity' if stubs == 1 else 'activities'} in the last 28 days came "
            "from Strava, which does not allow "
            "Intervals.icu to share them through its API, so they are missing from every "
            "total here; connect your device directly to Intervals.icu"
            if stubs
            else None
        ),
        athlete_text_note=ATHLETE_TEXT_NOTE,
        privacy_note=privacy_note(settings.privacy),
    )


def _metadata(inputs: LatestInputs) -> Metadata:
    tz_name = inputs.athlete.timezone
    return Metadata(
        athlete_id=REDACTED if inputs.settings.anonymize else inputs.athlete.id,
        last_updated=local_now(inputs.now_utc, tz_name).isoformat(timespec="seconds"),
        last_updated_utc=inputs.now_utc.astimezone(UTC).isoformat(timespec="seconds"),
        timezone=athlete_zone(tz_name).key,
        today=inputs.today,
        data_range_days=inputs.settings.days,
        extended_range_days=CHRONIC_DAYS,
        version=inputs.version,
        anonymized=inputs.settings.anonymize,
        privacy=inputs.settings.privacy.value,
    )


# ------------------------------------------------------------------------------ athlete


def _complete_years(since: date | None, today: date) -> int | None:
    if since is None or since > today:
        return None
    return today.year - since.year - ((today.month, today.day) < (since.month, since.day))


def _athlete_profile(athlete: Athlete, today: date, units: DisplayUnits) -> AthleteProfile:
    born = parse_local_date(athlete.icu_date_of_birth)
    activated = parse_local_date(athlete.icu_activated)
    place = [part.strip() for part in (athlete.city, athlete.state, athlete.country) if part]
    return AthleteProfile(
        date_of_birth=born.isoformat() if born else None,
        age=_complete_years(born, today),
        height_m=athlete.height,
        display=HeightDisplay(
            height=units.display_height(athlete.height) if athlete.height is not None else None
        ),
        display_preferences=DisplayPreferences(
            wind=units.wind,
            temp=units.temperature.lower(),
            rain=units.rain,
            distance=units.distance,
            weight=units.weight,
            height=units.height,
        ),
        sex=athlete.sex,
        location=", ".join(p for p in place if p) or None,
        timezone=athlete.timezone,
        platform_activated=activated.isoformat() if activated else None,
        years_on_platform=_complete_years(activated, today),
    )


# ------------------------------------------------------------------------------ wellness

# Output field -> Wellness attribute, for values passed through unchanged.
_PASS_THROUGH: dict[str, str] = {
    "sleep_quality": "sleep_quality",
    "sleep_score": "sleep_score",
    "avg_sleeping_hr": "avg_sleeping_hr",
    "vo2max": "vo2max",
    "fatigue": "fatigue",
    "soreness": "soreness",
    "stress": "stress",
    "mood": "mood",
    "motivation": "motivation",
    "injury": "injury",
    "hydration": "hydration",
    "spO2": "spo2",
    "systolic": "systolic",
    "diastolic": "diastolic",
    "respiration": "respiration",
    "body_fat_pct": "body_fat",
    "steps": "steps",
    "hydration_volume_l": "hydration_volume",
    "kcal_consumed": "kcal_consumed",
    "menstrual_phase": "menstrual_phase",
    "menstrual_phase_predicted": "menstrual_phase_predicted",
    "readiness": "readiness",
    "mental_energy": "mental_energy",
    "blood_glucose": "blood_glucose",
    "baevsky_si": "baevsky_si",
    "lactate": "lactate",
    "abdomen_cm": "abdomen",
    "carbohydrates_g": "carbohydrates",
    "protein_g": "protein",
    "fat_g": "fat_total",
}


def _shared_values(get: Callable[[str], Any], units: DisplayUnits) -> dict[str, Any]:
    """The wellness fields common to current_metrics and wellness_data rows."""
    weight = get("weight")
    sleep_secs = get("sleep_secs")
    return {
        "weight_kg": weight,
        "display": WeightDisplay(
            weight=units.display_weight(weight) if weight is not None else None
        ),
        "resting_hr": get("resting_hr"),
        "sleep_hours": hours(sleep_secs),
        "sleep_formatted": format_duration(sleep_secs),
        **{out: get(attr) for out, attr in _PASS_THROUGH.items()},
    }


def _wellness_row(day: date, record: Wellness, units: DisplayUnits) -> WellnessRow:
    return WellnessRow(
        date=day,
        hrv_rmssd=record.hrv,
        hrv_sdnn=record.hrv_sdnn,
        **_shared_values(lambda attr: getattr(record, attr), units),
    )


def _current_metrics(
    by_day: Mapping[date, Wellness], athlete: Athlete, today: date, units: DisplayUnits
) -> CurrentMetrics:
    """Newest value of each field by date; fields from before today carry their date."""
    newest_day: dict[str, date] = {}

    def latest(attr: str) -> Any:
        for day in sorted(by_day, reverse=True):
            value = getattr(by_day[day], attr)
            if value is not None:
                newest_day[attr] = day
                return value
        return None

    values = _shared_values(latest, units)
    hrv = latest("hrv")
    weight_source = "wellness" if values["weight_kg"] is not None else None
    if weight_source is None and athlete.icu_weight is not None:
        values["weight_kg"] = athlete.icu_weight
        values["display"] = WeightDisplay(weight=units.display_weight(athlete.icu_weight))
        weight_source = "athlete_profile"
    rhr_source = "wellness" if values["resting_hr"] is not None else None
    if rhr_source is None and athlete.icu_resting_hr is not None:
        values["resting_hr"] = athlete.icu_resting_hr
        rhr_source = "athlete_profile"

    out_name = {v: k for k, v in _PASS_THROUGH.items()} | {
        "weight": "weight_kg",
        "resting_hr": "resting_hr",
        "sleep_secs": "sleep_hours",
        "hrv": "hrv",
    }
    value_dates = {out_name[attr]: day for attr, day in sorted(newest_day.items()) if day < today}
    return CurrentMetrics(
        as_of=max(by_day) if by_day else None,
        hrv=hrv,
        weight_source=weight_source,
        resting_hr_source=rhr_source,
        value_dates=dict(sorted(value_dates.items())),
        **values,
    )


# ------------------------------------------------------------------------------ activities


def _zone_times(seconds: Mapping[str, float]) -> dict[str, int]:
    return {f"{zone}_time": round(secs) for zone, secs in sorted(seconds.items())}


def _activity_zone_sets(activity: Activity) -> ActivityZones | None:
    """Both zone sets as recorded; the athlete's preference only decides the aggregates."""
    family = family_of(activity.type)
    power = activity_zones(activity, {family: "power"})
    heart = activity_zones(activity, {family: "hr"})
    power_zones = _zone_times(power.seconds) if power and power.basis == "power" else None
    hr_zones = _zone_times(heart.seconds) if heart and heart.basis == "hr" else None
    if power_zones is None and hr_zones is None:
        return None
    return ActivityZones(power_zones=power_zones, hr_zones=hr_zones)


def _recent_activity(
    a: Activity, inputs: LatestInputs, units: DisplayUnits, display_window: _Window
) -> RecentActivity:
    extras = inputs.activity_extras.get(a.id or "", ActivityExtras())
    day = a.local_date
    settings = inputs.athlete.settings_for(a.type) if a.type else None
    pace = format_pace(a.average_speed, settings.pace_units if settings else None)
    notes, description = split_coach_notes(a.description)
    outdoor = is_outdoor(a.type, a.trainer)
    name = ANONYMOUS_NAME if inputs.settings.anonymize and outdoor else a.name
    distance_km = km(a.distance)
    avg_speed, max_speed = kmh(a.average_speed), kmh(a.max_speed)
    temp = a.average_weather_temp if a.average_weather_temp is not None else a.average_temp
    return RecentActivity(
        id=a.id,
        date=a.start_date_local,
        days_ago=(inputs.today - day).days if day is not None else None,
        in_display_window=day in display_window,
        type=a.type,
        name=name,
        duration_hours=hours(a.moving_time),
        duration_formatted=format_duration(a.moving_time),
        distance_km=distance_km,
        tss=int_or_none(a.icu_training_load),
        intensity_factor=intensity_pct(a.icu_intensity),
        avg_power=int_or_none(a.icu_average_watts),
        normalized_power=int_or_none(a.icu_weighted_avg_watts),
        avg_hr=int_or_none(a.average_heartrate),
        max_hr=int_or_none(a.max_heartrate),
        avg_cadence=round_or_none(a.average_cadence, 1),
        avg_speed=avg_speed,
        max_speed=max_speed,
        avg_pace=pace,
        avg_temp=round_or_none(temp, 1),
        avg_temp_unit=units.temperature,
        weather=weather_line(a, units),
        humidity=round_or_none(
            a.average_humidity if a.average_humidity is not None else a.humidity, 1
        ),
        wind_speed=round_or_none(a.average_wind_speed, 1),
        wind_speed_unit=units.wind,
        work_kj=round_or_none(a.icu_joules / 1000 if a.icu_joules is not None else None, 1),
        calories=int_or_none(a.calories),
        carbs_used=a.carbs_used,
        carbs_ingested=a.carbs_ingested,
        variability_index=round_or_none(a.icu_variability_index, 3),
        decoupling=round_or_none(a.decoupling, 2),
        efficiency_factor=round_or_none(a.icu_efficiency_factor, 3),
        hrrc=hrr_value(a.icu_hrr),
        elevation_m=round_or_none(a.total_elevation_gain, 1),
        display=ActivityDisplay(
            distance=units.display_distance(distance_km),
            elevation=units.display_elevation(a.total_elevation_gain),
            avg_speed=units.display_speed(avg_speed),
            max_speed=units.display_speed(max_speed),
        ),
        feel=a.feel,
        rpe=a.icu_rpe,
        effort_response=effort_response(a.icu_intensity, a.icu_rpe),
        zone_distribution=_activity_zone_sets(a),
        has_intervals=extras.has_intervals,
        has_dfa=extras.has_dfa,
        dfa_summary=extras.dfa_summary,
        terrain_summary=extras.terrain_summary,
        terrain_status=extras.terrain_status,
        terrain_error=extras.terrain_error,
        weather_summary=extras.weather_summary,
        weather_status="unavailable" if outdoor and extras.weather_summary is None else None,
        description=description,
        coach_notes=notes or None,
        chat_notes=list(extras.chat_notes) or None,
    )


# ------------------------------------------------------------------------------ totals


def _sum_known(values: Sequence[float | None]) -> float | None:
    """Sum of the known values; None when there are values but none is known.

    No activities is a genuine 0; activities that all lack the value are unknown, not 0.
    """
    known = [v for v in values if v is not None]
    if values and not known:
        return None
    return sum(known)


@dataclass(frozen=True)
class _Totals:
    count: int
    seconds: float | None
    tss: int | None

    @property
    def hours(self) -> float | None:
        return hours(self.seconds)


def _totals(activities: Sequence[Activity]) -> _Totals:
    seconds = _sum_known([a.moving_time for a in activities])
    tss = _sum_known([a.icu_training_load for a in activities])
    return _Totals(count=len(activities), seconds=seconds, tss=int_or_none(tss))


def _summary(activities: Sequence[Activity], days: int, units: DisplayUnits) -> Summary:
    by_type: dict[str, list[Activity]] = {}
    for activity in activities:
        by_type.setdefault(activity.type or "Unknown", []).append(activity)
    types: dict[str, TypeSummary] = {}
    for kind in sorted(by_type):
        group = by_type[kind]
        metres = _sum_known([a.distance for a in group])
        distance = km(metres, 1)
        types[kind] = TypeSummary(
            duration_decimal_hours=hours(_sum_known([a.moving_time for a in group])),
            count=len(group),
            tss=int_or_none(_sum_known([a.icu_training_load for a in group])),
            distance_km=distance,
            display=DistanceDisplay(distance=units.display_distance(distance)),
        )
    totals = _totals(activities)
    return Summary(
        period_description=f"Last {days} days of training (including today)",
        note="Durations are moving time from the API; missing values are left out of sums.",
        total_duration_decimal_hours=totals.hours,
        total_activities=totals.count,
        by_activity_type=types,
    )


# ------------------------------------------------------------------------------ weeks


def _week_row(
    activities: Sequence[Activity], start: date, today: date, settings: Settings
) -> WeekRow:
    end = start + timedelta(days=6)
    acts = _activities_in(activities, _Window(start, min(end, today)))
    per_day: dict[date, list[Activity]] = {}
    for activity in acts:
        assert activity.local_date is not None
        per_day.setdefault(activity.local_date, []).append(activity)
    hard = unknown = 0
    for day_acts in per_day.values():
        verdict = hard_day(day_acts, settings.zone_preference).is_hard
        if verdict is None:
            unknown += 1
        elif verdict:
            hard += 1
    by_sport: dict[str, float] = {}
    for activity in acts:
        if activity.icu_training_load is not None:
            family = family_of(activity.type)
            by_sport[family] = by_sport.get(family, 0.0) + activity.icu_training_load
    totals = _totals(acts)
    return WeekRow(
        week_start=start,
        week_end=end,
        complete=end < today,
        total_hours=totals.hours,
        total_formatted=format_duration(totals.seconds),
        total_tss=totals.tss,
        activity_count=totals.count,
        hard_days=None if per_day and unknown == len(per_day) else hard,
        days_without_zone_data=unknown,
        tss_by_sport={sport: round(tss) for sport, tss in sorted(by_sport.items())},
    )


def _weeks(activities: Sequence[Activity], today: date, settings: Settings) -> list[WeekRow]:
    """The last four weeks (oldest first, the current one last), aligned to WEEK_START."""
    current = week_start_of(today, settings.week_start)
    starts = [current - timedelta(weeks=back) for back in range(WEEKS_SHOWN - 1, -1, -1)]
    return [_week_row(activities, start, today, settings) for start in starts]


def _mean(values: Iterable[float], digits: int = 1) -> float | None:
    items = list(values)
    return round(statistics.fmean(items), digits) if items else None


def _weekly_summary(
    totals: _Totals,
    wellness_shown: Mapping[date, Wellness],
    weeks: Sequence[WeekRow],
    settings: Settings,
) -> WeeklySummary:
    records = list(wellness_shown.values())
    return WeeklySummary(
        total_training_hours=totals.hours,
        total_training_formatted=format_duration(totals.seconds),
        total_tss=totals.tss,
        activities_count=totals.count,
        avg_hrv=_mean(r.hrv for r in records if r.hrv is not None and is_valid_hrv(r.hrv)),
        avg_resting_hr=_mean(
            r.resting_hr for r in records if r.resting_hr is not None and r.resting_hr > 0
        ),
        week_start=settings.week_start_name,
        current_week=weeks[-1],
        weeks=list(weeks),
    )


# ------------------------------------------------------------------------------ plan, races


def _start_time(event: Event) -> str | None:
    moment = event.local_datetime
    if moment is None or (moment.hour, moment.minute) == (0, 0):
        return None
    return moment.strftime("%H:%M")


def _is_indoor(event: Event) -> bool | None:
    return True if event.indoor or event.type in VIRTUAL_TYPES else None


def _preview(description: str | None) -> str | None:
    """The first few non-empty lines of a description."""
    if description is None:
        return None
    lines = [line.strip() for line in description.splitlines() if line.strip()]
    return "\n".join(lines[:PLAN_PREVIEW_LINES]) or None


def _planned(
    events: Sequence[Event], today: date, terrain_ids: frozenset[int]
) -> list[PlannedWorkout]:
    horizon = _Window(today, today + timedelta(days=PLAN_HORIZON_DAYS))
    chosen = [
        e
        for e in events
        if e.local_date in horizon
        and (e.category in TRAINING_EVENT_CATEGORIES or e.category == "NOTE")
    ]
    out: list[PlannedWorkout] = []
    for event in sorted(chosen, key=lambda e: (e.start_date_local or "", e.id or 0)):
        assert event.local_date is not None
        seconds = event.moving_time
        if seconds is None:
            seconds = workout_total_seconds(event.workout_doc)
        notes, description = split_coach_notes(event.description)
        soon = (event.local_date - today).days <= PLAN_DESCRIPTION_DAYS
        summary = summarize_workout(event.workout_doc)
        out.append(
            PlannedWorkout(
                id=event.id,
                date=event.local_date,
                name=event.name,
                type=event.category,
                sport_type=event.type,
                planned_tss=int_or_none(event.icu_training_load),
                duration_hours=hours(seconds),
                duration_formatted=format_duration(seconds),
                workout_summary=summary,
                has_terrain=event.id is not None and event.id in terrain_ids,
                coach_notes=notes or None,
                start_time=_start_time(event),
                indoor=_is_indoor(event),
                description=description if soon else None,
                # Later sessions without structured steps still say what they are.
                description_preview=(
                    _preview(description) if not soon and summary is None else None
                ),
            )
        )
    return out


# ------------------------------------------------------------------------------ derived


def _series_days(series: Mapping[str, int], today: date) -> int | None:
    """Days since the first entry of an FTP series; None for an empty series."""
    days = [d for d in (parse_local_date(k) for k in series) if d is not None and d <= today]
    return (today - min(days)).days if days else None


@dataclass(frozen=True)
class _Computed:
    """Metric results computed once in ``build_latest`` and shared by several blocks."""

    load: LoadSummary
    base: Baselines
    ri: tuple[float | None, float | None]
    power: PowerModel
    vo2max: float | None
    thresholds: Mapping[str, SportThreshold]
    weeks: Sequence[WeekRow]
    phase: PhaseResult
    seiler_7d: SeilerTID
    seiler_28d: SeilerTID
    capability: Capability


def _derived(
    inputs: LatestInputs,
    computed: _Computed,
    acts_7: Sequence[Activity],
    acts_28: Sequence[Activity],
    stubs_28: int,
    wellness_28: Mapping[date, Wellness],
) -> DerivedMetrics:
    today, preference = inputs.today, inputs.settings.zone_preference
    load, base, power = computed.load, computed.base, computed.power
    ri, ri_yesterday = computed.ri
    zones = aggregate_zones(acts_7, preference)
    primary = load.primary_sport
    # Consistency over the last 7 days: the events fetch only reaches 14 days back.
    consistency = consistency_index(
        inputs.events, inputs.activities, _ending(today, ACUTE_DAYS).start, today
    )
    cycling = computed.thresholds.get("cycling")
    window_7 = _ending(today, ACUTE_DAYS)
    return DerivedMetrics(
        recovery_index=ri,
        recovery_index_yesterday=ri_yesterday,
        hrv_baseline_7d=base.hrv_baseline_7d,
        rhr_baseline_7d=base.rhr_baseline_7d,
        hrv_baseline_28d=base.hrv_baseline_28d,
        rhr_baseline_28d=base.rhr_baseline_28d,
        latest_hrv=base.latest_hrv,
        latest_hrv_date=base.latest_hrv_date,
        latest_rhr=base.latest_rhr,
        latest_rhr_date=base.latest_rhr_date,
        acwr=load.acwr,
        acwr_interpretation=load.acwr_interpretation,
        acwr_definition=ACWR_DEFINITION,
        acwr_start_of_day=AcwrStartOfDay(
            value=load.acwr_start_of_day,
            interpretation=load.acwr_start_of_day_interpretation,
            as_of_date=today,
        ),
        monotony=load.monotony,
        monotony_interpretation=load.monotony_interpretation,
        primary_sport=primary,
        primary_sport_monotony=load.primary_sport_monotony,
        primary_sport_tss_7d=load.primary_sport_tss_7d,
        effective_monotony=load.effective_monotony,
        multi_sport_detected=load.multi_sport_detected,
        strain=load.strain,
        stress_tolerance=stress_tolerance(load.tss_7d_total),
        load_recovery_ratio=load_recovery_ratio(load.tss_7d_total, ri),
        tss_7d_total=load.tss_7d_total,
        tss_28d_total=load.tss_28d_total,
        zone_distribution_7d=ZoneDistribution7d(
            z1_hours=zones.z1_hours,
            z2_hours=zones.z2_hours,
            z3_hours=zones.z3_hours,
            z4_plus_hours=zones.z4_plus_hours,
            total_hours=zones.total_hours,
            zone_basis=zones.zone_basis,
        ),
        grey_zone_percentage=zones.grey_zone_percentage,
        quality_intensity_percentage=zones.quality_intensity_percentage,
        easy_time_ratio=zones.easy_time_ratio,
        hard_days_this_week=computed.weeks[-1].hard_days,
        seiler_tid_7d=computed.seiler_7d,
        seiler_tid_7d_primary=seiler_tid(acts_7, preference, family=primary) if primary else None,
        seiler_tid_28d=computed.seiler_28d,
        seiler_tid_28d_primary=(
            seiler_tid(acts_28, preference, family=primary) if primary else None
        ),
        capability=computed.capability,
        consistency_index=consistency.consistency_index,
        consistency_details=ConsistencyDetails(
            planned_days=consistency.planned_days,
            completed_days=consistency.completed_days,
            matched_days=consistency.matched_days,
            planned_dates=consistency.planned_dates,
            completed_dates=consistency.completed_dates,
            note=consistency.note,
        ),
        phase_detection=computed.phase,
        phase_detected=computed.phase.phase,
        phase_triggers=list(computed.phase.reason_codes),
        seasonal_context=seasonal_context(today.month),
        benchmark_indoor=benchmark_index(
            inputs.ftp_history.indoor, today, current_ftp=cycling.ftp_indoor if cycling else None
        ),
        benchmark_outdoor=benchmark_index(
            inputs.ftp_history.outdoor, today, current_ftp=cycling.ftp if cycling else None
        ),
        eftp=power.eftp,
        w_prime=power.w_prime,
        w_prime_kj=power.w_prime_kj,
        p_max=power.p_max,
        power_model_source=power.source or "unavailable",
        vo2max=computed.vo2max,
        calculation_timestamp=local_now(inputs.now_utc, inputs.athlete.timezone).isoformat(
            timespec="seconds"
        ),
        data_quality=DataQuality(
            hrv_data_points=base.hrv_data_points_7d,
            rhr_data_points=base.rhr_data_points_7d,
            hrv_data_points_28d=base.hrv_data_points_28d,
            rhr_data_points_28d=base.rhr_data_points_28d,
            activities_7d=len(acts_7),
            activities_28d=len(acts_28),
            planned_workouts_7d=planned_sessions(inputs.events, window_7.start, today),
            activities_missing_load_7d=load.missing_load_activities_7d,
            strava_stub_activities=stubs_28,
            wellness_days_missing_7d=sum(1 for d in window_7.days() if d not in wellness_28),
            ftp_history_days=FtpHistoryDays(
                indoor=_series_days(inputs.ftp_history.indoor, today),
                outdoor=_series_days(inputs.ftp_history.outdoor, today),
            ),
            warnings=list(inputs.warnings),
        ),
    )


def _health(inputs: LatestInputs, wellness_28: Mapping[date, Wellness]) -> HealthContext:
    latest = wellness_28[max(wellness_28)] if wellness_28 else None
    if inputs.health_events is None:
        markers = [e for e in inputs.events if e.category in HEALTH_EVENT_CATEGORIES]
        return health_context(
            markers, latest, inputs.today, lookback_days=MAIN_EVENTS_LOOKBACK_DAYS, complete=False
        )
    return health_context(
        inputs.health_events,
        latest,
        inputs.today,
        lookback_days=HEALTH_LOOKBACK_DAYS,
        complete=True,
    )
