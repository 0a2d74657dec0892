"""Training load from heart rate, and fitness/fatigue from that load — the one formula used
when Garmin Connect is the only source (Garmin's own "training load" is an EPOC figure on
another scale, so it is shown beside ours, never mixed in).

Load (hrTSS): ``hours × (average HR / LTHR)² × 100`` — an hour at lactate-threshold heart
rate scores 100, like TSS. It needs the activity's moving (else elapsed) time, its
average heart rate and the athlete's LTHR; without one of them the load is None (with
the reason), never 0.

Fitness (CTL) and fatigue (ATL): the impulse-response model Intervals.icu uses, with the
same time constants (``metrics.fitness``): each day ``x = x·e^(−1/τ) + load·(1 − e^(−1/τ))``,
τ = 42 days for CTL and 7 for ATL, starting from 0 on the first day with data. A day
without activities has load 0 (resting is a real zero); a day whose activities all lack
a load still counts as 0 but is reported in ``days_missing_load``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from section11.metrics.fitness import ATL_DAYS, CTL_DAYS

HR_LOAD_METHOD = "hrTSS = hours x (avg HR / LTHR)^2 x 100"


@dataclass(frozen=True)
class HrLoad:
    value: float | None
    reason: str | None  # why value is None


def hr_tss(duration_s: float | None, avg_hr: float | None, lthr: float | None) -> HrLoad:
    if lthr is None or lthr <= 0:
        return HrLoad(None, "no lactate-threshold heart rate (LTHR) for the athlete")
    if avg_hr is None or avg_hr <= 0:
        return HrLoad(None, "no average heart rate")
    if duration_s is None or duration_s <= 0:
        return HrLoad(None, "no duration")
    hours = duration_s / 3600.0
    return HrLoad(round(hours * (avg_hr / lthr) ** 2 * 100.0, 1), None)


@dataclass(frozen=True)
class FitnessDay:
    ctl: float
    atl: float
    load: float


def fitness_by_day(
    daily_load: Mapping[date, float], first: date, last: date
) -> dict[date, FitnessDay]:
    """CTL/ATL at the end of each day from ``first`` to ``last`` (days not in
    ``daily_load`` have load 0)."""
    ctl_keep, atl_keep = math.exp(-1 / CTL_DAYS), math.exp(-1 / ATL_DAYS)
    ctl = atl = 0.0
    out: dict[date, FitnessDay] = {}
    day = first
    while day <= last:
        load = daily_load.get(day, 0.0)
        ctl = ctl * ctl_keep + load * (1 - ctl_keep)
        atl = atl * atl_keep + load * (1 - atl_keep)
        out[day] = FitnessDay(round(ctl, 2), round(atl, 2), load)
        day += timedelta(days=1)
    return out
