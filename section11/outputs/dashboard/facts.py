"""Calendar facts the run already fetched but the JSON files do not list day by day.

latest.json lists planned workouts from today on, illness/injury markers of the last two
weeks, and only a count of Strava stubs. The run log needs the same records a little
further back: past planned sessions (to tell a missed plan from a rest day), the year of
SICK/INJURED markers, and the days with a Strava stub (to tell "no data" from "rest").
Nothing here is fetched or computed: it is the run's own records, reduced to dates. The
year of daily rows (history.json keeps 90) comes from ``HistoryResult.daily_rows``: the
same per-day values the run built history.json from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from section11.metrics.health import marker_last_day
from section11.metrics.sports import HEALTH_EVENT_CATEGORIES
from section11.sources.intervals_icu.models import Activity, Event


@dataclass(frozen=True)
class PlannedSession:
    date: date
    name: str | None
    sport: str | None


@dataclass(frozen=True)
class HealthSpan:
    category: str  # SICK or INJURED
    start: date
    end: date  # inclusive
    name: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class CalendarFacts:
    past_plan: tuple[PlannedSession, ...] = ()
    health: tuple[HealthSpan, ...] | None = None  # None: the markers were not fetched
    strava_stub_days: frozenset[date] = frozenset()
    # Rows shaped like history.json's daily_90d for a longer span (a year), when known.
    daily_rows: tuple[dict[str, Any], ...] = ()

    def with_daily_rows(self, rows: Iterable[dict[str, Any]]) -> CalendarFacts:
        return replace(self, daily_rows=tuple(rows))

    def without_names(self) -> CalendarFacts:
        """The same facts with the athlete's own titles of plans and markers removed."""
        return replace(
            self,
            past_plan=tuple(replace(p, name=None) for p in self.past_plan),
            health=None
            if self.health is None
            else tuple(replace(h, name=None) for h in self.health),
        )


def calendar_facts(
    activities: Sequence[Activity],
    events: Sequence[Event],
    health_events: Sequence[Event] | None,
    today: date,
) -> CalendarFacts:
    """The run's records reduced to what the run log needs."""
    plan: list[PlannedSession] = []
    for event in events:
        day = event.local_date
        if event.category == "WORKOUT" and day is not None and day < today:
            plan.append(PlannedSession(date=day, name=event.name, sport=event.type))
    health: tuple[HealthSpan, ...] | None = None
    if health_events is not None:
        spans: list[HealthSpan] = []
        for event in health_events:
            start, end = event.local_date, marker_last_day(event)
            if event.category in HEALTH_EVENT_CATEGORIES and start and end and end >= start:
                spans.append(HealthSpan(event.category or "", start, end, event.name))
        health = tuple(spans)
    stubs = frozenset(
        day for a in activities if a.is_strava_stub and (day := a.local_date) is not None
    )
    return CalendarFacts(past_plan=tuple(plan), health=health, strava_stub_days=stubs)
