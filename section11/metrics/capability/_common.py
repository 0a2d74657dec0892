"""Helpers shared by the capability metrics."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Literal

from section11.sources.intervals_icu.models import Activity

Trend = Literal["improving", "stable", "declining"]

# Steady-state sessions only: a variability index above this means surges (intervals,
# criteriums, hilly rides) that inflate HR drift and distort power:HR ratios.
STEADY_MAX_VI = 1.05


def is_steady(activity: Activity) -> bool:
    """Variability index known, positive and at most 1.05 (power data, evenly paced)."""
    vi = activity.icu_variability_index
    return vi is not None and 0 < vi <= STEADY_MAX_VI


def mean_if_enough(values: Sequence[float], minimum: int, digits: int) -> float | None:
    """The rounded mean when there are at least ``minimum`` values, else None."""
    if len(values) < minimum or not values:
        return None
    return round(statistics.fmean(values), digits)


def trend_from_delta(delta: float | None, band: float) -> Trend | None:
    """ "improving" above +band, "declining" below -band, else "stable"; None when unknown."""
    if delta is None:
        return None
    if delta > band:
        return "improving"
    if delta < -band:
        return "declining"
    return "stable"
