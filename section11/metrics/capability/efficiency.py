"""Efficiency factor (EF = normalized power / average HR) of steady rides.

A session qualifies when Intervals.icu computed its EF, it is a road, virtual, gravel or
mountain-bike ride (e-bikes excluded: the motor's watts are not the rider's), it was steady
(0 < VI <= 1.05) and it lasted at least 20 minutes. Means need two sessions.
"""

from __future__ import annotations

from collections.abc import Sequence

from section11.metrics._common import MetricModel
from section11.metrics.capability._common import (
    Trend,
    is_steady,
    mean_if_enough,
    trend_from_delta,
)
from section11.sources.intervals_icu.models import Activity

EF_TYPES = frozenset({"Ride", "VirtualRide", "MountainBikeRide", "GravelRide"})
MIN_MOVING_SECONDS = 1200
MIN_SESSIONS = 2
TREND_BAND = 0.03

NOTE = (
    "Steady cycling sessions only (Ride, VirtualRide, GravelRide, MountainBikeRide; "
    "0 < VI <= 1.05, >= 20 min, power and HR). EF = normalized power (W) / average HR "
    "(bpm); rising = better aerobic efficiency. Compare like-for-like sessions: EF varies "
    "with intensity. Means need >= 2 qualifying sessions (else null; the counts say how "
    "many). Trend: 7d vs 28d mean, within +/-0.03 = stable."
)


class EfficiencyFactor(MetricModel):
    mean_ef_7d: float | None
    mean_ef_28d: float | None
    qualifying_sessions_7d: int
    qualifying_sessions_28d: int
    trend: Trend | None
    note: str = NOTE


def qualifying_ef(activities: Sequence[Activity]) -> list[float]:
    """EF of the sessions that qualify."""
    return [
        a.icu_efficiency_factor
        for a in activities
        if a.icu_efficiency_factor is not None
        and a.type in EF_TYPES
        and is_steady(a)
        and a.moving_time is not None
        and a.moving_time >= MIN_MOVING_SECONDS
    ]


def efficiency_factor(
    activities_7d: Sequence[Activity], activities_28d: Sequence[Activity]
) -> EfficiencyFactor:
    e7, e28 = qualifying_ef(activities_7d), qualifying_ef(activities_28d)
    mean_7 = mean_if_enough(e7, MIN_SESSIONS, 2)
    mean_28 = mean_if_enough(e28, MIN_SESSIONS, 2)
    delta = None if mean_7 is None or mean_28 is None else mean_7 - mean_28
    return EfficiencyFactor(
        mean_ef_7d=mean_7,
        mean_ef_28d=mean_28,
        qualifying_sessions_7d=len(e7),
        qualifying_sessions_28d=len(e28),
        trend=trend_from_delta(delta, TREND_BAND),
    )
