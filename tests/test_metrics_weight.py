"""The weight signal: each field only when its gate passes; no block when none does."""

from __future__ import annotations

from datetime import date, timedelta

from section11.metrics.load_ratios import load_recovery_ratio, stress_tolerance
from section11.metrics.weight import weight_signal

TODAY = date(2026, 11, 21)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_every_gate_passes() -> None:
    # 15 weigh-ins on a straight line w(x) = 70.0 − 0.04·x, x = days since today − 27.
    days = [27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 6, 4, 2, 1, 0]
    weigh_ins = {ago(n): round(70.0 - 0.04 * (27 - n), 2) for n in days}
    s = weight_signal(
        weigh_ins, TODAY, ftp=260, ftp_setting_date=ago(30), eftp=250, weight_unit="kg"
    )
    assert s is not None
    # today x = 27: 70 − 1.08 = 68.92 → 68.9
    assert (s.weight_latest_kg, s.weight_latest_date) == (68.9, TODAY)
    # FTP 260 / 68.9 (the rounded latest weight) = 3.774 → 3.77
    assert (s.wkg_current, s.wkg_ftp_source, s.ftp_setting_date) == (3.77, "tested", ago(30))
    # block: 27 days ago 70.0 → 260/70 = 3.714 → 3.71; today 68.92 → 260/68.92 = 3.773 → 3.77
    assert (s.wkg_block_start, s.wkg_block_end, s.wkg_block_delta) == (3.71, 3.77, 0.06)
    # last 7 days (6, 4, 2, 1, 0 days ago): 69.16, 69.08, 69.00, 68.96, 68.92;
    # mean 345.12/5 = 69.02 → 69.0
    assert s.weight_7d_avg_kg == 69.0
    assert s.weight_28d_slope_kg_per_week == -0.28  # −0.04 kg/day × 7
    assert s.weigh_ins_28d == 15
    assert s.display.weight_latest is not None and s.display.weight_latest.unit == "kg"
    slope = s.display.weight_28d_slope_per_week
    assert slope is not None and (slope.value, slope.unit) == (-0.28, "kg/week")


def test_gates_fail_one_by_one() -> None:
    # 3 weigh-ins, newest 10 days ago: latest passes (<= 14 days), nothing else does.
    weigh_ins = {ago(20): 70.0, ago(15): 70.2, ago(10): 70.4}
    s = weight_signal(weigh_ins, TODAY, ftp=None, ftp_setting_date=None, eftp=None)
    assert s is not None
    dumped = s.model_dump(mode="json")
    assert dumped["weight_latest_kg"] == 70.4
    for gated in (
        "wkg_current",
        "wkg_block_start",
        "weight_7d_avg_kg",
        "weight_28d_slope_kg_per_week",
    ):
        assert gated not in dumped  # left out, never null or 0
    # With eFTP only, W/kg says where its FTP came from: 250 / 70.4 = 3.551 → 3.55
    e = weight_signal(weigh_ins, TODAY, ftp=None, ftp_setting_date=ago(3), eftp=250)
    assert e is not None and (e.wkg_current, e.wkg_ftp_source) == (3.55, "eftp")
    assert "ftp_setting_date" not in e.model_dump()  # only for a tested FTP


def test_no_block_when_no_gate_passes() -> None:
    # The only weigh-in is 20 days old and there is no FTP: nothing passes.
    assert weight_signal({ago(20): 70.0}, TODAY, ftp=260, ftp_setting_date=None, eftp=None) is None
    # A 0 kg entry is a missing weigh-in, not a weight.
    assert weight_signal({ago(0): 0.0}, TODAY, ftp=260, ftp_setting_date=None, eftp=None) is None
    # Older than the 28-day window: ignored.
    assert weight_signal({ago(28): 70.0}, TODAY, ftp=260, ftp_setting_date=None, eftp=None) is None


def test_pounds_display() -> None:
    s = weight_signal(
        {TODAY: 70.0}, TODAY, ftp=None, ftp_setting_date=None, eftp=None, weight_unit="lb"
    )
    assert s is not None and s.display.weight_latest is not None
    assert (s.display.weight_latest.value, s.display.weight_latest.unit) == (
        154.3,
        "lb",
    )  # 70 × 2.20462


def test_stress_tolerance_and_load_recovery_ratio() -> None:
    assert stress_tolerance(340.0) == 3.4  # 340 / 100
    assert stress_tolerance(0.0) == 0.0  # a week without training is a real 0
    assert stress_tolerance(None) is None
    assert load_recovery_ratio(340.0, 1.17) == 2.9  # 340 / 117 = 2.906
    assert load_recovery_ratio(340.0, None) is None
    assert load_recovery_ratio(340.0, 0.0) is None
