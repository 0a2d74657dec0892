"""Every activity type the API lists has a sport family and an indoor/outdoor flag, and a
family's thresholds only ever come from that sport's own settings entry."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.metrics.sports import (
    ACTIVITY_TYPES,
    FAMILIES,
    family_of,
    family_of_types,
    is_outdoor,
)
from section11.metrics.thresholds import sport_thresholds
from section11.sources.intervals_icu.models import Athlete

# The 60 values of the ``type`` enum in the Intervals.icu OpenAPI spec (e.g. on SportInfo).
API_TYPES: list[str] = json.loads(
    (Path(__file__).parent / "data" / "intervals_activity_types.json").read_text("utf-8")
)["types"]


def test_the_api_list_has_60_types_and_every_one_is_mapped() -> None:
    assert len(API_TYPES) == 60 == len(set(API_TYPES))
    assert set(ACTIVITY_TYPES) == set(API_TYPES)
    assert {family for family, _ in ACTIVITY_TYPES.values()} <= set(FAMILIES)


@pytest.mark.parametrize(
    ("activity_type", "family", "outdoor"),
    [
        ("Cyclocross", "cycling", True),
        ("EMountainBikeRide", "cycling", True),
        ("Handcycle", "cycling", True),
        ("VirtualRide", "cycling", False),
        ("TrailRun", "run", True),
        ("Snowshoe", "walk", True),
        ("Crossfit", "strength", False),
        ("Kayaking", "other", True),
        ("Yoga", "other", False),
        ("SomethingNew", "other", False),  # a type the API adds later
        (None, "other", False),
    ],
)
def test_family_and_outdoor(activity_type: str | None, family: str, outdoor: bool) -> None:
    assert family_of(activity_type) == family
    assert is_outdoor(activity_type, trainer=False) is outdoor


def test_an_outdoor_type_on_a_trainer_is_indoor() -> None:
    assert is_outdoor("Cyclocross", trainer=True) is False


def test_an_entry_belongs_to_the_family_of_most_of_its_types() -> None:
    assert family_of_types(["Ride", "Cyclocross", "Yoga"]) == "cycling"  # 2 cycling, 1 other
    assert family_of_types(["Yoga", "Ride"]) == "other"  # a tie: the first type's family
    assert family_of_types([]) == "other"


def test_a_family_never_takes_another_sports_thresholds() -> None:
    # A real athlete's cycling entry lists Cyclocross and (by mistake) Yoga; there is no
    # settings entry for "other" sports at all.
    athlete = Athlete.model_validate(
        {
            "sportSettings": [
                {"types": ["Ride", "VirtualRide", "Cyclocross", "Yoga"], "ftp": 265, "lthr": 170},
                {"types": ["Run", "TrailRun"], "lthr": 175},
            ]
        }
    )
    result = sport_thresholds(athlete)
    assert list(result) == ["cycling", "run"]  # no "other" with the cycling FTP
    assert result["cycling"].ftp == 265
    assert result["run"].ftp is None


def test_an_other_entry_fills_other() -> None:
    athlete = Athlete.model_validate(
        {"sportSettings": [{"types": ["Other", "Workout", "Ride"], "lthr": 150, "ftp": 200}]}
    )
    result = sport_thresholds(athlete)
    assert list(result) == ["other"]  # two of three types are "other"
    assert (result["other"].lthr, result["other"].ftp) == (150, 200)


def test_a_cyclocross_ride_is_anonymized_and_gets_terrain_and_weather(
    demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    # The demo's most recent outdoor ride, relabelled as a real athlete's cyclocross race.
    ride = max(
        (a for a in demo_athlete.activities if a.get("type") == "Ride" and not a.get("trainer")),
        key=lambda a: str(a.get("start_date_local")),
    )
    ride["type"] = "Cyclocross"
    ride["name"] = "CX race at Ekebergsletta"
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    out = tmp_path / "out"
    with FakeIntervalsServer(demo_athlete) as server:
        env = {
            "SECTION11_CONFIG": str(config),
            "ATHLETE_ID": DEMO_ATHLETE_ID,
            "INTERVALS_KEY": DEMO_API_KEY,
            "INTERVALS_API_BASE": server.base_url,
        }
        now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
        assert main(["--output-dir", str(out)], env=env, clock=FixedClock(now)) == 0
    text = (out / "latest.json").read_text("utf-8")
    assert "Ekebergsletta" not in text
    shown = {a["id"]: a for a in json.loads(text)["recent_activities"]}
    entry = shown[ride["id"]]
    assert (entry["type"], entry["name"]) == ("Cyclocross", "Training Session")
    assert "terrain_summary" in entry and "weather_summary" in entry
    # An activity's terrain leaves out the route-only keys (always empty there), where a
    # route file's keeps them, null when the privacy level removed the line.
    assert not {"polyline", "polyline_points", "elevation_profile"} & set(entry["terrain_summary"])
    routes = json.loads((out / "routes.json").read_text("utf-8"))["events"]
    ok_routes = [e for e in routes if e["status"] == "ok"]
    assert ok_routes and all("polyline" in e["terrain_summary"] for e in ok_routes)
