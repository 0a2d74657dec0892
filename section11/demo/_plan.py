"""The demo athlete's training plan: a weekly pattern with seasons and 4-week blocks."""

from __future__ import annotations

import random
from datetime import date

from section11.demo._activities import _OUTDOOR_RIDE_NAMES, _RUN_NAMES, Session

_BIKE_ROTATION = ("VO2max 5x4", "Sweet spot 3x15", "Over-unders 3x(4x2+1)", "Threshold 2x20")
_RUN_ROTATION = ("6x3min threshold", "Hill repeats 2x(5x90s)")


def is_winter(day: date) -> bool:
    return day.month in (11, 12, 1, 2, 3)


def volume(day: date, week_index: int) -> float:
    """Relative weekly volume: seasonal base times the 3-up-1-down block pattern."""
    season = {11: 0.8, 12: 0.8, 1: 0.85, 2: 0.95, 3: 1.0, 4: 1.05}.get(day.month, 1.1)
    if day.month in (9, 10):
        season = 0.9
    block = (1.0, 1.08, 1.15, 0.65)[week_index % 4]
    return season * block


def _bike_interval(day: date, week_index: int, slot: int, rng: random.Random) -> Session:
    workout = _BIKE_ROTATION[(week_index * 2 + slot) % len(_BIKE_ROTATION)]
    if is_winter(day) or rng.random() < 0.4:
        return Session("VirtualRide", "intervals", 0, 6.5, workout, f"Zwift - {workout}")
    return Session("Ride", "intervals", 0, 17.5, workout, f"{workout} in Maridalen")


def plan_day(rng: random.Random, day: date, week_index: int, *, injured: bool) -> list[Session]:
    """Sessions planned for ``day`` (before skips). Runs are swapped out while injured."""
    wd = day.weekday()
    winter = is_winter(day)
    vol = volume(day, week_index)
    recovery = week_index % 4 == 3
    out: list[Session] = []
    r = rng.random()
    if wd == 0:
        if r < (0.6 if winter else 0.35):
            out.append(
                Session(
                    "WeightTraining",
                    "strength",
                    rng.randint(40, 55) * 60,
                    18.0,
                    name="Strength - legs and core",
                )
            )
        elif r < 0.75:
            out.append(Session("Yoga", "yoga", rng.randint(30, 50) * 60, 19.5, name="Yoga flow"))
    elif wd == 1:
        if recovery:
            out.append(
                Session(
                    "VirtualRide",
                    "endurance",
                    int(3600 * vol),
                    6.5,
                    name="Zwift - Endurance in Watopia",
                )
            )
        else:
            out.append(_bike_interval(day, week_index, 0, rng))
    elif wd == 2:
        if not recovery and week_index % 2 == 0:
            wk = _RUN_ROTATION[(week_index // 2) % 2]
            out.append(Session("Run", "intervals", 0, 17.5, wk, f"Run - {wk}"))
        else:
            out.append(
                Session(
                    "Run",
                    "easy",
                    int(rng.randint(40, 60) * 60 * vol),
                    7.0,
                    name=rng.choice(_RUN_NAMES),
                )
            )
        if rng.random() < 0.3:
            out.append(
                Session(
                    "Swim", "swim", rng.randint(40, 55) * 60, 19.0, name="Pool swim at Tøyenbadet"
                )
            )
    elif wd == 3:
        if recovery:
            out.append(
                Session(
                    "VirtualRide", "endurance", int(3600 * vol), 6.5, name="Zwift - Recovery spin"
                )
            )
        elif winter or rng.random() < 0.5:
            out.append(_bike_interval(day, week_index, 1, rng))
        else:
            out.append(
                Session(
                    "Ride",
                    "endurance",
                    int(rng.randint(80, 110) * 60 * vol),
                    17.0,
                    name=rng.choice(_OUTDOOR_RIDE_NAMES),
                )
            )
        if winter and rng.random() < 0.4:
            out.append(
                Session(
                    "WeightTraining",
                    "strength",
                    rng.randint(35, 50) * 60,
                    19.0,
                    name="Strength - upper body",
                )
            )
    elif wd == 4:
        if r < 0.45:
            out.append(
                Session(
                    "Swim", "swim", rng.randint(40, 55) * 60, 7.0, name="Pool swim at Tøyenbadet"
                )
            )
        elif winter and r < 0.75:
            out.append(
                Session("Rowing", "row", rng.randint(30, 45) * 60, 18.0, name="Erg - steady 2x15")
            )
    elif wd == 5:
        dur = int(rng.uniform(2.5, 4.5) * 3600 * vol)
        if winter:
            out.append(
                Session(
                    "VirtualRide",
                    "long",
                    int(dur * 0.6),
                    9.0,
                    name="Zwift - Long endurance in Watopia",
                )
            )
        else:
            kind = rng.random()
            if kind < 0.2:
                out.append(Session("GravelRide", "long", dur, 9.0, name="Gravel in Østmarka"))
            elif kind < 0.28:
                out.append(
                    Session(
                        "MountainBikeRide",
                        "long",
                        int(dur * 0.6),
                        9.5,
                        name="MTB singletrack at Lillomarka",
                    )
                )
            else:
                out.append(Session("Ride", "long", dur, 9.0, name=rng.choice(_OUTDOOR_RIDE_NAMES)))
    else:
        trail = not winter and rng.random() < 0.4
        out.append(
            Session(
                "TrailRun" if trail else "Run",
                "long",
                int(rng.randint(60, 100) * 60 * vol),
                9.5,
                name="Trail run in Nordmarka" if trail else "Long run to Sognsvann",
            )
        )
        if rng.random() < 0.35:
            hike = not winter and rng.random() < 0.5
            out.append(
                Session(
                    "Hike" if hike else "Walk",
                    "walk",
                    rng.randint(45, 150 if hike else 75) * 60,
                    15.0,
                    name="Hike to Kolsåstoppen" if hike else "Walk with the dog",
                )
            )
    if injured:
        out = [
            Session(
                "VirtualRide",
                "endurance",
                s.duration or 3600,
                s.hour,
                name="Zwift - easy spin (no running)",
            )
            if s.type in ("Run", "TrailRun")
            else s
            for s in out
        ]
    return out
