"""Calendar commands over real HTTP against the fake Intervals.icu server.

push previews without sending anything, creates on --confirm, creates no duplicate on a
second --confirm, updates in place after an edit; move, delete, list, set-threshold,
annotate and pull trace do what they say; bad input fails with one line and no request.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "workouts"
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # the demo athlete's "today"
FUTURE_EVENT = 71000015  # 2026-11-24, "Over-unders 3x(4x2+1)"
PAST_EVENT = 71000012  # 2026-11-20


class Runner:
    def __init__(self, server: FakeIntervalsServer, tmp_path: Path, capsys: Any) -> None:
        self.server = server
        self.tmp_path = tmp_path
        self.capsys = capsys
        config = tmp_path / "config.json"
        config.write_text("{}")
        self.env = {
            "SECTION11_CONFIG": str(config),
            "ATHLETE_ID": DEMO_ATHLETE_ID,
            "INTERVALS_KEY": DEMO_API_KEY,
            "INTERVALS_API_BASE": server.base_url,
        }

    def __call__(self, *args: str) -> tuple[int, dict[str, Any], str]:
        code = main([*args, "--timezone", "UTC"], env=self.env, clock=FixedClock(NOW))
        out, err = self.capsys.readouterr()
        return code, json.loads(out), err

    def writes(self) -> list[tuple[str, str, dict[str, str]]]:
        return [(r.method, r.path, r.query) for r in self.server.requests if r.method != "GET"]


@pytest.fixture
def run(fake_api: FakeIntervalsServer, tmp_path: Path, capsys: Any) -> Runner:
    return Runner(fake_api, tmp_path, capsys)


def _ours(server: FakeIntervalsServer) -> list[dict[str, Any]]:
    return [
        e for e in server.athlete.events if str(e.get("external_id", "")).startswith("section11-")
    ]


# ------------------------------------------------------------------ push


def test_push_preview_sends_nothing(run: Runner) -> None:
    before = len(run.server.athlete.events)
    code, out, _ = run("push", str(EXAMPLES / "ride_power.json"))
    assert code == 0
    assert out["preview"] is True and "nothing was sent" in out["message"]
    (event,) = out["events"]
    assert event["start_date_local"] == "2026-11-24T00:00:00"  # "+3" from 2026-11-21
    assert event["type"] == "VirtualRide"  # an indoor ride
    assert event["external_id"].startswith("section11-2026-11-24-ride-")
    # 15m + 5m + 3x(12m+4m) + 4x(2m+1m) and a 10 km step: total time unknown, so no moving_time
    assert "moving_time" not in event
    assert "Sweet spot 3x" in event["description"]
    assert out["notes"] == [
        "Ride: sweet spot with cadence drills: a speed target in km/h has no Intervals.icu "
        "text; dropped"
    ]
    assert run.server.request_count() == 0
    assert len(run.server.athlete.events) == before


def test_push_confirm_creates_then_a_second_push_changes_nothing(run: Runner) -> None:
    before = len(run.server.athlete.events)
    code, out, _ = run("push", str(EXAMPLES / "edge_cases.json"), "--confirm")
    assert code == 0 and out["preview"] is False
    (created,) = out["events"]
    assert created["action"] == "create" and isinstance(created["id"], int)
    assert len(run.server.athlete.events) == before + 1
    assert run.writes() == [
        ("POST", f"/api/v1/athlete/{DEMO_ATHLETE_ID}/events/bulk", {"upsert": "true"})
    ]
    stored = run.server.athlete.event(created["id"])
    assert stored["name"] == load_name("edge_cases.json")
    assert len(stored["name"]) == 255
    # The server derived workout_doc from the text: 1x(20m) + 5m = 1200 + 300 = 1500 s
    assert stored["workout_doc"]["duration"] == 1500
    assert stored["moving_time"] == 1500

    run.server.reset_log()
    code, out, _ = run("push", str(EXAMPLES / "edge_cases.json"), "--confirm")
    assert code == 0
    assert [e["action"] for e in out["events"]] == ["unchanged"]
    assert out["events"][0]["id"] == created["id"]
    assert run.writes() == []  # one read of the calendar, nothing written
    assert run.server.request_count() == 1
    assert len(run.server.athlete.events) == before + 1


def test_an_edited_plan_updates_the_same_event(run: Runner, tmp_path: Path) -> None:
    plan = json.loads((EXAMPLES / "strength_circuit.json").read_text())
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code, out, _ = run("push", str(path), "--confirm")
    assert code == 0
    event_id = out["events"][0]["id"]
    count = len(run.server.athlete.events)

    plan["steps"][1]["repeat"] = 4  # one more circuit
    plan["name"] = "STRENGTH:  Runner's circuit"  # only case and spacing changed
    path.write_text(json.dumps(plan))
    code, out, _ = run("push", str(path), "--confirm")
    assert code == 0
    assert out["events"][0]["action"] == "update"
    assert out["events"][0]["id"] == event_id
    assert len(run.server.athlete.events) == count
    assert "Circuit 4x" in run.server.athlete.event(event_id)["description"]


def test_a_triathlon_becomes_one_event_per_segment(run: Runner) -> None:
    code, out, _ = run("push", str(EXAMPLES / "triathlon_brick.json"), "--confirm")
    assert code == 0
    assert [e["action"] for e in out["events"]] == ["create"] * 3
    keys = [e["external_id"] for e in out["events"]]
    assert [k[-2:] for k in keys] == ["-1", "-2", "-3"]
    types = [run.server.athlete.event(e["id"])["type"] for e in out["events"]]
    assert types == ["Swim", "Ride", "Run"]


def test_push_refuses_a_bad_plan_before_any_request(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "name": "Late",
                "sport": "swim",
                "date": "2026-11-01",
                "pool_length": 25,
                "pool_unit": "m",
                "steps": [{"distance": 100}, {"repeat": 2, "steps": []}],
            }
        )
    )
    code, out, err = run("push", str(path), "--confirm")
    assert code == 2
    assert out["success"] is False
    assert out["problems"] == [
        f"{path}: workouts[0].date: 2026-11-01 is in the past (today is 2026-11-21); plan it "
        "for today or later",
        f'{path}: workouts[0].steps[0]: a swim step without a stroke; set stroke (e.g. "free")',
        f"{path}: workouts[0].steps[1]: a repeat without steps; add the steps to repeat",
    ]
    assert err.count("\n") == 3 and err.startswith("section11: error: ")
    assert run.server.request_count() == 0


def test_missing_credentials_is_one_line(run: Runner) -> None:
    del run.env["INTERVALS_KEY"]
    code, out, err = run("push", str(EXAMPLES / "edge_cases.json"), "--confirm")
    assert code == 2
    assert out == {
        "success": False,
        "command": "push",
        "error": out["error"],
    }
    assert out["error"].startswith("missing INTERVALS_KEY")
    assert DEMO_API_KEY not in err
    assert run.server.request_count() == 0


# ------------------------------------------------------------------ list / move / delete


def test_list_shows_the_coming_week(run: Runner) -> None:
    code, out, _ = run("list", "--category", "WORKOUT")
    assert code == 0
    dates = [e["date"] for e in out["events"]]
    # today .. +6 = 2026-11-21 .. 2026-11-27; the demo plans a workout every day but none
    # on 2026-11-23 (a NOTE, filtered out by the category)
    assert dates == [
        "2026-11-21",
        "2026-11-22",
        "2026-11-24",
        "2026-11-25",
        "2026-11-26",
        "2026-11-27",
    ]
    assert run.writes() == []


def test_move_previews_then_moves(run: Runner) -> None:
    code, out, _ = run("move", str(FUTURE_EVENT), "+5")
    assert code == 0 and out["preview"] is True
    assert (out["from"], out["to"]) == ("2026-11-24", "2026-11-26")  # 21 + 5 = 26
    assert run.writes() == []
    assert run.server.athlete.event(FUTURE_EVENT)["start_date_local"] == "2026-11-24T00:00:00"

    code, out, _ = run("move", str(FUTURE_EVENT), "2026-11-26", "--confirm")
    assert code == 0 and out["preview"] is False
    assert run.server.athlete.event(FUTURE_EVENT)["start_date_local"] == "2026-11-26T00:00:00"
    assert run.writes() == [("PUT", f"/api/v1/athlete/{DEMO_ATHLETE_ID}/events/{FUTURE_EVENT}", {})]


def test_move_refuses_the_past(run: Runner) -> None:
    code, out, _ = run("move", str(FUTURE_EVENT), "2026-11-01", "--confirm")
    assert code == 2 and "in the past" in out["error"]
    code, out, _ = run("move", str(PAST_EVENT), "+1", "--confirm")
    assert code == 2
    assert out["error"] == (
        f"event {PAST_EVENT} was on 2026-11-20 (past); only planned events can be moved"
    )
    assert run.writes() == []


def test_delete_previews_then_deletes(run: Runner) -> None:
    code, out, _ = run("delete", str(FUTURE_EVENT))
    assert code == 0 and out["preview"] is True
    assert out["event"]["name"] == "Over-unders 3x(4x2+1)"
    run.server.athlete.event(FUTURE_EVENT)  # still there
    code, out, _ = run("delete", str(FUTURE_EVENT), "--confirm")
    assert code == 0
    with pytest.raises(KeyError):
        run.server.athlete.event(FUTURE_EVENT)
    code, out, _ = run("delete", str(FUTURE_EVENT), "--confirm")
    assert code == 4 and out["success"] is False  # gone: the API answers 404


def test_delete_refuses_past_events(run: Runner) -> None:
    code, out, _ = run("delete", str(PAST_EVENT), "--confirm")
    assert code == 2
    assert out["error"] == (
        f"event {PAST_EVENT} was on 2026-11-20 (past); only planned events can be deleted"
    )
    run.server.athlete.event(PAST_EVENT)
    assert run.writes() == []


# ------------------------------------------------------------------ settings and notes


def _ride_settings(server: FakeIntervalsServer) -> dict[str, Any]:
    settings = server.athlete.sport_settings("Ride")
    assert settings is not None
    return settings


def test_set_threshold_previews_then_saves(run: Runner) -> None:
    code, out, _ = run("set-threshold", "--sport", "cycling", "--ftp", "272")
    assert code == 0 and out["preview"] is True
    assert out["changes"] == {"ftp": {"from": 265, "to": 272}}
    assert _ride_settings(run.server)["ftp"] == 265
    code, out, _ = run("set-threshold", "--sport", "run", "--threshold-pace", "4:10", "--confirm")
    assert code == 0
    # 4:10 per km = 250 s -> 1000 / 250 = 4.0 m/s, what the demo already holds: no write
    assert out["changes"] == {"threshold_pace": {"from": 4.0, "to": 4.0}}
    assert run.writes() == []
    code, out, _ = run(
        "set-threshold", "--sport", "ride", "--ftp", "272", "--lthr", "170", "--confirm"
    )
    assert code == 0
    assert (_ride_settings(run.server)["ftp"], _ride_settings(run.server)["lthr"]) == (272, 170)
    assert run.writes() == [
        ("PUT", f"/api/v1/athlete/{DEMO_ATHLETE_ID}/sport-settings/Ride", {"recalcHrZones": "true"})
    ]


def test_set_threshold_rejects_typos(run: Runner) -> None:
    code, out, _ = run("set-threshold", "--sport", "ride", "--ftp", "2720", "--confirm")
    assert code == 2 and out["error"] == "--ftp 2720 is outside 30-700; check the number"
    code, out, _ = run("set-threshold", "--sport", "curling", "--ftp", "250")
    assert code == 2
    assert run.server.request_count() == 0


def test_annotate_activity_event_and_chat(run: Runner) -> None:
    activity = run.server.athlete.activities[0]["id"]
    code, out, _ = run("annotate", "--activity", activity, "--message", "Legs  heavy")
    assert code == 0 and out["description"] == "NOTE: Legs heavy"
    assert run.server.athlete.activity(activity).get("description") is None
    code, out, _ = run("annotate", "--activity", activity, "--message", "Legs heavy", "--confirm")
    assert run.server.athlete.activity(activity)["description"] == "NOTE: Legs heavy"

    code, out, _ = run(
        "annotate", "--activity", activity, "--chat", "--message", "Nice", "--confirm"
    )
    assert code == 0
    assert run.server.writes.messages[activity][0]["content"] == "Nice"

    before = run.server.athlete.event(FUTURE_EVENT)["description"]
    code, out, _ = run("annotate", "--event", str(FUTURE_EVENT), "--message", "Indoor", "--confirm")
    assert code == 0
    assert run.server.athlete.event(FUTURE_EVENT)["description"] == f"NOTE: Indoor\n\n{before}"


def test_pull_trace(run: Runner, tmp_path: Path) -> None:
    activity = run.server.athlete.activities[0]["id"]
    code, out, _ = run("pull", "trace", activity, "--types", "latlng,heartrate")
    assert code == 0
    assert sorted(out["types"]) == ["heartrate", "latlng"]
    latlng = next(s for s in out["streams"] if s["type"] == "latlng")
    assert len(latlng["data"]) == len(latlng["data2"])  # latitudes and longitudes side by side
    target = tmp_path / "trace.json"
    code, out, _ = run("pull", "trace", activity, "--out", str(target))
    assert code == 0 and out["bytes"] == target.stat().st_size
    assert json.loads(target.read_text())["activity"] == activity
    assert run.writes() == []


# ------------------------------------------------------------------ offline converter


def test_workout_command_converts_without_network(run: Runner) -> None:
    code, out, _ = run("workout", str(EXAMPLES / "triathlon_brick.json"), "--to", "intervals")
    assert code == 0
    assert [p["sport"] for p in out["workouts"][0]["parts"]] == ["swim", "ride", "run"]
    code, out, _ = run("workout", str(EXAMPLES / "swim_technique.json"), "--to", "garmin")
    assert code == 0
    assert out["workouts"][0]["sportType"]["sportTypeKey"] == "swimming"
    code, out, _ = run("workout", str(EXAMPLES / "run_intervals.json"), "--to", "garmin")
    assert code == 2 and out["problems"] == [
        "steps[2].steps[0].steps[0].steps[1].target: a %lthr target needs --lthr (Garmin wants "
        "absolute values)",
        "steps[3].target: a %max_hr target needs --max-hr (Garmin wants absolute values)",
    ]
    assert run.server.request_count() == 0


def load_name(file: str) -> str:
    name: str = json.loads((EXAMPLES / file).read_text())["name"]
    return name


def test_workout_command_converts_a_calendar_event(run: Runner) -> None:
    code, out, _ = run("workout", "--event", str(FUTURE_EVENT), "--to", "garmin")
    assert code == 0, out
    (garmin,) = out["workouts"]
    assert garmin["workoutName"] == "Over-unders 3x(4x2+1)"
    warmup, main, _cool = garmin["workoutSegments"][0]["workoutSteps"]
    # An indoor ride: the indoor FTP 255 W of the sport settings; 50 % and 75 % of 255 W
    # = 127.5 W and 191.25 W
    assert (warmup["targetValueOne"], warmup["targetValueTwo"]) == (127.5, 191.25)
    assert main["numberOfIterations"] == 3
    assert main["workoutSteps"][0]["numberOfIterations"] == 4  # the nested 4x(2'+1')
    # the event, then the sport settings for the thresholds
    assert [r.path.rsplit("/", 1)[-1] for r in run.server.requests] == [
        str(FUTURE_EVENT),
        "VirtualRide",
    ]
    code, out, _ = run("workout", "--event", str(FUTURE_EVENT), "--to", "intervals")
    assert code == 0
    text = out["workouts"][0]["parts"][0]["text"]
    assert "3x" in text and text.count("- 2m 105%") == 4  # the inner 4x written out


def test_workout_command_needs_exactly_one_source(run: Runner) -> None:
    code, out, _ = run("workout", "--to", "garmin")
    assert code == 2 and out["error"] == "give either a plan FILE or --event ID"
    code, out, _ = run("workout", "--event", "71000043", "--to", "garmin")  # a NOTE
    assert code == 2 and "untyped" in out["error"]


def test_push_a_race_note_without_steps(run: Runner, tmp_path: Path) -> None:
    path = tmp_path / "race.json"
    path.write_text(
        json.dumps(
            {
                "name": "Club 10k",
                "sport": "run",
                "date": "+8",
                "category": "RACE_B",
                "description": "Target sub-40",
            }
        )
    )
    code, out, _ = run("push", str(path), "--confirm")
    assert code == 0, out
    stored = run.server.athlete.event(out["events"][0]["id"])
    assert (stored["category"], stored["description"]) == ("RACE_B", "Target sub-40")
    assert "moving_time" not in stored  # no steps: duration unknown, not 0
