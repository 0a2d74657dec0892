"""One-line summaries of structured workouts (Intervals.icu ``workout_doc``).

Example: ``Warmup 15m @ 130–195W | 3 × (4 × 2m @ 273W / 1m @ 229W, 5m @ 130W) |
Cooldown 10m @ 169–117W``. Repeats nest; the two steps of a work/rest pair are joined with
" / ", longer repeat bodies with ", " in parentheses; identical consecutive parts are merged
as "k × part".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

_TOP_SEPARATOR = " | "

# Units of relative targets as Intervals.icu sends them, and how they read.
_UNIT_LABELS: dict[str, str] = {
    "%ftp": "% FTP",
    "%mmp": "% MMP",
    "%lthr": "% LTHR",
    "%hr": "% max HR",
    "%pace": "% pace",
    "w": "W",
    "bpm": " bpm",
    "m/s": " m/s",
    "power_zone": "",
    "hr_zone": "",
    "pace_zone": "",
}
_ZONE_PREFIX: dict[str, str] = {"power_zone": "Z", "hr_zone": "HR Z", "pace_zone": "pace Z"}


def format_duration(seconds: float) -> str:
    """1h5m / 3m30s / 45s; whole seconds."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours}h")
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return "".join(parts)


def _format_distance(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


def _as_float(value: Any) -> float | None:
    """A JSON number as float; anything else (bools, strings, null) is None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _number(value: Any) -> str | None:
    number = _as_float(value)
    if number is None:
        return None
    return f"{round(number)}" if number.is_integer() else f"{number:.1f}"


def _target(spec: Any, default_units: str = "") -> str | None:
    """Render one target dict ({value} or {start, end}, with units)."""
    if not isinstance(spec, Mapping):
        return None
    units = str(spec.get("units") or default_units).lower()
    value = _number(spec.get("value"))
    start, end = _number(spec.get("start")), _number(spec.get("end"))
    if value is not None:
        amount = value
    elif start is not None and end is not None:
        amount = start if start == end else f"{start}–{end}"
    else:
        return None
    if units in _ZONE_PREFIX:
        return f"{_ZONE_PREFIX[units]}{amount}"
    label = _UNIT_LABELS.get(units, f" {spec.get('units')}" if spec.get("units") else "")
    return f"{amount}{label}"


def _step_targets(step: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    # Resolved absolute targets (``_power`` in watts, ``_hr`` in bpm) read best; the
    # relative definition is the fallback.
    for resolved, relative, unit in (
        ("_power", "power", "w"),
        ("_hr", "hr", "bpm"),
        ("_pace", "pace", "m/s"),  # resolved pace targets are speeds
    ):
        rendered = _target(step.get(resolved), unit)
        if rendered is None:
            rendered = _target(step.get(relative))
        if rendered is not None:
            out.append(rendered)
    cadence = step.get("cadence")
    if isinstance(cadence, Mapping):
        rendered = _target({**cadence, "units": ""})
        if rendered is not None:
            out.append(f"{rendered}rpm")
    return out


def _text(step: Mapping[str, Any]) -> str:
    text = step.get("text")
    return f' "{text.strip()}"' if isinstance(text, str) and text.strip() else ""


def _render_step(step: Mapping[str, Any]) -> str | None:
    parts: list[str] = []
    if step.get("warmup"):
        parts.append("Warmup")
    elif step.get("cooldown"):
        parts.append("Cooldown")
    duration = _as_float(step.get("duration"))
    distance = _as_float(step.get("distance"))
    if duration is not None and duration > 0:
        parts.append(format_duration(duration))
    elif distance is not None and distance > 0:
        parts.append(_format_distance(distance))
    targets = _step_targets(step)
    head = " ".join(parts)
    if targets:
        head = f"{head} @ {' + '.join(targets)}" if head else f"@ {' + '.join(targets)}"
    rendered = head + _text(step)
    return rendered.strip() or None


def _is_repeat(step: Mapping[str, Any]) -> bool:
    return isinstance(step.get("steps"), list)


def _compound(part: str) -> bool:
    return any(sep in part for sep in (" / ", ", ", " × "))


def _merge(parts: list[str]) -> list[str]:
    """Collapse runs of identical parts into "k × part"."""
    merged: list[str] = []
    i = 0
    while i < len(parts):
        j = i
        while j < len(parts) and parts[j] == parts[i]:
            j += 1
        count = j - i
        part = parts[i]
        if count > 1:
            part = f"{count} × ({part})" if _compound(part) else f"{count} × {part}"
        merged.append(part)
        i = j
    return merged


def _render_steps(steps: Sequence[Any]) -> list[str]:
    parts: list[str] = []
    for step in steps:
        if not isinstance(step, Mapping):
            continue
        rendered = _render_repeat(step) if _is_repeat(step) else _render_step(step)
        if rendered is not None:
            parts.append(rendered)
    return _merge(parts)


def _render_repeat(step: Mapping[str, Any]) -> str | None:
    inner_steps = step["steps"]
    body = _render_steps(inner_steps)
    if not body:
        return None
    simple_pair = len(body) == 2 and not any(
        isinstance(s, Mapping) and _is_repeat(s) for s in inner_steps
    )
    if len(body) == 1:
        text = body[0]
    elif simple_pair:
        text = " / ".join(body)
    else:
        text = ", ".join(body)
    reps = step.get("reps")
    if isinstance(reps, int) and not isinstance(reps, bool) and reps > 1:
        wrap = (len(body) > 1 and not simple_pair) or (len(body) == 1 and _compound(text))
        text = f"{reps} × ({text})" if wrap else f"{reps} × {text}"
    elif len(body) > 1 and not simple_pair:
        text = f"({text})"
    return text + _text(step)


def _steps_of(doc: Mapping[str, Any] | None) -> list[Any] | None:
    if doc is None:
        return None
    steps = doc.get("steps")
    if not isinstance(steps, list) or not steps:
        return None
    return steps


def summarize_workout(doc: Mapping[str, Any] | None) -> str | None:
    """A readable one-line summary of a structured workout; None when there is none."""
    steps = _steps_of(doc)
    if steps is None:
        return None
    parts = _render_steps(steps)
    return _TOP_SEPARATOR.join(parts) if parts else None


def _seconds(steps: Sequence[Any]) -> float | None:
    total = 0.0
    for step in steps:
        if not isinstance(step, Mapping):
            continue
        if _is_repeat(step):
            inner = _seconds(step["steps"])
            reps = step.get("reps", 1)
            if inner is None or not isinstance(reps, int) or isinstance(reps, bool):
                return None
            total += inner * reps
            continue
        duration = _as_float(step.get("duration"))
        if duration is None:
            return None  # a distance-based step: its time is not known from the doc
        total += duration
    return total


def workout_total_seconds(doc: Mapping[str, Any] | None) -> int | None:
    """Planned duration in seconds from the steps (repeats expanded).

    When a step has no duration (distance-based), the document's own ``duration``
    estimate is used if present; otherwise None.
    """
    steps = _steps_of(doc)
    if steps is None or doc is None:
        return None
    total = _seconds(steps)
    if total is not None:
        return round(total)
    fallback = _as_float(doc.get("duration"))
    return round(fallback) if fallback is not None and fallback > 0 else None
