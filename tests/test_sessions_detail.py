"""Per-session detail over real HTTP: DFA a1 streams and activity comments are fetched once,
cached in .section11/, and shown in intervals.json and recent_activities."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from section11.cli import main
from section11.clock import FixedClock
from section11.config import Secret
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.outputs.dfa_sessions import update_dfa_sessions
from section11.sources.intervals_icu import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.detail import FetchOutcome, message_fetcher
from section11.sources.intervals_icu.models import Activity

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo
TODAY = date(2026, 11, 21)
DFA_TYPES = "dfa_a1,artifacts,heartrate,watts"


def sync(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    assert main(["--output-dir", str(out), "--quiet"], env=env, clock=FixedClock(NOW)) == 0
    return out


def load(folder: Path, name: str) -> Any:
    return json.loads((folder / name).read_text("utf-8"))


def _day(act: dict[str, Any]) -> str:
    return str(act.get("start_date_local", ""))[:10]


def _real(fake_api: FakeIntervalsServer, since_days: int) -> list[dict[str, Any]]:
    oldest = (TODAY - timedelta(days=since_days - 1)).isoformat()
    return [
        a
        for a in fake_api.athlete.activities
        if oldest <= _day(a) <= TODAY.isoformat() and a.get("source") != "STRAVA"
    ]


def _dfa_ids(fake_api: FakeIntervalsServer) -> set[str]:
    return {a["id"] for a in _real(fake_api, 28) if "dfa_a1" in (a.get("stream_types") or [])}


def test_cold_run_asks_only_alphahrv_sessions_for_dfa_streams(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    sync(fake_api, tmp_path)
    dfa_requests = [
        r for r in fake_api.requests if "streams" in r.path and "dfa_a1" in r.query.get("types", "")
    ]
    expected = _dfa_ids(fake_api)
    assert len(expected) >= 5, "the demo athlete records AlphaHRV on several sessions"
    # One request per AlphaHRV session of 28 days, asking for exactly the four streams used.
    assert sorted(r.path.split("/")[-2] for r in dfa_requests) == sorted(expected)
    assert {r.query["types"] for r in dfa_requests} == {DFA_TYPES}


def test_cold_run_asks_comments_of_the_last_7_days_only(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = sync(fake_api, tmp_path)
    asked = sorted(r.path.split("/")[-2] for r in fake_api.requests if r.path.endswith("/messages"))
    # 7 days: 2026-11-15 … 2026-11-21, every non-Strava activity.
    assert asked == sorted(a["id"] for a in _real(fake_api, 7))
    latest = load(out, "latest.json")
    notes = {a["id"]: a.get("chat_notes") for a in latest["recent_activities"]}
    for aid, messages in fake_api.athlete.messages.items():
        if aid not in asked:
            assert notes.get(aid) is None  # older than 7 days on a cold run: not fetched
            continue
        # Whitespace-only comments are skipped; the others are kept in order.
        assert notes[aid] == [m["content"] for m in messages if m["content"].strip()]
    assert any(n for n in notes.values()), "the demo athlete has comments in the last 7 days"


def test_rerun_fetches_nothing_new_and_an_edited_activity_once(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    sync(fake_api, tmp_path)
    fake_api.reset_log()
    sync(fake_api, tmp_path)
    assert fake_api.request_count(r"/activity/") == 0
    # Re-analysed in Intervals.icu: a newer version of one recent AlphaHRV session.
    recent_dfa = sorted((a for a in _real(fake_api, 7) if a["id"] in _dfa_ids(fake_api)), key=_day)[
        -1
    ]
    recent_dfa["analyzed"] = "2026-11-21T08:30:00Z"
    fake_api.reset_log()
    sync(fake_api, tmp_path)
    aid = recent_dfa["id"]
    assert fake_api.request_count(rf"/activity/{aid}/streams") == 1
    assert fake_api.request_count(rf"/activity/{aid}/messages") == 1
    assert fake_api.request_count(r"/activity/") - fake_api.request_count(rf"/activity/{aid}") == 0


def test_failed_downloads_are_retried_on_the_next_run(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    # An indoor session: its only streams request is the DFA one (no terrain).
    aid = sorted(
        i for i in _dfa_ids(fake_api) if fake_api.athlete.activity(i)["type"] == "VirtualRide"
    )[0]
    newest = sorted(a["id"] for a in _real(fake_api, 1))[0]
    # Two 503s: the first attempt and the one quick in-run retry of detail requests.
    fake_api.faults.add(rf"/activity/{aid}/streams", "503", count=2)
    fake_api.faults.add(rf"/activity/{newest}/messages", "503", count=2)
    out = sync(fake_api, tmp_path)
    latest = {a["id"]: a for a in load(out, "latest.json")["recent_activities"]}
    assert latest[aid]["has_dfa"] is None  # not known yet, not "no DFA"
    fake_api.reset_log()
    out = sync(fake_api, tmp_path)
    assert fake_api.request_count(rf"/activity/{aid}/streams") == 1
    assert fake_api.request_count(rf"/activity/{newest}/messages") == 1
    latest = {a["id"]: a for a in load(out, "latest.json")["recent_activities"]}
    assert latest[aid]["has_dfa"] is True


def test_dfa_blocks_reach_intervals_json_and_recent_activities(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = sync(fake_api, tmp_path)
    intervals = load(out, "intervals.json")
    latest = load(out, "latest.json")
    recent = {a["id"]: a for a in latest["recent_activities"]}
    dfa_ids = _dfa_ids(fake_api)
    oldest_14 = (TODAY - timedelta(days=13)).isoformat()
    with_dfa = {e["activity_id"] for e in intervals["activities"] if e["dfa"] is not None}
    # intervals.json keeps 14 days: every AlphaHRV session of those days has its block.
    assert with_dfa == {aid for aid in dfa_ids if _day(fake_api.athlete.activity(aid)) >= oldest_14}
    for entry in intervals["activities"]:
        # Every intervals.json entry is reachable from recent_activities.
        assert recent[entry["activity_id"]]["has_intervals"] is not None
        if not entry["intervals"]:
            assert recent[entry["activity_id"]]["has_intervals"] is False
    for aid, act in recent.items():
        assert act["has_dfa"] is (aid in dfa_ids)
        summary = act.get("dfa_summary")
        if aid in dfa_ids:
            assert summary is not None and summary["sufficient"] is True
            assert set(summary["tiz_pct"]) == {"easy", "endurance", "tempo", "supra"}
        else:
            assert summary is None
    profile = latest["derived_metrics"]["capability"]["dfa_a1_profile"]
    newest = max(dfa_ids, key=lambda i: fake_api.athlete.activity(i)["start_date_local"])
    assert profile["latest_session"]["activity_id"] == newest
    assert profile["trailing_by_sport"]["cycling"]["validated"] is True
    state = tmp_path / "out" / ".section11"
    assert (state / "activity-dfa.json").is_file() and (state / "activity-messages.json").is_file()


def test_a_session_without_dfa_stream_in_its_list_is_never_asked(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    for act in fake_api.athlete.activities:
        types = act.get("stream_types") or []
        act["stream_types"] = [t for t in types if t not in ("dfa_a1", "artifacts")]
    out = sync(fake_api, tmp_path)
    assert not [r for r in fake_api.requests if "dfa_a1" in r.query.get("types", "")]
    latest = load(out, "latest.json")
    assert latest["derived_metrics"]["capability"]["dfa_a1_profile"] is None
    assert all(a["has_dfa"] is False for a in latest["recent_activities"])


def test_a_listed_dfa_stream_that_is_not_served_is_settled_not_retried(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    # The activity lists dfa_a1 but has no heart rate, so the server has no DFA samples.
    act = next(
        a
        for a in _real(fake_api, 7)
        if a["id"] in _dfa_ids(fake_api) and a["type"] == "VirtualRide"
    )
    act["stream_types"] = [t for t in act["stream_types"] if t != "heartrate"]
    out = sync(fake_api, tmp_path)
    recent = {a["id"]: a for a in load(out, "latest.json")["recent_activities"]}
    assert recent[act["id"]]["has_dfa"] is False
    cache = load(out / ".section11", "activity-dfa.json")["activities"]
    assert cache[act["id"]]["status"] == "no_data"
    fake_api.reset_log()
    sync(fake_api, tmp_path)
    assert fake_api.request_count(rf"/activity/{act['id']}/streams") == 0  # settled


def test_a_refused_streams_request_is_settled_as_failed() -> None:
    act = Activity.model_validate(
        {
            "id": "i7",
            "start_date_local": "2026-11-20T08:00:00",
            "type": "VirtualRide",
            "stream_types": ["time", "heartrate", "dfa_a1", "artifacts"],
            "analyzed": "2026-11-20T10:00:00Z",
        }
    )
    asked: list[list[str]] = []

    def refuse(ids: Sequence[str]) -> dict[str, FetchOutcome]:
        asked.append(list(ids))
        return {aid: FetchOutcome.permanent("HTTP 404") for aid in ids}

    cache, sessions = update_dfa_sessions(None, [act], refuse, TODAY)
    assert sessions == [] and cache.activities["i7"].status == "failed"
    update_dfa_sessions(cache, [act], refuse, TODAY)
    assert asked == [["i7"], []]  # not asked again for the same version
    newer = act.model_copy(update={"analyzed": "2026-11-21T07:00:00Z"})
    update_dfa_sessions(cache, [newer], refuse, TODAY)
    assert asked[-1] == ["i7"]  # a new version is asked once more


def test_refused_comments_do_not_end_the_run(fake_api: FakeIntervalsServer) -> None:
    aid = _real(fake_api, 7)[0]["id"]
    # A key the server refuses (401): for comments that is a settled "no", not a failed run.
    with IntervalsClient(
        fake_api.base_url, DEMO_ATHLETE_ID, Secret("wrong-key"), retry=RetryPolicy(max_attempts=1)
    ) as client:
        outcome = message_fetcher(client)([aid])[aid]
    assert outcome.kind == "permanent"
    assert fake_api.request_count(rf"/activity/{aid}/messages") == 1
