"""A denser demo athlete: the demo athlete topped up to N activities on every day.

``generate_dense_athlete(today, per_day)`` starts from ``generate_demo_athlete(today)`` (its
wellness, calendar, edge cases and per-activity detail are kept as they are) and adds indoor
sessions without GPS, intervals or DFA streams until every day of the three years up to
``today`` holds ``per_day`` activities. The added sessions carry load, moving time, zone
times, feel and RPE like the demo's own, so every history roll-up has real work to do,
while a cold sync fetches little extra detail for them (only their comments).

Used by ``benchmarks/bench_flat.py`` to show how the cost of a run grows with the number
of activities a day. The demo athlete itself is left unchanged: the example files and
many tests depend on it.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from section11.demo._activities import Session, build_activity, ftp_at
from section11.demo.athlete import (
    DEMO_ATHLETE_ID,
    DEMO_TIMEZONE,
    DemoAthlete,
    generate_demo_athlete,
)

__all__ = ["generate_dense_athlete"]

# Indoor sessions without a structured workout: no intervals, no GPS streams, no DFA.
_TOP_UP: tuple[Session, ...] = (
    Session("VirtualRide", "endurance", 3600, 12.0, name="Zwift - Endurance"),
    Session("WeightTraining", "strength", 2700, 13.5, name="Strength - legs and core"),
    Session("Rowing", "row", 2400, 15.0, name="Erg - steady"),
    Session("Yoga", "yoga", 1800, 16.5, name="Yoga flow"),
    Session("Swim", "swim", 2700, 18.0, name="Pool swim"),
    Session("VirtualRide", "endurance", 2700, 19.5, name="Zwift - Recovery spin"),
    Session("WeightTraining", "strength", 2400, 20.5, name="Strength - upper body"),
    Session("Rowing", "row", 1800, 21.5, name="Erg - easy"),
)
_FIRST_ID = 30_000_000


def generate_dense_athlete(
    today: date, per_day: int, *, years: int = 3, seed: int = 11
) -> DemoAthlete:
    """The demo athlete with at least ``per_day`` activities on every day up to ``today``."""
    if per_day < 1:
        raise ValueError(f"per_day must be at least 1, not {per_day}")
    athlete = generate_demo_athlete(today, years=years, seed=seed)
    rng = random.Random(seed * 7919 + per_day)  # its own stream: the demo's stays as it is
    tz = ZoneInfo(DEMO_TIMEZONE)
    start = today - timedelta(days=365 * years + 7)
    counts = Counter(a["start_date_local"][:10] for a in athlete.activities)
    number = _FIRST_ID
    day = start
    while day <= today:
        for slot in range(counts[day.isoformat()], per_day):
            number += 1
            act, _ = build_activity(
                rng,
                _TOP_UP[slot % len(_TOP_UP)],
                day,
                activity_id=f"i{number}",
                athlete_id=DEMO_ATHLETE_ID,
                ftp_outdoor=ftp_at(day, start, today),
                tz=tz,
                weight=64.5,
            )
            athlete.activities.append(act)
        day += timedelta(days=1)
    athlete.activities.sort(key=lambda a: (a["start_date_local"], a["id"]))
    return athlete
