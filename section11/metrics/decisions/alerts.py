"""Alerts: each a threshold check on one metric, with a severity, a tier and persistence.

Tier 1 = autonomic/recovery signals (readiness may act on them), tier 2 = load signals,
tier 3 = capability trends. Sorted by tier, then alarm < warning < info. Race alerts
(see ``race_week.race_alerts``) are appended after the sorted list by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pydantic import Field

from section11.metrics._common import MetricModel

Severity = Literal["info", "warning", "alarm"]

ACWR_WARNING = 1.3
ACWR_ALARM = 1.35
MONOTONY_WARNING = 2.3
MONOTONY_ALARM = 2.5
STRAIN_ALARM = 3500.0
RI_ALARM = 0.6
RI_WARNING = 0.7
HRV_DROP_PCT = 20.0
RHR_RISE_BPM = 5.0
PERSISTENT_DAYS = 2  # more than this many consecutive days turns a warning into an alarm
DURABILITY_ALARM_PCT = 5.0
DURABILITY_RISE_PCT = 2.0
DURABILITY_MIN_7D = 3
DURABILITY_MIN_28D = 5
HIGH_DRIFT_SESSIONS = 3


class Alert(MetricModel):
    metric: str
    value: int | float | None  # int stays int in the JSON (days until a race)
    severity: Severity
    threshold: str
    context: str
    persistence_days: int | None
    tier: int
    # ACWR alerts only (left out of the other alerts' JSON, as the reference does).
    # readiness_eligible False: reported as context, never read by the readiness decision.
    scope: str | None = Field(default=None, exclude_if=lambda v: v is None)
    readiness_eligible: bool | None = Field(default=None, exclude_if=lambda v: v is None)


@dataclass(frozen=True)
class DurabilitySignal:
    """Aggregate decoupling (a capability metric); None values are 'not computed'."""

    mean_7d: float | None
    mean_28d: float | None
    sessions_7d: int
    sessions_28d: int
    high_drift_7d: int
    trend: str | None


@dataclass(frozen=True)
class AlertInputs:
    """Today's values. ``hrv_days``/``rhr_days`` are (date, value) readings, oldest first,
    of the days up to today; the newest must be from today or yesterday to alert."""

    today: date
    acwr: float | None
    effective_monotony: float | None
    strain: float | None
    ri: float | None
    ri_yesterday: float | None
    hrv_baseline_7d: float | None
    rhr_baseline_7d: float | None
    hrv_days: Sequence[tuple[date, float]] = ()
    rhr_days: Sequence[tuple[date, float]] = ()
    deload_active: bool = False
    durability: DurabilitySignal | None = None
    tid_drift: str | None = None  # "acute_depolarization" | "shifting" | "consistent"


_SEVERITY = {"alarm": 0, "warning": 1, "info": 2}


def sort_alerts(alerts: Sequence[Alert]) -> list[Alert]:
    return sorted(alerts, key=lambda a: (a.tier, _SEVERITY[a.severity]))


def _fresh(days: Sequence[tuple[date, float]], today: date) -> tuple[date, float] | None:
    if not days or days[-1][0] < today - timedelta(days=1):
        return None
    return days[-1]


def _run_length(days: Sequence[tuple[date, float]], hit: float, above: bool) -> int:
    """Consecutive calendar days, newest backwards, whose reading is past ``hit``.

    The same boundary as the trigger (>= / <=); a day without a reading ends the run.
    """
    count = 0
    expected: date | None = None
    for day, value in reversed(days):
        if expected is not None and day != expected:
            break
        if not (value >= hit if above else value <= hit):
            break
        count += 1
        expected = day - timedelta(days=1)
    return count


def _load_alerts(x: AlertInputs) -> list[Alert]:
    out: list[Alert] = []
    if x.acwr is not None and x.acwr >= ACWR_WARNING:
        alarm = x.acwr >= ACWR_ALARM
        out.append(
            Alert(
                metric="acwr",
                value=x.acwr,
                severity="alarm" if alarm else "warning",
                threshold=f">= {ACWR_ALARM}" if alarm else f">= {ACWR_WARNING}",
                context=(
                    f"7-day load is {x.acwr}x the 28-day average (today's sessions included): "
                    "the load is rising fast. Context only, never a reason to change today's "
                    "decision: readiness uses the start-of-day ACWR."
                ),
                persistence_days=None,
                tier=2,
                scope="live_retrospective",
                readiness_eligible=False,
            )
        )
    mono = x.effective_monotony
    if mono is not None and mono >= MONOTONY_WARNING:
        alarm = mono >= MONOTONY_ALARM
        threshold = f">= {MONOTONY_ALARM}" if alarm else f">= {MONOTONY_WARNING}"
        context = (
            f"Training monotony {mono}: the daily load of the last 7 days varies little; "
            "add easy or rest days"
        )
        severity: Severity = "alarm" if alarm else "warning"
        if x.deload_active:
            severity = "info"
            context = (
                f"Training monotony {mono} during a deload: evenly spread light days are "
                "expected while the load is reduced, so this is informational"
            )
        out.append(
            Alert(
                metric="monotony",
                value=mono,
                severity=severity,
                threshold=threshold,
                context=context,
                persistence_days=None,
                tier=2,
            )
        )
    if x.strain is not None and x.strain > STRAIN_ALARM:
        out.append(
            Alert(
                metric="strain",
                value=x.strain,
                severity="alarm",
                threshold=f"> {STRAIN_ALARM:g}",
                context=f"Weekly strain {x.strain:g} (7-day load x monotony) is very high",
                persistence_days=None,
                tier=2,
            )
        )
    return out


def _autonomic_alerts(x: AlertInputs) -> list[Alert]:
    out: list[Alert] = []
    if x.ri is not None and x.ri < RI_ALARM:
        out.append(
            Alert(
                metric="recovery_index",
                value=x.ri,
                severity="alarm",
                threshold=f"< {RI_ALARM}",
                context=f"Recovery Index {x.ri}: HRV and resting HR are well off their baselines",
                persistence_days=None,
                tier=1,
            )
        )
    elif (
        x.ri is not None
        and x.ri < RI_WARNING
        and x.ri_yesterday is not None
        and x.ri_yesterday < RI_WARNING
    ):
        out.append(
            Alert(
                metric="recovery_index",
                value=x.ri,
                severity="warning",
                threshold=f"< {RI_WARNING} two days running",
                context=f"Recovery Index {x.ri} today and {x.ri_yesterday} yesterday",
                persistence_days=2,
                tier=1,
            )
        )
    hrv = _fresh(x.hrv_days, x.today)
    base = x.hrv_baseline_7d
    if hrv is not None and base:
        change = round(100 * (hrv[1] - base) / base, 1)
        if change <= -HRV_DROP_PCT:
            days = _run_length(x.hrv_days, base * (1 - HRV_DROP_PCT / 100), above=False)
            out.append(
                Alert(
                    metric="hrv",
                    value=hrv[1],
                    severity="alarm" if days > PERSISTENT_DAYS else "warning",
                    threshold=f"<= -{HRV_DROP_PCT:g}% vs the 7-day baseline",
                    context=(
                        f"HRV {hrv[1]:g} ms on {hrv[0].isoformat()} is {-change:g}% below the "
                        f"7-day baseline of {base:g} ms ({days} day(s) in a row)"
                    ),
                    persistence_days=days,
                    tier=1,
                )
            )
    rhr = _fresh(x.rhr_days, x.today)
    rbase = x.rhr_baseline_7d
    if rhr is not None and rbase is not None:
        rise = round(rhr[1] - rbase, 1)
        if rise >= RHR_RISE_BPM:
            days = _run_length(x.rhr_days, rbase + RHR_RISE_BPM, above=True)
            out.append(
                Alert(
                    metric="rhr",
                    value=rhr[1],
                    severity="alarm" if days > PERSISTENT_DAYS else "warning",
                    threshold=f">= +{RHR_RISE_BPM:g} bpm vs the 7-day baseline",
                    context=(
                        f"Resting HR {rhr[1]:g} bpm on {rhr[0].isoformat()} is {rise:g} bpm "
                        f"above the 7-day baseline of {rbase:g} bpm ({days} day(s) in a row)"
                    ),
                    persistence_days=days,
                    tier=1,
                )
            )
    return out


def _capability_alerts(x: AlertInputs) -> list[Alert]:
    out: list[Alert] = []
    d = x.durability
    if d is not None:
        if (
            d.mean_28d is not None
            and d.mean_28d > DURABILITY_ALARM_PCT
            and d.sessions_28d >= DURABILITY_MIN_28D
        ):
            out.append(
                Alert(
                    metric="durability",
                    value=d.mean_28d,
                    severity="alarm",
                    threshold=f"28-day mean decoupling > {DURABILITY_ALARM_PCT:g}%",
                    context=f"Mean aerobic decoupling {d.mean_28d}% over 28 days",
                    persistence_days=None,
                    tier=3,
                )
            )
        elif (
            d.trend == "declining"
            and d.mean_7d is not None
            and d.mean_28d is not None
            and d.mean_7d - d.mean_28d > DURABILITY_RISE_PCT
            and d.sessions_7d >= DURABILITY_MIN_7D
            and d.sessions_28d >= DURABILITY_MIN_28D
        ):
            out.append(
                Alert(
                    metric="durability",
                    value=d.mean_7d,
                    severity="warning",
                    threshold=f"7-day mean > 28-day mean + {DURABILITY_RISE_PCT:g}%",
                    context=f"Decoupling {d.mean_7d}% this week vs {d.mean_28d}% over 28 days",
                    persistence_days=None,
                    tier=3,
                )
            )
        if d.high_drift_7d >= HIGH_DRIFT_SESSIONS:
            out.append(
                Alert(
                    metric="durability_high_drift",
                    value=float(d.high_drift_7d),
                    severity="warning",
                    threshold=f">= {HIGH_DRIFT_SESSIONS} sessions with decoupling > 5% in 7 days",
                    context=f"{d.high_drift_7d} long steady sessions drifted more than 5%",
                    persistence_days=None,
                    tier=3,
                )
            )
    if x.tid_drift in ("acute_depolarization", "shifting"):
        text = (
            "this week lost its polarized shape compared with the last 28 days"
            if x.tid_drift == "acute_depolarization"
            else "this week's intensity distribution differs from the last 28 days"
        )
        out.append(
            Alert(
                metric="tid_drift",
                value=None,
                severity="warning",
                threshold=x.tid_drift,
                context=f"Intensity distribution: {text}",
                persistence_days=None,
                tier=3,
            )
        )
    return out


def build_alerts(inputs: AlertInputs) -> list[Alert]:
    """Every threshold alert, sorted by tier then severity."""
    return sort_alerts(
        [*_load_alerts(inputs), *_autonomic_alerts(inputs), *_capability_alerts(inputs)]
    )
