"""Fitness (CTL), fatigue (ATL) and form (TSB) projected forward over planned load.

The same impulse-response model as Intervals.icu and ``metrics.fitness``: each day the
value moves towards that day's load by ``1 - exp(-1/τ)``. With no load this is exactly the
``exp(-days/τ)`` decay ``current_fitness`` applies, so the two never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta

from section11.metrics._common import MetricModel
from section11.metrics.fitness import ATL_DAYS, CTL_DAYS


class ProjectedDay(MetricModel):
    date: date
    ctl: float
    atl: float
    tsb: float
    planned_load: float  # the load assumed for that day (0 when nothing is planned)


def _step(value: float, load: float, days: int) -> float:
    return value + (load - value) * (1.0 - math.exp(-1.0 / days))


def project_fitness(
    ctl: float | None,
    atl: float | None,
    start: date,
    until: date,
    planned_load: Mapping[date, float],
) -> list[ProjectedDay]:
    """One row per day after ``start`` up to ``until`` (inclusive), following the plan.

    ``ctl``/``atl`` describe ``start``. Days without planned load are rest days (load 0).
    Returns [] when either starting value is missing or ``until`` is not after ``start``.
    """
    if ctl is None or atl is None or until <= start:
        return []
    rows: list[ProjectedDay] = []
    day = start
    while day < until:
        day += timedelta(days=1)
        load = planned_load.get(day, 0.0)
        ctl = _step(ctl, load, CTL_DAYS)
        atl = _step(atl, load, ATL_DAYS)
        rows.append(
            ProjectedDay(
                date=day,
                ctl=round(ctl, 1),
                atl=round(atl, 1),
                tsb=round(ctl - atl, 1),
                planned_load=load,
            )
        )
    return rows
