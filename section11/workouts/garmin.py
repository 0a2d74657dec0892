"""Garmin Connect structured-workout JSON (what its workout service takes).

Rules the output keeps (measured by people who upload workouts, see docs/workouts.md):
repeat groups end on the ``iterations`` condition with ``endConditionValue`` equal to
``numberOfIterations``; ``stepOrder`` is unique across all segments (multisport counts
on across segments); swim segments carry ``poolLength`` and ``poolLengthUnit``; target
values are numbers. Garmin wants absolute targets (watts, bpm, m/s), so %FTP, %LTHR,
%max HR and %threshold-pace targets need the athlete's thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from section11.errors import Section11Error
from section11.workouts import garmin_ids as ids
from section11.workouts.model import Item, Repeat, Segment, Step, Target, Workout

JSON = dict[str, Any]


class ConversionError(Section11Error):
    """A workout that cannot be written in the asked format; one line per problem."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


@dataclass(frozen=True)
class Thresholds:
    """The athlete's thresholds, needed to turn relative targets into absolute ones."""

    ftp: float | None = None
    lthr: float | None = None
    max_hr: float | None = None
    threshold_pace: float | None = None  # seconds per km
    threshold_swim_pace: float | None = None  # seconds per 100 m


def to_garmin(workout: Workout, thresholds: Thresholds = Thresholds()) -> JSON:
    """The Garmin Connect JSON of ``workout``; ConversionError lists every problem."""
    builder = _Builder(thresholds)
    multi = workout.sport == "multisport"
    segments = [
        builder.segment(part, order, multi) for order, part in enumerate(workout.parts(), 1)
    ]
    if not any(s["workoutSteps"] for s in segments):
        builder.problems.append("steps: the workout has no steps to export")
    if builder.problems:
        raise ConversionError(builder.problems)
    sport_key = "multi_sport" if workout.sport == "multisport" else ids.SPORT_KEY[workout.sport]
    out: JSON = {
        "workoutName": workout.name,
        "description": workout.description,
        "sportType": dict(ids.SPORTS[sport_key]),
        "estimatedDurationInSecs": sum(s["estimatedDurationInSecs"] for s in segments),
        "workoutSegments": segments,
    }
    if workout.sport == "multisport":
        out["isSessionTransitionEnabled"] = True
    swim = next((s for s in segments if "poolLength" in s), None)
    if swim is not None:
        out["poolLength"] = swim["poolLength"]
        out["poolLengthUnit"] = dict(swim["poolLengthUnit"])
    return out


class _Builder:
    def __init__(self, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self.order = 0  # stepOrder counts on across segments
        self.problems: list[str] = []
        self.where = ""
        self.sport = "run"

    def segment(self, part: Segment, order: int, multi: bool) -> JSON:
        self.sport = part.sport
        self.where = f"segments[{order - 1}]." if multi else ""
        steps = [self.item(item, f"{self.where}steps[{i}]") for i, item in enumerate(part.steps)]
        out: JSON = {
            "segmentOrder": order,
            "sportType": dict(ids.SPORTS[ids.SPORT_KEY[part.sport]]),
            "workoutSteps": steps,
            "estimatedDurationInSecs": _seconds(part.steps),
        }
        if part.sport == "swim":
            if part.pool_length is None or part.pool_unit is None:
                self.problems.append(
                    f"{self.where}pool_length: a swim needs pool_length and pool_unit"
                )
            else:
                out["poolLength"] = float(part.pool_length)
                out["poolLengthUnit"] = dict(ids.POOL_UNITS[part.pool_unit])
        return out

    def _next_order(self) -> int:
        self.order += 1
        return self.order

    def item(self, item: Item, where: str) -> JSON:
        if isinstance(item, Repeat):
            order = self._next_order()
            children = [self.item(s, f"{where}.steps[{i}]") for i, s in enumerate(item.steps)]
            return {
                "type": "RepeatGroupDTO",
                "stepId": order,
                "stepOrder": order,
                "stepType": dict(ids.STEP_TYPES["repeat"]),
                "childStepId": order,
                "numberOfIterations": item.repeat,
                "smartRepeat": False,
                "endCondition": dict(ids.END_CONDITIONS["iterations"]),
                "endConditionValue": float(item.repeat),
                "description": item.text,
                "workoutSteps": children,
            }
        return self.step(item, where)

    def step(self, step: Step, where: str) -> JSON:
        order = self._next_order()
        end_key, end_value = _end(step)
        out: JSON = {
            "type": "ExecutableStepDTO",
            "stepId": order,
            "stepOrder": order,
            "stepType": dict(ids.STEP_TYPES[step.kind]),
            "description": step.text,
            "endCondition": dict(ids.END_CONDITIONS[end_key]),
            "endConditionValue": end_value,
            "preferredEndConditionUnit": None,
        }
        if end_key == "distance":
            out["preferredEndConditionUnit"] = (
                {"unitKey": "meter"}
                if self.sport == "swim" or (end_value or 0) < 1000
                else {"unitKey": "kilometer"}
            )
        out.update(self.target(step.target, where + ".target", secondary=False))
        if step.secondary_target is not None:
            out.update(self.target(step.secondary_target, where + ".secondary_target", True))
        if self.sport == "swim":
            stroke = ids.STROKES[step.stroke] if step.stroke else ids.NO_STROKE
            out["strokeType"] = dict(stroke)
            out["equipmentType"] = (
                dict(ids.EQUIPMENT[step.equipment]) if step.equipment else dict(ids.NO_EQUIPMENT)
            )
        if step.exercise:
            out["exerciseName"] = step.exercise
        return out

    def target(self, target: Target | None, where: str, secondary: bool) -> JSON:
        prefix = "secondaryTarget" if secondary else "target"
        zone_key = "secondaryZoneNumber" if secondary else "zoneNumber"
        type_key = "secondaryTargetType" if secondary else "targetType"
        if target is None:
            return {type_key: dict(ids.TARGET_TYPES["no.target"])}
        key = {
            "power": "power.zone",
            "heart_rate": "heart.rate.zone",
            "pace": "pace.zone",
            "speed": "speed.zone",
            "cadence": "cadence.zone",
        }[target.type]
        out: JSON = {type_key: dict(ids.TARGET_TYPES[key])}
        if target.unit == "zone":
            if target.type == "pace":
                self.problems.append(f"{where}: Garmin has no pace zones; give a pace range")
            out[zone_key] = int(target.zone or 0)
            return out
        bounds = target.bounds()
        if bounds is None:
            self.problems.append(f"{where}: no value")
            return out
        converted = [self._absolute(target, v, where) for v in bounds]
        if None in converted:
            return out
        one, two = sorted(float(v) for v in converted if v is not None)
        out[f"{prefix}ValueOne"], out[f"{prefix}ValueTwo"] = round(one, 4), round(two, 4)
        return out

    def _absolute(self, target: Target, value: float, where: str) -> float | None:
        t = self.thresholds
        unit = target.unit
        if unit in ("watts", "bpm", "rpm"):
            return value
        if unit == "km/h":
            return value / 3.6
        if unit in ("min/km", "min/100m"):
            return (1000.0 if unit == "min/km" else 100.0) / value  # m/s
        base = {"%ftp": t.ftp, "%lthr": t.lthr, "%max_hr": t.max_hr}.get(unit)
        if unit == "%pace":
            pace = t.threshold_swim_pace if self.sport == "swim" else t.threshold_pace
            if pace is None:
                flag = "--threshold-swim-pace" if self.sport == "swim" else "--threshold-pace"
                self._missing(where, flag, "a %pace target")
                return None
            per = 100.0 if self.sport == "swim" else 1000.0
            return per / pace * value / 100.0
        if base is None:
            flag = {"%ftp": "--ftp", "%lthr": "--lthr", "%max_hr": "--max-hr"}[unit]
            self._missing(where, flag, f"a {unit} target")
            return None
        return base * value / 100.0

    def _missing(self, where: str, flag: str, what: str) -> None:
        line = f"{where}: {what} needs {flag} (Garmin wants absolute values)"
        if line not in self.problems:
            self.problems.append(line)


def _end(step: Step) -> tuple[str, float | None]:
    if step.duration is not None:
        return "time", float(step.duration)
    if step.distance is not None:
        return "distance", float(step.distance)
    if step.calories is not None:
        return "calories", float(step.calories)
    if step.reps is not None:
        return "reps", float(step.reps)
    return "lap.button", None


def _seconds(items: list[Item]) -> int:
    """Known time of the steps (distance, reps and lap steps count 0)."""
    total = 0
    for item in items:
        if isinstance(item, Repeat):
            total += _seconds(item.steps) * item.repeat
        elif item.duration is not None:
            total += item.duration
    return total
