"""Loading a plan file and checking it: one clear line per problem, before any request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from section11.errors import Section11Error
from section11.workouts.intervals_text import text_problem
from section11.workouts.model import UNITS_FOR_TYPE, Item, Plan, Repeat, Step, Target, Workout

MAX_NAME = 255
#: Garmin Connect accepts repeats nested this deep (measured); deeper is refused here.
MAX_REPEAT_DEPTH = 3
_RELATIVE = re.compile(r"^\+(\d{1,3})$")


class PlanError(Section11Error):
    """A plan file that cannot be used; ``problems`` holds one line per problem."""

    exit_code = 2

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{problems[0]}{more}")


def load_plan(path: Path) -> list[Workout]:
    """Read and parse a plan file; PlanError with every problem found."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError([f"{path}: cannot read it ({exc.__class__.__name__})"]) from None
    except json.JSONDecodeError as exc:
        raise PlanError([f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})"]) from None
    return parse_plan(raw, source=str(path))


def parse_plan(raw: Any, *, source: str = "plan") -> list[Workout]:
    if isinstance(raw, list):
        raw = {"workouts": raw}
    elif isinstance(raw, dict) and "workouts" not in raw:
        raw = {"workouts": [raw]}
    try:
        return Plan.model_validate(raw).workouts
    except ValidationError as exc:
        raise PlanError([_pydantic_line(source, err) for err in exc.errors()]) from None


def _pydantic_line(source: str, err: Any) -> str:
    where = ".".join(
        f"[{part}]" if isinstance(part, int) else str(part)
        for part in err["loc"]
        if part not in ("step", "repeat")  # discriminator tags, not the user's keys
    ).replace(".[", "[")
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{source}: {where}: {message}"


def resolve_date(text: str, today: date) -> date:
    """``YYYY-MM-DD``, ``today`` or ``+N`` days from today; ValueError otherwise."""
    value = text.strip().lower()
    if value == "today":
        return today
    relative = _RELATIVE.match(value)
    if relative:
        return today + timedelta(days=int(relative.group(1)))
    return date.fromisoformat(value)


def check_workouts(workouts: list[Workout], today: date, *, source: str = "plan") -> None:
    """Raise PlanError listing every problem of every workout."""
    problems: list[str] = []
    for index, workout in enumerate(workouts):
        prefix = f"{source}: workouts[{index}]"
        problems.extend(f"{prefix}{line}" for line in workout_problems(workout, today))
    if problems:
        raise PlanError(problems)


def workout_problems(workout: Workout, today: date) -> list[str]:
    """Problems of one workout as ``.path: what is wrong; what to do`` lines."""
    problems: list[str] = []
    name = workout.name.strip()
    if not name:
        problems.append(".name: the name is empty; give the workout a name")
    elif len(workout.name) > MAX_NAME:
        problems.append(f".name: {len(workout.name)} characters; shorten it to {MAX_NAME}")
    try:
        when = resolve_date(workout.date, today)
    except ValueError:
        problems.append(
            f".date: cannot read {workout.date!r}; write YYYY-MM-DD, 'today' or '+N' (days ahead)"
        )
    else:
        if when < today:
            problems.append(
                f".date: {when.isoformat()} is in the past (today is {today.isoformat()}); "
                "plan it for today or later"
            )
    # A workout needs steps; a race or a note may be just a name and a description.
    needs_steps = workout.category == "WORKOUT"
    if workout.sport == "multisport":
        if workout.steps:
            problems.append(".steps: a multisport workout keeps its steps in segments")
        if len(workout.segments) < 2 and (needs_steps or workout.segments):
            problems.append(".segments: a multisport workout needs at least two segments")
        for s_index, segment in enumerate(workout.segments):
            problems.extend(
                f".segments[{s_index}]{line}"
                for line in _steps_problems(segment.steps, segment.sport, ".steps", 0, True)
            )
            if segment.sport == "swim":
                problems.extend(f".segments[{s_index}]{line}" for line in _pool_problems(segment))
    else:
        if workout.segments:
            problems.append(".segments: only a multisport workout has segments")
        problems.extend(_steps_problems(workout.steps, workout.sport, ".steps", 0, needs_steps))
        if workout.sport == "swim" and workout.steps:
            problems.extend(_pool_problems(workout))
    for line in (workout.description or "").splitlines():
        if line.strip().startswith("-"):
            problems.append(
                f".description: the line {line.strip()[:40]!r} starts with '-', which "
                "Intervals.icu reads as a workout step; reword it"
            )
    if workout.category == "NOTE" and (workout.steps or workout.segments):
        problems.append(".category: a NOTE has no steps; use WORKOUT")
    return problems


def _pool_problems(part: Any) -> Iterator[str]:
    if part.pool_length is None or part.pool_unit is None:
        yield (
            ': a swim needs pool_length and pool_unit (e.g. 25 and "m") so a watch can '
            "count lengths"
        )


def _steps_problems(
    items: list[Item], sport: str, where: str, depth: int, required: bool = True
) -> Iterator[str]:
    if not items and depth == 0 and required:
        yield f"{where}: no steps; add at least one step"
    for index, item in enumerate(items):
        path = f"{where}[{index}]"
        if isinstance(item, Repeat):
            if depth + 1 > MAX_REPEAT_DEPTH:
                yield f"{path}: repeats nested deeper than {MAX_REPEAT_DEPTH} levels; flatten one"
            if not item.steps:
                yield f"{path}: a repeat without steps; add the steps to repeat"
            yield from _steps_problems(item.steps, sport, f"{path}.steps", depth + 1)
        else:
            yield from _step_problems(item, sport, path)


def _step_problems(step: Step, sport: str, path: str) -> Iterator[str]:
    ends = step.ends()
    if not ends:
        yield (f"{path}: a step with no end; give duration, distance, calories, reps or lap_button")
    elif len(ends) > 1:
        yield f"{path}: a step with {' and '.join(ends)}; keep exactly one end"
    for name in ("duration", "distance", "calories", "reps"):
        value = getattr(step, name)
        if value is not None and value <= 0:
            yield f"{path}.{name}: {value} is not positive"
    if step.reps is not None and sport != "strength":
        yield f"{path}.reps: a reps end is for strength workouts; use duration or distance"
    if sport == "swim":
        if step.stroke is None and step.kind != "rest":
            yield f'{path}: a swim step without a stroke; set stroke (e.g. "free")'
    elif step.stroke is not None or step.equipment is not None:
        yield f"{path}: stroke and equipment are for swim steps only"
    for name in ("text", "exercise"):
        value = getattr(step, name)
        problem = text_problem(value) if value else None
        if problem:
            yield f"{path}.{name}: {value[:40]!r} {problem}; reword it"
    if sport != "strength" and step.exercise is not None:
        yield f"{path}.exercise: an exercise is for strength steps only"
    for field in ("target", "secondary_target"):
        target = getattr(step, field)
        if target is not None:
            yield from _target_problems(target, f"{path}.{field}")
    if (
        step.target is not None
        and step.secondary_target is not None
        and step.target.type == step.secondary_target.type
    ):
        yield f"{path}.secondary_target: the same type as the target; pick another type"
    if step.secondary_target is not None and step.target is None:
        yield f"{path}.secondary_target: set target first"


def _target_problems(target: Target, path: str) -> Iterator[str]:
    allowed = UNITS_FOR_TYPE[target.type]
    if target.unit not in allowed:
        yield f"{path}.unit: {target.unit!r} is not a {target.type} unit; use {', '.join(allowed)}"
    given = [
        name
        for name, present in (
            ("value", target.value is not None),
            ("low/high", target.low is not None or target.high is not None),
            ("zone", target.zone is not None),
        )
        if present
    ]
    if target.unit == "zone":
        if target.zone is None or given != ["zone"]:
            yield f"{path}: a zone target needs zone (1-7) and nothing else"
        elif target.type == "heart_rate" and target.zone > 5:
            yield f"{path}.zone: heart-rate zones go from 1 to 5"
        return
    if len(given) != 1 or "zone" in given:
        yield f"{path}: give either value or low and high"
        return
    if given == ["low/high"] and (target.low is None or target.high is None):
        yield f"{path}: a range needs both low and high"
        return
    bounds = target.bounds()
    if bounds is not None:
        low, high = bounds
        if low <= 0 or high <= 0:
            yield f"{path}: target values must be positive"
        elif not target.ramp and low > high:
            yield f"{path}: low {low:g} is above high {high:g}; swap them"
    if target.ramp and target.value is not None:
        yield f"{path}.ramp: a ramp goes from low to high; give both instead of value"
