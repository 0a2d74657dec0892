"""The line layout of the output files: compact JSON, one record per line, same data."""

from __future__ import annotations

import difflib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.json_layout import dumps_lines
from section11.outputs.ftp_history import FtpHistory
from section11.outputs.history_models import HistoryFile
from section11.outputs.intervals_models import IntervalsFile
from section11.outputs.latest_models import LatestFile
from section11.outputs.routes import RoutesFile
from section11.store import dumps

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo, the demo athlete's today
MODELS: dict[str, type[BaseModel]] = {
    "latest.json": LatestFile,
    "history.json": HistoryFile,
    "intervals.json": IntervalsFile,
    "routes.json": RoutesFile,
    "ftp_history.json": FtpHistory,
}

MESSY: dict[str, Any] = {
    "text": 'Håkon\'s "tempo" \\ 5×4\u2028 \U0001f6b4 \x00',
    "numbers": [0, -1, 1.5, 1e-07, 12345678901234567890, -0.0, 3.0],
    "flags": [True, False, None],
    "empty": {"object": {}, "array": [], "string": ""},
    "records": [{"id": 1, "name": "a"}, {"id": 2, "nested": {"deep": [[1, 2], {"x": None}]}}],
    "matrix": [[1, 2], [3, 4]],
    "mixed": [1, "two", {"three": 3}],
    "long": {f"key_{n}": n * 1.25 for n in range(30)},
}


def test_messy_data_reads_back_identically() -> None:
    for width in (0, 40, 120, 10**9):
        text = dumps_lines(MESSY, width=width)
        assert json.loads(text) == MESSY
        assert dumps_lines(json.loads(text), width=width) == text  # stable
    assert json.loads(dumps_lines([])) == []
    assert json.loads(dumps_lines("just a string")) == "just a string"


def test_each_record_is_one_line_and_short_values_stay_whole() -> None:
    data = {
        "meta": {"a": 1, "b": None},
        "rows": [{"day": "2026-11-20", "tss": 50.0}, {"day": "2026-11-21", "tss": None}],
        "series": list(range(50)),  # 140 characters, but plain values: one line
        "block": {"short": [1, 2], "long_text": "x" * 130},
    }
    # "block" is 160 characters > 120: one line per key; "meta" (15) stays one line.
    assert dumps_lines(data, width=120) == "\n".join(
        [
            "{",
            '"meta":{"a":1,"b":null},',
            '"rows":[',
            '{"day":"2026-11-20","tss":50},',
            '{"day":"2026-11-21","tss":null}',
            "],",
            '"series":' + json.dumps(list(range(50)), separators=(",", ":")) + ",",
            '"block":{',
            '"short":[1,2],',
            '"long_text":"' + "x" * 130 + '"',
            "}",
            "}",
        ]
    )


def test_integral_floats_are_written_as_integers() -> None:
    data = {"tss": 186.0, "ratio": 0.5, "rows": [{"ctl": -3.0, "hours": 1.25}], "big": 1e20}
    text = dumps_lines(data)
    # 186.0 -> 186 and -3.0 -> -3 (two bytes each); fractions stay as they are; 1e20 is
    # integral too, but as an int it would take 21 digits instead of 5.
    assert text == (
        '{\n"tss":186,\n"ratio":0.5,\n"rows":[\n{"ctl":-3,"hours":1.25}\n],\n"big":1e+20\n}'
    )
    assert json.loads(text) == data  # the same numbers


def test_non_string_keys_and_nan_behave_as_json_dumps() -> None:
    data = {"outer": {1: "one", None: "none"}, "more": "x" * 200}
    assert json.loads(dumps_lines(data)) == json.loads(json.dumps(data))
    with pytest.raises(ValueError):
        dumps_lines({"bad": [float("nan")]})


def test_store_dumps_writes_the_line_layout() -> None:
    assert (
        dumps({"b": 1, "a": [{"x": 1}, {"x": 2}]}) == b'{\n"b":1,\n"a":[\n{"x":1},\n{"x":2}\n]\n}\n'
    )
    assert dumps({"b": 1}, compact=True) == b'{"b":1}\n'


def _sync(fake_api: FakeIntervalsServer, tmp_path: Path, out: Path, now: datetime) -> None:
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    assert main(["--output-dir", str(out)], env=env, clock=FixedClock(now)) == 0


def _changed_values(old: Any, new: Any) -> tuple[int, int]:
    """(leaf values that differ, records added), lists of records matched by their "id"."""
    if isinstance(old, dict) and isinstance(new, dict):
        pairs = [(old.get(k), new.get(k)) for k in old.keys() | new.keys()]
    elif isinstance(old, list) and isinstance(new, list):
        if all(isinstance(r, dict) and "id" in r for r in old + new):
            before = {r["id"]: r for r in old}
            added = sum(1 for r in new if r["id"] not in before)
            matched = [(before[r["id"]], r) for r in new if r["id"] in before]
            values = sum(_changed_values(a, b)[0] for a, b in matched)
            return values + (len(old) - len(matched)), added
        longest = max(len(old), len(new))
        pairs = [
            (old[i] if i < len(old) else None, new[i] if i < len(new) else None)
            for i in range(longest)
        ]
    else:
        return int(old != new), 0
    counts = [_changed_values(a, b) for a, b in pairs]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _diff(old: str, new: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def test_demo_files_read_back_as_their_models_with_one_record_per_line(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _sync(fake_api, tmp_path, out, NOW)
    for name, model in MODELS.items():
        raw = (out / name).read_bytes()
        data = json.loads(raw)
        # Every key and null the model writes is in the file, and nothing else.
        assert model.model_validate(data).model_dump(mode="json", by_alias=True) == data, name
        assert dumps(data) == raw, name  # written in the line layout, nothing else
    latest = json.loads((out / "latest.json").read_text("utf-8"))
    history = json.loads((out / "history.json").read_text("utf-8"))
    record_lists = {
        "latest.json": [latest["recent_activities"], latest["wellness_data"]],
        "history.json": [history["daily_90d"], history["weekly_180d"], history["monthly_3y"]],
        "intervals.json": [json.loads((out / "intervals.json").read_text())["activities"]],
        "routes.json": [json.loads((out / "routes.json").read_text())["events"]],
    }
    for name, lists in record_lists.items():
        lines = set((out / name).read_text("utf-8").splitlines())
        for records in lists:
            assert records, f"{name}: the demo athlete has records here"
            for record in records:
                text = json.dumps(record, separators=(",", ":"), ensure_ascii=False)
                assert text in lines or text + "," in lines, f"{name}: {text[:60]}"


def test_one_new_activity_changes_one_line_per_changed_value(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _sync(fake_api, tmp_path, out, NOW)
    before = {name: (out / name).read_text("utf-8") for name in MODELS}
    new = {
        "id": "i99000001",
        "start_date_local": "2026-11-21T06:01:00",
        "type": "Run",
        "icu_training_load": 40,
        "moving_time": 2400,
        "distance": 7000.0,
    }
    fake_api.athlete.add_activity(new)
    _sync(fake_api, tmp_path, out, NOW.replace(minute=15))
    for name, old_text in before.items():
        new_text = (out / name).read_text("utf-8")
        values, records = _changed_values(json.loads(old_text), json.loads(new_text))
        removed, added = _diff(old_text, new_text)
        # Each value sits on one line and a line holds no unchanged-only content, so each
        # changed value removes at most one line and adds one; a new record adds one line.
        # (For the demo's latest.json: 30 changed lines, i.e. 4 time stamps, quick_stats,
        # the ACWR alert, 3 summary lines, 11 derived metrics, 4 workout_summary_stats
        # lines, 5 weekly_summary lines and this week's row, plus the new activity:
        # 2 x 30 + 1 = 61 lines, against 150 with two-space indentation.)
        assert len(removed) <= values, name
        assert len(added) <= values + records, name
    latest_removed, latest_added = _diff(before["latest.json"], (out / "latest.json").read_text())
    activity = [line for line in latest_added if '"id":"i99000001"' in line]
    # The activity is one added line; it is not the oldest, so it ends with a comma and no
    # neighbour gains or loses one: no line of another activity changes.
    assert len(activity) == 1 and activity[0].endswith(",")
    assert not [line for line in latest_removed if line.startswith('{"id":"i')]
