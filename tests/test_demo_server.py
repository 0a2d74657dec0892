"""The fake Intervals.icu server: contract (checked against the OpenAPI spec's facts kept in
tests/data/intervals_api_contract.json, built by tests/data/build_api_contract.py), auth,
date-window semantics, filters and fault injection, all over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import requests

from section11.demo import DEMO_API_KEY, DemoAthlete, FakeIntervalsServer

JSON = dict[str, Any]
CONTRACT_PATH = Path(__file__).resolve().parent / "data" / "intervals_api_contract.json"
TODAY = date(2026, 11, 21)


@cache
def _contract() -> JSON:
    loaded: JSON = json.loads(CONTRACT_PATH.read_text(encoding="utf-8"))
    return loaded


def _props(schema: str) -> set[str]:
    return set(_contract()["schemas"][schema])


def _spec_has_get(path: str) -> bool:
    """True when a GET template of the spec matches ``path`` ({ext}/{format} may be empty)."""
    for template in _contract()["get_paths"]:
        rx = re.sub(r"\{(ext|format)\}", r"(\\.[a-z]+)?", template)
        rx = re.sub(r"\{[^}]+\}", r"[^/]+", rx)
        if re.fullmatch(rx, path):
            return True
    return False


def _day(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.fixture
def api(fake_api: FakeIntervalsServer) -> requests.Session:
    s = requests.Session()
    s.auth = ("API_KEY", DEMO_API_KEY)
    return s


def _get(api: requests.Session, server: FakeIntervalsServer, path: str, **params: Any) -> Any:
    resp = api.get(server.base_url + path, params=params, timeout=10)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    return resp.json()


def test_served_paths_exist_in_the_spec(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    act = next(iter(fake_api.athlete.intervals))
    ev = fake_api.athlete.events[0]["id"]
    paths = [
        "/athlete/i424242",
        "/athlete/i424242/activities?oldest=" + _day(-3),
        "/athlete/i424242/wellness?oldest=" + _day(-3),
        "/athlete/i424242/wellness.json?oldest=" + _day(-3),
        f"/athlete/i424242/wellness/{_day(0)}",
        "/athlete/i424242/events",
        "/athlete/i424242/events.json",
        f"/athlete/i424242/events/{ev}",
        f"/activity/{act}",
        f"/activity/{act}/intervals",
        f"/activity/{act}/streams",
        f"/activity/{act}/streams.json",
    ]
    for path in paths:
        assert api.get(fake_api.base_url + path, timeout=10).status_code == 200, path
        assert _spec_has_get("/api/v1" + path.split("?")[0]), path
    assert not _spec_has_get("/api/v1/activities/i1/streams")  # the plural route is a 404


def test_served_field_names_are_spec_properties(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    acts = _get(api, fake_api, "/athlete/0/activities", oldest=_day(-27))
    # Documented extras: the Strava stub's `_note` (schema Hidden) and the deliberate
    # unknown field that clients must tolerate.
    allowed = _props("Activity") | _props("Hidden") | {"icu_unreleased_metric"}
    assert {k for a in acts for k in a} <= allowed
    well = _get(api, fake_api, "/athlete/0/wellness", oldest=_day(-27))
    assert {k for w in well for k in w} <= _props("Wellness")
    evs = _get(api, fake_api, "/athlete/0/events", oldest=_day(-14), newest=_day(80))
    assert {k for e in evs for k in e} <= _props("Event")
    assert {k for e in evs for a in e["attachments"] for k in a} <= _props("Attachment")
    athlete = _get(api, fake_api, "/athlete/0")
    assert set(athlete) - _props("WithSportSettings") == {"icu_notes"}  # documented extra
    sport_keys = {k for s in athlete["sportSettings"] for k in s}
    assert sport_keys <= _props("SportSettings")
    aid = next(iter(fake_api.athlete.intervals))
    dto = _get(api, fake_api, f"/activity/{aid}/intervals")
    assert set(dto) <= _props("IntervalsDTO")
    assert {k for iv in dto["icu_intervals"] for k in iv} <= _props("Interval")
    assert {k for g in dto["icu_groups"] for k in g} <= _props("IntervalGroup")
    streams = _get(api, fake_api, f"/activity/{aid}/streams.json")
    # valueType is sent by the real server although the schema omits it.
    assert {k for s in streams for k in s} <= _props("ActivityStream") | {"valueType"}


def test_auth(fake_api: FakeIntervalsServer) -> None:
    url = fake_api.base_url + "/athlete/0"
    assert requests.get(url, timeout=10).status_code == 401
    bad = requests.get(url, auth=("API_KEY", "nope"), timeout=10)
    assert (bad.status_code, bad.json()) == (401, {"status": 401, "error": "Unauthorized"})
    wrong_user = requests.get(url, auth=("user", DEMO_API_KEY), timeout=10)
    assert wrong_user.status_code == 401
    other = requests.get(fake_api.base_url + "/athlete/i999", auth=("API_KEY", DEMO_API_KEY))
    assert (other.status_code, other.json()) == (403, {"status": 403, "error": "Access denied"})
    me = requests.get(url, auth=("API_KEY", DEMO_API_KEY), timeout=10)
    assert me.json()["id"] == "i424242"  # id 0 = the key's athlete


def test_unknown_paths_and_ids_are_404(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    for path in ("/nothing", "/activity/i1", "/athlete/0/events/1", "/activities/i1/streams"):
        resp = api.get(fake_api.base_url + path, timeout=10)
        assert resp.status_code == 404, path
        assert resp.json() == {"status": 404, "error": "Not Found", "path": "/api/v1" + path}


def test_activities_window_order_fields_limit(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    missing = api.get(fake_api.base_url + "/athlete/0/activities", timeout=10)
    assert missing.status_code == 422
    assert "oldest" in missing.json()["message"] and missing.json()["status"] == 422
    acts = _get(api, fake_api, "/athlete/0/activities", oldest=_day(-6), newest=_day(-6))
    # Inclusive: the one-day window holds exactly the activities started that day.
    expected = [a for a in fake_api.athlete.activities if a["start_date_local"][:10] == _day(-6)]
    assert sorted(a["id"] for a in acts) == sorted(a["id"] for a in expected) and acts
    week = _get(api, fake_api, "/athlete/0/activities", oldest=_day(-6))  # newest = today
    starts = [a["start_date_local"] for a in week]
    assert starts == sorted(starts, reverse=True) and starts[0][:10] == _day(0)
    # A datetime bound cuts inside the day: today's ride starts at 06:3x.
    late = _get(api, fake_api, "/athlete/0/activities", oldest=f"{_day(0)}T12:00:00")
    assert late == []
    slim = _get(
        api,
        fake_api,
        "/athlete/0/activities",
        oldest=_day(-27),
        fields="id,icu_training_load,moving_time",
    )
    manual = next(a for a in fake_api.athlete.activities if a.get("source") == "MANUAL")
    assert next(a for a in slim if a["id"] == manual["id"]) == {"id": manual["id"]}  # nulls gone
    assert all(set(a) <= {"id", "icu_training_load", "moving_time"} for a in slim)
    assert len(_get(api, fake_api, "/athlete/0/activities", oldest=_day(-27), limit=3)) == 3
    bad = api.get(fake_api.base_url + "/athlete/0/activities", params={"oldest": "21.11.2026"})
    assert bad.status_code == 422


def test_wellness_window_and_single_day(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    rows = _get(api, fake_api, "/athlete/0/wellness.json", oldest=_day(-6), newest=_day(0))
    ids = [r["id"] for r in rows]
    # 7 days inclusive minus the missing day 3 days ago.
    assert ids == [_day(n) for n in range(-6, 1) if n != -3]
    hrv = _get(
        api, fake_api, "/athlete/0/wellness", oldest=_day(-1), newest=_day(0), fields="id,hrv"
    )
    assert all(set(r) <= {"id", "hrv"} for r in hrv) and [r["id"] for r in hrv] == [
        _day(-1),
        _day(0),
    ]
    day = _get(api, fake_api, f"/athlete/0/wellness/{_day(0)}")
    assert day["id"] == _day(0) and day["ctl"] is not None
    empty = _get(api, fake_api, f"/athlete/0/wellness/{_day(-3)}")
    assert empty["id"] == _day(-3) and empty["ctl"] is None and empty["sportInfo"] == []


def test_events_window_categories_resolve(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    default = _get(api, fake_api, "/athlete/0/events")
    # Default window: today .. today + 6, by start date.
    assert default and all(_day(0) <= e["start_date_local"][:10] <= _day(6) for e in default)
    assert [e["start_date_local"] for e in default] == sorted(
        e["start_date_local"] for e in default
    )
    health = _get(
        api,
        fake_api,
        "/athlete/0/events",
        oldest=_day(-365),
        newest=_day(90),
        category="SICK,INJURED",
    )
    assert sorted(e["category"] for e in health) == ["INJURED", "INJURED", "SICK", "SICK"]
    # The INJURED marker ends (exclusively) at midnight 4 days ago: it is not selected by a
    # window starting after its start date, although it covered day -5.
    recent = _get(
        api, fake_api, "/athlete/0/events", oldest=_day(-5), newest=_day(0), category="INJURED"
    )
    assert recent == []
    raw = _get(api, fake_api, "/athlete/0/events", oldest=_day(0), newest=_day(42))
    resolved = _get(
        api, fake_api, "/athlete/0/events", oldest=_day(0), newest=_day(42), resolve="true"
    )
    assert "_power" not in json.dumps(raw) and "_hr" not in json.dumps(raw)
    ride = next(e for e in resolved if e["type"] == "VirtualRide" and e["workout_doc"])
    first = ride["workout_doc"]["steps"][0]
    # Indoor FTP 255 W: a 50 % -> 75 % ramp resolves to 128 W -> 191 W (255*0.5=127.5 -> 128).
    assert first["_power"]["start"] == round(255 * first["power"]["start"] / 100)
    run = next((e for e in resolved if e["type"] == "Run" and e["workout_doc"]), None)
    if run is not None:
        assert "_hr" in json.dumps(run["workout_doc"])
    race = next(e for e in resolved if e["category"] == "RACE_B")
    url = race["attachments"][0]["url"]
    assert url.startswith(fake_api.base_url.removesuffix("/api/v1") + "/attachments/")
    body = requests.get(url, timeout=10)  # no auth header
    assert body.status_code == 200 and body.content.startswith(b"<?xml")
    one = _get(api, fake_api, f"/athlete/0/events/{race['id']}")
    assert one["name"] == race["name"]


def test_activity_intervals_streams(fake_api: FakeIntervalsServer, api: requests.Session) -> None:
    aid = next(iter(fake_api.athlete.intervals))
    plain = _get(api, fake_api, f"/activity/{aid}")
    assert "icu_intervals" not in plain
    full = _get(api, fake_api, f"/activity/{aid}", intervals="true")
    assert full["icu_intervals"] == fake_api.athlete.intervals[aid]["icu_intervals"]
    no_dto = next(
        a
        for a in fake_api.athlete.activities
        if a.get("moving_time") and a["id"] not in fake_api.athlete.intervals
    )
    bare = _get(api, fake_api, f"/activity/{no_dto['id']}", intervals="true")
    assert bare["icu_intervals"] == [] and bare["icu_groups"] == []
    stub = next(a for a in fake_api.athlete.activities if a.get("source") == "STRAVA")
    assert _get(api, fake_api, f"/activity/{stub['id']}", intervals="true") == stub
    assert api.get(f"{fake_api.base_url}/activity/{stub['id']}/streams.json").status_code == 404
    two = _get(api, fake_api, f"/activity/{aid}/streams.json", types="watts,heartrate")
    assert sorted(s["type"] for s in two) == ["heartrate", "watts"]
    every = _get(api, fake_api, f"/activity/{aid}/streams")
    assert {s["type"] for s in every} == set(fake_api.athlete.activity(aid)["stream_types"])


def test_request_log_and_mutation_visible(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    body = _get(api, fake_api, "/athlete/0/activities", oldest=_day(0))
    fake_api.athlete.update_activity(body[0]["id"], name="Changed")
    again = _get(api, fake_api, "/athlete/0/activities", oldest=_day(0))
    assert again[0]["name"] == "Changed"
    assert fake_api.request_count() == 2
    assert fake_api.request_count(r"/activities$") == 2 and fake_api.request_count("wellness") == 0
    rec = fake_api.requests[0]
    assert (rec.method, rec.status, rec.query) == ("GET", 200, {"oldest": _day(0)})
    assert fake_api.bytes_sent() == sum(r.bytes_sent for r in fake_api.requests) > 0
    fake_api.reset_log()
    assert fake_api.request_count() == 0


@pytest.mark.parametrize("kind", ["500", "503"])
def test_fault_server_errors(
    fake_api: FakeIntervalsServer, api: requests.Session, kind: str
) -> None:
    fake_api.faults.add(r"/wellness", kind, count=2)  # type: ignore[arg-type]
    url = fake_api.base_url + "/athlete/0/wellness"
    codes = [api.get(url, timeout=10).status_code for _ in range(3)]
    assert codes == [int(kind), int(kind), 200]  # exactly `count` faults, then normal
    assert [r.status for r in fake_api.requests] == codes


def test_fault_429_with_and_without_retry_after(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    fake_api.faults.add(r"/athlete/[^/]+$", "429", retry_after="3")
    fake_api.faults.add(r"/athlete/[^/]+$", "429")
    url = fake_api.base_url + "/athlete/0"
    first, second = api.get(url, timeout=10), api.get(url, timeout=10)
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert second.status_code == 429 and "Retry-After" not in second.headers
    assert api.get(url, timeout=10).status_code == 200


def test_fault_malformed_and_wrong_shape(
    fake_api: FakeIntervalsServer, api: requests.Session
) -> None:
    fake_api.faults.add("/activities", "malformed")
    fake_api.faults.add("/activities", "wrong_shape")
    url = fake_api.base_url + "/athlete/0/activities"
    broken = api.get(url, params={"oldest": _day(-6)}, timeout=10)
    assert broken.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(broken.text)
    shaped = api.get(url, params={"oldest": _day(-6)}, timeout=10)
    assert shaped.status_code == 200 and isinstance(shaped.json(), str)


def test_fault_drop_and_slow(fake_api: FakeIntervalsServer, api: requests.Session) -> None:
    fake_api.faults.add("/athlete/0$", "drop")
    with pytest.raises(requests.ConnectionError):
        api.get(fake_api.base_url + "/athlete/0", timeout=10)
    assert fake_api.requests[-1].status == 0
    fake_api.faults.add("/athlete/0$", "slow", delay=0.2)
    resp = api.get(fake_api.base_url + "/athlete/0", timeout=10)
    assert resp.status_code == 200
    assert fake_api.requests[-1].duration >= 0.2
    fake_api.faults.add("/athlete/0$", "slow", delay=0.5)
    with pytest.raises(requests.Timeout):
        api.get(fake_api.base_url + "/athlete/0", timeout=0.1)
    fake_api.faults.add("/", "500", count=5)
    fake_api.faults.clear()
    assert fake_api.faults.pending() == 0


def test_latency_is_added(demo_athlete: DemoAthlete) -> None:
    with FakeIntervalsServer(demo_athlete, latency=0.05) as server:
        requests.get(server.base_url + "/athlete/0", timeout=10)
        assert server.requests[0].duration >= 0.05
        assert server.requests[0].status == 401


def test_concurrent_requests(fake_api: FakeIntervalsServer) -> None:
    aids = list(fake_api.athlete.intervals)[:4]
    errors: list[str] = []

    def work(aid: str) -> None:
        s = requests.Session()
        s.auth = ("API_KEY", DEMO_API_KEY)
        for _ in range(3):
            r = s.get(f"{fake_api.base_url}/activity/{aid}/streams.json", timeout=10)
            if r.status_code != 200 or not r.json():
                errors.append(aid)

    threads = [threading.Thread(target=work, args=(a,)) for a in aids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert fake_api.request_count("streams") == len(aids) * 3  # every request logged once
