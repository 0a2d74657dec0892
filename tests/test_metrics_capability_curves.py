"""Power/HR curve deltas and the sustainability profile, with their gates."""

from __future__ import annotations

from datetime import date

from section11.metrics.capability import (
    CyclingModel,
    CyclingSustainability,
    CyclingSustainabilityAnchor,
    FamilyInputs,
    anchor_value,
    family_profile,
    hr_curve_delta,
    power_curve_delta,
    sustainability_profile,
    sustainability_weight,
)
from section11.sources.intervals_icu.curve_models import DataCurve

CUR = (date(2026, 10, 25), date(2026, 11, 21))
PREV = (date(2026, 9, 27), date(2026, 10, 24))


def curve(points: dict[int, float | None], ids: dict[int, str] | None = None) -> DataCurve:
    secs = sorted(points)
    return DataCurve(
        id="r.x.y",
        secs=secs,
        values=[points[s] for s in secs],
        activity_id=[(ids or {}).get(s) for s in secs],
    )


def test_anchor_value_needs_the_exact_duration_and_a_positive_value() -> None:
    c = curve({5: 600.4, 59: 400, 60: 0, 300: None})
    assert anchor_value(c, 5) == 600
    assert anchor_value(c, 60) is None  # 0 W is no effort
    assert anchor_value(c, 300) is None
    assert anchor_value(c, 1200) is None  # not on the curve
    assert anchor_value(None, 5) is None


def test_power_curve_delta_pct_and_rotation() -> None:
    current = curve({5: 660, 60: 400, 300: 300, 1200: 250, 3600: 220})
    previous = curve({5: 600, 60: 400, 300: 310, 1200: 260, 3600: 200})
    d = power_curve_delta(current, previous, CUR, PREV)
    assert d.anchors is not None
    # 5s: (660 − 600)/600 = +10.0 %; 60s 0.0; 300s (300 − 310)/310 = −3.2 %;
    # 1200s (250 − 260)/260 = −3.8 %; 3600s (220 − 200)/200 = +10.0 %
    assert [a.pct_change for a in d.anchors.values()] == [10.0, 0.0, -3.2, -3.8, 10.0]
    assert d.anchors["5s"].current_watts == 660 and d.anchors["5s"].previous_watts == 600
    # rotation: mean(10.0, 0.0) − mean(−3.8, 10.0) = 5.0 − 3.1 = 1.9
    assert d.rotation_index == 1.9
    assert (d.valid_anchors_current, d.valid_anchors_previous) == (5, 5)
    assert d.current_window.start == date(2026, 10, 25) and d.window_days == 28


def test_power_curve_delta_missing_anchor_gives_null_rotation() -> None:
    current = curve({60: 400, 300: 300, 1200: 250, 3600: 220})  # no 5 s point
    previous = curve({5: 600, 60: 400, 300: 310, 1200: 260})  # no 3600 s point
    d = power_curve_delta(current, previous, CUR, PREV)
    assert d.anchors is not None  # 4 valid anchors on each side >= 3
    assert d.anchors["5s"].pct_change is None and d.anchors["3600s"].pct_change is None
    assert d.rotation_index is None  # a rotation component is missing


def test_curve_delta_gate_fewer_than_three_anchors() -> None:
    current = curve({5: 660, 60: 400, 300: 300})
    previous = curve({5: 600, 60: 400})  # 2 valid anchors
    d = power_curve_delta(current, previous, CUR, PREV)
    assert d.anchors is None and d.rotation_index is None
    assert (d.valid_anchors_current, d.valid_anchors_previous) == (3, 2)
    unknown = power_curve_delta(None, previous, CUR, PREV)  # curve not available at all
    assert unknown.anchors is None
    assert (unknown.valid_anchors_current, unknown.valid_anchors_previous) == (None, 2)


def test_hr_curve_delta() -> None:
    current = curve({60: 186, 300: 180, 1200: 164, 3600: 154})
    previous = curve({60: 186, 300: 185, 1200: 179, 3600: 165})
    d = hr_curve_delta(current, previous, CUR, PREV)
    assert d.anchors is not None
    # 60s 0.0; 300s (180 − 185)/185 = −2.7 %; 1200s (164 − 179)/179 = −8.4 %;
    # 3600s (154 − 165)/165 = −6.7 %
    assert [a.pct_change for a in d.anchors.values()] == [0.0, -2.7, -8.4, -6.7]
    assert d.anchors["300s"].current_bpm == 180
    # rotation: mean(0.0, −2.7) − mean(−8.4, −6.7) = −1.35 + 7.55 = 6.2
    assert d.rotation_index == 6.2


# ------------------------------------------------------------------------------ sustainability

CYCLING = CyclingModel(ftp=260, w_prime=20500, ftp_staleness_days=3)


def test_cycling_anchor_models_and_sources() -> None:
    power = curve({300: 304, 600: 259, 1200: 246}, {300: "i1", 600: "i2", 1200: "i9"})
    hr = curve({300: 182, 600: 168})
    indoor = {"i1": False, "i2": True}
    block = family_profile(
        "cycling",
        FamilyInputs(power=power, hr=hr, lthr=168),
        71.9,
        is_indoor=indoor.get,
        cycling=CYCLING,
    )
    assert isinstance(block, CyclingSustainability) and block.anchors is not None
    a300, a7200 = block.anchors["300s"], block.anchors["7200s"]
    assert isinstance(a300, CyclingSustainabilityAnchor)
    assert isinstance(a7200, CyclingSustainabilityAnchor)
    assert (a300.actual_watts, a300.actual_hr, a300.source) == (304, 182, "observed_outdoor")
    assert a300.actual_wpkg == 4.23  # 304 / 71.9 = 4.228
    assert a300.pct_lthr == 108.3  # 100 × 182/168 = 108.33
    assert a300.coggan_watts == 276  # 260 × 1.06 = 275.6
    assert a300.coggan_wpkg == 3.84  # 276 / 71.9 = 3.839
    assert a300.cp_model_watts == 328  # 260 + 20500/300 = 328.3
    assert a300.cp_model_wpkg == 4.56  # 328 / 71.9 = 4.562
    assert a300.model_divergence_pct == -7.3  # 100 × (304 − 328)/328 = −7.32
    assert block.anchors["600s"].source == "observed_indoor"
    assert block.anchors["1200s"].source == "observed"  # activity not in this run's list
    assert a7200.actual_watts is None and a7200.source is None
    # 7200 s model still shown: coggan 260 × 0.78 = 202.8 → 203; CP 260 + 20500/7200 = 262.8
    assert (a7200.coggan_watts, a7200.cp_model_watts) == (203, 263)
    assert block.observed_anchors == 3 and block.coverage_ratio == 0.43  # 3/7 = 0.4286
    assert (block.ftp_used, block.w_prime_used, block.ftp_staleness_days) == (260, 20500, 3)
    assert block.model_trust_note is not None


def test_family_gate_fewer_than_two_observed_anchors() -> None:
    block = family_profile(
        "rowing",
        FamilyInputs(power=curve({60: 163}), hr=None, lthr=165),
        70.0,
        is_indoor=lambda _: None,
    )
    assert block.anchors is None
    assert block.observed_anchors == 1 and block.coverage_ratio == 0.17  # 1/6 = 0.1667
    assert block.note is not None
    dumped = block.model_dump()
    assert "ftp_used" not in dumped and "model_trust_note" not in dumped  # cycling only


def test_other_family_has_no_model_columns() -> None:
    block = family_profile(
        "rowing",
        FamilyInputs(power=curve({60: 163, 120: 161}), hr=curve({60: 142}), lthr=165),
        None,  # no weight known: W/kg is null, never made up
        is_indoor=lambda _: None,
    )
    assert block.anchors is not None
    row = block.anchors["60s"]
    assert (row.actual_watts, row.actual_wpkg, row.actual_hr, row.source) == (
        163,
        None,
        142,
        "observed",
    )
    assert row.pct_lthr == 86.1  # 100 × 142/165 = 86.06
    assert "coggan_watts" not in row.model_dump()


def test_profile_weight_fallback_and_empty_profile() -> None:
    assert sustainability_weight(71.9, 72.0, 70.0) == (71.9, "wellness_recent")
    assert sustainability_weight(None, 72.0, 70.0) == (72.0, "wellness_extended")
    assert sustainability_weight(None, None, 70.0) == (70.0, "athlete_profile")
    assert sustainability_weight(None, None, 0.0) == (None, None)  # 0 kg is no weight
    window = (date(2026, 10, 11), date(2026, 11, 21))
    empty = sustainability_profile(window, {}, (None, None), is_indoor=lambda _: None, cycling=None)
    assert empty.note is not None and empty.cycling is None
    assert empty.window.days == 42 and empty.window.start == date(2026, 10, 11)
    profile = sustainability_profile(
        window,
        {"cycling": FamilyInputs(power=curve({300: 300, 600: 280}), hr=None, lthr=None)},
        (71.94, "wellness_recent"),
        is_indoor=lambda _: None,
        cycling=CYCLING,
    )
    assert profile.weight_kg == 71.9 and profile.note is None
    assert profile.cycling is not None and profile.cycling.observed_anchors == 2
