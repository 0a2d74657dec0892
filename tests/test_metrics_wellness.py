from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from section11.metrics.wellness import (
    baselines,
    is_valid_hrv,
    recovery_index,
    recovery_indices,
)
from section11.sources.intervals_icu.models import Wellness

TODAY = date(2026, 11, 21)


def w(day: str, **fields: Any) -> Wellness:
    return Wellness.model_validate({"id": day, **fields})


@pytest.mark.parametrize(
    ("value", "valid"),
    [(None, False), (9.9, False), (10, True), (250, True), (250.1, False), (0, False)],
)
def test_is_valid_hrv(value: float | None, valid: bool) -> None:
    assert is_valid_hrv(value) is valid


def _records() -> list[Wellness]:
    # deliberately not in date order
    return [
        w("2026-11-20", hrv=50, restingHR=48),
        w("2026-11-14", hrv=40, restingHR=60),  # in 28 d, not in 7 d (7 d = 11-15..11-21)
        w("2026-11-21", hrv=60, restingHR=50),
        w("2026-11-19", hrv=5, restingHR=0),  # artefact HRV, RHR 0: neither counts
        w("2026-10-24", hrv=100, restingHR=70),  # before the 28 d window (10-25..11-21)
        w("2026-11-15", hrv=70, restingHR=52),
        w("2026-11-22", hrv=99, restingHR=99),  # future
    ]


def test_baselines() -> None:
    b = baselines(_records(), TODAY)
    assert b.hrv_baseline_7d == 60.0  # (70 + 50 + 60) / 3
    assert b.rhr_baseline_7d == 50.0  # (52 + 48 + 50) / 3
    assert b.hrv_baseline_28d == 55.0  # (40 + 70 + 50 + 60) / 4
    assert b.rhr_baseline_28d == 52.5  # (60 + 52 + 48 + 50) / 4
    assert (b.latest_hrv, b.latest_hrv_date) == (60, TODAY)
    assert (b.latest_rhr, b.latest_rhr_date) == (50, TODAY)
    assert (b.hrv_data_points_7d, b.hrv_data_points_28d) == (3, 4)
    assert (b.rhr_data_points_7d, b.rhr_data_points_28d) == (3, 4)


def test_latest_is_newest_by_date_with_a_value() -> None:
    records = [*_records(), w("2026-11-21", restingHR=47)]  # today's HRV missing
    b = baselines(records, TODAY)
    assert (b.latest_hrv, b.latest_hrv_date) == (50, date(2026, 11, 20))
    assert (b.latest_rhr, b.latest_rhr_date) == (47, TODAY)
    # 7 d HRV: (70 + 50) / 2 = 60.0; RHR: (52 + 48 + 47) / 3 = 49.0
    assert b.hrv_baseline_7d == 60.0
    assert b.rhr_baseline_7d == 49.0


def test_baselines_empty() -> None:
    b = baselines([], TODAY)
    assert b.hrv_baseline_7d is None
    assert b.rhr_baseline_28d is None
    assert b.latest_hrv is None
    assert b.latest_rhr_date is None
    assert b.hrv_data_points_28d == 0


def test_recovery_index() -> None:
    assert recovery_index(60, 60, 50, 50) == 1.0  # (60/60)/(50/50)
    assert recovery_index(66, 60, 45, 50) == 1.22  # 1.1 / 0.9 = 1.2222
    assert recovery_index(60, 0, 50, 50) is None  # zero denominator
    assert recovery_index(60, 60, 0, 50) is None
    assert recovery_index(None, 60, 50, 50) is None
    assert recovery_index(60, 60, 50, None) is None


def test_recovery_indices_today_and_yesterday() -> None:
    b = baselines(_records(), TODAY)  # 7 d baselines: HRV 60.0, RHR 50.0
    today, yesterday = recovery_indices(_records(), TODAY, b)
    assert today == 1.0  # (60/60)/(50/50)
    # yesterday 11-20: (50/60)/(48/50) = 0.8333/0.96 = 0.868 → 0.87
    assert yesterday == 0.87
    # no record for yesterday, artefact HRV today → both None
    records = [w("2026-11-21", hrv=5, restingHR=50)]
    assert recovery_indices(records, TODAY, b) == (None, None)
