"""Fitness (CTL), fatigue (ATL), form (TSB) and ramp rate as of the start of today."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from section11.metrics._common import MetricModel
from section11.sources.intervals_icu.models import Wellness

# Intervals.icu impulse-response time constants, days.
CTL_DAYS = 42
ATL_DAYS = 7

SOURCE_API = "From Intervals.icu API (reflects completed workouts)"
SOURCE_PLANNED = (
    "Decayed from {day} (today's planned workouts not yet completed; start-of-day values)"
)
SOURCE_NO_TODAY = "Decayed from {day} (no fitness values for today from Intervals.icu)"
SOURCE_NONE = "Unavailable (no wellness record with fitness values)"


class FitnessStatus(MetricModel):
    ctl: float | None
    atl: float | None
    tsb: float | None
    ramp_rate: float | None
    fitness_source: str
    # The day the values describe (today when known), and the record decayed from, if any.
    as_of: date | None
    decayed_from: date | None = None


def _has_fitness(record: Wellness) -> bool:
    return record.ctl is not None and record.atl is not None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _tsb(ctl: float | None, atl: float | None) -> float | None:
    return None if ctl is None or atl is None else round(ctl - atl, 2)


def current_fitness(
    wellness: Sequence[Wellness],
    today: date,
    *,
    trained_today: bool,
    training_planned_today: bool,
) -> FitnessStatus:
    """CTL/ATL/TSB for today, decayed from an earlier record when today's is not usable.

    Today's API record already includes today's completed sessions. When training is
    planned but none is done yet, the coach wants start-of-day fitness, so the latest
    earlier record is decayed to today with no load. The ramp rate is always the API's
    own value (a ramp rate is a weekly slope, decaying it has no meaning).
    """
    todays = [r for r in wellness if r.day == today]
    today_record = next((r for r in reversed(todays) if _has_fitness(r)), None)
    earlier = [r for r in wellness if r.day is not None and r.day < today and _has_fitness(r)]
    previous = max(earlier, key=lambda r: r.day or date.min, default=None)
    ramp_source = next((r for r in reversed(todays) if r.ramp_rate is not None), None)

    use_decay = previous is not None and (
        today_record is None or (training_planned_today and not trained_today)
    )
    if use_decay and previous is not None and previous.day is not None:
        gap = (today - previous.day).days
        assert previous.ctl is not None and previous.atl is not None
        ctl = round(previous.ctl * math.exp(-gap / CTL_DAYS), 2)
        atl = round(previous.atl * math.exp(-gap / ATL_DAYS), 2)
        template = SOURCE_NO_TODAY if today_record is None else SOURCE_PLANNED
        ramp = (ramp_source or previous).ramp_rate
        return FitnessStatus(
            ctl=ctl,
            atl=atl,
            tsb=_tsb(ctl, atl),
            ramp_rate=_round(ramp),
            fitness_source=template.format(day=previous.day.isoformat()),
            as_of=today,
            decayed_from=previous.day,
        )
    if today_record is not None:
        api_ctl, api_atl = _round(today_record.ctl), _round(today_record.atl)
        return FitnessStatus(
            ctl=api_ctl,
            atl=api_atl,
            tsb=_tsb(api_ctl, api_atl),
            ramp_rate=_round(today_record.ramp_rate),
            fitness_source=SOURCE_API,
            as_of=today,
        )
    return FitnessStatus(
        ctl=None,
        atl=None,
        tsb=None,
        ramp_rate=_round(ramp_source.ramp_rate) if ramp_source else None,
        fitness_source=SOURCE_NONE,
        as_of=None,
    )
