"""Power-curve and HR-curve delta: best efforts of the last 28 days against the 28 before.

Anchor value = the curve's value at exactly that duration, when positive. Each window needs
at least three valid anchors, else the block is null with the counts of valid anchors.
``pct_change`` = 100 (current - previous) / previous. The rotation index compares the
short-duration changes with the long ones: positive = gains biased to short efforts.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from section11.metrics._common import MetricModel
from section11.sources.intervals_icu.curve_models import DataCurve

POWER_ANCHORS: tuple[int, ...] = (5, 60, 300, 1200, 3600)
HR_ANCHORS: tuple[int, ...] = (60, 300, 1200, 3600)
# Rotation: mean change of the short anchors minus mean change of the long ones.
POWER_ROTATION: tuple[tuple[int, ...], tuple[int, ...]] = ((5, 60), (1200, 3600))
HR_ROTATION: tuple[tuple[int, ...], tuple[int, ...]] = ((60, 300), (1200, 3600))
MIN_VALID_ANCHORS = 3
WINDOW_DAYS = 28

POWER_NOTE = (
    "Best power (W) at 5s (neuromuscular), 60s (anaerobic), 300s (MAP), 1200s (threshold) "
    "and 3600s (endurance), cycling only, last 28 days vs the 28 before. pct_change = "
    "(current - previous) / previous x 100. rotation_index = mean pct_change of 5s and 60s "
    "minus that of 1200s and 3600s: > 0 = sprint-biased gains, < 0 = endurance-biased (300s "
    "is transitional, left out). Null when a window has < 3 valid anchors (valid_anchors_*)."
)
HR_NOTE = (
    "Highest HR (bpm) held for 60s (anaerobic ceiling), 300s (VO2max HR), 1200s (threshold "
    "HR) and 3600s (endurance HR), all sports, last 28 days vs the 28 before. rotation_index "
    "= mean pct_change of 60s and 300s minus that of 1200s and 3600s. A rise is ambiguous: "
    "better cardiac output, or fatigue, dehydration or heat; cross-check HRV, resting HR, "
    "RPE and conditions. Null when a window has < 3 valid anchors (valid_anchors_*)."
)


class CurveWindow(MetricModel):
    start: date
    end: date


class PowerAnchor(MetricModel):
    current_watts: int | None
    previous_watts: int | None
    pct_change: float | None


class HrAnchor(MetricModel):
    current_bpm: int | None
    previous_bpm: int | None
    pct_change: float | None


class PowerCurveDelta(MetricModel):
    window_days: int = WINDOW_DAYS
    current_window: CurveWindow
    previous_window: CurveWindow
    anchors: dict[str, PowerAnchor] | None
    rotation_index: float | None
    valid_anchors_current: int | None  # None: the curve was not available
    valid_anchors_previous: int | None
    note: str = POWER_NOTE


class HrCurveDelta(MetricModel):
    window_days: int = WINDOW_DAYS
    current_window: CurveWindow
    previous_window: CurveWindow
    anchors: dict[str, HrAnchor] | None
    rotation_index: float | None
    valid_anchors_current: int | None
    valid_anchors_previous: int | None
    note: str = HR_NOTE


def anchor_value(curve: DataCurve | None, secs: int) -> int | None:
    """The curve's value at exactly ``secs``, when positive."""
    if curve is None:
        return None
    for duration, value in zip(curve.secs or [], curve.values or [], strict=False):
        if duration == secs:
            return round(value) if value is not None and value > 0 else None
    return None


def pct_change(current: int | None, previous: int | None) -> float | None:
    if current is None or previous is None or previous <= 0:
        return None
    return round(100 * (current - previous) / previous, 1)


def _rotation(
    pct: dict[int, float | None], groups: tuple[tuple[int, ...], tuple[int, ...]]
) -> float | None:
    short, long_ = ([pct.get(s) for s in group] for group in groups)
    if any(v is None for v in (*short, *long_)):
        return None
    return round(
        statistics.fmean(v for v in short if v is not None)
        - statistics.fmean(v for v in long_ if v is not None),
        1,
    )


_AnchorRow = tuple[int | None, int | None, float | None]  # current, previous, pct_change
# The anchor table (None below the gate), rotation index and valid-anchor counts.
_DeltaResult = tuple[dict[int, _AnchorRow] | None, float | None, int | None, int | None]


def _delta(
    current: DataCurve | None,
    previous: DataCurve | None,
    anchors: Sequence[int],
    rotation: tuple[tuple[int, ...], tuple[int, ...]],
) -> _DeltaResult:
    cur = {s: anchor_value(current, s) for s in anchors}
    prev = {s: anchor_value(previous, s) for s in anchors}
    valid_cur = None if current is None else sum(v is not None for v in cur.values())
    valid_prev = None if previous is None else sum(v is not None for v in prev.values())
    if (
        valid_cur is None
        or valid_prev is None
        or valid_cur < MIN_VALID_ANCHORS
        or valid_prev < MIN_VALID_ANCHORS
    ):
        return None, None, valid_cur, valid_prev
    pct = {s: pct_change(cur[s], prev[s]) for s in anchors}
    table = {s: (cur[s], prev[s], pct[s]) for s in anchors}
    return table, _rotation(pct, rotation), valid_cur, valid_prev


def _windows(current: tuple[date, date], previous: tuple[date, date]) -> dict[str, CurveWindow]:
    return {
        "current_window": CurveWindow(start=current[0], end=current[1]),
        "previous_window": CurveWindow(start=previous[0], end=previous[1]),
    }


def power_curve_delta(
    current: DataCurve | None,
    previous: DataCurve | None,
    current_window: tuple[date, date],
    previous_window: tuple[date, date],
) -> PowerCurveDelta:
    """Power delta; a missing curve (not fetched, or not in the answer) gives null counts."""
    table, rotation, n_cur, n_prev = _delta(current, previous, POWER_ANCHORS, POWER_ROTATION)
    return PowerCurveDelta(
        **_windows(current_window, previous_window),
        anchors=None
        if table is None
        else {
            f"{s}s": PowerAnchor(current_watts=c, previous_watts=p, pct_change=pc)
            for s, (c, p, pc) in table.items()
        },
        rotation_index=rotation,
        valid_anchors_current=n_cur,
        valid_anchors_previous=n_prev,
    )


def hr_curve_delta(
    current: DataCurve | None,
    previous: DataCurve | None,
    current_window: tuple[date, date],
    previous_window: tuple[date, date],
) -> HrCurveDelta:
    table, rotation, n_cur, n_prev = _delta(current, previous, HR_ANCHORS, HR_ROTATION)
    return HrCurveDelta(
        **_windows(current_window, previous_window),
        anchors=None
        if table is None
        else {
            f"{s}s": HrAnchor(current_bpm=c, previous_bpm=p, pct_change=pc)
            for s, (c, p, pc) in table.items()
        },
        rotation_index=rotation,
        valid_anchors_current=n_cur,
        valid_anchors_previous=n_prev,
    )
