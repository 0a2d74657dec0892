"""The shape of latest.json, as pydantic models (the JSON Schema is generated from these).

Field names follow the reference tool wherever it has one, because AI prompts written for
it look for those names. Every field is always present (null when unknown) except the
few declared with ``omitted_when_none()``, which the reference writes only when they have
a value.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from section11.metrics.benchmark import Benchmark
from section11.metrics.decisions import Alert, PhaseResult, RaceWeek, ReadinessDecision
from section11.metrics.dfa_profile import DfaSummary
from section11.metrics.fitness import FitnessStatus
from section11.metrics.health import HealthContext
from section11.metrics.thresholds import SportThreshold
from section11.metrics.weight import WeightSignal
from section11.metrics.zones import BasisSummary, SeilerTID
from section11.outputs import latest_notes as notes
from section11.outputs import latest_protocol as protocol
from section11.outputs.common import OutputModel, omitted_when_none
from section11.outputs.garmin_models import GarminActivityDetail, GarminDaySignals, GarminStatus
from section11.outputs.latest_capability import Capability
from section11.units import ShownValue

SCHEMA_VERSION: Literal[1] = 1

# ------------------------------------------------------------------------------ guidance


class WellnessFieldScales(OutputModel):
    note: str
    sleep_quality: dict[str, str]
    fatigue: dict[str, str]
    soreness: dict[str, str]
    stress: dict[str, str]
    mood: dict[str, str]
    motivation: dict[str, str]
    injury: dict[str, str]
    hydration: dict[str, str]
    menstrual: str


class QuickStats(OutputModel):
    total_training_hours: float | None
    total_training_formatted: str | None
    total_activities: int
    total_tss: int | None


class ReadThisFirst(OutputModel):
    instruction_for_ai: str
    display_formatting: str
    data_period: str
    rolling_windows_note: str
    capability_metrics_note: str = notes.CAPABILITY_METRICS_NOTE
    zone_preference: dict[str, str] | str
    week_start: str
    extended_data_note: str
    wellness_field_scales: WellnessFieldScales
    units: dict[str, str]
    quick_stats: QuickStats
    readiness_decision_note: str
    health_context_note: str = Field(
        default=protocol.HEALTH_CONTEXT_NOTE, description="How to read health_context"
    )
    strava_note: str | None = omitted_when_none()
    athlete_text_note: str = Field(
        description="Which fields hold athlete/coach text: information, not instructions"
    )
    privacy_note: str = Field(description="What the privacy level removed from these files")
    differences_from_reference: list[str] = Field(
        default_factory=lambda: list(protocol.DIFFERENCES_FROM_REFERENCE),
        description="Where this file deliberately differs from the reference tool's output",
    )


class Metadata(OutputModel):
    athlete_id: str | None
    last_updated: str
    last_updated_utc: str
    timezone: str
    today: date
    data_range_days: int
    extended_range_days: int
    version: str
    schema_version: Literal[1] = SCHEMA_VERSION
    anonymized: bool
    privacy: Literal["full", "standard", "strict", "metrics"] = Field(
        description="Privacy level the files were written at (see READ_THIS_FIRST.privacy_note)"
    )


# ------------------------------------------------------------------------------ athlete


class DisplayPreferences(OutputModel):
    wind: str
    temp: str
    rain: str
    distance: str
    weight: str
    height: str


class HeightDisplay(OutputModel):
    height: ShownValue


class AthleteProfile(OutputModel):
    date_of_birth: str | None
    age: int | None
    height_m: float | None
    display: HeightDisplay
    display_preferences: DisplayPreferences
    sex: str | None
    location: str | None
    timezone: str | None
    platform_activated: str | None
    years_on_platform: int | None


# ------------------------------------------------------------------------------ current status


class WeightDisplay(OutputModel):
    weight: ShownValue


class _WellnessValues(OutputModel):
    """Wellness fields shared by current_metrics and each wellness_data row."""

    weight_kg: float | None
    display: WeightDisplay
    resting_hr: float | None
    sleep_quality: int | None
    sleep_hours: float | None
    sleep_formatted: str | None
    sleep_score: float | None
    avg_sleeping_hr: float | None
    vo2max: float | None
    fatigue: int | None
    soreness: int | None
    stress: int | None
    mood: int | None
    motivation: int | None
    injury: int | None
    hydration: int | None
    spO2: float | None
    systolic: int | None
    diastolic: int | None
    respiration: float | None
    body_fat_pct: float | None
    steps: int | None
    hydration_volume_l: float | None
    kcal_consumed: float | None
    menstrual_phase: str | None
    menstrual_phase_predicted: str | None
    readiness: float | None
    mental_energy: int | None
    blood_glucose: float | None
    baevsky_si: float | None
    lactate: float | None
    abdomen_cm: float | None
    carbohydrates_g: float | None
    protein_g: float | None
    fat_g: float | None


class CurrentMetrics(_WellnessValues):
    """Newest value of each field by date (within 28 days); see ``value_dates``."""

    as_of: date | None = Field(description="Date of the newest wellness record used")
    hrv: float | None
    weight_source: Literal["wellness", "athlete_profile"] | None
    resting_hr_source: Literal["wellness", "athlete_profile"] | None
    value_dates: dict[str, date] = Field(
        description="Fields whose newest value is from a day before today, with that day"
    )


class Thresholds(OutputModel):
    eftp: float | None
    w_prime: int | None
    w_prime_kj: float | None
    p_max: int | None
    vo2max: float | None
    power_model_source: str
    sports: dict[str, SportThreshold]


class CurrentStatus(OutputModel):
    fitness: FitnessStatus
    thresholds: Thresholds
    current_metrics: CurrentMetrics
    weight: WeightSignal | None = omitted_when_none(
        "Weight and W/kg signal; each field only when its gate passes, no block when none does"
    )
    garmin: GarminStatus | None = omitted_when_none("Garmin's own signals (Garmin as a source)")


# ------------------------------------------------------------------------------ activities


class ActivityDisplay(OutputModel):
    distance: ShownValue
    elevation: ShownValue
    avg_speed: ShownValue
    max_speed: ShownValue


class ActivityZones(OutputModel):
    """Seconds per zone; keys z1_time..z7_time. Null when the activity has none."""

    power_zones: dict[str, int] | None
    hr_zones: dict[str, int] | None


class RecentActivity(OutputModel):
    id: str | None
    date: str | None
    days_ago: int | None = Field(description="Days before today (athlete-local), 0 = today")
    in_display_window: bool = Field(
        description="True when the session lies inside data_period (the --days window)"
    )
    type: str | None
    name: str | None
    duration_hours: float | None
    duration_formatted: str | None
    distance_km: float | None
    tss: int | None
    intensity_factor: float | None = Field(
        description="Percent of FTP, as Intervals.icu writes it (84.2 = IF 0.842)"
    )
    avg_power: int | None
    normalized_power: int | None
    avg_hr: int | None
    max_hr: int | None
    avg_cadence: float | None
    avg_speed: float | None
    avg_speed_unit: Literal["KPH"] = "KPH"
    max_speed: float | None
    max_speed_unit: Literal["KPH"] = "KPH"
    avg_pace: str | None = Field(
        description="Average pace with its unit, in the sport's pace setting ('4:35 /km')"
    )
    avg_temp: float | None
    avg_temp_unit: str
    weather: str | None = Field(description="One line of Intervals.icu's weather, or null")
    humidity: float | None = Field(description="Relative humidity %, when reported")
    wind_speed: float | None
    wind_speed_unit: str
    work_kj: float | None
    calories: int | None
    carbs_used: float | None
    carbs_ingested: float | None
    variability_index: float | None
    decoupling: float | None
    efficiency_factor: float | None
    hrrc: int | None = Field(description="Heart-rate recovery, bpm (Intervals.icu HRR)")
    elevation_m: float | None
    display: ActivityDisplay
    feel: int | None
    rpe: int | None
    effort_response: str | None
    zone_distribution: ActivityZones | None
    has_intervals: bool | None
    has_dfa: bool | None = Field(description="The session has a DFA a1 (AlphaHRV) analysis")
    dfa_summary: DfaSummary | None = omitted_when_none()
    terrain_summary: dict[str, Any] | None = omitted_when_none()
    terrain_status: str | None = omitted_when_none()
    terrain_error: str | None = omitted_when_none()
    weather_summary: dict[str, Any] | None = omitted_when_none()
    weather_status: str | None = omitted_when_none()
    description: str | None = omitted_when_none()
    coach_notes: list[str] | None = omitted_when_none()
    chat_notes: list[str] | None = omitted_when_none()
    garmin: GarminActivityDetail | None = omitted_when_none("Garmin Connect's detail, grouped")


class WellnessRow(_WellnessValues):
    date: date
    hrv_rmssd: float | None
    hrv_sdnn: float | None
    garmin: GarminDaySignals | None = omitted_when_none("Garmin's own signals that day")


# ------------------------------------------------------------------------------ plan, races


class PlannedWorkout(OutputModel):
    id: int | None
    date: date
    name: str | None
    type: str | None
    sport_type: str | None
    planned_tss: int | None
    duration_hours: float | None
    duration_formatted: str | None
    workout_summary: str | None
    has_terrain: bool
    coach_notes: list[str] | None = omitted_when_none()
    start_time: str | None = omitted_when_none()
    indoor: bool | None = omitted_when_none()
    description: str | None = omitted_when_none()
    description_preview: str | None = omitted_when_none(
        "First lines of the description of a session more than 7 days ahead without steps"
    )


class DistanceDisplay(OutputModel):
    distance: ShownValue


class Race(OutputModel):
    id: int | None
    name: str | None
    date: date
    category: str
    type: str | None
    days_until: int
    moving_time_seconds: int | None
    distance_meters: float | None
    display: DistanceDisplay
    has_terrain: bool
    start_time: str | None = omitted_when_none()
    indoor: bool | None = omitted_when_none()


class TaperAlert(OutputModel):
    active: Literal[True] = True
    event_name: str | None
    event_date: date
    days_until: int
    message: str


class NotActive(OutputModel):
    """The whole block when the taper or race week has not begun (as the reference writes it)."""

    active: Literal[False] = False


class RaceCalendar(OutputModel):
    next_race: Race | None
    all_races: list[Race]
    taper_alert: TaperAlert | NotActive = Field(
        description="Active when an A race is 8-14 days away; else {active: false}"
    )
    race_week: RaceWeek | NotActive = Field(
        description="Day-by-day plan when an A (else B) race is 0-7 days away; else {active: false}"
    )


class PlannedSessionOutcome(OutputModel):
    """One planned WORKOUT and the activity that executed it (Intervals.icu pairing)."""

    event_id: int | None
    date: date
    name: str | None
    sport_type: str | None
    workout_summary: str | None
    planned_tss: int | None
    planned_duration_hours: float | None
    status: Literal["completed", "missed", "pending"]
    activity_id: str | None
    actual_tss: int | None
    actual_duration_hours: float | None
    tss_ratio: float | None = Field(description="actual_tss / planned_tss (2 dp)")


class PlanAdherence(OutputModel):
    window_start: date
    window_end: date
    planned: int = Field(description="Planned sessions before today")
    completed: int
    missed: int
    completion_rate: float | None
    sessions: list[PlannedSessionOutcome]


class WorkoutSummaryStats(OutputModel):
    attempted: int
    success: int
    bail_no_workout_doc: int
    bail_no_match: int


# ------------------------------------------------------------------------------ summaries


class WeekRow(OutputModel):
    week_start: date
    week_end: date
    complete: bool
    total_hours: float | None
    total_formatted: str | None
    total_tss: int | None
    activity_count: int
    hard_days: int | None = Field(
        description="Days classified hard by time in zones; null when no day had zone data"
    )
    days_without_zone_data: int
    tss_by_sport: dict[str, int]


class WeeklySummary(OutputModel):
    total_training_hours: float | None
    total_training_formatted: str | None
    total_tss: int | None
    activities_count: int
    avg_hrv: float | None
    avg_resting_hr: float | None
    week_start: str
    current_week: WeekRow
    weeks: list[WeekRow]


class TypeSummary(OutputModel):
    duration_decimal_hours: float | None
    count: int
    tss: int | None
    distance_km: float | None
    display: DistanceDisplay


class Summary(OutputModel):
    period_description: str
    note: str
    total_duration_decimal_hours: float | None
    total_activities: int
    by_activity_type: dict[str, TypeSummary]


# ------------------------------------------------------------------------------ derived


class AcwrStartOfDay(OutputModel):
    """ACWR before today's training: the 28 days ending today with today's load left out."""

    value: float | None
    interpretation: str | None
    scope: Literal["start_of_day"] = "start_of_day"
    as_of_date: date
    current_day_load_included: Literal[False] = False
    acute_days: int = 7
    chronic_days: int = 28


class ZoneDistribution7d(OutputModel):
    z1_hours: float
    z2_hours: float
    z3_hours: float
    z4_plus_hours: float
    total_hours: float
    zone_basis: BasisSummary | None


class ConsistencyDetails(OutputModel):
    planned_days: int
    completed_days: int
    matched_days: int
    planned_dates: list[date]
    completed_dates: list[date]
    note: str | None = omitted_when_none()


class FtpHistoryDays(OutputModel):
    indoor: int | None
    outdoor: int | None


class DataQuality(OutputModel):
    hrv_data_points: int
    rhr_data_points: int
    hrv_data_points_28d: int
    rhr_data_points_28d: int
    activities_7d: int
    activities_28d: int
    planned_workouts_7d: int | None = Field(
        description="Planned WORKOUT / RACE_A / RACE_B / RACE_C calendar entries of the last "
        "7 days, today included; null without a calendar (Garmin as the only source)"
    )
    activities_missing_load_7d: int
    strava_stub_activities: int
    wellness_days_missing_7d: int
    ftp_history_days: FtpHistoryDays
    warnings: list[str]


class DerivedMetrics(OutputModel):
    recovery_index: float | None
    recovery_index_yesterday: float | None
    hrv_baseline_7d: float | None
    rhr_baseline_7d: float | None
    hrv_baseline_28d: float | None
    rhr_baseline_28d: float | None
    latest_hrv: float | None
    latest_hrv_date: date | None
    latest_rhr: float | None
    latest_rhr_date: date | None
    acwr: float | None
    acwr_interpretation: str | None
    acwr_definition: str
    acwr_scope: Literal["live_retrospective"] = Field(
        default=protocol.ACWR_SCOPE,
        description="acwr includes today's finished sessions: a load report, not a decision input",
    )
    acwr_readiness_eligible: Literal[False] = Field(
        default=False, description="acwr never drives readiness: it reads acwr_start_of_day"
    )
    acwr_start_of_day: AcwrStartOfDay
    monotony: float | None
    monotony_interpretation: str | None
    primary_sport: str | None
    primary_sport_monotony: float | None
    primary_sport_tss_7d: float | None
    effective_monotony: float | None
    multi_sport_detected: bool
    strain: float | None
    stress_tolerance: float | None = Field(description=notes.STRESS_TOLERANCE_NOTE)
    load_recovery_ratio: float | None = Field(description=notes.LOAD_RECOVERY_RATIO_NOTE)
    tss_7d_total: float
    tss_28d_total: float
    zone_distribution_7d: ZoneDistribution7d
    grey_zone_percentage: float | None
    grey_zone_note: str = notes.GREY_ZONE_NOTE
    quality_intensity_percentage: float | None
    quality_intensity_note: str = notes.QUALITY_INTENSITY_NOTE
    easy_time_ratio: float | None
    easy_time_ratio_note: str = notes.EASY_TIME_RATIO_NOTE
    hard_days_this_week: int | None
    hard_days_note: str = notes.HARD_DAYS_NOTE
    seiler_tid_7d: SeilerTID
    seiler_tid_7d_primary: SeilerTID | None
    seiler_tid_28d: SeilerTID
    seiler_tid_28d_primary: SeilerTID | None
    capability: Capability
    consistency_index: float | None
    consistency_details: ConsistencyDetails
    phase_detection: PhaseResult
    phase_detected: str | None
    phase_triggers: list[str]
    seasonal_context: str
    benchmark_indoor: Benchmark
    benchmark_outdoor: Benchmark
    eftp: float | None
    w_prime: int | None
    w_prime_kj: float | None
    p_max: int | None
    power_model_source: str
    vo2max: float | None
    calculation_timestamp: str
    data_quality: DataQuality


# ------------------------------------------------------------------------------ history, alerts


class HistoryBlock(OutputModel):
    """How much long-term history (history.json) the coach can lean on."""

    available: bool
    file: str | None = omitted_when_none()
    last_generated: str | None = Field(
        default=None, description="When history.json was generated (ISO date or timestamp)"
    )
    age_hours: float | None = omitted_when_none()
    age_days: float | None = None
    history_confidence: Literal["high", "medium", "low"] | None
    total_months: int | None = None
    note: str | None = omitted_when_none()


# ------------------------------------------------------------------------------ the file


class LatestFile(OutputModel):
    READ_THIS_FIRST: ReadThisFirst
    metadata: Metadata
    athlete_profile: AthleteProfile
    athlete_notes: str | None
    alerts: list[Alert]
    readiness_decision: ReadinessDecision
    health_context: HealthContext
    history: HistoryBlock
    summary: Summary
    current_status: CurrentStatus
    derived_metrics: DerivedMetrics
    recent_activities: list[RecentActivity]
    wellness_data: list[WellnessRow]
    planned_workouts: list[PlannedWorkout]
    workout_summary_stats: WorkoutSummaryStats
    plan_adherence: PlanAdherence
    weekly_summary: WeeklySummary
    race_calendar: RaceCalendar
