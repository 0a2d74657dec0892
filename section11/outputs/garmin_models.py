"""The Garmin blocks of latest.json: Garmin's own signals per day (``wellness_data[].garmin``)
and the newest of each (``current_status.garmin``). Written only when Garmin is a source."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from section11.outputs.common import OutputModel, omitted_when_none

MissingReason = str  # "fetch_failed" | "not_recorded"


class GarminDaySignals(OutputModel):
    """One day of Garmin signals. Null means we have no value; ``missing`` says why."""

    body_battery_high: int | None
    body_battery_low: int | None
    body_battery_charged: int | None
    body_battery_drained: int | None
    stress_avg: int | None = Field(description="Garmin all-day stress, 0-100")
    stress_max: int | None
    training_readiness: int | None = Field(description="Garmin training readiness, 0-100")
    training_readiness_level: str | None
    training_status: str | None = Field(
        description="Garmin training status, e.g. productive, maintaining, recovery, strained"
    )
    missing: dict[str, MissingReason] = Field(
        description="Metrics without a value that day and why: fetch_failed or not_recorded"
    )


class GarminStatus(OutputModel):
    """The newest Garmin value of each signal within the last 7 days."""

    source: str
    as_of: date | None
    body_battery_high: int | None
    body_battery_low: int | None
    stress_avg: int | None
    training_readiness: int | None
    training_readiness_level: str | None
    training_status: str | None
    value_dates: dict[str, date] = Field(
        description="Signals whose newest value is from a day before as_of, with that day"
    )
    missing_counts: dict[str, int] = Field(
        description="Metric-days without a value in the last 7 days, counted by reason"
    )


# ------------------------------------------------------------------------------ activities


class GarminGroup(OutputModel):
    """A group of an activity's Garmin detail; a group without any value is left out."""


class GarminTiming(GarminGroup):
    moving_secs: int | None
    elapsed_secs: int | None


class GarminPace(GarminGroup):
    distance_km: float | None
    avg_speed_kmh: float | None
    max_speed_kmh: float | None
    avg_pace_per_km: str | None = Field(description="m:ss per km (runs, walks, hikes)")
    gap_per_km: str | None = Field(description="Grade-adjusted pace, m:ss per km")


class GarminHeartRate(GarminGroup):
    avg_hr: int | None
    max_hr: int | None


class GarminElevation(GarminGroup):
    gain_m: float | None
    loss_m: float | None


class GarminRunningDynamics(GarminGroup):
    cadence_spm: float | None
    ground_contact_ms: float | None
    vertical_oscillation_cm: float | None
    vertical_ratio_pct: float | None
    stride_length_m: float | None


class GarminPower(GarminGroup):
    avg_power: int | None
    max_power: int | None
    normalized_power: int | None


class GarminTrainingEffect(GarminGroup):
    aerobic: float | None = Field(description="Garmin aerobic training effect, 0-5")
    anaerobic: float | None = Field(description="Garmin anaerobic training effect, 0-5")
    label: str | None
    garmin_load: float | None = Field(
        description="Garmin's own (EPOC-based) training load; not the tss above"
    )


class GarminBody(GarminGroup):
    calories: int | None
    respiration_brpm: float | None
    body_battery_change: int | None
    stamina_start_pct: int | None
    stamina_end_pct: int | None
    stamina_min_pct: int | None


class GarminPhase(GarminGroup):
    count: int | None
    duration_secs: int | None
    distance_km: float | None
    avg_hr: int | None
    avg_power: int | None
    avg_pace_per_km: str | None


class GarminWorkoutStructure(OutputModel):
    """Garmin's split summaries of a structured workout, grouped."""

    warmup: GarminPhase | None = omitted_when_none()
    active: GarminPhase | None = omitted_when_none()
    recovery: GarminPhase | None = omitted_when_none()
    cooldown: GarminPhase | None = omitted_when_none()


class GarminActivityDetail(OutputModel):
    """What Garmin Connect adds about one activity, grouped; empty groups are left out."""

    timing: GarminTiming | None = omitted_when_none()
    pace: GarminPace | None = omitted_when_none()
    heart_rate: GarminHeartRate | None = omitted_when_none()
    elevation: GarminElevation | None = omitted_when_none()
    running_dynamics: GarminRunningDynamics | None = omitted_when_none()
    power: GarminPower | None = omitted_when_none()
    training_effect: GarminTrainingEffect | None = omitted_when_none()
    body: GarminBody | None = omitted_when_none()
    workout_structure: GarminWorkoutStructure | None = omitted_when_none()
    lap_count: int | None = omitted_when_none()
