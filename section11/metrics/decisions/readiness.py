"""The readiness decision: go, modify or skip today's planned session.

Signals are graded green/amber/red (or unavailable); a fixed ladder reads them, first
match wins:

- P0 skip: Recovery Index < 0.6, or any tier-1 alarm alert;
- P1 skip: start-of-day ACWR >= 1.5 with any amber/red recovery signal; TSB < -30 with
  HRV more than 10 % down; RI < 0.7 with a tier-1 alert that has persisted >= 2 days;
- P1 modify: TSB < -25 with HRV more than 10 % down;
- P2: by red/amber counts (2 reds skip; 1 red modify, or skip in taper/race week; ambers at
  the phase's threshold modify);
- P3 go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field

from section11.metrics._common import MetricModel
from section11.metrics.decisions.alerts import Alert

Status = Literal["green", "amber", "red", "unavailable"]
Recommendation = Literal["go", "modify", "skip"]

HRV_RED_PCT = -20.0
HRV_AMBER_PCT = -10.0
RHR_RED_BPM = 5.0
RHR_AMBER_BPM = 3.0
SLEEP_RED_HOURS = 5.0
SLEEP_AMBER_HOURS = 7.0
ACWR_RED = 1.5
ACWR_AMBER = 1.3
RI_RED = 0.6
RI_AMBER = 0.7
TSB_RED = -30.0
TSB_P1_MODIFY = -25.0
PERSISTENT_DAYS = 2
UNAVAILABLE_NOTE_OVER = 3
AUTONOMIC = ("hrv", "rhr", "ri")


@dataclass(frozen=True)
class ReadinessInputs:
    """Today's readings (None = not available) and the context that tunes the ladder."""

    as_of_date: date
    hrv: float | None
    hrv_baseline_7d: float | None
    rhr: float | None
    rhr_baseline_7d: float | None
    sleep_hours: float | None
    sleep_quality: int | None
    acwr_start_of_day: float | None
    ri: float | None
    ri_yesterday: float | None
    tsb: float | None
    alerts: Sequence[Alert] = ()
    phase: str | None = None
    phase_week: int | None = None
    race_week_active: bool = False
    deload_active: bool = False
    sdnn_available: bool = False


class HrvSignal(MetricModel):
    status: Status
    value: float | None
    baseline_7d: float | None
    delta_pct: float | None
    # Present only when there is something to say (as the reference writes it).
    reason: str | None = Field(default=None, exclude_if=lambda v: v is None)


class RhrSignal(MetricModel):
    status: Status
    value: float | None
    baseline_7d: float | None
    delta_bpm: float | None


class SleepSignal(MetricModel):
    status: Status
    hours: float | None
    quality: int | None


class AcwrSignal(MetricModel):
    status: Status
    value: float | None
    scope: Literal["start_of_day"] = "start_of_day"
    as_of_date: date
    current_day_load_included: Literal[False] = False


class RiSignal(MetricModel):
    status: Status
    value: float | None
    value_yesterday: float | None


class TsbSignal(MetricModel):
    status: Status
    value: float | None
    amber_below: float


class Signals(MetricModel):
    hrv: HrvSignal
    rhr: RhrSignal
    sleep: SleepSignal
    acwr: AcwrSignal
    ri: RiSignal
    tsb: TsbSignal


class SignalSummary(MetricModel):
    green: int
    amber: int
    red: int
    unavailable: int


class PhaseContext(MetricModel):
    phase: str | None
    phase_week: int | None
    amber_threshold: int
    tsb_amber_threshold: float
    red_tightened: bool
    deload_active: bool
    modifier_applied: str


class Adjustments(MetricModel):
    intensity: Literal["reduce", "preserve"]
    volume: Literal["reduce", "preserve"]
    cap_zone: str | None


class Modification(MetricModel):
    triggers: list[str]
    suggested_adjustments: Adjustments


class ReadinessDecision(MetricModel):
    recommendation: Recommendation
    priority: int
    signals: Signals
    signal_summary: SignalSummary
    phase_context: PhaseContext
    race_week_defers: bool
    modification: Modification | None
    reason: str
    alarm_refs: list[str]


# ------------------------------------------------------------------------------ signals


def _hrv(x: ReadinessInputs) -> HrvSignal:
    if x.hrv is None or not x.hrv_baseline_7d:
        reason = "rmssd_missing_sdnn_available" if x.hrv is None and x.sdnn_available else None
        return HrvSignal(
            status="unavailable",
            value=x.hrv,
            baseline_7d=x.hrv_baseline_7d,
            delta_pct=None,
            reason=reason,
        )
    delta = round(100 * (x.hrv - x.hrv_baseline_7d) / x.hrv_baseline_7d, 1)
    status: Status = (
        "red" if delta <= HRV_RED_PCT else "amber" if delta <= HRV_AMBER_PCT else "green"
    )
    return HrvSignal(status=status, value=x.hrv, baseline_7d=x.hrv_baseline_7d, delta_pct=delta)


def _rhr(x: ReadinessInputs) -> RhrSignal:
    if x.rhr is None or x.rhr_baseline_7d is None:
        return RhrSignal(
            status="unavailable", value=x.rhr, baseline_7d=x.rhr_baseline_7d, delta_bpm=None
        )
    delta = round(x.rhr - x.rhr_baseline_7d, 1)
    status: Status = (
        "red" if delta >= RHR_RED_BPM else "amber" if delta >= RHR_AMBER_BPM else "green"
    )
    return RhrSignal(status=status, value=x.rhr, baseline_7d=x.rhr_baseline_7d, delta_bpm=delta)


def _sleep(x: ReadinessInputs) -> SleepSignal:
    h = x.sleep_hours
    if h is None:
        return SleepSignal(status="unavailable", hours=None, quality=x.sleep_quality)
    status: Status = "red" if h < SLEEP_RED_HOURS else "amber" if h < SLEEP_AMBER_HOURS else "green"
    return SleepSignal(status=status, hours=h, quality=x.sleep_quality)


def _acwr(x: ReadinessInputs) -> AcwrSignal:
    v = x.acwr_start_of_day
    status: Status = (
        "unavailable"
        if v is None
        else "red"
        if v >= ACWR_RED
        else "amber"
        if v >= ACWR_AMBER
        else "green"
    )
    return AcwrSignal(status=status, value=v, as_of_date=x.as_of_date)


def _ri(x: ReadinessInputs) -> RiSignal:
    v, y = x.ri, x.ri_yesterday
    status: Status
    if v is None:
        status = "unavailable"
    elif v < RI_RED:
        status = "red"
    elif v < RI_AMBER and y is not None and y < RI_AMBER:
        status = "amber"
    else:
        status = "green"
    return RiSignal(status=status, value=v, value_yesterday=y)


def _tsb(x: ReadinessInputs, amber_below: float) -> TsbSignal:
    v = x.tsb
    status: Status = (
        "unavailable"
        if v is None
        else "red"
        if v < TSB_RED
        else "amber"
        if v < amber_below
        else "green"
    )
    return TsbSignal(status=status, value=v, amber_below=amber_below)


def phase_context(x: ReadinessInputs) -> PhaseContext:
    """How the phase tunes the ladder: ambers needed to modify, the TSB amber line and
    whether a single red already means skip."""
    if x.race_week_active:
        amber, tsb, tight, name = 1, -15.0, True, "race_week_tightened"
    elif x.phase == "Taper":
        amber, tsb, tight, name = 1, -15.0, True, "taper_tightened"
    elif x.phase == "Build":
        amber, tsb, tight, name = 3, -20.0, False, "build_loosened"
    else:
        amber, tsb, tight, name = 2, -15.0, False, "default"
    return PhaseContext(
        phase=x.phase,
        phase_week=x.phase_week,
        amber_threshold=amber,
        tsb_amber_threshold=tsb,
        red_tightened=tight,
        deload_active=x.deload_active,
        modifier_applied=name,
    )


def modification(triggers: Sequence[str]) -> Modification:
    """Suggested adjustments by which signals triggered the modification."""
    t = set(triggers)
    cap: str | None = None
    if "acwr" in t:
        intensity, volume, cap = "reduce", "reduce", "Z2"
    elif len(t) >= 2:
        intensity, volume = "reduce", "reduce"
    elif t == {"sleep"}:
        intensity, volume = "preserve", "reduce"
    elif t and t <= set(AUTONOMIC):
        intensity, volume = "reduce", "preserve"
    elif t == {"tsb"}:
        intensity, volume = "preserve", "reduce"
    elif t:
        intensity, volume = "reduce", "reduce"
    else:
        intensity, volume = "preserve", "preserve"
    return Modification(
        triggers=list(triggers),
        suggested_adjustments=Adjustments(
            intensity=intensity,
            volume=volume,
            cap_zone=cap,
        ),
    )


# ------------------------------------------------------------------------------ the ladder


def decide(x: ReadinessInputs) -> ReadinessDecision:
    ctx = phase_context(x)
    signals = Signals(
        hrv=_hrv(x),
        rhr=_rhr(x),
        sleep=_sleep(x),
        acwr=_acwr(x),
        ri=_ri(x),
        tsb=_tsb(x, ctx.tsb_amber_threshold),
    )
    by_name: dict[str, Status] = {
        name: getattr(signals, name).status for name in ("hrv", "rhr", "sleep", "acwr", "ri", "tsb")
    }
    summary = SignalSummary(
        green=sum(1 for s in by_name.values() if s == "green"),
        amber=sum(1 for s in by_name.values() if s == "amber"),
        red=sum(1 for s in by_name.values() if s == "red"),
        unavailable=sum(1 for s in by_name.values() if s == "unavailable"),
    )
    hrv_delta = signals.hrv.delta_pct

    def result(
        rec: Recommendation,
        priority: int,
        reason: str,
        triggers: Sequence[str] = (),
        refs: Sequence[str] = (),
    ) -> ReadinessDecision:
        if summary.unavailable > UNAVAILABLE_NOTE_OVER:
            reason += f" Note: {summary.unavailable} signals unavailable."
        return ReadinessDecision(
            recommendation=rec,
            priority=priority,
            signals=signals,
            signal_summary=summary,
            phase_context=ctx,
            race_week_defers=x.race_week_active and rec != "skip",
            modification=modification(triggers) if rec == "modify" else None,
            reason=reason,
            alarm_refs=list(refs),
        )

    # An alert marked readiness_eligible=False (the live ACWR) is context only: it can
    # neither trigger a rung nor be cited in alarm_refs, whatever its tier.
    eligible = [a for a in x.alerts if a.readiness_eligible is not False]
    tier1_alarms = [a.metric for a in eligible if a.tier == 1 and a.severity == "alarm"]
    if x.ri is not None and x.ri < RI_RED:
        return result("skip", 0, f"P0 safety stop: Recovery Index {x.ri} < {RI_RED}.")
    if tier1_alarms:
        return result(
            "skip",
            0,
            f"P0 safety stop: tier-1 alarm ({', '.join(tier1_alarms)}).",
            refs=tier1_alarms,
        )

    recovery = [n for n in ("hrv", "rhr", "sleep", "ri") if by_name[n] in ("amber", "red")]
    sod = x.acwr_start_of_day
    if sod is not None and sod >= ACWR_RED and recovery:
        return result(
            "skip",
            1,
            f"P1: start-of-day ACWR {sod} >= {ACWR_RED} with {', '.join(recovery)} not green.",
        )
    if (
        x.tsb is not None
        and x.tsb < TSB_RED
        and hrv_delta is not None
        and hrv_delta < HRV_AMBER_PCT
    ):
        return result(
            "skip", 1, f"P1: TSB {x.tsb} < {TSB_RED:g} with HRV {hrv_delta}% vs baseline."
        )
    persistent = [
        a.metric
        for a in eligible
        if a.tier == 1
        and a.severity in ("warning", "alarm")
        and (a.persistence_days or 0) >= PERSISTENT_DAYS
    ]
    if x.ri is not None and x.ri < RI_AMBER and persistent:
        return result(
            "skip",
            1,
            f"P1: Recovery Index {x.ri} < {RI_AMBER} with persistent {', '.join(persistent)}.",
            refs=persistent,
        )
    if (
        x.tsb is not None
        and x.tsb < TSB_P1_MODIFY
        and hrv_delta is not None
        and hrv_delta < HRV_AMBER_PCT
    ):
        return result(
            "modify",
            1,
            f"P1: TSB {x.tsb} < {TSB_P1_MODIFY:g} with HRV {hrv_delta}% vs baseline.",
            triggers=["tsb", "hrv"],
        )

    reds = [n for n, s in by_name.items() if s == "red"]
    ambers = [n for n, s in by_name.items() if s == "amber"]
    counts = (
        f"{summary.green} green, {summary.amber} amber (threshold {ctx.amber_threshold}), "
        f"{summary.red} red."
    )
    if len(reds) >= 2:
        return result("skip", 2, f"P2: {len(reds)} red signals ({', '.join(reds)}). {counts}")
    if reds and ctx.red_tightened:
        return result(
            "skip",
            2,
            f"P2: red {reds[0]} under {ctx.modifier_applied}: a single red means skip. {counts}",
        )
    if reds:
        return result("modify", 2, f"P2: red {reds[0]}. {counts}", triggers=[*reds, *ambers])
    if ambers and len(ambers) >= ctx.amber_threshold:
        return result(
            "modify", 2, f"P2: {len(ambers)} amber ({', '.join(ambers)}). {counts}", triggers=ambers
        )
    return result("go", 3, f"P3 green light. {counts}")
