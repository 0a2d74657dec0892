"""With --publish the run record travels with the data: a fresh checkout of the data
repository (every GitHub Actions run starts from one) stops early when nothing is new, and
a build whose files differ from HEAD only in run timestamps leaves a record that matches
the files put back."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from test_e2e_publish import NOW, commits, data_repo, git, publish

from section11.build_record import RECORD_FILE, load_record
from section11.config import STATE_DIR
from section11.demo import FakeIntervalsServer

__all__ = ["data_repo"]  # the fixture, used by name below


def _requests(fake_api: FakeIntervalsServer) -> int:
    return len(fake_api.requests)


def test_a_fresh_checkout_with_nothing_new_stops_early(
    fake_api: FakeIntervalsServer, data_repo: Path, tmp_path: Path
) -> None:
    assert publish(fake_api, data_repo, tmp_path, NOW) == 0
    tracked = set(git(data_repo, "ls-files").splitlines())
    assert f"{STATE_DIR}/{RECORD_FILE}" in tracked  # committed with the data

    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(fresh))
    latest_before = (fresh / "latest.json").read_bytes()
    fake_api.reset_log()
    assert publish(fake_api, fresh, tmp_path, NOW + timedelta(minutes=15)) == 0
    assert _requests(fake_api) == 5
    assert (fresh / "latest.json").read_bytes() == latest_before
    assert len(commits(fresh)) == 2  # init + the first sync: nothing new, no commit


def test_a_build_with_only_new_timestamps_leaves_a_record_of_the_committed_files(
    fake_api: FakeIntervalsServer, data_repo: Path, tmp_path: Path
) -> None:
    assert publish(fake_api, data_repo, tmp_path, NOW) == 0
    # Without the record the next run builds: the same data with new run times, which
    # publishing puts back to HEAD (no commit).
    (data_repo / STATE_DIR / RECORD_FILE).unlink()
    assert publish(fake_api, data_repo, tmp_path, NOW + timedelta(minutes=5)) == 0
    assert len(commits(data_repo)) == 2
    head_latest = git(data_repo, "show", "HEAD:latest.json")
    assert json.loads((data_repo / "latest.json").read_text()) == json.loads(head_latest)
    record = load_record(data_repo / STATE_DIR / RECORD_FILE)
    assert record is not None and record.built_at == NOW + timedelta(minutes=5)

    # The record names the files as they are now (HEAD's): the next run stops early.
    fake_api.reset_log()
    mtime = (data_repo / "latest.json").stat().st_mtime_ns
    assert publish(fake_api, data_repo, tmp_path, NOW + timedelta(minutes=10)) == 0
    assert _requests(fake_api) == 5
    assert (data_repo / "latest.json").stat().st_mtime_ns == mtime
