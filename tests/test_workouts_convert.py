"""Workout conversions: Intervals.icu text (both ways), workout_doc (both ways), Garmin JSON.

Every example plan in examples/workouts/ is exported to Garmin Connect JSON and checked
against the measured rules: repeat groups end on the iterations condition with a value
equal to numberOfIterations, stepOrder is unique across all segments, swim segments carry
pool length and unit, target values are numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from section11.workouts import (
    ConversionError,
    Thresholds,
    Workout,
    from_doc,
    from_text,
    load_plan,
    to_doc,
    to_garmin,
    to_text,
)
from section11.workouts.model import Repeat, Step

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples" / "workouts").glob("*.json"))
TODAY = date(2026, 11, 21)
THRESHOLDS = Thresholds(ftp=250, lthr=170, max_hr=190, threshold_pace=260, threshold_swim_pace=110)


def _load(name: str) -> Workout:
    return load_plan(Path(__file__).resolve().parents[1] / "examples" / "workouts" / name)[0]


def test_there_are_six_example_plans_covering_every_sport() -> None:
    sports = sorted(load_plan(p)[0].sport for p in EXAMPLES)
    assert sports == ["multisport", "ride", "run", "run", "strength", "swim"]


# ------------------------------------------------------------------ Garmin rules


def _walk(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for step in steps:
        yield step
        if step["type"] == "RepeatGroupDTO":
            yield from _walk(step["workoutSteps"])


def _depth(steps: list[dict[str, Any]]) -> int:
    return max(
        (1 + _depth(s["workoutSteps"]) for s in steps if s["type"] == "RepeatGroupDTO"),
        default=0,
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_garmin_export_keeps_the_measured_rules(path: Path) -> None:
    workout = load_plan(path)[0]
    garmin = to_garmin(workout, THRESHOLDS)
    orders: list[int] = []
    for segment in garmin["workoutSegments"]:
        for step in _walk(segment["workoutSteps"]):
            orders.append(step["stepOrder"])
            if step["type"] == "RepeatGroupDTO":
                assert step["endCondition"]["conditionTypeKey"] == "iterations"
                assert step["endCondition"]["conditionTypeId"] == 7
                assert _is_number(step["endConditionValue"])
                assert step["endConditionValue"] == step["numberOfIterations"]
                assert step["numberOfIterations"] >= 1
                assert step["workoutSteps"], "a repeat group with steps"
            for key in (
                "targetValueOne",
                "targetValueTwo",
                "secondaryTargetValueOne",
                "secondaryTargetValueTwo",
                "zoneNumber",
                "secondaryZoneNumber",
            ):
                if key in step:
                    assert _is_number(step[key]), f"{key} of step {step['stepOrder']}"
        if segment["sportType"]["sportTypeKey"] == "swimming":
            assert _is_number(segment["poolLength"])
            assert segment["poolLengthUnit"]["unitKey"] in ("meter", "yard")
            for step in _walk(segment["workoutSteps"]):
                if step["type"] == "ExecutableStepDTO":
                    assert "strokeTypeId" in step["strokeType"]
                    assert "equipmentTypeId" in step["equipmentType"]
    assert len(orders) == len(set(orders)), "stepOrder unique across all segments"
    assert sorted(orders) == list(range(1, len(orders) + 1))


def test_garmin_run_has_three_levels_of_repeats_and_calories_end() -> None:
    garmin = to_garmin(_load("run_intervals.json"), THRESHOLDS)
    steps = garmin["workoutSegments"][0]["workoutSteps"]
    assert _depth(steps) == 3
    ends = {s["endCondition"]["conditionTypeKey"] for s in _walk(steps)}
    assert ends == {"time", "distance", "calories", "iterations", "lap.button"}
    pace = next(
        s
        for s in _walk(steps)
        if s.get("targetType", {}).get("workoutTargetTypeKey") == "pace.zone"
    )
    # 4:00/km = 240 s -> 1000/240 = 4.1667 m/s; 3:50/km = 230 s -> 1000/230 = 4.3478 m/s
    assert (pace["targetValueOne"], pace["targetValueTwo"]) == (4.1667, 4.3478)
    bpm = next(s for s in _walk(steps) if s.get("description") == "Strides")
    assert (bpm["targetValueOne"], bpm["targetValueTwo"]) == (140.0, 155.0)


def test_garmin_ride_power_cadence_speed_and_secondary_targets() -> None:
    garmin = to_garmin(_load("ride_power.json"), THRESHOLDS)
    steps = list(_walk(garmin["workoutSegments"][0]["workoutSteps"]))
    warmup = steps[0]
    # ramp 50-75 % of FTP 250 W: 0.50*250 = 125 W, 0.75*250 = 187.5 W
    assert (warmup["targetValueOne"], warmup["targetValueTwo"]) == (125.0, 187.5)
    zone_step = steps[1]
    assert zone_step["zoneNumber"] == 2
    assert zone_step["secondaryTargetType"]["workoutTargetTypeKey"] == "cadence.zone"
    assert (zone_step["secondaryTargetValueOne"], zone_step["secondaryTargetValueTwo"]) == (
        95.0,
        105.0,
    )
    speed = next(s for s in steps if s.get("description") == "Tempo on the road")
    # 30 km/h / 3.6 = 8.3333 m/s; 33 km/h / 3.6 = 9.1667 m/s
    assert speed["targetType"]["workoutTargetTypeKey"] == "speed.zone"
    assert (speed["targetValueOne"], speed["targetValueTwo"]) == (8.3333, 9.1667)


def test_garmin_swim_strokes_equipment_and_pool() -> None:
    garmin = to_garmin(_load("swim_technique.json"), THRESHOLDS)
    segment = garmin["workoutSegments"][0]
    assert garmin["poolLength"] == 25.0
    assert segment["poolLengthUnit"] == {"unitId": 1, "unitKey": "meter", "factor": 100.0}
    steps = [s for s in _walk(segment["workoutSteps"]) if s["type"] == "ExecutableStepDTO"]
    strokes = {s["strokeType"]["strokeTypeKey"] for s in steps} - {None}
    assert strokes == {"any_stroke", "backstroke", "breaststroke", "drill", "fly", "free"}
    kit = {s["equipmentType"]["equipmentTypeKey"] for s in steps} - {None}
    assert kit == {"fins", "kickboard", "paddles", "pull_buoy", "snorkel"}


def test_garmin_strength_reps_and_edge_cases() -> None:
    strength = to_garmin(_load("strength_circuit.json"), THRESHOLDS)
    steps = list(_walk(strength["workoutSegments"][0]["workoutSteps"]))
    squat = next(s for s in steps if s.get("exerciseName") == "Goblet squat")
    assert squat["endCondition"]["conditionTypeKey"] == "reps"
    assert squat["endConditionValue"] == 12.0
    assert strength["sportType"]["sportTypeKey"] == "strength_training"
    edge = to_garmin(_load("edge_cases.json"), THRESHOLDS)
    assert len(edge["workoutName"]) == 255
    once = edge["workoutSegments"][0]["workoutSteps"][0]
    assert once["numberOfIterations"] == 1
    assert once["endConditionValue"] == 1.0


def test_garmin_triathlon_has_three_segments_counting_steps_on() -> None:
    garmin = to_garmin(_load("triathlon_brick.json"), THRESHOLDS)
    assert garmin["sportType"] == {
        "sportTypeId": 10,
        "sportTypeKey": "multi_sport",
        "displayOrder": 4,
    }
    segments = garmin["workoutSegments"]
    assert [s["sportType"]["sportTypeKey"] for s in segments] == ["swimming", "cycling", "running"]
    assert [s["segmentOrder"] for s in segments] == [1, 2, 3]
    # swim: warmup 1, repeat 2, its two steps 3-4; ride: 5; run: 6-7
    assert [s["stepOrder"] for s in segments[1]["workoutSteps"]] == [5]
    assert [s["stepOrder"] for s in segments[2]["workoutSteps"]] == [6, 7]
    assert segments[0]["poolLength"] == 50.0
    assert "poolLength" not in segments[1]


def test_garmin_relative_targets_need_thresholds() -> None:
    with pytest.raises(ConversionError) as caught:
        to_garmin(_load("ride_power.json"))
    assert caught.value.problems == [
        "steps[0].target: a %ftp target needs --ftp (Garmin wants absolute values)",
        "steps[2].steps[0].target: a %ftp target needs --ftp (Garmin wants absolute values)",
        "steps[5].target: a %ftp target needs --ftp (Garmin wants absolute values)",
    ]


# ------------------------------------------------------------------ Intervals.icu text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_intervals_text_round_trips(path: Path) -> None:
    workout = load_plan(path)[0]
    for part in workout.parts():
        first = to_text(part.steps, part.sport, description=workout.description)
        items, description = from_text(first.text, part.sport)
        again = to_text(items, part.sport, description=description)
        assert again.text == first.text
        assert description == workout.description
        if not first.notes:  # nothing was lost: the steps come back exactly
            assert [i.model_dump() for i in items] == [s.model_dump() for s in part.steps]


def test_intervals_text_says_what_it_cannot_carry() -> None:
    run = _load("run_intervals.json")
    notes = to_text(run.steps, "run").notes
    assert notes == [
        "a heart_rate target in bpm has no Intervals.icu text; dropped",
        "steps[2].steps[0]: Intervals.icu text has no nested repeats; written out 3 times",
        "steps[2].steps[0].steps[0]: Intervals.icu text has no nested repeats; written out 2 times",
    ]
    text = to_text(run.steps, "run").text
    # Unrolled: 2 outer x 3 middle x 2 inner = 12 of the 400 m repeats inside one "2x" block,
    # written as 3 x 2 = 6 lines per outer iteration.
    assert text.count("- 400mtr 4:00-3:50/km Pace") == 6
    assert "Main set 2x" in text


def test_reads_handwritten_intervals_text() -> None:
    text = (
        "Sweet Spot\n\n"
        "Warmup\n- 10m 50-65% 90rpm\n- 5m ramp 65-85%\n\n"
        "Main Set 3x\n- 10m 88-94% 90rpm\n- Recovery 5m 55% 85rpm\n\n"
        "- 1m30 Z5\n- 5' 200w\n\n"
        "Cooldown\n- 10m ramp 55-40% 85rpm"
    )
    items, description = from_text(text, "ride")
    assert description == "Sweet Spot"
    warm, ramp, main, short, five, cool = items
    assert isinstance(warm, Step) and warm.kind == "warmup" and warm.duration == 600
    assert warm.secondary_target is not None and warm.secondary_target.value == 90
    assert isinstance(ramp, Step) and ramp.target is not None and ramp.target.ramp
    assert (ramp.target.low, ramp.target.high) == (65, 85)
    assert isinstance(main, Repeat) and main.repeat == 3 and main.text == "Main Set"
    recovery = main.steps[1]
    assert isinstance(recovery, Step) and recovery.kind == "recovery" and recovery.duration == 300
    assert isinstance(short, Step) and short.duration == 90  # 1m30 = 60 + 30
    assert short.target is not None and short.target.zone == 5
    assert isinstance(five, Step) and five.duration == 300  # 5' = 5 minutes
    assert isinstance(cool, Step) and cool.kind == "cooldown"
    assert cool.target is not None and (cool.target.low, cool.target.high) == (55, 40)


def test_reads_hr_and_pace_forms() -> None:
    items, _ = from_text(
        "- 10m Z2 HR\n- 5m 75-80% HR\n- 5m 95% LTHR\n- 2km 4:40-4:30/km Pace\n- 1km 90% Pace",
        "run",
    )
    targets = [i.target for i in items if isinstance(i, Step)]
    assert [(t.type, t.unit) for t in targets if t is not None] == [
        ("heart_rate", "zone"),
        ("heart_rate", "%max_hr"),
        ("heart_rate", "%lthr"),
        ("pace", "min/km"),
        ("pace", "%pace"),
    ]
    pace = targets[3]
    assert pace is not None and (pace.low, pace.high) == (270, 280)  # 4:30 = 270 s, 4:40 = 280 s


# ------------------------------------------------------------------ workout_doc


@pytest.mark.parametrize("name", ["edge_cases.json", "triathlon_brick.json"])
def test_workout_doc_round_trips(name: str) -> None:
    workout = _load(name)
    for part in workout.parts():
        if part.sport == "swim":
            continue  # strokes live in the text, not in workout_doc
        items, notes = from_doc(to_doc(part.steps))
        assert notes == []
        assert [i.model_dump() for i in items] == [s.model_dump() for s in part.steps]


def test_workout_doc_totals() -> None:
    ride = _load("ride_power.json")
    timed = [s for s in ride.steps if not (isinstance(s, Step) and s.distance is not None)]
    doc = to_doc(timed)
    # 15m + 5m + 3x(12m+4m) + 4x(2m+1m) + 10m = 900+300+2880+720+600 = 5400 s
    assert doc["duration"] == 5400
    assert "duration" not in to_doc(ride.steps)  # a distance step: total time unknown, not 0


def test_reads_the_demo_servers_workout_doc(demo_athlete: Any) -> None:
    docs = [e["workout_doc"] for e in demo_athlete.events if isinstance(e.get("workout_doc"), dict)]
    assert docs
    for doc in docs:
        items, _ = from_doc(doc)
        assert items
        assert to_doc(items).get("duration") == doc.get("duration")


@pytest.mark.parametrize(
    "doc",
    [
        None,
        "text",
        {"steps": "no"},
        {"steps": [None, 3, {"reps": "x", "steps": [{}]}, {"duration": -5, "power": "hi"}]},
        {"steps": [{"duration": 60, "power": {"units": "parsecs", "value": 1}}]},
        {"steps": [{"duration": 60, "hr": {"units": "hr_zone", "value": 9}}]},
        {"steps": [{"duration": True, "distance": None, "pace": {"units": "%pace"}}]},
    ],
)
def test_messy_workout_doc_never_crashes(doc: Any) -> None:
    items, notes = from_doc(doc)
    assert isinstance(items, list)
    assert notes, "what could not be read is said"
