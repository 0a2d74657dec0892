"""Durability, efficiency factor, HRRc and TID comparison, with their gates."""

from __future__ import annotations

from typing import Any

from section11.metrics.capability import (
    durability,
    efficiency_factor,
    hrrc,
    hrrc_value,
    tid_comparison,
)
from section11.metrics.zones import SeilerTID
from section11.sources.intervals_icu.models import Activity


def act(**fields: Any) -> Activity:
    base: dict[str, Any] = {
        "id": "i1",
        "type": "Ride",
        "start_date_local": "2026-11-20T08:00:00",
        "moving_time": 6000,
        "icu_variability_index": 1.02,
    }
    return Activity.model_validate(base | fields)


# ------------------------------------------------------------------------------ durability


def test_durability_qualifying_sessions_and_trend() -> None:
    week = [act(decoupling=2.0), act(decoupling=3.0)]
    older = [act(decoupling=6.0), act(decoupling=7.0), act(decoupling=5.0)]
    excluded = [
        act(decoupling=9.0, icu_variability_index=1.06),  # surges: VI above 1.05
        act(decoupling=9.0, icu_variability_index=0),  # VI 0 is not steady, it is missing
        act(decoupling=9.0, icu_variability_index=None),
        act(decoupling=9.0, moving_time=5399),  # under 90 minutes
        act(decoupling=None),
    ]
    d = durability(week + excluded, week + older + excluded)
    # 7d mean (2 + 3)/2 = 2.5; 28d mean (2 + 3 + 6 + 7 + 5)/5 = 23/5 = 4.6
    assert (d.mean_decoupling_7d, d.mean_decoupling_28d) == (2.5, 4.6)
    assert (d.qualifying_sessions_7d, d.qualifying_sessions_28d) == (2, 5)
    # > 5 %: 6 and 7 (5.0 is not above 5)
    assert (d.high_drift_count_7d, d.high_drift_count_28d) == (0, 2)
    assert d.trend == "improving"  # 2.5 − 4.6 = −2.1 < −1: less drift this week
    assert d.reliability_limited is True  # N7 = 2 < 3
    assert d.reliability_note == (
        "insufficient qualifying sessions for alert evaluation: 7d N=2 (min 3), 28d N=5 (min 5)"
    )


def test_durability_declining_stable_and_genuine_zero() -> None:
    week = [act(decoupling=0.0), act(decoupling=0.0), act(decoupling=0.0)]
    d = durability(week, [*week, act(decoupling=0.0), act(decoupling=0.0)])
    assert d.mean_decoupling_7d == 0.0  # a genuine 0 % drift is a value, not missing
    assert d.trend == "stable" and d.reliability_limited is False
    assert d.reliability_note is None
    worse = durability([act(decoupling=4.0)] * 2, [act(decoupling=2.0)] * 2)
    assert worse.trend == "declining"  # 4.0 − 2.0 = +2.0 > 1


def test_durability_gate_below_two_sessions_is_null_with_counts() -> None:
    d = durability([act(decoupling=4.0)], [act(decoupling=4.0)])
    assert (d.mean_decoupling_7d, d.mean_decoupling_28d, d.trend) == (None, None, None)
    assert (d.qualifying_sessions_7d, d.qualifying_sessions_28d) == (1, 1)
    empty = durability([], [])
    assert empty.mean_decoupling_28d is None and empty.qualifying_sessions_28d == 0


# ------------------------------------------------------------------------------ efficiency


def test_efficiency_factor_types_gates_and_trend() -> None:
    week = [act(icu_efficiency_factor=1.30), act(type="GravelRide", icu_efficiency_factor=1.36)]
    older = [act(type="VirtualRide", icu_efficiency_factor=v) for v in (1.20, 1.26)]
    excluded = [
        act(type="EBikeRide", icu_efficiency_factor=2.0),  # the motor's watts
        act(type="Run", icu_efficiency_factor=2.0),
        act(icu_efficiency_factor=2.0, moving_time=1199),  # under 20 minutes
        act(icu_efficiency_factor=2.0, icu_variability_index=1.2),
    ]
    e = efficiency_factor(week + excluded, week + older + excluded)
    # 7d (1.30 + 1.36)/2 = 1.33; 28d (1.30 + 1.36 + 1.20 + 1.26)/4 = 5.12/4 = 1.28
    assert (e.mean_ef_7d, e.mean_ef_28d) == (1.33, 1.28)
    assert (e.qualifying_sessions_7d, e.qualifying_sessions_28d) == (2, 4)
    assert e.trend == "improving"  # 1.33 − 1.28 = 0.05 > 0.03


def test_efficiency_factor_stable_and_gate() -> None:
    e = efficiency_factor(
        [act(icu_efficiency_factor=1.2)] * 2, [act(icu_efficiency_factor=1.22)] * 2
    )
    assert e.trend == "stable"  # 1.20 − 1.22 = −0.02, within ±0.03
    gated = efficiency_factor([act(icu_efficiency_factor=1.2)], [act(icu_efficiency_factor=1.2)])
    assert (gated.mean_ef_7d, gated.mean_ef_28d, gated.trend) == (None, None, None)
    assert (gated.qualifying_sessions_7d, gated.qualifying_sessions_28d) == (1, 1)


# ------------------------------------------------------------------------------ HRRc


def test_hrrc_value_shapes() -> None:
    assert hrrc_value(act(icu_hrr={"hrr": 31, "start_bpm": 170})) == 31.0
    assert hrrc_value(act(icu_hrr={"value": 28})) == 28.0
    assert hrrc_value(act(icu_hrr=25)) == 25.0  # older payloads: a bare number
    assert hrrc_value(act(icu_hrr={"hrr": 0})) is None  # not a recovery
    assert hrrc_value(act(icu_hrr={"start_bpm": 170})) is None
    assert hrrc_value(act()) is None


def test_hrrc_means_trend_and_gates() -> None:
    week = [act(icu_hrr={"hrr": 36})]
    older = [act(icu_hrr={"hrr": 30}), act(icu_hrr={"hrr": 29}), act(icu_hrr=27)]
    h = hrrc(week, week + older)
    # 7d: 36 (one session is enough); 28d (36 + 30 + 29 + 27)/4 = 122/4 = 30.5
    assert (h.mean_hrrc_7d, h.mean_hrrc_28d) == (36.0, 30.5)
    assert (h.qualifying_sessions_7d, h.qualifying_sessions_28d) == (1, 4)
    assert h.trend == "improving"  # (36 − 30.5)/30.5 = +18 % > 10 %
    # 28d needs three sessions: two give null (and no trend), the counts still shown.
    gated = hrrc(week, week + older[:1])
    assert (gated.mean_hrrc_7d, gated.mean_hrrc_28d, gated.trend) == (36.0, None, None)
    assert gated.qualifying_sessions_28d == 2
    # (29 − 30)/30 = −3.3 %: stable; (25 − 30)/30 = −16.7 %: declining
    same = [act(icu_hrr=30)] * 3
    assert hrrc([act(icu_hrr=29)], same).trend == "stable"
    assert hrrc([act(icu_hrr=25)], same).trend == "declining"
    assert hrrc([], same).mean_hrrc_7d is None


# ------------------------------------------------------------------------------ TID


def tid(classification: str | None, pi: float | None) -> SeilerTID:
    return SeilerTID(
        z1_seconds=0,
        z2_seconds=0,
        z3_seconds=0,
        z1_pct=None,
        z2_pct=None,
        z3_pct=None,
        polarization_index=pi,
        classification=classification,
        zone_basis=None,
        sport=None,
    )


def test_tid_comparison_drift_ladder() -> None:
    depolarized = tid_comparison(tid("Pyramidal", 1.8), tid("Polarized", 2.3))
    assert depolarized.drift == "acute_depolarization"  # 1.8 < 2.0 <= 2.3
    assert depolarized.pi_delta == -0.5  # 1.8 − 2.3
    shifting = tid_comparison(tid("Threshold", None), tid("Pyramidal", None))
    assert (shifting.drift, shifting.pi_delta) == ("shifting", None)
    same = tid_comparison(tid("Polarized", 2.4), tid("Polarized", 2.1))
    assert (same.drift, same.pi_delta) == ("consistent", 0.3)  # 2.4 − 2.1
    unknown = tid_comparison(tid(None, None), tid("Base", None))
    assert (unknown.drift, unknown.classification_28d) == (None, "Base")
