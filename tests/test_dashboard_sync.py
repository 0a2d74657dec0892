"""The sync writes the dashboard beside the JSON files, and never fails because of it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

from section11.cli import main
from section11.clock import FixedClock
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.outputs.dashboard import CALENDAR_SVG, DASHBOARD_FILE, FITNESS_SVG, LOAD_SVG

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
REPO = Path(__file__).resolve().parents[1]
DASHBOARD_FILES = (DASHBOARD_FILE, CALENDAR_SVG, FITNESS_SVG, LOAD_SVG)


def run(fake_api: FakeIntervalsServer, tmp_path: Path, out: Path, *args: str) -> int:
    config = tmp_path / "empty-config.json"
    config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
    }
    return main(["--output-dir", str(out), *args], env=env, clock=FixedClock(NOW))


def test_every_sync_writes_the_dashboard(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(fake_api, tmp_path, out) == 0
    first = {name: (out / name).read_bytes() for name in DASHBOARD_FILES}
    assert all(first.values())
    assert DEMO_ATHLETE_ID not in first[DASHBOARD_FILE].decode()  # anonymized by default
    # Same data, same clock: the same bytes (nothing random, nothing from the wall clock).
    assert run(fake_api, tmp_path, out) == 0
    assert {name: (out / name).read_bytes() for name in DASHBOARD_FILES} == first
    assert not list(out.glob(".dashboard*.tmp"))  # atomic writes leave no temp file


def test_no_anonymize_reaches_the_dashboard(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run(fake_api, tmp_path, out, "--no-anonymize") == 0
    html = (out / DASHBOARD_FILE).read_text("utf-8")
    assert f"athlete {DEMO_ATHLETE_ID}" in html
    assert "Calf strain" in html  # the INJURED marker's title
    assert "(not anonymized)" in html


def test_a_dashboard_failure_does_not_fail_the_sync(
    fake_api: FakeIntervalsServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out = tmp_path / "out"
    (out / DASHBOARD_FILE).mkdir(parents=True)  # a folder where the page should go
    with caplog.at_level(logging.WARNING):
        assert run(fake_api, tmp_path, out) == 0
    assert (out / "latest.json").stat().st_size > 0
    assert (out / "history.json").stat().st_size > 0
    assert (out / DASHBOARD_FILE).is_dir()  # left as it was
    assert any("dashboard.html was not updated" in r.getMessage() for r in caplog.records)


def test_the_data_repository_readme_embeds_the_charts() -> None:
    readme = (REPO / "DATA_REPO_README.md").read_text("utf-8")
    for name in (CALENDAR_SVG, FITNESS_SVG, LOAD_SVG):
        assert f"]({name})" in readme
