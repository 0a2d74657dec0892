"""Intervals.icu workout text (what an event's ``description`` takes) to and from steps.

Written:
  * blocks separated by blank lines; a header line ``Warmup`` / ``Cooldown`` marks its steps,
    ``<text> Nx`` repeats the block's steps N times; step lines start with ``- ``;
  * a step: ``- [Recovery|Rest|...] [cue] <end> [ramp] [target] [secondary]`` with ends
    ``1h2m3s``, ``2km``/``400mtr``/``1mi`` and targets ``75%``, ``70-80%``, ``220w``, ``Z2``,
    ``Z2 HR``, ``75% HR``, ``95% LTHR``, ``4:30/km Pace``, ``1:45/100m Pace``, ``90% Pace``,
    ``Z2 Pace``, ``90rpm``;
  * Intervals.icu text has no nested repeats: inner repeats are written out (unrolled).
Not expressible there (a note says so, the rest is kept as step text): reps, calories and
lap-button ends (``12 reps``, ``100kcal``, ``lap``), bpm heart rate, speed, strokes and
equipment (written as cue words such as ``Free Fins``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from section11.workouts.model import (
    Equipment,
    Item,
    Repeat,
    Sport,
    Step,
    StepKind,
    Stroke,
    Target,
)

_KIND_LABEL: dict[str, str] = {
    "warmup": "Warmup",
    "recovery": "Recovery",
    "rest": "Rest",
    "cooldown": "Cooldown",
}
_LABEL_KIND: dict[str, StepKind] = {v.lower(): k for k, v in _KIND_LABEL.items()}  # type: ignore[misc]
_STROKE_WORD: dict[str, str] = {
    "free": "Free",
    "backstroke": "Back",
    "breaststroke": "Breast",
    "fly": "Fly",
    "drill": "Drill",
    "any_stroke": "Choice",
}
_WORD_STROKE: dict[str, Stroke] = {v.lower(): k for k, v in _STROKE_WORD.items()}  # type: ignore[misc]
_EQUIPMENT_WORD: dict[str, str] = {
    "fins": "Fins",
    "kickboard": "Kickboard",
    "paddles": "Paddles",
    "pull_buoy": "Buoy",
    "snorkel": "Snorkel",
}
_WORD_EQUIPMENT: dict[str, Equipment] = {v.lower(): k for k, v in _EQUIPMENT_WORD.items()}  # type: ignore[misc]
_HEADER_REPEAT = re.compile(r"^(.*?)\s*(\d+)\s*x$", re.IGNORECASE)


@dataclass
class TextResult:
    text: str
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ writing


def to_text(items: list[Item], sport: Sport, *, description: str | None = None) -> TextResult:
    """The workout text of ``items``; ``notes`` lists what Intervals.icu cannot express."""
    notes: list[str] = []
    blocks: list[list[str]] = []
    if description and description.strip():
        blocks.append([description.strip()])
    pending: list[Step] = []
    pending_kind: str | None = None

    def flush() -> None:
        nonlocal pending, pending_kind
        if pending:
            header = {"warmup": ["Warmup"], "cooldown": ["Cooldown"]}.get(pending_kind or "", [])
            context = pending_kind if pending_kind in ("warmup", "cooldown") else "interval"
            blocks.append(header + [_step_line(s, sport, context, notes) for s in pending])
        pending, pending_kind = [], None

    for index, item in enumerate(items):
        if isinstance(item, Repeat):
            flush()
            flat = _unroll(item.steps, notes, f"steps[{index}]")
            label = (item.text or "").strip()
            header = f"{label} {item.repeat}x" if label else f"{item.repeat}x"
            blocks.append([header] + [_step_line(s, sport, "interval", notes) for s in flat])
            continue
        group = item.kind if item.kind in ("warmup", "cooldown") else "other"
        if pending and group != pending_kind:
            flush()
        pending.append(item)
        pending_kind = group
    flush()
    return TextResult("\n\n".join("\n".join(block) for block in blocks), notes)


def _unroll(items: list[Item], notes: list[str], where: str) -> list[Step]:
    flat: list[Step] = []
    for index, item in enumerate(items):
        if isinstance(item, Repeat):
            notes.append(
                f"{where}.steps[{index}]: Intervals.icu text has no nested repeats; "
                f"written out {item.repeat} times"
            )
            inner = _unroll(item.steps, notes, f"{where}.steps[{index}]")
            flat.extend(inner * item.repeat)
        else:
            flat.append(item)
    return flat


def _step_line(step: Step, sport: Sport, context: str, notes: list[str]) -> str:
    words: list[str] = []
    if step.kind != context:
        words.append(_KIND_LABEL.get(step.kind, "Interval"))
    if step.stroke is not None:
        words.append(_STROKE_WORD[step.stroke])
    if step.equipment is not None:
        words.append(_EQUIPMENT_WORD[step.equipment])
    if step.exercise:
        words.append(step.exercise.strip())
        if step.text:
            notes.append(f"step {step.exercise!r}: text dropped (the exercise is the cue)")
    elif step.text:
        words.append(step.text.strip())
    words.append(_end_text(step))
    for target in (step.target, step.secondary_target):
        if target is not None:
            written = target_text(target)
            if written is None:
                notes.append(
                    f"a {target.type} target in {target.unit} has no Intervals.icu text; dropped"
                )
            else:
                words.append(written)
    return "- " + " ".join(w for w in words if w)


def _end_text(step: Step) -> str:
    if step.duration is not None:
        return format_duration(step.duration)
    if step.distance is not None:
        return format_distance(step.distance)
    if step.calories is not None:
        return f"{step.calories}kcal"
    if step.reps is not None:
        return f"{step.reps} reps"
    return "lap"


def format_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return "".join(f"{n}{u}" for n, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if n) or "0s"


def format_distance(metres: float) -> str:
    if metres >= 1000:
        return f"{metres / 1000:g}km"
    return f"{metres:g}mtr"


def _num(value: float) -> str:
    return f"{value:g}"


def _pace(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def target_text(target: Target) -> str | None:
    """The text of one target, or None when Intervals.icu text has no form for it."""
    ramp = "ramp " if target.ramp else ""
    bounds = target.bounds()
    if target.unit == "zone":
        suffix = {"power": "", "heart_rate": " HR", "pace": " Pace"}.get(target.type)
        return None if suffix is None else f"Z{target.zone}{suffix}"
    if bounds is None:
        return None
    low, high = bounds
    if target.unit in ("min/km", "min/100m"):
        per = "/km" if target.unit == "min/km" else "/100m"
        # Slower pace first, as Intervals.icu writes a pace range.
        span = _pace(low) if low == high else f"{_pace(high)}-{_pace(low)}"
        if target.ramp:
            span = f"{_pace(low)}-{_pace(high)}"
        return f"{ramp}{span}{per} Pace"
    span = _num(low) if low == high and not target.ramp else f"{_num(low)}-{_num(high)}"
    suffix = {
        "%ftp": "%",
        "watts": "w",
        "%lthr": "% LTHR",
        "%max_hr": "% HR",
        "%pace": "% Pace",
        "rpm": "rpm",
    }.get(target.unit)
    return None if suffix is None else f"{ramp}{span}{suffix}"


# ------------------------------------------------------------------ reading

_TIME_TOKEN = re.compile(r"^(?:\d+h)?(?:\d+m)?(?:\d+s)?$|^\d+m\d+$|^\d+'(?:\d+\")?$|^\d+\"$")
_DIST_TOKEN = re.compile(r"^(\d+(?:\.\d+)?)(km|mtr|mi)$")
_RANGE = r"(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?"
_PACE_TOKEN = re.compile(r"^(\d+:\d{2})(?:-(\d+:\d{2}))?/(km|100m)$")


def from_text(text: str, sport: Sport) -> tuple[list[Item], str | None]:
    """Steps and free description text of workout text written as described above."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    items: list[Item] = []
    description: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if not line:
            index += 1
            continue
        header: str | None = None
        if not line.startswith("-"):
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if not following.startswith("-"):
                description.append(line)
                index += 1
                continue
            header = line
            index += 1
        block: list[Step] = []
        while index < len(lines) and lines[index].strip().startswith("-"):
            block.append(parse_step_line(lines[index].strip()[1:].strip(), sport, header))
            index += 1
        repeat = _HEADER_REPEAT.match(header or "")
        if repeat:
            label = repeat.group(1).strip() or None
            items.append(Repeat(repeat=int(repeat.group(2)), steps=list(block), text=label))
        else:
            items.extend(block)
    return items, ("\n".join(description) or None)


def parse_step_line(body: str, sport: Sport, header: str | None) -> Step:
    tokens = body.split()
    context: StepKind = "interval"
    if header is not None and header.strip().lower() in ("warmup", "cooldown"):
        context = "warmup" if header.strip().lower() == "warmup" else "cooldown"
    end_at = next((i for i, t in enumerate(tokens) if _is_end(tokens, i)), len(tokens))
    cue, rest = tokens[:end_at], tokens[end_at:]
    fields: dict[str, object] = {"kind": context}
    if cue and cue[0].lower() in (*_LABEL_KIND, "interval"):
        word = cue.pop(0).lower()
        fields["kind"] = _LABEL_KIND.get(word, "interval")
    if sport == "swim" and cue and cue[0].lower() in _WORD_STROKE:
        fields["stroke"] = _WORD_STROKE[cue.pop(0).lower()]
    if sport == "swim" and cue and cue[0].lower() in _WORD_EQUIPMENT:
        fields["equipment"] = _WORD_EQUIPMENT[cue.pop(0).lower()]
    if cue:
        fields["exercise" if sport == "strength" else "text"] = " ".join(cue)
    rest = _read_end(rest, fields)
    targets = _read_targets(rest, sport)
    if targets:
        fields["target"] = targets[0]
    if len(targets) > 1:
        fields["secondary_target"] = targets[1]
    return Step.model_validate(fields)


def text_problem(text: str) -> str | None:
    """Why a cue text would be misread inside a step line, or None when it is safe."""
    if "\n" in text or "\r" in text:
        return "has a line break"
    tokens = text.split()
    for index, token in enumerate(tokens):
        if _is_end(tokens, index):
            return f"contains {token!r}, which Intervals.icu reads as the step's length"
    return None


def _is_end(tokens: list[str], i: int) -> bool:
    token = tokens[i].lower()
    if token == "lap" or (token.endswith("kcal") and token[:-4].isdigit()):
        return True
    if token.isdigit() and i + 1 < len(tokens) and tokens[i + 1].lower() == "reps":
        return True
    if token and token[0].isdigit() and _TIME_TOKEN.match(token):
        return True
    return bool(_DIST_TOKEN.match(token))


def _read_end(tokens: list[str], fields: dict[str, object]) -> list[str]:
    if not tokens:
        return tokens
    token = tokens[0].lower()
    if token == "lap":
        fields["lap_button"] = True
    elif token.endswith("kcal"):
        fields["calories"] = int(token[:-4])
    elif token.isdigit() and len(tokens) > 1 and tokens[1].lower() == "reps":
        fields["reps"] = int(token)
        return tokens[2:]
    elif _DIST_TOKEN.match(token):
        number, unit = _DIST_TOKEN.match(token).groups()  # type: ignore[union-attr]
        fields["distance"] = round(float(number) * {"km": 1000, "mtr": 1, "mi": 1609.344}[unit], 3)
    else:
        fields["duration"] = _duration_token(token)
    return tokens[1:]


def _duration_token(token: str) -> int:
    if "'" in token or '"' in token:
        minutes = re.search(r"(\d+)'", token)
        seconds = re.search(r"(\d+)\"", token)
        return (int(minutes.group(1)) * 60 if minutes else 0) + (
            int(seconds.group(1)) if seconds else 0
        )
    short = re.fullmatch(r"(\d+)m(\d+)", token)
    if short:
        return int(short.group(1)) * 60 + int(short.group(2))
    total = 0
    for number, unit in re.findall(r"(\d+)([hms])", token):
        total += int(number) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def _read_targets(tokens: list[str], sport: Sport) -> list[Target]:
    targets: list[Target] = []
    ramp = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1].lower() if index + 1 < len(tokens) else ""
        lower = token.lower()
        if lower == "ramp":
            ramp = True
            index += 1
            continue
        target, used = _one_target(lower, following, ramp)
        if target is not None:
            targets.append(target)
            ramp = False
        index += used
    return targets


def _one_target(token: str, following: str, ramp: bool) -> tuple[Target | None, int]:
    suffix_kind = {"hr": "heart_rate", "lthr": "heart_rate", "pace": "pace"}.get(following)
    zone = re.fullmatch(r"z([1-7])", token)
    if zone:
        kind = suffix_kind or "power"
        zone_target = Target.model_validate({"type": kind, "unit": "zone", "zone": zone.group(1)})
        return zone_target, 2 if suffix_kind else 1
    pace = _PACE_TOKEN.match(token)
    if pace:
        first, second, per = pace.groups()
        unit = "min/km" if per == "km" else "min/100m"
        used = 2 if following == "pace" else 1
        if second is None:
            return Target(type="pace", unit=unit, value=first), used
        if ramp:
            return Target(type="pace", unit=unit, low=first, high=second, ramp=True), used
        # A written range is slower-faster; the model keeps low <= high in seconds.
        return Target(type="pace", unit=unit, low=second, high=first), used
    number = re.fullmatch(_RANGE + r"(%|w|rpm)", token)
    if number:
        low, high, unit_text = number.groups()
        if unit_text == "%":
            unit = {"hr": "%max_hr", "lthr": "%lthr", "pace": "%pace"}.get(following, "%ftp")
            kind = suffix_kind or "power"
            used = 2 if suffix_kind else 1
        else:
            unit, kind, used = ("watts", "power", 1) if unit_text == "w" else ("rpm", "cadence", 1)
        values: dict[str, object]
        if high is None:
            values = {"value": float(low)}
        else:
            values = {"low": float(low), "high": float(high), "ramp": ramp}
        return Target.model_validate({"type": kind, "unit": unit, **values}), used
    return None, 1
