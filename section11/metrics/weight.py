"""Weight signal (``current_status.weight``): latest weight, W/kg and their trend.

Weigh-ins are the wellness records of the last 28 days with a positive weight. Each field
has its own gate and is left out when the gate fails; with no field passing there is no
block at all:

- latest weight: the newest weigh-in, if at most 14 days old;
- W/kg now: FTP / latest weight; FTP is the tested cycling FTP, else eFTP;
- block trajectory: W/kg at the start of the 28 days (a weigh-in 27..24 days ago, the
  earliest) and now (a weigh-in 3..0 days ago, the newest), both with today's FTP, so the
  delta isolates the weight change;
- 7-day average: at least 4 weigh-ins in the last 7 days;
- 28-day slope: ordinary least squares over at least 14 weigh-ins, in kg per week.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, Literal

from pydantic import Field

from section11.metrics._common import MetricModel

LATEST_MAX_AGE_DAYS = 14
BLOCK_START_DAYS = (27, 24)  # a weigh-in this many days ago (inclusive range)
BLOCK_END_DAYS = (3, 0)
AVG_7D_MIN_WEIGH_INS = 4
SLOPE_MIN_WEIGH_INS = 14
WINDOW_DAYS = 28
KG_TO_LB = 2.20462

FtpSource = Literal["tested", "eftp"]


def _is_none(value: object) -> bool:
    return value is None


def _gated() -> Any:
    return Field(default=None, exclude_if=_is_none)


class WeightValue(MetricModel):
    value: float
    unit: str


class WeightSignalDisplay(MetricModel):
    weight_latest: WeightValue | None = _gated()
    weight_7d_avg: WeightValue | None = _gated()
    weight_28d_slope_per_week: WeightValue | None = _gated()


class WeightSignal(MetricModel):
    weight_latest_kg: float | None = _gated()
    weight_latest_date: date | None = _gated()
    wkg_current: float | None = _gated()
    wkg_ftp_source: FtpSource | None = _gated()
    ftp_setting_date: date | None = _gated()
    wkg_block_start: float | None = _gated()
    wkg_block_end: float | None = _gated()
    wkg_block_delta: float | None = _gated()
    weight_7d_avg_kg: float | None = _gated()
    weight_28d_slope_kg_per_week: float | None = _gated()
    weigh_ins_28d: int
    display: WeightSignalDisplay


def _slope_per_day(points: list[tuple[int, float]]) -> float | None:
    xs = [float(x) for x, _ in points]
    ys = [y for _, y in points]
    if len(set(xs)) < 2:
        return None
    return statistics.linear_regression(xs, ys).slope


def _display_weight(kg: float, unit: Literal["kg", "lb"], digits: int = 1) -> WeightValue:
    if unit == "lb":
        return WeightValue(value=round(kg * KG_TO_LB, digits), unit="lb")
    return WeightValue(value=round(kg, digits), unit="kg")


def weight_signal(
    weigh_ins: Mapping[date, float],
    today: date,
    *,
    ftp: float | None,
    ftp_setting_date: date | None,
    eftp: float | None,
    weight_unit: Literal["kg", "lb"] = "kg",
) -> WeightSignal | None:
    """The weight block, or None when no gate passes.

    ``weigh_ins`` maps dates to weights (kg); only positive weights of the 28 days ending
    today count. ``ftp`` is the tested cycling FTP (W) with the date it was set.
    """
    start = today - timedelta(days=WINDOW_DAYS - 1)
    days = {d: w for d, w in weigh_ins.items() if start <= d <= today and w is not None and w > 0}
    fields: dict[str, object] = {}
    display: dict[str, WeightValue] = {}

    latest_day = max(days) if days else None
    latest: float | None = None
    if latest_day is not None and (today - latest_day).days <= LATEST_MAX_AGE_DAYS:
        latest = round(days[latest_day], 1)
        fields["weight_latest_kg"] = latest
        fields["weight_latest_date"] = latest_day
        display["weight_latest"] = _display_weight(days[latest_day], weight_unit)

    ftp_used, source = (ftp, "tested") if ftp is not None and ftp > 0 else (eftp, "eftp")
    if ftp_used is not None and ftp_used <= 0:
        ftp_used = None
    if ftp_used is not None and latest is not None:
        fields["wkg_current"] = round(ftp_used / latest, 2)
        fields["wkg_ftp_source"] = source
        if source == "tested" and ftp_setting_date is not None:
            fields["ftp_setting_date"] = ftp_setting_date

    def _between(older: int, newer: int) -> list[date]:
        lo, hi = today - timedelta(days=older), today - timedelta(days=newer)
        return sorted(d for d in days if lo <= d <= hi)

    starts, ends = _between(*BLOCK_START_DAYS), _between(*BLOCK_END_DAYS)
    if ftp_used is not None and starts and ends:
        wkg_start = round(ftp_used / days[starts[0]], 2)
        wkg_end = round(ftp_used / days[ends[-1]], 2)
        fields["wkg_block_start"] = wkg_start
        fields["wkg_block_end"] = wkg_end
        fields["wkg_block_delta"] = round(wkg_end - wkg_start, 2)

    last_7 = [w for d, w in days.items() if (today - d).days < 7]
    if len(last_7) >= AVG_7D_MIN_WEIGH_INS:
        avg = statistics.fmean(last_7)
        fields["weight_7d_avg_kg"] = round(avg, 1)
        display["weight_7d_avg"] = _display_weight(avg, weight_unit)

    if len(days) >= SLOPE_MIN_WEIGH_INS:
        per_day = _slope_per_day([((d - start).days, w) for d, w in sorted(days.items())])
        if per_day is not None:
            per_week = per_day * 7
            fields["weight_28d_slope_kg_per_week"] = round(per_week, 3)
            shown = _display_weight(per_week, weight_unit, digits=3)
            display["weight_28d_slope_per_week"] = WeightValue(
                value=shown.value, unit=f"{shown.unit}/week"
            )

    if not fields:
        return None
    return WeightSignal.model_validate(
        {**fields, "weigh_ins_28d": len(days), "display": WeightSignalDisplay(**display)}
    )
