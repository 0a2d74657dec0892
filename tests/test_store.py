"""Atomic writes and honest reads."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.store import dumps, move_aside, read_json, write_json_atomic


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "out" / "latest.json"
    size = write_json_atomic(target, {"a": 1, "name": "Håkon"})
    assert json.loads(target.read_text("utf-8")) == {"a": 1, "name": "Håkon"}
    assert size == target.stat().st_size
    assert os.listdir(target.parent) == ["latest.json"]


def test_failed_serialisation_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "latest.json"
    write_json_atomic(target, {"good": True})
    with pytest.raises(ValueError):
        write_json_atomic(target, {"bad": float("nan")})  # NaN is not JSON
    assert json.loads(target.read_text()) == {"good": True}
    assert os.listdir(tmp_path) == ["latest.json"]


def test_read_distinguishes_missing_ok_corrupt(tmp_path: Path) -> None:
    assert read_json(tmp_path / "nope.json").status == "missing"
    good = tmp_path / "good.json"
    good.write_text('{"x": 2}')
    loaded = read_json(good)
    assert (loaded.status, loaded.data) == ("ok", {"x": 2})
    bad = tmp_path / "bad.json"
    bad.write_text('{"x": ')
    broken = read_json(bad)
    assert broken.status == "corrupt"
    assert broken.error is not None and "bad.json is not valid JSON" in broken.error


def test_move_aside_never_overwrites(tmp_path: Path) -> None:
    now = datetime(2026, 11, 21, 7, 30, tzinfo=UTC)
    for content in ("first", "second"):
        path = tmp_path / "ftp_history.json"
        path.write_text(content)
        moved = move_aside(path, now)
        assert moved.read_text() == content
        assert not path.exists()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "ftp_history.json.corrupt-20261121T073000Z",
        "ftp_history.json.corrupt-20261121T073000Z-1",
    ]


def test_dumps_is_stable_and_ends_with_newline() -> None:
    # The line layout (section11.json_layout): one top-level key per line, no spaces.
    assert dumps({"b": 1, "a": [1, 2]}) == b'{\n"b":1,\n"a":[1,2]\n}\n'


def test_new_files_are_readable_and_existing_modes_are_kept(tmp_path: Path) -> None:
    fresh = tmp_path / "latest.json"
    write_json_atomic(fresh, {})
    assert fresh.stat().st_mode & 0o777 == 0o644
    private = tmp_path / "state.json"
    private.write_text("{}")
    private.chmod(0o600)
    write_json_atomic(private, {"x": 1})
    assert private.stat().st_mode & 0o777 == 0o600
