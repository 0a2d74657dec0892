"""Fixed texts of latest.json that the public coaching protocol reads.

The protocol was written against the reference tool's output; these notes carry the same
meaning in our words, and ``DIFFERENCES_FROM_REFERENCE`` lists where our file deliberately
differs, so an AI following the protocol does not trip over them. Every sentence here is
sent to the AI on each conversation: keep them short.
"""

from __future__ import annotations

from typing import Final, Literal

# The live ACWR includes today's finished sessions: a report of load, never a decision input.
ACWR_SCOPE: Final[Literal["live_retrospective"]] = "live_retrospective"

HEALTH_CONTEXT_NOTE: Final = (
    "health_context holds illness and injury markers the athlete set (Intervals.icu calendar "
    "SICK / INJURED entries, the wellness injury score). It is context, not a readiness "
    "input. end_date is the last calendar day a marker covers (inclusive), not proof of "
    "recovery. When clarification_required is true, ask the athlete how they are before "
    "giving a full plan."
)

# Intervals.icu shows these two wellness fields under this heading.
PRE_TRAINING_UI_NOTE: Final = "Intervals.icu labels this field 'Pre training'"

DIFFERENCES_FROM_REFERENCE: Final[tuple[str, ...]] = (
    "Strava-sourced activities are left out of recent_activities and every total; "
    "data_quality.strava_stub_activities counts them.",
    "readiness_decision.signals always holds tsb, counted in signal_summary (the reference "
    "adds it only at P2).",
    "phase_detection has no dossier_declared / dossier_agreement (always null in the reference).",
    "workout_summary_stats has no patternA / patternB: every structured workout is summarised.",
    "race_week.race_week_tss_spent sums every activity from race day - 7 to now, whatever "
    "data_period.",
    "history.last_generated is a UTC timestamp, not a date; history.age_hours gives its age.",
    "*_formatted durations are whole minutes ('10h02m', '46m'), never seconds.",
    "history.json monthly_1y/2y/3y do not overlap (1y: this month and the 12 before, 2y: "
    "the 12 before those, 3y: older): find a month by `month` in all three.",
    "history.json daily_90d rows carry the wellness fields trends need (HRV, RHR, sleep, "
    "weight, subjective scores, injury); the full wellness record is in wellness_data.",
    "intervals.json has no fetch_state: that bookkeeping (internal, as the protocol says) "
    "is kept in .section11/.",
    "history.json data_gaps rows say why a gap exists (`kind`: no_activity, no_api_data, "
    "no_wellness).",
)
