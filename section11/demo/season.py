"""A demo athlete with a designed season: base, a build block, a deload, more build, a
taper and an A race. Syncing it week by week shows the phase detection at work.

Weeks start on Monday. ``SEASON`` lists the kind of every week, the last one being race
week with the RACE_A on its Sunday. Training before the first week is a steady base at
the demo's starting CTL (45), so the base weeks really are flat.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from section11.demo._activities import Session, build_activity
from section11.demo._calendar import _base_event, workout_event
from section11.demo._wellness import build_wellness
from section11.demo.athlete import (
    DEMO_API_KEY,
    DEMO_ATHLETE_ID,
    DEMO_TIMEZONE,
    DemoAthlete,
    _athlete_payload,
)

SEASON: tuple[str, ...] = (
    *("base",) * 8,
    "build",
    "build",
    "build",
    "deload",
    "build",
    "build",
    "taper",
    "race",
)
FTP = 250
RACE_NAME = "Season goal: Gran Fondo"
RACE_SECONDS = 4 * 3600 + 30 * 60


def _endurance(minutes: int, kind: str = "endurance") -> Session:
    return Session("VirtualRide", kind, minutes * 60, 7.0, name=f"Endurance {minutes} min")


def _run(minutes: int) -> Session:
    return Session("Run", "easy", minutes * 60, 7.0, name=f"Easy run {minutes} min")


def _bike(workout: str) -> Session:
    return Session("VirtualRide", "intervals", 0, 17.5, workout, f"Zwift - {workout}")


# Sessions per weekday (0 = Monday) for each kind of week.
_WEEKS: dict[str, dict[int, list[Session]]] = {
    "base": {
        1: [_endurance(75)],
        2: [_run(45)],
        3: [_endurance(75)],
        5: [_endurance(150, "long")],
        6: [_run(60)],
    },
    "build": {
        1: [_bike("VO2max 5x4")],
        2: [_run(50)],
        3: [_bike("Threshold 2x20")],
        4: [_endurance(60)],
        5: [_endurance(210, "long")],
        6: [_bike("Sweet spot 3x15")],
    },
    "deload": {
        1: [_endurance(45)],
        3: [_endurance(45)],
        5: [_endurance(90, "long")],
        6: [_run(40)],
    },
    "taper": {
        1: [_bike("VO2max 5x4")],
        3: [_endurance(60)],
        5: [_endurance(120, "long")],
        6: [_run(40)],
    },
    "race": {
        1: [_endurance(60)],
        3: [_endurance(45)],
        5: [_endurance(30)],
    },
}


def season_start(race_day: date) -> date:
    """Monday of the first season week (the race is on the last week's Sunday)."""
    race_monday = race_day - timedelta(days=race_day.weekday())
    return race_monday - timedelta(weeks=len(SEASON) - 1)


def generate_season_athlete(race_day: date, *, seed: int = 7, lead_weeks: int = 8) -> DemoAthlete:
    """The season athlete; activities exist for every day before ``race_day``.

    A sync run "as of" an earlier day sees only what happened until then (the fake server
    filters by date) and the plan for the days after.
    """
    rng = random.Random(seed)
    tz = ZoneInfo(DEMO_TIMEZONE)
    first = season_start(race_day)
    start = first - timedelta(weeks=lead_weeks)
    activities: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    event_id, act_num = 81_000_001, 30_100_000
    day = start
    while day < race_day:
        week = (day - first).days // 7
        kind = SEASON[week] if week >= 0 else "base"
        for sess in _WEEKS[kind].get(day.weekday(), []):
            ev = None
            if week >= 0:
                ev = workout_event(event_id, DEMO_ATHLETE_ID, day, sess)
                events.append(ev)
                event_id += 1
            act_num += rng.randint(7, 300)
            act, _ = build_activity(
                rng,
                sess,
                day,
                activity_id=f"i{act_num}",
                athlete_id=DEMO_ATHLETE_ID,
                ftp_outdoor=FTP,
                tz=tz,
                weight=64.5,
            )
            if ev is not None:
                act["paired_event_id"] = ev["id"]
            activities.append(act)
        day += timedelta(days=1)
    race = _base_event(event_id, DEMO_ATHLETE_ID, "RACE_A", race_day, race_day + timedelta(days=1))
    race.update(
        name=RACE_NAME,
        type="Ride",
        moving_time=RACE_SECONDS,
        distance=140_000.0,
        icu_training_load=260,
        start_date_local=f"{race_day.isoformat()}T08:00:00",
    )
    events.append(race)
    daily_load: dict[date, float] = {}
    for a in activities:
        load = a.get("icu_training_load")
        if isinstance(load, int | float):
            key = date.fromisoformat(str(a["start_date_local"])[:10])
            daily_load[key] = daily_load.get(key, 0.0) + float(load)
    wellness = build_wellness(
        rng,
        start=start,
        today=race_day,
        daily_load=daily_load,
        missing=(),
        sdnn_only=(),
        sick=(),
        ftp_on=lambda _day: FTP,
    )
    activities.sort(key=lambda a: (str(a["start_date_local"]), str(a["id"])))
    return DemoAthlete(
        athlete_id=DEMO_ATHLETE_ID,
        api_key=DEMO_API_KEY,
        today=race_day,
        timezone=DEMO_TIMEZONE,
        seed=seed,
        athlete=_athlete_payload(),
        activities=activities,
        wellness=wellness,
        events=events,
        intervals={},
        attachments={},
    )
