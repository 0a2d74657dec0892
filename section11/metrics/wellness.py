"""HRV / resting-HR baselines and the Recovery Index."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date, timedelta

from section11.metrics._common import MetricModel
from section11.sources.intervals_icu.models import Wellness

HRV_MIN = 10.0
HRV_MAX = 250.0


def is_valid_hrv(value: float | None) -> bool:
    """A plausible rMSSD in ms; outside this range the reading is an artefact."""
    return value is not None and HRV_MIN <= value <= HRV_MAX


def _valid_rhr(value: float | None) -> bool:
    return value is not None and value > 0


class Baselines(MetricModel):
    hrv_baseline_7d: float | None
    rhr_baseline_7d: float | None
    hrv_baseline_28d: float | None
    rhr_baseline_28d: float | None
    latest_hrv: float | None
    latest_hrv_date: date | None
    latest_rhr: float | None
    latest_rhr_date: date | None
    hrv_data_points_7d: int
    hrv_data_points_28d: int
    rhr_data_points_7d: int
    rhr_data_points_28d: int


def _by_day(wellness: Sequence[Wellness], start: date, end: date) -> dict[date, Wellness]:
    """One record per date in [start, end]; a later duplicate of a date wins."""
    out: dict[date, Wellness] = {}
    for record in wellness:
        day = record.day
        if day is not None and start <= day <= end:
            out[day] = record
    return dict(sorted(out.items()))


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def baselines(wellness: Sequence[Wellness], today: date) -> Baselines:
    """Means over the 7 and 28 days ending today (inclusive) and the newest readings.

    ``latest_*`` is the newest record within the 28-day window carrying a valid value,
    chosen by date; its date is reported so the reader can judge its freshness.
    """
    days_28 = _by_day(wellness, today - timedelta(days=27), today)
    start_7 = today - timedelta(days=6)
    hrv_28 = [(d, r.hrv) for d, r in days_28.items() if r.hrv is not None and is_valid_hrv(r.hrv)]
    rhr_28 = [
        (d, r.resting_hr)
        for d, r in days_28.items()
        if r.resting_hr is not None and _valid_rhr(r.resting_hr)
    ]
    hrv_7 = [v for d, v in hrv_28 if d >= start_7]
    rhr_7 = [v for d, v in rhr_28 if d >= start_7]
    return Baselines(
        hrv_baseline_7d=_mean(hrv_7),
        rhr_baseline_7d=_mean(rhr_7),
        hrv_baseline_28d=_mean([v for _, v in hrv_28]),
        rhr_baseline_28d=_mean([v for _, v in rhr_28]),
        latest_hrv=hrv_28[-1][1] if hrv_28 else None,
        latest_hrv_date=hrv_28[-1][0] if hrv_28 else None,
        latest_rhr=rhr_28[-1][1] if rhr_28 else None,
        latest_rhr_date=rhr_28[-1][0] if rhr_28 else None,
        hrv_data_points_7d=len(hrv_7),
        hrv_data_points_28d=len(hrv_28),
        rhr_data_points_7d=len(rhr_7),
        rhr_data_points_28d=len(rhr_28),
    )


def recovery_index(
    hrv: float | None, hrv_base: float | None, rhr: float | None, rhr_base: float | None
) -> float | None:
    """(HRV / HRV baseline) / (RHR / RHR baseline), 2 dp; None on missing input or zero."""
    if hrv is None or hrv_base is None or rhr is None or rhr_base is None:
        return None
    if hrv_base == 0 or rhr == 0 or rhr_base == 0:
        return None
    return round((hrv / hrv_base) / (rhr / rhr_base), 2)


def _record_index(record: Wellness | None, base: Baselines) -> float | None:
    if record is None or not is_valid_hrv(record.hrv) or not _valid_rhr(record.resting_hr):
        return None
    return recovery_index(record.hrv, base.hrv_baseline_7d, record.resting_hr, base.rhr_baseline_7d)


def recovery_indices(
    wellness: Sequence[Wellness], today: date, baselines: Baselines
) -> tuple[float | None, float | None]:
    """Recovery Index of today's and of yesterday's record, both against the 7-day baselines."""
    yesterday = today - timedelta(days=1)
    days = _by_day(wellness, yesterday, today)
    return (
        _record_index(days.get(today), baselines),
        _record_index(days.get(yesterday), baselines),
    )
