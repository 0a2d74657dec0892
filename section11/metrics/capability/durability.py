"""Durability: aggregate aerobic decoupling (HR drift against power) of long steady rides.

A session qualifies when Intervals.icu computed its decoupling, it was steady
(0 < VI <= 1.05) and it lasted at least 90 minutes of moving time. Means need at least two
qualifying sessions in their window; below that they are null and the counts say why.
Negative decoupling means HR fell relative to power: strong durability.
"""

from __future__ import annotations

from collections.abc import Sequence

from section11.metrics._common import MetricModel
from section11.metrics.capability._common import Trend, is_steady, mean_if_enough
from section11.sources.intervals_icu.models import Activity

MIN_MOVING_SECONDS = 5400
MIN_SESSIONS = 2
HIGH_DRIFT_PCT = 5.0
# Drift is "lower is better": a 7-day mean more than 1 point below the 28-day mean improves.
TREND_BAND_PCT = 1.0
# Below these counts an alert on durability would rest on too few sessions.
RELIABLE_SESSIONS_7D = 3
RELIABLE_SESSIONS_28D = 5

NOTE = (
    "Steady sessions only (0 < VI <= 1.05, >= 90 min moving; decoupling from Intervals.icu, "
    "which needs power and HR): the % drift of HR against power from the first to the second "
    "half. Negative = strong durability, > 5 % = high drift. Means need >= 2 qualifying "
    "sessions (else null; the counts say how many). Trend: 7d vs 28d mean, within +/-1 "
    "point = stable. Alerts need N28 >= 5; a 'declining' warning also N7 >= 3."
)


class Durability(MetricModel):
    mean_decoupling_7d: float | None
    mean_decoupling_28d: float | None
    high_drift_count_7d: int
    high_drift_count_28d: int
    qualifying_sessions_7d: int
    qualifying_sessions_28d: int
    trend: Trend | None
    reliability_limited: bool
    reliability_note: str | None
    note: str = NOTE


def qualifying_decoupling(activities: Sequence[Activity]) -> list[float]:
    """Decoupling (%) of the sessions that qualify for durability."""
    return [
        a.decoupling
        for a in activities
        if a.decoupling is not None
        and is_steady(a)
        and a.moving_time is not None
        and a.moving_time >= MIN_MOVING_SECONDS
    ]


def durability(activities_7d: Sequence[Activity], activities_28d: Sequence[Activity]) -> Durability:
    """Durability over the 7 and 28 days ending today (pass each window's activities)."""
    d7, d28 = qualifying_decoupling(activities_7d), qualifying_decoupling(activities_28d)
    mean_7 = mean_if_enough(d7, MIN_SESSIONS, 2)
    mean_28 = mean_if_enough(d28, MIN_SESSIONS, 2)
    trend: Trend | None = None
    if mean_7 is not None and mean_28 is not None:
        delta = mean_7 - mean_28
        # Lower drift is better, so the sign is the reverse of the other trends.
        trend = (
            "improving"
            if delta < -TREND_BAND_PCT
            else "declining"
            if delta > TREND_BAND_PCT
            else "stable"
        )
    limited = len(d28) < RELIABLE_SESSIONS_28D or len(d7) < RELIABLE_SESSIONS_7D
    return Durability(
        mean_decoupling_7d=mean_7,
        mean_decoupling_28d=mean_28,
        high_drift_count_7d=sum(1 for v in d7 if v > HIGH_DRIFT_PCT),
        high_drift_count_28d=sum(1 for v in d28 if v > HIGH_DRIFT_PCT),
        qualifying_sessions_7d=len(d7),
        qualifying_sessions_28d=len(d28),
        trend=trend,
        reliability_limited=limited,
        reliability_note=(
            "insufficient qualifying sessions for alert evaluation: "
            f"7d N={len(d7)} (min {RELIABLE_SESSIONS_7D}), "
            f"28d N={len(d28)} (min {RELIABLE_SESSIONS_28D})"
            if limited
            else None
        ),
    )
