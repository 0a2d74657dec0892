"""Which Seiler zone each HR zone counts in: by the zone's bounds against LTHR."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from section11.config import ZoneBasis
from section11.metrics.zones import hr_seiler_zones, seiler_tid
from section11.sources.intervals_icu.models import Activity

# A real athlete's 7-zone HR set (LTHR 170; tops at 81, 89, 93, 99, 102, 106 % of LTHR,
# then max HR 190): 137, 151, 158, 168, 173, 180, 190.
FRIEL_7 = [137, 151, 158, 168, 173, 180, 190]
# A 5-zone set (tops at 68, 83, 94, 105 % of LTHR 170, max 190).
COGGAN_5 = [115, 141, 160, 178, 190]
HR_ONLY: Mapping[str, ZoneBasis] = {"cycling": "hr"}


def test_seven_zone_set_zone_4_is_sub_threshold() -> None:
    # Midpoints: Z1 68.5, Z2 144, Z3 154.5, Z4 163, Z5a 170.5, Z5b 176.5, Z5c 185.
    # LT1 = 0.87 x 170 = 147.9: Z1, Z2 below; LTHR 170: Z5a and up at or above.
    assert hr_seiler_zones(FRIEL_7, 170) == (1, 1, 2, 2, 3, 3, 3)


def test_five_zone_set() -> None:
    # Midpoints: 57.5, 128, 150.5, 169, 184 -> Z3 (tempo) is Seiler 2, and Z4 (160-178) lies
    # mostly below 170, so it is Seiler 2 as well; only Z5 is high intensity.
    assert hr_seiler_zones(COGGAN_5, 170) == (1, 1, 2, 2, 3)


def test_unusable_bounds_give_none() -> None:
    assert hr_seiler_zones(None, 170) is None
    assert hr_seiler_zones(FRIEL_7, None) is None
    assert hr_seiler_zones([137, None, 158], 170) is None
    assert hr_seiler_zones([150, 140, 160], 170) is None  # not increasing


def _ride(hr_secs: list[float], zones: Sequence[int] | None, lthr: float | None) -> Activity:
    return Activity.model_validate(
        {
            "id": "a1",
            "start_date_local": "2026-11-20T08:00:00",
            "type": "Ride",
            "icu_hr_zone_times": hr_secs,
            "icu_hr_zones": None if zones is None else list(zones),
            "lthr": lthr,
        }
    )


def test_time_in_hr_zone_4_counts_as_seiler_2() -> None:
    # 3,000 s in Z2, 1,200 s in Z4, 300 s in Z5a.
    secs = [0.0, 3000.0, 0.0, 1200.0, 300.0, 0.0, 0.0]
    tid = seiler_tid([_ride(secs, FRIEL_7, 170)], HR_ONLY)
    assert (tid.z1_seconds, tid.z2_seconds, tid.z3_seconds) == (3000, 1200, 300)
    assert tid.zone_basis == "hr"


def test_without_bounds_hr_uses_z1_z2_z3_z4_z5_plus() -> None:
    secs = [600.0, 3000.0, 400.0, 1200.0, 300.0, 60.0, 0.0]
    tid = seiler_tid([_ride(secs, None, None)], HR_ONLY)
    # S1 = 600 + 3,000; S2 = 400 + 1,200; S3 = 300 + 60
    assert (tid.z1_seconds, tid.z2_seconds, tid.z3_seconds) == (3600, 1600, 360)
