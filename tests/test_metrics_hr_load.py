"""hrTSS and the CTL/ATL impulse-response model used in Garmin-only mode."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest

from section11.metrics.hr_load import fitness_by_day, hr_tss


def test_hr_tss_one_hour_at_threshold_is_100() -> None:
    # 1 h x (170/170)^2 x 100 = 100
    assert hr_tss(3600, 170, 170).value == 100.0


def test_hr_tss_easy_run() -> None:
    # 0.75 h x (136/170)^2 x 100 = 0.75 x 0.64 x 100 = 48.0
    assert hr_tss(2700, 136, 170).value == 48.0


@pytest.mark.parametrize(
    ("duration", "hr", "lthr", "reason"),
    [(3600, 150, None, "LTHR"), (3600, None, 170, "heart rate"), (0, 150, 170, "duration")],
)
def test_hr_tss_without_inputs_is_none_with_a_reason(
    duration: float, hr: float | None, lthr: float | None, reason: str
) -> None:
    load = hr_tss(duration, hr, lthr)
    assert load.value is None and load.reason is not None and reason in load.reason


def test_fitness_impulse_response() -> None:
    d0 = date(2026, 1, 1)
    days = fitness_by_day({d0: 100.0}, d0, d0 + timedelta(days=1))
    # Day 0: 100 x (1 - e^(-1/42)) = 100 x 0.023528 = 2.35; ATL 100 x (1 - e^(-1/7)) = 13.31
    assert days[d0].ctl == round(100 * (1 - math.exp(-1 / 42)), 2) == 2.35
    assert days[d0].atl == round(100 * (1 - math.exp(-1 / 7)), 2) == 13.31
    # Day 1, rest: decays by e^(-1/42): 2.3528 x 0.97647 = 2.30; ATL 13.31 x 0.86688 = 11.54
    assert days[d0 + timedelta(days=1)].ctl == 2.3
    assert days[d0 + timedelta(days=1)].atl == 11.54
    assert days[d0 + timedelta(days=1)].load == 0.0
