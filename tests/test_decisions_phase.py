"""The phase classifier, path by path, and the one deload check behind it.

Today is Wednesday 2026-03-18; the week runs Monday 16 … Sunday 22, so 5 days are left
(18 … 22). Finalized weeks are the four before, oldest first. With every week at 500 TSS
the stream-2 baseline (mean of the last three) is 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from section11.metrics.decisions import (
    DeloadInputs,
    PhaseInputs,
    PlannedSession,
    WeekSummary,
    detect_deload,
    detect_phase,
)

TODAY = date(2026, 3, 18)
WEEK_END = date(2026, 3, 22)
MONDAY = date(2026, 3, 16)


def _weeks(
    ctl: Sequence[float | None],
    hard: Sequence[int],
    tss: Sequence[float] = (500, 500, 500, 500),
    acwr: Sequence[float | None] = (None, None, None, None),
    monotony: Sequence[float | None] = (None, None, None, None),
    hr_only: Sequence[bool] = (False, False, False, False),
) -> list[WeekSummary]:
    n = len(ctl)
    return [
        WeekSummary(
            week_start=MONDAY - timedelta(weeks=n - i),
            total_tss=tss[i],
            primary_sport_tss=None,
            hard_days=hard[i],
            activity_count=5,
            ctl_end=ctl[i],
            acwr=acwr[i],
            monotony=monotony[i],
            hr_only_hard=hr_only[i],
        )
        for i in range(n)
    ]


def _session(
    offset: int, tss: float = 50, hard: bool = False, cat: str = "WORKOUT"
) -> PlannedSession:
    return PlannedSession(TODAY + timedelta(days=offset), cat, tss, True, hard)


# Three easy sessions this week: 150 TSS over 5 days -> 150 x 7 / 5 = 210 per week;
# 210 / 500 = 0.42 <= 0.80, reliable (3 sessions).
LIGHT_WEEK = [_session(0), _session(2), _session(4)]
# Next week (23 … 29) fully planned: 5 x 120 = 600 -> 600 / 500 = 1.2.
NEXT_WEEK = [_session(5 + i, tss=120) for i in range(5)]


def _building() -> list[WeekSummary]:
    """CTL 50, 52, 54, 56 (slope +2 a week), 2 hard days a week, 500 TSS weeks."""
    return _weeks((50, 52, 54, 56), (2, 2, 2, 2))


def _inputs(weeks: list[WeekSummary], **fields: object) -> PhaseInputs:
    base: dict[str, object] = {
        "finalized": weeks,
        "current": None,
        "today": TODAY,
        "current_week_end": WEEK_END,
        "current_ctl": weeks[-1].ctl_end if weeks else None,
    }
    base.update(fields)
    return PhaseInputs(**base)  # type: ignore[arg-type]


def test_insufficient_data() -> None:
    result = detect_phase(_inputs(_weeks((50,), (1,), tss=(300,))))
    assert result.phase is None
    assert result.reason_codes[0] == "INSUFFICIENT_DATA"
    assert "INSUFFICIENT_LOOKBACK" in result.reason_codes


def test_overreached_by_acwr_and_monotony() -> None:
    weeks = _weeks(
        (50, 52, 54, 56), (2, 2, 2, 2), acwr=(1.0, 1.1, 1.3, 1.5), monotony=(2.0, 2.2, 2.4, 2.6)
    )
    result = detect_phase(_inputs(weeks, plan=LIGHT_WEEK))
    assert (result.phase, result.confidence) == ("Overreached", "high")
    assert result.reason_codes == ["SAFETY_ACWR_OR_MONOTONY"]
    # ACWR 1.3 with a rising trend (1.0 -> 1.3 = +0.3 > 0.1) also counts.
    rising = _weeks(
        (50, 52, 54, 56), (2, 2, 2, 2), acwr=(1.0, 1.1, 1.2, 1.3), monotony=(2.0, 2.2, 2.4, 2.6)
    )
    assert detect_phase(_inputs(rising, plan=LIGHT_WEEK)).phase == "Overreached"
    # Monotony 2.5 is not above 2.5: not overreached.
    calm = _weeks(
        (50, 52, 54, 56), (2, 2, 2, 2), acwr=(1.0, 1.1, 1.3, 1.5), monotony=(2.0, 2.2, 2.4, 2.5)
    )
    assert detect_phase(_inputs(calm, plan=LIGHT_WEEK)).phase != "Overreached"


def test_taper_high_when_volume_is_reducing() -> None:
    result = detect_phase(
        _inputs(_building(), plan=LIGHT_WEEK, next_race_category="RACE_A", next_race_days=10)
    )
    assert (result.phase, result.confidence) == ("Taper", "high")
    assert result.reason_codes == ["RACE_IMMINENT_VOLUME_REDUCING"]


def test_taper_medium_without_a_reliable_plan() -> None:
    result = detect_phase(
        _inputs(_building(), plan=[_session(1)], next_race_category="RACE_B", next_race_days=14)
    )
    assert (result.phase, result.confidence) == ("Taper", "medium")
    assert result.reason_codes == ["RACE_IMMINENT"]
    # A C race 5 days out is no reason to taper.
    c_race = detect_phase(
        _inputs(_building(), plan=[_session(1)], next_race_category="RACE_C", next_race_days=5)
    )
    assert c_race.phase != "Taper"


def test_peak_when_ctl_is_high_three_weeks_out() -> None:
    # CTL 60, 62, 64, 65: slope = 8.5 / 5 = 1.7 >= -0.5; current 65 >= 0.95 x 65.
    weeks = _weeks((60, 62, 64, 65), (2, 2, 2, 2))
    result = detect_phase(_inputs(weeks, next_race_category="RACE_A", next_race_days=18))
    assert (result.phase, result.confidence) == ("Peak", "medium")
    assert result.reason_codes[0] == "RACE_APPROACHING_CTL_HIGH"
    # Current CTL 61 < 0.95 x 65 = 61.75: not at its peak -> no Peak.
    lower = detect_phase(
        _inputs(weeks, next_race_category="RACE_A", next_race_days=18, current_ctl=61.0)
    )
    assert lower.phase != "Peak"


def test_recovery_declining_load_no_hard_days() -> None:
    # CTL 60, 58, 56, 54: slope -2 < -1; no hard days (< 0.5).
    result = detect_phase(_inputs(_weeks((60, 58, 56, 54), (0, 0, 0, 0)), plan=LIGHT_WEEK))
    assert (result.phase, result.confidence) == ("Recovery", "medium")
    assert result.reason_codes[0] == "DECLINING_LOAD_NO_HARD_DAYS"


def test_build_resuming_after_deload() -> None:
    plan = [_session(0, hard=True), _session(2, hard=True), _session(4)]
    result = detect_phase(_inputs(_building(), plan=plan, previous_phases=["Build", "Deload"]))
    assert (result.phase, result.confidence) == ("Build", "medium")
    assert result.reason_codes == [
        "BUILD_RESUMING_AFTER_DELOAD",
        "PHASE_TRANSITION_DELOAD_TO_BUILD",
    ]
    tentative = detect_phase(
        _inputs(_building(), plan=[_session(0, hard=True)], previous_phases=["Deload"])
    )
    assert (tentative.phase, tentative.confidence) == ("Build", "low")
    assert tentative.reason_codes[0] == "BUILD_RESUMING_AFTER_DELOAD_TENTATIVE"


def test_deload_path_plan_with_rebound_confirmed() -> None:
    result = detect_phase(_inputs(_building(), plan=LIGHT_WEEK + NEXT_WEEK))
    assert (result.phase, result.confidence) == ("Deload", "high")
    assert result.reason_codes == [
        "BUILD_HISTORY_REDUCED_LOAD_REBOUND_CONFIRMED",
        "DELOAD_PATH_PLAN",
    ]
    assert result.basis.deload.path == "plan"
    assert result.basis.stream_2.planned_tss_delta == 0.42
    assert result.basis.stream_2.next_week_load == 1.2


def test_deload_path_plan_with_a_gap_next_week() -> None:
    result = detect_phase(_inputs(_building(), plan=LIGHT_WEEK))
    assert (result.phase, result.confidence) == ("Deload", "medium")
    # Nothing planned next week: coverage 0 / 5 = 0 < 0.3.
    assert result.reason_codes[:2] == ["BUILD_HISTORY_REDUCED_LOAD", "PLAN_GAP_NEXT_WEEK"]


def test_deload_path_strong_build_with_an_unreliable_plan() -> None:
    # CTL 50, 52, 54, 56 (slope 2 > 1), 2 hard days a week (>= 2); two sessions planned
    # (fewer than 3: the planned load cannot be judged).
    result = detect_phase(_inputs(_building(), plan=[_session(0), _session(2)]))
    assert result.phase == "Deload"
    assert result.basis.deload.path == "strong_build"


def test_deload_path_completed_week_without_a_plan() -> None:
    # Last week 350 TSS vs the three before at 500: 350 / 500 = 0.70 <= 0.80, after
    # 2 hard days a week. No plan at all.
    weeks = _weeks((50, 52, 54, 53), (2, 2, 2, 1), tss=(500, 500, 500, 350))
    result = detect_phase(_inputs(weeks))
    assert result.phase == "Deload"
    assert result.basis.deload.path == "completed_week"
    assert result.basis.deload.last_week_ratio == 0.7
    # 0.81 of the usual load (405 / 500) is not a deload.
    steady = _weeks((50, 52, 54, 53), (2, 2, 2, 1), tss=(500, 500, 500, 405))
    assert detect_phase(_inputs(steady)).phase != "Deload"


def test_deload_path_completed_week_in_history_backfill() -> None:
    weeks = _weeks((50, 52, 54, 53), (2, 2, 2, 1), tss=(500, 500, 500, 400))
    # 400 / 500 = 0.80: exactly at the line counts.
    result = detect_phase(PhaseInputs(finalized=weeks, backfill=True))
    assert result.phase == "Deload" and result.basis.deload.path == "completed_week"


def test_recovery_without_build_history() -> None:
    # CTL falling 2/week, 1 hard day a week (not < 0.5, so not the first Recovery rung),
    # a reliable light plan (0.42), no build history.
    result = detect_phase(_inputs(_weeks((60, 58, 56, 54), (1, 1, 1, 1)), plan=LIGHT_WEEK))
    assert (result.phase, result.confidence) == ("Recovery", "low")
    assert result.reason_codes[0] == "NO_BUILD_HISTORY_LOW_LOAD"


def test_scoring_build() -> None:
    # slope 3 (> 2: build +3), 3 hard days (>= 2.5: +2), ACWR 1.0 -> 1.3 rising (+1):
    # build 6, base 0 -> margin 6 -> Build, high; no plan at all -> medium.
    weeks = _weeks((50, 53, 56, 59), (3, 3, 3, 3), acwr=(1.0, 1.1, 1.2, 1.3))
    result = detect_phase(_inputs(weeks))
    assert (result.phase, result.confidence) == ("Build", "medium")
    assert result.reason_codes == ["BUILD_SCORE_6_0", "NO_PLANNED_WORKOUTS"]


def test_scoring_base() -> None:
    # slope 0 (base +2), 1 hard day (<= 1.0: base +2), ACWR stable (base +1): 0 vs 5.
    weeks = _weeks((50, 50, 50, 50), (1, 1, 1, 1), acwr=(1.0, 1.0, 1.0, 1.0))
    result = detect_phase(_inputs(weeks, plan=[_session(0, tss=100)]))
    assert (result.phase, result.confidence) == ("Base", "high")
    assert result.reason_codes == ["BASE_SCORE_0_5"]


def test_scoring_ambiguous_and_previous_phase_breaks_the_tie() -> None:
    # CTL 50, 50.5, 51, 51.5: slope 0.5 (build +1); hard 1.25 avg -> base +1; no ACWR.
    weeks = _weeks((50, 50.5, 51, 51.5), (1, 1, 1, 2))
    result = detect_phase(_inputs(weeks, plan=[_session(0, tss=100)]))
    assert (result.phase, result.confidence) == (None, "low")
    assert result.reason_codes == ["BUILD_BASE_AMBIGUOUS"]
    held = detect_phase(_inputs(weeks, plan=[_session(0, tss=100)], previous_phases=["Base"]))
    assert held.phase == "Base" and held.phase_duration_weeks == 2


def test_hr_only_majority_is_mixed_quality() -> None:
    weeks = _weeks(
        (50, 50, 50, 50), (1, 1, 1, 1), acwr=(1.0, 1.0, 1.0, 1.0), hr_only=(True, True, True, False)
    )
    result = detect_phase(_inputs(weeks, plan=[_session(0, tss=100)]))
    assert result.basis.data_quality == "mixed"
    assert "HR_ONLY_MAJORITY" in result.reason_codes
    # Mixed quality: margin 5 >= 2 -> medium instead of high.
    assert result.confidence == "medium"
    # An athlete who chose HR zones is judged on HR on purpose: good quality.
    chosen = detect_phase(_inputs(weeks, plan=[_session(0, tss=100)], any_hr_zone_preference=True))
    assert chosen.basis.data_quality == "good"


def test_one_deload_check_serves_alerts_phase_and_readiness() -> None:
    # The rolling window alone (no plan): 7-day load 300 vs 28-day 1600 / 4 = 400 per week:
    # deficit 100 x (400 - 300) / 400 = 25 % >= 20 % after a build -> active.
    check = detect_deload(
        DeloadInputs(
            finalized_week_tss=[400, 400, 400, 400],
            finalized_hard_days=[2, 2, 2, 2],
            ctl_slope=1.5,
            tss_7d=300,
            tss_28d=1600,
        )
    )
    assert (check.active, check.path, check.rolling_deficit_pct) == (True, "rolling", 25.0)
    # 19.75 % (321 of 400) is not enough.
    short = detect_deload(
        DeloadInputs(
            finalized_week_tss=[400, 400, 400, 400],
            finalized_hard_days=[2, 2, 2, 2],
            ctl_slope=1.5,
            tss_7d=321,
            tss_28d=1600,
        )
    )
    assert not short.active and not short.reduced_load
    # The same drop without a build behind it is reduced load, not a deload.
    unbuilt = detect_deload(
        DeloadInputs(
            finalized_week_tss=[400, 400, 400, 400],
            finalized_hard_days=[0, 0, 0, 0],
            ctl_slope=-0.5,
            tss_7d=300,
            tss_28d=1600,
        )
    )
    assert unbuilt.reduced_load and not unbuilt.active
