"""Consistency Index: share of planned workout days on which training was done."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from section11.metrics._common import MetricModel
from section11.metrics.sports import TRAINING_EVENT_CATEGORIES
from section11.sources.intervals_icu.models import Activity, Event

NO_PLAN_NOTE = "No planned workouts in period"


class Consistency(MetricModel):
    consistency_index: float | None
    planned_days: int
    completed_days: int
    matched_days: int
    planned_dates: list[date]
    completed_dates: list[date]
    note: str | None = None


def consistency_index(
    planned: Sequence[Event], activities: Sequence[Activity], start: date, end: date
) -> Consistency:
    """|planned WORKOUT days ∩ days with a completed activity| / |planned days| (2 dp).

    Matched by date, not by session: several workouts can be planned on one day.
    """
    planned_dates = {
        day
        for event in planned
        if event.category == "WORKOUT"
        and (day := event.local_date) is not None
        and start <= day <= end
    }
    completed_dates = {
        day
        for activity in activities
        if not activity.is_strava_stub
        and (day := activity.local_date) is not None
        and start <= day <= end
    }
    matched = planned_dates & completed_dates
    index = round(len(matched) / len(planned_dates), 2) if planned_dates else None
    return Consistency(
        consistency_index=index,
        planned_days=len(planned_dates),
        completed_days=len(completed_dates),
        matched_days=len(matched),
        planned_dates=sorted(planned_dates),
        completed_dates=sorted(completed_dates),
        note=None if planned_dates else NO_PLAN_NOTE,
    )


def planned_sessions(planned: Sequence[Event], start: date, end: date) -> int:
    """Training sessions on the calendar between ``start`` and ``end`` (inclusive).

    Counts entries, not days, and only the training categories: an illness marker, a
    note or a holiday is not a planned workout.
    """
    return sum(
        1
        for event in planned
        if event.category in TRAINING_EVENT_CATEGORIES
        and (day := event.local_date) is not None
        and start <= day <= end
    )
