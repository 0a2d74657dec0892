from __future__ import annotations

import pytest

from section11.metrics.effort import effort_response


@pytest.mark.parametrize(
    ("intensity", "rpe", "expected"),
    [
        (None, 5, None),
        (80, None, None),
        (80, 0, None),  # RPE 0 is "not rated"
        (64, 5, None),  # IF 0.64 < 0.65: too easy to judge
        (65, 3, "neutral"),  # IF 0.65 → band 2–4
        (65, 1, "positive"),  # below 2–4
        (80, 7, "negative"),  # IF 0.80 → band 4–6
        (90, 6, "neutral"),  # IF 0.90 → band 6–8
        (95, 8, "neutral"),  # IF 0.95 → band 8–9
        (105, 8, "positive"),  # IF 1.05 → band 9–10
        (110, 10, "neutral"),
    ],
)
def test_effort_response(intensity: float | None, rpe: int | None, expected: str | None) -> None:
    assert effort_response(intensity, rpe) == expected
