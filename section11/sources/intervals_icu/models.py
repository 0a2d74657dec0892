"""Typed views of Intervals.icu payloads, parsed once at the edge.

Every field is optional: the API omits keys, sends present-but-null values, and adds new
fields at any time (unknown keys are ignored). Only the fields the mirror uses are kept,
which doubles as the privacy allow-list: the athlete payload carries secrets
(``icu_api_key``, ``email``, invite tokens) that are never even parsed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)


class ApiModel(BaseModel):
    # Older accounts have numeric ids where newer ones have strings: accept both as text.
    model_config = ConfigDict(
        extra="ignore", populate_by_name=True, frozen=True, coerce_numbers_to_str=True
    )


class _Dated(ApiModel):
    """A record that starts at a local date-time (activities and calendar events)."""

    start_date_local: str | None = None

    @property
    def local_date(self) -> date | None:
        return parse_local_date(self.start_date_local)

    @property
    def local_datetime(self) -> datetime | None:
        return parse_local_datetime(self.start_date_local)


# ------------------------------------------------------------------------------ athlete


class SportSettings(ApiModel):
    id: int | None = None
    types: list[str] | None = None
    ftp: int | None = None
    indoor_ftp: int | None = None
    w_prime: int | None = None
    p_max: int | None = None
    lthr: int | None = None
    max_hr: int | None = None
    threshold_pace: float | None = None
    pace_units: str | None = None
    hr_zones: list[int | None] | None = None
    power_zones: list[float | None] | None = None

    @property
    def type_list(self) -> list[str]:
        return [t for t in (self.types or []) if t]


class Athlete(ApiModel):
    """Allow-listed athlete profile fields. Everything else in the payload is dropped."""

    id: str | None = None
    sex: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    timezone: str | None = None
    icu_date_of_birth: str | None = None
    icu_activated: str | None = None
    height: float | None = None
    height_units: str | None = None
    icu_weight: float | None = None
    icu_resting_hr: int | None = None
    icu_notes: str | None = None
    measurement_preference: str | None = None
    fahrenheit: bool | None = None
    wind_speed: str | None = None
    rain: str | None = None
    weight_pref_lb: bool | None = None
    sport_settings: list[SportSettings] | None = Field(default=None, alias="sportSettings")

    @property
    def settings(self) -> list[SportSettings]:
        return list(self.sport_settings or [])

    def settings_for(self, activity_type: str) -> SportSettings | None:
        for entry in self.settings:
            if activity_type in entry.type_list:
                return entry
        return None


# ------------------------------------------------------------------------------ activity


class ZoneTime(ApiModel):
    id: str | None = None
    secs: float | None = None


class HRRecovery(ApiModel):
    """``icu_hrr``: the largest 60 s HR drop after exceeding threshold HR."""

    hrr: float | None = None
    value: float | None = None


class Activity(_Dated):
    id: str | None = None
    start_date: str | None = None
    type: str | None = None
    name: str | None = None
    description: str | None = None
    source: str | None = None
    note: str | None = Field(default=None, alias="_note")
    trainer: bool | None = None
    moving_time: float | None = None
    elapsed_time: float | None = None
    distance: float | None = None
    total_elevation_gain: float | None = None
    icu_training_load: float | None = None
    icu_intensity: float | None = None
    icu_ftp: float | None = None
    icu_joules: float | None = None
    icu_average_watts: float | None = None
    icu_weighted_avg_watts: float | None = None
    average_heartrate: float | None = None
    max_heartrate: float | None = None
    average_cadence: float | None = None
    average_speed: float | None = None
    max_speed: float | None = None
    calories: float | None = None
    carbs_used: float | None = None
    carbs_ingested: float | None = None
    icu_variability_index: float | None = None
    icu_efficiency_factor: float | None = None
    decoupling: float | None = None
    icu_hrr: HRRecovery | float | None = None
    feel: int | None = None
    icu_rpe: int | None = None
    icu_zone_times: list[ZoneTime | None] | None = None
    icu_hr_zone_times: list[float | None] | None = None
    # The athlete's HR zones (top of each zone in bpm, the last is max HR) and LTHR as they
    # were for this activity: they decide which Seiler zone each HR zone belongs to.
    icu_hr_zones: list[float | None] | None = None
    lthr: float | None = None
    pace_zone_times: list[float | None] | None = None
    gap_zone_times: list[float | None] | None = None
    paired_event_id: int | None = None
    icu_sync_date: str | None = None
    analyzed: str | None = None
    icu_intervals_edited: bool | None = None
    interval_summary: list[str] | None = None
    stream_types: list[str] | None = None
    # Weather (Intervals.icu enriches outdoor activities; units follow the athlete's settings)
    has_weather: bool | None = None
    average_weather_temp: float | None = None
    average_temp: float | None = None
    average_feels_like: float | None = None
    min_feels_like: float | None = None
    max_feels_like: float | None = None
    min_weather_temp: float | None = None
    max_weather_temp: float | None = None
    average_wind_speed: float | None = None
    average_wind_gust: float | None = None
    prevailing_wind_deg: float | None = None
    headwind_percent: float | None = None
    tailwind_percent: float | None = None
    average_clouds: float | None = None
    max_rain: float | None = None
    max_snow: float | None = None
    # Not in the published schema; read if Intervals.icu ever sends them.
    average_humidity: float | None = None
    humidity: float | None = None

    @property
    def is_strava_stub(self) -> bool:
        """Strava-sourced activities come through the API as bare stubs (Strava's terms)."""
        return (self.source or "").upper() == "STRAVA" and (
            self.note is not None or self.type is None
        )


# ------------------------------------------------------------------------------ wellness


class SportInfo(ApiModel):
    type: str | None = None
    eftp: float | None = None
    w_prime: float | None = Field(default=None, alias="wPrime")
    p_max: float | None = Field(default=None, alias="pMax")


class Wellness(ApiModel):
    id: str | None = None
    ctl: float | None = None
    atl: float | None = None
    ramp_rate: float | None = Field(default=None, alias="rampRate")
    ctl_load: float | None = Field(default=None, alias="ctlLoad")
    atl_load: float | None = Field(default=None, alias="atlLoad")
    sport_info: list[SportInfo | None] | None = Field(default=None, alias="sportInfo")
    weight: float | None = None
    resting_hr: float | None = Field(default=None, alias="restingHR")
    hrv: float | None = None
    hrv_sdnn: float | None = Field(default=None, alias="hrvSDNN")
    sleep_secs: float | None = Field(default=None, alias="sleepSecs")
    sleep_score: float | None = Field(default=None, alias="sleepScore")
    sleep_quality: int | None = Field(default=None, alias="sleepQuality")
    avg_sleeping_hr: float | None = Field(default=None, alias="avgSleepingHR")
    soreness: int | None = None
    fatigue: int | None = None
    stress: int | None = None
    mood: int | None = None
    motivation: int | None = None
    injury: int | None = None
    readiness: float | None = None
    spo2: float | None = Field(default=None, alias="spO2")
    systolic: int | None = None
    diastolic: int | None = None
    hydration: int | None = None
    hydration_volume: float | None = Field(default=None, alias="hydrationVolume")
    respiration: float | None = None
    steps: int | None = None
    vo2max: float | None = None
    body_fat: float | None = Field(default=None, alias="bodyFat")
    kcal_consumed: float | None = Field(default=None, alias="kcalConsumed")
    menstrual_phase: str | None = Field(default=None, alias="menstrualPhase")
    menstrual_phase_predicted: str | None = Field(default=None, alias="menstrualPhasePredicted")
    comments: str | None = None
    mental_energy: int | None = Field(default=None, alias="mentalEnergy")
    blood_glucose: float | None = Field(default=None, alias="bloodGlucose")
    baevsky_si: float | None = Field(default=None, alias="baevskySI")
    lactate: float | None = None
    abdomen: float | None = None
    carbohydrates: float | None = None
    protein: float | None = None
    fat_total: float | None = Field(default=None, alias="fatTotal")

    @property
    def day(self) -> date | None:
        return parse_local_date(self.id)

    def ride_power_model(self) -> SportInfo | None:
        for info in self.sport_info or []:
            if info is not None and info.type == "Ride":
                return info
        return None


# ------------------------------------------------------------------------------ events


class Attachment(ApiModel):
    id: str | None = None
    filename: str | None = None
    mimetype: str | None = None
    url: str | None = None


class Event(_Dated):
    id: int | None = None
    category: str | None = None
    type: str | None = None
    name: str | None = None
    description: str | None = None
    end_date_local: str | None = None
    moving_time: float | None = None
    distance: float | None = None
    icu_training_load: float | None = None
    icu_intensity: float | None = None
    indoor: bool | None = None
    workout_doc: dict[str, Any] | None = None
    attachments: list[Attachment | None] | None = None
    paired_activity_id: str | None = None


# ------------------------------------------------------------------------------ helpers


def parse_local_date(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_local_datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        day = parse_local_date(value)
        return datetime(day.year, day.month, day.day) if day else None
    return parsed.replace(tzinfo=None)


ModelT = TypeVar("ModelT", bound=ApiModel)


def parse_record(model: type[ModelT], record: object) -> tuple[ModelT | None, list[str]]:
    """One payload record as ``model``. A field with a value of the wrong type is dropped
    (it reads as missing) rather than losing the whole record; returns the dropped keys.
    None when the record is not an object at all."""
    if not isinstance(record, dict):
        return None, []
    try:
        return model.model_validate(record), []
    except ValidationError as exc:
        bad = sorted({str(error["loc"][0]) for error in exc.errors() if error["loc"]})
    cleaned = {key: value for key, value in record.items() if key not in bad}
    try:
        return model.model_validate(cleaned), bad
    except ValidationError:
        return None, bad


def parse_records(
    model: type[ModelT], records: Iterable[Any], what: str, problems: list[str] | None = None
) -> list[ModelT]:
    """Parse a list of payload records. Unreadable fields read as missing; records that are
    not objects are skipped. Both are counted in one warning."""
    parsed: list[ModelT] = []
    skipped = 0
    dropped: set[str] = set()
    for record in records:
        item, bad = parse_record(model, record)
        dropped.update(bad)
        if item is None:
            skipped += 1
        else:
            parsed.append(item)
    notes = []
    if skipped:
        notes.append(f"skipped {skipped} {what} record(s) from the API that could not be read")
    if dropped:
        notes.append(
            f"ignored unreadable {what} field(s) from the API: {', '.join(sorted(dropped))}"
        )
    for message in notes:
        log.warning(message)
        if problems is not None:
            problems.append(message)
    return parsed
