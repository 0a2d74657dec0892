"""Sport families and the type sets every metric agrees on.

One rule for unmapped activity types everywhere: they belong to the family "other"
(the reference mixed None and "other" across call sites).
"""

from __future__ import annotations

from typing import Final

# Every activity type the Intervals.icu API lists (the 60 values of the ``type`` enum, e.g.
# on SportInfo), with its sport family and whether it is done outdoors. Outdoor sessions get
# terrain and weather, and their titles (often place names) are anonymized. A type that can
# be either (tennis, climbing, ice skating) counts as outdoor: a hidden title costs little, a
# published place name cannot be taken back. Families are those thresholds and zones are
# kept for; sports without thresholds of their own (paddling, team and board sports) are
# "other", so a family never borrows another sport's settings.
ACTIVITY_TYPES: Final[dict[str, tuple[str, bool]]] = {
    # cycling
    "Ride": ("cycling", True),
    "MountainBikeRide": ("cycling", True),
    "GravelRide": ("cycling", True),
    "EBikeRide": ("cycling", True),
    "EMountainBikeRide": ("cycling", True),
    "Cyclocross": ("cycling", True),
    "Handcycle": ("cycling", True),
    "Velomobile": ("cycling", True),
    "TrackRide": ("cycling", False),  # a velodrome: no terrain to speak of
    "VirtualRide": ("cycling", False),
    # running
    "Run": ("run", True),
    "TrailRun": ("run", True),
    "VirtualRun": ("run", False),
    # cross-country skiing
    "NordicSki": ("ski", True),
    "BackcountrySki": ("ski", True),
    "RollerSki": ("ski", True),
    "VirtualSki": ("ski", False),
    # rowing
    "Rowing": ("rowing", True),
    "VirtualRow": ("rowing", False),
    # swimming
    "Swim": ("swim", False),  # a pool
    "OpenWaterSwim": ("swim", True),
    # walking
    "Walk": ("walk", True),
    "Hike": ("walk", True),
    "Snowshoe": ("walk", True),
    # strength
    "WeightTraining": ("strength", False),
    "Crossfit": ("strength", False),
    # other, outdoors
    "AlpineSki": ("other", True),
    "Snowboard": ("other", True),
    "Canoeing": ("other", True),
    "Kayaking": ("other", True),
    "StandUpPaddling": ("other", True),
    "Sail": ("other", True),
    "Kitesurf": ("other", True),
    "Windsurf": ("other", True),
    "Surfing": ("other", True),
    "WaterSport": ("other", True),
    "InlineSkate": ("other", True),
    "IceSkate": ("other", True),
    "Skateboard": ("other", True),
    "Wheelchair": ("other", True),
    "Golf": ("other", True),
    "Soccer": ("other", True),
    "Rugby": ("other", True),
    "Hockey": ("other", True),
    "Tennis": ("other", True),
    "Padel": ("other", True),
    "Pickleball": ("other", True),
    "RockClimbing": ("other", True),
    # other, indoors
    "Badminton": ("other", False),
    "Squash": ("other", False),
    "Racquetball": ("other", False),
    "TableTennis": ("other", False),
    "Elliptical": ("other", False),
    "StairStepper": ("other", False),
    "HighIntensityIntervalTraining": ("other", False),
    "Pilates": ("other", False),
    "Yoga": ("other", False),
    "Workout": ("other", False),
    "Transition": ("other", False),
    "Other": ("other", False),
}
SPORT_FAMILIES: Final[dict[str, str]] = {t: fam for t, (fam, _) in ACTIVITY_TYPES.items()}
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
    t for t, (_, outdoor) in ACTIVITY_TYPES.items() if outdoor
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


def family_of_types(activity_types: list[str]) -> str:
    """The family a sport-settings entry belongs to: that of most of its types (ties go to
    the type listed first); "other" for an entry without types."""
    families = [family_of(t) for t in activity_types]
    if not families:
        return "other"
    return max(families, key=lambda f: (families.count(f), -families.index(f)))


def is_outdoor(activity_type: str | None, trainer: bool | None) -> bool:
    """True for outdoor sessions: an outdoor type not recorded on a trainer."""
    return activity_type in OUTDOOR_TYPES and not trainer
