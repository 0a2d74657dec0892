"""Builds ``current_status.weight`` of latest.json (see ``section11.metrics.weight``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from section11.metrics.thresholds import SportThreshold
from section11.metrics.weight import WeightSignal, weight_signal
from section11.outputs.ftp_history import FtpHistory
from section11.sources.intervals_icu.models import Wellness, parse_local_date
from section11.units import DisplayUnits


def _newest_day(series: Mapping[str, int], today: date) -> date | None:
    days = [d for d in map(parse_local_date, series) if d is not None and d <= today]
    return max(days) if days else None


def weight_for_latest(
    wellness_28: Mapping[date, Wellness],
    today: date,
    *,
    thresholds: Mapping[str, SportThreshold],
    eftp: float | None,
    ftp_history: FtpHistory,
    units: DisplayUnits,
) -> WeightSignal | None:
    """The weight block from the last 28 days of wellness; None when no gate passes.

    The tested FTP is the cycling FTP of the sport settings; the date it was set is the
    newest outdoor entry of ftp_history, else the newest indoor one.
    """
    cycling = thresholds.get("cycling")
    setting_date = _newest_day(ftp_history.outdoor, today) or _newest_day(ftp_history.indoor, today)
    return weight_signal(
        {day: r.weight for day, r in wellness_28.items() if r.weight is not None},
        today,
        ftp=cycling.ftp if cycling is not None else None,
        ftp_setting_date=setting_date,
        eftp=eftp,
        weight_unit=units.weight,
    )
