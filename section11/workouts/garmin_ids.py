"""Garmin Connect workout-service identifiers.

Garmin publishes no contract for this JSON. These ids and keys are the ones public projects
that upload structured workouts measured against Garmin Connect (a workout posted, read
back, and run on a device); the docs page docs/workouts.md lists them with the rules.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def _typed(prefix: str, table: dict[str, tuple[int, int]]) -> dict[str, JSON]:
    return {
        key: {f"{prefix}Id": ident, f"{prefix}Key": key, "displayOrder": order}
        for key, (ident, order) in table.items()
    }


SPORTS = _typed(
    "sportType",
    {
        "running": (1, 1),
        "cycling": (2, 2),
        "swimming": (4, 3),
        "strength_training": (5, 5),
        "multi_sport": (10, 4),
    },
)
SPORT_KEY = {
    "run": "running",
    "ride": "cycling",
    "swim": "swimming",
    "strength": "strength_training",
}

STEP_TYPES = _typed(
    "stepType",
    {
        "warmup": (1, 1),
        "cooldown": (2, 2),
        "interval": (3, 3),
        "recovery": (4, 4),
        "rest": (5, 5),
        "repeat": (6, 6),
    },
)

END_CONDITIONS: dict[str, JSON] = {
    key: {
        "conditionTypeId": ident,
        "conditionTypeKey": key,
        "displayOrder": ident,
        "displayable": key != "iterations",
    }
    for key, ident in (
        ("lap.button", 1),
        ("time", 2),
        ("distance", 3),
        ("calories", 4),
        ("iterations", 7),
        ("reps", 10),
    )
}

TARGET_TYPES = _typed(
    "workoutTargetType",
    {
        "no.target": (1, 1),
        "power.zone": (2, 2),
        "cadence.zone": (3, 3),
        "heart.rate.zone": (4, 4),
        "speed.zone": (5, 5),
        "pace.zone": (6, 6),
    },
)

STROKES = _typed(
    "strokeType",
    {
        "any_stroke": (1, 1),
        "backstroke": (2, 2),
        "breaststroke": (3, 3),
        "drill": (4, 4),
        "fly": (5, 5),
        "free": (6, 6),
    },
)
NO_STROKE: JSON = {"strokeTypeId": 0, "strokeTypeKey": None, "displayOrder": 0}

EQUIPMENT = _typed(
    "equipmentType",
    {
        "fins": (1, 1),
        "kickboard": (2, 2),
        "paddles": (3, 3),
        "pull_buoy": (4, 4),
        "snorkel": (5, 5),
    },
)
NO_EQUIPMENT: JSON = {"equipmentTypeId": 0, "equipmentTypeKey": None, "displayOrder": 0}

POOL_UNITS: dict[str, JSON] = {
    "m": {"unitId": 1, "unitKey": "meter", "factor": 100.0},
    "yd": {"unitId": 2, "unitKey": "yard", "factor": 91.44},
}
KILOMETER: JSON = {"unitId": 2, "unitKey": "kilometer", "factor": 100000.0}
