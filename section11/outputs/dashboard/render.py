"""Render the dashboard files from the content of latest.json and history.json."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from section11.metrics.projection import ProjectedDay, project_fitness
from section11.outputs.dashboard import _json as j
from section11.outputs.dashboard.charts import (
    FitnessPoint,
    WeekLoad,
    calendar_svg,
    fitness_svg,
    weekly_load_svg,
)
from section11.outputs.dashboard.days import MAX_FUTURE_DAYS, build_days
from section11.outputs.dashboard.facts import CalendarFacts
from section11.outputs.dashboard.page import page_html, week_start_index
from section11.outputs.dashboard.today import (
    alerts_card,
    decision_card,
    freshness_card,
    health_line,
    phase_card,
    race_card,
)

DASHBOARD_FILE = "dashboard.html"
CALENDAR_SVG = "dashboard-calendar.svg"
FITNESS_SVG = "dashboard-fitness.svg"
LOAD_SVG = "dashboard-load.svg"
WEEKS_SHOWN = 26
REDACTED = "REDACTED"


@dataclass(frozen=True)
class DashboardOptions:
    # Today: the anonymization switch; a finer privacy level maps onto this flag.
    anonymize: bool = True


def dashboard_today(latest: Mapping[str, Any], history: Mapping[str, Any] | None) -> date | None:
    """The athlete's date the files were written for."""
    return (
        j.day(latest, "metadata", "today")
        or j.day(latest, "metadata", "last_updated")
        or j.day(history, "today")
    )


def render_dashboard(
    latest: Mapping[str, Any],
    history: Mapping[str, Any] | None,
    facts: CalendarFacts | None = None,
    options: DashboardOptions | None = None,
) -> dict[str, bytes]:
    """File name -> content for dashboard.html and the SVG charts beside it.

    ``latest`` and ``history`` are the JSON content of the files (``model_dump`` of the
    output models); ``facts`` adds the run's own calendar records when rendering in a sync.
    """
    options = options or DashboardOptions()
    latest_json, history_json = dict(latest), dict(history) if history is not None else None
    today = dashboard_today(latest_json, history_json)
    if today is None:
        raise ValueError("latest.json has no metadata.today or metadata.last_updated")
    days = build_days(latest_json, history_json, facts, today)
    week_start = week_start_index(latest_json, history_json)
    race = _next_race(latest_json, today)
    projection, fitness_note = _projection(latest_json, today, race)
    past = _fitness_points(latest_json, history_json, today)
    calendar = calendar_svg(days, today, week_start)
    fitness = fitness_svg(past, projection, today, race)
    load = weekly_load_svg(_weeks(history_json))
    html = page_html(
        title="Training dashboard",
        subtitle=_subtitle(latest_json, today, options),
        today_cards=[
            decision_card(latest_json),
            phase_card(latest_json),
            race_card(latest_json),
            alerts_card(latest_json),
            freshness_card(latest_json, history_json, days, today),
        ],
        health=health_line(latest_json, options.anonymize),
        days=days,
        today=today,
        week_start=week_start,
        fitness_svg=fitness,
        fitness_note=fitness_note,
        load_svg=load,
        footer=_footer(latest_json, options),
        anonymize=options.anonymize,
    )
    return {
        DASHBOARD_FILE: html.encode("utf-8"),
        CALENDAR_SVG: calendar.encode("utf-8"),
        FITNESS_SVG: fitness.encode("utf-8"),
        LOAD_SVG: load.encode("utf-8"),
    }


def _subtitle(latest: j.JSON, today: date, options: DashboardOptions) -> str:
    parts = [f"As of {today.isoformat()}"]
    timezone = j.text(latest, "metadata", "timezone")
    if timezone:
        parts[0] += f" ({timezone})"
    athlete = j.text(latest, "metadata", "athlete_id")
    if not options.anonymize and athlete and athlete != REDACTED:
        parts.append(f"athlete {athlete}")
    return " · ".join(parts)


def _footer(latest: j.JSON, options: DashboardOptions) -> str:
    version = j.text(latest, "metadata", "version") or "?"
    privacy = "anonymized" if options.anonymize else "not anonymized"
    return (
        f"Written by section11 {version} from the same data as latest.json and history.json "
        f"({privacy}). This page loads nothing from the internet."
    )


def _next_race(latest: j.JSON, today: date) -> tuple[date, str] | None:
    race = j.obj(latest, "race_calendar", "next_race")
    race_day = j.day(race, "date")
    if race_day is None or race_day < today:
        return None
    return race_day, j.text(race, "name") or "race"


def _projection(
    latest: j.JSON, today: date, race: tuple[date, str] | None
) -> tuple[list[ProjectedDay], str]:
    fitness = j.obj(latest, "current_status", "fitness")
    ctl, atl = j.num(fitness, "ctl"), j.num(fitness, "atl")
    if race is None:
        return [], "No race in the calendar: nothing to project to."
    if ctl is None or atl is None:
        return [], "Today's CTL/ATL are not available: no projection."
    until = min(race[0], today + timedelta(days=MAX_FUTURE_DAYS))
    loads: dict[date, float] = {}
    sessions = without_load = 0
    for workout in j.items(latest, "planned_workouts"):
        workout_day = j.day(workout, "date")
        if workout_day is None or not today < workout_day <= until:
            continue
        if j.text(workout, "type") not in ("WORKOUT", None):
            continue
        sessions += 1
        planned = j.num(workout, "planned_tss")
        if planned is None:
            without_load += 1
            continue
        loads[workout_day] = loads.get(workout_day, 0.0) + planned
    projection = project_fitness(ctl, atl, today, until, loads)
    note = (
        f"Dashed: projected from today's CTL {ctl:.1f} / ATL {atl:.1f} to {race[1]} on "
        f"{race[0].isoformat()}, following {sessions} planned session(s)"
    )
    if without_load:
        note += f" ({without_load} without a planned load, counted as rest)"
    note += "; days without a plan count as rest. A projection, not a forecast."
    if projection:
        end = projection[-1]
        note += f" Race day: CTL {end.ctl:.1f}, ATL {end.atl:.1f}, TSB {end.tsb:.1f}."
    return projection, note


def _fitness_points(latest: j.JSON, history: j.JSON | None, today: date) -> list[FitnessPoint]:
    points = []
    for row in j.items(history, "daily_90d"):
        row_day = j.day(row, "date")
        if row_day is not None and row_day <= today:
            points.append(
                FitnessPoint(row_day, j.num(row, "ctl"), j.num(row, "atl"), j.num(row, "tsb"))
            )
    points.sort(key=lambda p: p.date)
    fitness = j.obj(latest, "current_status", "fitness")
    ctl, atl = j.num(fitness, "ctl"), j.num(fitness, "atl")
    # Today's point is the one latest.json reports (start-of-day when a session is pending),
    # so the projection starts where the chart ends.
    if ctl is not None and atl is not None:
        points = [p for p in points if p.date != today]
        points.append(FitnessPoint(today, ctl, atl, j.num(fitness, "tsb")))
    return points


def _weeks(history: j.JSON | None) -> list[WeekLoad]:
    weeks = []
    for row in j.items(history, "weekly_180d")[-WEEKS_SHOWN:]:
        start = j.day(row, "week_start")
        if start is None:
            continue
        breakdown = j.obj(row, "sport_tss_breakdown") or {}
        by_sport = {k: v for k in breakdown if (v := j.num(breakdown, k)) is not None}
        weeks.append(
            WeekLoad(
                week_start=start,
                by_sport=by_sport,
                total=j.num(row, "total_tss"),
                phase=j.text(row, "phase") or j.text(row, "phase_detected"),
                complete=j.get(row, "complete") is not False,
            )
        )
    return weeks
