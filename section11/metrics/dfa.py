"""DFA a1 of one session (AlphaHRV ``dfa_a1`` / ``artifacts`` streams): the intervals.json
``dfa`` block.

DFA a1 (detrended fluctuation analysis of beat-to-beat intervals) falls as intensity rises:
about 1.0 at easy effort, 0.75 near the first lactate/ventilatory threshold (LT1) and 0.5
near the second (LT2). AlphaHRV records it once per second together with the share of
artefact beats (%), so one sample is one second.

A sample is *valid* when its a1 is known and ≥ 0.01 and its artefact rate is unknown or
≤ 5 %. The session is *sufficient* with ≥ 1200 valid samples that are ≥ 70 % of all
samples; an insufficient session reports its quality only, every analytic field is null.

Crossings (easy guard 1.0, LT1 0.75, LT2 0.5): a valid sample is in the band when
|a1 − marker| ≤ 0.05. In-band samples form segments; gaps of up to 5 samples are bridged.
A segment with ≥ 60 in-band samples qualifies. A qualifying segment is *eligible* for a
threshold estimate when the 200 heartbeats before it were recorded without a gap, and over
those beats plus the segment every artefact rate is known and ≤ 5 %, every HR is known,
every power sample is known, mean power is positive and power is steady
(coefficient of variation ≤ 12 %).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from section11.metrics._common import MetricModel

EASY_GUARD = 1.0
LT1 = 0.75
LT2 = 0.5
BAND_HALF_WIDTH = 0.05
MIN_DWELL_SAMPLES = 60
MAX_BRIDGED_GAP = 5
MAX_ARTIFACT_PCT = 5.0
MIN_VALID_A1 = 0.01
MIN_VALID_SAMPLES = 1200
MIN_VALID_PCT = 70.0
MAX_SUPRA_PCT_FOR_DRIFT = 15.0
LOOKBACK_BEATS = 200.0
MAX_POWER_CV_PCT = 12.0
MIN_DRIFT_THIRD = 60

DwellReason = Literal["ok", "no_samples_in_band", "insufficient_total_dwell", "no_contiguous_dwell"]
# Most severe first: the order used to name a session's (and a profile's) estimate reason.
ESTIMATE_REASON_PRIORITY: tuple[str, ...] = (
    "lookback_incomplete",
    "lookback_gap",
    "unknown_artifact",
    "excessive_artifact",
    "unknown_hr",
    "unknown_power",
    "non_positive_power_mean",
    "non_stationary_power",
)
ArtifactState = Literal["absent", "partial", "complete"]


class DfaBand(MetricModel):
    secs: int
    pct: float | None
    avg_hr: int | None
    avg_watts: int | None


class DfaDrift(MetricModel):
    first_third_avg: float
    last_third_avg: float
    delta: float
    interpretable: bool


class DfaCrossing(MetricModel):
    marker_dfa_a1: float
    secs_in_band: int
    contiguous_secs: int
    n_qualifying_segments: int
    n_eligible_segments: int
    reason: DwellReason
    estimate_eligible: bool
    estimate_reason: str
    avg_hr: int | None
    avg_watts: int | None


class DfaQuality(MetricModel):
    valid_secs: int
    total_secs: int
    valid_pct: float | None
    artifact_state: ArtifactState
    artifact_coverage_pct: float | None
    artifact_rate_avg: float | None
    sufficient: bool


class DfaBlock(MetricModel):
    avg: float | None
    p25: float | None
    p50: float | None
    p75: float | None
    tiz_easy: DfaBand | None
    tiz_endurance: DfaBand | None
    tiz_tempo: DfaBand | None
    tiz_supra: DfaBand | None
    drift: DfaDrift | None
    easy_guard_crossing: DfaCrossing | None
    lt1_crossing: DfaCrossing | None
    lt2_crossing: DfaCrossing | None
    quality: DfaQuality


@dataclass(frozen=True)
class _Samples:
    a1: list[float | None]
    artifacts: list[float | None]
    hr: list[float | None]
    watts: list[float | None]
    valid: list[bool]

    def valid_indices(self) -> list[int]:
        return [i for i, ok in enumerate(self.valid) if ok]


def dfa_block(
    dfa_a1: Sequence[object] | None,
    artifacts: Sequence[object] | None = None,
    heartrate: Sequence[object] | None = None,
    watts: Sequence[object] | None = None,
) -> DfaBlock | None:
    """The session's DFA block; None when there is no a1 sample at all."""
    if not dfa_a1:
        return None
    n = len(dfa_a1)
    a1 = [_number(v) for v in dfa_a1]
    arts = [_non_negative(v) for v in _aligned(artifacts, n)]
    samples = _Samples(
        a1=a1,
        artifacts=arts,
        hr=[_number(v) for v in _aligned(heartrate, n)],
        watts=[_number(v) for v in _aligned(watts, n)],
        valid=[_is_valid(a, art) for a, art in zip(a1, arts, strict=True)],
    )
    quality = _quality(samples)
    if not quality.sufficient:
        return DfaBlock(
            avg=None,
            p25=None,
            p50=None,
            p75=None,
            tiz_easy=None,
            tiz_endurance=None,
            tiz_tempo=None,
            tiz_supra=None,
            drift=None,
            easy_guard_crossing=None,
            lt1_crossing=None,
            lt2_crossing=None,
            quality=quality,
        )
    idx = samples.valid_indices()
    values = [_known(samples.a1[i]) for i in idx]
    ordered = sorted(values)
    m = len(ordered)
    by_band: dict[str, list[int]] = {"easy": [], "endurance": [], "tempo": [], "supra": []}
    for i in idx:
        by_band[_band_of(_known(samples.a1[i]))].append(i)
    bands = {name: _band(samples, indices, m) for name, indices in by_band.items()}
    supra = bands["supra"]
    supra_pct = supra.pct if supra is not None and supra.pct is not None else 0.0
    return DfaBlock(
        avg=round(statistics.fmean(values), 3),
        p25=round(ordered[m // 4], 3),
        p50=round(ordered[m // 2], 3),
        p75=round(ordered[(3 * m) // 4], 3),
        tiz_easy=bands["easy"],
        tiz_endurance=bands["endurance"],
        tiz_tempo=bands["tempo"],
        tiz_supra=supra,
        drift=_drift(values, supra_pct),
        easy_guard_crossing=crossing(samples, EASY_GUARD),
        lt1_crossing=crossing(samples, LT1),
        lt2_crossing=crossing(samples, LT2),
        quality=quality,
    )


# --- quality ----------------------------------------------------------------------------


def _quality(s: _Samples) -> DfaQuality:
    n = len(s.a1)
    valid = sum(s.valid)
    observed = [a for a in s.artifacts if a is not None]
    state: ArtifactState = (
        "absent" if not observed else "complete" if len(observed) == n else "partial"
    )
    valid_pct = round(100 * valid / n, 1)
    return DfaQuality(
        valid_secs=valid,
        total_secs=n,
        valid_pct=valid_pct,
        artifact_state=state,
        artifact_coverage_pct=round(100 * len(observed) / n, 3),
        artifact_rate_avg=round(statistics.fmean(observed), 2) if observed else None,
        sufficient=valid >= MIN_VALID_SAMPLES and 100 * valid / n >= MIN_VALID_PCT,
    )


def _is_valid(a1: float | None, artifact: float | None) -> bool:
    if a1 is None or a1 < MIN_VALID_A1:
        return False
    return artifact is None or artifact <= MAX_ARTIFACT_PCT


# --- bands and drift --------------------------------------------------------------------


def _band_of(a1: float) -> str:
    if a1 > EASY_GUARD:
        return "easy"
    if a1 >= LT1:
        return "endurance"
    if a1 >= LT2:
        return "tempo"
    return "supra"


def _band(s: _Samples, indices: list[int], valid: int) -> DfaBand | None:
    if not indices:
        return None
    return DfaBand(
        secs=len(indices),
        pct=round(100 * len(indices) / valid, 1),
        avg_hr=_mean_int([s.hr[i] for i in indices]),
        avg_watts=_mean_int([s.watts[i] for i in indices]),
    )


def _drift(values: list[float], supra_pct: float) -> DfaDrift | None:
    k = len(values) // 3
    if k < MIN_DRIFT_THIRD:
        return None
    first = statistics.fmean(values[:k])
    last = statistics.fmean(values[-k:])
    return DfaDrift(
        first_third_avg=round(first, 3),
        last_third_avg=round(last, 3),
        delta=round(last - first, 3) + 0.0,  # + 0.0 turns -0.0 into 0.0
        interpretable=supra_pct <= MAX_SUPRA_PCT_FOR_DRIFT,
    )


# --- crossings --------------------------------------------------------------------------


def crossing(s: _Samples, marker: float) -> DfaCrossing:
    """How long the session dwelt at ``marker`` and whether that dwell can estimate it."""
    in_band = [
        i
        for i, ok in enumerate(s.valid)
        if ok and abs(_known(s.a1[i]) - marker) <= BAND_HALF_WIDTH + 1e-9
    ]
    segments = _segments(in_band)
    qualifying = [seg for seg in segments if len(seg) >= MIN_DWELL_SAMPLES]
    reason: DwellReason
    if not in_band:
        reason = "no_samples_in_band"
    elif len(in_band) < MIN_DWELL_SAMPLES:
        reason = "insufficient_total_dwell"
    elif not qualifying:
        reason = "no_contiguous_dwell"
    else:
        reason = "ok"
    seg_reasons = [segment_reason(s, seg[0], seg[-1]) for seg in qualifying]
    failing = [r for r in seg_reasons if r != "ok"]
    eligible = reason == "ok" and not failing
    estimate_reason: str = reason if reason != "ok" else most_severe(failing) or "ok"
    pooled = [i for seg in qualifying for i in seg]
    return DfaCrossing(
        marker_dfa_a1=marker,
        secs_in_band=len(in_band),
        contiguous_secs=max((len(seg) for seg in segments), default=0),
        n_qualifying_segments=len(qualifying),
        n_eligible_segments=sum(1 for r in seg_reasons if r == "ok"),
        reason=reason,
        estimate_eligible=eligible,
        estimate_reason=estimate_reason,
        avg_hr=_mean_int([s.hr[i] for i in pooled]),
        avg_watts=_mean_int([s.watts[i] for i in pooled]),
    )


def _segments(indices: list[int]) -> list[list[int]]:
    """In-band sample indices grouped into runs, bridging gaps of ≤ MAX_BRIDGED_GAP."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i - runs[-1][-1] - 1 <= MAX_BRIDGED_GAP:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def segment_reason(s: _Samples, start: int, end: int) -> str:
    """Why the dwell from sample ``start`` to ``end`` (inclusive) can or cannot estimate
    the marker; "ok" when it can. Checks in the order of ESTIMATE_REASON_PRIORITY."""
    beats = 0.0
    i = start - 1
    while beats < LOOKBACK_BEATS:
        if i < 0:
            return "lookback_incomplete"
        hr = s.hr[i]
        if hr is None or hr <= 0:
            return "lookback_gap"
        beats += hr / 60.0
        i -= 1
    window = range(i + 1, end + 1)
    arts = [s.artifacts[j] for j in window]
    if any(a is None for a in arts):
        return "unknown_artifact"
    if any(a is not None and a > MAX_ARTIFACT_PCT for a in arts):
        return "excessive_artifact"
    if any(s.hr[j] is None or _known(s.hr[j]) <= 0 for j in window):
        return "unknown_hr"
    power = [s.watts[j] for j in window]
    if any(w is None for w in power):
        return "unknown_power"
    known = [_known(w) for w in power]
    mean = statistics.fmean(known)
    if mean <= 0:
        return "non_positive_power_mean"
    if 100 * statistics.pstdev(known) / mean > MAX_POWER_CV_PCT:
        return "non_stationary_power"
    return "ok"


def most_severe(reasons: Sequence[str]) -> str | None:
    """The reason that comes first in ESTIMATE_REASON_PRIORITY (unknown ones last, by name)."""
    if not reasons:
        return None
    return min(reasons, key=reason_severity)


def reason_severity(reason: str) -> tuple[int, str]:
    """Sort key: position in ESTIMATE_REASON_PRIORITY, unknown reasons last by name."""
    try:
        return ESTIMATE_REASON_PRIORITY.index(reason), reason
    except ValueError:
        return len(ESTIMATE_REASON_PRIORITY), reason


# --- small helpers ----------------------------------------------------------------------


def _aligned(values: Sequence[object] | None, n: int) -> list[object]:
    """``values`` cut or padded with None to ``n`` samples."""
    out = list(values or [])[:n]
    return out + [None] * (n - len(out))


def _number(value: object) -> float | None:
    kind = type(value)
    if kind is float or kind is int:  # the common case, checked cheaply (bool is excluded)
        number = float(value)  # type: ignore[arg-type]
        return number if math.isfinite(number) else None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _non_negative(value: object) -> float | None:
    number = _number(value)
    return None if number is None or number < 0 else number


def _known(value: float | None) -> float:
    assert value is not None
    return value


def _mean_int(values: Sequence[float | None]) -> int | None:
    known = [v for v in values if v is not None]
    return round(statistics.fmean(known)) if known else None
