"""One state per calendar day for the run log, from the JSON content and the run's facts.

Past days (and today once something is done) take exactly one state, first match wins:

1. ``trained``  — the API has an activity that day (history ``activity_count`` > 0, or an
   activity in latest.json);
2. ``sick``     — a SICK or INJURED marker covers the day;
3. ``no-data``  — the API has nothing for the day (history ``activity_count: null``), or its only
   activity is a Strava stub Intervals.icu may not share, or there is neither an activity
   nor a wellness value although the athlete records wellness (the watch did not sync);
4. ``missed``   — a workout was planned and nothing was done;
5. ``rest``     — the API answered: no activity, no plan, wellness present.

Today without an activity, and future days, show their plan: ``race``, ``planned`` or
``future`` (nothing planned).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from section11.metrics.sports import FAMILIES, RACE_CATEGORIES, family_of
from section11.outputs.dashboard import _json as j
from section11.outputs.dashboard.facts import CalendarFacts, HealthSpan, PlannedSession

DayState = Literal["trained", "sick", "no-data", "missed", "rest", "race", "planned", "future"]

PAST_DAYS = 90  # always shown (history.json's daily_90d)
RUN_LOG_DAYS = 365  # shown when the run supplies a year of daily rows
MIN_FUTURE_DAYS = 28
MAX_FUTURE_DAYS = 90

# Wellness values that show the athlete's devices (or the athlete) reported that day.
# CTL/ATL are left out on purpose: Intervals.icu computes them for every day.
_HISTORY_WELLNESS = (
    "hrv",
    "rhr",
    "sleep_hours",
    "sleep_quality",
    "weight_kg",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
)
_LATEST_WELLNESS = (
    "hrv",
    "hrv_rmssd",
    "hrv_sdnn",
    "resting_hr",
    "sleep_hours",
    "sleep_quality",
    "sleep_score",
    "weight_kg",
    "fatigue",
    "soreness",
    "stress",
    "mood",
    "motivation",
    "injury",
    "steps",
    "spO2",
    "readiness",
)
# (label, history key, latest wellness_data key, unit)
WELLNESS_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("HRV", "hrv", "hrv", " ms"),
    ("Resting HR", "rhr", "resting_hr", " bpm"),
    ("Sleep", "sleep_hours", "sleep_hours", " h"),
    ("Sleep quality", "sleep_quality", "sleep_quality", "/4"),
    ("Weight", "weight_kg", "weight_kg", " kg"),
    ("Fatigue", "fatigue", "fatigue", "/4"),
    ("Soreness", "soreness", "soreness", "/4"),
    ("Stress", "stress", "stress", "/4"),
    ("Mood", "mood", "mood", "/4"),
    ("Motivation", "motivation", "motivation", "/4"),
    ("Injury", "", "injury", "/4"),
)


@dataclass(frozen=True)
class Session:
    name: str | None
    sport: str | None
    load: float | None
    duration: str | None = None
    distance_km: float | None = None


@dataclass(frozen=True)
class Day:
    date: date
    state: DayState
    reason: str
    sports: tuple[str, ...] = ()  # sport families, in FAMILIES order
    load: float | None = None
    hours: float | None = None
    sessions: tuple[Session, ...] = ()
    planned: tuple[Session, ...] = ()
    races: tuple[str, ...] = ()
    wellness: tuple[tuple[str, str], ...] = ()
    health: str | None = None  # "Sick" / "Injured" when a marker covers the day
    health_name: str | None = None  # the marker's title (hidden when anonymized)
    fitness: tuple[float | None, float | None, float | None] = (None, None, None)


@dataclass
class _Sources:
    today: date
    daily: dict[date, j.JSON]
    wellness: dict[date, j.JSON]
    activities: dict[date, list[j.JSON]]
    plan: dict[date, list[Session]]
    races: dict[date, list[str]]
    health: tuple[HealthSpan, ...]
    stub_days: frozenset[date]
    tracks_wellness: bool


def calendar_span(latest: j.JSON, today: date, earliest: date | None = None) -> tuple[date, date]:
    """90 days back (a year when the rows exist) to 28–90 days ahead (the next race)."""
    first = today - timedelta(days=PAST_DAYS - 1)
    if earliest is not None:
        first = min(first, max(earliest, today - timedelta(days=RUN_LOG_DAYS - 1)))
    ahead = today + timedelta(days=MIN_FUTURE_DAYS - 1)
    race_day = j.day(latest, "race_calendar", "next_race", "date")
    if race_day is not None and race_day > ahead:
        ahead = min(race_day, today + timedelta(days=MAX_FUTURE_DAYS))
    return first, ahead


def build_days(
    latest: j.JSON, history: j.JSON | None, facts: CalendarFacts | None, today: date
) -> list[Day]:
    """Every day of the run log, oldest first, each with exactly one state."""
    sources = _collect(latest, history, facts, today)
    first, last = calendar_span(latest, today, min(sources.daily, default=None))
    days: list[Day] = []
    current = first
    while current <= last:
        days.append(_day(sources, current))
        current += timedelta(days=1)
    return days


# ------------------------------------------------------------------------------ sources


def _collect(
    latest: j.JSON, history: j.JSON | None, facts: CalendarFacts | None, today: date
) -> _Sources:
    daily: dict[date, j.JSON] = {}
    year_rows = list(facts.daily_rows) if facts is not None else []
    for row in [*year_rows, *j.items(history, "daily_90d")]:
        row_day = j.day(row, "date")
        if row_day is not None:
            daily[row_day] = row
    wellness = {d: row for row in j.items(latest, "wellness_data") if (d := j.day(row, "date"))}
    activities: dict[date, list[j.JSON]] = {}
    for activity in j.items(latest, "recent_activities"):
        activity_day = j.day(activity, "date")
        if activity_day is not None:
            activities.setdefault(activity_day, []).append(activity)
    plan, races = _plan(latest, facts, today)
    tracks_wellness = any(_has_wellness(row, _HISTORY_WELLNESS) for row in daily.values()) or any(
        _has_wellness(row, _LATEST_WELLNESS) for row in wellness.values()
    )
    return _Sources(
        today=today,
        daily=daily,
        wellness=wellness,
        activities=activities,
        plan=plan,
        races=races,
        health=_health(latest, facts),
        stub_days=facts.strava_stub_days if facts else frozenset(),
        tracks_wellness=tracks_wellness,
    )


def _plan(
    latest: j.JSON, facts: CalendarFacts | None, today: date
) -> tuple[dict[date, list[Session]], dict[date, list[str]]]:
    plan: dict[date, list[Session]] = {}
    races: dict[date, list[str]] = {}
    for workout in j.items(latest, "planned_workouts"):
        workout_day = j.day(workout, "date")
        category = j.text(workout, "type")
        if workout_day is None:
            continue
        if category in RACE_CATEGORIES:
            races.setdefault(workout_day, []).append(_race_label(workout))
        elif category == "WORKOUT":
            plan.setdefault(workout_day, []).append(
                Session(
                    name=j.text(workout, "name"),
                    sport=j.text(workout, "sport_type"),
                    load=j.num(workout, "planned_tss"),
                    duration=j.text(workout, "duration_formatted"),
                )
            )
    for race in j.items(latest, "race_calendar", "all_races"):
        race_day = j.day(race, "date")
        label = _race_label(race)
        if race_day is not None and label not in races.get(race_day, []):
            races.setdefault(race_day, []).append(label)
    past: Iterable[PlannedSession]
    if facts is not None:
        past = facts.past_plan
    else:
        # Without the run's calendar records, latest.json still names the planned days of
        # the last week that had no session (consistency_details).
        details = j.obj(latest, "derived_metrics", "consistency_details") or {}
        done = {d for value in j.strings(details, "completed_dates") if (d := j.day(value))}
        past = [
            PlannedSession(date=d, name=None, sport=None)
            for value in j.strings(details, "planned_dates")
            if (d := j.day(value)) is not None and d < today and d not in done
        ]
    for session in past:
        if session.date < today:
            plan.setdefault(session.date, []).append(
                Session(name=session.name, sport=session.sport, load=None)
            )
    return plan, races


def _race_label(race: j.JSON) -> str:
    name = j.text(race, "name") or "Race"
    category = j.text(race, "category") or j.text(race, "type")
    if category in RACE_CATEGORIES:
        return f"{name} ({category.removeprefix('RACE_')} race)"
    return name


def _health(latest: j.JSON, facts: CalendarFacts | None) -> tuple[HealthSpan, ...]:
    if facts is not None and facts.health is not None:
        return facts.health
    spans: list[HealthSpan] = []
    for group in ("current", "recent", "upcoming"):
        for marker in j.items(latest, "health_context", group):
            start, end = j.day(marker, "start_date"), j.day(marker, "end_date")
            category = j.text(marker, "category")
            if start and end and category:
                spans.append(HealthSpan(category, start, end, j.text(marker, "name")))
    return tuple(spans)


def _has_wellness(row: Mapping[str, object], keys: Iterable[str]) -> bool:
    return any(row.get(key) is not None for key in keys)


# ------------------------------------------------------------------------------ one day


def _day(sources: _Sources, current: date) -> Day:
    row = sources.daily.get(current)
    activities = sources.activities.get(current, [])
    sessions = tuple(_session(a) for a in activities)
    sports = _families(
        j.strings(row, "activity_types") if row else [j.text(a, "type") or "" for a in activities]
    )
    load = j.num(row, "total_tss") if row else _sum(j.num(a, "tss") for a in activities)
    hours = (
        j.num(row, "total_hours") if row else _sum(j.num(a, "duration_hours") for a in activities)
    )
    if row and not sessions and _data_status(row) == "activity":
        sessions = _summary_session(row)
    health_span = next((s for s in sources.health if s.covers(current)), None)
    state, reason = _state(sources, current, row, bool(activities), health_span)
    return Day(
        date=current,
        state=state,
        reason=reason,
        sports=sports,
        load=load,
        hours=hours,
        sessions=sessions,
        planned=tuple(sources.plan.get(current, [])),
        races=tuple(sources.races.get(current, [])),
        wellness=_wellness(row, sources.wellness.get(current)),
        health=health_span.category.title() if health_span else None,
        health_name=health_span.name if health_span else None,
        fitness=(j.num(row, "ctl"), j.num(row, "atl"), j.num(row, "tsb")),
    )


def _state(
    sources: _Sources,
    current: date,
    row: j.JSON | None,
    has_activity: bool,
    health: HealthSpan | None,
) -> tuple[DayState, str]:
    status = _data_status(row)
    if status == "activity" or has_activity:
        return "trained", "trained"
    if current >= sources.today:
        if current == sources.today and health is not None:
            return "sick", f"{health.category.lower()} (calendar marker)"
        if sources.races.get(current):
            return "race", "race day"
        if sources.plan.get(current):
            return "planned", "session planned"
        return "future", "nothing planned"
    if health is not None:
        return "sick", f"{health.category.lower()} (calendar marker)"
    if status == "no_data" or (row is None and current not in sources.wellness):
        return "no-data", "no answer from Intervals.icu for this day (API gap or not synced yet)"
    if current in sources.stub_days:
        return "no-data", (
            "only a Strava activity, which Intervals.icu may not share through its API"
        )
    wellness_row = sources.wellness.get(current)
    has_wellness = (row is not None and _has_wellness(row, _HISTORY_WELLNESS)) or (
        wellness_row is not None and _has_wellness(wellness_row, _LATEST_WELLNESS)
    )
    if sources.tracks_wellness and not has_wellness:
        return "no-data", "no activity and no wellness: the watch may not have synced"
    if sources.plan.get(current):
        return "missed", "a workout was planned and none was recorded"
    return "rest", "rest day"


# ------------------------------------------------------------------------------ helpers


def _data_status(row: j.JSON | None) -> str | None:
    """What a history.json daily row says of its day, by its activity count: ``activity``,
    ``rest`` (the API answered with none), ``no_data`` (null: no answer for the day)."""
    if row is None:
        return None
    count = j.num(row, "activity_count")
    if count is None:
        return "no_data"
    return "activity" if count > 0 else "rest"


def _families(types: Iterable[str]) -> tuple[str, ...]:
    found = {family_of(t) for t in types if t}
    return tuple(f for f in FAMILIES if f in found)


def _sum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _session(activity: j.JSON) -> Session:
    return Session(
        name=j.text(activity, "name"),
        sport=j.text(activity, "type"),
        load=j.num(activity, "tss"),
        duration=j.text(activity, "duration_formatted"),
        distance_km=j.num(activity, "distance_km"),
    )


def _summary_session(row: j.JSON) -> tuple[Session, ...]:
    """Days older than latest.json's window: history.json has the day's totals only."""
    types = j.strings(row, "activity_types")
    count = j.num(row, "activity_count")
    label = f"{int(count)} activit{'y' if count == 1 else 'ies'}" if count is not None else None
    hours = j.num(row, "total_hours")
    return (
        Session(
            name=label,
            sport=", ".join(types) or None,
            load=j.num(row, "total_tss"),
            duration=f"{hours:.1f} h" if hours is not None else None,
        ),
    )


def _wellness(row: j.JSON | None, latest_row: j.JSON | None) -> tuple[tuple[str, str], ...]:
    values: list[tuple[str, str]] = []
    for label, history_key, latest_key, unit in WELLNESS_FIELDS:
        value = j.num(latest_row, latest_key) if latest_row else None
        if value is None and row is not None and history_key:
            value = j.num(row, history_key)
        if value is not None:
            shown = f"{value:g}" if unit not in (" h",) else f"{value:.1f}"
            values.append((label, f"{shown}{unit}"))
    return tuple(values)
