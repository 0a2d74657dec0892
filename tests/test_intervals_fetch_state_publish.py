"""With --publish the interval fetch state is committed whenever it changes, as it was while
it sat inside intervals.json: every GitHub Actions run starts from a fresh checkout, and a
retry time that was not committed would be asked again on every run."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from test_e2e_publish import NOW, commits, data_repo, git, publish
from test_unchanged_rerun import TODAYS_RIDE

from section11.config import STATE_DIR
from section11.demo import FakeIntervalsServer
from section11.outputs.intervals_fetch_state import FETCH_STATE_FILE

__all__ = ["data_repo"]  # the fixture, used by name below

STATE_PATH = f"{STATE_DIR}/{FETCH_STATE_FILE}"


def _committed_state(repo: Path) -> dict[str, object]:
    state: dict[str, object] = json.loads(git(repo, "show", f"HEAD:{STATE_PATH}"))["fetch_state"][
        TODAYS_RIDE
    ]
    return state


def test_a_new_retry_time_is_committed_and_a_fresh_checkout_waits_for_it(
    fake_api: FakeIntervalsServer, data_repo: Path, tmp_path: Path
) -> None:
    assert publish(fake_api, data_repo, tmp_path, NOW) == 0
    assert _committed_state(data_repo)["status"] == "ok"

    # Re-analysed at 08:59, intervals not computed yet: pending, retried on the ladder.
    fake_api.athlete.update_activity(
        TODAYS_RIDE, icu_sync_date="2026-11-21T08:58:00Z", analyzed="2026-11-21T08:59:00Z"
    )
    fake_api.athlete.set_intervals(TODAYS_RIDE, None)
    assert publish(fake_api, data_repo, tmp_path, NOW + timedelta(minutes=1)) == 0
    state = _committed_state(data_repo)
    # first look at 09:01 + 10 min = 09:11
    assert (state["status"], state["attempts"]) == ("pending", 1)
    assert state["next_retry_at"] == "2026-11-21T09:11:00Z"

    # Due at 09:12, still nothing: the second retry waits 30 min (09:42), and that commits
    # although no published file changed (the old segments stay visible meanwhile).
    before = len(commits(data_repo))
    assert publish(fake_api, data_repo, tmp_path, NOW + timedelta(minutes=12)) == 0
    assert len(commits(data_repo)) == before + 1
    changed = git(data_repo, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert STATE_PATH in changed
    state = _committed_state(data_repo)
    assert (state["attempts"], state["next_retry_at"]) == (2, "2026-11-21T09:42:00Z")

    # A fresh checkout at 09:20 (as in GitHub Actions) knows the retry is not due yet.
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(fresh))
    fake_api.reset_log()
    assert publish(fake_api, fresh, tmp_path, NOW + timedelta(minutes=20)) == 0
    assert fake_api.request_count(rf"/activity/{TODAYS_RIDE}$") == 0
    assert len(fake_api.requests) == 5  # the core requests only
