"""The one deload detection: alerts, the phase classifier and readiness all read this.

A deload is a deliberate drop in load after a block of building. Three windows can show
the drop, all judged by the same ratio (``REDUCED_RATIO``, i.e. at least 20 % below the
usual load):

- ``plan``: the load planned for the rest of this week, scaled to a full week, against the
  mean of the recent finalized weeks (path A; needs a plan with at least 3 sessions);
- ``strong_build``: a plan exists but its load cannot be judged, after a strong build
  (CTL rising > 1/week, >= 2 hard days a week) (path B);
- ``completed_week``: the last finalized week against the mean of the three before it
  (path C, retrospective; also what history.json uses for past weeks);
- ``rolling``: the last 7 days against the 28-day weekly mean (what the reference used only
  to soften the monotony alert).

``active`` needs a build behind it; ``reduced_load`` alone (any window) is reported too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from section11.metrics._common import MetricModel

REDUCED_RATIO = 0.80
BUILD_HARD_DAYS = 1.5
STRONG_BUILD_SLOPE = 1.0
STRONG_BUILD_HARD_DAYS = 2.0
MIN_BUILD_WEEKS = 3

DeloadPath = Literal["plan", "strong_build", "completed_week", "rolling"]


@dataclass(frozen=True)
class DeloadInputs:
    """Weekly values of the finalized weeks (oldest first) and this week's plan.

    ``planned_tss_ratio`` is stream 2's planned-TSS delta; ``plan_reliable`` says whether it
    rests on enough sessions to judge.
    """

    finalized_week_tss: Sequence[float | None]
    finalized_hard_days: Sequence[int | None]
    ctl_slope: float | None
    tss_7d: float | None
    tss_28d: float | None
    planned_tss_ratio: float | None = None
    plan_reliable: bool = False
    sessions_planned: int = 0
    hard_sessions_planned: int = 0


class DeloadCheck(MetricModel):
    active: bool
    path: DeloadPath | None
    reduced_load: bool
    build_history: bool
    rolling_deficit_pct: float | None
    last_week_ratio: float | None
    planned_tss_ratio: float | None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_history(inputs: DeloadInputs) -> bool:
    """CTL rose and the athlete averaged >= 1.5 hard days over >= 3 finalized weeks."""
    hard = [h for h in inputs.finalized_hard_days if h is not None]
    avg = _mean([float(h) for h in hard])
    return (
        inputs.ctl_slope is not None
        and inputs.ctl_slope > 0
        and avg is not None
        and avg >= BUILD_HARD_DAYS
        and len(inputs.finalized_week_tss) >= MIN_BUILD_WEEKS
    )


def _last_week_ratio(inputs: DeloadInputs) -> tuple[float | None, bool]:
    """Last finalized week / mean of the three before it, and whether those were building."""
    tss = list(inputs.finalized_week_tss)
    hard = list(inputs.finalized_hard_days)
    if len(tss) < 4 or any(v is None for v in tss[-4:]):
        return None, False
    prior = [float(v) for v in tss[-4:-1] if v is not None]
    prior_mean = _mean(prior)
    last = tss[-1]
    if not prior_mean or last is None:
        return None, False
    prior_hard = _mean([float(h) for h in hard[-4:-1] if h is not None])
    return round(last / prior_mean, 2), prior_hard is not None and prior_hard >= BUILD_HARD_DAYS


def detect_deload(inputs: DeloadInputs) -> DeloadCheck:
    built = build_history(inputs)
    deficit: float | None = None
    if inputs.tss_7d is not None and inputs.tss_28d:
        weekly = inputs.tss_28d / 4
        deficit = round(100 * (weekly - inputs.tss_7d) / weekly, 1)
    rolling = deficit is not None and deficit >= 100 * (1 - REDUCED_RATIO)
    week_ratio, prior_built = _last_week_ratio(inputs)
    week_reduced = week_ratio is not None and week_ratio <= REDUCED_RATIO
    ratio = inputs.planned_tss_ratio
    plan_reduced = inputs.plan_reliable and ratio is not None and ratio <= REDUCED_RATIO
    # Few hard sessions planned: a block with 2+ planned hard sessions is not a deload.
    light_plan = inputs.hard_sessions_planned == 0 or (
        inputs.hard_sessions_planned == 1 and inputs.sessions_planned >= 3
    )
    hard = [h for h in inputs.finalized_hard_days if h is not None]
    hard_avg = _mean([float(h) for h in hard])

    path: DeloadPath | None = None
    if light_plan and plan_reduced and built:
        path = "plan"
    elif (
        light_plan
        and inputs.sessions_planned > 0
        and not inputs.plan_reliable
        and built
        and inputs.ctl_slope is not None
        and inputs.ctl_slope > STRONG_BUILD_SLOPE
        and hard_avg is not None
        and hard_avg >= STRONG_BUILD_HARD_DAYS
    ):
        path = "strong_build"
    elif inputs.sessions_planned == 0 and week_reduced and prior_built:
        path = "completed_week"
    elif inputs.sessions_planned == 0 and rolling and built:
        path = "rolling"
    return DeloadCheck(
        active=path is not None,
        path=path,
        reduced_load=rolling or week_reduced or plan_reduced,
        build_history=built,
        rolling_deficit_pct=deficit,
        last_week_ratio=week_ratio,
        planned_tss_ratio=ratio,
    )
