"""Athlete best-effort curves of the demo athlete, derived from its activities.

Each activity gets a simple, monotone best-effort profile from its own numbers: power at
``t`` seconds is NP x (0.95 + 2.5 / sqrt(t)) (sprints well above NP, about NP at an hour),
heart rate falls from the activity's max towards its average as ``t`` approaches the
moving time. A curve over a date range is the best of its activities at each duration,
with the activity that set each point, as Intervals.icu answers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, Literal

JSON = dict[str, Any]
CURVE_SECS: tuple[int, ...] = (
    1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 420, 600, 900,
    1200, 1800, 2700, 3600, 5400, 7200, 10800,
)  # fmt: skip
_RANGE = re.compile(r"r\.(\d{4}-\d{2}-\d{2})\.(\d{4}-\d{2}-\d{2})")
_DAYS = re.compile(r"(\d+)d")


class CurveSpecError(ValueError):
    """A curve id this server does not understand."""


def curve_range(spec: str, today: date) -> tuple[date, date]:
    """Inclusive dates of a curve id: ``r.<start>.<end>`` or ``<n>d`` (the last n days)."""
    m = _RANGE.fullmatch(spec)
    if m:
        return date.fromisoformat(m.group(1)), date.fromisoformat(m.group(2))
    m = _DAYS.fullmatch(spec)
    if m:
        return today - timedelta(days=int(m.group(1)) - 1), today
    raise CurveSpecError(spec)


def _best_watts(act: JSON, secs: int) -> float | None:
    np_, moving = act.get("icu_weighted_avg_watts"), act.get("moving_time")
    if not np_ or not moving or secs > moving:
        return None
    return float(np_) * (0.95 + 2.5 / math.sqrt(secs))


def _best_hr(act: JSON, secs: int) -> float | None:
    peak, mean, moving = (
        act.get("max_heartrate"),
        act.get("average_heartrate"),
        act.get("moving_time"),
    )
    if not peak or not mean or not moving or secs > moving:
        return None
    return float(peak) - (float(peak) - float(mean)) * math.sqrt(secs / moving)


def build_curve(
    activities: Iterable[JSON], spec: str, today: date, kind: Literal["power", "hr"]
) -> JSON:
    start, end = curve_range(spec, today)
    best = _best_watts if kind == "power" else _best_hr
    chosen = [
        a
        for a in activities
        if a.get("source") != "STRAVA"
        and start.isoformat() <= str(a.get("start_date_local"))[:10] <= end.isoformat()
    ]
    secs: list[int] = []
    values: list[int] = []
    ids: list[str] = []
    for duration in CURVE_SECS:
        top: tuple[float, str] | None = None
        for act in chosen:
            value = best(act, duration)
            if value is not None and (top is None or value > top[0]):
                top = (value, str(act.get("id")))
        if top is None:
            break  # no activity lasted this long: the curve ends here
        secs.append(duration)
        values.append(round(top[0]))
        ids.append(top[1])
    return {
        "id": spec,
        "label": spec,
        "start_date_local": f"{start.isoformat()}T00:00:00",
        "end_date_local": f"{end.isoformat()}T00:00:00",
        "days": (end - start).days + 1,
        "secs": secs,
        "values": values,
        "activity_id": ids,
    }


def curve_set(
    activities: Sequence[JSON],
    specs: Sequence[str],
    today: date,
    kind: Literal["power", "hr"],
    types: frozenset[str] | None,
) -> JSON:
    """The ``DataCurveSet`` answer: one curve per id, over activities of ``types`` (all: None)."""
    picked = [a for a in activities if types is None or a.get("type") in types]
    return {"list": [build_curve(picked, spec, today, kind) for spec in specs], "activities": {}}
