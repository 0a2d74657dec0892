"""Which sessions count for the capability metrics, and their weekly roll-up.

One definition per metric, used by latest.json's capability block and history.json's
weekly rows alike:

- durability (aerobic decoupling, %): decoupling known, 0 < VI ≤ 1.05 (a steady effort),
  moving time ≥ 90 min, any sport;
- efficiency factor (NP / HR): EF known, a ride (Ride, VirtualRide, GravelRide,
  MountainBikeRide), 0 < VI ≤ 1.05, moving time ≥ 20 min;
- HRRc (bpm): Intervals.icu's heart-rate recovery, when positive.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from section11.metrics._common import MetricModel
from section11.metrics.session import hrr_value
from section11.sources.intervals_icu.models import Activity

MAX_STEADY_VI = 1.05
DURABILITY_MIN_SECONDS = 5400
EF_MIN_SECONDS = 1200
EF_TYPES = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})


def _steady(a: Activity) -> bool:
    vi = a.icu_variability_index
    return vi is not None and 0 < vi <= MAX_STEADY_VI


def durability_value(a: Activity) -> float | None:
    """The session's decoupling (%) when it qualifies for durability, else None."""
    if a.decoupling is None or not _steady(a):
        return None
    if a.moving_time is None or a.moving_time < DURABILITY_MIN_SECONDS:
        return None
    return a.decoupling


def efficiency_value(a: Activity) -> float | None:
    """The session's efficiency factor when it qualifies, else None."""
    if a.icu_efficiency_factor is None or a.type not in EF_TYPES or not _steady(a):
        return None
    if a.moving_time is None or a.moving_time < EF_MIN_SECONDS:
        return None
    return a.icu_efficiency_factor


def hrrc_value(a: Activity) -> int | None:
    return hrr_value(a.icu_hrr)


class CapabilityRollup(MetricModel):
    """Means of the qualifying sessions of a period (null with 0 qualifying) and counts."""

    durability_mean: float | None
    durability_qualifying: int
    ef_mean: float | None
    ef_qualifying: int
    hrrc_mean: float | None
    hrrc_qualifying: int


def capability_rollup(activities: Sequence[Activity]) -> CapabilityRollup:
    durability = [v for a in activities if (v := durability_value(a)) is not None]
    ef = [v for a in activities if (v := efficiency_value(a)) is not None]
    hrrc = [v for a in activities if (v := hrrc_value(a)) is not None]
    return CapabilityRollup(
        durability_mean=round(statistics.fmean(durability), 2) if durability else None,
        durability_qualifying=len(durability),
        ef_mean=round(statistics.fmean(ef), 2) if ef else None,
        ef_qualifying=len(ef),
        hrrc_mean=round(statistics.fmean(hrrc), 1) if hrrc else None,
        hrrc_qualifying=len(hrrc),
    )
