from __future__ import annotations

from typing import Any

import pytest

from section11.config import ZoneBasis
from section11.metrics.zones import (
    activity_zones,
    aggregate_zones,
    classify_tid,
    hard_day,
    polarization_index,
    seiler_tid,
)
from section11.sources.intervals_icu.models import Activity

NO_PREF: dict[str, ZoneBasis] = {}
RUN_HR: dict[str, ZoneBasis] = {"run": "hr"}


def act(type_: str = "Ride", power: list[float] | None = None, hr: Any = None) -> Activity:
    payload: dict[str, Any] = {"id": "a", "type": type_, "start_date_local": "2026-11-21T08:00"}
    if power is not None:
        payload["icu_zone_times"] = [
            {"id": f"Z{i}", "secs": secs} for i, secs in enumerate(power, start=1)
        ]
    if hr is not None:
        payload["icu_hr_zone_times"] = hr
    return Activity.model_validate(payload)


def test_power_zones_drop_sweet_spot_and_unknown_ids() -> None:
    a = Activity.model_validate(
        {
            "type": "Ride",
            "icu_zone_times": [
                {"id": "Z1", "secs": 600},
                {"id": "z2", "secs": 1200},
                {"id": "SS", "secs": 300},
                {"id": "Z3", "secs": 300},
                {"id": "Z8", "secs": 50},
                {"id": "Z4", "secs": None},
                None,
            ],
        }
    )
    zones = activity_zones(a, NO_PREF)
    assert zones is not None
    assert zones.basis == "power"
    assert zones.seconds == {"z1": 600, "z2": 1200, "z3": 300}


def test_hr_zones_by_index_and_preference() -> None:
    both = act("Run", power=[100, 0, 0], hr=[300, None, 200, 0, 0, 0, 0, 99])
    # default: power first
    zones = activity_zones(both, NO_PREF)
    assert zones is not None and zones.basis == "power"
    # run prefers HR: index 0 → z1, None skipped, index 7 (an 8th zone) ignored
    zones = activity_zones(both, RUN_HR)
    assert zones is not None and zones.basis == "hr"
    assert zones.seconds == {"z1": 300, "z3": 200, "z4": 0, "z5": 0, "z6": 0, "z7": 0}
    # power present but all zero → HR fallback
    zeros = activity_zones(act("Ride", power=[0, 0], hr=[60]), NO_PREF)
    assert zeros is not None and zeros.basis == "hr"
    # preferred HR missing → power fallback
    only_power = activity_zones(act("Run", power=[60]), RUN_HR)
    assert only_power is not None and only_power.basis == "power"
    assert activity_zones(act("Ride"), NO_PREF) is None
    assert activity_zones(act("Ride", power=[0], hr=[0, None]), NO_PREF) is None


def test_aggregate_zones() -> None:
    acts = [
        act("Ride", power=[3600, 1800, 900, 600, 300]),  # 7200 s
        act("Run", power=[9999], hr=[1800, 1800]),  # HR preferred for run: 3600 s
        act("Swim"),  # no zones
    ]
    agg = aggregate_zones(acts, RUN_HR)
    # z1 = 3600 + 1800 = 5400 s = 1.5 h; z2 = 1800 + 1800 = 3600 s = 1.0 h
    # z3 = 900 s = 0.25 h; z4+ = 600 + 300 = 900 s = 0.25 h; total 10800 s = 3.0 h
    assert (agg.z1_hours, agg.z2_hours, agg.z3_hours) == (1.5, 1.0, 0.25)
    assert agg.z4_plus_hours == 0.25
    assert agg.total_hours == 3.0
    assert agg.zone_basis == "mixed"
    assert agg.grey_zone_percentage == 8.3  # 100 × 900 / 10800 = 8.33
    assert agg.quality_intensity_percentage == 8.3  # 100 × 900 / 10800
    assert agg.easy_time_ratio == 0.83  # 9000 / 10800 = 0.833
    assert agg.activities_with_zones == 2


def test_aggregate_zones_empty() -> None:
    agg = aggregate_zones([act("Swim")], NO_PREF)
    assert agg.total_hours == 0.0
    assert agg.z1_hours == 0.0
    assert agg.zone_basis is None
    assert agg.grey_zone_percentage is None
    assert agg.quality_intensity_percentage is None
    assert agg.easy_time_ratio is None
    assert agg.activities_with_zones == 0


def test_polarization_index() -> None:
    # log10(0.8 / 0.05 × 0.15 × 100) = log10(240) = 2.380
    assert polarization_index(0.8, 0.05, 0.15) == 2.38
    # f2 = 0 → 0.01: log10(0.85 / 0.01 × 0.15 × 100) = log10(1275) = 3.106
    assert polarization_index(0.85, 0.0, 0.15) == 3.11
    assert polarization_index(0.995, 0.0, 0.005) is None  # f3 < 0.01
    assert polarization_index(0.7, 0.2, 0.1) is None  # not f1 > f3 > f2


@pytest.mark.parametrize(
    ("f1", "f2", "f3", "label"),
    [
        (0.9, 0.095, 0.005, "Base"),
        (0.8, 0.05, 0.15, "Polarized"),  # PI 2.38 > 2
        (0.7, 0.2, 0.1, "Pyramidal"),
        (0.3, 0.5, 0.2, "Threshold"),
        (0.2, 0.3, 0.5, "High Intensity"),
        # f1 > f3 > f2 but PI = log10(0.4/0.25 × 0.35 × 100) = log10(56) = 1.75 ≤ 2,
        # no other rule matches → fallback
        (0.4, 0.25, 0.35, "Pyramidal"),
    ],
)
def test_classify_tid(f1: float, f2: float, f3: float, label: str) -> None:
    assert classify_tid(f1, f2, f3, polarization_index(f1, f2, f3)) == label


def test_seiler_tid() -> None:
    acts = [act("Ride", power=[3600, 1800, 360, 900, 540]), act("Swim")]
    tid = seiler_tid(acts, NO_PREF)
    # S1 = 3600 + 1800 = 5400, S2 = 360, S3 = 900 + 540 = 1440; total 7200
    assert (tid.z1_seconds, tid.z2_seconds, tid.z3_seconds) == (5400, 360, 1440)
    assert (tid.z1_pct, tid.z2_pct, tid.z3_pct) == (75.0, 5.0, 20.0)
    # log10(0.75 / 0.05 × 0.2 × 100) = log10(300) = 2.477
    assert tid.polarization_index == 2.48
    assert tid.classification == "Polarized"
    assert tid.zone_basis == "power"
    assert tid.sport is None

    cycling = seiler_tid(acts, NO_PREF, family="cycling")
    assert cycling.sport == "cycling"
    assert cycling.z1_seconds == 5400

    run = seiler_tid(acts, NO_PREF, family="run")  # no run activity: total 0
    assert (run.z1_seconds, run.z2_seconds, run.z3_seconds) == (0, 0, 0)
    assert run.z1_pct is None and run.polarization_index is None
    assert run.classification is None and run.zone_basis is None
    assert run.sport == "run"


def test_hard_day_power_ladder() -> None:
    assert hard_day([act(power=[0, 0, 1800])], NO_PREF).is_hard is True  # z3+ 1800
    assert hard_day([act(power=[3600, 0, 1799])], NO_PREF).is_hard is False
    assert hard_day([act(power=[0, 0, 0, 0, 0, 0, 60])], NO_PREF).is_hard is True  # z7 60
    # z6+ = 60 + 59 = 119 < 120, z7 59 < 60, z5+ 119 < 300 → not hard
    assert hard_day([act(power=[0, 0, 0, 0, 0, 60, 59])], NO_PREF).is_hard is False
    # two sessions add up: z4 300 + 300 = 600 → hard
    day = hard_day([act(power=[0, 0, 0, 300]), act(power=[0, 0, 0, 300])], NO_PREF)
    assert (day.is_hard, day.basis) == (True, "power")


def test_hard_day_hr_ladder_and_unknown() -> None:
    # HR: z3 does not count, z4+ ≥ 600 does
    assert hard_day([act("Run", hr=[0, 0, 3600])], NO_PREF).is_hard is False
    assert hard_day([act("Run", hr=[0, 0, 0, 400, 200])], NO_PREF).is_hard is True  # 600
    assert hard_day([act("Run", hr=[0, 0, 0, 0, 300])], NO_PREF).is_hard is True
    mixed = hard_day([act("Run", hr=[600]), act(power=[600])], NO_PREF)
    assert (mixed.is_hard, mixed.basis) == (False, "mixed")
    unknown = hard_day([act("Swim")], NO_PREF)
    assert (unknown.is_hard, unknown.basis) == (None, None)
    assert hard_day([], NO_PREF).is_hard is None
