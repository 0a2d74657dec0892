from __future__ import annotations

from datetime import date

import pytest

from section11.metrics.benchmark import (
    benchmark_index,
    ftp_in_effect,
    seasonal_context,
    seasonal_expected_range,
)


def test_ftp_in_effect() -> None:
    series = {"2026-01-01": 250, "2026-06-10": 260, "not-a-date": 999}
    assert ftp_in_effect(series, date(2025, 12, 31)) is None
    assert ftp_in_effect(series, date(2026, 1, 1)) == 250  # same day counts
    assert ftp_in_effect(series, date(2026, 6, 9)) == 250
    assert ftp_in_effect(series, date(2026, 11, 21)) == 260
    assert ftp_in_effect({}, date(2026, 11, 21)) is None


def test_stable_ftp_is_zero_not_none() -> None:
    # today − 56 d = 2026-09-26; in effect then: 250 (set 2026-01-01)
    b = benchmark_index({"2026-01-01": 250}, date(2026, 11, 21), current_ftp=250)
    assert b.ftp_8_weeks_ago == 250
    assert b.benchmark_index == 0.0  # 250/250 − 1
    assert b.benchmark_percentage == "+0.0%"
    assert b.seasonal_expected is False  # November expects −5 %…−2 %


def test_gain_within_season() -> None:
    # today 2026-04-15 − 56 d = 2026-02-18 → 250 in effect; 258/250 − 1 = 0.032
    b = benchmark_index({"2025-12-01": 250, "2026-03-20": 258}, date(2026, 4, 15), current_ftp=258)
    assert b.ftp_8_weeks_ago == 250
    assert b.benchmark_index == 0.032
    assert b.benchmark_percentage == "+3.2%"
    assert b.seasonal_expected is True  # April: +2 %…+5 %


def test_loss_in_off_season() -> None:
    b = benchmark_index({"2026-01-01": 250}, date(2026, 11, 21), current_ftp=240)
    assert b.benchmark_index == -0.04  # 240/250 − 1
    assert b.benchmark_percentage == "-4.0%"
    assert b.seasonal_expected is True  # −0.05 ≤ −0.04 ≤ −0.02


def test_missing_inputs() -> None:
    late = benchmark_index({"2026-10-01": 250}, date(2026, 11, 21), current_ftp=260)
    assert late.ftp_8_weeks_ago is None  # series starts after 2026-09-26
    assert late.benchmark_index is None
    assert late.benchmark_percentage is None
    assert late.seasonal_expected is None
    no_current = benchmark_index({"2026-01-01": 250}, date(2026, 11, 21), current_ftp=None)
    assert no_current.ftp_8_weeks_ago == 250
    assert no_current.benchmark_index is None
    zero = benchmark_index({"2026-01-01": 0}, date(2026, 11, 21), current_ftp=250)
    assert zero.benchmark_index is None  # zero denominator


@pytest.mark.parametrize(
    ("month", "label", "expected"),
    [
        (1, "Early Base", (-0.02, 0.01)),
        (4, "Late Base / Build", (0.02, 0.05)),
        (5, "Build / Early Race Season", (0.01, 0.04)),
        (8, "Peak Race Season", (0.01, 0.03)),
        (9, "Late Season / Transition", (-0.03, 0.0)),
        (12, "Off-season / Transition", (-0.05, -0.02)),
    ],
)
def test_seasons(month: int, label: str, expected: tuple[float, float]) -> None:
    assert seasonal_context(month) == label
    assert seasonal_expected_range(month) == expected


def test_bad_month() -> None:
    with pytest.raises(ValueError):
        seasonal_context(13)
