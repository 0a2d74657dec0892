"""Garmin's own daily signals (Body Battery, stress, training readiness, training status,
and in Garmin-only mode sleep, HRV and the daily basics), one typed record per day.

Today's sleep and stress are not final until the day ends, so every run fetches the last
few days again (``REFETCH_DAYS``); older days come from the stored state. Per metric and
day, a value we could not get is None with its reason in ``missing`` — never 0. A failed
fetch never replaces a value stored by an earlier run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from section11.errors import ApiError, NotFoundError
from section11.sources.garmin.client import GarminClient, GarminRateLimitedError
from section11.sources.garmin.models import (
    DailySummary,
    SleepPayload,
    TrainingReadiness,
    TrainingStatusPayload,
    non_negative,
    positive,
)
from section11.sources.intervals_icu.models import parse_record

log = logging.getLogger(__name__)

REFETCH_DAYS = 3  # finalized days fetched again every run (besides today)
BACKFILL_DAYS = 7  # days filled in when they are not stored yet (first run)
KEEP_DAYS = 120  # days kept in the state file

Reason = Literal["fetch_failed", "not_recorded"]

SUMMARY_METRICS = (
    "body_battery_high",
    "body_battery_low",
    "body_battery_charged",
    "body_battery_drained",
    "stress_avg",
    "stress_max",
    "resting_hr",
    "steps",
    "spo2",
    "respiration",
)
READINESS_METRICS = ("training_readiness", "training_readiness_level")
STATUS_METRICS = ("training_status",)
SLEEP_METRICS = ("sleep_secs", "sleep_score", "hrv_rmssd")


class GarminDay(BaseModel):
    """One day of Garmin signals. ``missing`` maps each metric without a value to why."""

    model_config = ConfigDict(extra="ignore")

    date: date
    body_battery_high: int | None = None
    body_battery_low: int | None = None
    body_battery_charged: int | None = None
    body_battery_drained: int | None = None
    stress_avg: int | None = None
    stress_max: int | None = None
    resting_hr: int | None = None
    steps: int | None = None
    spo2: float | None = None
    respiration: float | None = None
    training_readiness: int | None = None
    training_readiness_level: str | None = None
    training_status: str | None = None
    sleep_secs: int | None = None
    sleep_score: int | None = None
    hrv_rmssd: float | None = None
    missing: dict[str, Reason] = {}


Getter = Callable[[], Any]


def fetch_days(
    client: GarminClient,
    display_name: str | None,
    days: Iterable[date],
    *,
    with_sleep: bool,
    warnings: list[str],
) -> list[GarminDay]:
    """Fetch each day's signals. A rate limit stops further requests for this run (the
    rest count as failed); a lost session propagates (the run must stop)."""
    results: list[GarminDay] = []
    limited = False
    for day in sorted(days):
        values: dict[str, Any] = {"date": day}
        missing: dict[str, Reason] = {}
        plan: list[tuple[tuple[str, ...], Getter, Callable[[Any], dict[str, Any]]]] = [
            (
                SUMMARY_METRICS,
                lambda d=day: (
                    client.get_json(  # type: ignore[misc]
                        f"/usersummary-service/usersummary/daily/{display_name}",
                        {"calendarDate": d.isoformat()},
                    )
                    if display_name
                    else None
                ),
                _summary_values,
            ),
            (
                READINESS_METRICS,
                lambda d=day: client.get_json(  # type: ignore[misc]
                    f"/metrics-service/metrics/trainingreadiness/{d.isoformat()}"
                ),
                _readiness_values,
            ),
            (
                STATUS_METRICS,
                lambda d=day: client.get_json(  # type: ignore[misc]
                    f"/metrics-service/metrics/trainingstatus/aggregated/{d.isoformat()}"
                ),
                _status_values,
            ),
        ]
        if with_sleep:
            plan.append(
                (
                    SLEEP_METRICS,
                    lambda d=day: (
                        client.get_json(  # type: ignore[misc]
                            f"/wellness-service/wellness/dailySleepData/{display_name}",
                            {"date": d.isoformat(), "nonSleepBufferMinutes": 60},
                        )
                        if display_name
                        else None
                    ),
                    _sleep_values,
                )
            )
        for metrics, get, read in plan:
            got: dict[str, Any] = {}
            reason: Reason = "fetch_failed"
            if not limited:
                try:
                    got = read(get())
                    reason = "not_recorded"
                except GarminRateLimitedError as exc:
                    limited = True
                    warnings.append(f"Garmin signals are partial this run: {exc}")
                except NotFoundError:
                    reason = "not_recorded"
                except ApiError as exc:
                    if exc.exit_code == 3:  # the session is gone: stop the run
                        raise
                    log.warning("Garmin %s for %s: %s", metrics[0], day, exc)
            for metric in metrics:
                value = got.get(metric)
                if value is None:
                    missing[metric] = reason
                else:
                    values[metric] = value
        results.append(GarminDay(**values, missing=missing))
    return results


def merge_days(
    stored: Mapping[date, GarminDay], fetched: Iterable[GarminDay], today: date
) -> dict[date, GarminDay]:
    """Fetched values win; a metric the new fetch lacks keeps a stored value."""
    merged = dict(stored)
    for day in fetched:
        old = merged.get(day.date)
        if old is None:
            merged[day.date] = day
            continue
        values = day.model_dump()
        missing = dict(day.missing)
        for metric in list(missing):
            kept = getattr(old, metric, None)
            if kept is not None:
                values[metric] = kept
                del missing[metric]
        values["missing"] = missing
        merged[day.date] = GarminDay.model_validate(values)
    oldest = today - timedelta(days=KEEP_DAYS - 1)
    return {d: merged[d] for d in sorted(merged) if d >= oldest}


def days_to_fetch(stored: Mapping[date, GarminDay], today: date) -> list[date]:
    """Today, the last few finalized days, and any day of the backfill window not stored."""
    recent = {today - timedelta(days=n) for n in range(REFETCH_DAYS + 1)}
    backfill = {today - timedelta(days=n) for n in range(BACKFILL_DAYS)}
    return sorted(recent | {d for d in backfill if d not in stored})


def days_from_state(raw: object) -> dict[date, GarminDay]:
    """Stored days; an unreadable entry is skipped (it is fetched again)."""
    days: dict[date, GarminDay] = {}
    entries = raw.get("days") if isinstance(raw, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        try:
            day = GarminDay.model_validate(entry)
        except ValidationError:
            continue
        days[day.date] = day
    return days


def days_to_state(days: Mapping[date, GarminDay]) -> dict[str, Any]:
    return {"schema": 1, "days": [days[d].model_dump(mode="json") for d in sorted(days)]}


# ------------------------------------------------------------------------------ readers


def _as_int(value: float | None) -> int | None:
    return round(value) if value is not None else None


def _summary_values(payload: Any) -> dict[str, Any]:
    s, _ = parse_record(DailySummary, payload)
    if s is None:
        return {}
    return {
        "body_battery_high": _as_int(positive(s.body_battery_highest)),
        "body_battery_low": _as_int(positive(s.body_battery_lowest)),
        "body_battery_charged": _as_int(non_negative(s.body_battery_charged)),
        "body_battery_drained": _as_int(non_negative(s.body_battery_drained)),
        "stress_avg": _as_int(positive(s.average_stress_level)),
        "stress_max": _as_int(positive(s.max_stress_level)),
        "resting_hr": _as_int(positive(s.resting_heart_rate)),
        "steps": _as_int(non_negative(s.total_steps)),
        "spo2": positive(s.average_spo2),
        "respiration": positive(s.avg_waking_respiration),
    }


def _readiness_values(payload: Any) -> dict[str, Any]:
    entries = payload if isinstance(payload, list) else [payload] if payload else []
    readings = []
    for entry in entries:
        reading, _ = parse_record(TrainingReadiness, entry)
        if reading is not None and reading.score is not None:
            readings.append(reading)
    if not readings:
        return {}
    # The day's readiness is the first reading (on waking); later ones follow activities.
    first = min(readings, key=lambda r: r.timestamp or "")
    return {"training_readiness": _as_int(first.score), "training_readiness_level": first.level}


def _status_values(payload: Any) -> dict[str, Any]:
    parsed, _ = parse_record(TrainingStatusPayload, payload)
    status = parsed.primary() if parsed is not None else None
    if status is None or not status.feedback_phrase:
        return {}
    # "PRODUCTIVE_2" -> "productive": the suffix only picks Garmin's message variant.
    phrase = status.feedback_phrase.rsplit("_", 1)
    name = phrase[0] if len(phrase) == 2 and phrase[1].isdigit() else status.feedback_phrase
    return {"training_status": name.lower()}


def _sleep_values(payload: Any) -> dict[str, Any]:
    sleep, _ = parse_record(SleepPayload, payload)
    if sleep is None:
        return {}
    secs = sleep.daily.sleep_time_seconds if sleep.daily else None
    return {
        "sleep_secs": _as_int(positive(secs)),
        "sleep_score": _as_int(positive(sleep.score)),
        "hrv_rmssd": positive(sleep.avg_overnight_hrv),
    }
