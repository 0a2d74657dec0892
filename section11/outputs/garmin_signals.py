"""Adds Garmin's own signals to a built latest.json: one block per ``wellness_data`` row
and the newest values in ``current_status``. The rest of the file is untouched, so it
does not matter to the other builders whether Garmin was a source."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta

from section11.outputs.garmin_activity import activity_detail, add_activity_detail
from section11.outputs.garmin_models import GarminDaySignals, GarminStatus
from section11.outputs.latest_models import LatestFile
from section11.sources.garmin.signals import GarminSignals
from section11.sources.garmin.wellness import GarminDay

SOURCE = "Garmin Connect (Body Battery, stress, training readiness, training status)"
FITNESS_SOURCE_GARMIN = (
    "Computed by section11 from Garmin activities (hrTSS load; CTL 42-day and ATL 7-day "
    "impulse response; builds up over the first weeks of stored activities)"
)
STATUS_DAYS = 7
_DAY_FIELDS = tuple(name for name in GarminDaySignals.model_fields if name != "missing")
_STATUS_FIELDS = (
    "body_battery_high",
    "body_battery_low",
    "stress_avg",
    "training_readiness",
    "training_readiness_level",
    "training_status",
)


def day_signals(day: GarminDay) -> GarminDaySignals:
    return GarminDaySignals(
        **{name: getattr(day, name) for name in _DAY_FIELDS},
        missing={k: v for k, v in sorted(day.missing.items()) if k in _DAY_FIELDS},
    )


def garmin_status(days: Mapping[date, GarminDay], today: date) -> GarminStatus:
    window = [days[d] for d in sorted(days) if today - timedelta(days=STATUS_DAYS) < d <= today]
    newest: dict[str, tuple[object, date]] = {}
    for day in window:  # oldest first: later days overwrite
        for name in _STATUS_FIELDS:
            value = getattr(day, name)
            if value is not None:
                newest[name] = (value, day.date)
    as_of = max((when for _, when in newest.values()), default=None)
    reasons: Counter[str] = Counter(
        reason for day in window for metric, reason in day.missing.items() if metric in _DAY_FIELDS
    )
    return GarminStatus(
        source=SOURCE,
        as_of=as_of,
        **{name: newest[name][0] if name in newest else None for name in _STATUS_FIELDS},
        value_dates={name: when for name, (_, when) in sorted(newest.items()) if when != as_of},
        missing_counts=dict(sorted(reasons.items())),
    )


def add_garmin(
    latest: LatestFile, signals: GarminSignals, today: date, *, garmin_only: bool
) -> LatestFile:
    """latest.json with Garmin's daily signals and, per activity, Garmin's detail."""
    latest = add_garmin_signals(latest, signals.days, today, garmin_only=garmin_only)
    details = {
        activity_id: detail
        for activity_id, (entry, cached) in signals.activity_detail.items()
        if (detail := activity_detail(entry, cached)) is not None
    }
    return add_activity_detail(latest, details)


def add_garmin_signals(
    latest: LatestFile, days: Mapping[date, GarminDay], today: date, *, garmin_only: bool = False
) -> LatestFile:
    rows = [
        row.model_copy(update={"garmin": day_signals(days[row.date])}) if row.date in days else row
        for row in latest.wellness_data
    ]
    update: dict[str, object] = {"garmin": garmin_status(days, today)}
    fitness = latest.current_status.fitness
    if garmin_only and fitness.ctl is not None:
        # CTL/ATL came from our hrTSS model, not from Intervals.icu: say so.
        update["fitness"] = fitness.model_copy(update={"fitness_source": FITNESS_SOURCE_GARMIN})
    status = latest.current_status.model_copy(update=update)
    changes: dict[str, object] = {"wellness_data": rows, "current_status": status}
    if garmin_only:
        # Garmin has no training calendar: the planned count is unknown, not 0.
        derived = latest.derived_metrics
        quality = derived.data_quality.model_copy(update={"planned_workouts_7d": None})
        changes["derived_metrics"] = derived.model_copy(update={"data_quality": quality})
    return latest.model_copy(update=changes)
