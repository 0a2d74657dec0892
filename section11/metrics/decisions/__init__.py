"""Coaching decisions: alerts, deload, phase, readiness, race week and plan adherence.

Each decision is a small ladder over a typed input dataclass: no I/O, no clock.
"""

from section11.metrics.decisions.alerts import (
    Alert,
    AlertInputs,
    DurabilitySignal,
    build_alerts,
    sort_alerts,
)
from section11.metrics.decisions.deload import DeloadCheck, DeloadInputs, detect_deload
from section11.metrics.decisions.phase import (
    PhaseInputs,
    PhaseResult,
    PlannedSession,
    WeekSummary,
    detect_phase,
)
from section11.metrics.decisions.race_week import (
    RaceInfo,
    RaceWeek,
    RaceWeekInputs,
    pick_race_week_race,
    race_alerts,
    race_week,
)
from section11.metrics.decisions.readiness import ReadinessDecision, ReadinessInputs, decide

__all__ = [
    "Alert",
    "AlertInputs",
    "DeloadCheck",
    "DeloadInputs",
    "DurabilitySignal",
    "PhaseInputs",
    "PhaseResult",
    "PlannedSession",
    "RaceInfo",
    "RaceWeek",
    "RaceWeekInputs",
    "ReadinessDecision",
    "ReadinessInputs",
    "WeekSummary",
    "build_alerts",
    "decide",
    "detect_deload",
    "detect_phase",
    "pick_race_week_race",
    "race_alerts",
    "race_week",
    "sort_alerts",
]
