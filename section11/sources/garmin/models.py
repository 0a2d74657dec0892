"""Typed views of the Garmin Connect payloads the sync reads, parsed once at the edge.

Every field is optional and unknown keys are ignored (Garmin adds and renames fields
without notice). Garmin marks "not enough data" with negative numbers in several daily
fields (stress -1/-2, Body Battery -1); ``positive`` turns those into None.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from section11.sources.intervals_icu.models import ApiModel


class GarminModel(ApiModel):
    """Same tolerance as the Intervals.icu models, so ``parse_record`` drops a field with a
    value of the wrong type instead of losing the whole record."""


def positive(value: float | None) -> float | None:
    """For readings that cannot be 0 (stress level, heart rate, SpO2, Body Battery level):
    Garmin's sentinels (negative, 0) are missing."""
    return value if value is not None and value > 0 else None


def non_negative(value: float | None) -> float | None:
    """For amounts that can genuinely be 0 (Body Battery charged or drained, steps)."""
    return value if value is not None and value >= 0 else None


# ------------------------------------------------------------------------------ profile


class SocialProfile(GarminModel):
    display_name: str | None = Field(default=None, alias="displayName")


class UserData(GarminModel):
    weight: float | None = None  # grams
    lactate_threshold_heart_rate: float | None = Field(
        default=None, alias="lactateThresholdHeartRate"
    )
    measurement_system: str | None = Field(default=None, alias="measurementSystem")
    vo2max_running: float | None = Field(default=None, alias="vo2MaxRunning")
    vo2max_cycling: float | None = Field(default=None, alias="vo2MaxCycling")


class UserSettings(GarminModel):
    user_data: UserData | None = Field(default=None, alias="userData")
    time_zone: str | None = Field(default=None, alias="timeZone")


# ------------------------------------------------------------------------------ daily


class DailySummary(GarminModel):
    """``usersummary-service/usersummary/daily``: one day's totals."""

    calendar_date: str | None = Field(default=None, alias="calendarDate")
    total_steps: int | None = Field(default=None, alias="totalSteps")
    resting_heart_rate: float | None = Field(default=None, alias="restingHeartRate")
    average_stress_level: float | None = Field(default=None, alias="averageStressLevel")
    max_stress_level: float | None = Field(default=None, alias="maxStressLevel")
    body_battery_highest: float | None = Field(default=None, alias="bodyBatteryHighestValue")
    body_battery_lowest: float | None = Field(default=None, alias="bodyBatteryLowestValue")
    body_battery_charged: float | None = Field(default=None, alias="bodyBatteryChargedValue")
    body_battery_drained: float | None = Field(default=None, alias="bodyBatteryDrainedValue")
    body_battery_most_recent: float | None = Field(default=None, alias="bodyBatteryMostRecentValue")
    average_spo2: float | None = Field(default=None, alias="averageSpo2")
    avg_waking_respiration: float | None = Field(default=None, alias="avgWakingRespirationValue")


class TrainingReadiness(GarminModel):
    """One entry of ``metrics-service/metrics/trainingreadiness/{date}`` (a list per day)."""

    calendar_date: str | None = Field(default=None, alias="calendarDate")
    timestamp: str | None = None
    score: float | None = None
    level: str | None = None


class DeviceTrainingStatus(GarminModel):
    calendar_date: str | None = Field(default=None, alias="calendarDate")
    training_status: int | None = Field(default=None, alias="trainingStatus")
    feedback_phrase: str | None = Field(default=None, alias="trainingStatusFeedbackPhrase")
    primary_training_device: bool | None = Field(default=None, alias="primaryTrainingDevice")


class _LatestTrainingStatus(GarminModel):
    latest: dict[str, DeviceTrainingStatus | None] | None = Field(
        default=None, alias="latestTrainingStatusData"
    )


class TrainingStatusPayload(GarminModel):
    """``metrics-service/metrics/trainingstatus/aggregated/{date}``."""

    most_recent: _LatestTrainingStatus | None = Field(
        default=None, alias="mostRecentTrainingStatus"
    )

    def primary(self) -> DeviceTrainingStatus | None:
        """The primary training device's status (else the first device that has one)."""
        entries = [e for e in ((self.most_recent and self.most_recent.latest) or {}).values() if e]
        entries.sort(key=lambda e: not e.primary_training_device)
        return entries[0] if entries else None


class SleepScores(GarminModel):
    overall: dict[str, Any] | None = None


class DailySleep(GarminModel):
    sleep_time_seconds: float | None = Field(default=None, alias="sleepTimeSeconds")
    sleep_scores: SleepScores | None = Field(default=None, alias="sleepScores")


class SleepPayload(GarminModel):
    """``wellness-service/wellness/dailySleepData/{displayName}``."""

    daily: DailySleep | None = Field(default=None, alias="dailySleepDTO")
    avg_overnight_hrv: float | None = Field(default=None, alias="avgOvernightHrv")
    resting_heart_rate: float | None = Field(default=None, alias="restingHeartRate")

    @property
    def score(self) -> float | None:
        overall = (
            self.daily.sleep_scores.overall if self.daily and self.daily.sleep_scores else None
        )
        value = overall.get("value") if overall else None
        return float(value) if isinstance(value, int | float) else None


# ------------------------------------------------------------------------------ activities


class ActivityType(GarminModel):
    type_key: str | None = Field(default=None, alias="typeKey")


class GarminActivity(GarminModel):
    """One entry of ``activitylist-service/activities/search/activities``."""

    activity_id: str | None = Field(default=None, alias="activityId")
    activity_name: str | None = Field(default=None, alias="activityName")
    description: str | None = None
    start_time_local: str | None = Field(default=None, alias="startTimeLocal")
    start_time_gmt: str | None = Field(default=None, alias="startTimeGMT")
    activity_type: ActivityType | None = Field(default=None, alias="activityType")
    distance: float | None = None  # m
    duration: float | None = None  # s
    elapsed_duration: float | None = Field(default=None, alias="elapsedDuration")
    moving_duration: float | None = Field(default=None, alias="movingDuration")
    elevation_gain: float | None = Field(default=None, alias="elevationGain")
    elevation_loss: float | None = Field(default=None, alias="elevationLoss")
    average_speed: float | None = Field(default=None, alias="averageSpeed")  # m/s
    max_speed: float | None = Field(default=None, alias="maxSpeed")
    avg_grade_adjusted_speed: float | None = Field(default=None, alias="avgGradeAdjustedSpeed")
    average_hr: float | None = Field(default=None, alias="averageHR")
    max_hr: float | None = Field(default=None, alias="maxHR")
    calories: float | None = None
    avg_run_cadence: float | None = Field(
        default=None, alias="averageRunningCadenceInStepsPerMinute"
    )
    avg_bike_cadence: float | None = Field(default=None, alias="averageBikingCadenceInRevPerMinute")
    avg_power: float | None = Field(default=None, alias="avgPower")
    max_power: float | None = Field(default=None, alias="maxPower")
    norm_power: float | None = Field(default=None, alias="normPower")
    aerobic_training_effect: float | None = Field(default=None, alias="aerobicTrainingEffect")
    anaerobic_training_effect: float | None = Field(default=None, alias="anaerobicTrainingEffect")
    training_effect_label: str | None = Field(default=None, alias="trainingEffectLabel")
    activity_training_load: float | None = Field(default=None, alias="activityTrainingLoad")
    avg_ground_contact_time: float | None = Field(default=None, alias="avgGroundContactTime")
    avg_vertical_oscillation: float | None = Field(default=None, alias="avgVerticalOscillation")
    avg_vertical_ratio: float | None = Field(default=None, alias="avgVerticalRatio")
    avg_stride_length: float | None = Field(default=None, alias="avgStrideLength")  # cm
    avg_respiration_rate: float | None = Field(default=None, alias="avgRespirationRate")
    difference_body_battery: float | None = Field(default=None, alias="differenceBodyBattery")
    begin_potential_stamina: float | None = Field(default=None, alias="beginPotentialStamina")
    end_potential_stamina: float | None = Field(default=None, alias="endPotentialStamina")
    min_available_stamina: float | None = Field(default=None, alias="minAvailableStamina")
    lap_count: int | None = Field(default=None, alias="lapCount")

    @property
    def type_key(self) -> str | None:
        return self.activity_type.type_key if self.activity_type else None


class SplitSummary(GarminModel):
    """One entry of ``activity-service/activity/{id}/split_summaries`` → splitSummaries."""

    split_type: str | None = Field(default=None, alias="splitType")
    no_of_splits: int | None = Field(default=None, alias="noOfSplits")
    duration: float | None = None
    moving_duration: float | None = Field(default=None, alias="movingDuration")
    distance: float | None = None
    average_speed: float | None = Field(default=None, alias="averageSpeed")
    average_hr: float | None = Field(default=None, alias="averageHR")
    max_hr: float | None = Field(default=None, alias="maxHR")
    average_power: float | None = Field(default=None, alias="averagePower")
    elevation_gain: float | None = Field(default=None, alias="elevationGain")


class Lap(GarminModel):
    """One entry of ``activity-service/activity/{id}/splits`` → lapDTOs."""

    lap_index: int | None = Field(default=None, alias="lapIndex")
    intensity_type: str | None = Field(default=None, alias="intensityType")
    duration: float | None = None
    distance: float | None = None
    average_speed: float | None = Field(default=None, alias="averageSpeed")
    avg_grade_adjusted_speed: float | None = Field(default=None, alias="avgGradeAdjustedSpeed")
    average_hr: float | None = Field(default=None, alias="averageHR")
    max_hr: float | None = Field(default=None, alias="maxHR")
    average_power: float | None = Field(default=None, alias="averagePower")
    average_run_cadence: float | None = Field(default=None, alias="averageRunCadence")
    elevation_gain: float | None = Field(default=None, alias="elevationGain")
