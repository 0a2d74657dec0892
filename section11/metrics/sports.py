"""Sport families and the type sets every metric agrees on.

One rule for unmapped activity types everywhere: they belong to the family "other"
(the reference mixed None and "other" across call sites).
"""

from __future__ import annotations

from typing import Final

SPORT_FAMILIES: Final[dict[str, str]] = {
    "Ride": "cycling",
    "VirtualRide": "cycling",
    "MountainBikeRide": "cycling",
    "GravelRide": "cycling",
    "EBikeRide": "cycling",
    "TrackRide": "cycling",
    "NordicSki": "ski",
    "VirtualSki": "ski",
    "BackcountrySki": "ski",
    "RollerSki": "ski",
    "Walk": "walk",
    "Hike": "walk",
    "Run": "run",
    "VirtualRun": "run",
    "TrailRun": "run",
    "Swim": "swim",
    "OpenWaterSwim": "swim",
    "Rowing": "rowing",
    "VirtualRow": "rowing",
    "WeightTraining": "strength",
    "Yoga": "other",
    "Workout": "other",
}
FAMILIES: Final[tuple[str, ...]] = (
    "cycling",
    "run",
    "ski",
    "rowing",
    "swim",
    "walk",
    "strength",
    "other",
)
# Outdoor activities get terrain and weather; an outdoor type on a trainer is indoor.
OUTDOOR_TYPES: Final[frozenset[str]] = frozenset(
    {
        "Ride",
        "MountainBikeRide",
        "GravelRide",
        "EBikeRide",
        "Run",
        "TrailRun",
        "NordicSki",
        "BackcountrySki",
        "RollerSki",
        "Walk",
        "Hike",
        "OpenWaterSwim",
        "Rowing",
    }
)
VIRTUAL_TYPES: Final[frozenset[str]] = frozenset(
    {"VirtualRide", "VirtualRun", "VirtualSki", "VirtualRow"}
)
INTERVAL_FAMILIES: Final[frozenset[str]] = frozenset({"cycling", "run", "ski", "rowing", "swim"})
TRAINING_EVENT_CATEGORIES: Final[frozenset[str]] = frozenset(
    {"WORKOUT", "RACE_A", "RACE_B", "RACE_C"}
)
RACE_CATEGORIES: Final[frozenset[str]] = frozenset({"RACE_A", "RACE_B", "RACE_C"})
HEALTH_EVENT_CATEGORIES: Final[frozenset[str]] = frozenset({"SICK", "INJURED"})


def family_of(activity_type: str | None) -> str:
    """The sport family of an activity type; unknown or missing types are "other"."""
    if activity_type is None:
        return "other"
    return SPORT_FAMILIES.get(activity_type, "other")


def is_outdoor(activity_type: str | None, trainer: bool | None) -> bool:
    """True for outdoor sessions: an outdoor type not recorded on a trainer."""
    return activity_type in OUTDOOR_TYPES and not trainer
