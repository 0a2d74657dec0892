"""What one run fetches from Intervals.icu for latest.json (and what history reuses).

Five requests, whatever the window: the athlete (whose timezone defines "today"), one
range each of activities, wellness and calendar events, plus a year of SICK/INJURED
markers. With the timezone of the previous run as a hint all five go out in one concurrent
round; the windows are checked against the athlete's timezone afterwards and fetched again
only when its "today" differs. Without a hint, the athlete goes first. The recent window
is wide enough (42 days) for every 7/28-day metric, four aligned weeks, and the rolling
refresh of history.json.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel

from section11.clock import local_today
from section11.errors import ApiError, ApiUnavailableError
from section11.metrics.sports import HEALTH_EVENT_CATEGORIES
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.models import (
    Activity,
    Athlete,
    Event,
    Wellness,
    parse_record,
    parse_records,
)

log = logging.getLogger(__name__)

RECENT_DAYS = 42  # activities and wellness fetched every run
EVENTS_BACK_DAYS = 14
EVENTS_AHEAD_DAYS = 90
HEALTH_BACK_DAYS = 365
# What history.json keeps of older days (see outputs/history_store.py); asking only for
# these cuts a 3-year download to a fraction. A test checks the result is the same.
HISTORY_ACTIVITY_FIELDS = (
    "id",
    "start_date_local",
    "type",
    "source",
    "icu_training_load",
    "moving_time",
    "distance",
    "feel",
    "icu_rpe",
    "icu_zone_times",
    "icu_hr_zone_times",
    # capability roll-ups of weekly rows
    "decoupling",
    "icu_variability_index",
    "icu_efficiency_factor",
    "icu_hrr",
)
HISTORY_WELLNESS_FIELDS = (
    "id",
    "ctl",
    "atl",
    "hrv",
    "restingHR",
    "sleepSecs",
    "weight",
    "sleepQuality",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "injury",
)


def _api_names(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(field.alias or name for name, field in model.model_fields.items())


# The core lists ask only for what the models read (they ignore every other key), which
# cuts the rerun download by about a third. A test checks the outputs are the same.
CORE_ACTIVITY_FIELDS = _api_names(Activity)
CORE_WELLNESS_FIELDS = _api_names(Wellness)


@dataclass(frozen=True)
class CoreData:
    athlete: Athlete
    today: date
    recent_start: date
    activities: list[Activity]
    wellness: list[Wellness]
    events: list[Event]
    health_events: list[Event] | None  # None: the dedicated fetch failed (context is partial)
    warnings: list[str] = field(default_factory=list)


def recent_start_for(today: date) -> date:
    return today - timedelta(days=RECENT_DAYS - 1)


def fetch_core(
    client: IntervalsClient, now_utc: datetime, timezone_hint: str | None = None
) -> CoreData:
    """The core data. ``timezone_hint`` (the athlete's timezone of the previous run) lets
    the athlete request go out together with the others instead of before them."""
    warnings: list[str] = []
    # Athlete id "0" means "the key's own athlete": the real id comes with its response.
    overlap = timezone_hint is not None and client.athlete_id != "0"
    with ThreadPoolExecutor(max_workers=5, thread_name_prefix="fetch") as pool:
        athlete_job = pool.submit(client.athlete)
        guessed = local_today(now_utc, timezone_hint) if overlap else None
        early = _submit_ranges(pool, client, guessed) if guessed is not None else None
        athlete, dropped = parse_record(Athlete, athlete_job.result())
        if athlete is None:
            raise ApiUnavailableError(
                "Intervals.icu returned an athlete profile we could not read; "
                "files on disk were left unchanged, try again later"
            )
        today = local_today(now_utc, athlete.timezone)
        if early is not None and guessed == today:
            ranges = early
        else:
            if early is not None:
                log.info("the athlete's date changed with the timezone: windows fetched again")
                _drain(early)
            ranges = _submit_ranges(pool, client, today)
        raw_activities, raw_wellness, raw_events, raw_health = _collect(ranges, warnings)
    if dropped:
        warnings.insert(0, f"ignored unreadable athlete field(s): {', '.join(dropped)}")
    recent_start = recent_start_for(today)

    activities = parse_records(Activity, raw_activities, "activity", warnings)
    wellness = parse_records(Wellness, raw_wellness, "wellness", warnings)
    events = parse_records(Event, raw_events, "calendar event", warnings)
    health = (
        parse_records(Event, raw_health, "illness/injury marker", warnings)
        if raw_health is not None
        else None
    )
    wellness.sort(key=lambda record: record.id or "")
    return CoreData(
        athlete=athlete,
        today=today,
        recent_start=recent_start,
        activities=activities,
        wellness=wellness,
        events=events,
        health_events=health,
        warnings=warnings,
    )


_Ranges = tuple["Future[list[Any]]", "Future[list[Any]]", "Future[list[Any]]", "Future[list[Any]]"]


def _submit_ranges(pool: ThreadPoolExecutor, client: IntervalsClient, today: date) -> _Ranges:
    recent_start = recent_start_for(today)
    end_of_today = f"{today.isoformat()}T23:59:59"
    return (
        pool.submit(
            client.activities,
            recent_start.isoformat(),
            end_of_today,
            fields=CORE_ACTIVITY_FIELDS,
        ),
        pool.submit(
            client.wellness,
            recent_start.isoformat(),
            today.isoformat(),
            fields=CORE_WELLNESS_FIELDS,
        ),
        pool.submit(
            client.events,
            (today - timedelta(days=EVENTS_BACK_DAYS)).isoformat(),
            (today + timedelta(days=EVENTS_AHEAD_DAYS)).isoformat(),
        ),
        pool.submit(
            client.events,
            (today - timedelta(days=HEALTH_BACK_DAYS)).isoformat(),
            (today + timedelta(days=EVENTS_AHEAD_DAYS)).isoformat(),
            categories=tuple(sorted(HEALTH_EVENT_CATEGORIES)),
            resolve=False,
        ),
    )


def _drain(ranges: _Ranges) -> None:
    """Wait for requests whose windows turned out wrong; their answers are not used."""
    for job in ranges:
        job.exception()


def _collect(
    ranges: _Ranges, warnings: list[str]
) -> tuple[list[Any], list[Any], list[Any], list[Any] | None]:
    activities_job, wellness_job, events_job, health_job = ranges
    raw_activities = activities_job.result()
    raw_wellness = wellness_job.result()
    raw_events = events_job.result()
    try:
        raw_health: list[Any] | None = health_job.result()
    except ApiError as exc:
        # Health markers are context, not core data: degrade instead of failing the run.
        warnings.append(
            f"illness/injury markers could not be fetched ({exc}); health_context is partial"
        )
        raw_health = None
    return raw_activities, raw_wellness, raw_events, raw_health


def fetch_history_range(
    client: IntervalsClient, oldest: date, newest: date
) -> tuple[list[Activity], list[Wellness]]:
    """Activities and wellness for an older date range (history.json's cold build)."""
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="history") as pool:
        activities_job = pool.submit(
            client.activities,
            oldest.isoformat(),
            f"{newest.isoformat()}T23:59:59",
            fields=HISTORY_ACTIVITY_FIELDS,
        )
        wellness_job = pool.submit(
            client.wellness, oldest.isoformat(), newest.isoformat(), fields=HISTORY_WELLNESS_FIELDS
        )
        activities = parse_records(Activity, activities_job.result(), "activity")
        wellness = parse_records(Wellness, wellness_job.result(), "wellness")
    return activities, wellness
