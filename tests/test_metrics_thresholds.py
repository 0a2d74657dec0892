from __future__ import annotations

from section11.metrics.thresholds import power_model, sport_thresholds
from section11.sources.intervals_icu.models import Athlete, Wellness


def test_sport_thresholds() -> None:
    athlete = Athlete.model_validate(
        {
            "sportSettings": [
                {
                    "types": ["Ride", "VirtualRide"],
                    "ftp": 260,
                    "indoor_ftp": 248,
                    "lthr": 168,
                    "max_hr": 186,
                    "threshold_pace": 0,  # "not set": impossible as a real pace
                    "pace_units": "MINS_KM",
                },
                {"types": ["GravelRide"], "ftp": 250},  # fewer values: loses to the above
                {"types": ["VirtualRun"], "lthr": 170, "max_hr": 191},
                {
                    "types": ["Run"],
                    "lthr": 172,
                    "max_hr": 190,
                    "ftp": 0,  # "not set"
                    "indoor_ftp": None,
                },
                {
                    "types": ["Swim"],
                    "lthr": 158,
                    "threshold_pace": 1.2,
                    "pace_units": "SECS_100M",
                },
                {"types": ["Yoga", "Kitesurf"], "lthr": 120},
            ]
        }
    )
    result = sport_thresholds(athlete)
    assert list(result) == ["cycling", "run", "swim", "other"]  # FAMILIES order
    cycling = result["cycling"]
    assert (cycling.ftp, cycling.ftp_indoor, cycling.lthr, cycling.max_hr) == (260, 248, 168, 186)
    assert cycling.threshold_pace is None and cycling.pace_units is None
    # run: both entries carry 2 values → tie → "Run" sorts before "VirtualRun"
    run = result["run"]
    assert (run.lthr, run.max_hr, run.ftp) == (172, 190, None)
    swim = result["swim"]
    assert (swim.threshold_pace, swim.pace_units, swim.max_hr) == (1.2, "SECS_100M", None)
    assert result["other"].lthr == 120
    assert sport_thresholds(Athlete.model_validate({})) == {}


def test_power_model() -> None:
    wellness = Wellness.model_validate(
        {
            "id": "2026-11-21",
            "sportInfo": [
                {"type": "Run", "eftp": 300},
                {"type": "Ride", "eftp": 260.94, "wPrime": 20540, "pMax": 1010.4},
            ],
        }
    )
    pm = power_model(wellness)
    assert pm.eftp == 260.9
    assert pm.w_prime == 20540
    assert pm.w_prime_kj == 20.5  # 20540 J / 1000 = 20.54 kJ
    assert pm.p_max == 1010
    assert pm.source == "wellness.sportInfo"


def test_power_model_unavailable() -> None:
    assert power_model(None).source is None
    empty = Wellness.model_validate({"id": "2026-11-21", "sportInfo": [{"type": "Ride"}]})
    pm = power_model(empty)
    assert (pm.eftp, pm.w_prime, pm.w_prime_kj, pm.p_max, pm.source) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_threshold_pace_is_labelled_and_formatted_for_the_athlete() -> None:
    from section11.metrics.thresholds import format_pace

    # 4.0 m/s: 1000 / 4.0 = 250 s per km = 4:10 /km
    assert format_pace(4.0, "MINS_KM") == "4:10 /km"
    # 1609.344 / 4.0 = 402.3 s → 402 s = 6:42 per mile
    assert format_pace(4.0, "MINS_MILE") == "6:42 /mi"
    # swim 0.87 m/s: 100 / 0.87 = 114.9 s → 115 s = 1:55 per 100 m
    assert format_pace(0.87, "SECS_100M") == "1:55 /100m"
    assert format_pace(None, "MINS_KM") is None
    assert format_pace(4.0, "SOMETHING_NEW") is None
