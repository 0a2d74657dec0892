"""TID comparison: has the 7-day training-intensity distribution drifted from the 28-day one?"""

from __future__ import annotations

from typing import Literal

from section11.metrics._common import MetricModel
from section11.metrics.zones import SeilerTID

# Treff's Polarization Index above 2.0 means a polarized distribution.
POLARIZED_PI = 2.0

Drift = Literal["acute_depolarization", "shifting", "consistent"]

NOTE = (
    "7d vs 28d Seiler TID (all sports). pi_delta = PI 7d - PI 28d; positive = more "
    "polarized now. drift: 'acute_depolarization' when the 28d PI is >= 2.0 (polarized) and "
    "the 7d PI below it, 'shifting' when the classifications differ, else 'consistent'. "
    "Null when either window has no zone data."
)


class TidComparison(MetricModel):
    classification_7d: str | None
    classification_28d: str | None
    pi_7d: float | None
    pi_28d: float | None
    pi_delta: float | None
    drift: Drift | None
    note: str = NOTE


def tid_comparison(tid_7d: SeilerTID, tid_28d: SeilerTID) -> TidComparison:
    c7, c28 = tid_7d.classification, tid_28d.classification
    if c7 is None or c28 is None:
        return TidComparison(
            classification_7d=c7,
            classification_28d=c28,
            pi_7d=None,
            pi_28d=None,
            pi_delta=None,
            drift=None,
        )
    pi7, pi28 = tid_7d.polarization_index, tid_28d.polarization_index
    drift: Drift
    if pi7 is not None and pi28 is not None and pi7 < POLARIZED_PI <= pi28:
        drift = "acute_depolarization"
    elif c7 != c28:
        drift = "shifting"
    else:
        drift = "consistent"
    return TidComparison(
        classification_7d=c7,
        classification_28d=c28,
        pi_7d=pi7,
        pi_28d=pi28,
        pi_delta=None if pi7 is None or pi28 is None else round(pi7 - pi28, 2),
        drift=drift,
    )
