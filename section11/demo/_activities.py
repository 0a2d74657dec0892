"""Activity payloads of the demo athlete, shaped like ``GET /athlete/{id}/activities``."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from section11.demo.workouts import (
    BIKE_WORKOUTS,
    RUN_WORKOUTS,
    Segment,
    flatten,
    mean_pct,
    normalized_pct,
    sweet_spot_secs,
    zone_secs_from_segments,
)

JSON = dict[str, Any]

BIKE_TYPES = frozenset({"Ride", "VirtualRide", "GravelRide", "MountainBikeRide"})
OUTDOOR_TYPES = frozenset(
    {"Ride", "GravelRide", "MountainBikeRide", "Run", "TrailRun", "Walk", "Hike"}
)

# Threshold references (the athlete's sport settings; see athlete._sport_settings).
RIDE_LTHR = 168
RIDE_HR_ZONES = [138, 151, 160, 168, 173, 178, 188]
RUN_LTHR = 172
RUN_HR_ZONES = [145, 158, 166, 172, 177, 182, 192]
RUN_THRESHOLD_SPEED = 4.0  # m/s, 4:10 min/km
ROW_FTP = 230
W_PRIME = 20500

_OUTDOOR_RIDE_NAMES = (
    "Morning ride to Holmenkollen",
    "Nordmarka loop",
    "Maridalen laps",
    "Tryvann climbs",
    "Bygdøy coffee spin",
    "Ride around Bogstadvannet",
)
_RUN_NAMES = ("Easy run along Akerselva", "Sognsvann loop", "Frognerparken run")
_NOTE_LINES = (
    "NOTE: left knee a bit sore on the climbs",
    "NOTE: slept 5 h, legs heavy",
    "NOTE: new saddle height (+3 mm)",
    "NOTE: fuelled 80 g carbs/h, no issues",
)
_PLAIN_DESCRIPTIONS = (
    "Felt good today.",
    "Windy, stayed in the valley.",
    "Legs came around after 30 minutes.",
    "Tough one, but done.",
)


@dataclass(frozen=True)
class Session:
    """One planned session: what the athlete intends to do on a day."""

    type: str
    kind: str  # intervals | endurance | long | easy | strength | yoga | walk | swim | row
    duration: int  # seconds (ignored for structured sessions: the workout decides)
    hour: float  # local start, hours after midnight
    workout: str | None = None  # key into BIKE_WORKOUTS / RUN_WORKOUTS
    name: str | None = None

    @property
    def indoor(self) -> bool:
        return self.type in ("VirtualRide", "Rowing", "WeightTraining", "Yoga", "Swim")

    def steps(self) -> list[JSON] | None:
        if self.workout is None:
            return None
        lib = RUN_WORKOUTS if self.type in ("Run", "TrailRun") else BIKE_WORKOUTS
        return lib[self.workout]


def ftp_at(day: date, start: date, today: date) -> int:
    """Outdoor FTP in force on ``day``: stepwise from 240 W to 265 W, last step 30 d ago."""
    steps = (240, 244, 248, 250, 246, 250, 254, 257, 255, 258, 261, 265)
    last_change = today - timedelta(days=30)
    if day >= last_change:
        return steps[-1]
    span = max((last_change - start).days, 1)
    idx = int((day - start).days / span * (len(steps) - 1))
    return steps[min(max(idx, 0), len(steps) - 2)]


def _utc(local: datetime, tz: ZoneInfo) -> datetime:
    return local.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _iso_z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _spread(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    out = [int(total * w / s) for w in weights]
    out[max(range(len(out)), key=lambda i: weights[i])] += total - sum(out)
    return out


def _hr_zone_times(rng: random.Random, secs: int, avg_hr: int, zones: list[int]) -> list[int]:
    # Mass centred on the zone of the average HR, spilling into its neighbours.
    centre = next((i for i, up in enumerate(zones) if avg_hr <= up), len(zones) - 1)
    weights = [math.exp(-abs(i - centre) * 1.4) * rng.uniform(0.8, 1.2) for i in range(len(zones))]
    return _spread(secs, weights)


def _weather(rng: random.Random, day: date) -> JSON:
    doy = day.timetuple().tm_yday
    temp = 6 + 11 * math.sin(2 * math.pi * (doy - 110) / 365) + rng.uniform(-3, 3)
    wind = rng.uniform(1.0, 7.5)
    head = rng.randint(10, 50)
    return {
        "has_weather": True,
        "average_weather_temp": round(temp, 1),
        "min_weather_temp": round(temp - rng.uniform(0.5, 3), 1),
        "max_weather_temp": round(temp + rng.uniform(0.5, 3), 1),
        "average_feels_like": round(temp - 0.4 * wind, 1),
        "min_feels_like": round(temp - 0.4 * wind - rng.uniform(0.5, 2), 1),
        "max_feels_like": round(temp - 0.4 * wind + rng.uniform(0.5, 2), 1),
        "average_wind_speed": round(wind, 1),
        "average_wind_gust": round(wind * rng.uniform(1.3, 1.9), 1),
        "prevailing_wind_deg": rng.randint(0, 359),
        "headwind_percent": float(head),
        "tailwind_percent": float(rng.randint(10, 90 - head)),
        "average_clouds": rng.randint(0, 100),
        "max_rain": round(rng.choice((0.0, 0.0, 0.0, rng.uniform(0.1, 4))), 1),
        "max_snow": round(rng.uniform(0.1, 2), 1) if temp < 0 and rng.random() < 0.3 else 0.0,
    }


def _description(rng: random.Random) -> str | None:
    r = rng.random()
    if r < 0.12:
        return rng.choice(_NOTE_LINES) + "\n" + rng.choice(_PLAIN_DESCRIPTIONS)
    if r < 0.35:
        return rng.choice(_PLAIN_DESCRIPTIONS)
    return None


def _stream_types(type_: str, *, has_power: bool, has_hr: bool) -> list[str]:
    types = ["time"]
    if type_ in ("WeightTraining", "Yoga"):
        return types + (["heartrate"] if has_hr else [])
    types += ["distance", "velocity_smooth"]
    if has_hr:
        types.append("heartrate")
    if type_ != "Swim":
        types.append("cadence")
    if has_power:
        types.append("watts")
    if type_ in OUTDOOR_TYPES:
        types += ["altitude", "latlng"]
    return types


def build_activity(
    rng: random.Random,
    sess: Session,
    day: date,
    *,
    activity_id: str,
    athlete_id: str,
    ftp_outdoor: int,
    tz: ZoneInfo,
    weight: float,
) -> tuple[JSON, list[Segment] | None]:
    """One activity payload plus the executed segments when it was a structured workout."""
    t = sess.type
    steps = sess.steps()
    segments = flatten(steps) if steps is not None else None
    moving = sum(s.duration for s in segments) if segments else sess.duration
    if segments is None:
        moving += rng.randint(0, 90)  # free sessions do not end on the minute
    if t not in ("Swim",):
        elapsed = moving + (rng.randint(60, 900) if t in OUTDOOR_TYPES else rng.randint(0, 40))
    else:
        elapsed = moving + rng.randint(300, 700)
    hh = int(sess.hour)
    mm = int((sess.hour - hh) * 60) + rng.randint(0, 14)
    local = datetime(day.year, day.month, day.day, hh, mm, rng.randint(0, 59))
    end_utc = _utc(local, tz) + timedelta(seconds=elapsed)
    a: JSON = {
        "id": activity_id,
        "icu_athlete_id": athlete_id,
        "start_date_local": local.strftime("%Y-%m-%dT%H:%M:%S"),
        "start_date": _iso_z(_utc(local, tz)),
        "timezone": tz.key,
        "type": t,
        "sub_type": "NONE",
        "name": sess.name,
        "description": _description(rng),
        "moving_time": moving,
        "elapsed_time": elapsed,
        "icu_recording_time": elapsed,
        "trainer": sess.indoor,
        "commute": False,
        "race": False,
        "icu_weight": round(weight, 1),
        "icu_resting_hr": 47,
        "feel": rng.randint(1, 5) if rng.random() < 0.7 else None,
        "icu_rpe": None,
        "icu_sync_date": _iso_z(end_utc + timedelta(minutes=6)),
        "analyzed": _iso_z(end_utc + timedelta(minutes=8)),
        "icu_intervals_edited": False,
        "interval_summary": None,
        "paired_event_id": None,
        "decoupling": None,
        "icu_efficiency_factor": None,
        "icu_variability_index": None,
        "icu_zone_times": None,
    }
    has_power = t in BIKE_TYPES or t == "Rowing"
    has_hr = not (t == "Swim" and rng.random() < 0.5)
    if t in BIKE_TYPES:
        _fill_bike(rng, a, sess, segments, ftp_outdoor, moving)
    elif t in ("Run", "TrailRun"):
        _fill_run(rng, a, sess, segments, moving)
    else:
        _fill_other(rng, a, sess, moving, has_hr)
    if not has_hr:
        a["average_heartrate"] = None
        a["max_heartrate"] = None
        a["icu_hr_zone_times"] = None
    if t in OUTDOOR_TYPES:
        a.update(_weather(rng, day))
    else:
        a["has_weather"] = False
    a["icu_rpe"] = min(10, max(1, round((a["icu_intensity"] or 60) / 10 - 1 + rng.uniform(-1, 1))))
    if rng.random() < 0.25:
        a["icu_rpe"] = None
    a["stream_types"] = _stream_types(t, has_power=has_power, has_hr=has_hr)
    return a, segments


def _source_for(t: str) -> tuple[str, str]:
    if t == "VirtualRide":
        return "ZWIFT", "Zwift"
    if t == "Rowing":
        return "CONCEPT2", "PM5"
    if t in BIKE_TYPES:
        return "GARMIN_CONNECT", "Garmin Edge 840"
    return "GARMIN_CONNECT", "Garmin Forerunner 965"


def _fill_bike(
    rng: random.Random,
    a: JSON,
    sess: Session,
    segments: list[Segment] | None,
    ftp_outdoor: int,
    moving: int,
) -> None:
    t = sess.type
    indoor = t == "VirtualRide"
    ftp = ftp_outdoor - 10 if indoor else ftp_outdoor
    if segments:
        if_ = normalized_pct(segments) / 100 * rng.uniform(0.98, 1.01)
        vi = normalized_pct(segments) / max(mean_pct(segments), 1) * rng.uniform(1.0, 1.02)
        zone_secs = zone_secs_from_segments(segments)
        ss = sweet_spot_secs(segments)
    else:
        base = {"long": (0.68, 0.77), "endurance": (0.64, 0.72)}.get(sess.kind, (0.65, 0.72))
        if_ = rng.uniform(*base)
        vi = rng.uniform(1.01, 1.04) if indoor else rng.uniform(1.04, 1.12)
        weights = [0.22, 0.5, 0.16, 0.07, 0.03, 0.015, 0.005]
        zone_secs = _spread(moving, [w * rng.uniform(0.8, 1.2) for w in weights])
        ss = int((zone_secs[2] + zone_secs[3]) * rng.uniform(0.3, 0.5))
    np_ = round(ftp * if_)
    avg = round(np_ / vi)
    speed = {"GravelRide": 6.6, "MountainBikeRide": 5.2, "VirtualRide": 8.6}.get(t, 7.6)
    speed *= rng.uniform(0.92, 1.06) * (if_ / 0.7) ** 0.5
    distance = speed * moving
    climb = {"MountainBikeRide": 22, "GravelRide": 12, "VirtualRide": 5}.get(t, 10)
    avg_hr = min(round(RIDE_LTHR * (0.62 + 0.3 * if_)) + rng.randint(-3, 3), 178)
    source, device = _source_for(t)
    a.update(
        source=source,
        device_name=device,
        distance=round(distance, 1),
        icu_distance=round(distance, 1),
        total_elevation_gain=round(distance / 1000 * climb * rng.uniform(0.7, 1.3), 1),
        average_speed=round(speed, 3),
        max_speed=round(speed * rng.uniform(1.6, 2.2), 3),
        icu_ftp=ftp,
        icu_average_watts=avg,
        icu_weighted_avg_watts=np_,
        icu_intensity=round(if_ * 100, 2),
        icu_training_load=round(moving / 3600 * if_**2 * 100),
        icu_joules=avg * moving,
        icu_variability_index=round(np_ / avg, 3),
        icu_efficiency_factor=round(np_ / avg_hr, 3),
        decoupling=round(rng.uniform(2, 8) if sess.kind == "long" else rng.uniform(-1, 4), 2),
        average_heartrate=avg_hr,
        max_heartrate=min(avg_hr + rng.randint(14, 28), 188),
        lthr=RIDE_LTHR,
        average_cadence=round(rng.uniform(84, 93), 1),
        calories=round(avg * moving / 1000 * 1.05),
        icu_zone_times=[{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(zone_secs)]
        + [{"id": "SS", "secs": ss}],
        icu_hr_zone_times=_hr_zone_times(rng, moving, avg_hr, RIDE_HR_ZONES),
        icu_w_prime=W_PRIME,
        p_max=980,
    )
    if segments:
        work = [s for s in segments if s.kind == "work"]
        if work:
            first = work[0]
            a["interval_summary"] = [
                f"{len(work)}x {first.duration // 60}m {round(ftp * first.mean_pct / 100)}w",
            ]


def _fill_run(
    rng: random.Random, a: JSON, sess: Session, segments: list[Segment] | None, moving: int
) -> None:
    trail = sess.type == "TrailRun"
    if segments:
        hr_pct = mean_pct(segments)
        speed = RUN_THRESHOLD_SPEED * (hr_pct / 100) ** 1.6
        work = [s for s in segments if s.kind == "work"]
        a["interval_summary"] = [f"{len(work)}x {work[0].duration}s"] if work else None
    else:
        hr_pct = rng.uniform(78, 84) if sess.kind != "long" else rng.uniform(80, 86)
        speed = rng.uniform(2.9, 3.3) * (0.85 if trail else 1.0)
    avg_hr = round(RUN_LTHR * hr_pct / 100)
    intensity = speed / RUN_THRESHOLD_SPEED * 100 * (1.12 if trail else 1.0)
    distance = speed * moving
    source, device = _source_for(sess.type)
    a.update(
        source=source,
        device_name=device,
        distance=round(distance, 1),
        icu_distance=round(distance, 1),
        total_elevation_gain=round(
            distance / 1000 * (28 if trail else 6) * rng.uniform(0.7, 1.3), 1
        ),
        average_speed=round(speed, 3),
        max_speed=round(speed * rng.uniform(1.3, 1.6), 3),
        pace=round(speed, 3),
        icu_ftp=None,
        icu_average_watts=None,
        icu_weighted_avg_watts=None,
        icu_joules=None,
        icu_intensity=round(intensity, 2),
        icu_training_load=round(moving / 3600 * (intensity / 100) ** 2 * 100),
        icu_efficiency_factor=round(speed * 60 / avg_hr, 3),
        decoupling=round(rng.uniform(-1, 6), 2),
        average_heartrate=avg_hr,
        max_heartrate=min(avg_hr + rng.randint(10, 25), 192),
        lthr=RUN_LTHR,
        threshold_pace=RUN_THRESHOLD_SPEED,
        average_cadence=round(rng.uniform(84, 90), 1),
        calories=round(moving / 60 * 11.5),
        icu_hr_zone_times=_hr_zone_times(rng, moving, avg_hr, RUN_HR_ZONES),
    )


def _fill_other(rng: random.Random, a: JSON, sess: Session, moving: int, has_hr: bool) -> None:
    t = sess.type
    hr_range = {
        "Swim": (128, 142),
        "Rowing": (140, 152),
        "WeightTraining": (102, 118),
        "Yoga": (82, 96),
        "Walk": (98, 110),
        "Hike": (110, 126),
    }[t]
    avg_hr = rng.randint(*hr_range)
    intensity = {
        "Swim": rng.uniform(75, 86),
        "Rowing": rng.uniform(72, 82),
        "WeightTraining": rng.uniform(55, 65),
        "Yoga": rng.uniform(35, 45),
        "Walk": rng.uniform(40, 50),
        "Hike": rng.uniform(50, 60),
    }[t]
    speed = {"Swim": 0.9, "Rowing": 3.9, "Walk": 1.35, "Hike": 1.1}.get(t)
    source, device = _source_for(t)
    a.update(
        source=source,
        device_name=device,
        icu_intensity=round(intensity, 2),
        icu_training_load=round(moving / 3600 * (intensity / 100) ** 2 * 100),
        average_heartrate=avg_hr,
        max_heartrate=avg_hr + rng.randint(12, 30),
        calories=round(moving / 60 * (7 if t != "Yoga" else 3.5)),
        icu_hr_zone_times=_hr_zone_times(
            rng, moving, avg_hr, RUN_HR_ZONES if t in ("Walk", "Hike") else RIDE_HR_ZONES
        ),
    )
    if speed is not None:
        speed *= rng.uniform(0.93, 1.07)
        distance = speed * moving
        a.update(
            distance=round(distance, 1),
            icu_distance=round(distance, 1),
            average_speed=round(speed, 3),
            max_speed=round(speed * rng.uniform(1.2, 1.5), 3),
            total_elevation_gain=round(distance / 1000 * 60 * rng.uniform(0.7, 1.3), 1)
            if t == "Hike"
            else (round(distance / 1000 * 8, 1) if t == "Walk" else None),
        )
    else:
        a.update(distance=None, icu_distance=None, average_speed=None, max_speed=None)
        a["total_elevation_gain"] = None
    if t == "Rowing":
        avg_w = round(ROW_FTP * intensity / 100 * rng.uniform(0.97, 1.0))
        zones = _spread(moving, [0.2, 0.45, 0.25, 0.08, 0.02, 0.0, 0.0])
        a.update(
            icu_average_watts=avg_w,
            icu_weighted_avg_watts=round(avg_w * 1.02),
            icu_ftp=ROW_FTP,
            icu_joules=avg_w * moving,
            average_cadence=round(rng.uniform(20, 26), 1),
            icu_zone_times=[{"id": f"Z{i + 1}", "secs": s} for i, s in enumerate(zones)]
            + [{"id": "SS", "secs": 0}],
        )
    if t == "Swim":
        a["pool_length"] = 25.0
