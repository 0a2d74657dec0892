"""Health context: illness / injury markers from the calendar and wellness injury score.

Context for the coach to ask about, not a readiness input.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from section11.metrics._common import MetricModel
from section11.metrics.sports import HEALTH_EVENT_CATEGORIES
from section11.sources.intervals_icu.models import Event, Wellness, parse_local_datetime

RECENT_WINDOW_DAYS = 14
# Wellness injury scale: 1 NONE, 2 NIGGLE, 3 POOR, 4 INJURED.
INJURY_REPORT_MIN = 2
INJURY_CLARIFY_MIN = 3
# Where the full injury series is: latest.json's display-window rows.
INJURY_SERIES = "wellness_data[].injury"

NOTE = (
    "Athlete-reported illness / injury context, NOT a readiness input: readiness may say "
    "'go' while clarification_required is true. Calendar markers are matched on the "
    "Intervals.icu category (SICK / INJURED), never the title. end_date is the INCLUSIVE "
    "last marked day (Intervals.icu stores an exclusive end): the end of the marking, not "
    "proof of recovery, so a marker in 'recent' with none in 'current' means recovery is "
    "UNKNOWN. When clarification_required is true, give no unqualified full-programme "
    "plan: acknowledge a current marker and establish severity, or ask whether the athlete "
    "has recovered after a recent one. Never an automatic Skip, never grounds to relax one. "
    "source_status 'partial': the health fetch failed and this block comes from the "
    "narrower main event window, so marker_active and recent_marker are left out and an "
    "empty list is not evidence of no marker. Spans starting before lookback_days are not "
    "visible."
)


def _is_none(value: object) -> bool:
    return value is None


class HealthMarker(MetricModel):
    event_id: int | None
    category: str
    start_date: date
    end_date: date
    marker_active_today: bool
    source: Literal["calendar"] = "calendar"
    name: str | None = None
    description: str | None = None
    days_since_end: int | None = None


class WellnessInjury(MetricModel):
    value: int
    date: date
    freshness: Literal["current", "stale"]
    series: str = INJURY_SERIES
    days_old: int


class HealthContext(MetricModel):
    source_status: Literal["ok", "partial"]
    # Left out under "partial": not established from the narrower window.
    marker_active: bool | None = Field(default=None, exclude_if=_is_none)
    # A marker ended inside the recent window and none spans today (recovery unknown).
    recent_marker: bool | None = Field(default=None, exclude_if=_is_none)
    clarification_required: bool
    lookback_days: int
    recent_window_days: int = RECENT_WINDOW_DAYS
    current: list[HealthMarker]
    recent: list[HealthMarker]
    upcoming: list[HealthMarker]
    wellness_injury: WellnessInjury | None
    note: str = NOTE


def marker_last_day(event: Event) -> date | None:
    """Inclusive last marked day: ``end_date_local`` is exclusive when it falls at 00:00."""
    start = event.local_date
    if start is None:
        return None
    end = parse_local_datetime(event.end_date_local)
    if end is None:
        return start
    last = end.date()
    if (end.hour, end.minute, end.second, end.microsecond) == (0, 0, 0, 0):
        last -= timedelta(days=1)
    return max(last, start)


def _marker(event: Event, start: date, end: date, today: date) -> HealthMarker:
    return HealthMarker(
        event_id=event.id,
        category=event.category or "",
        start_date=start,
        end_date=end,
        marker_active_today=start <= today <= end,
        name=event.name or None,
        description=event.description or None,
    )


def _wellness_injury(record: Wellness | None, today: date) -> WellnessInjury | None:
    if record is None or record.injury is None or record.day is None:
        return None
    if record.injury < INJURY_REPORT_MIN:
        return None
    return WellnessInjury(
        value=record.injury,
        date=record.day,
        freshness="current" if record.day == today else "stale",
        days_old=(today - record.day).days,
    )


def health_context(
    markers: Sequence[Event],
    latest_wellness: Wellness | None,
    today: date,
    *,
    lookback_days: int,
    complete: bool,
) -> HealthContext:
    """Current, recent (ended within 14 days) and upcoming SICK/INJURED markers."""
    current: list[HealthMarker] = []
    recent: list[HealthMarker] = []
    upcoming: list[HealthMarker] = []
    seen: set[int] = set()
    for event in sorted(markers, key=lambda e: (e.start_date_local or "", e.id or 0)):
        if event.category not in HEALTH_EVENT_CATEGORIES:
            continue
        if event.id is not None:
            if event.id in seen:
                continue
            seen.add(event.id)
        start, end = event.local_date, marker_last_day(event)
        if start is None or end is None:
            continue
        if start > today:
            upcoming.append(_marker(event, start, end, today))
        elif end >= today:
            current.append(_marker(event, start, end, today))
        elif end >= today - timedelta(days=RECENT_WINDOW_DAYS):
            marker = _marker(event, start, end, today)
            recent.append(marker.model_copy(update={"days_since_end": (today - end).days}))
    injury = _wellness_injury(latest_wellness, today)
    injury_gate = (
        injury is not None and injury.freshness == "current" and injury.value >= INJURY_CLARIFY_MIN
    )
    return HealthContext(
        source_status="ok" if complete else "partial",
        marker_active=bool(current) if complete else None,
        recent_marker=(bool(recent) and not current) if complete else None,
        clarification_required=bool(current) or bool(recent) or injury_gate or not complete,
        lookback_days=lookback_days,
        current=current,
        recent=recent,
        upcoming=upcoming,
        wellness_injury=injury,
    )
