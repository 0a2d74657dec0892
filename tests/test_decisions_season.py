"""A season over the fake server: the phase follows the demo season athlete's calendar.

Calendar (Monday weeks; section11.demo.season.SEASON): 8 base weeks, 3 build, 1 deload,
2 build, 1 taper, race week with the RACE_A on Sunday 2026-06-14. One sync every
Wednesday from the 5th base week on, into the same folder, so history.json keeps the
phase of each finished week.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11.config import Secret, Settings
from section11.demo.season import SEASON, generate_season_athlete, season_start
from section11.demo.server import FakeIntervalsServer
from section11.outputs.history_models import WeeklyRow
from section11.outputs.history_phase import dominant_phase
from section11.pipeline import sync
from section11.sources.intervals_icu.client import IntervalsClient

RACE_DAY = date(2026, 6, 14)


Run = tuple[date, dict[str, Any], dict[str, Any]]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> list[Run]:
    """The twelve weekly syncs, run once for the module (about 10 s)."""
    return _run_season(tmp_path_factory.mktemp("season"))


def _run_season(out: Path) -> list[Run]:
    athlete = generate_season_athlete(RACE_DAY)
    first = season_start(RACE_DAY)
    runs = []
    with FakeIntervalsServer(athlete) as server:
        settings = Settings(athlete_id=athlete.athlete_id, intervals_key=None, output_dir=out)
        for week in range(4, len(SEASON)):
            wednesday = first + timedelta(weeks=week, days=2)
            now = datetime(wednesday.year, wednesday.month, wednesday.day, 12, tzinfo=UTC)
            with IntervalsClient(server.base_url, athlete.athlete_id, Secret(athlete.api_key)) as c:
                sync(settings, c, now)
            latest = json.loads((out / "latest.json").read_text())
            history = json.loads((out / "history.json").read_text())
            runs.append((wednesday, latest, history))
    return runs


def test_phase_follows_the_season(runs: list[Run]) -> None:
    phases = [latest["derived_metrics"]["phase_detected"] for _, latest, _ in runs]
    assert [SEASON[4 + i] for i in range(len(runs))] == [
        *("base",) * 4, "build", "build", "build", "deload", "build", "build", "taper", "race",
    ]  # fmt: skip
    assert phases == [
        *("Base",) * 4,
        # First build week, Wednesday: only Tuesday's intervals are done and the four
        # finalized weeks are all base, so the scoring still says Base.
        "Base",
        "Build",
        "Build",
        # Deload week: 3 easy sessions planned for Wed-Sun, planned load well under 80 % of
        # the build weeks, after a build (CTL rising, >= 1.5 hard days a week).
        "Deload",
        # The week after: previous week's stored phase is Deload and 2 hard sessions are
        # planned -> Build resumes.
        "Build",
        # 18 days before the A race with CTL at its high: the ladder's Peak rung (15-21 days).
        "Peak",
        # 11 and 4 days before the A race.
        "Taper",
        "Taper",
    ]
    deload = runs[7][1]["derived_metrics"]["phase_detection"]
    assert deload["basis"]["deload"]["path"] == "plan"
    assert deload["confidence"] == "high"  # next week is planned at build load again
    resumed = runs[8][1]["derived_metrics"]["phase_detection"]
    assert resumed["previous_phase"] == "Deload"
    assert resumed["reason_codes"][0] == "BUILD_RESUMING_AFTER_DELOAD"


def test_race_week_plan_decision_and_history_phases(runs: list[Run]) -> None:
    wednesday, latest, history = runs[-1]
    # Race on Sunday 14 June, synced Wednesday 10 June: D-4.
    week = latest["race_calendar"]["race_week"]
    assert wednesday == date(2026, 6, 10)
    assert week["current_day"] == "D-4" and week["event_category"] == "RACE_A"
    # 4.5 h race: long_endurance, carb loading active from D-4.
    assert week["event_duration_class"] == "long_endurance"
    assert week["carb_loading"]["active"] is True
    assert [a["metric"] for a in latest["alerts"]][-1] == "race_week"
    decision = latest["readiness_decision"]
    assert decision["recommendation"] in ("go", "modify", "skip")
    assert decision["phase_context"]["modifier_applied"] == "race_week_tightened"
    assert decision["race_week_defers"] is (decision["recommendation"] != "skip")
    # Every planned session so far was done and paired with its activity.
    adherence = latest["plan_adherence"]
    assert adherence["missed"] == 0 and adherence["completion_rate"] == 1.0
    assert all(s["activity_id"] for s in adherence["sessions"] if s["status"] == "completed")
    # A finished week's phase, once in history.json, never changes in later runs.
    seen: dict[str, str | None] = {}
    for _, _, hist in runs:
        for row in hist["weekly_180d"]:
            if row["complete"]:
                assert (
                    seen.setdefault(row["week_start"], row["phase_detected"])
                    == row["phase_detected"]
                )
    # The deload week (Monday 11 May) is stored as Deload; its month's dominant phase
    # is Build (three of the five weeks touching May are build weeks). Five months of data
    # are less than the 6 the first monthly tier needs (weekly_180d shows them all), so the
    # phase is read as a monthly row would: from the finished weekly rows.
    assert seen["2026-05-11"] == "Deload"
    assert history["monthly_1y"] == []
    weeks = [WeeklyRow.model_validate(row) for row in history["weekly_180d"]]
    assert dominant_phase(date(2026, 5, 1), date(2026, 5, 31), weeks) == "Build"
