"""Effort response: did the session feel harder or easier than its intensity predicts?"""

from __future__ import annotations

# Below this intensity factor RPE says little about the response.
MIN_IF = 0.65
# (upper IF bound exclusive, expected RPE low, expected RPE high)
_BANDS: tuple[tuple[float, int, int], ...] = (
    (0.75, 2, 4),
    (0.85, 4, 6),
    (0.95, 6, 8),
    (1.05, 8, 9),
)
_TOP_BAND = (9, 10)


def expected_rpe(intensity_factor: float) -> tuple[int, int]:
    for upper, low, high in _BANDS:
        if intensity_factor < upper:
            return low, high
    return _TOP_BAND


def effort_response(intensity_pct: float | None, rpe: int | None) -> str | None:
    """ "positive" (RPE below the expected band), "negative" (above) or "neutral".

    ``intensity_pct`` is Intervals.icu's ``icu_intensity`` (IF × 100).
    """
    if intensity_pct is None or rpe is None or rpe <= 0:
        return None
    intensity_factor = intensity_pct / 100
    if intensity_factor < MIN_IF:
        return None
    low, high = expected_rpe(intensity_factor)
    if rpe < low:
        return "positive"
    if rpe > high:
        return "negative"
    return "neutral"
