"""A rerun with nothing new stops after its five core requests and leaves every file as it
was; anything that could change the files makes it build again (section11/build_record.py).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11.build_record import RECORD_FILE, inputs_digest, load_record
from section11.cli import main
from section11.clock import FixedClock
from section11.config import STATE_DIR
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)  # 10:00 in Oslo, the demo athlete's timezone
NOTHING_NEW = "nothing new since the build of 2026-11-21 09:00 UTC"
# The demo athlete's VirtualRide of today, which has intervals.
TODAYS_RIDE = "i20254154"


def sync(
    fake_api: FakeIntervalsServer,
    out: Path,
    *,
    now: datetime = NOW,
    extra: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> int:
    fake_api.reset_log()
    environment = {**_env(fake_api, out.parent), **(env or {})}
    code = main(["--output-dir", str(out), *(extra or [])], env=environment, clock=FixedClock(now))
    assert code == 0
    return len(fake_api.requests)


def files(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under the output folder: its bytes and modification time."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(fake_api: FakeIntervalsServer, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    sync(fake_api, out)
    return out


def test_a_rerun_with_nothing_new_touches_no_file(
    fake_api: FakeIntervalsServer, built: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = files(built)
    assert f"{STATE_DIR}/{RECORD_FILE}" in before
    with caplog.at_level(logging.INFO, logger="section11"):
        requests = sync(fake_api, built, now=NOW + timedelta(minutes=15))
    # athlete + activities + wellness + calendar + illness/injury markers = 5
    assert requests == 5
    assert files(built) == before  # same bytes, and not even rewritten (same mtimes)
    assert NOTHING_NEW in caplog.text
    # The summary still names the files and the activities of the display window.
    summary = [r.getMessage() for r in caplog.records if r.getMessage().startswith("synced")]
    assert summary and "latest.json" in summary[-1] and "history.json" in summary[-1]


def test_the_record_names_every_file_the_build_wrote(built: Path) -> None:
    record = load_record(built / STATE_DIR / RECORD_FILE)
    assert record is not None
    for name in ("latest.json", "history.json", "intervals.json", "routes.json"):
        assert name in record.files
    assert "dashboard.html" in record.files
    assert f"{STATE_DIR}/history-state.json" in record.files
    assert f"{STATE_DIR}/intervals-fetch-state.json" in record.files
    # No data in the record: digests (64 hex characters) and file sizes only.
    assert all(len(digest) == 64 for digest in record.files.values())
    text = (built / STATE_DIR / RECORD_FILE).read_text()
    assert DEMO_API_KEY not in text and DEMO_ATHLETE_ID not in text
    # Run state: the owner's only (rw-------), like the rest of .section11/.
    assert (built / STATE_DIR / RECORD_FILE).stat().st_mode & 0o077 == 0


def test_a_changed_activity_builds_again(fake_api: FakeIntervalsServer, built: Path) -> None:
    fake_api.athlete.update_activity(TODAYS_RIDE, icu_training_load=123)
    sync(fake_api, built, now=NOW + timedelta(minutes=15))
    latest = json.loads((built / "latest.json").read_text())
    ride = next(a for a in latest["recent_activities"] if a["id"] == TODAYS_RIDE)
    assert ride["tss"] == 123


def test_a_new_day_builds_again(fake_api: FakeIntervalsServer, built: Path) -> None:
    before = json.loads((built / "latest.json").read_text())["metadata"]["today"]
    sync(fake_api, built, now=NOW + timedelta(days=1))
    after = json.loads((built / "latest.json").read_text())["metadata"]["today"]
    assert (before, after) == ("2026-11-21", "2026-11-22")


def test_a_file_changed_by_hand_is_rebuilt(fake_api: FakeIntervalsServer, built: Path) -> None:
    original = (built / "intervals.json").read_bytes()
    (built / "intervals.json").write_text("{}")
    (built / "routes.json").unlink()
    sync(fake_api, built, now=NOW + timedelta(minutes=15))
    assert json.loads((built / "intervals.json").read_bytes()) != {}
    assert (built / "routes.json").is_file()
    # Rebuilt from the same inputs: the same sessions as before.
    sessions = [a["activity_id"] for a in json.loads(original)["activities"]]
    rebuilt = [
        a["activity_id"] for a in json.loads((built / "intervals.json").read_bytes())["activities"]
    ]
    assert rebuilt == sessions


def test_settings_that_shape_the_files_build_again_console_options_do_not(
    fake_api: FakeIntervalsServer, built: Path
) -> None:
    before = files(built)
    sync(fake_api, built, now=NOW + timedelta(minutes=5), extra=["--quiet"])
    # --quiet keeps its own note of the warnings it showed today; nothing else changes.
    after = files(built)
    assert after.pop(f"{STATE_DIR}/quiet-warnings.json", None) is not None
    assert after == before
    sync(fake_api, built, now=NOW + timedelta(minutes=10), extra=["--privacy", "strict"])
    latest = json.loads((built / "latest.json").read_text())
    assert latest["metadata"]["privacy"] == "strict"


def test_rebuild_history_always_builds(fake_api: FakeIntervalsServer, built: Path) -> None:
    before = (built / "history.json").stat().st_mtime_ns
    requests = sync(fake_api, built, now=NOW + timedelta(minutes=5), extra=["--rebuild-history"])
    assert requests > 5  # the three years are fetched again
    assert (built / "history.json").stat().st_mtime_ns != before


def test_a_failed_request_is_tried_again_on_the_next_run(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    # Every attempt at today's ride's intervals fails (the client retries 503s).
    fake_api.faults.add(rf"/activity/{TODAYS_RIDE}$", "503", count=50)
    sync(fake_api, out)
    assert not (out / STATE_DIR / RECORD_FILE).exists()  # not a clean build
    fake_api.faults.clear()
    requests = sync(fake_api, out, now=NOW + timedelta(minutes=5))
    # 5 core requests + the intervals of today's ride again = 6
    assert requests == 6
    assert (out / STATE_DIR / RECORD_FILE).exists()
    assert sync(fake_api, out, now=NOW + timedelta(minutes=10)) == 5


def test_a_pending_analysis_is_fetched_again_when_it_is_due(
    fake_api: FakeIntervalsServer, built: Path
) -> None:
    # Re-analysed a minute ago, intervals not computed yet: pending, retried 10 min later.
    fake_api.athlete.update_activity(
        TODAYS_RIDE, icu_sync_date="2026-11-21T08:58:00Z", analyzed="2026-11-21T08:59:00Z"
    )
    fake_api.athlete.set_intervals(TODAYS_RIDE, None)
    # A new version: its intervals, comments and streams, and the curves, are asked again.
    assert sync(fake_api, built) > 5
    stored = json.loads((built / STATE_DIR / "intervals-fetch-state.json").read_text())
    state = stored["fetch_state"][TODAYS_RIDE]
    assert (state["status"], state["next_retry_at"]) == ("pending", "2026-11-21T09:10:00Z")
    record = load_record(built / STATE_DIR / RECORD_FILE)
    assert record is not None and record.recheck_at == datetime(2026, 11, 21, 9, 10, tzinfo=UTC)

    assert sync(fake_api, built, now=NOW + timedelta(minutes=5)) == 5  # not due yet
    assert sync(fake_api, built, now=NOW + timedelta(minutes=11)) == 6  # due: asked again


def test_a_corrupt_record_builds_again(fake_api: FakeIntervalsServer, built: Path) -> None:
    record = built / STATE_DIR / RECORD_FILE
    record.write_text("{not json")
    before = (built / "latest.json").stat().st_mtime_ns
    sync(fake_api, built, now=NOW + timedelta(minutes=5))
    assert (built / "latest.json").stat().st_mtime_ns != before
    assert load_record(record) is not None  # written again by the clean build


def test_the_digest_ignores_credentials_and_console_options(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    from dataclasses import replace

    from section11.config import Secret, resolve_settings
    from section11.sources.intervals_icu.client import IntervalsClient
    from section11.sources.intervals_icu.fetch import fetch_core

    settings = resolve_settings({}, _env(fake_api, tmp_path))
    with IntervalsClient(fake_api.base_url, DEMO_ATHLETE_ID, Secret(DEMO_API_KEY)) as client:
        core = fetch_core(client, NOW)
    digest = inputs_digest(settings, core)
    same = replace(settings, intervals_key=Secret("another"), quiet=True, debug=True)
    assert inputs_digest(same, core) == digest
    assert inputs_digest(replace(settings, days=14), core) != digest
    core.activities[0] = core.activities[0].model_copy(update={"icu_training_load": 999})
    assert inputs_digest(settings, core) != digest


def _env(fake_api: FakeIntervalsServer, tmp_path: Path) -> Any:
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    return {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        "SECTION11_OUTPUT_DIR": str(tmp_path / "out"),
    }


def test_after_publishing_restored_files_become_the_build_s_files(
    fake_api: FakeIntervalsServer, built: Path
) -> None:
    from section11.build_record import refresh_file_digests

    # Publishing puts a file whose only change is its run time back to the committed
    # version: same data, an older last_updated.
    latest = json.loads((built / "latest.json").read_text())
    latest["metadata"]["last_updated"] = "2026-11-21T09:45:00+01:00"
    (built / "latest.json").write_text(json.dumps(latest, indent=2))
    refresh_file_digests(built / STATE_DIR / RECORD_FILE, built)
    before = files(built)
    assert sync(fake_api, built, now=NOW + timedelta(minutes=30)) == 5
    assert files(built) == before

    # A file the record names that is gone makes the record useless: it is dropped.
    (built / "routes.json").unlink()
    refresh_file_digests(built / STATE_DIR / RECORD_FILE, built)
    assert not (built / STATE_DIR / RECORD_FILE).exists()


def test_the_code_digest_follows_content_not_file_times(tmp_path: Path) -> None:
    import os
    import shutil

    from section11.build_record import code_digest

    # A GitHub Actions checkout gives every file a new time on every run: same digest.
    package = Path(__file__).resolve().parents[1] / "section11"
    copy = tmp_path / "section11"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    digest = code_digest(copy)
    assert digest == code_digest(package)
    module = copy / "build_record.py"
    os.utime(module, (0, 0))
    assert code_digest(copy) == digest
    module.write_text(module.read_text() + "\n# changed\n")
    assert code_digest(copy) != digest
