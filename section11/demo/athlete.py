"""A deterministic synthetic athlete, held as raw Intervals.icu API payloads.

``generate_demo_athlete(today)`` builds three years of multi-sport training, wellness and
a calendar around ``today``. Everything is derived from ``random.Random(seed)`` and the
date arguments, never from the clock, so the same inputs give byte-identical payloads.

Edge cases the mirror must survive are placed at fixed offsets from ``today`` (see
``_EDGE_CASES`` below and the tests in ``tests/test_demo_athlete.py``).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from section11.demo._activities import (
    RIDE_HR_ZONES,
    RIDE_LTHR,
    RUN_HR_ZONES,
    RUN_LTHR,
    RUN_THRESHOLD_SPEED,
    W_PRIME,
    Session,
    build_activity,
    ftp_at,
)
from section11.demo._alphahrv import (
    add_alphahrv,
    demo_messages,
    remove_weather_of_one_walk,
)
from section11.demo._calendar import ATTACHMENT_HOST_PLACEHOLDER, fixed_events, workout_event
from section11.demo._plan import plan_day
from section11.demo._wellness import build_wellness
from section11.demo.streams import build_streams
from section11.demo.workouts import intervals_dto

JSON = dict[str, Any]

DEMO_ATHLETE_ID = "i424242"
DEMO_API_KEY = "demo-key-0123456789abcdef"
DEMO_TIMEZONE = "Europe/Oslo"

_CANARY_API_KEY = "CANARY-API-KEY-do-not-leak"
_CANARY_EMAIL = "canary-email@example.invalid"
_CANARY_INVITE = "CANARY-INVITE-TOKEN"
#: Strings that must never appear in any output file, log line or error message.
SECRET_CANARIES: tuple[str, ...] = (_CANARY_API_KEY, _CANARY_EMAIL, _CANARY_INVITE, DEMO_API_KEY)

STRAVA_NOTE = "STRAVA activities are not available via the API"
#: Activity types planned as WORKOUT events on the calendar.
_PLANNED_TYPES = frozenset({"Ride", "VirtualRide", "GravelRide", "Run", "TrailRun"})

__all__ = [
    "ATTACHMENT_HOST_PLACEHOLDER",
    "DEMO_API_KEY",
    "DEMO_ATHLETE_ID",
    "DEMO_TIMEZONE",
    "SECRET_CANARIES",
    "STRAVA_NOTE",
    "DemoAthlete",
    "generate_demo_athlete",
]


@dataclass
class DemoAthlete:
    """Raw API payloads of one athlete; plain lists/dicts so tests can edit them."""

    athlete_id: str
    api_key: str
    today: date
    timezone: str
    seed: int
    athlete: JSON
    activities: list[JSON]
    wellness: list[JSON]
    events: list[JSON]
    intervals: dict[str, JSON]
    attachments: dict[str, bytes]
    messages: dict[str, list[JSON]] = field(default_factory=dict)
    _stream_cache: dict[tuple[Any, ...], list[JSON]] = field(
        default_factory=dict, repr=False, compare=False
    )

    # -- lookups ---------------------------------------------------------------------

    def activity(self, activity_id: str) -> JSON:
        """The activity payload with this id; KeyError when there is none."""
        for act in self.activities:
            if act.get("id") == activity_id:
                return act
        raise KeyError(activity_id)

    def event(self, event_id: int) -> JSON:
        for ev in self.events:
            if ev.get("id") == event_id:
                return ev
        raise KeyError(event_id)

    def sport_settings(self, activity_type: str) -> JSON | None:
        """The sportSettings entry whose ``types`` include ``activity_type``."""
        for entry in self.athlete.get("sportSettings") or []:
            if activity_type in (entry.get("types") or []):
                return dict(entry)
        return None

    def streams_for(self, activity_id: str, types: Sequence[str] | None = None) -> list[JSON]:
        """Streams of an activity (all it has when ``types`` is None), built on demand."""
        act = self.activity(activity_id)
        dto = self.intervals.get(activity_id)
        key = (
            activity_id,
            act.get("moving_time"),
            act.get("average_speed"),
            act.get("icu_average_watts"),
            tuple(act.get("stream_types") or ()),
            id(dto),
        )
        if key not in self._stream_cache:
            self._stream_cache[key] = build_streams(act, dto, None, seed=self.seed)
        streams = self._stream_cache[key]
        if types is None:
            return streams
        return [s for s in streams if s["type"] in types]

    # -- mutation helpers for tests ------------------------------------------------------

    def add_activity(self, activity: JSON) -> None:
        self.activities.append(activity)

    def remove_activity(self, activity_id: str) -> None:
        self.activities.remove(self.activity(activity_id))
        self.intervals.pop(activity_id, None)

    def update_activity(self, activity_id: str, **fields: Any) -> JSON:
        act = self.activity(activity_id)
        act.update(fields)
        return act

    def set_intervals(self, activity_id: str, dto: JSON | None) -> None:
        """Set (or with None remove) the IntervalsDTO served for an activity."""
        if dto is None:
            self.intervals.pop(activity_id, None)
        else:
            self.intervals[activity_id] = dto

    def set_ftp(self, outdoor: int | None = None, indoor: int | None = None) -> None:
        """Change the cycling FTP in the athlete's sport settings."""
        for entry in self.athlete.get("sportSettings") or []:
            if "Ride" in (entry.get("types") or []):
                if outdoor is not None:
                    entry["ftp"] = outdoor
                if indoor is not None:
                    entry["indoor_ftp"] = indoor


def _sport_settings() -> list[JSON]:
    return [
        {
            "id": 101,
            "athlete_id": DEMO_ATHLETE_ID,
            "types": ["Ride", "VirtualRide", "GravelRide", "MountainBikeRide"],
            "ftp": 265,
            "indoor_ftp": 255,
            "w_prime": W_PRIME,
            "p_max": 980,
            "lthr": RIDE_LTHR,
            "max_hr": RIDE_HR_ZONES[-1],
            "hr_zones": RIDE_HR_ZONES,
            "hr_zone_names": [
                "Recovery",
                "Aerobic",
                "Tempo",
                "SubThreshold",
                "SuperThreshold",
                "Aerobic Capacity",
                "Anaerobic",
            ],
            "power_zones": [55, 75, 90, 105, 120, 150, 999],
            "power_zone_names": [
                "Active Recovery",
                "Endurance",
                "Tempo",
                "Threshold",
                "VO2 Max",
                "Anaerobic",
                "Neuromuscular",
            ],
            "sweet_spot_min": 84,
            "sweet_spot_max": 97,
            "threshold_pace": None,
            "pace_units": None,
            "load_order": "POWER_HR_PACE",
            "hr_load_type": "HRSS",
            "warmup_time": 900,
            "cooldown_time": 600,
        },
        {
            "id": 102,
            "athlete_id": DEMO_ATHLETE_ID,
            "types": ["Run", "TrailRun", "VirtualRun"],
            "ftp": None,
            "indoor_ftp": None,
            "lthr": RUN_LTHR,
            "max_hr": RUN_HR_ZONES[-1],
            "hr_zones": RUN_HR_ZONES,
            "threshold_pace": RUN_THRESHOLD_SPEED,
            "pace_units": "MINS_KM",
            "pace_zones": [77.5, 87.7, 94.3, 100.0, 103.4, 111.5, 999.0],
            "load_order": "PACE_HR_POWER",
            "pace_load_type": "RUN",
        },
        {
            "id": 103,
            "athlete_id": DEMO_ATHLETE_ID,
            "types": ["Swim", "OpenWaterSwim"],
            "ftp": None,
            "lthr": 160,
            "max_hr": 182,
            "threshold_pace": 0.87,
            "pace_units": "SECS_100M",
            "pace_load_type": "SWIM",
        },
        {
            "id": 104,
            "athlete_id": DEMO_ATHLETE_ID,
            "types": ["Rowing", "VirtualRow"],
            "ftp": 230,
            "indoor_ftp": 230,
            "lthr": 165,
            "max_hr": 186,
            "threshold_pace": 4.3,
            "pace_units": "SECS_500M",
        },
    ]


def _athlete_payload() -> JSON:
    return {
        "id": DEMO_ATHLETE_ID,
        "name": "Ingrid Haugen",
        "firstname": "Ingrid",
        "lastname": "Haugen",
        "sex": "F",
        "city": "Oslo",
        "state": "Oslo",
        "country": "Norway",
        "timezone": DEMO_TIMEZONE,
        "locale": "en",
        "measurement_preference": "meters",
        "fahrenheit": False,
        "wind_speed": "KPH",
        "rain": "MM",
        "weight_pref_lb": False,
        "height": 1.72,
        "height_units": "CM",
        "icu_date_of_birth": "1988-04-17",
        "icu_activated": "2019-03-02T18:22:10.000+00:00",
        "weight": 64.5,
        "icu_weight": 64.5,
        "icu_resting_hr": 47,
        # Not in the published schema, but the athlete's free-text notes come back too.
        "icu_notes": "Prefers morning sessions. Knee niggle on long descents.",
        "plan": "PREMIUM",
        "icu_wellness_keys": ["weight", "restingHR", "hrv", "sleepSecs", "sleepScore"],
        "bio": None,
        "website": None,
        "custom_items": [],
        "sportSettings": _sport_settings(),
        # Secrets and third-party identifiers: must never be mirrored.
        "icu_api_key": _CANARY_API_KEY,
        "email": _CANARY_EMAIL,
        "icu_friend_invite_token": _CANARY_INVITE,
        "strava_id": 98765432,
        "strava_authorized": True,
        "zwift_user_id": "zw-5551234",
        "wahoo_user_id": "wh-7778899",
        "coros_user_id": "co-3141592",
        "oura_scope": "daily heartrate personal",
    }


def _days(today: date, start: int, end: int) -> set[date]:
    """Days ``today+start`` .. ``today+end-1`` (end exclusive, like event end dates)."""
    return {today + timedelta(days=n) for n in range(start, end)}


def generate_demo_athlete(today: date, *, years: int = 3, seed: int = 11) -> DemoAthlete:
    """Build the demo athlete as of ``today`` (the athlete's local date)."""
    rng = random.Random(seed)
    tz = ZoneInfo(DEMO_TIMEZONE)
    start = today - timedelta(days=365 * years + 7)

    def d(n: int) -> date:
        return today + timedelta(days=n)

    # Days without any activity: the two SICK markers and an early summer break.
    no_activity = _days(today, -40, -36) | _days(today, -130, -124) | _days(today, -560, -551)
    injured = _days(today, -12, -4)
    # Days whose plan is fixed so the edge cases always exist.
    forced: dict[date, list[Session]] = {
        d(0): [Session("VirtualRide", "intervals", 0, 6.5, "Sweet spot 3x15",
                       "Zwift - Sweet spot 3x15")],
        d(-1): [Session("Run", "easy", 2700, 7.0, name="Easy run along Akerselva")],
        d(-5): [Session("VirtualRide", "endurance", 5400, 7.0, name="Zwift - Endurance in Watopia"),
                Session("WeightTraining", "strength", 2700, 18.0, name="Strength - legs and core")],
        d(-6): [Session("Ride", "long", 7200, 10.0, name="Morning ride to Holmenkollen")],
    }  # fmt: skip
    # Calendar days already taken by races, the holiday and the route workout.
    no_planned_workout = {d(21), d(35), d(70), d(6)} | _days(today, 25, 29)
    window = (d(-14), d(42))

    activities: list[JSON] = []
    intervals: dict[str, JSON] = {}
    events: list[JSON] = []
    event_id = 71_000_001
    act_num = 20_100_000
    day = start
    while day <= window[1]:
        week_index = (day - start).days // 7
        plan = forced.get(day) or plan_day(rng, day, week_index, injured=day in injured)
        for sess in plan:
            ev: JSON | None = None
            if (
                window[0] <= day
                and sess.type in _PLANNED_TYPES
                and day not in no_planned_workout
                and day not in no_activity
            ):
                ev = workout_event(event_id, DEMO_ATHLETE_ID, day, sess)
                event_id += 1
                events.append(ev)
            if day > today or day in no_activity:
                continue
            if day not in forced and rng.random() < 0.1:
                continue  # a planned session that did not happen
            act_num += rng.randint(7, 300)
            ftp_out = ftp_at(day, start, today)
            act, segments = build_activity(
                rng,
                sess,
                day,
                activity_id=f"i{act_num}",
                athlete_id=DEMO_ATHLETE_ID,
                ftp_outdoor=ftp_out,
                tz=tz,
                weight=64.5,
            )
            if ev is not None:
                act["paired_event_id"] = ev["id"]
            if segments and (today - day).days <= 42:
                bike = sess.type not in ("Run", "TrailRun")
                intervals[act["id"]] = intervals_dto(
                    act["id"],
                    segments,
                    rng=rng,
                    analyzed=act["analyzed"],
                    ftp=act["icu_ftp"] if bike else None,
                    lthr=RIDE_LTHR if bike else RUN_LTHR,
                    hr_zones=RIDE_HR_ZONES if bike else RUN_HR_ZONES,
                    w_prime=W_PRIME,
                    speed_at_threshold=8.6 if bike else RUN_THRESHOLD_SPEED,
                )
            activities.append(act)
        day += timedelta(days=1)

    act_num = _add_edge_case_activities(activities, today, tz, act_num)
    _add_heart_rate_recovery(activities, seed)
    add_alphahrv(activities, today, seed)
    remove_weather_of_one_walk(activities, today)
    fixed, files = fixed_events(rng, first_id=event_id, athlete_id=DEMO_ATHLETE_ID, today=today)
    events.extend(fixed)
    events.sort(key=lambda e: (e["start_date_local"], e["id"]))
    activities.sort(key=lambda a: (a["start_date_local"], a["id"]))

    daily_load: dict[date, float] = {}
    for act in activities:
        load = act.get("icu_training_load")
        if load is not None:
            key = date.fromisoformat(act["start_date_local"][:10])
            daily_load[key] = daily_load.get(key, 0.0) + float(load)
    recent = d(-28)
    missing = {d(-3)} | _days(today, -60, -56)
    sdnn_only = {d(-20), d(-11)}
    probe = start
    while probe < recent:
        r = rng.random()
        if r < 0.03:
            missing.add(probe)
        elif r < 0.11:
            sdnn_only.add(probe)
        probe += timedelta(days=1)
    wellness = build_wellness(
        rng,
        start=start,
        today=today,
        daily_load=daily_load,
        missing=missing,
        sdnn_only=sdnn_only,
        sick=_days(today, -40, -36) | _days(today, -130, -124),
        ftp_on=lambda day_: ftp_at(day_, start, today),
    )
    _weigh_in_daily(wellness, d(-27))
    return DemoAthlete(
        athlete_id=DEMO_ATHLETE_ID,
        api_key=DEMO_API_KEY,
        today=today,
        timezone=DEMO_TIMEZONE,
        seed=seed,
        athlete=_athlete_payload(),
        activities=activities,
        wellness=wellness,
        events=events,
        intervals=intervals,
        attachments=files,
        messages=demo_messages(activities, today, seed),
    )


def _on(activities: list[JSON], day: date) -> list[JSON]:
    prefix = day.isoformat()
    return [a for a in activities if a["start_date_local"].startswith(prefix)]


def _add_edge_case_activities(
    activities: list[JSON], today: date, tz: ZoneInfo, act_num: int
) -> int:
    """Strava stubs, a manual entry with nulls, a genuine 0 and an unknown field."""

    def d(n: int) -> date:
        return today + timedelta(days=n)

    for offset, clock in ((-3, "12:10:00"), (-16, "17:45:00")):
        act_num += 11
        activities.append(
            {
                "id": f"i{act_num}",
                "icu_athlete_id": DEMO_ATHLETE_ID,
                "start_date_local": f"{d(offset).isoformat()}T{clock}",
                "source": "STRAVA",
                "_note": STRAVA_NOTE,
            }
        )
    act_num += 11
    activities.append(
        {
            "id": f"i{act_num}",
            "icu_athlete_id": DEMO_ATHLETE_ID,
            "start_date_local": f"{d(-20).isoformat()}T19:00:00",
            "start_date": f"{d(-20).isoformat()}T18:00:00Z",
            "timezone": tz.key,
            "type": "Ride",
            "name": "Spin class (manual entry)",
            "description": "NOTE: gym bike, no data recorded",
            "source": "MANUAL",
            "trainer": True,
            "moving_time": None,
            "elapsed_time": 3600,
            "distance": None,
            "icu_training_load": None,
            "average_heartrate": None,
            "icu_average_watts": None,
            "icu_intensity": None,
            "feel": 3,
            "icu_rpe": 6,
            "stream_types": [],
            "paired_event_id": None,
        }
    )
    # Genuine zero: the long outdoor ride six days ago had no HR drift at all.
    for act in _on(activities, d(-6)):
        if act.get("type") == "Ride":
            act["decoupling"] = 0.0
    # A field this client has never heard of.
    for act in _on(activities, d(-5)):
        if act.get("type") == "WeightTraining":
            act["icu_unreleased_metric"] = {"value": 7.5, "units": "au"}
    # GPS without a barometer: latlng but no altitude stream.
    for act in _on(activities, d(-1)):
        if act.get("type") == "Run":
            act["stream_types"] = [t for t in act["stream_types"] if t != "altitude"]
            act["total_elevation_gain"] = None
    return act_num


def _add_heart_rate_recovery(activities: list[JSON], seed: int) -> None:
    """``icu_hrr`` on the bike and run sessions whose HR went above threshold.

    Uses its own random stream, so the rest of the demo athlete stays as it was.
    """
    rng = random.Random(seed * 1009 + 7)
    for act in activities:
        lthr = {"Ride": RIDE_LTHR, "VirtualRide": RIDE_LTHR, "GravelRide": RIDE_LTHR}.get(
            str(act.get("type")), RUN_LTHR if act.get("type") in ("Run", "TrailRun") else None
        )
        peak = act.get("max_heartrate")
        if lthr is None or not isinstance(peak, int | float) or peak < lthr:
            continue
        drop = rng.randint(22, 42)
        act["icu_hrr"] = {"start_bpm": round(peak), "end_bpm": round(peak) - drop, "hrr": drop}


def _weigh_in_daily(wellness: list[JSON], since: date) -> None:
    """The athlete steps on the scale every morning of the last 28 days: a record from
    ``since`` on that lacks a weight gets the mean of its neighbours' weights (no random
    draw, so the rest of the demo athlete stays as it was)."""
    recent = [w for w in wellness if str(w.get("id")) >= since.isoformat()]
    known = [(i, w["weight"]) for i, w in enumerate(recent) if w.get("weight") is not None]
    if not known:
        return
    for i, record in enumerate(recent):
        if record.get("weight") is not None:
            continue
        before = [v for j, v in known if j < i]
        after = [v for j, v in known if j > i]
        neighbours = [before[-1]] if before else []
        neighbours += [after[0]] if after else []
        record["weight"] = round(sum(neighbours) / len(neighbours), 1)
