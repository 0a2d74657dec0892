"""The per-session DFA a1 block (intervals.json ``dfa``), on hand-built streams.

Conventions of the helpers: one sample per second; HR 120 bpm is 2 beats per sample, so
the 200-beat lookback before a dwell needs exactly 100 samples.
"""

from __future__ import annotations

import math

import pytest

from section11.metrics.dfa import (
    ESTIMATE_REASON_PRIORITY,
    DfaCrossing,
    dfa_block,
    most_severe,
)


class Streams:
    """Mutable streams: a steady easy session (a1 1.3 is in no band), HR 120, 200 W, 1 %."""

    def __init__(self, n: int = 1500) -> None:
        self.a1: list[object] = [1.3] * n
        self.art: list[object] = [1.0] * n
        self.hr: list[object] = [120] * n
        self.watts: list[object] = [200] * n

    def put(self, name: str, start: int, end: int, value: object) -> Streams:
        """Set samples start..end-1 of one stream."""
        stream: list[object] = getattr(self, name)
        for i in range(start, end):
            stream[i] = value
        return self

    def lt1(self) -> DfaCrossing:
        block = dfa_block(self.a1, self.art, self.hr, self.watts)
        assert block is not None and block.lt1_crossing is not None
        return block.lt1_crossing


# --- quality and sufficiency ------------------------------------------------------------


def test_no_samples_is_no_block() -> None:
    assert dfa_block([]) is None
    assert dfa_block(None) is None


def test_below_1200_valid_samples_only_quality_is_reported() -> None:
    block = dfa_block([0.8] * 1199, [1.0] * 1199)
    assert block is not None
    q = block.quality
    # 1199 valid of 1199 = 100 %, but 1199 < 1200 samples -> insufficient.
    assert (q.valid_secs, q.total_secs, q.valid_pct, q.sufficient) == (1199, 1199, 100.0, False)
    assert block.avg is None and block.tiz_endurance is None and block.drift is None
    assert block.lt1_crossing is None and block.easy_guard_crossing is None


def test_below_70_percent_valid_is_insufficient() -> None:
    # 1200 valid + 600 unknown a1 = 1800 samples; 1200 / 1800 = 66.7 % < 70 %.
    block = dfa_block([0.8] * 1200 + [None] * 600)
    assert block is not None
    assert (block.quality.valid_pct, block.quality.sufficient) == (66.7, False)


def test_exactly_the_gates_is_sufficient_and_artifacts_are_summarised() -> None:
    # 1400 clean samples + 600 with 6 % artefacts (invalid): 1400 / 2000 = 70.0 % -> sufficient.
    block = dfa_block([0.8] * 2000, [1.0] * 1400 + [6.0] * 600)
    assert block is not None
    q = block.quality
    assert (q.valid_secs, q.total_secs, q.valid_pct, q.sufficient) == (1400, 2000, 70.0, True)
    assert q.artifact_state == "complete"
    assert q.artifact_coverage_pct == 100.0
    # Mean of all observed rates: (1400 × 1 + 600 × 6) / 2000 = 5000 / 2000 = 2.5.
    assert q.artifact_rate_avg == 2.5


def test_messy_samples_are_unknown_not_zero() -> None:
    # Per sample: NaN, True, text, 0.005 (< 0.01) are invalid a1; a negative artefact rate
    # is unknown (the sample stays valid); None artefacts leave the coverage partial.
    a1: list[object] = [math.nan, True, "x", 0.005, *([0.8] * 1996)]
    art: list[object] = [-1.0, 1.0, 1.0, 1.0, *([None] * 996), *([1.0] * 1000)]
    block = dfa_block(a1, art)
    assert block is not None
    q = block.quality
    # 2000 - 4 invalid = 1996 valid; 1996 / 2000 = 99.8 %.
    assert (q.valid_secs, q.valid_pct) == (1996, 99.8)
    # Observed rates: samples 1-3 and the last 1000 = 1003 of 2000 = 50.15 %.
    assert (q.artifact_state, q.artifact_coverage_pct) == ("partial", 50.15)
    assert dfa_block([0.8] * 1300).quality.artifact_state == "absent"  # type: ignore[union-attr]


def test_streams_are_aligned_to_the_a1_length() -> None:
    # HR longer than a1 is cut, watts shorter is padded with unknown values.
    block = dfa_block([0.9] * 1300, [1.0] * 1300, [140] * 2000, [200] * 10)
    assert block is not None and block.tiz_endurance is not None
    assert (block.tiz_endurance.avg_hr, block.tiz_endurance.avg_watts) == (140, 200)


# --- bands, percentiles, drift ----------------------------------------------------------


def test_bands_percentiles_and_drift_hand_computed() -> None:
    # 300 samples each of 1.2 (easy), 0.9 (endurance), 0.6 (tempo), 0.4 (supra).
    a1 = [1.2] * 300 + [0.9] * 300 + [0.6] * 300 + [0.4] * 300
    hr = [120] * 300 + [140] * 300 + [160] * 300 + [180] * 300
    watts = [100] * 300 + [150] * 300 + [200] * 300 + [250] * 300
    block = dfa_block(a1, [0.5] * 1200, hr, watts)
    assert block is not None
    # avg = (1.2 + 0.9 + 0.6 + 0.4) / 4 = 0.775
    assert block.avg == 0.775
    # sorted: 0.4 ×300, 0.6 ×300, 0.9 ×300, 1.2 ×300; indices 300, 600, 900.
    assert (block.p25, block.p50, block.p75) == (0.6, 0.9, 1.2)
    for band, hr_avg, w_avg in (
        (block.tiz_easy, 120, 100),
        (block.tiz_endurance, 140, 150),
        (block.tiz_tempo, 160, 200),
        (block.tiz_supra, 180, 250),
    ):
        assert band is not None
        # 300 of 1200 valid samples = 25.0 %
        assert (band.secs, band.pct, band.avg_hr, band.avg_watts) == (300, 25.0, hr_avg, w_avg)
    drift = block.drift
    assert drift is not None
    # k = 1200 // 3 = 400; first 400 = 300 × 1.2 + 100 × 0.9 = 450 -> 1.125;
    # last 400 = 100 × 0.6 + 300 × 0.4 = 180 -> 0.45; delta = 0.45 - 1.125 = -0.675.
    assert (drift.first_third_avg, drift.last_third_avg, drift.delta) == (1.125, 0.45, -0.675)
    # Supra 25 % > 15 %: DFA was suppressed by intensity, the drift says little.
    assert drift.interpretable is False


def test_band_edges_and_empty_band_is_null() -> None:
    # 1.0 is endurance (0.75 ≤ a1 ≤ 1.0), 0.75 endurance, 0.5 tempo, 0.4999 supra.
    a1 = [1.0] * 400 + [0.75] * 400 + [0.5] * 400 + [0.4999] * 100
    block = dfa_block(a1)
    assert block is not None
    assert block.tiz_easy is None
    assert block.tiz_endurance is not None and block.tiz_endurance.secs == 800
    assert block.tiz_tempo is not None and block.tiz_tempo.secs == 400
    assert block.tiz_supra is not None and block.tiz_supra.secs == 100
    # 100 / 1300 = 7.69 % supra <= 15 %: the drift is interpretable.
    assert block.drift is not None and block.drift.interpretable is True


def test_no_drift_below_60_samples_per_third() -> None:
    # Drift needs k = valid // 3 >= 60; with 1200 valid samples k = 400, so only the
    # sufficiency gate keeps short sessions out. A block with a drift always has k >= 60.
    block = dfa_block([0.8] * 1200)
    assert block is not None and block.drift is not None
    assert block.drift.delta == 0.0  # a flat session: 0.8 - 0.8 (never -0.0)


# --- crossings: dwell -------------------------------------------------------------------


def test_dwell_reasons_in_order() -> None:
    # No sample within 0.75 ± 0.05.
    assert Streams().lt1().reason == "no_samples_in_band"
    # 59 in-band samples in total: below the 60-sample dwell.
    c = Streams().put("a1", 300, 359, 0.75).lt1()
    assert (c.reason, c.secs_in_band, c.estimate_reason) == (
        "insufficient_total_dwell",
        59,
        "insufficient_total_dwell",
    )
    # 40 + 40 = 80 in band, but split by a 6-sample gap (more than 5 is not bridged).
    c = Streams().put("a1", 300, 340, 0.78).put("a1", 346, 386, 0.72).lt1()
    assert (c.reason, c.secs_in_band, c.contiguous_secs, c.n_qualifying_segments) == (
        "no_contiguous_dwell",
        80,
        40,
        0,
    )
    # The same with a 5-sample gap: bridged into one segment of 80 in-band samples.
    c = Streams().put("a1", 300, 340, 0.8).put("a1", 345, 385, 0.7).lt1()
    assert (c.reason, c.contiguous_secs, c.n_qualifying_segments) == ("ok", 80, 1)


def test_band_is_inclusive_at_plus_minus_005() -> None:
    # 0.80 and 0.70 are exactly 0.05 from 0.75 (in band); 0.8001 is not.
    assert Streams().put("a1", 300, 360, 0.80).lt1().secs_in_band == 60
    assert Streams().put("a1", 300, 360, 0.70).lt1().secs_in_band == 60
    assert Streams().put("a1", 300, 360, 0.8001).lt1().secs_in_band == 0


def test_invalid_samples_are_never_in_band() -> None:
    # 0.75 with a 6 % artefact rate is not a valid sample.
    s = Streams().put("a1", 300, 400, 0.75).put("art", 300, 400, 6.0)
    assert s.lt1().reason == "no_samples_in_band"


# --- crossings: eligibility, one reason at a time ---------------------------------------


def test_eligible_dwell_pools_hr_and_power() -> None:
    s = Streams().put("a1", 300, 400, 0.75).put("hr", 300, 400, 150).put("watts", 300, 400, 210)
    c = s.lt1()
    # 100 in band from 300; lookback 100 samples × 2 beats = 200 beats (HR 120 before).
    # Power over lookback + segment: 100 × 200 W + 100 × 210 W: mean 205, sd 5 -> CV 2.4 %.
    assert (c.reason, c.estimate_eligible, c.estimate_reason) == ("ok", True, "ok")
    assert (c.n_qualifying_segments, c.n_eligible_segments) == (1, 1)
    assert (c.avg_hr, c.avg_watts, c.marker_dfa_a1) == (150, 210, 0.75)


def _alternating(s: Streams, low: int, high: int) -> Streams:
    for i in range(len(s.watts)):
        s.watts[i] = low if i % 2 else high
    return s


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        # Segment at 99: only 99 samples × 2 beats = 198 < 200 beats before it.
        (lambda s: s.put("a1", 99, 200, 0.75), "lookback_incomplete"),
        # Segment at 100: exactly 200 beats, but one HR gap inside the lookback.
        (lambda s: s.put("a1", 100, 200, 0.75).put("hr", 150 - 60, 150 - 59, None), "lookback_gap"),
        (lambda s: s.put("a1", 300, 400, 0.75).put("art", 250, 251, None), "unknown_artifact"),
        (lambda s: s.put("a1", 300, 400, 0.75).put("art", 250, 251, 9.0), "excessive_artifact"),
        (lambda s: s.put("a1", 300, 400, 0.75).put("hr", 350, 351, None), "unknown_hr"),
        (lambda s: s.put("a1", 300, 400, 0.75).put("watts", 350, 351, None), "unknown_power"),
        (lambda s: s.put("a1", 300, 400, 0.75).put("watts", 0, 1500, 0), "non_positive_power_mean"),
        # Alternating 150/250 W: mean 200, population sd 50 -> CV 25 % > 12 %.
        (lambda s: _alternating(s, 150, 250).put("a1", 300, 400, 0.75), "non_stationary_power"),
    ],
)
def test_each_estimate_reason(edit: object, reason: str) -> None:
    s = Streams()
    edit(s)  # type: ignore[operator]
    c = s.lt1()
    assert c.reason == "ok"  # every case dwells long enough
    assert (c.estimate_eligible, c.estimate_reason, c.n_eligible_segments) == (False, reason, 0)


def test_power_cv_of_12_percent_is_still_steady() -> None:
    # 176/224 W alternating: mean 200, sd 24 -> CV exactly 12 % (not above 12).
    s = _alternating(Streams(), 176, 224)
    assert s.put("a1", 300, 400, 0.75).lt1().estimate_reason == "ok"


def test_lookback_check_comes_before_the_window_checks() -> None:
    # Lookback incomplete AND excessive artefacts: the lookback is reported.
    s = Streams().put("a1", 50, 150, 0.75).put("art", 120, 121, 9.0)
    assert s.lt1().estimate_reason == "lookback_incomplete"


def test_the_most_severe_failing_segment_names_the_session() -> None:
    # Segment A (300-399) has an HR gap (unknown_hr), segment B (700-799) unsteady power
    # (non_stationary_power), segment C (1100-1199) is fine. unknown_hr comes first.
    s = Streams()
    s.put("a1", 300, 400, 0.75).put("hr", 350, 351, None)
    s.put("a1", 700, 800, 0.75)
    for i in range(700, 800):
        s.put("watts", i, i + 1, 100 if i % 2 else 300)
    s.put("a1", 1100, 1200, 0.75)
    c = s.lt1()
    assert (c.n_qualifying_segments, c.n_eligible_segments) == (3, 1)
    # One eligible segment is not enough: every qualifying segment must be.
    assert (c.estimate_eligible, c.estimate_reason) == (False, "unknown_hr")
    assert c.contiguous_secs == 100


def test_priority_order_and_unknown_reasons_last() -> None:
    assert ESTIMATE_REASON_PRIORITY == (
        "lookback_incomplete",
        "lookback_gap",
        "unknown_artifact",
        "excessive_artifact",
        "unknown_hr",
        "unknown_power",
        "non_positive_power_mean",
        "non_stationary_power",
    )
    assert most_severe(["non_stationary_power", "lookback_gap", "unknown_hr"]) == "lookback_gap"
    assert most_severe(["zzz", "aaa", "non_stationary_power"]) == "non_stationary_power"
    assert most_severe(["zzz", "aaa"]) == "aaa"
    assert most_severe([]) is None


def test_the_three_markers() -> None:
    s = Streams().put("a1", 300, 400, 1.0).put("a1", 600, 700, 0.5)
    block = dfa_block(s.a1, s.art, s.hr, s.watts)
    assert block is not None
    assert block.easy_guard_crossing is not None and block.lt2_crossing is not None
    assert (block.easy_guard_crossing.marker_dfa_a1, block.easy_guard_crossing.reason) == (
        1.0,
        "ok",
    )
    assert (block.lt2_crossing.marker_dfa_a1, block.lt2_crossing.reason) == (0.5, "ok")
    assert block.lt1_crossing is not None and block.lt1_crossing.reason == "no_samples_in_band"
