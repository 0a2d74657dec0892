"""Garmin records as the typed records the rest of the sync reads (the Intervals.icu
source's ``Activity``, ``Wellness`` and ``Athlete``), under their field names, so metrics
and outputs do not know which source fed them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from section11.metrics.hr_load import FitnessDay, hr_tss
from section11.sources.garmin.models import GarminActivity, Lap, UserSettings
from section11.sources.garmin.wellness import GarminDay
from section11.sources.intervals_icu.models import Activity, Athlete, SportSettings, Wellness

# Garmin typeKey -> the activity type names the metrics know (Intervals.icu's).
_TYPES = {
    "running": "Run",
    "street_running": "Run",
    "track_running": "Run",
    "treadmill_running": "Run",
    "indoor_running": "Run",
    "trail_running": "TrailRun",
    "virtual_run": "VirtualRun",
    "cycling": "Ride",
    "road_biking": "Ride",
    "gravel_cycling": "GravelRide",
    "mountain_biking": "MountainBikeRide",
    "indoor_cycling": "VirtualRide",
    "virtual_ride": "VirtualRide",
    "e_bike_fitness": "EBikeRide",
    "lap_swimming": "Swim",
    "open_water_swimming": "OpenWaterSwim",
    "walking": "Walk",
    "hiking": "Hike",
    "strength_training": "WeightTraining",
    "yoga": "Yoga",
    "rowing": "Rowing",
    "indoor_rowing": "Rowing",
    "cross_country_skiing_ws": "NordicSki",
    "skate_skiing_ws": "NordicSki",
    "resort_skiing_snowboarding_ws": "AlpineSki",
    "backcountry_skiing": "BackcountrySki",
}
_INDOOR = {"treadmill_running", "indoor_running", "indoor_cycling", "virtual_ride", "indoor_rowing"}
SPORT_TYPES = sorted(set(_TYPES.values()))


def activity_type(type_key: str | None) -> str:
    return _TYPES.get(type_key or "", "Workout")


def to_activity(
    g: GarminActivity, lthr: float | None, detail: Mapping[str, Any] | None = None
) -> Activity:
    duration = g.moving_duration or g.duration
    load = hr_tss(duration, g.average_hr, lthr)
    cadence = g.avg_run_cadence or g.avg_bike_cadence
    start = (g.start_time_local or "").replace(" ", "T") or None
    return Activity(
        id=g.activity_id,
        start_date_local=start,
        start_date=(g.start_time_gmt or "").replace(" ", "T") + "Z" if g.start_time_gmt else None,
        type=activity_type(g.type_key),
        name=g.activity_name,
        description=g.description,
        source="GARMIN_CONNECT",
        trainer=(g.type_key in _INDOOR) if g.type_key else None,
        moving_time=g.moving_duration or g.duration,
        elapsed_time=g.elapsed_duration or g.duration,
        distance=g.distance,
        total_elevation_gain=g.elevation_gain,
        icu_training_load=load.value,
        icu_average_watts=g.avg_power,
        icu_weighted_avg_watts=g.norm_power,
        average_heartrate=g.average_hr,
        max_heartrate=g.max_hr,
        average_cadence=cadence,
        average_speed=g.average_speed,
        max_speed=g.max_speed,
        calories=g.calories,
        # A structured workout (Garmin split summaries with an active part) is what makes
        # an activity an intervals.json candidate; the detail's fingerprint is its version.
        interval_summary=interval_summary(detail),
        analyzed=str(detail.get("fingerprint")) if detail else None,
    )


def interval_summary(detail: Mapping[str, Any] | None) -> list[str] | None:
    for item in (detail or {}).get("split_summaries") or []:
        if isinstance(item, dict) and item.get("splitType") == "INTERVAL_ACTIVE":
            count = item.get("noOfSplits")
            return [f"{count} active intervals" if isinstance(count, int) else "intervals"]
    return None


def laps_as_intervals(laps: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Garmin laps in the interval shape intervals.json is built from: ACTIVE and
    INTERVAL laps are WORK, every other lap (warm-up, rest, recovery, cool-down) RECOVERY."""
    intervals: list[dict[str, Any]] = []
    start = 0.0
    for number, raw in enumerate(laps, 1):
        try:
            lap = Lap.model_validate(raw)
        except ValidationError:
            continue
        kind = (lap.intensity_type or "").upper()
        duration = lap.duration or 0.0
        intervals.append(
            {
                "type": "WORK" if kind in ("ACTIVE", "INTERVAL") else "RECOVERY",
                "label": f"{kind.lower() or 'lap'} {lap.lap_index or number}",
                "start_time": start,
                "end_time": start + duration,
                "elapsed_time": lap.duration,
                "moving_time": lap.duration,
                "distance": lap.distance,
                "average_watts": lap.average_power,
                "average_heartrate": lap.average_hr,
                "max_heartrate": lap.max_hr,
                "average_cadence": lap.average_run_cadence,
                "average_speed": lap.average_speed,
            }
        )
        start += duration
    return intervals


def to_wellness(day: GarminDay, fitness: FitnessDay | None, weight_kg: float | None) -> Wellness:
    """Garmin's stress (0-100) and readiness stay in the Garmin block: Intervals.icu's
    fields of those names are 1-4 self-ratings, another scale."""
    return Wellness(
        id=day.date.isoformat(),
        ctl=fitness.ctl if fitness else None,
        atl=fitness.atl if fitness else None,
        ctl_load=fitness.load if fitness else None,
        atl_load=fitness.load if fitness else None,
        weight=weight_kg,
        resting_hr=day.resting_hr,
        hrv=day.hrv_rmssd,
        sleep_secs=day.sleep_secs,
        sleep_score=day.sleep_score,
        spo2=day.spo2,
        respiration=day.respiration,
        steps=day.steps,
    )


def to_athlete(settings: UserSettings | None, timezone: str | None) -> Athlete:
    data = settings.user_data if settings else None
    weight_g = data.weight if data else None
    lthr = data.lactate_threshold_heart_rate if data else None
    metric = (data.measurement_system or "metric").lower() != "statute_us" if data else True
    return Athlete(
        id="garmin",
        timezone=timezone,
        icu_weight=round(weight_g / 1000, 1) if weight_g else None,
        measurement_preference="meters" if metric else "feet",
        sport_settings=[SportSettings(types=SPORT_TYPES, lthr=round(lthr) if lthr else None)],
    )


def athlete_lthr(settings: UserSettings | None) -> float | None:
    data = settings.user_data if settings else None
    value = data.lactate_threshold_heart_rate if data else None
    return value if value and value > 0 else None
