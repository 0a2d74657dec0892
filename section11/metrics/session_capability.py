"""Which sessions count for the capability metrics, and their weekly roll-up.

The rules live in ``metrics.capability`` (latest.json's capability block); history.json's
weekly rows apply the same ones to each session:

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
from section11.metrics.capability.durability import qualifying_decoupling
from section11.metrics.capability.efficiency import qualifying_ef
from section11.metrics.capability.hrrc import hrrc_value as _hrrc_value
from section11.sources.intervals_icu.models import Activity


def _only(values: list[float]) -> float | None:
    return values[0] if values else None


def durability_value(a: Activity) -> float | None:
    """The session's decoupling (%) when it qualifies for durability, else None."""
    return _only(qualifying_decoupling([a]))


def efficiency_value(a: Activity) -> float | None:
    """The session's efficiency factor when it qualifies, else None."""
    return _only(qualifying_ef([a]))


def hrrc_value(a: Activity) -> float | None:
    return _hrrc_value(a)


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
