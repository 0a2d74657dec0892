"""Pure metric functions over typed records: no I/O, no clock, None in -> None out."""

from section11.metrics.benchmark import (
    Benchmark,
    benchmark_index,
    ftp_in_effect,
    seasonal_context,
    seasonal_expected_range,
)
from section11.metrics.consistency import Consistency, consistency_index
from section11.metrics.effort import effort_response
from section11.metrics.fitness import FitnessStatus, current_fitness
from section11.metrics.health import HealthContext, HealthMarker, WellnessInjury, health_context
from section11.metrics.load import (
    LoadSummary,
    acwr,
    count_missing_loads,
    daily_loads,
    interpret_acwr,
    interpret_monotony,
    load_summary,
    monotony,
    strain,
)
from section11.metrics.sports import family_of
from section11.metrics.thresholds import PowerModel, SportThreshold, power_model, sport_thresholds
from section11.metrics.weeks import week_days, week_start_of, weeks_between
from section11.metrics.wellness import (
    Baselines,
    baselines,
    is_valid_hrv,
    recovery_index,
    recovery_indices,
)
from section11.metrics.workout import format_duration, summarize_workout, workout_total_seconds
from section11.metrics.zones import (
    HardDay,
    SeilerTID,
    ZoneAggregate,
    ZoneBreakdown,
    activity_zones,
    aggregate_zones,
    classify_tid,
    hard_day,
    polarization_index,
    seiler_tid,
)

__all__ = [
    "Baselines",
    "Benchmark",
    "Consistency",
    "FitnessStatus",
    "HardDay",
    "HealthContext",
    "HealthMarker",
    "LoadSummary",
    "PowerModel",
    "SeilerTID",
    "SportThreshold",
    "WellnessInjury",
    "ZoneAggregate",
    "ZoneBreakdown",
    "activity_zones",
    "acwr",
    "aggregate_zones",
    "baselines",
    "benchmark_index",
    "classify_tid",
    "consistency_index",
    "count_missing_loads",
    "current_fitness",
    "daily_loads",
    "effort_response",
    "family_of",
    "format_duration",
    "ftp_in_effect",
    "hard_day",
    "health_context",
    "interpret_acwr",
    "interpret_monotony",
    "is_valid_hrv",
    "load_summary",
    "monotony",
    "polarization_index",
    "power_model",
    "recovery_index",
    "recovery_indices",
    "seasonal_context",
    "seasonal_expected_range",
    "seiler_tid",
    "sport_thresholds",
    "strain",
    "summarize_workout",
    "week_days",
    "week_start_of",
    "weeks_between",
    "workout_total_seconds",
]
