"""Workout plans: loading, normalising and validation (one clear line per problem)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from section11.workouts import PlanError, check_workouts, load_plan, parse_plan, resolve_date
from section11.workouts.model import Step, parse_distance, parse_duration, parse_pace

TODAY = date(2026, 11, 21)


def _workout(**overrides: Any) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "name": "Easy run",
        "sport": "run",
        "date": "+1",
        "steps": [{"duration": "30m"}],
    }
    plan.update(overrides)
    return plan


def _problems(raw: Any) -> list[str]:
    with pytest.raises(PlanError) as caught:
        check_workouts(parse_plan(raw, source="p.json"), TODAY, source="p.json")
    return caught.value.problems


def test_durations_distances_and_paces_are_normalised() -> None:
    assert parse_duration("1h30m") == 5400  # 3600 + 30*60
    assert parse_duration("90s") == 90
    assert parse_duration("1:30") == 90  # m:ss, 60 + 30
    assert parse_duration(45.4) == 45
    assert parse_distance("5km") == 5000.0
    assert parse_distance("400m") == 400.0
    assert parse_distance("1mi") == 1609.344
    assert parse_pace("4:30") == 270.0  # 4*60 + 30
    step = Step.model_validate({"duration": "10m"})
    assert step.duration == 600


def test_relative_dates() -> None:
    assert resolve_date("+3", TODAY) == date(2026, 11, 24)  # 21 + 3
    assert resolve_date("today", TODAY) == TODAY
    assert resolve_date("2026-12-01", TODAY) == date(2026, 12, 1)
    with pytest.raises(ValueError):
        resolve_date("next friday", TODAY)


def test_a_valid_plan_passes() -> None:
    check_workouts(parse_plan(_workout()), TODAY)


def test_one_line_per_problem() -> None:
    raw = [
        _workout(date="2026-11-20"),
        _workout(steps=[{"kind": "interval"}]),
        _workout(steps=[{"repeat": 3, "steps": []}]),
        _workout(
            sport="swim",
            pool_length=25,
            pool_unit="m",
            steps=[{"distance": 100}, {"kind": "rest", "duration": 20}],
        ),
    ]
    problems = _problems(raw)
    assert problems == [
        "p.json: workouts[0].date: 2026-11-20 is in the past (today is 2026-11-21); "
        "plan it for today or later",
        "p.json: workouts[1].steps[0]: a step with no end; give duration, distance, calories, "
        "reps or lap_button",
        "p.json: workouts[2].steps[0]: a repeat without steps; add the steps to repeat",
        'p.json: workouts[3].steps[0]: a swim step without a stroke; set stroke (e.g. "free")',
    ]
    assert all("\n" not in line for line in problems)


def test_more_problems_each_on_its_own_line() -> None:
    raw = _workout(
        name="x" * 256,
        date="someday",
        steps=[
            {"duration": 60, "distance": 200},
            {"reps": 10},
            {"duration": 60, "target": {"type": "power", "unit": "bpm", "value": 150}},
            {"duration": 60, "target": {"type": "power", "unit": "watts", "low": 300, "high": 200}},
            {
                "repeat": 2,
                "steps": [
                    {
                        "repeat": 2,
                        "steps": [
                            {"repeat": 2, "steps": [{"repeat": 2, "steps": [{"duration": 10}]}]}
                        ],
                    }
                ],
            },
        ],
    )
    problems = _problems(raw)
    assert problems == [
        "p.json: workouts[0].name: 256 characters; shorten it to 255",
        "p.json: workouts[0].date: cannot read 'someday'; write YYYY-MM-DD, 'today' or '+N' "
        "(days ahead)",
        "p.json: workouts[0].steps[0]: a step with duration and distance; keep exactly one end",
        "p.json: workouts[0].steps[1].reps: a reps end is for strength workouts; use duration "
        "or distance",
        "p.json: workouts[0].steps[2].target.unit: 'bpm' is not a power unit; use %ftp, watts, "
        "zone",
        "p.json: workouts[0].steps[3].target: low 300 is above high 200; swap them",
        "p.json: workouts[0].steps[4].steps[0].steps[0].steps[0]: repeats nested deeper than 3 "
        "levels; flatten one",
    ]


def test_swim_needs_a_pool_and_multisport_needs_segments() -> None:
    problems = _problems(
        [
            _workout(sport="swim", steps=[{"distance": 100, "stroke": "free"}]),
            _workout(sport="multisport", steps=[], segments=[{"sport": "run", "steps": []}]),
        ]
    )
    assert problems == [
        'p.json: workouts[0]: a swim needs pool_length and pool_unit (e.g. 25 and "m") so a '
        "watch can count lengths",
        "p.json: workouts[1].segments: a multisport workout needs at least two segments",
        "p.json: workouts[1].segments[0].steps: no steps; add at least one step",
    ]


def test_shape_errors_are_one_line_each(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(
        json.dumps(_workout(sport="rowing", steps=[{"duration": "ten minutes"}])), "utf-8"
    )
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    lines = caught.value.problems
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: workouts[0].sport: Input should be 'run'")
    assert lines[1] == (
        f"{path}: workouts[0].steps[0].duration: cannot read duration 'ten minutes'; write "
        "seconds or e.g. '10m', '1h30m'"
    )


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    with pytest.raises(PlanError, match=r"not valid JSON \(line 1"):
        load_plan(broken)


def test_races_and_notes_need_no_steps() -> None:
    check_workouts(parse_plan(_workout(category="RACE_A", steps=[])), TODAY)
    check_workouts(parse_plan(_workout(category="NOTE", steps=[], sport="multisport")), TODAY)
    assert _problems(_workout(category="NOTE")) == [
        "p.json: workouts[0].category: a NOTE has no steps; use WORKOUT"
    ]
    assert _problems(_workout(steps=[])) == [
        "p.json: workouts[0].steps: no steps; add at least one step"
    ]


def test_texts_that_intervals_would_misread() -> None:
    problems = _problems(
        _workout(
            description="Easy day\n- keep it chatty",
            steps=[
                {"duration": "10m", "text": "Hard 5m then easy"},
                {"duration": 60, "text": "a\nb"},
            ],
        )
    )
    assert problems == [
        "p.json: workouts[0].steps[0].text: 'Hard 5m then easy' contains '5m', which "
        "Intervals.icu reads as the step's length; reword it",
        "p.json: workouts[0].steps[1].text: 'a\\nb' has a line break; reword it",
        "p.json: workouts[0].description: the line '- keep it chatty' starts with '-', which "
        "Intervals.icu reads as a workout step; reword it",
    ]
