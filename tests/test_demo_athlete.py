"""The synthetic demo athlete: determinism, realism and the edge cases it must contain."""

from __future__ import annotations

import itertools
import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from typing import Any

import gpxpy
import gpxpy.gpx
import pytest

from section11.demo import SECRET_CANARIES, DemoAthlete, generate_demo_athlete
from section11.demo.routes import gpx_route, gpx_track, hilly_points, tcx_course
from section11.demo.workouts import flatten

JSON = dict[str, Any]
DEMO_TODAY = date(2026, 11, 21)  # the date the conftest fixture generates for


def _day(n: int) -> str:
    return (DEMO_TODAY + timedelta(days=n)).isoformat()


def _real(acts: list[JSON]) -> list[JSON]:
    return [a for a in acts if a.get("source") != "STRAVA"]


def test_same_inputs_give_byte_identical_payloads(demo_athlete: DemoAthlete) -> None:
    assert demo_athlete.today == DEMO_TODAY
    again = generate_demo_athlete(DEMO_TODAY)
    for name in ("athlete", "activities", "wellness", "events", "intervals"):
        assert json.dumps(getattr(again, name)) == json.dumps(getattr(demo_athlete, name)), name
    assert again.attachments == demo_athlete.attachments
    some = next(iter(demo_athlete.intervals))
    assert json.dumps(again.streams_for(some)) == json.dumps(demo_athlete.streams_for(some))


def test_another_seed_gives_another_athlete(demo_athlete: DemoAthlete) -> None:
    other = generate_demo_athlete(DEMO_TODAY, seed=12)
    assert [a["id"] for a in other.activities] != [a["id"] for a in demo_athlete.activities]


def test_three_years_of_multi_sport_up_to_today(demo_athlete: DemoAthlete) -> None:
    dates = sorted(a["start_date_local"][:10] for a in demo_athlete.activities)
    # 3 years = 3 * 365 days back (the generator starts a week earlier still).
    assert dates[0] <= _day(-3 * 365)
    assert dates[-1] == _day(0)
    types = Counter(a.get("type") for a in demo_athlete.activities)
    for t in ("Ride", "VirtualRide", "Run", "TrailRun", "Swim", "Rowing", "WeightTraining"):
        assert types[t] > 0, t
    assert types["Walk"] + types["Hike"] > 0
    assert types["Yoga"] > 0
    assert all(a["id"].startswith("i") and a["id"][1:].isdigit() for a in demo_athlete.activities)
    assert len({a["id"] for a in demo_athlete.activities}) == len(demo_athlete.activities)


def test_weekly_structure_and_breaks(demo_athlete: DemoAthlete) -> None:
    days = sorted({date.fromisoformat(a["start_date_local"][:10]) for a in demo_athlete.activities})
    gaps = [(b - a).days - 1 for a, b in itertools.pairwise(days)]
    # A break of >= 5 days without activity, at least twice (the SICK marker 130 days ago
    # covers 6 days; a 9-day break sits 560 days back).
    assert sum(1 for g in gaps if g >= 5) >= 2
    per_week = Counter(
        date.fromisoformat(a["start_date_local"][:10]).isocalendar()[:2]
        for a in demo_athlete.activities
    )
    typical = sorted(per_week.values())[len(per_week) // 2]
    assert 4 <= typical <= 8  # median sessions per week


def test_recent_edge_case_activities(demo_athlete: DemoAthlete) -> None:
    recent = [a for a in demo_athlete.activities if a["start_date_local"][:10] >= _day(-27)]
    stubs = [a for a in recent if a.get("source") == "STRAVA"]
    assert len(stubs) == 2
    for stub in stubs:
        assert set(stub) == {"id", "icu_athlete_id", "start_date_local", "source", "_note"}
        assert stub["_note"] == "STRAVA activities are not available via the API"
    manual = [a for a in recent if a.get("source") == "MANUAL"]
    assert len(manual) == 1
    for key in ("moving_time", "icu_training_load", "distance", "average_heartrate"):
        assert key in manual[0] and manual[0][key] is None, key
    assert any(a.get("decoupling") == 0.0 for a in recent)
    assert any("icu_unreleased_metric" in a for a in recent)
    per_day = Counter(a["start_date_local"][:10] for a in _real(recent))
    assert max(per_day.values()) >= 2
    assert any((a.get("description") or "").startswith("NOTE: ") for a in demo_athlete.activities)


def test_activity_fields_are_plausible(demo_athlete: DemoAthlete) -> None:
    acts = _real(demo_athlete.activities)
    rides = [a for a in acts if a.get("type") == "Ride" and a.get("moving_time")]
    indoor = [a for a in acts if a.get("type") == "VirtualRide"]
    runs = [a for a in acts if a.get("type") == "Run" and a.get("moving_time")]
    assert all(a["trainer"] is True and a["source"] == "ZWIFT" for a in indoor)
    assert all(a["has_weather"] and a["average_weather_temp"] is not None for a in rides)
    for a in rides + indoor:
        ids = [z["id"] for z in a["icu_zone_times"]]
        assert ids == ["Z1", "Z2", "Z3", "Z4", "Z5", "Z6", "Z7", "SS"]
        # Zone seconds Z1..Z7 add up to the moving time (rounding: +-4 s over 7 zones).
        assert abs(sum(z["secs"] for z in a["icu_zone_times"][:7]) - a["moving_time"]) <= 4
        assert a["icu_weighted_avg_watts"] >= a["icu_average_watts"]
        # IF (%) = NP / FTP * 100, to within the NP rounding of 0.5 W.
        assert a["icu_intensity"] == pytest.approx(
            a["icu_weighted_avg_watts"] / a["icu_ftp"] * 100, abs=0.5
        )
        assert a["elapsed_time"] >= a["moving_time"]
    for a in runs:
        assert a["icu_average_watts"] is None and a["icu_zone_times"] is None
        assert len(a["icu_hr_zone_times"]) == 7
        assert sum(a["icu_hr_zone_times"]) == a["moving_time"]
    # FTP follows the sport settings by now: 265 W outdoors, 255 W indoors.
    last_ride = [a for a in rides if a["start_date_local"] >= _day(-20)][-1]
    last_indoor = indoor[-1]
    assert (last_ride["icu_ftp"], last_indoor["icu_ftp"]) == (265, 255)
    assert any(a.get("paired_event_id") for a in acts)
    assert {a["source"] for a in acts} >= {"GARMIN_CONNECT", "ZWIFT", "MANUAL"}


def test_wellness_ctl_atl_follow_the_daily_loads(demo_athlete: DemoAthlete) -> None:
    rows = {w["id"]: w for w in demo_athlete.wellness}
    loads: Counter[str] = Counter()
    for a in demo_athlete.activities:
        if a.get("icu_training_load") is not None:
            loads[a["start_date_local"][:10]] += a["icu_training_load"]
    k42 = 1 - math.exp(-1 / 42)
    k7 = 1 - math.exp(-1 / 7)
    checked = 0
    for n in (-1, -2, -10, -100, -400):
        today, yesterday = rows.get(_day(n)), rows.get(_day(n - 1))
        if today is None or yesterday is None:
            continue
        assert today["ctlLoad"] == loads[_day(n)]
        # ctl_d = ctl_{d-1} + (load_d - ctl_{d-1}) * (1 - e^(-1/42)); atl with 7.
        expect_ctl = yesterday["ctl"] + (loads[_day(n)] - yesterday["ctl"]) * k42
        expect_atl = yesterday["atl"] + (loads[_day(n)] - yesterday["atl"]) * k7
        assert today["ctl"] == pytest.approx(expect_ctl, abs=1e-9)
        assert today["atl"] == pytest.approx(expect_atl, abs=1e-9)
        checked += 1
    assert checked >= 3
    week_ago = rows[_day(-8)]
    assert rows[_day(-1)]["rampRate"] == pytest.approx(rows[_day(-1)]["ctl"] - week_ago["ctl"])


def test_wellness_gaps_and_baseline_data(demo_athlete: DemoAthlete) -> None:
    ids = {w["id"] for w in demo_athlete.wellness}
    assert _day(-3) not in ids  # one missing day in the last week
    assert all(_day(n) not in ids for n in range(-60, -56))  # 4 missing days in a row
    last28 = [w for w in demo_athlete.wellness if w["id"] >= _day(-27)]
    # 28 days minus the one missing day.
    assert len(last28) == 27
    assert sum(1 for w in last28 if w["hrv"] is not None) >= 20
    assert all(w["restingHR"] is not None for w in last28)
    sdnn_only = [w for w in demo_athlete.wellness if w["hrv"] is None and w["hrvSDNN"]]
    assert sdnn_only
    assert all("systolic" in w and w["systolic"] is None for w in last28)
    assert demo_athlete.wellness[-1]["id"] == _day(0)
    assert demo_athlete.wellness[-1]["sportInfo"][0]["type"] == "Ride"


def _steps_depth(steps: list[JSON]) -> int:
    return max((1 + _steps_depth(s["steps"]) if "steps" in s else 0) for s in steps)


def test_calendar_events(demo_athlete: DemoAthlete) -> None:
    evs = demo_athlete.events
    by_cat = Counter(e["category"] for e in evs)
    for cat in ("RACE_A", "RACE_B", "RACE_C", "NOTE", "HOLIDAY"):
        assert by_cat[cat] >= 1, cat
    races = {e["category"]: e for e in evs if e["category"].startswith("RACE_")}
    assert races["RACE_A"]["start_date_local"] == f"{_day(70)}T00:00:00"  # 10 weeks out
    assert races["RACE_B"]["start_date_local"] == f"{_day(21)}T00:00:00"  # 3 weeks out
    assert races["RACE_C"]["start_date_local"] == f"{_day(35)}T00:00:00"  # 5 weeks out
    assert all(r["moving_time"] and r["distance"] for r in races.values())
    workouts = [e for e in evs if e["category"] == "WORKOUT"]
    assert min(e["start_date_local"] for e in workouts) <= f"{_day(-13)}T00:00:00"
    assert max(e["start_date_local"] for e in workouts) >= f"{_day(40)}T00:00:00"
    docs = [e["workout_doc"] for e in workouts if e["workout_doc"]]
    assert any(e["workout_doc"] is None and e["description"] for e in workouts)
    assert any(_steps_depth(d["steps"]) >= 2 for d in docs)  # nested repeats
    for doc in docs:
        assert doc["duration"] == sum(s.duration for s in flatten(doc["steps"]))
        assert doc["steps"][0].get("warmup") is True and doc["steps"][-1].get("cooldown") is True
        assert "_power" not in json.dumps(doc)  # only served when resolve=true
    sick = sorted(e["start_date_local"] for e in evs if e["category"] == "SICK")
    assert sick == [f"{_day(-130)}T00:00:00", f"{_day(-40)}T00:00:00"]
    injured = sorted(
        (e["start_date_local"], e["end_date_local"]) for e in evs if e["category"] == "INJURED"
    )
    # Ended (exclusive end, midnight) within the past week, and one still to come.
    assert injured[0][1] == f"{_day(-4)}T00:00:00"
    assert injured[1][0] > f"{_day(0)}T00:00:00"
    for e in evs:
        assert e["end_date_local"] > e["start_date_local"]
        assert e["start_date_local"].endswith("T00:00:00")


def test_paired_activities_point_at_workout_events(demo_athlete: DemoAthlete) -> None:
    workouts = {e["id"]: e for e in demo_athlete.events if e["category"] == "WORKOUT"}
    paired = [a for a in demo_athlete.activities if a.get("paired_event_id")]
    assert paired
    for a in paired:
        ev = workouts[a["paired_event_id"]]
        assert ev["start_date_local"][:10] == a["start_date_local"][:10]


def test_route_attachments_of_every_kind(demo_athlete: DemoAthlete) -> None:
    atts = [att for e in demo_athlete.events for att in e["attachments"]]
    by_name = {att["filename"]: demo_athlete.attachments[att["id"]] for att in atts}
    track = gpxpy.parse(by_name["gran-fondo.gpx"].decode("utf-8"))
    pts = [p for t in track.tracks for s in t.segments for p in s.points]
    assert pts and all(p.elevation is not None for p in pts)
    elevations = [p.elevation for p in pts if p.elevation is not None]
    assert max(elevations) - min(elevations) >= 100  # hilly: a 100 m+ climb
    route = gpxpy.parse(by_name["tryvann-loop.gpx"].decode("utf-8"))
    assert not route.tracks and route.routes[0].points
    holes = gpxpy.parse(by_name["nordmarka-trail.gpx"].decode("utf-8"))
    hp = [p for t in holes.tracks for s in t.segments for p in s.points]
    assert any(p.elevation is None for p in hp) and any(p.elevation is not None for p in hp)
    tcx = by_name["hill-climb.tcx"]
    assert tcx.startswith(b"<?xml ")
    ET.fromstring(tcx)  # well-formed (parsed from bytes: the declaration is allowed)
    with pytest.raises(gpxpy.gpx.GPXException):
        gpxpy.parse(by_name["bergen-recon.gpx"].decode("utf-8", errors="replace"))
    assert all(att["url"].endswith(f"/attachments/{att['id']}/{att['filename']}") for att in atts)


def test_route_generators_are_usable_for_fixtures() -> None:
    import random

    pts = hilly_points(random.Random(1), distance_m=5000, n_points=50, climb_m=120, climbs=1)
    assert len(pts) == 50
    parsed = gpxpy.parse(gpx_track(pts).decode("utf-8"))
    assert parsed.tracks[0].segments[0].points[0].latitude == pts[0][0]
    assert len(gpxpy.parse(gpx_route(pts).decode("utf-8")).routes[0].points) == 50
    assert not tcx_course(pts, xml_declaration=False).startswith(b"<?xml")


def test_intervals_match_the_activity(demo_athlete: DemoAthlete) -> None:
    assert len(demo_athlete.intervals) >= 5
    kinds = set()
    for aid, dto in demo_athlete.intervals.items():
        act = demo_athlete.activity(aid)
        ivs = dto["icu_intervals"]
        assert dto["id"] == aid
        assert ivs[0]["type"] == "RECOVERY" and ivs[-1]["type"] == "RECOVERY"  # warm/cool
        assert ivs[-1]["end_time"] == act["moving_time"]
        assert all(a["end_time"] == b["start_time"] for a, b in itertools.pairwise(ivs))
        assert any(iv["type"] == "WORK" for iv in ivs)
        assert dto["icu_groups"] and all(g["count"] >= 2 for g in dto["icu_groups"])
        is_run = act["type"] in ("Run", "TrailRun")
        kinds.add(is_run)
        if is_run:
            assert all(iv["average_watts"] is None and iv["average_speed"] for iv in ivs)
        else:
            assert all(iv["average_watts"] and iv["zone_min_watts"] is not None for iv in ivs)
    assert kinds == {True, False}  # both bike and run sessions


def test_streams(demo_athlete: DemoAthlete) -> None:
    acts = _real(demo_athlete.activities)
    outdoor = next(a for a in reversed(acts) if a.get("type") == "Ride")
    streams = {s["type"]: s for s in demo_athlete.streams_for(outdoor["id"])}
    assert {"latlng", "altitude", "distance", "time", "heartrate", "watts", "cadence"} <= set(
        streams
    )
    lat, lon = streams["latlng"]["data"], streams["latlng"]["data2"]
    assert len(lat) == len(lon) == len(streams["time"]["data"])
    assert 59 < lat[0] < 61 and 10 < lon[0] < 12  # around Oslo
    indoor = next(a for a in reversed(acts) if a.get("type") == "VirtualRide")
    assert "latlng" not in {s["type"] for s in demo_athlete.streams_for(indoor["id"])}
    no_alt = [
        a
        for a in acts
        if "latlng" in (a.get("stream_types") or []) and "altitude" not in a["stream_types"]
    ]
    assert len(no_alt) == 1
    only = demo_athlete.streams_for(outdoor["id"], ["watts"])
    assert [s["type"] for s in only] == ["watts"]
    # 2 h ride sampled at 1 Hz: 7200 samples max (longer rides are thinned).
    assert len(streams["time"]["data"]) <= 7200


def test_secret_canaries_are_in_the_athlete_payload(demo_athlete: DemoAthlete) -> None:
    text = json.dumps(demo_athlete.athlete)
    for canary in SECRET_CANARIES[:3]:
        assert canary in text
    assert demo_athlete.api_key in SECRET_CANARIES
    ride = demo_athlete.sport_settings("VirtualRide")
    assert ride is not None and (ride["ftp"], ride["indoor_ftp"]) == (265, 255)
    assert demo_athlete.sport_settings("Run")["threshold_pace"] > 0  # type: ignore[index]


def test_mutation_helpers(demo_athlete: DemoAthlete) -> None:
    aid = next(iter(demo_athlete.intervals))
    demo_athlete.update_activity(aid, name="Renamed")
    assert demo_athlete.activity(aid)["name"] == "Renamed"
    demo_athlete.set_intervals(aid, None)
    assert aid not in demo_athlete.intervals
    demo_athlete.remove_activity(aid)
    with pytest.raises(KeyError):
        demo_athlete.activity(aid)
    demo_athlete.add_activity({"id": "i1", "start_date_local": f"{_day(0)}T20:00:00"})
    assert demo_athlete.activity("i1")["start_date_local"].endswith("T20:00:00")
    demo_athlete.set_ftp(outdoor=280)
    assert demo_athlete.sport_settings("Ride")["ftp"] == 280  # type: ignore[index]
    assert demo_athlete.sport_settings("Ride")["indoor_ftp"] == 255  # type: ignore[index]
