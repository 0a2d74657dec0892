"""Training load: daily TSS arrays, ACWR, monotony, strain and the 7/28-day load summary.

Windows are always 7 and 28 calendar days ending on the given day, whatever the display
window of the output files is. Days without training are real zeros; an activity whose
load is missing contributes nothing to the sums and is counted as a data-quality issue.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from section11.metrics._common import MetricModel
from section11.metrics.sports import FAMILIES, family_of
from section11.sources.intervals_icu.models import Activity

ACUTE_DAYS = 7
CHRONIC_DAYS = 28
# Monotony above this is "elevated" (Foster).
MONOTONY_ELEVATED = 2.0
# Primary-sport monotony needs this many days with load in that sport.
PRIMARY_MONOTONY_MIN_DAYS = 3


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _in_window(activity: Activity, start: date, end: date) -> date | None:
    """The activity's local date when it counts for load in [start, end], else None."""
    if activity.is_strava_stub:
        return None
    day = activity.local_date
    if day is None or not start <= day <= end:
        return None
    return day


def daily_loads(activities: Iterable[Activity], start: date, end: date) -> list[float]:
    """Sum of ``icu_training_load`` per calendar day ``start``..``end`` inclusive."""
    days = _days(start, end)
    totals = dict.fromkeys(days, 0.0)
    for activity in activities:
        day = _in_window(activity, start, end)
        if day is not None and activity.icu_training_load is not None:
            totals[day] += activity.icu_training_load
    return [totals[d] for d in days]


def count_missing_loads(activities: Iterable[Activity], start: date, end: date) -> int:
    """Non-stub activities in the window whose training load is missing."""
    return sum(
        1
        for a in activities
        if _in_window(a, start, end) is not None and a.icu_training_load is None
    )


def acwr(daily_28: Sequence[float]) -> float | None:
    """Acute:chronic workload ratio: mean of the last 7 days / mean of all 28 (2 dp)."""
    if len(daily_28) != CHRONIC_DAYS:
        return None
    chronic = sum(daily_28) / CHRONIC_DAYS
    if chronic == 0:
        return None
    acute = sum(daily_28[-ACUTE_DAYS:]) / ACUTE_DAYS
    return round(acute / chronic, 2)


def interpret_acwr(value: float | None) -> str | None:
    if value is None:
        return None
    if value < 0.8:
        return "undertraining"
    if value < 1.3:
        return "optimal"
    if value < 1.5:
        return "caution"
    return "danger"


def monotony(daily_7: Sequence[float]) -> float | None:
    """Foster monotony: mean daily load / sample standard deviation (2 dp)."""
    if len(daily_7) < 2 or all(v == 0 for v in daily_7):
        return None
    spread = statistics.stdev(daily_7)
    if spread == 0:
        return None
    return round(statistics.fmean(daily_7) / spread, 2)


def strain(load_7d: float, monotony: float | None) -> float | None:
    """Foster strain: weekly load × monotony (0 dp)."""
    if monotony is None:
        return None
    return float(round(load_7d * monotony))


def interpret_monotony(
    total: float | None, effective: float | None, multi_sport: bool
) -> str | None:
    """ "normal"/"elevated" of the effective monotony, naming multi-sport inflation."""
    if effective is None:
        return None
    level = "elevated" if effective > MONOTONY_ELEVATED else "normal"
    if multi_sport and total is not None and effective < total:
        return f"{level} (primary sport {effective}, total {total} inflated by multi-sport)"
    return level


class LoadSummary(MetricModel):
    tss_7d_total: float
    tss_28d_total: float
    acwr: float | None
    acwr_interpretation: str | None
    acwr_start_of_day: float | None
    acwr_start_of_day_interpretation: str | None
    monotony: float | None
    monotony_interpretation: str | None
    primary_sport: str | None
    primary_sport_tss_7d: float | None
    primary_sport_monotony: float | None
    multi_sport_detected: bool
    effective_monotony: float | None
    strain: float | None
    missing_load_activities_7d: int


def _family_daily_7(activities: Sequence[Activity], today: date) -> dict[str, list[float]]:
    """Daily load of the last 7 days per sport family, for families with any load > 0."""
    start = today - timedelta(days=ACUTE_DAYS - 1)
    days = _days(start, today)
    per_family: dict[str, dict[date, float]] = {}
    for activity in activities:
        day = _in_window(activity, start, today)
        load = activity.icu_training_load
        if day is None or load is None or load <= 0:
            continue
        bucket = per_family.setdefault(family_of(activity.type), dict.fromkeys(days, 0.0))
        bucket[day] += load
    return {fam: [by_day[d] for d in days] for fam, by_day in per_family.items()}


def load_summary(activities: Iterable[Activity], today: date) -> LoadSummary:
    """Load metrics over the 7 and 28 days ending ``today`` (inclusive)."""
    acts = list(activities)
    daily_28 = daily_loads(acts, today - timedelta(days=CHRONIC_DAYS - 1), today)
    # Start of day: the same 28 days ending today, with today's sessions not counted yet
    # (today's bucket is empty; both means still divide by 7 and 28 days).
    daily_28_sod = [*daily_28[:-1], 0.0]
    daily_7 = daily_28[-ACUTE_DAYS:]
    tss_7d = sum(daily_7)
    live = acwr(daily_28)
    start_of_day = acwr(daily_28_sod)
    total_mono = monotony(daily_7)

    per_family = _family_daily_7(acts, today)
    primary: str | None = None
    primary_tss: float | None = None
    primary_mono: float | None = None
    if per_family:
        # Ties go to the family listed first in FAMILIES, so the choice is stable.
        order = {fam: i for i, fam in enumerate(FAMILIES)}
        primary = max(per_family, key=lambda f: (sum(per_family[f]), -order.get(f, len(order))))
        primary_tss = round(sum(per_family[primary]), 1)
        active_days = sum(1 for v in per_family[primary] if v > 0)
        if active_days >= PRIMARY_MONOTONY_MIN_DAYS:
            primary_mono = monotony(per_family[primary])
    multi = len(per_family) > 1
    effective = primary_mono if multi and primary_mono is not None else total_mono

    return LoadSummary(
        tss_7d_total=float(round(tss_7d)),
        tss_28d_total=float(round(sum(daily_28))),
        acwr=live,
        acwr_interpretation=interpret_acwr(live),
        acwr_start_of_day=start_of_day,
        acwr_start_of_day_interpretation=interpret_acwr(start_of_day),
        monotony=total_mono,
        monotony_interpretation=interpret_monotony(total_mono, effective, multi),
        primary_sport=primary,
        primary_sport_tss_7d=primary_tss,
        primary_sport_monotony=primary_mono,
        multi_sport_detected=multi,
        effective_monotony=effective,
        # Foster strain: the whole week's load times its (all-sport) monotony, as the
        # reference computes it; effective_monotony is reported separately.
        strain=strain(tss_7d, total_mono),
        missing_load_activities_7d=count_missing_loads(
            acts, today - timedelta(days=ACUTE_DAYS - 1), today
        ),
    )
