"""The privacy pass on hand-made documents: zones, rounding, trimming, and the field
lists that cover fields other parts of the code add later (chat_notes, start_latlng ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polyline
import pytest

from section11.config import resolve_settings
from section11.errors import ConfigError
from section11.privacy.apply import protect_documents
from section11.privacy.geo import PrivacyZones, distance_m, most_frequent_area, trim_polyline
from section11.privacy.levels import PrivacyLevel

HOME = (60.0, 10.0)
# One degree of latitude is 2 * pi * 6_371_000 / 360 = 111_195 m, so 0.005 degree is
# 556 m (inside a 1 km zone) and 0.010 degree is 1_112 m (outside).


def test_distances_behind_the_figures_in_this_file() -> None:
    assert round(distance_m(HOME, (60.005, 10.0))) == 556
    assert round(distance_m(HOME, (60.010, 10.0))) == 1112


def test_most_frequent_start_area() -> None:
    # Three starts within 222 m of each other and one 111 km away: the centre is the
    # mean of the three, (60 + 60.001 + 60.002) / 3 = 60.001.
    starts = [(60.0, 10.0), (60.001, 10.0), (60.002, 10.0), (61.0, 10.0)]
    centre = most_frequent_area(starts)
    assert centre is not None
    assert centre == pytest.approx((60.001, 10.0))
    assert most_frequent_area([]) is None


def test_polyline_trimmed_around_a_zone_and_rounded() -> None:
    line = [(60.0, 10.0), (60.005, 10.0), (60.01004, 10.00004), (60.02, 10.0), (60.03, 10.0)]
    encoded = polyline.encode(line, 5)
    trimmed, kept = trim_polyline(encoded, PrivacyZones((HOME,)))
    assert trimmed is not None
    # 0 m and 556 m are inside the zone; the rest is kept, rounded to 3 decimals.
    assert polyline.decode(trimmed, 5) == [(60.01, 10.0), (60.02, 10.0), (60.03, 10.0)]
    assert kept == 3
    assert trim_polyline("not a polyline \x00", PrivacyZones((HOME,))) == (None, 0)


def _document() -> dict[str, Any]:
    return {
        "description": "What this file holds (written by the mirror).",
        "items": [
            {
                "name": "Morning loop from home",
                "type": "Ride",
                "distance_km": 42.0,
                "chat_notes": ["see you at 7"],
                "weather_summary": {"avg_temp": 3.0, "source": "open-meteo"},
                "start_latlng": [60.0, 10.0],
                "track": [[60.0, 10.0], [60.02011, 10.0], [60.04, 10.0]],
                "lat": 60.004,
                "lon": 10.0,
                "climbs": [{"start_coords": [60.02, 10.00012], "end_coords": [60.001, 10.0]}],
                "message": "Race 'Morning loop from home' tomorrow",
                "latlng": [[60.0, 10.0], [60.03, 10.0], [60.04, 10.0]],
            }
        ],
        "athlete": {
            "date_of_birth": "1990-02-03",
            "city": "Oslo",
            "location": "Oslo, Norway",
            "firstname": "Ingrid",
            "athlete_id": "i1",
        },
        "READ_THIS_FIRST": {"example": "Morning loop from home"},
    }


def test_standard_on_fields_added_later() -> None:
    doc = protect_documents({"f": _document()}, PrivacyLevel.STANDARD)["f"]
    item = doc["items"][0]
    assert item["start_latlng"] is None  # no start coordinates at all
    # Start and finish are zones (2_224 m from the middle point, which stays, rounded).
    assert item["track"] == [[60.02, 10.0]]
    assert (item["lat"], item["lon"]) == (None, None)  # 445 m from the start
    assert item["climbs"] == [{"start_coords": [60.02, 10.0], "end_coords": None}]
    # A point field holding a list of points is a track: 60.03 lies 1_112 m from the
    # track's finish zone (60.04), the other two points are in zones.
    assert item["latlng"] == [[60.03, 10.0]]
    assert item["chat_notes"] == ["see you at 7"] and item["name"] == "Morning loop from home"
    assert doc["athlete"] == {
        "date_of_birth": "1990",
        "city": "Oslo",
        "location": "Oslo, Norway",
        "firstname": None,
        "athlete_id": "REDACTED",
    }


def test_strict_on_fields_added_later() -> None:
    source = _document()
    doc = protect_documents({"f": source}, PrivacyLevel.STRICT)["f"]
    item = doc["items"][0]
    for key in ("start_latlng", "track", "latlng", "lat", "lon", "chat_notes"):
        assert item[key] is None, key
    assert item["climbs"] == [{"start_coords": None, "end_coords": None}]
    assert item["name"] == "Ride 42 km"
    assert item["message"] == "Race 'Ride 42 km' tomorrow"  # the copy of the name too
    assert item["weather_summary"] == {"avg_temp": 3.0, "source": "open-meteo"}  # no free text
    assert doc["description"] == source["description"]  # the mirror's own text
    assert doc["READ_THIS_FIRST"] == source["READ_THIS_FIRST"]
    assert doc["athlete"]["location"] == "Norway"
    assert (doc["athlete"]["city"], doc["athlete"]["date_of_birth"]) == (None, None)
    assert source["items"][0]["name"] == "Morning loop from home"  # the input is untouched


def test_metrics_removes_names() -> None:
    doc = protect_documents({"f": _document()}, PrivacyLevel.METRICS)["f"]
    assert doc["items"][0]["name"] is None
    assert doc["items"][0]["message"] == "Race '(name removed)' tomorrow"
    assert doc["athlete"]["location"] is None


def test_full_changes_nothing() -> None:
    assert protect_documents({"f": _document()}, PrivacyLevel.FULL)["f"] == _document()


@pytest.mark.parametrize("level", list(PrivacyLevel))
def test_a_second_pass_changes_nothing(level: PrivacyLevel) -> None:
    # Files written at a level are read back as caches next run: the pass must not trim
    # them again (a trimmed line's new ends are not where the course starts).
    route = {
        "filename": "home-to-work.gpx",
        "attachment_id": "att-1",
        "terrain_summary": {
            "start_coords": [60.0, 10.0],
            "polyline": polyline.encode(
                [(60.0 + i * 0.004, 10.0 + i * 0.0001) for i in range(12)], 5
            ),
            "polyline_points": 12,
        },
    }
    once = protect_documents({"r": route}, level)
    assert protect_documents(once, level) == once
    if level is PrivacyLevel.STANDARD:
        summary = once["r"]["terrain_summary"]
        # Points i = 0..11 at 0.004 degree steps: i = 0..2 lie within 0.008 degree
        # (890 m) of the start, i = 9..11 within 890 m of the finish (60.044); the six
        # from i = 3 to 8 (1_334 m or more from both) are kept.
        assert summary["polyline_points"] == 6
        assert once["r"]["filename"] == "route-att-1.gpx"


def test_a_cached_error_naming_the_neutral_file_is_not_renamed_again() -> None:
    # Run 1 reduces the name inside the error; run 2 reads that entry back from its cache
    # while the API still sends the original name: "route-loop-x.gpx" must not
    # become "route-route-loop-x.gpx".
    fresh = {
        "filename": "loop-x.gpx",
        "attachment_id": "loop-x",
        "error": "route file 'loop-x.gpx' is bad",
    }
    once = protect_documents({"r": fresh}, PrivacyLevel.STANDARD)["r"]
    assert once["error"] == "route file 'route-loop-x.gpx' is bad"
    cached = {**once, "filename": "loop-x.gpx"}  # the name comes from the API again
    again = protect_documents({"r": cached}, PrivacyLevel.STANDARD)["r"]
    assert again == once


# ------------------------------------------------------------------------- settings


def _resolve(tmp_path: Path, cli: dict[str, Any], env: dict[str, str] | None = None) -> Any:
    config = tmp_path / "config.json"
    if not config.exists():
        config.write_text("{}")
    return resolve_settings(
        {"output_dir": str(tmp_path), **cli}, {"SECTION11_CONFIG": str(config), **(env or {})}
    )


def test_privacy_settings(tmp_path: Path) -> None:
    assert _resolve(tmp_path, {}).privacy is PrivacyLevel.STANDARD
    full = _resolve(tmp_path, {"no_anonymize": True})
    assert (full.privacy, full.anonymize) == (PrivacyLevel.FULL, False)
    strict = _resolve(tmp_path, {}, {"SECTION11_PRIVACY": "Strict", "SECTION11_ARCHIVE_DAYS": "30"})
    assert (strict.privacy, strict.archive_days) == (PrivacyLevel.STRICT, 0)  # archive off
    assert _resolve(tmp_path, {"privacy": "metrics"}).privacy is PrivacyLevel.METRICS
    assert _resolve(tmp_path, {"allow_public_repo": True}).allow_public_repo is True
    allowed = _resolve(tmp_path, {}, {"SECTION11_ALLOW_PUBLIC_REPO": "yes"})
    assert allowed.allow_public_repo is True
    (tmp_path / "config.json").write_text('{"privacy": "strict"}')
    assert _resolve(tmp_path, {}).privacy is PrivacyLevel.STRICT


@pytest.mark.parametrize(
    ("cli", "env", "message"),
    [
        ({"privacy": "secret"}, {}, "--privacy must be one of full, standard, strict, metrics"),
        ({}, {"SECTION11_PRIVACY": "low"}, "SECTION11_PRIVACY must be one of"),
        ({"no_anonymize": True, "privacy": "strict"}, {}, "contradicts --privacy strict"),
        ({}, {"SECTION11_ALLOW_PUBLIC_REPO": "maybe"}, "must be true or false"),
    ],
)
def test_bad_privacy_settings(
    tmp_path: Path, cli: dict[str, Any], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        _resolve(tmp_path, cli, env)
