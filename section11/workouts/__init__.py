"""Structured workouts: the model, its validation and its conversions.

Pure data and functions (no network, no disk except ``load_plan``, no clock): Intervals.icu
workout text, the API's ``workout_doc``, Garmin Connect workout JSON, calendar events.
"""

from section11.workouts.events import build_events, external_id
from section11.workouts.garmin import ConversionError, Thresholds, to_garmin
from section11.workouts.intervals_text import from_text, to_text
from section11.workouts.model import Repeat, Segment, Step, Target, Workout
from section11.workouts.validate import (
    PlanError,
    check_workouts,
    load_plan,
    parse_plan,
    resolve_date,
    workout_problems,
)
from section11.workouts.workout_doc import from_doc, to_doc

__all__ = [
    "ConversionError",
    "PlanError",
    "Repeat",
    "Segment",
    "Step",
    "Target",
    "Thresholds",
    "Workout",
    "build_events",
    "check_workouts",
    "external_id",
    "from_doc",
    "from_text",
    "load_plan",
    "parse_plan",
    "resolve_date",
    "to_doc",
    "to_garmin",
    "to_text",
    "workout_problems",
]
