"""DFA a1 across sessions: the per-session ``dfa_summary`` of recent_activities and the
``dfa_a1_profile`` of latest.json's capability block.

The profile groups sufficient sessions by sport family and looks at the newest
``TRAILING_SESSIONS`` of each. A threshold estimate (easy guard, LT1, LT2) needs at least
``MIN_ESTIMATE_SESSIONS`` sessions whose crossing is estimate-eligible; below that the
estimate is null and the counts and a reason say why. The 0.75 / 0.5 mapping is validated
for cycling only, so other families carry a note.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import Field

from section11.metrics._common import MetricModel
from section11.metrics.dfa import DfaBand, DfaBlock, DfaCrossing, reason_severity
from section11.metrics.sports import VIRTUAL_TYPES, family_of

TRAILING_SESSIONS = 7
MIN_ESTIMATE_SESSIONS = 3
MARKERS = ("easy_guard", "lt1", "lt2")
VALIDATED_FAMILY = "cycling"
# Ties between dwell reasons go to the most severe.
_DWELL_SEVERITY = ("no_samples_in_band", "insufficient_total_dwell", "no_contiguous_dwell")


class TizPct(MetricModel):
    easy: float
    endurance: float
    tempo: float
    supra: float


class DfaSummary(MetricModel):
    avg: float | None
    dominant_band: str | None
    tiz_pct: TizPct
    valid_pct: float | None
    sufficient: bool
    # Written only when known (readers test for presence, as with the reference).
    drift_delta: float | None = Field(default=None, exclude_if=lambda v: v is None)
    drift_interpretable: bool | None = Field(default=None, exclude_if=lambda v: v is None)
    lt1_watts: int | None = Field(default=None, exclude_if=lambda v: v is None)
    lt1_hr: int | None = Field(default=None, exclude_if=lambda v: v is None)
    lt2_watts: int | None = Field(default=None, exclude_if=lambda v: v is None)
    lt2_hr: int | None = Field(default=None, exclude_if=lambda v: v is None)


@dataclass(frozen=True)
class DfaSession:
    """One session's DFA block with what the profile needs to know about the activity."""

    activity_id: str
    day: date
    start: str  # athlete-local start, for ordering
    name: str | None
    sport: str | None
    block: DfaBlock

    @property
    def family(self) -> str:
        return family_of(self.sport) or "other"


class LatestDfaSession(MetricModel):
    activity_id: str
    date: date
    name: str | None
    sport: str | None
    validated: bool
    avg: float | None
    tiz_split_pct: TizPct | None
    drift_delta: float | None
    drift_interpretable: bool | None
    quality_pct: float | None
    sufficient: bool


class DfaEstimate(MetricModel):
    """A threshold estimate pooled over eligible sessions (means of the session values).

    Cycling splits power by indoor (VirtualRide) and outdoor sessions; other sports give
    one ``watts``."""

    marker_dfa_a1: float
    hr: int | None
    n_sessions: int
    watts: int | None = None
    watts_outdoor: int | None = None
    watts_indoor: int | None = None
    n_sessions_outdoor: int | None = None
    n_sessions_indoor: int | None = None


class DfaSportProfile(MetricModel):
    n_sessions: int
    date_range: list[date]
    avg_dfa_a1: float | None
    drift_delta_mean: float | None
    easy_guard_crossing_sessions: int
    lt1_crossing_sessions: int
    lt2_crossing_sessions: int
    easy_guard_eligible_sessions: int
    lt1_eligible_sessions: int
    lt2_eligible_sessions: int
    easy_guard_estimate: DfaEstimate | None
    easy_guard_reason: str
    lt1_estimate: DfaEstimate | None
    lt1_reason: str
    lt2_estimate: DfaEstimate | None
    lt2_reason: str
    quality_avg_pct: float | None
    validated: bool
    confidence: str | None
    note: str | None = Field(default=None, exclude_if=lambda v: v is None)


class DfaA1Profile(MetricModel):
    latest_session: LatestDfaSession
    trailing_by_sport: dict[str, DfaSportProfile]


# --- per session ------------------------------------------------------------------------


def _bands(block: DfaBlock) -> dict[str, DfaBand | None]:
    return {
        "easy": block.tiz_easy,
        "endurance": block.tiz_endurance,
        "tempo": block.tiz_tempo,
        "supra": block.tiz_supra,
    }


def tiz_pct(block: DfaBlock) -> TizPct:
    pct = {
        k: (b.pct if b is not None and b.pct is not None else 0.0) for k, b in _bands(block).items()
    }
    return TizPct(**pct)


def dominant_band(block: DfaBlock) -> str | None:
    """The band with the most seconds; ties go to the harder band (supra > … > easy)."""
    secs = {k: b.secs for k, b in _bands(block).items() if b is not None}
    if not secs:
        return None
    order = ("supra", "tempo", "endurance", "easy")
    return max(order, key=lambda k: (secs.get(k, -1), -order.index(k)))


def dfa_summary(block: DfaBlock | None) -> DfaSummary | None:
    """The short per-session view; None unless the session is sufficient."""
    if block is None or not block.quality.sufficient:
        return None
    lt1 = _eligible(block.lt1_crossing)
    lt2 = _eligible(block.lt2_crossing)
    return DfaSummary(
        avg=block.avg,
        dominant_band=dominant_band(block),
        tiz_pct=tiz_pct(block),
        valid_pct=block.quality.valid_pct,
        sufficient=True,
        drift_delta=block.drift.delta if block.drift else None,
        drift_interpretable=block.drift.interpretable if block.drift else None,
        lt1_watts=lt1.avg_watts if lt1 else None,
        lt1_hr=lt1.avg_hr if lt1 else None,
        lt2_watts=lt2.avg_watts if lt2 else None,
        lt2_hr=lt2.avg_hr if lt2 else None,
    )


def _eligible(c: DfaCrossing | None) -> DfaCrossing | None:
    return c if c is not None and c.reason == "ok" and c.estimate_eligible else None


# --- profile ----------------------------------------------------------------------------


def dfa_a1_profile(sessions: Sequence[DfaSession]) -> DfaA1Profile | None:
    """The profile over the given sessions; None when there is none."""
    if not sessions:
        return None
    newest_first = sorted(sessions, key=lambda s: (s.start, s.activity_id), reverse=True)
    sufficient = [s for s in newest_first if s.block.quality.sufficient]
    by_family: dict[str, list[DfaSession]] = {}
    for s in sufficient:
        by_family.setdefault(s.family, []).append(s)
    return DfaA1Profile(
        latest_session=_latest(sufficient[0] if sufficient else newest_first[0]),
        trailing_by_sport={
            fam: _sport_profile(fam, group[:TRAILING_SESSIONS])
            for fam, group in sorted(by_family.items())
        },
    )


def _latest(s: DfaSession) -> LatestDfaSession:
    b = s.block
    ok = b.quality.sufficient
    return LatestDfaSession(
        activity_id=s.activity_id,
        date=s.day,
        name=s.name,
        sport=s.sport,
        validated=s.family == VALIDATED_FAMILY,
        avg=b.avg if ok else None,
        tiz_split_pct=tiz_pct(b) if ok else None,
        drift_delta=b.drift.delta if ok and b.drift else None,
        drift_interpretable=b.drift.interpretable if ok and b.drift else None,
        quality_pct=b.quality.valid_pct if ok else None,
        sufficient=ok,
    )


def _crossing_of(s: DfaSession, marker: str) -> DfaCrossing | None:
    crossing: DfaCrossing | None = getattr(s.block, f"{marker}_crossing")
    return crossing


def _sport_profile(family: str, group: list[DfaSession]) -> DfaSportProfile:
    days = [s.day for s in group]
    drifts = [s.block.drift.delta for s in group if s.block.drift and s.block.drift.interpretable]
    avgs = [s.block.avg for s in group if s.block.avg is not None]
    quality = [s.block.quality.valid_pct for s in group if s.block.quality.valid_pct is not None]
    stats = {marker: _marker_stats(family, group, marker) for marker in MARKERS}
    n = max(stats["lt1"].eligible, stats["lt2"].eligible)
    validated = family == VALIDATED_FAMILY
    return DfaSportProfile(
        n_sessions=len(group),
        date_range=[min(days), max(days)],
        avg_dfa_a1=round(statistics.fmean(avgs), 3) if avgs else None,
        drift_delta_mean=round(statistics.fmean(drifts), 3) + 0.0 if drifts else None,
        quality_avg_pct=round(statistics.fmean(quality), 1) if quality else None,
        validated=validated,
        confidence=_confidence(n),
        note=None
        if validated
        else (
            "DFA a1 threshold mapping (LT1 0.75 / LT2 0.5) is cycling-validated. "
            f"{family} thresholds may differ - treat estimates as informational only."
        ),
        easy_guard_crossing_sessions=stats["easy_guard"].dwelt,
        lt1_crossing_sessions=stats["lt1"].dwelt,
        lt2_crossing_sessions=stats["lt2"].dwelt,
        easy_guard_eligible_sessions=stats["easy_guard"].eligible,
        lt1_eligible_sessions=stats["lt1"].eligible,
        lt2_eligible_sessions=stats["lt2"].eligible,
        easy_guard_estimate=stats["easy_guard"].estimate,
        easy_guard_reason=stats["easy_guard"].reason,
        lt1_estimate=stats["lt1"].estimate,
        lt1_reason=stats["lt1"].reason,
        lt2_estimate=stats["lt2"].estimate,
        lt2_reason=stats["lt2"].reason,
    )


@dataclass(frozen=True)
class _MarkerStats:
    dwelt: int  # sessions whose dwell at the marker qualified
    eligible: int  # ... and could estimate it
    estimate: DfaEstimate | None
    reason: str


def _marker_stats(family: str, group: list[DfaSession], marker: str) -> _MarkerStats:
    crossings = [(s, _crossing_of(s, marker)) for s in group]
    dwelt = [(s, c) for s, c in crossings if c is not None and c.reason == "ok"]
    eligible = [(s, c) for s, c in dwelt if c.estimate_eligible]
    return _MarkerStats(
        dwelt=len(dwelt),
        eligible=len(eligible),
        estimate=_estimate(family, eligible),
        reason=_reason(
            len(eligible), [c for _, c in dwelt], [c for _, c in crossings if c is not None]
        ),
    )


def _estimate(family: str, eligible: list[tuple[DfaSession, DfaCrossing]]) -> DfaEstimate | None:
    if len(eligible) < MIN_ESTIMATE_SESSIONS:
        return None
    marker = eligible[0][1].marker_dfa_a1
    hr = _mean_int([c.avg_hr for _, c in eligible])
    if family != VALIDATED_FAMILY:
        return DfaEstimate(
            marker_dfa_a1=marker,
            hr=hr,
            watts=_mean_int([c.avg_watts for _, c in eligible]),
            n_sessions=len(eligible),
        )
    indoor = [c for s, c in eligible if s.sport in VIRTUAL_TYPES]
    outdoor = [c for s, c in eligible if s.sport not in VIRTUAL_TYPES]
    return DfaEstimate(
        marker_dfa_a1=marker,
        hr=hr,
        watts_outdoor=_mean_int([c.avg_watts for c in outdoor]),
        watts_indoor=_mean_int([c.avg_watts for c in indoor]),
        n_sessions=len(eligible),
        n_sessions_outdoor=len(outdoor),
        n_sessions_indoor=len(indoor),
    )


def _reason(eligible: int, dwelt: list[DfaCrossing], all_crossings: list[DfaCrossing]) -> str:
    """Why there is (or is not) an estimate: ok, insufficient_sessions, else the most common
    reason the sessions failed (ties: the most severe)."""
    if eligible >= MIN_ESTIMATE_SESSIONS:
        return "ok"
    if eligible > 0:
        return "insufficient_sessions"
    failing = [c.estimate_reason for c in dwelt if c.estimate_reason != "ok"]
    if failing:
        counts = Counter(failing)
        return min(counts, key=lambda r: (-counts[r], reason_severity(r)))
    dwell = [c.reason for c in all_crossings if c.reason != "ok"]
    if dwell:
        counts = Counter(dwell)
        return min(counts, key=lambda r: (-counts[r], _DWELL_SEVERITY.index(r)))
    return "no_samples_in_band"


def _confidence(n: int) -> str | None:
    if n >= 6:
        return "high"
    if n >= 4:
        return "moderate"
    if n >= 3:
        return "low"
    return None


def _mean_int(values: Sequence[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return round(statistics.fmean(known)) if known else None
