"""latest.json's decision blocks from the builder: plan adherence, summary stats, race week,
readiness and phase wiring. Fixture data: tests/test_output_latest.py (today 2026-03-18,
a Wednesday; Monday 2026-03-16 = Zwift race i2, 45 TSS; today = Morning Ride i1, 60 TSS).
"""

from __future__ import annotations

from typing import Any

from test_output_latest import ACTIVITIES, EVENTS, _inputs, _json

from section11.outputs.latest import build_latest
from section11.sources.intervals_icu.models import Activity, Event


def _event(event_id: int, day: str, name: str, load: int = 50, **extra: Any) -> dict[str, Any]:
    return {
        "id": event_id,
        "category": "WORKOUT",
        "type": "Ride",
        "name": name,
        "start_date_local": f"{day}T00:00:00",
        "moving_time": 3600,
        "icu_training_load": load,
        **extra,
    }


def test_plan_adherence_pairs_planned_sessions_with_activities() -> None:
    events = [
        *EVENTS,
        _event(201, "2026-03-16", "Race simulation", load=40),  # done by i2 (paired)
        _event(202, "2026-03-17", "Skipped endurance"),  # nothing done: missed
        _event(203, "2026-03-03", "Too old"),  # before today - 14 = 03-04: not listed
    ]
    activities = [dict(a) for a in ACTIVITIES]
    next(a for a in activities if a["id"] == "i2")["paired_event_id"] = 201
    data = _json(
        build_latest(
            _inputs(
                events=[Event.model_validate(e) for e in events],
                activities=[Activity.model_validate(a) for a in activities],
            )
        )
    )
    adherence = data["plan_adherence"]
    by_id = {s["event_id"]: s for s in adherence["sessions"]}
    assert set(by_id) == {201, 202, 101}
    assert by_id[201]["status"] == "completed" and by_id[201]["activity_id"] == "i2"
    # Actual 45 TSS vs 40 planned: 45 / 40 = 1.125 -> 1.12 (2 dp, round half to even).
    assert (by_id[201]["actual_tss"], by_id[201]["tss_ratio"]) == (45, 1.12)
    assert by_id[202]["status"] == "missed" and by_id[202]["activity_id"] is None
    # Today's "Sweet spot" (101) is not paired yet: pending, not counted.
    assert by_id[101]["status"] == "pending"
    assert by_id[101]["workout_summary"] is not None
    # Past days: 2 planned, 1 completed, 1 missed -> 0.5.
    assert (adherence["planned"], adherence["completed"], adherence["missed"]) == (2, 1, 1)
    assert adherence["completion_rate"] == 0.5


def test_workout_summary_stats() -> None:
    data = _json(build_latest(_inputs()))
    # Training events today … today + 42: 101 (steps: summarized) and the RACE_A 102
    # (no steps). 104 is 43 days out.
    assert data["workout_summary_stats"] == {
        "attempted": 2,
        "success": 1,
        "bail_no_workout_doc": 1,
        "bail_no_match": 0,
    }


def test_decisions_are_present_and_consistent() -> None:
    data = _json(build_latest(_inputs()))
    derived = data["derived_metrics"]
    assert derived["phase_detected"] == derived["phase_detection"]["phase"]
    assert derived["phase_triggers"] == derived["phase_detection"]["reason_codes"]
    decision = data["readiness_decision"]
    assert decision["recommendation"] in ("go", "modify", "skip")
    assert decision["phase_context"]["phase"] == derived["phase_detected"]
    # The RACE_A is 10 days away: a taper alert, no race week yet.
    assert data["race_calendar"]["race_week"] == {"active": False}
    assert data["race_calendar"]["taper_alert"]["days_until"] == 10
    # Only the current week and one before have training: too little to classify, which
    # the ladder checks before race proximity.
    assert derived["phase_detected"] is None
    assert derived["phase_triggers"][0] == "INSUFFICIENT_DATA"
    assert derived["phase_detection"]["basis"]["data_quality"] == "poor"
    assert "readiness_decision" in data["READ_THIS_FIRST"]["readiness_decision_note"]


def test_race_week_when_the_race_is_close() -> None:
    events = [dict(e) for e in EVENTS]
    race = next(e for e in events if e["id"] == 102)
    race["start_date_local"] = "2026-03-22T09:30:00"  # Sunday: D-4
    data = _json(build_latest(_inputs(events=[Event.model_validate(e) for e in events])))
    week = data["race_calendar"]["race_week"]
    assert week["current_day"] == "D-4"
    # 4 h race (14400 s > 10800): long_endurance, A target 10-25.
    assert week["event_duration_class"] == "long_endurance"
    assert week["tsb_target_range"] == {"min": 10, "max": 25}
    # Spent: everything from 2026-03-15 (race - 7) to today: i2 45 + i5 (Strava stub, no
    # load) + i6 (null load) + i1 60 = 105 TSS.
    assert week["race_week_tss_spent"] == 105
    assert data["readiness_decision"]["phase_context"]["modifier_applied"] == (
        "race_week_tightened"
    )
    assert data["alerts"][-1]["metric"] == "race_week"


def test_no_data_at_all_still_decides() -> None:
    data = _json(build_latest(_inputs(activities=[], wellness=[], events=[], health_events=[])))
    decision = data["readiness_decision"]
    # HRV, RHR, sleep, RI and TSB unknown; start-of-day ACWR has no chronic load: all six
    # unavailable -> nothing argues against the plan: P3 go, with the note.
    assert decision["signal_summary"] == {"green": 0, "amber": 0, "red": 0, "unavailable": 6}
    assert decision["recommendation"] == "go"
    assert decision["reason"].endswith("Note: 6 signals unavailable.")
    assert data["derived_metrics"]["phase_detected"] is None
    assert data["alerts"] == []
    assert data["plan_adherence"]["completion_rate"] is None
    assert data["race_calendar"] == {
        "next_race": None,
        "all_races": [],
        "taper_alert": {"active": False},
        "race_week": {"active": False},
    }
