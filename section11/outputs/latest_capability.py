"""The shape of ``derived_metrics.capability`` in latest.json.

Each block is the result model of its metric in ``section11.metrics.capability``; every gate
(minimum sessions, valid anchors, observed anchors) gives null values next to the counts
that failed it, never a 0 standing in for "not enough data".
"""

from __future__ import annotations

from pydantic import Field

from section11.metrics.capability import (
    Durability,
    EfficiencyFactor,
    HrCurveDelta,
    Hrrc,
    PowerCurveDelta,
    SustainabilityProfile,
    TidComparison,
)
from section11.metrics.dfa_profile import DfaA1Profile
from section11.outputs.common import OutputModel


class Capability(OutputModel):
    durability: Durability
    efficiency_factor: EfficiencyFactor
    hrrc: Hrrc
    tid_comparison: TidComparison
    power_curve_delta: PowerCurveDelta
    hr_curve_delta: HrCurveDelta
    sustainability_profile: SustainabilityProfile
    # The DFA a1 profile (trailing AlphaHRV analysis per sport) is built from the per-session
    # DFA blocks (docs/sessions-and-dfa.md).
    dfa_a1_profile: DfaA1Profile | None = Field(
        default=None,
        description="DFA a1 profile from the AlphaHRV streams of recent sessions; null when none",
    )
