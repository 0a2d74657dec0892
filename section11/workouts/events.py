"""Intervals.icu calendar events for a plan: what ``section11 push`` sends.

Each event carries an ``external_id`` derived from the workout's date, sport and
normalised name (or the plan's own ``external_id``), so the bulk upsert updates the same
event when the plan is pushed again or edited: a changed step, description or letter case
never creates a duplicate. A multisport workout becomes one event per segment (the
calendar has no multisport event), keyed ``<id>-1``, ``<id>-2``, ...
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Any

from section11.workouts.intervals_text import to_text
from section11.workouts.model import Item, Repeat, Sport, Workout
from section11.workouts.validate import resolve_date

JSON = dict[str, Any]

#: Intervals.icu activity type of each sport (indoor rides are VirtualRide).
ACTIVITY_TYPES: dict[str, str] = {
    "run": "Run",
    "ride": "Ride",
    "swim": "Swim",
    "strength": "WeightTraining",
}
_SPORT_LABEL = {"run": "Run", "ride": "Bike", "swim": "Swim", "strength": "Strength"}
#: The fields push compares with the calendar to tell "unchanged" from "update".
COMPARED_FIELDS = ("category", "start_date_local", "name", "type", "description", "indoor")
_TARGET_KIND = {"power": "POWER", "heart_rate": "HR", "pace": "PACE"}


def external_id(workout: Workout, day: date) -> str:
    if workout.external_id:
        return workout.external_id.strip()
    name = re.sub(r"[^a-z0-9]+", " ", workout.name.casefold()).strip()
    digest = hashlib.sha256(f"{day.isoformat()}|{workout.sport}|{name}".encode()).hexdigest()
    return f"section11-{day.isoformat()}-{workout.sport}-{digest[:12]}"


def build_events(workout: Workout, today: date) -> tuple[list[JSON], list[str]]:
    """The events of one (validated) workout, and notes on what the text could not carry."""
    day = resolve_date(workout.date, today)
    key = external_id(workout, day)
    parts = workout.parts()
    events: list[JSON] = []
    notes: list[str] = []
    for number, part in enumerate(parts, 1):
        multi = len(parts) > 1
        text = to_text(part.steps, part.sport, description=workout.description)
        notes.extend(f"{workout.name}: {note}" for note in text.notes)
        name = workout.name
        if multi:
            name = f"{workout.name} ({number}/{len(parts)} {_SPORT_LABEL[part.sport]})"
        event: JSON = {
            "category": workout.category,
            "start_date_local": f"{day.isoformat()}T00:00:00",
            "name": name,
            "type": _activity_type(part.sport, workout.indoor),
            "description": text.text,
            "indoor": workout.indoor,
            "external_id": f"{key}-{number}" if multi else key,
        }
        seconds = _seconds(part.steps)
        if seconds is not None and seconds > 0:
            event["moving_time"] = seconds
        kind = _target_kind(part.steps)
        if kind is not None:
            event["target"] = kind
        events.append(event)
    return events, notes


def _activity_type(sport: Sport, indoor: bool) -> str:
    if sport == "ride" and indoor:
        return "VirtualRide"
    return ACTIVITY_TYPES[sport]


def _seconds(items: list[Item]) -> int | None:
    """Total time when every step is time-based, else None (unknown, not 0)."""
    total = 0
    for item in items:
        if isinstance(item, Repeat):
            inner = _seconds(item.steps)
            if inner is None:
                return None
            total += inner * item.repeat
        elif item.duration is None:
            return None
        else:
            total += item.duration
    return total


def _target_kind(items: list[Item]) -> str | None:
    for item in items:
        if isinstance(item, Repeat):
            found = _target_kind(item.steps)
            if found is not None:
                return found
        elif item.target is not None and item.target.type in _TARGET_KIND:
            return _TARGET_KIND[item.target.type]
    return None
