"""Capability metrics: durability, efficiency, HR recovery, curves, sustainability, TID drift.

Pure functions over typed activities and curves; each gate returns None with its counts.
"""

from section11.metrics.capability.curve_delta import (
    CurveWindow,
    HrAnchor,
    HrCurveDelta,
    PowerAnchor,
    PowerCurveDelta,
    anchor_value,
    hr_curve_delta,
    pct_change,
    power_curve_delta,
)
from section11.metrics.capability.durability import Durability, durability
from section11.metrics.capability.efficiency import EfficiencyFactor, efficiency_factor
from section11.metrics.capability.hrrc import Hrrc, hrrc, hrrc_value
from section11.metrics.capability.sustainability import (
    CyclingModel,
    CyclingSustainability,
    CyclingSustainabilityAnchor,
    FamilyInputs,
    FamilySustainability,
    SustainabilityAnchor,
    SustainabilityProfile,
    family_profile,
    sustainability_profile,
    sustainability_weight,
)
from section11.metrics.capability.tid_comparison import TidComparison, tid_comparison

__all__ = [
    "CurveWindow",
    "CyclingModel",
    "CyclingSustainability",
    "CyclingSustainabilityAnchor",
    "Durability",
    "EfficiencyFactor",
    "FamilyInputs",
    "FamilySustainability",
    "HrAnchor",
    "HrCurveDelta",
    "Hrrc",
    "PowerAnchor",
    "PowerCurveDelta",
    "SustainabilityAnchor",
    "SustainabilityProfile",
    "TidComparison",
    "anchor_value",
    "durability",
    "efficiency_factor",
    "family_profile",
    "hr_curve_delta",
    "hrrc",
    "hrrc_value",
    "pct_change",
    "power_curve_delta",
    "sustainability_profile",
    "sustainability_weight",
    "tid_comparison",
]
