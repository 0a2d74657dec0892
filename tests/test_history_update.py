"""history.json kept current over real HTTP against the fake Intervals.icu server.

Each test builds history the way a sync run does: the recent window (42 days) is fetched
once, as the latest.json run does, and older days come through ``fetch_history_range``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from section11.config import Secret, Settings
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.outputs.history import (
    HistoryFile,
    HistoryResult,
    HistoryState,
    load_history_file,
    load_history_state,
    save_history_state,
    state_path,
    update_history,
)
from section11.outputs.history_models import DailyRow, MonthlyRow, WeeklyRow
from section11.sources.intervals_icu.client import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.fetch import fetch_history_range
from section11.sources.intervals_icu.models import Activity, Wellness, parse_records
from section11.store import write_json_atomic

TODAY = date(2026, 11, 21)  # the demo athlete's "today" (tests/conftest.py)
RECENT_START = TODAY - timedelta(days=41)  # the pipeline's 42-day recent window
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
FTP = {"2024-01-10": 240, "2026-06-01": 255}


@dataclass
class Run:
    result: HistoryResult
    history_requests: int  # HTTP requests made by history itself (recent window excluded)

    @property
    def file(self) -> HistoryFile:
        return self.result.file


def _settings(tmp_path: Path, week_start: int = 0) -> Settings:
    return Settings(
        athlete_id=DEMO_ATHLETE_ID,
        intervals_key=Secret(DEMO_API_KEY),
        output_dir=tmp_path,
        week_start=week_start,
    )


def _client(server: FakeIntervalsServer, attempts: int = 6) -> IntervalsClient:
    return IntervalsClient(
        server.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=attempts),
        sleep=lambda seconds: None,
    )


def _sync(
    server: FakeIntervalsServer,
    previous: HistoryState | None,
    settings: Settings,
    *,
    rebuild: bool = False,
    client: IntervalsClient | None = None,
) -> Run:
    client = client or _client(server)
    recent_acts, recent_well = _recent(client)
    before = server.request_count()
    result = update_history(
        previous,
        recent_acts,
        recent_well,
        RECENT_START,
        lambda oldest, newest: fetch_history_range(client, oldest, newest),
        FTP,
        settings,
        TODAY,
        NOW,
        rebuild=rebuild,
    )
    return Run(result, server.request_count() - before)


def _recent(client: IntervalsClient) -> tuple[list[Activity], list[Wellness]]:
    """The recent window as the latest.json fetch hands it to history."""
    acts = client.activities(RECENT_START.isoformat(), f"{TODAY.isoformat()}T23:59:59")
    well = client.wellness(RECENT_START.isoformat(), TODAY.isoformat())
    return parse_records(Activity, acts, "activity"), parse_records(Wellness, well, "wellness")


def _failing_after_first_chunk(
    fake_api: FakeIntervalsServer, client: IntervalsClient, calls: list[tuple[date, date]]
) -> Callable[[date, date], tuple[list[Activity], list[Wellness]]]:
    """A history range fetch whose second chunk meets one 503 (no retries in ``client``)."""

    def fetch(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        calls.append((oldest, newest))
        if len(calls) == 2:
            fake_api.faults.add(r"/activities$", "503")
        return fetch_history_range(client, oldest, newest)

    return fetch


def _day(file: HistoryFile, day: date) -> DailyRow:
    return next(r for r in file.daily_90d if r.date == day)


def _week(file: HistoryFile, day: date) -> WeeklyRow:
    return next(r for r in file.weekly_180d if r.week_start <= day <= r.week_end)


def _month(file: HistoryFile, day: date) -> MonthlyRow:
    # The tiers do not overlap: a month is in exactly one of them.
    months = file.monthly_3y + file.monthly_2y + file.monthly_1y
    return next(r for r in months if r.month == day.strftime("%Y-%m"))


def _v(value: float | None) -> float:
    """A total that must be present (the demo days are all fetched)."""
    assert value is not None
    return value


def _recent_activity(athlete: DemoAthlete, days_ago: int) -> dict[str, object]:
    """A demo activity with a load, dated ``days_ago`` days before today."""
    wanted = (TODAY - timedelta(days=days_ago)).isoformat()
    for act in athlete.activities:
        if str(act.get("start_date_local", "")).startswith(wanted) and act.get("icu_training_load"):
            return act
    raise AssertionError(f"the demo athlete has no activity with load on {wanted}")


def _find_activity_day(athlete: DemoAthlete, lo: int, hi: int) -> int:
    for n in range(lo, hi):
        try:
            _recent_activity(athlete, n)
        except AssertionError:
            continue
        return n
    raise AssertionError("no suitable demo activity")


# ------------------------------------------------------------------------------ cold / warm


def test_cold_build_fetches_three_years_in_at_most_six_requests(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    run = _sync(fake_api, None, _settings(tmp_path))
    # Older range: today−1095 … today−42 = 1054 days → chunks of 365 + 365 + 324 → 3 calls,
    # each one activities and one wellness request.
    assert run.result.fetched_ranges == 3
    assert run.history_requests == 6
    assert run.result.warnings == []
    file = run.file
    assert len(file.daily_90d) == 90
    assert file.daily_90d[0].date == TODAY - timedelta(days=89)
    assert file.daily_90d[-1].date == TODAY
    # The demo athlete has three years of data → 36 whole months → high confidence.
    assert file.history_confidence == "high"
    assert file.data_range.total_months >= 35
    # Every month from the first with data, at most 37; three years of data fill all three
    # tiers, each month in exactly one, and there is no separate `monthly` list.
    assert len(run.result.months) == 36
    assert file.monthly_3y + file.monthly_2y + file.monthly_1y == list(run.result.months)
    assert "monthly" not in file.model_dump()
    # 2026-11-21 − 365 days = 2025-11-21, − 730 = 2024-11-22: monthly_1y is 2025-11 …
    # 2026-11 (13 months), monthly_2y 2024-11 … 2025-10 (12), monthly_3y the 11 before.
    assert [len(file.monthly_1y), len(file.monthly_2y), len(file.monthly_3y)] == [13, 12, 11]
    assert [file.monthly_1y[0].month, file.monthly_2y[0].month] == ["2025-11", "2024-11"]
    assert file.monthly_2y[-1].month == "2025-10" and file.monthly_3y[-1].month == "2024-10"
    assert set(file.tiers) == {"daily_90d", "weekly_180d", "monthly_1y", "monthly_2y", "monthly_3y"}
    assert file.tiers["monthly_3y"].rows == 11
    # Each tier's bounds end the day before the next tier's first day.
    assert file.tiers["monthly_2y"].end == date(2025, 10, 31)
    assert file.tiers["monthly_3y"].end == date(2024, 10, 31)
    assert file.tiers["monthly_1y"].end == TODAY
    assert file.monthly_1y[-1].month == "2026-11" and file.monthly_1y[-1].complete is False
    # Weeks touching today−179 … today, Monday-aligned: 180 days → 26 or 27 weeks.
    assert 26 <= len(file.weekly_180d) <= 27
    assert file.weekly_180d[-1].complete is False
    assert all(row.complete for row in file.weekly_180d[:-1])
    # ramp_rate is the change of ctl_end from the week before (rounded to 0.1).
    ramps = [(w.ramp_rate, w.ctl_end, prev.ctl_end) for prev, w in pairwise(file.weekly_180d)]
    assert all(r == round(_v(c) - _v(p), 1) for r, c, p in ramps)
    # Finalized weeks carry a phase; the first row has only itself to look back on
    # (INSUFFICIENT_DATA -> null) and the running week has none yet. The demo athlete's
    # 3-up-1-down blocks show as Build and Deload weeks.
    phases = [row.phase_detected for row in file.weekly_180d]
    assert phases[0] is None and phases[-1] is None
    assert {"Build", "Deload"} <= set(phases)
    assert file.monthly_1y[-1].dominant_phase in set(phases) - {None}
    stored = run.result.state.phases
    assert stored[file.weekly_180d[-2].week_start] == file.weekly_180d[-2].phase_detected
    # Nothing failed, so no day is "no_data" and no gap says the API is missing.
    assert all(row.activity_count is not None for row in file.daily_90d)
    assert not [g for g in file.data_gaps if g.kind == "no_api_data"]
    # The schema generation the lead wires up relies on this.
    assert HistoryFile.model_json_schema()["title"] == "HistoryFile"


def test_rerun_with_nothing_new_makes_no_history_requests(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    second = _sync(fake_api, first.result.state, settings)
    assert second.result.fetched_ranges == 0
    assert second.history_requests == 0
    # Same inputs, same file (apart from nothing: generated_at is the injected NOW).
    assert second.file == first.file


def test_rebuild_refetches_everything(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    again = _sync(fake_api, first.result.state, settings, rebuild=True)
    assert again.result.fetched_ranges == 3
    assert again.history_requests == 6
    assert again.file == first.file


def test_state_survives_a_round_trip_on_disk(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    path = state_path(tmp_path)
    size = save_history_state(path, first.result.state)
    # Three years of the demo athlete (~1,000 activities, ~1,060 wellness days) stay well
    # under 350 kB in the compact layout (measured ≈ 217 kB of records + ≈ 75 kB of memo:
    # 1,096 days × ≈ 42 bytes + 27 weekly and 36 monthly rows).
    assert size < 350_000
    loaded, warnings = load_history_state(path, NOW)
    assert warnings == []
    assert loaded is not None
    assert loaded.activities == first.result.state.activities
    assert loaded.wellness == first.result.state.wellness
    assert loaded.covered == first.result.state.covered
    second = _sync(fake_api, loaded, settings)
    assert second.history_requests == 0
    assert second.file == first.file


# ------------------------------------------------------------------------------ changes


def test_late_upload_five_days_ago_appears_in_day_week_and_month(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    day = TODAY - timedelta(days=5)
    demo_athlete.add_activity(
        {
            "id": "i99000001",
            "start_date_local": f"{day.isoformat()}T18:00:00",
            "type": "Run",
            "icu_training_load": 55,
            "moving_time": 2700,
            "distance": 8000.0,
        }
    )
    second = _sync(fake_api, first.result.state, settings)
    assert second.history_requests == 0
    before, after = first.file, second.file
    # +55 load, +0.75 h (2700 s), +1 activity, in the day, its week and its month.
    assert _v(_day(after, day).total_tss) == pytest.approx(_v(_day(before, day).total_tss) + 55)
    assert _v(_day(after, day).total_hours) == pytest.approx(
        _v(_day(before, day).total_hours) + 0.75
    )
    assert _v(_day(after, day).activity_count) == _v(_day(before, day).activity_count) + 1
    assert "Run" in (_day(after, day).activity_types or [])
    assert _v(_week(after, day).total_tss) == pytest.approx(_v(_week(before, day).total_tss) + 55)
    assert _v(_week(after, day).activity_count) == _v(_week(before, day).activity_count) + 1
    assert _v(_month(after, day).total_tss) == pytest.approx(_v(_month(before, day).total_tss) + 55)
    assert _v(_month(after, day).activity_count) == _v(_month(before, day).activity_count) + 1
    assert after.summaries["90d"].total_activities == before.summaries["90d"].total_activities + 1


def test_deleted_activity_disappears(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    days_ago = _find_activity_day(demo_athlete, 8, 30)
    victim = _recent_activity(demo_athlete, days_ago)
    load = float(victim["icu_training_load"])  # type: ignore[arg-type]
    day = TODAY - timedelta(days=days_ago)
    demo_athlete.remove_activity(str(victim["id"]))
    second = _sync(fake_api, first.result.state, settings)
    assert str(victim["id"]) not in second.result.state.activities
    before, after = first.file, second.file
    assert _v(_day(after, day).activity_count) == _v(_day(before, day).activity_count) - 1
    assert _v(_day(after, day).total_tss) == pytest.approx(_v(_day(before, day).total_tss) - load)
    assert _v(_week(after, day).total_tss) == pytest.approx(_v(_week(before, day).total_tss) - load)
    assert _v(_month(after, day).total_tss) == pytest.approx(
        _v(_month(before, day).total_tss) - load
    )


def test_edited_load_updates_day_week_and_month(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    days_ago = _find_activity_day(demo_athlete, 2, 30)
    target = _recent_activity(demo_athlete, days_ago)
    old = float(target["icu_training_load"])  # type: ignore[arg-type]
    day = TODAY - timedelta(days=days_ago)
    demo_athlete.update_activity(str(target["id"]), icu_training_load=old + 40)
    second = _sync(fake_api, first.result.state, settings)
    before, after = first.file, second.file
    # Same number of activities, 40 more load everywhere the day counts.
    assert _v(_day(after, day).activity_count) == _v(_day(before, day).activity_count)
    assert _v(_day(after, day).total_tss) == pytest.approx(_v(_day(before, day).total_tss) + 40)
    assert _v(_week(after, day).total_tss) == pytest.approx(_v(_week(before, day).total_tss) + 40)
    assert _v(_month(after, day).total_tss) == pytest.approx(_v(_month(before, day).total_tss) + 40)


# ------------------------------------------------------------------------------ failures


def test_api_failure_during_cold_build_keeps_what_was_fetched(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    client = _client(fake_api, attempts=1)
    # The newest chunk succeeds, then the API fails (one 503, no retries in this client).
    calls: list[tuple[date, date]] = []

    failing_after_first = _failing_after_first_chunk(fake_api, client, calls)
    recent_acts, recent_well = _recent(client)
    result = update_history(
        None, recent_acts, recent_well, RECENT_START, failing_after_first, FTP, settings,
        TODAY, NOW,
    )  # fmt: skip
    # Chunk 1 = today−406 … today−42 (365 days) was fetched; chunk 2 failed; chunk 3 was
    # not tried. The missing days are today−1095 … today−407 = 689 days.
    assert len(calls) == 2
    assert result.fetched_ranges == 2
    assert len(result.warnings) == 1 and "no data from the API" in result.warnings[0]
    missing = [g for g in result.file.data_gaps if g.kind == "no_api_data"]
    assert [(g.start, g.end, g.days_missing) for g in missing] == [
        (TODAY - timedelta(days=1095), TODAY - timedelta(days=407), 689)
    ]
    # Months start with the first data (today−406 = 2025-10-11); that month's first ten
    # days were never fetched and say so instead of counting as rest.
    oldest_month = result.months[0]
    assert oldest_month.month == "2025-10"
    assert oldest_month.no_data_days == 10

    # Next run: only the two missing chunks are fetched (4 requests) and the gap is gone.
    fake_api.faults.clear()
    retry = _sync(fake_api, result.state, settings, client=client)
    assert retry.result.fetched_ranges == 2
    assert retry.history_requests == 4
    assert not [g for g in retry.file.data_gaps if g.kind == "no_api_data"]
    assert len(retry.result.months) == 36


def test_rebuild_that_fails_keeps_the_stored_days(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    first = _sync(fake_api, None, settings)
    client = _client(fake_api, attempts=1)
    calls: list[tuple[date, date]] = []

    failing_after_first = _failing_after_first_chunk(fake_api, client, calls)
    recent_acts, recent_well = _recent(client)
    result = update_history(
        first.result.state, recent_acts, recent_well, RECENT_START, failing_after_first, FTP,
        settings, TODAY, NOW, rebuild=True,
    )  # fmt: skip
    fake_api.faults.clear()
    # --rebuild-history: chunk 1 (today−406 … today−42) was refetched, chunk 2 failed and
    # chunk 3 was not tried. The 689 days today−1095 … today−407 held by the stored state
    # are not thrown away: no day turns into "no data from the API", and the file is the
    # one the full build gave (the demo data did not change).
    assert len(calls) == 2
    assert len(result.warnings) == 1 and "kept" in result.warnings[0]
    assert not [g for g in result.file.data_gaps if g.kind == "no_api_data"]
    assert result.state.covered == first.result.state.covered
    assert result.state.activities == first.result.state.activities
    assert result.state.wellness == first.result.state.wellness
    assert result.file == first.file


def test_corrupt_state_is_moved_aside_and_rebuilt(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    path = state_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"state_version": 1, "activities": [[')
    state, warnings = load_history_state(path, NOW)
    assert state is None
    assert len(warnings) == 1 and "rebuilt" in warnings[0]
    assert not path.exists()
    aside = list(path.parent.glob("history-state.json.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].read_bytes() == b'{"state_version": 1, "activities": [['
    run = _sync(fake_api, state, _settings(tmp_path))
    assert run.result.fetched_ranges == 3


def test_state_from_another_layout_is_moved_aside(tmp_path: Path) -> None:
    path = state_path(tmp_path)
    write_json_atomic(path, {"state_version": 2, "rows": []})
    state, warnings = load_history_state(path, NOW)
    assert state is None
    assert len(warnings) == 1 and "cannot read" not in warnings[0]
    assert "not a history state this version can read" in warnings[0]
    assert list(path.parent.glob("history-state.json.corrupt-*"))


def test_corrupt_or_outdated_history_json_is_moved_aside(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    good = _sync(fake_api, None, _settings(tmp_path)).file
    path = tmp_path / "history.json"
    write_json_atomic(path, good)
    loaded, warnings = load_history_file(path, NOW)
    assert loaded == good and warnings == []

    path.write_text("{not json", encoding="utf-8")
    loaded, warnings = load_history_file(path, NOW)
    assert loaded is None and len(warnings) == 1
    assert not path.exists()

    # A file written by the reference script (no schema_version, other tiers).
    write_json_atomic(path, {"generated_at": "2026-11-21T20:00:00", "monthly_1y": []})
    loaded, warnings = load_history_file(path, NOW)
    assert loaded is None and "schema" in warnings[0]
    assert len(list(tmp_path.glob("history.json.corrupt-*"))) == 2


def test_a_history_json_of_the_earlier_layout_is_read_quietly(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    # Earlier versions also wrote `monthly` (the rows of monthly_3y) and data_gaps rows
    # with `days` instead of `period` / `days_missing`: such a file is rewritten by the
    # run, not set aside as corrupt with a warning.
    good = _sync(fake_api, None, _settings(tmp_path)).file
    earlier = good.model_dump(mode="json")
    earlier["monthly"] = earlier["monthly_3y"]
    earlier["data_gaps"] = [
        {"start": g["start"], "end": g["end"], "days": g["days_missing"], "kind": g["kind"]}
        for g in earlier["data_gaps"]
    ]
    assert earlier["data_gaps"]  # the demo athlete has gaps, so the old rows are there
    # They also wrote keys that repeated others of the same row, and a missing display
    # value as {"value": null, "unit": …}.
    for day in earlier["daily_90d"]:
        day["data_status"] = "activity" if day["activity_count"] else "rest"
        if day["display"]["weight"] is None:
            day["display"]["weight"] = {"value": None, "unit": "kg"}
    assert any(day["weight_kg"] is None for day in earlier["daily_90d"])  # days to upgrade
    for week in earlier["weekly_180d"]:
        week["ramp"] = week["ramp_rate"]
        week["seiler_tid"].update(z1_seconds=1, z2_seconds=2, z3_seconds=3, sport=None)
        week["seiler_tid"]["zone_basis"] = week["zone_basis"]
    for month in earlier["monthly_1y"] + earlier["monthly_2y"] + earlier["monthly_3y"]:
        month["sport_tss_breakdown"] = {"cycling": 1.0}
    path = tmp_path / "history.json"
    write_json_atomic(path, earlier)
    loaded, warnings = load_history_file(path, NOW)
    assert loaded == good and warnings == []
    assert path.exists() and not list(tmp_path.glob("history.json.corrupt-*"))

    # Their monthly tiers overlapped (1y ⊂ 2y ⊂ 3y): such a file reads quietly too.
    earlier["monthly_2y"] = earlier["monthly_2y"] + earlier["monthly_1y"]
    write_json_atomic(path, earlier)
    loaded, warnings = load_history_file(path, NOW)
    assert loaded is not None and warnings == []


def test_missing_state_is_a_quiet_cold_start(tmp_path: Path) -> None:
    assert load_history_state(state_path(tmp_path), NOW) == (None, [])


# ------------------------------------------------------------------------------ tiers


def test_tiers_agree_on_demo_data(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    file = _sync(fake_api, None, _settings(tmp_path)).file
    daily = {row.date: row for row in file.daily_90d}
    checked_weeks = 0
    for week in file.weekly_180d:
        days = [week.week_start + timedelta(days=i) for i in range(7)]
        if not all(d in daily for d in days if d <= TODAY):
            continue  # only weeks whose days are all in daily_90d
        rows = [daily[d] for d in days if d <= TODAY]
        assert week.total_tss == round(sum(r.total_tss or 0 for r in rows), 1)
        assert week.total_hours == round(sum(r.total_hours or 0 for r in rows), 2)
        assert week.activity_count == sum(r.activity_count or 0 for r in rows)
        assert week.hard_days == sum(1 for r in rows if r.is_hard_day)
        checked_weeks += 1
    # daily_90d holds 90 days → at least 12 whole weeks plus the current one.
    assert checked_weeks >= 12

    checked_months = 0
    for month in file.monthly_1y:
        first = date.fromisoformat(f"{month.month}-01")
        if first not in daily:
            continue  # months that start inside daily_90d: 2026-09, 2026-10, 2026-11
        rows = [r for d, r in daily.items() if d.strftime("%Y-%m") == month.month]
        assert month.total_tss == round(sum(r.total_tss or 0 for r in rows), 1)
        assert month.activity_count == sum(r.activity_count or 0 for r in rows)
        # Whole weeks inside the month plus the days of the weeks that straddle its edges.
        inside = [
            w
            for w in file.weekly_180d
            if w.week_start >= first and w.week_end.strftime("%Y-%m") == month.month
        ]
        covered = {w.week_start + timedelta(days=i) for w in inside for i in range(7)}
        edges = [r for r in rows if r.date not in covered]
        assert month.total_tss == round(
            sum(w.total_tss or 0 for w in inside) + sum(r.total_tss or 0 for r in edges), 1
        )
        checked_months += 1
    assert checked_months == 3


def test_week_start_sunday_aligns_rows(fake_api: FakeIntervalsServer, tmp_path: Path) -> None:
    file = _sync(fake_api, None, _settings(tmp_path, week_start=6)).file
    assert file.week_start == "sun"
    assert all(row.week_start.weekday() == 6 for row in file.weekly_180d)
    assert all(row.week_end == row.week_start + timedelta(days=6) for row in file.weekly_180d)
    # 2026-11-21 is a Saturday: the current Sunday week is 2026-11-15 … 2026-11-21.
    assert file.weekly_180d[-1].week_start == date(2026, 11, 15)
    assert file.weekly_180d[0].week_start <= TODAY - timedelta(days=179)
    daily = {row.date: row for row in file.daily_90d}
    last_full = file.weekly_180d[-2]
    rows = [daily[last_full.week_start + timedelta(days=i)] for i in range(7)]
    assert last_full.total_tss == round(sum(r.total_tss or 0 for r in rows), 1)
