"""latest.json: the capability block, load ratios, notes and weight signal, wired end to end
from typed records (no HTTP here; the curves arrive as the pipeline hands them over).

Today is 2026-03-18 (UTC athlete). 7 days: 03-12 … 03-18; 28 days: 02-19 … 03-18.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from section11.config import Settings
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.latest import LatestInputs, build_latest
from section11.sources.intervals_icu.curve_models import DataCurve
from section11.sources.intervals_icu.models import Activity, Athlete, Wellness
from section11.store import dumps

TODAY = date(2026, 3, 18)
NOW_UTC = datetime(2026, 3, 18, 20, 0, tzinfo=UTC)


def day(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


ATHLETE = {
    "id": "i1",
    "timezone": "UTC",
    "icu_weight": 70.0,
    "sportSettings": [{"types": ["Ride", "VirtualRide"], "ftp": 250, "lthr": 160}],
}


def ride(n: int, aid: str, load: float, **extra: Any) -> dict[str, Any]:
    return {
        "id": aid,
        "type": "Ride",
        "start_date_local": f"{day(n)}T08:00:00",
        "moving_time": 6000,
        "icu_training_load": load,
        "icu_variability_index": 1.03,
        **extra,
    }


ACTIVITIES = [
    ride(1, "a1", 100, decoupling=3.0, icu_efficiency_factor=1.30, icu_hrr={"hrr": 30}),
    ride(3, "a2", 140, decoupling=5.0, icu_efficiency_factor=1.34),
    {**ride(5, "a3", 100, icu_hrr={"hrr": 34}), "type": "VirtualRide"},
    ride(20, "a4", 60, decoupling=7.0, icu_efficiency_factor=1.20, icu_hrr={"hrr": 26}),
]
# HRV 60 / RHR 50 on six days and today HRV 66, RHR 50: 7-day baselines (6×60 + 66)/7 =
# 60.857 and 50. RI = (66/60.857)/(50/50) = 1.0845 → 1.08.
WELLNESS = [
    *[{"id": day(n), "hrv": 60.0, "restingHR": 50, "weight": 70.0} for n in range(1, 7)],
    {"id": day(0), "hrv": 66.0, "restingHR": 50, "weight": 69.6},
]


def inputs(**changes: Any) -> LatestInputs:
    base: dict[str, Any] = {
        "athlete": Athlete.model_validate(ATHLETE),
        "activities": [Activity.model_validate(a) for a in ACTIVITIES],
        "wellness": [Wellness.model_validate(w) for w in WELLNESS],
        "events": [],
        "health_events": [],
        "ftp_history": FtpHistory(outdoor={day(10): 250}),
        "settings": Settings(athlete_id="i1", intervals_key=None, output_dir=Path(".")),
        "now_utc": NOW_UTC,
        "today": TODAY,
        "version": "1.0.0",
    }
    return LatestInputs(**(base | changes))


def build(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(dumps(build_latest(inputs(**changes))))
    return data


def test_load_ratios_and_notes() -> None:
    derived = build()["derived_metrics"]
    # 7-day load 100 + 140 + 100 = 340 → stress tolerance 340/100 = 3.4
    assert derived["tss_7d_total"] == 340 and derived["stress_tolerance"] == 3.4
    # RI 1.08 (see WELLNESS) → 340 / 108 = 3.15 → 3.1
    assert derived["recovery_index"] == 1.08 and derived["load_recovery_ratio"] == 3.1
    for note in ("grey_zone_note", "quality_intensity_note", "easy_time_ratio_note"):
        assert "polarized" in derived[note]
    assert "z3+ >= 30min" in derived["hard_days_note"]
    start = derived["acwr_start_of_day"]
    assert (start["scope"], start["current_day_load_included"]) == ("start_of_day", False)
    assert (start["acute_days"], start["chronic_days"]) == (7, 28)


def test_capability_sessions_from_the_windows() -> None:
    cap = build()["derived_metrics"]["capability"]
    # a1 (3.0) and a2 (5.0) in 7 days; a4 (7.0) only in 28 → 4.0 and 15/3 = 5.0
    assert cap["durability"]["mean_decoupling_7d"] == 4.0
    assert cap["durability"]["mean_decoupling_28d"] == 5.0
    assert cap["durability"]["trend"] == "stable"  # 4.0 − 5.0 = −1.0, not below −1
    # EF: (1.30 + 1.34)/2 = 1.32; 28d (1.30 + 1.34 + 1.20)/3 = 1.28 → +0.04 improving
    assert (cap["efficiency_factor"]["mean_ef_7d"], cap["efficiency_factor"]["mean_ef_28d"]) == (
        1.32,
        1.28,
    )
    assert cap["efficiency_factor"]["trend"] == "improving"
    # HRRc 7d (30 + 34)/2 = 32.0; 28d (30 + 34 + 26)/3 = 30.0
    assert (cap["hrrc"]["mean_hrrc_7d"], cap["hrrc"]["mean_hrrc_28d"]) == (32.0, 30.0)
    assert cap["dfa_a1_profile"] is None


def test_curves_not_fetched_give_nulls_with_reasons() -> None:
    cap = build()["derived_metrics"]["capability"]
    delta = cap["power_curve_delta"]
    assert delta["anchors"] is None and delta["rotation_index"] is None
    assert delta["valid_anchors_current"] is None  # no curve at all, not "0 anchors"
    assert delta["current_window"] == {"start": "2026-02-19", "end": "2026-03-18"}
    assert delta["previous_window"] == {"start": "2026-01-22", "end": "2026-02-18"}
    profile = cap["sustainability_profile"]
    assert profile["cycling"]["anchors"] is None and profile["cycling"]["observed_anchors"] == 0
    assert profile["window"] == {"days": 42, "start": "2026-02-05", "end": "2026-03-18"}
    # Newest weight of the display window: today's 69.6 kg.
    assert (profile["weight_kg"], profile["weight_source"]) == (69.6, "wellness_recent")


def test_curves_feed_the_deltas_and_the_profile() -> None:
    current, previous, last_42 = (
        "r.2026-02-19.2026-03-18",
        "r.2026-01-22.2026-02-18",
        "r.2026-02-05.2026-03-18",
    )
    power = [
        DataCurve(id=current, secs=[5, 60, 300, 1200, 3600], values=[800, 400, 300, 260, 230]),
        DataCurve(id=previous, secs=[5, 60, 300, 1200, 3600], values=[800, 400, 300, 260, 200]),
        DataCurve(id=last_42, secs=[300, 600], values=[300, 280], activity_id=["a3", "a1"]),
    ]
    curves = {"power:Ride": power, "hr:all": [], "hr:Ride": []}
    cap = build(curves=curves)["derived_metrics"]["capability"]
    delta = cap["power_curve_delta"]
    # 3600 s: (230 − 200)/200 = +15.0 %; rotation mean(0, 0) − mean(0, 15) = −7.5
    assert delta["anchors"]["3600s"]["pct_change"] == 15.0
    assert delta["rotation_index"] == -7.5
    assert cap["hr_curve_delta"]["anchors"] is None  # the HR answer held no curve
    cycling = cap["sustainability_profile"]["cycling"]
    a300 = cycling["anchors"]["300s"]
    # a3 is a VirtualRide: indoor. 300 / 69.6 = 4.31 W/kg; CP model 250 + W'? unknown → null
    assert (a300["actual_watts"], a300["source"], a300["actual_wpkg"]) == (
        300,
        "observed_indoor",
        4.31,
    )
    assert a300["coggan_watts"] == 265  # 250 × 1.06
    assert a300["cp_model_watts"] is None  # no W' in the wellness power model
    assert cycling["anchors"]["600s"]["source"] == "observed_outdoor"
    assert cycling["ftp_used"] == 250 and cycling["ftp_staleness_days"] == 10


def test_weight_block_and_its_absence() -> None:
    weight = build()["current_status"]["weight"]
    # latest 69.6 today; W/kg 250 / 69.6 = 3.592 → 3.59 (tested FTP set 10 days ago)
    assert (weight["weight_latest_kg"], weight["wkg_current"]) == (69.6, 3.59)
    assert (weight["wkg_ftp_source"], weight["ftp_setting_date"]) == ("tested", day(10))
    # 7 weigh-ins in 7 days: (6 × 70.0 + 69.6)/7 = 69.94 → 69.9
    assert weight["weight_7d_avg_kg"] == 69.9
    for gated in ("wkg_block_start", "weight_28d_slope_kg_per_week"):
        assert gated not in weight  # no weigh-in 24-27 days ago; 7 < 14 weigh-ins
    no_scale = [{k: v for k, v in w.items() if k != "weight"} for w in WELLNESS]
    empty = build(wellness=[Wellness.model_validate(w) for w in no_scale])
    assert "weight" not in empty["current_status"]
