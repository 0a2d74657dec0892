"""The readiness ladder, rung by rung, and the modification patterns.

The baseline day is all green: HRV 60 vs 60 (0 %), RHR 50 vs 50 (0 bpm), 8 h sleep,
start-of-day ACWR 1.0, RI 1.0 / 1.0, TSB 0.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from section11.metrics.decisions import Alert, ReadinessDecision, ReadinessInputs, decide
from section11.metrics.decisions.readiness import modification

TODAY = date(2026, 3, 18)
GREEN = ReadinessInputs(
    as_of_date=TODAY,
    hrv=60.0,
    hrv_baseline_7d=60.0,
    rhr=50.0,
    rhr_baseline_7d=50.0,
    sleep_hours=8.0,
    sleep_quality=1,
    acwr_start_of_day=1.0,
    ri=1.0,
    ri_yesterday=1.0,
    tsb=0.0,
)


def _alert(metric: str, severity: str, tier: int, persistence: int | None = None) -> Alert:
    return Alert.model_validate(
        {
            "metric": metric,
            "value": 1.0,
            "severity": severity,
            "threshold": "t",
            "context": "c",
            "persistence_days": persistence,
            "tier": tier,
        }
    )


def test_all_green_is_p3_go() -> None:
    d = decide(GREEN)
    assert (d.recommendation, d.priority) == ("go", 3)
    assert d.signal_summary.model_dump() == {"green": 6, "amber": 0, "red": 0, "unavailable": 0}
    assert d.modification is None
    assert d.reason == "P3 green light. 6 green, 0 amber (threshold 2), 0 red."


def test_p0_skip_by_recovery_index() -> None:
    # RI 0.59 < 0.6.
    d = decide(replace(GREEN, ri=0.59))
    assert (d.recommendation, d.priority) == ("skip", 0)
    # RI exactly 0.6 is not below the line: falls through to P3.
    assert decide(replace(GREEN, ri=0.6)).priority == 3


def test_p0_skip_by_tier_one_alarm() -> None:
    d = decide(replace(GREEN, alerts=[_alert("hrv", "alarm", 1, 3)]))
    assert (d.recommendation, d.priority, d.alarm_refs) == ("skip", 0, ["hrv"])
    # A tier-2 alarm (ACWR) is not a safety stop.
    assert decide(replace(GREEN, alerts=[_alert("acwr", "alarm", 2)])).priority == 3


def test_p1_skip_acwr_with_a_recovery_signal_off() -> None:
    # ACWR 1.5 (red) alone: not P1 (no recovery signal off) -> P2 one red -> modify.
    alone = decide(replace(GREEN, acwr_start_of_day=1.5))
    assert (alone.recommendation, alone.priority) == ("modify", 2)
    # With sleep 6.5 h (amber, < 7): P1 skip.
    d = decide(replace(GREEN, acwr_start_of_day=1.5, sleep_hours=6.5))
    assert (d.recommendation, d.priority) == ("skip", 1)
    assert "sleep" in d.reason


def test_p1_skip_deep_fatigue_with_hrv_down() -> None:
    # TSB -31 < -30 and HRV 53.4 vs 60: 100 x (53.4 - 60) / 60 = -11.0 % < -10.
    d = decide(replace(GREEN, tsb=-31.0, hrv=53.4))
    assert (d.recommendation, d.priority) == ("skip", 1)
    # HRV exactly -10 % (54 vs 60) is not below -10: no P1; TSB -31 is red -> P2 modify.
    d2 = decide(replace(GREEN, tsb=-31.0, hrv=54.0))
    assert (d2.recommendation, d2.priority) == ("modify", 2)


def test_p1_skip_low_ri_with_a_persistent_alert() -> None:
    alerts = [_alert("rhr", "warning", 1, 2)]
    d = decide(replace(GREEN, ri=0.65, alerts=alerts))
    assert (d.recommendation, d.priority, d.alarm_refs) == ("skip", 1, ["rhr"])
    # One day of persistence is not enough: RI 0.65 with yesterday 1.0 is green -> go.
    d2 = decide(replace(GREEN, ri=0.65, alerts=[_alert("rhr", "warning", 1, 1)]))
    assert d2.priority == 3


def test_p1_modify_fatigue_with_hrv_down() -> None:
    # TSB -26 < -25 and HRV -11 %: modify at P1, triggers tsb + hrv -> reduce/reduce.
    d = decide(replace(GREEN, tsb=-26.0, hrv=53.4))
    assert (d.recommendation, d.priority) == ("modify", 1)
    assert d.modification is not None
    assert d.modification.triggers == ["tsb", "hrv"]
    assert d.modification.suggested_adjustments.model_dump() == {
        "intensity": "reduce",
        "volume": "reduce",
        "cap_zone": None,
    }


def test_p2_skip_by_two_reds() -> None:
    # Sleep 4.5 h (< 5 red) and RHR +5 (red).
    d = decide(replace(GREEN, sleep_hours=4.5, rhr=55.0))
    assert (d.recommendation, d.priority) == ("skip", 2)
    assert d.signal_summary.red == 2


def test_p2_modify_by_one_red() -> None:
    d = decide(replace(GREEN, sleep_hours=4.5))
    assert (d.recommendation, d.priority) == ("modify", 2)


@pytest.mark.parametrize(
    ("context", "ambers_to_modify"),
    [
        ({"phase": "Build"}, 3),
        ({"phase": "Taper"}, 1),
        ({"race_week_active": True, "phase": "Build"}, 1),
        ({"phase": "Base"}, 2),
    ],
)
def test_amber_threshold_by_phase(context: dict[str, object], ambers_to_modify: int) -> None:
    # Ambers in order: sleep 6.5 h, RHR +3 bpm, HRV -10 % (54 vs 60).
    ambers = [{"sleep_hours": 6.5}, {"rhr": 53.0}, {"hrv": 54.0}]
    base = replace(GREEN, **context)  # type: ignore[arg-type]
    below: dict[str, float] = {}
    for extra in ambers[: ambers_to_modify - 1]:
        below.update(extra)
    assert decide(replace(base, **below)).recommendation == "go"  # type: ignore[arg-type]
    at = dict(below, **ambers[ambers_to_modify - 1])
    d = decide(replace(base, **at))  # type: ignore[arg-type]
    assert (d.recommendation, d.priority) == ("modify", 2)
    assert d.phase_context.amber_threshold == ambers_to_modify


def test_single_red_is_skip_in_taper_and_race_week() -> None:
    # The tightened phases: one red (sleep 4.5 h) skips instead of modifying.
    for ctx in ({"phase": "Taper"}, {"race_week_active": True}):
        d = decide(replace(GREEN, sleep_hours=4.5, **ctx))
        assert (d.recommendation, d.priority) == ("skip", 2)
        assert d.phase_context.red_tightened is True
    assert decide(replace(GREEN, race_week_active=True)).race_week_defers is True


def test_tsb_amber_line_by_phase() -> None:
    # TSB -18: amber in the default phase (< -15), green in Build (line at -20).
    assert decide(replace(GREEN, tsb=-18.0)).signals.tsb.status == "amber"
    assert decide(replace(GREEN, tsb=-18.0, phase="Build")).signals.tsb.status == "green"


def test_signals_unavailable_note() -> None:
    # HRV, RHR, sleep and RI missing: 4 unavailable > 3 -> note in the reason.
    d = decide(replace(GREEN, hrv=None, rhr=None, sleep_hours=None, ri=None))
    assert d.recommendation == "go"
    assert d.signal_summary.unavailable == 4
    assert d.reason.endswith("Note: 4 signals unavailable.")
    # Three unavailable: no note.
    d3 = decide(replace(GREEN, hrv=None, rhr=None, sleep_hours=None))
    assert "unavailable" not in d3.reason


def test_sdnn_only_reason() -> None:
    d = decide(replace(GREEN, hrv=None, sdnn_available=True))
    assert d.signals.hrv.status == "unavailable"
    assert d.signals.hrv.reason == "rmssd_missing_sdnn_available"


@pytest.mark.parametrize(
    ("triggers", "expected"),
    [
        (["acwr"], ("reduce", "reduce", "Z2")),
        (["acwr", "sleep"], ("reduce", "reduce", "Z2")),
        (["sleep", "hrv"], ("reduce", "reduce", None)),
        (["sleep"], ("preserve", "reduce", None)),
        (["hrv"], ("reduce", "preserve", None)),
        (["ri"], ("reduce", "preserve", None)),
        (["tsb"], ("preserve", "reduce", None)),
        ([], ("preserve", "preserve", None)),
    ],
)
def test_modification_patterns(triggers: list[str], expected: tuple[str, str, str | None]) -> None:
    adj = modification(triggers).suggested_adjustments
    assert (adj.intensity, adj.volume, adj.cap_zone) == expected


def _alarm(eligible: bool | None, persistence: int | None = None) -> Alert:
    return Alert(
        metric="acwr" if eligible is False else "hrv",
        value=1.6,
        severity="alarm",
        threshold=">= 1.35",
        context="test",
        persistence_days=persistence,
        tier=1,
        scope="live_retrospective" if eligible is False else None,
        readiness_eligible=eligible,
    )


def _decide_with(alerts: list[Alert], ri: float | None = None) -> ReadinessDecision:
    # Every other signal green (GREEN); RI as given, today and yesterday.
    return decide(replace(GREEN, alerts=alerts, ri=ri, ri_yesterday=ri))


def test_readiness_ignores_alerts_marked_not_eligible_whatever_their_tier() -> None:
    # A tier-1 alarm is a P0 safety stop and is cited ...
    eligible = _decide_with([_alarm(None)])
    assert (eligible.recommendation, eligible.priority) == ("skip", 0)
    assert eligible.alarm_refs == ["hrv"]
    # ... unless it is marked readiness_eligible=False: all signals green -> P3 go.
    ignored = _decide_with([_alarm(False)])
    assert (ignored.recommendation, ignored.priority) == ("go", 3)
    assert ignored.alarm_refs == []
    # Nor does it count as a persistent tier-1 alert for the RI < 0.7 rung (RI 0.65).
    persistent = _decide_with([_alarm(False, persistence=3)], ri=0.65)
    assert "acwr" not in persistent.alarm_refs
    assert persistent.priority != 1
