"""The ``workout_doc`` object Intervals.icu derives from an event's workout text.

The API treats it as a free-form map (its shape is not a stable public contract), so
reading is tolerant: unknown keys are ignored and a step we cannot use becomes a note,
never an error. Shape used: ``{"duration": s, "distance": m, "steps": [step]}``, a step
``{"duration"|"distance", "text", "warmup"|"cooldown": true, "intensity", "power"|"hr"|
"pace"|"cadence": {"value"|"start","end", "units"}, "ramp": true}`` or a repeat
``{"reps": n, "text", "steps": [...]}``. Units: ``%ftp``, ``w``, ``power_zone``, ``%lthr``,
``%hr``, ``hr_zone``, ``bpm``, ``%pace``, ``pace_zone``, ``secs/km``, ``secs/100m``, ``rpm``.
"""

from __future__ import annotations

from typing import Any

from section11.workouts.model import Item, Repeat, Step, Target

JSON = dict[str, Any]

_TO_UNITS: dict[tuple[str, str], tuple[str, str]] = {
    ("power", "%ftp"): ("power", "%ftp"),
    ("power", "watts"): ("power", "w"),
    ("power", "zone"): ("power", "power_zone"),
    ("heart_rate", "%lthr"): ("hr", "%lthr"),
    ("heart_rate", "%max_hr"): ("hr", "%hr"),
    ("heart_rate", "bpm"): ("hr", "bpm"),
    ("heart_rate", "zone"): ("hr", "hr_zone"),
    ("pace", "%pace"): ("pace", "%pace"),
    ("pace", "zone"): ("pace", "pace_zone"),
    ("pace", "min/km"): ("pace", "secs/km"),
    ("pace", "min/100m"): ("pace", "secs/100m"),
    ("cadence", "rpm"): ("cadence", "rpm"),
}
_FROM_UNITS: dict[tuple[str, str], tuple[str, str]] = {v: k for k, v in _TO_UNITS.items()}
_KINDS_BY_INTENSITY = {"recovery": "recovery", "rest": "rest", "active": "interval"}


def to_doc(items: list[Item]) -> JSON:
    """A ``workout_doc`` for ``items`` (the demo server answers with it)."""
    steps = [_item_doc(item) for item in items]
    doc: JSON = {"steps": steps}
    duration = _total(items, "duration")
    if duration is not None:
        doc["duration"] = duration
    return doc


def _total(items: list[Item], name: str) -> int | None:
    total = 0.0
    for item in items:
        if isinstance(item, Repeat):
            inner = _total(item.steps, name)
            if inner is None:
                return None
            total += inner * item.repeat
        else:
            value = getattr(item, name)
            if value is None:
                return None
            total += value
    return round(total)


def _item_doc(item: Item) -> JSON:
    if isinstance(item, Repeat):
        out: JSON = {"reps": item.repeat, "steps": [_item_doc(s) for s in item.steps]}
        if item.text:
            out["text"] = item.text
        return out
    step: JSON = {}
    if item.duration is not None:
        step["duration"] = item.duration
    if item.distance is not None:
        step["distance"] = item.distance
    if item.text:
        step["text"] = item.text
    if item.kind in ("warmup", "cooldown"):
        step[item.kind] = True
    elif item.kind in ("recovery", "rest"):
        step["intensity"] = item.kind
    for target in (item.target, item.secondary_target):
        if target is None or (target.type, target.unit) not in _TO_UNITS:
            continue
        key, units = _TO_UNITS[(target.type, target.unit)]
        value: JSON = {"units": units}
        if target.zone is not None:
            value["value"] = target.zone
        elif target.value is not None:
            value["value"] = target.value
        else:
            value["start"], value["end"] = target.low, target.high
        if target.ramp:
            step["ramp"] = True
        step[key] = value
    return step


def from_doc(doc: Any) -> tuple[list[Item], list[str]]:
    """Steps of a ``workout_doc``, and notes about the parts that could not be read."""
    notes: list[str] = []
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return [], ["the event has no structured steps"]
    return _read_steps(doc["steps"], notes, "steps"), notes


def _read_steps(raw_steps: list[Any], notes: list[str], where: str) -> list[Item]:
    items: list[Item] = []
    for index, raw in enumerate(raw_steps):
        path = f"{where}[{index}]"
        if not isinstance(raw, dict):
            notes.append(f"{path}: not an object; skipped")
            continue
        if isinstance(raw.get("steps"), list):
            reps = raw.get("reps")
            count = reps if isinstance(reps, int) and not isinstance(reps, bool) else 1
            if count < 1:
                notes.append(f"{path}: repeat count {reps!r} unusable; read as 1")
                count = 1
            inner = _read_steps(raw["steps"], notes, f"{path}.steps")
            items.append(Repeat(repeat=count, steps=list(inner), text=_text(raw.get("text"))))
            continue
        step = _read_step(raw, notes, path)
        if step is not None:
            items.append(step)
    return items


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _read_step(raw: JSON, notes: list[str], path: str) -> Step | None:
    fields: JSON = {"kind": "interval"}
    if raw.get("warmup") is True:
        fields["kind"] = "warmup"
    elif raw.get("cooldown") is True:
        fields["kind"] = "cooldown"
    elif isinstance(raw.get("intensity"), str):
        fields["kind"] = _KINDS_BY_INTENSITY.get(raw["intensity"].lower(), "interval")
    duration, distance = _number(raw.get("duration")), _number(raw.get("distance"))
    if duration is not None and duration > 0:
        fields["duration"] = round(duration)
    elif distance is not None and distance > 0:
        fields["distance"] = distance
    else:
        fields["lap_button"] = True
        notes.append(f"{path}: no duration or distance; read as a lap-button step")
    text = _text(raw.get("text"))
    if text:
        fields["text"] = text
    targets = []
    for key in ("power", "hr", "pace", "cadence"):
        target = _read_target(raw.get(key), key, bool(raw.get("ramp")), notes, f"{path}.{key}")
        if target is not None:
            targets.append(target)
    if targets:
        fields["target"] = targets[0]
    if len(targets) > 1:
        fields["secondary_target"] = targets[1]
    if len(targets) > 2:
        notes.append(f"{path}: more than two targets; kept the first two")
    return Step.model_validate(fields)


def _read_target(raw: Any, key: str, ramp: bool, notes: list[str], path: str) -> Target | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        notes.append(f"{path}: not an object; ignored")
        return None
    units = str(raw.get("units") or "")
    mapped = _FROM_UNITS.get((key, units))
    if mapped is None:
        notes.append(f"{path}: units {units!r} not understood; target ignored")
        return None
    kind, unit = mapped
    value, start, end = (_number(raw.get(k)) for k in ("value", "start", "end"))
    data: JSON = {"type": kind, "unit": unit}
    if unit == "zone":
        if value is None or not 1 <= value <= 7:
            notes.append(f"{path}: zone {raw.get('value')!r} unusable; target ignored")
            return None
        data["zone"] = int(value)
    elif value is not None:
        data["value"] = value
    elif start is not None and end is not None:
        data.update(low=start, high=end, ramp=ramp)
        if not ramp and start > end:
            data.update(low=end, high=start)
    else:
        notes.append(f"{path}: no value; target ignored")
        return None
    return Target.model_validate(data)
