"""The structured workout model: what a plan file holds, checked by pydantic.

Units are fixed so conversions never guess: durations in seconds, distances in metres,
pace in seconds per km (run) or per 100 m (swim), speed in km/h. Plan files may write
durations as ``"10m"``/``"1h30m"``/``"90s"``, distances as ``"400m"``/``"5km"``/``"1mi"``
and paces as ``"4:30"``; they are normalised on load.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    field_validator,
)

Sport = Literal["run", "ride", "swim", "strength"]
WorkoutSport = Literal["run", "ride", "swim", "strength", "multisport"]
StepKind = Literal["warmup", "interval", "recovery", "rest", "cooldown"]
Category = Literal["WORKOUT", "RACE_A", "RACE_B", "RACE_C", "NOTE"]
Stroke = Literal["any_stroke", "backstroke", "breaststroke", "drill", "fly", "free"]
Equipment = Literal["fins", "kickboard", "paddles", "pull_buoy", "snorkel"]
PoolUnit = Literal["m", "yd"]
TargetType = Literal["power", "heart_rate", "pace", "speed", "cadence"]
TargetUnit = Literal[
    "%ftp", "watts", "%lthr", "%max_hr", "bpm", "min/km", "min/100m", "%pace", "km/h", "rpm", "zone"
]

#: Units each target type accepts (checked by validation, one line per mismatch).
UNITS_FOR_TYPE: dict[str, tuple[str, ...]] = {
    "power": ("%ftp", "watts", "zone"),
    "heart_rate": ("%lthr", "%max_hr", "bpm", "zone"),
    "pace": ("min/km", "min/100m", "%pace", "zone"),
    "speed": ("km/h",),
    "cadence": ("rpm",),
}

# Plan files may write these as text ("10m", "400m", "4:30"); the schema says so.
_NUMBER_OR_TEXT = WithJsonSchema(
    {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}
)
Seconds = Annotated[int | None, _NUMBER_OR_TEXT]
Metres = Annotated[float | None, _NUMBER_OR_TEXT]
Amount = Annotated[float | None, _NUMBER_OR_TEXT]

_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(h|m|s)")
_CLOCK = re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$")
_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)\s*(km|m|mi|yd|y)$")
_METRES_PER = {"km": 1000.0, "m": 1.0, "mi": 1609.344, "yd": 0.9144, "y": 0.9144}


def parse_duration(value: Any) -> int | None:
    """Seconds from an int/float, ``"1h30m"``, ``"10m"``, ``"90s"`` or ``"1:30"`` (m:ss)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a duration is seconds or text like '10m', not true/false")
    if isinstance(value, int | float):
        return round(value)
    text = str(value).strip().lower().replace(" ", "")
    clock = _CLOCK.match(text)
    if clock:
        a, b, c = clock.groups()
        if c is None:
            return int(a) * 60 + int(b)
        return int(a) * 3600 + int(b) * 60 + int(c)
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"cannot read duration {value!r}; write seconds or e.g. '10m', '1h30m'")
    factor = {"h": 3600, "m": 60, "s": 1}
    return round(sum(float(n) * factor[u] for n, u in parts))


def parse_distance(value: Any) -> float | None:
    """Metres from a number or ``"400m"``, ``"5km"``, ``"1mi"``, ``"100yd"``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a distance is metres or text like '400m', not true/false")
    if isinstance(value, int | float):
        return float(value)
    match = _DISTANCE.match(str(value).strip().lower().replace(" ", ""))
    if not match:
        raise ValueError(f"cannot read distance {value!r}; write metres or e.g. '400m', '5km'")
    return round(float(match.group(1)) * _METRES_PER[match.group(2)], 3)


def parse_pace(value: Any) -> float | None:
    """Seconds (per km or per 100 m) from a number or ``"m:ss"``."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = re.fullmatch(r"(\d+):(\d{2})", str(value).strip())
    if not match:
        raise ValueError(f"cannot read pace {value!r}; write 'm:ss' such as '4:30'")
    return float(int(match.group(1)) * 60 + int(match.group(2)))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Target(_Strict):
    """An intensity target: one ``value``, a ``low``-``high`` range, or a ``zone``.

    With ``ramp`` the step moves from ``low`` to ``high`` (either direction)."""

    type: TargetType
    unit: TargetUnit
    value: Amount = None
    low: Amount = None
    high: Amount = None
    zone: int | None = Field(default=None, ge=1, le=7)
    ramp: bool = False

    @field_validator("value", "low", "high", mode="before")
    @classmethod
    def _pace_text(cls, raw: Any) -> Any:
        if isinstance(raw, str):
            return parse_pace(raw)
        return raw

    def bounds(self) -> tuple[float, float] | None:
        """(low, high) of a value or range target; None for a zone."""
        if self.value is not None:
            return self.value, self.value
        if self.low is not None and self.high is not None:
            return self.low, self.high
        return None


class Step(_Strict):
    """One executable step. Exactly one end: duration, distance, calories, reps or lap button."""

    kind: StepKind = "interval"
    duration: Seconds = Field(default=None, description="seconds (or '10m', '1h30m')")
    distance: Metres = Field(default=None, description="metres (or '400m', '5km')")
    calories: int | None = None
    reps: int | None = None
    lap_button: bool = False
    target: Target | None = None
    secondary_target: Target | None = None
    text: str | None = None
    stroke: Stroke | None = None
    equipment: Equipment | None = None
    exercise: str | None = None

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, raw: Any) -> int | None:
        return parse_duration(raw)

    @field_validator("distance", mode="before")
    @classmethod
    def _distance(cls, raw: Any) -> float | None:
        return parse_distance(raw)

    def ends(self) -> list[str]:
        """The end conditions given (validation wants exactly one)."""
        found = [
            name
            for name in ("duration", "distance", "calories", "reps")
            if getattr(self, name) is not None
        ]
        if self.lap_button:
            found.append("lap_button")
        return found


def _step_or_repeat(raw: Any) -> str:
    if isinstance(raw, Repeat) or (isinstance(raw, dict) and "repeat" in raw):
        return "repeat"
    return "step"


class Repeat(_Strict):
    """``repeat`` times the ``steps`` (which may hold repeats again)."""

    repeat: int = Field(ge=1, description="number of iterations")
    steps: list[Item] = Field(default_factory=list)
    text: str | None = None


Item = Annotated[
    Annotated[Step, Tag("step")] | Annotated[Repeat, Tag("repeat")],
    Discriminator(_step_or_repeat),
]


class Segment(_Strict):
    """One sport of a multisport workout, in order."""

    sport: Sport
    steps: list[Item] = Field(default_factory=list)
    pool_length: float | None = Field(default=None, gt=0)
    pool_unit: PoolUnit | None = None


class Workout(_Strict):
    """One planned workout. ``date`` is ``YYYY-MM-DD`` or relative: ``today``, ``+3``."""

    name: str
    sport: WorkoutSport
    date: str
    category: Category = "WORKOUT"
    description: str | None = None
    indoor: bool = False
    external_id: str | None = Field(
        default=None, description="upsert key; derived from date, sport and name when absent"
    )
    pool_length: float | None = Field(default=None, gt=0)
    pool_unit: PoolUnit | None = None
    steps: list[Item] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)

    def parts(self) -> list[Segment]:
        """The workout as segments: a single-sport workout is one segment."""
        if self.sport == "multisport":
            return list(self.segments)
        sport: Sport = self.sport
        return [
            Segment(
                sport=sport,
                steps=list(self.steps),
                pool_length=self.pool_length,
                pool_unit=self.pool_unit,
            )
        ]


class Plan(_Strict):
    """A plan file: ``{"workouts": [...]}`` (a single workout object or a list also load)."""

    workouts: list[Workout]


Repeat.model_rebuild()
Segment.model_rebuild()
Workout.model_rebuild()
