"""dfa_summary (per session) and dfa_a1_profile (across sessions), on hand-built blocks."""

from __future__ import annotations

from datetime import date

from section11.metrics.dfa import DfaBand, DfaBlock, DfaCrossing, DfaDrift, DfaQuality
from section11.metrics.dfa_profile import (
    DfaSession,
    dfa_a1_profile,
    dfa_summary,
    dominant_band,
)


def _band(secs: int, pct: float) -> DfaBand:
    return DfaBand(secs=secs, pct=pct, avg_hr=140, avg_watts=200)


def _crossing(
    marker: float,
    reason: str = "ok",
    eligible: bool = True,
    estimate_reason: str | None = None,
    hr: int | None = 150,
    watts: int | None = 210,
) -> DfaCrossing:
    return DfaCrossing(
        marker_dfa_a1=marker,
        secs_in_band=120 if reason == "ok" else 0,
        contiguous_secs=120 if reason == "ok" else 0,
        n_qualifying_segments=1 if reason == "ok" else 0,
        n_eligible_segments=1 if eligible else 0,
        reason=reason,
        estimate_eligible=eligible and reason == "ok",
        estimate_reason=estimate_reason or ("ok" if eligible else reason),
        avg_hr=hr,
        avg_watts=watts,
    )


def _none(marker: float) -> DfaCrossing:
    return _crossing(marker, reason="no_samples_in_band", eligible=False, hr=None, watts=None)


def _block(
    avg: float = 0.8,
    lt1: DfaCrossing | None = None,
    lt2: DfaCrossing | None = None,
    sufficient: bool = True,
    drift: DfaDrift | None = None,
    valid_pct: float = 95.0,
) -> DfaBlock:
    return DfaBlock(
        avg=avg if sufficient else None,
        p25=None,
        p50=None,
        p75=None,
        tiz_easy=_band(100, 10.0) if sufficient else None,
        tiz_endurance=_band(600, 60.0) if sufficient else None,
        tiz_tempo=_band(300, 30.0) if sufficient else None,
        tiz_supra=None,
        drift=drift,
        easy_guard_crossing=_none(1.0) if sufficient else None,
        lt1_crossing=(lt1 or _none(0.75)) if sufficient else None,
        lt2_crossing=(lt2 or _none(0.5)) if sufficient else None,
        quality=DfaQuality(
            valid_secs=1000,
            total_secs=1050,
            valid_pct=valid_pct,
            artifact_state="complete",
            artifact_coverage_pct=100.0,
            artifact_rate_avg=1.0,
            sufficient=sufficient,
        ),
    )


def _session(n: int, block: DfaBlock, sport: str = "Ride") -> DfaSession:
    day = date(2026, 11, n)
    return DfaSession(f"i{n}", day, f"{day.isoformat()}T08:00:00", f"S{n}", sport, block)


# --- dfa_summary ------------------------------------------------------------------------


def test_summary_only_for_sufficient_sessions() -> None:
    assert dfa_summary(None) is None
    assert dfa_summary(_block(sufficient=False)) is None


def test_summary_fields_and_estimates_only_from_eligible_crossings() -> None:
    drift = DfaDrift(first_third_avg=0.8, last_third_avg=0.85, delta=0.05, interpretable=True)
    block = _block(
        avg=0.812,
        lt1=_crossing(0.75, hr=152, watts=205),
        lt2=_crossing(0.5, eligible=False, estimate_reason="non_stationary_power"),
        drift=drift,
    )
    summary = dfa_summary(block)
    assert summary is not None
    data = summary.model_dump(mode="json")
    assert data == {
        "avg": 0.812,
        "dominant_band": "endurance",  # 600 s beats 300 and 100
        "tiz_pct": {"easy": 10.0, "endurance": 60.0, "tempo": 30.0, "supra": 0.0},
        "valid_pct": 95.0,
        "sufficient": True,
        "drift_delta": 0.05,
        "drift_interpretable": True,
        # LT1 is eligible; LT2 dwelt but is not eligible, so no lt2_* keys.
        "lt1_watts": 205,
        "lt1_hr": 152,
    }


def test_dominant_band_ties_go_to_the_harder_band() -> None:
    block = _block().model_copy(
        update={"tiz_easy": _band(300, 50.0), "tiz_endurance": None, "tiz_tempo": _band(300, 50.0)}
    )
    assert dominant_band(block) == "tempo"  # 300 s each: tempo is harder than easy


# --- profile ----------------------------------------------------------------------------


def test_no_sessions_no_profile() -> None:
    assert dfa_a1_profile([]) is None


def test_latest_session_is_the_newest_sufficient_one() -> None:
    sessions = [_session(20, _block(avg=0.8)), _session(21, _block(sufficient=False))]
    profile = dfa_a1_profile(sessions)
    assert profile is not None
    latest = profile.latest_session
    assert (latest.activity_id, latest.sufficient, latest.avg) == ("i20", True, 0.8)
    assert latest.validated is True  # a ride: cycling is the validated family


def test_latest_session_falls_back_to_an_insufficient_one_with_nulls() -> None:
    profile = dfa_a1_profile([_session(21, _block(sufficient=False), sport="Run")])
    assert profile is not None
    latest = profile.latest_session
    assert (latest.activity_id, latest.sufficient, latest.avg, latest.tiz_split_pct) == (
        "i21",
        False,
        None,
        None,
    )
    assert latest.validated is False
    assert profile.trailing_by_sport == {}  # only sufficient sessions are trailing


def test_two_eligible_sessions_are_not_enough_for_an_estimate() -> None:
    sessions = [_session(d, _block(lt1=_crossing(0.75))) for d in (10, 11)]
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    assert (cycling.lt1_crossing_sessions, cycling.lt1_eligible_sessions) == (2, 2)
    assert (cycling.lt1_estimate, cycling.lt1_reason) == (None, "insufficient_sessions")
    assert cycling.confidence is None  # max(2, 0) = 2 < 3


def test_three_eligible_sessions_give_a_pooled_cycling_estimate() -> None:
    sessions = [
        _session(10, _block(avg=0.80, lt1=_crossing(0.75, hr=150, watts=200)), sport="Ride"),
        _session(11, _block(avg=0.70, lt1=_crossing(0.75, hr=154, watts=210)), sport="Ride"),
        _session(12, _block(avg=0.75, lt1=_crossing(0.75, hr=152, watts=190)), "VirtualRide"),
    ]
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    est = cycling.lt1_estimate
    assert est is not None
    assert est.model_dump(exclude_none=True) == {
        "marker_dfa_a1": 0.75,
        "hr": 152,  # (150 + 154 + 152) / 3
        "watts_outdoor": 205,  # rides: (200 + 210) / 2
        "watts_indoor": 190,  # VirtualRide
        "n_sessions": 3,
        "n_sessions_outdoor": 2,
        "n_sessions_indoor": 1,
    }
    assert cycling.lt1_reason == "ok"
    assert cycling.confidence == "low"  # 3 eligible
    assert cycling.avg_dfa_a1 == 0.75  # (0.80 + 0.70 + 0.75) / 3
    assert cycling.date_range == [date(2026, 11, 10), date(2026, 11, 12)]
    assert cycling.quality_avg_pct == 95.0
    assert cycling.lt2_reason == "no_samples_in_band"
    assert cycling.note is None


def test_confidence_steps_and_the_seven_newest_sessions() -> None:
    def profile(n: int) -> str | None:
        sessions = [_session(d, _block(lt2=_crossing(0.5))) for d in range(1, n + 1)]
        return dfa_a1_profile(sessions).trailing_by_sport["cycling"].confidence  # type: ignore[union-attr]

    assert [profile(n) for n in (3, 4, 5, 6)] == ["low", "moderate", "moderate", "high"]
    sessions = [_session(d, _block()) for d in range(1, 10)]
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    # 9 sessions, the newest 7 count: 3 … 9 November.
    assert cycling.n_sessions == 7 and cycling.date_range[0] == date(2026, 11, 3)


def test_zero_eligible_reports_the_most_common_failure_then_the_most_severe() -> None:
    unsteady = _crossing(0.75, eligible=False, estimate_reason="non_stationary_power")
    gap = _crossing(0.75, eligible=False, estimate_reason="lookback_gap")
    sessions = [
        _session(1, _block(lt1=unsteady)),
        _session(2, _block(lt1=unsteady)),
        _session(3, _block(lt1=gap)),
    ]
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    # 2 × non_stationary_power vs 1 × lookback_gap: the most common wins.
    assert (cycling.lt1_crossing_sessions, cycling.lt1_eligible_sessions) == (3, 0)
    assert cycling.lt1_reason == "non_stationary_power"
    tie = dfa_a1_profile(sessions[1:])  # 1 : 1 -> the more severe lookback_gap
    assert tie.trailing_by_sport["cycling"].lt1_reason == "lookback_gap"  # type: ignore[union-attr]


def test_without_any_dwell_the_dwell_reason_is_reported() -> None:
    short = _crossing(0.75, reason="insufficient_total_dwell", eligible=False)
    split = _crossing(0.75, reason="no_contiguous_dwell", eligible=False)
    sessions = [_session(1, _block(lt1=short)), _session(2, _block(lt1=split))]
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    # 1 : 1 tie: insufficient_total_dwell is more severe than no_contiguous_dwell.
    assert cycling.lt1_reason == "insufficient_total_dwell"
    assert cycling.lt1_crossing_sessions == 0


def test_other_sports_have_one_watts_value_and_a_note() -> None:
    sessions = [_session(d, _block(lt1=_crossing(0.75, watts=300)), sport="Run") for d in (1, 2, 3)]
    run = dfa_a1_profile(sessions).trailing_by_sport["run"]  # type: ignore[union-attr]
    assert run.lt1_estimate is not None
    assert run.lt1_estimate.model_dump(exclude_none=True) == {
        "marker_dfa_a1": 0.75,
        "hr": 150,
        "watts": 300,
        "n_sessions": 3,
    }
    assert run.validated is False and run.note is not None and "cycling-validated" in run.note


def test_drift_mean_uses_interpretable_drifts_only() -> None:
    good = DfaDrift(first_third_avg=0.8, last_third_avg=0.82, delta=0.02, interpretable=True)
    good2 = DfaDrift(first_third_avg=0.8, last_third_avg=0.84, delta=0.04, interpretable=True)
    bad = DfaDrift(first_third_avg=0.8, last_third_avg=0.5, delta=-0.3, interpretable=False)
    sessions = [_session(1, _block(drift=good)), _session(2, _block(drift=good2))]
    sessions.append(_session(3, _block(drift=bad)))
    cycling = dfa_a1_profile(sessions).trailing_by_sport["cycling"]  # type: ignore[union-attr]
    assert cycling.drift_delta_mean == 0.03  # (0.02 + 0.04) / 2; -0.3 is not interpretable
