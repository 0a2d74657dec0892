"""Activity streams (``GET /activity/{id}/streams.json``), generated on demand.

Streams are derived from the activity payload (and its intervals, when it has them) with
a random generator seeded by the activity id, so the same activity always gets the same
streams. Samples are 1 s apart up to two hours; longer activities are sampled every
``ceil(moving_time / 7200)`` seconds to keep payloads small.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from section11.demo._alphahrv import dfa_streams
from section11.demo.routes import hilly_points

JSON = dict[str, Any]

_MAX_SAMPLES = 7200
_VALUE_TYPES = {
    "time": "java.lang.Integer",
    "watts": "java.lang.Integer",
    "heartrate": "java.lang.Integer",
    "cadence": "java.lang.Integer",
    "distance": "java.lang.Float",
    "velocity_smooth": "java.lang.Float",
    "altitude": "java.lang.Float",
    "latlng": "java.lang.Double",
}


def sample_step(moving_time: int) -> int:
    """Seconds between samples for an activity of ``moving_time`` seconds."""
    return max(1, math.ceil(moving_time / _MAX_SAMPLES))


def _stream(type_: str, data: list[Any], data2: list[Any] | None = None) -> JSON:
    obj: JSON = {
        "type": type_,
        "name": None,
        "data": data,
        "valueType": _VALUE_TYPES.get(type_, "java.lang.Float"),
        "valueTypeIsArray": False,
        "anomalies": None,
        "custom": False,
        "allNull": False,
    }
    if data2 is not None:
        obj["data2"] = data2
    return obj


def _targets(
    activity: JSON, dto: JSON | None, key: str, fallback: float | None
) -> list[tuple[int, int, float]]:
    """(start_s, end_s, value) pieces: the intervals when present, else one flat piece."""
    moving = int(activity["moving_time"])
    pieces: list[tuple[int, int, float]] = []
    if dto:
        for iv in dto.get("icu_intervals") or []:
            val = iv.get(key)
            if val is not None:
                pieces.append((int(iv["start_time"]), int(iv["end_time"]), float(val)))
    if not pieces and fallback is not None:
        pieces.append((0, moving, float(fallback)))
    return pieces


def _series(
    rng: random.Random, times: list[int], pieces: list[tuple[int, int, float]], noise: float
) -> list[float]:
    out: list[float] = []
    j = 0
    last = pieces[0][2] if pieces else 0.0
    for t in times:
        while j < len(pieces) - 1 and t >= pieces[j][1]:
            j += 1
        if pieces:
            last = pieces[j][2]
        out.append(last * (1 + rng.uniform(-noise, noise)))
    return out


def build_streams(
    activity: JSON, dto: JSON | None, types: Sequence[str] | None, *, seed: int
) -> list[JSON]:
    """Streams of ``activity`` restricted to ``types`` (None = all it has)."""
    moving = activity.get("moving_time")
    available = activity.get("stream_types") or []
    if not moving or not available:
        return []
    wanted = [t for t in available if types is None or t in types]
    rng = random.Random(f"streams:{seed}:{activity['id']}")
    step = sample_step(int(moving))
    times = list(range(0, int(moving), step))
    n = len(times)
    out: list[JSON] = []
    speed = activity.get("average_speed") or 0.0
    vel = [max(speed * (1 + rng.uniform(-0.15, 0.15)), 0.0) for _ in times]
    dist: list[float] = []
    acc = 0.0
    for v in vel:
        dist.append(round(acc, 1))
        acc += v * step
    track = None
    if "latlng" in wanted or "altitude" in wanted:
        track = hilly_points(
            rng,
            distance_m=max(acc, 10.0),
            n_points=max(n, 2),
            climb_m=max((activity.get("total_elevation_gain") or 120.0) / 2, 20.0),
        )[:n]
    heart: list[int] = []
    for t in wanted:
        if t == "time":
            out.append(_stream("time", times))
        elif t == "distance":
            out.append(_stream("distance", dist))
        elif t == "velocity_smooth":
            out.append(_stream("velocity_smooth", [round(v, 2) for v in vel]))
        elif t == "watts":
            pieces = _targets(activity, dto, "average_watts", activity.get("icu_average_watts"))
            out.append(_stream("watts", [round(x) for x in _series(rng, times, pieces, 0.12)]))
        elif t == "heartrate":
            pieces = _targets(activity, dto, "average_heartrate", activity.get("average_heartrate"))
            raw = _series(rng, times, pieces, 0.01)
            smooth: list[int] = []
            level = raw[0] * 0.8 if raw else 0.0
            for x in raw:
                level += (x - level) * min(1.0, step / 30)  # HR lags effort by ~30 s
                smooth.append(round(level))
            heart = smooth
            out.append(_stream("heartrate", smooth))
        elif t == "cadence":
            pieces = _targets(activity, dto, "average_cadence", activity.get("average_cadence"))
            out.append(_stream("cadence", [round(x) for x in _series(rng, times, pieces, 0.05)]))
        elif t == "altitude" and track is not None:
            out.append(_stream("altitude", [p[2] for p in track]))
        elif t == "latlng" and track is not None:
            out.append(_stream("latlng", [p[0] for p in track], [p[1] for p in track]))
        elif t == "dfa_a1" and heart:
            out.append(_stream("dfa_a1", dfa_streams(activity, heart)[0]))
        elif t == "artifacts" and heart:
            out.append(_stream("artifacts", dfa_streams(activity, heart)[1]))
    return out
