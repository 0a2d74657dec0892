"""Structured workouts of the demo athlete: Intervals.icu ``workout_doc`` steps, their
flattened segments, and the ``IntervalsDTO`` an analysed activity of that workout gets.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Literal

JSON = dict[str, Any]
SegmentKind = Literal["warmup", "work", "rest", "cooldown"]

#: Upper bounds of the Ride power zones, % of FTP (Z7 open-ended).
POWER_ZONES_PCT = (55, 75, 90, 105, 120, 150, 999)
#: Sweet spot band, % of FTP.
SWEET_SPOT = (84, 97)
# A step at or above this % of FTP / LTHR counts as work when it is not in a repeat block.
_WORK_THRESHOLD_PCT = 85.0


@dataclass(frozen=True)
class Segment:
    """One constant (or ramped) part of a workout, in execution order."""

    kind: SegmentKind
    duration: int
    start_pct: float
    end_pct: float
    group: str | None = None

    @property
    def mean_pct(self) -> float:
        return (self.start_pct + self.end_pct) / 2


def _p(duration: int, pct: float, **extra: Any) -> JSON:
    return {"duration": duration, "power": {"value": pct, "units": "%ftp"}, **extra}


def _ramp(duration: int, start: float, end: float, **extra: Any) -> JSON:
    return {"duration": duration, "power": {"start": start, "end": end, "units": "%ftp"}, **extra}


def _h(duration: int, pct: float, **extra: Any) -> JSON:
    return {"duration": duration, "hr": {"value": pct, "units": "%lthr"}, **extra}


def _bike_library() -> dict[str, list[JSON]]:
    warm = _ramp(900, 50, 75, warmup=True, text="Easy spin, build cadence")
    cool = _ramp(600, 65, 45, cooldown=True)
    return {
        "VO2max 5x4": [
            warm,
            {"reps": 5, "text": "Hard but even", "steps": [_p(240, 118), _p(240, 55)]},
            cool,
        ],
        "Sweet spot 3x15": [
            _ramp(600, 50, 75, warmup=True),
            {"reps": 3, "steps": [_p(900, 90, text="Steady, seated"), _p(300, 55)]},
            cool,
        ],
        "Over-unders 3x(4x2+1)": [
            warm,
            {
                "reps": 3,
                "steps": [
                    {"reps": 4, "steps": [_p(120, 105), _p(60, 88)]},
                    _p(300, 50, text="Set recovery"),
                ],
            },
            cool,
        ],
        "Threshold 2x20": [
            warm,
            {"reps": 2, "steps": [_p(1200, 97), _p(300, 55)]},
            cool,
        ],
    }


def _run_library() -> dict[str, list[JSON]]:
    warm = _h(900, 72, warmup=True, text="Easy jog + 4 strides")
    cool = _h(600, 68, cooldown=True)
    return {
        "6x3min threshold": [
            warm,
            {"reps": 6, "steps": [_h(180, 101), _h(120, 74)]},
            cool,
        ],
        "Hill repeats 2x(5x90s)": [
            warm,
            {
                "reps": 2,
                "steps": [
                    {"reps": 5, "steps": [_h(90, 103, text="Uphill, strong"), _h(90, 70)]},
                    _h(300, 68),
                ],
            },
            cool,
        ],
    }


BIKE_WORKOUTS: dict[str, list[JSON]] = _bike_library()
RUN_WORKOUTS: dict[str, list[JSON]] = _run_library()


def _target(step: JSON) -> tuple[float, float]:
    for key in ("power", "hr", "pace"):
        tgt = step.get(key)
        if isinstance(tgt, dict):
            if "value" in tgt:
                return float(tgt["value"]), float(tgt["value"])
            return float(tgt["start"]), float(tgt["end"])
    return 50.0, 50.0


def flatten(steps: list[JSON], _in_repeat: bool = False, _path: str = "") -> list[Segment]:
    """Expand nested repeats into the executed sequence of segments."""
    out: list[Segment] = []
    for idx, step in enumerate(steps):
        if "reps" in step:
            for _ in range(int(step["reps"])):
                out.extend(flatten(step["steps"], True, f"{_path}{idx}."))
            continue
        start, end = _target(step)
        kind: SegmentKind
        if step.get("warmup"):
            kind = "warmup"
        elif step.get("cooldown"):
            kind = "cooldown"
        elif (start + end) / 2 >= _WORK_THRESHOLD_PCT:
            kind = "work"
        else:
            kind = "rest"
        group = f"g{_path}{idx}" if kind == "work" and _in_repeat else None
        out.append(Segment(kind, int(step["duration"]), start, end, group))
    return out


def total_duration(steps: list[JSON]) -> int:
    return sum(s.duration for s in flatten(steps))


def workout_doc(steps: list[JSON]) -> JSON:
    """The event's ``workout_doc`` (unresolved: no ``_power``/``_hr`` keys)."""
    return {"duration": total_duration(steps), "steps": steps}


def resolve_doc(doc: JSON, *, ftp: int | None, lthr: int | None) -> JSON:
    """Copy of ``doc`` with ``_power``/``_hr`` absolute targets added, as ``resolve=true``."""

    def conv(tgt: JSON, ref: int) -> JSON:
        res: JSON = {}
        for key in ("value", "start", "end"):
            if key in tgt:
                res[key] = round(ref * float(tgt[key]) / 100)
        return res

    def walk(steps: list[JSON]) -> list[JSON]:
        out = []
        for step in steps:
            new = dict(step)
            if "steps" in step:
                new["steps"] = walk(step["steps"])
            if isinstance(step.get("power"), dict) and ftp is not None:
                new["_power"] = {**conv(step["power"], ftp), "units": "W"}
            if isinstance(step.get("hr"), dict) and lthr is not None:
                new["_hr"] = {**conv(step["hr"], lthr), "units": "bpm"}
            out.append(new)
        return out

    resolved = dict(doc)
    resolved["steps"] = walk(doc.get("steps", []))
    return resolved


def power_zone(pct: float) -> int:
    """1-based power zone of an intensity in % of FTP."""
    for i, upper in enumerate(POWER_ZONES_PCT, start=1):
        if pct <= upper:
            return i
    return len(POWER_ZONES_PCT)


def hr_zone(bpm: float, hr_zones: list[int]) -> int:
    for i, upper in enumerate(hr_zones, start=1):
        if bpm <= upper:
            return i
    return len(hr_zones)


def normalized_pct(segments: list[Segment]) -> float:
    """Normalized intensity (4th-power mean) of the segments, in % of threshold."""
    total = sum(s.duration for s in segments)
    acc = sum(s.duration * s.mean_pct**4 for s in segments)
    return float((acc / total) ** 0.25) if total else 0.0


def mean_pct(segments: list[Segment]) -> float:
    total = sum(s.duration for s in segments)
    return sum(s.duration * s.mean_pct for s in segments) / total if total else 0.0


def zone_secs_from_segments(segments: list[Segment]) -> list[int]:
    """Seconds per power zone Z1..Z7 (85 % in the target zone, the rest one zone lower)."""
    secs = [0.0] * 7
    for seg in segments:
        z = power_zone(seg.mean_pct) - 1
        secs[z] += seg.duration * 0.85
        secs[max(z - 1, 0)] += seg.duration * 0.15
    return [round(s) for s in secs]


def sweet_spot_secs(segments: list[Segment]) -> int:
    lo, hi = SWEET_SPOT
    return sum(s.duration for s in segments if lo <= s.mean_pct <= hi)


def intervals_dto(
    activity_id: str,
    segments: list[Segment],
    *,
    rng: random.Random,
    analyzed: str,
    ftp: int | None,
    lthr: int,
    hr_zones: list[int],
    w_prime: int,
    speed_at_threshold: float,
) -> JSON:
    """``IntervalsDTO`` for an activity that executed ``segments``.

    With ``ftp`` None (runs) the watts fields are null and ``zone`` is the HR zone. The
    warmup and cooldown are RECOVERY intervals at the start and the end; indexes are
    1 Hz stream indexes, so the last ``end_time`` equals the activity's moving time.
    """
    intervals: list[JSON] = []
    groups: dict[str, list[JSON]] = {}
    t = 0
    wbal = float(w_prime)
    work_no = 0
    for i, seg in enumerate(segments, start=1):
        pct = seg.mean_pct * rng.uniform(0.98, 1.02)
        is_work = seg.kind == "work"
        work_no += is_work
        # HR follows intensity, in % of LTHR, capped below max.
        hr_pct = pct if ftp is None else 55 + 0.4 * pct
        avg_hr = min(round(lthr * hr_pct / 100), hr_zones[-1] - 2)
        dist = seg.duration * speed_at_threshold * (pct / 100) ** (1.3 if ftp else 1.0)
        rec: JSON = {
            "id": i,
            "type": "WORK" if is_work else "RECOVERY",
            "label": {"warmup": "Warmup", "cooldown": "Cooldown"}.get(
                seg.kind, f"Interval {work_no}" if is_work else "Recovery"
            ),
            "group_id": None,
            "start_index": t,
            "end_index": t + seg.duration,
            "start_time": t,
            "end_time": t + seg.duration,
            "elapsed_time": seg.duration,
            "moving_time": seg.duration,
            "distance": round(dist, 1),
            "average_speed": round(dist / seg.duration, 3),
            "average_heartrate": avg_hr,
            "min_heartrate": avg_hr - rng.randint(6, 14),
            "max_heartrate": min(avg_hr + rng.randint(3, 8), hr_zones[-1]),
            "average_cadence": round(rng.uniform(86, 96) if ftp else rng.uniform(84, 90), 1),
            "training_load": round(seg.duration / 3600 * (pct / 100) ** 2 * 100, 1),
            "intensity": round(pct),
        }
        if ftp is not None:
            watts = round(ftp * pct / 100)
            z = power_zone(pct)
            above = max(watts - ftp, 0) * seg.duration
            rec.update(
                average_watts=watts,
                max_watts=round(watts * rng.uniform(1.12, 1.3)),
                weighted_average_watts=round(watts * rng.uniform(1.0, 1.03)),
                zone=z,
                zone_min_watts=round(ftp * (POWER_ZONES_PCT[z - 2] if z > 1 else 0) / 100),
                zone_max_watts=round(ftp * POWER_ZONES_PCT[z - 1] / 100) if z < 7 else None,
                joules=watts * seg.duration,
                wbal_start=round(wbal),
            )
            if above:
                wbal = max(wbal - above, 0.0)
            else:
                # Recharge towards W' with a 300 s time constant.
                wbal = w_prime - (w_prime - wbal) * math.exp(-seg.duration / 300)
            rec["wbal_end"] = round(wbal)
        else:
            rec.update(
                average_watts=None,
                max_watts=None,
                weighted_average_watts=None,
                zone=hr_zone(avg_hr, hr_zones),
                zone_min_watts=None,
                zone_max_watts=None,
                wbal_start=None,
                wbal_end=None,
            )
        if seg.group is not None:
            rec["group_id"] = seg.group
            groups.setdefault(seg.group, []).append(rec)
        intervals.append(rec)
        t += seg.duration
    icu_groups = []
    for gid, members in groups.items():
        n = len(members)
        grp: JSON = {"id": gid, "count": n, "start_index": members[0]["start_index"]}
        for key in (
            "elapsed_time",
            "moving_time",
            "distance",
            "training_load",
        ):
            grp[key] = round(sum(m[key] for m in members), 1)
        for key in ("average_watts", "average_heartrate", "average_cadence", "average_speed"):
            vals = [m[key] for m in members if m[key] is not None]
            grp[key] = round(sum(vals) / len(vals), 1) if vals else None
        grp["max_heartrate"] = max(m["max_heartrate"] for m in members)
        icu_groups.append(grp)
    return {
        "id": activity_id,
        "analyzed": analyzed,
        "icu_intervals": intervals,
        "icu_groups": icu_groups,
    }
