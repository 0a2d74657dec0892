"""Heart-rate recovery (HRRc): the largest 60 s HR drop after exceeding threshold HR.

Intervals.icu reports it per activity as ``icu_hrr`` (an object whose ``hrr`` is the drop
in bpm; older payloads carry a bare number). It is missing when the threshold was not
reached, the recording stopped before the cool-down, or there was no HR. Display only.
"""

from __future__ import annotations

from collections.abc import Sequence

from section11.metrics._common import MetricModel
from section11.metrics.capability._common import Trend, mean_if_enough, trend_from_delta
from section11.metrics.session import hrr_bpm
from section11.sources.intervals_icu.models import Activity

MIN_SESSIONS_7D = 1
MIN_SESSIONS_28D = 3
# Relative change of the 7d mean against the 28d mean that counts as a real shift.
TREND_BAND = 0.10

NOTE = (
    "HRRc: the largest 60 s HR drop (bpm) after HR was above threshold for > 1 min "
    "(Intervals.icu); higher = better parasympathetic recovery. Missing when threshold was "
    "not reached, the recording stopped before the cool-down, or there was no HR. Means need "
    ">= 1 session (7d), >= 3 (28d); else null with the counts. Trend: 7d vs 28d mean, a "
    "change > 10 % is meaningful. Display only, not a readiness input."
)


class Hrrc(MetricModel):
    mean_hrrc_7d: float | None
    mean_hrrc_28d: float | None
    qualifying_sessions_7d: int
    qualifying_sessions_28d: int
    trend: Trend | None
    note: str = NOTE


def hrrc_value(activity: Activity) -> float | None:
    """The activity's HRRc in bpm, or None when missing or not positive."""
    return hrr_bpm(activity.icu_hrr)


def _values(activities: Sequence[Activity]) -> list[float]:
    return [v for v in map(hrrc_value, activities) if v is not None]


def hrrc(activities_7d: Sequence[Activity], activities_28d: Sequence[Activity]) -> Hrrc:
    h7, h28 = _values(activities_7d), _values(activities_28d)
    mean_7 = mean_if_enough(h7, MIN_SESSIONS_7D, 1)
    mean_28 = mean_if_enough(h28, MIN_SESSIONS_28D, 1)
    change = None if mean_7 is None or not mean_28 else (mean_7 - mean_28) / mean_28
    return Hrrc(
        mean_hrrc_7d=mean_7,
        mean_hrrc_28d=mean_28,
        qualifying_sessions_7d=len(h7),
        qualifying_sessions_28d=len(h28),
        trend=trend_from_delta(change, TREND_BAND),
    )
