"""The ``garmin`` block of a recent activity: Garmin's per-activity detail under our field
names, grouped for coaching, with every group that has no value left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from section11.outputs.garmin_models import (
    GarminActivityDetail,
    GarminBody,
    GarminElevation,
    GarminGroup,
    GarminHeartRate,
    GarminPace,
    GarminPhase,
    GarminPower,
    GarminRunningDynamics,
    GarminTiming,
    GarminTrainingEffect,
    GarminWorkoutStructure,
)
from section11.outputs.latest_models import LatestFile
from section11.sources.garmin.models import GarminActivity, SplitSummary

G = TypeVar("G", bound=GarminGroup)
PACED_TYPES = frozenset({"running", "trail_running", "treadmill_running", "walking", "hiking"})
PHASES = {
    "INTERVAL_WARMUP": "warmup",
    "INTERVAL_ACTIVE": "active",
    "INTERVAL_RECOVERY": "recovery",
    "INTERVAL_COOLDOWN": "cooldown",
}


def pace_per_km(speed_ms: float | None) -> str | None:
    """m/s as m:ss per km; None for no or zero speed."""
    if speed_ms is None or speed_ms <= 0:
        return None
    seconds = round(1000 / speed_ms)
    return f"{seconds // 60}:{seconds % 60:02d}"


def _group(cls: type[G], **values: Any) -> G | None:
    return cls(**values) if any(v is not None for v in values.values()) else None


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _i(value: float | None) -> int | None:
    return None if value is None else round(value)


def activity_detail(
    g: GarminActivity, detail: Mapping[str, Any] | None
) -> GarminActivityDetail | None:
    paced = (g.type_key or "") in PACED_TYPES or "running" in (g.type_key or "")
    stride = g.avg_stride_length
    result = GarminActivityDetail(
        timing=_group(
            GarminTiming,
            moving_secs=_i(g.moving_duration),
            elapsed_secs=_i(g.elapsed_duration or g.duration),
        ),
        pace=_group(
            GarminPace,
            distance_km=_r(g.distance / 1000, 2) if g.distance is not None else None,
            avg_speed_kmh=_r(g.average_speed * 3.6) if g.average_speed is not None else None,
            max_speed_kmh=_r(g.max_speed * 3.6) if g.max_speed is not None else None,
            avg_pace_per_km=pace_per_km(g.average_speed) if paced else None,
            gap_per_km=pace_per_km(g.avg_grade_adjusted_speed) if paced else None,
        ),
        heart_rate=_group(GarminHeartRate, avg_hr=_i(g.average_hr), max_hr=_i(g.max_hr)),
        elevation=_group(GarminElevation, gain_m=_r(g.elevation_gain), loss_m=_r(g.elevation_loss)),
        running_dynamics=_group(
            GarminRunningDynamics,
            cadence_spm=_r(g.avg_run_cadence),
            ground_contact_ms=_r(g.avg_ground_contact_time),
            vertical_oscillation_cm=_r(g.avg_vertical_oscillation),
            vertical_ratio_pct=_r(g.avg_vertical_ratio),
            stride_length_m=_r(stride / 100, 2) if stride is not None else None,  # cm
        ),
        power=_group(
            GarminPower,
            avg_power=_i(g.avg_power),
            max_power=_i(g.max_power),
            normalized_power=_i(g.norm_power),
        ),
        training_effect=_group(
            GarminTrainingEffect,
            aerobic=_r(g.aerobic_training_effect),
            anaerobic=_r(g.anaerobic_training_effect),
            label=g.training_effect_label,
            garmin_load=_r(g.activity_training_load),
        ),
        body=_group(
            GarminBody,
            calories=_i(g.calories),
            respiration_brpm=_r(g.avg_respiration_rate),
            body_battery_change=_i(g.difference_body_battery),
            stamina_start_pct=_i(g.begin_potential_stamina),
            stamina_end_pct=_i(g.end_potential_stamina),
            stamina_min_pct=_i(g.min_available_stamina),
        ),
        workout_structure=workout_structure(detail.get("split_summaries") if detail else None),
        lap_count=g.lap_count if g.lap_count and g.lap_count > 0 else None,
    )
    return result if result.model_dump(exclude_none=True) else None


def workout_structure(raw: Sequence[Any] | None) -> GarminWorkoutStructure | None:
    """Garmin's INTERVAL_* split summaries as warm-up / active / recovery / cool-down;
    None unless the activity has an active part (a structured workout)."""
    phases: dict[str, GarminPhase] = {}
    for item in raw or []:
        try:
            split = SplitSummary.model_validate(item)
        except ValidationError:
            continue
        name = PHASES.get(split.split_type or "")
        if name is None:
            continue
        phase = _group(
            GarminPhase,
            count=split.no_of_splits,
            duration_secs=_i(split.duration),
            distance_km=_r(split.distance / 1000, 2) if split.distance is not None else None,
            avg_hr=_i(split.average_hr),
            avg_power=_i(split.average_power),
            avg_pace_per_km=pace_per_km(split.average_speed),
        )
        if phase is not None:
            phases[name] = phase
    if "active" not in phases:
        return None
    return GarminWorkoutStructure(**phases)


def add_activity_detail(
    latest: LatestFile, details: Mapping[str, GarminActivityDetail]
) -> LatestFile:
    rows = [
        row.model_copy(update={"garmin": details[row.id]})
        if row.id is not None and row.id in details
        else row
        for row in latest.recent_activities
    ]
    return latest.model_copy(update={"recent_activities": rows})
