"""Each alert at, just below and just above its threshold; sorting; deload downgrade."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from section11.metrics.decisions import AlertInputs, DurabilitySignal, build_alerts
from section11.metrics.decisions.alerts import Alert

TODAY = date(2026, 3, 18)
QUIET = AlertInputs(
    today=TODAY,
    acwr=1.0,
    effective_monotony=1.5,
    strain=1000.0,
    ri=1.0,
    ri_yesterday=1.0,
    hrv_baseline_7d=60.0,
    rhr_baseline_7d=50.0,
    hrv_days=[(TODAY, 60.0)],
    rhr_days=[(TODAY, 50.0)],
)


def _only(inputs: AlertInputs, metric: str) -> Alert | None:
    found = [a for a in build_alerts(inputs) if a.metric == metric]
    assert len(found) <= 1
    return found[0] if found else None


def _days(*values: float) -> list[tuple[date, float]]:
    """Consecutive daily readings ending today, oldest first."""
    n = len(values)
    return [(TODAY - timedelta(days=n - 1 - i), v) for i, v in enumerate(values)]


def test_quiet_day_has_no_alerts() -> None:
    assert build_alerts(QUIET) == []


@pytest.mark.parametrize(
    ("acwr", "severity"),
    [(1.29, None), (1.3, "warning"), (1.31, "warning"), (1.34, "warning"), (1.35, "alarm"),
     (1.36, "alarm")],
)  # fmt: skip
def test_acwr(acwr: float, severity: str | None) -> None:
    alert = _only(replace(QUIET, acwr=acwr), "acwr")
    assert (alert.severity if alert else None) == severity
    if alert:
        assert (alert.tier, alert.scope, alert.readiness_eligible) == (
            2,
            "live_retrospective",
            False,
        )


@pytest.mark.parametrize(
    ("mono", "severity"),
    [(2.29, None), (2.3, "warning"), (2.31, "warning"), (2.49, "warning"), (2.5, "alarm"),
     (2.51, "alarm")],
)  # fmt: skip
def test_monotony(mono: float, severity: str | None) -> None:
    alert = _only(replace(QUIET, effective_monotony=mono), "monotony")
    assert (alert.severity if alert else None) == severity


def test_monotony_during_deload_is_info() -> None:
    alert = _only(replace(QUIET, effective_monotony=2.6, deload_active=True), "monotony")
    assert alert is not None and alert.severity == "info"
    assert alert.threshold == ">= 2.5"


@pytest.mark.parametrize(("strain", "alarm"), [(3499.0, False), (3500.0, False), (3501.0, True)])
def test_strain(strain: float, alarm: bool) -> None:
    assert (_only(replace(QUIET, strain=strain), "strain") is not None) is alarm


@pytest.mark.parametrize(
    ("ri", "yesterday", "severity"),
    [
        (0.59, 1.0, "alarm"),
        (0.6, 1.0, None),  # not below 0.6; 0.6 < 0.7 but yesterday was fine
        (0.61, 0.69, "warning"),  # both below 0.7
        (0.69, 0.69, "warning"),
        (0.7, 0.69, None),  # today at the line
        (0.69, 0.7, None),  # yesterday at the line
    ],
)
def test_recovery_index(ri: float, yesterday: float, severity: str | None) -> None:
    alert = _only(replace(QUIET, ri=ri, ri_yesterday=yesterday), "recovery_index")
    assert (alert.severity if alert else None) == severity
    if alert and severity == "warning":
        assert alert.persistence_days == 2


@pytest.mark.parametrize(
    ("today_hrv", "fires"),
    # Baseline 60: the line is 0.8 x 60 = 48 (-20 %).
    [(48.1, False), (48.0, True), (47.9, True)],
)
def test_hrv_threshold(today_hrv: float, fires: bool) -> None:
    alert = _only(replace(QUIET, hrv_days=_days(60.0, today_hrv)), "hrv")
    assert (alert is not None) is fires
    if alert:
        # Exactly at the line counts for persistence too (the reference's < would say 0).
        assert (alert.severity, alert.persistence_days, alert.tier) == ("warning", 1, 1)


def test_hrv_persistence_turns_into_alarm_after_two_days() -> None:
    # Two days at/below 48: warning (2 days). Three: alarm. A missing day ends the run.
    two = _only(replace(QUIET, hrv_days=_days(60.0, 47.0, 48.0)), "hrv")
    assert two is not None and (two.severity, two.persistence_days) == ("warning", 2)
    three = _only(replace(QUIET, hrv_days=_days(45.0, 47.0, 48.0)), "hrv")
    assert three is not None and (three.severity, three.persistence_days) == ("alarm", 3)
    gap = [(TODAY - timedelta(days=3), 40.0), (TODAY - timedelta(days=1), 40.0), (TODAY, 40.0)]
    gapped = _only(replace(QUIET, hrv_days=gap), "hrv")
    assert gapped is not None and gapped.persistence_days == 2


def test_hrv_reading_older_than_yesterday_does_not_alert() -> None:
    stale = [(TODAY - timedelta(days=2), 30.0)]
    assert _only(replace(QUIET, hrv_days=stale), "hrv") is None


@pytest.mark.parametrize(("rhr", "fires"), [(54.9, False), (55.0, True), (55.1, True)])
def test_rhr_threshold(rhr: float, fires: bool) -> None:
    # Baseline 50: the line is 50 + 5 = 55 bpm.
    alert = _only(replace(QUIET, rhr_days=_days(50.0, rhr)), "rhr")
    assert (alert is not None) is fires


def test_rhr_alarm_after_three_days() -> None:
    alert = _only(replace(QUIET, rhr_days=_days(56.0, 55.0, 57.0)), "rhr")
    assert alert is not None and (alert.severity, alert.persistence_days) == ("alarm", 3)


def _durability(**fields: object) -> DurabilitySignal:
    base: dict[str, object] = {
        "mean_7d": 3.0,
        "mean_28d": 3.0,
        "sessions_7d": 3,
        "sessions_28d": 5,
        "high_drift_7d": 0,
        "trend": "stable",
    }
    base.update(fields)
    return DurabilitySignal(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(("mean_28d", "alarm"), [(5.0, False), (5.01, True)])
def test_durability_alarm(mean_28d: float, alarm: bool) -> None:
    alert = _only(replace(QUIET, durability=_durability(mean_28d=mean_28d)), "durability")
    assert (alert is not None and alert.severity == "alarm") is alarm
    # Four 28-day sessions are too few, whatever the mean.
    few = replace(QUIET, durability=_durability(mean_28d=9.0, sessions_28d=4))
    assert _only(few, "durability") is None


@pytest.mark.parametrize(("mean_7d", "warns"), [(5.0, False), (5.01, True)])
def test_durability_declining_warning(mean_7d: float, warns: bool) -> None:
    # 28-day mean 3.0: the 7-day mean must exceed 3.0 + 2.0 = 5.0.
    signal = _durability(mean_7d=mean_7d, mean_28d=3.0, trend="declining")
    assert (_only(replace(QUIET, durability=signal), "durability") is not None) is warns


@pytest.mark.parametrize(("count", "warns"), [(2, False), (3, True), (4, True)])
def test_high_drift_sessions(count: int, warns: bool) -> None:
    signal = _durability(high_drift_7d=count)
    assert (_only(replace(QUIET, durability=signal), "durability_high_drift") is not None) is warns


@pytest.mark.parametrize(
    ("drift", "warns"),
    [("acute_depolarization", True), ("shifting", True), ("consistent", False), (None, False)],
)
def test_tid_drift(drift: str | None, warns: bool) -> None:
    assert (_only(replace(QUIET, tid_drift=drift), "tid_drift") is not None) is warns


def test_sorted_by_tier_then_severity() -> None:
    inputs = replace(
        QUIET,
        acwr=1.31,  # tier 2 warning
        strain=4000.0,  # tier 2 alarm
        rhr_days=_days(50.0, 56.0),  # tier 1 warning
        tid_drift="shifting",  # tier 3 warning
    )
    assert [(a.metric, a.tier, a.severity) for a in build_alerts(inputs)] == [
        ("rhr", 1, "warning"),
        ("strain", 2, "alarm"),
        ("acwr", 2, "warning"),
        ("tid_drift", 3, "warning"),
    ]
