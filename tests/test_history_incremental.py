"""history.json built with the memo of the previous run is byte-identical to a full build.

The memo (outputs/history_memo.py) keeps per-day facts and finished weekly and monthly rows
in the history state, keyed by digests of their inputs. These tests sync over real HTTP
against the fake Intervals.icu and compare every build that reused the memo with a build
of the same state without it; they also show the memo is reused for unchanged periods
only, and that a damaged, foreign or outdated memo is dropped, never trusted.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from section11 import __version__
from section11.cli import main
from section11.clock import FixedClock
from section11.config import Secret, Settings
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, DemoAthlete, FakeIntervalsServer
from section11.outputs.history import (
    HistoryResult,
    HistoryState,
    build_history_file,
    daily_rows,
    load_history_state,
    save_history_state,
    state_path,
    update_history,
)
from section11.outputs.history_memo import HistoryMemo
from section11.outputs.history_models import HistoryFile, MonthlyRow
from section11.outputs.history_store import ActivityRecord, dump_state
from section11.sources.intervals_icu.client import IntervalsClient, RetryPolicy
from section11.sources.intervals_icu.fetch import fetch_history_range
from section11.sources.intervals_icu.models import Activity, Wellness, parse_records

TODAY = date(2026, 11, 21)  # the demo athlete's "today" (tests/conftest.py), a Saturday
RECENT_START = TODAY - timedelta(days=41)  # the pipeline's 42-day recent window
NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
FTP = {"2024-01-10": 240, "2026-06-01": 255}


def run_cli(args: list[str], server: FakeIntervalsServer, tmp_path: Path) -> int:
    """One sync through the command line, against the fake server, with no config file."""
    empty_config = tmp_path / "empty-config.json"
    empty_config.write_text("{}")
    env = {
        "SECTION11_CONFIG": str(empty_config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": server.base_url,
    }
    return main(args, env=env, clock=FixedClock(NOW))


def _settings(tmp_path: Path, **changes: Any) -> Settings:
    settings = Settings(
        athlete_id=DEMO_ATHLETE_ID, intervals_key=Secret(DEMO_API_KEY), output_dir=tmp_path
    )
    return replace(settings, **changes)


def _client(server: FakeIntervalsServer) -> IntervalsClient:
    return IntervalsClient(
        server.base_url,
        DEMO_ATHLETE_ID,
        Secret(DEMO_API_KEY),
        retry=RetryPolicy(max_attempts=1),
        sleep=lambda seconds: None,
    )


Fetch = Callable[[date, date], tuple[list[Activity], list[Wellness]]]


def _sync(
    server: FakeIntervalsServer,
    previous: HistoryState | None,
    settings: Settings,
    *,
    rebuild: bool = False,
    fetch: Fetch | None = None,
) -> HistoryResult:
    with _client(server) as client:
        acts = client.activities(RECENT_START.isoformat(), f"{TODAY.isoformat()}T23:59:59")
        well = client.wellness(RECENT_START.isoformat(), TODAY.isoformat())
        return update_history(
            previous,
            parse_records(Activity, acts, "activity"),
            parse_records(Wellness, well, "wellness"),
            RECENT_START,
            fetch or (lambda oldest, newest: fetch_history_range(client, oldest, newest)),
            FTP,
            settings,
            TODAY,
            NOW,
            rebuild=rebuild,
        )


def _on_disk(state: HistoryState, tmp_path: Path) -> HistoryState:
    """The state as the next run reads it back (the memo goes through the file too)."""
    path = state_path(tmp_path)
    save_history_state(path, state)
    loaded, warnings = load_history_state(path, NOW)
    assert loaded is not None and warnings == []
    return loaded


def _build(state: HistoryState, settings: Settings) -> HistoryFile:
    return build_history_file(state, settings, TODAY, NOW, FTP)


def _bytes(file: HistoryFile) -> str:
    return file.model_dump_json()


def _record_on(state: HistoryState, day: date) -> ActivityRecord:
    """An activity of ``day`` with a whole-number load."""
    for record in sorted(state.activities.values(), key=lambda r: r.id):
        if record.day == day and record.load is not None and record.load.is_integer():
            return record
    raise AssertionError(f"no activity with a load on {day}")


def _with_record(state: HistoryState, record: ActivityRecord) -> HistoryState:
    """``state`` with one record replaced or added; the memo is kept as it was."""
    activities = {**state.activities, record.id: record}
    return HistoryState.of(
        activities, state.wellness, state.covered, state.updated_at, state.phases, state.memo
    )


@pytest.fixture
def first(fake_api: FakeIntervalsServer, tmp_path: Path) -> HistoryState:
    """The state after a cold sync, read back from disk, memo included."""
    state = _on_disk(_sync(fake_api, None, _settings(tmp_path)).state, tmp_path)
    assert state.memo, "a build leaves a memo for the next run"
    return state


# ------------------------------------------------------------------------------ identical


def test_rerun_with_the_memo_writes_the_same_file_and_state_as_without(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, first: HistoryState, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    # A new activity today and an edited one three days ago (inside the recent window).
    demo_athlete.add_activity(
        {
            "id": "i99000001",
            "start_date_local": f"{TODAY.isoformat()}T06:10:00",
            "type": "Run",
            "icu_training_load": 40,
            "moving_time": 2400,
            "distance": 7000.0,
        }
    )
    recent = next(
        a
        for a in demo_athlete.activities
        if a["start_date_local"].startswith((TODAY - timedelta(days=3)).isoformat())
        and a.get("icu_training_load")
    )
    demo_athlete.update_activity(recent["id"], icu_training_load=recent["icu_training_load"] + 25)

    with_memo = _sync(fake_api, first, settings)
    without = _sync(fake_api, first.without_memo(), settings)

    assert _bytes(with_memo.file) == _bytes(without.file)
    # The memo the next run gets does not depend on whether this one reused anything.
    assert dump_state(with_memo.state) == dump_state(without.state)
    # The dashboard's year of daily rows, from the shared days, equals a separate build.
    shared = [r.model_dump_json() for r in with_memo.daily_rows(365)]
    separate = [r.model_dump_json() for r in daily_rows(without.state, settings, TODAY, 365, FTP)]
    assert shared == separate
    # 365 rows ending today; the last 90 are history.json's own daily rows.
    assert len(shared) == 365
    assert shared[-90:] == [r.model_dump_json() for r in with_memo.file.daily_90d]


def test_old_range_filled_later_builds_the_same_file_as_without_the_memo(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    """The first run gets only the newest history chunk (the second one meets a 503); an
    activity in the missing range is edited before the next run fetches it: the months the
    memo held as "no data" are recomputed."""
    settings = _settings(tmp_path)
    calls: list[tuple[date, date]] = []

    def failing(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        calls.append((oldest, newest))
        if len(calls) == 2:
            fake_api.faults.add(r"/activities$", "503")
        with _client(fake_api) as client:
            return fetch_history_range(client, oldest, newest)

    partial = _sync(fake_api, None, settings, fetch=failing)
    # Chunks, newest first: today−406 … today−42, then today−771 … today−407 (fails).
    assert len(calls) == 2 and partial.warnings
    previous = _on_disk(partial.state, tmp_path)
    old_day = TODAY - timedelta(days=500)  # inside the range the first run missed
    assert not previous.is_covered(old_day)
    old = next(
        a
        for a in demo_athlete.activities
        if a["start_date_local"].startswith(old_day.isoformat()) and a.get("icu_training_load")
    )
    demo_athlete.update_activity(old["id"], icu_training_load=old["icu_training_load"] + 40)

    with_memo = _sync(fake_api, previous, settings)
    without = _sync(fake_api, previous.without_memo(), settings)

    assert _bytes(with_memo.file) == _bytes(without.file)
    assert dump_state(with_memo.state) == dump_state(without.state)
    month = next(m for m in with_memo.months if m.month == old_day.strftime("%Y-%m"))
    assert month.no_data_days == 0  # the month the first run could not fetch is now complete


# ------------------------------------------------------------------------------ exact rows


def test_edited_old_activity_changes_exactly_the_rows_it_should(
    first: HistoryState, tmp_path: Path
) -> None:
    """One activity 120 days back gains 40 load: its week, its month and the summaries that
    reach back that far change by 40; the daily tier (90 days) and other months do not."""
    settings = _settings(tmp_path)
    old_day = TODAY - timedelta(days=120)  # 2026-07-24: inside weekly_180d, outside daily_90d
    record = _record_on(first, old_day)
    assert record.load is not None
    edited = _with_record(first, replace(record, load=record.load + 40))

    before = _build(first, settings)
    after = _build(edited, settings)
    assert _bytes(after) == _bytes(_build(edited.without_memo(), settings))

    assert [r.model_dump() for r in after.daily_90d] == [r.model_dump() for r in before.daily_90d]
    week_of = {r.week_start: r for r in before.weekly_180d}
    changed_weeks = [r for r in after.weekly_180d if r != week_of[r.week_start]]
    own = next(r for r in changed_weeks if r.week_start <= old_day <= r.week_end)
    old_own = week_of[own.week_start]
    # Loads are whole numbers, so the week's total is exactly 40 higher: T + 40.
    assert own.total_tss == pytest.approx(_num(old_own.total_tss) + 40)
    family = record.family
    assert own.sport_tss_breakdown[family] == pytest.approx(
        old_own.sport_tss_breakdown[family] + 40
    )
    # Every other changed week only changed its ACWR: its 28-day window (week end − 27 …
    # week end) holds the edited day.
    for row in changed_weeks:
        if row is own:
            continue
        assert row.week_end - timedelta(days=27) <= old_day <= row.week_end
        assert row.model_copy(update={"acwr": None}) == week_of[row.week_start].model_copy(
            update={"acwr": None}
        )

    def every_month(file: HistoryFile) -> list[MonthlyRow]:
        return file.monthly_3y + file.monthly_2y + file.monthly_1y

    month_of = {m.month: m for m in every_month(before)}
    changed_months = [m.month for m in every_month(after) if m != month_of[m.month]]
    assert changed_months == ["2026-07"]
    july = next(m for m in every_month(after) if m.month == "2026-07")
    assert july.total_tss == pytest.approx(_num(month_of["2026-07"].total_tss) + 40)

    # Windows ending today: 90 days reach back to 2026-08-24 (not the edited day); 180 days,
    # 1, 2 and 3 years hold it: +40 each.
    for name, summary in after.summaries.items():
        delta = _num(summary.total_tss) - _num(before.summaries[name].total_tss)
        assert delta == pytest.approx(0 if name == "90d" else 40), name


def _num(value: float | None) -> float:
    assert value is not None
    return value


# ------------------------------------------------------------------------------ reuse


def _poisoned(state: HistoryState, week_start: date, total_tss: float) -> HistoryState:
    """``state`` whose memoized row of ``week_start`` says ``total_tss`` under its key."""
    key, row = state.memo.weeks[week_start]
    weeks = {**state.memo.weeks, week_start: (key, {**row, "total_tss": total_tss})}
    memo = HistoryMemo(days=state.memo.days, weeks=weeks, months=state.memo.months)
    return HistoryState.of(
        state.activities, state.wellness, state.covered, state.updated_at, state.phases, memo
    )


def test_memo_is_reused_for_unchanged_weeks_only(first: HistoryState, tmp_path: Path) -> None:
    """A memoized row whose inputs did not change is taken as it is (here a marked value
    shows it was not recomputed); one activity edited in that week makes it recomputed."""
    settings = _settings(tmp_path)
    week_start = TODAY - timedelta(days=124)  # Monday 2026-07-20, a finished week
    assert week_start.weekday() == 0
    poisoned = _poisoned(first, week_start, 9999.9)

    reused = next(r for r in _build(poisoned, settings).weekly_180d if r.week_start == week_start)
    assert reused.total_tss == 9999.9

    record = _record_on(first, week_start + timedelta(days=4))
    assert record.load is not None
    edited = _with_record(poisoned, replace(record, load=record.load + 1))
    recomputed = next(r for r in _build(edited, settings).weekly_180d if r.week_start == week_start)
    truth = next(r for r in _build(first, settings).weekly_180d if r.week_start == week_start)
    # The true total plus the 1 load added: T + 1.
    assert recomputed.total_tss == pytest.approx(_num(truth.total_tss) + 1)


def test_other_settings_do_not_reuse_the_memo(first: HistoryState, tmp_path: Path) -> None:
    """Weeks starting on Sunday, or HR zones for cycling: every row is keyed differently,
    so nothing memoized under Monday weeks and power zones is taken."""
    for settings in (
        _settings(tmp_path, week_start=6),
        _settings(tmp_path, zone_preference={"cycling": "hr"}),
    ):
        assert _bytes(_build(first, settings)) == _bytes(_build(first.without_memo(), settings))


def test_rebuild_history_ignores_the_memo(
    fake_api: FakeIntervalsServer, first: HistoryState, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    week_start = TODAY - timedelta(days=124)
    rebuilt = _sync(fake_api, _poisoned(first, week_start, 9999.9), settings, rebuild=True)
    row = next(r for r in rebuilt.file.weekly_180d if r.week_start == week_start)
    assert row.total_tss != 9999.9
    assert _bytes(rebuilt.file) == _bytes(_sync(fake_api, None, settings).file)


# ------------------------------------------------------------------------------ damaged memo


def _stored(tmp_path: Path, state: HistoryState) -> dict[str, Any]:
    path = state_path(tmp_path)
    save_history_state(path, state)
    doc: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return doc


def _reload(tmp_path: Path, doc: dict[str, Any]) -> HistoryState:
    path = state_path(tmp_path)
    path.write_text(json.dumps(doc), "utf-8")
    loaded, warnings = load_history_state(path, NOW)
    # A damaged memo never costs the stored activities: the state itself is read.
    assert loaded is not None and warnings == []
    return loaded


def _edit_week_total(doc: dict[str, Any]) -> None:
    memo = doc["memo"]
    column = memo["week_fields"].index("total_tss")
    first_week = next(iter(memo["weeks"].values()))
    first_week[1][column] = 9999.9


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_edit_week_total, id="value edited, seal not"),
        pytest.param(lambda doc: doc["memo"].update(program="0.0.1"), id="other program version"),
        pytest.param(
            lambda doc: doc["memo"].update(program=f"{__version__}+0000000000000000"),
            id="same version, other code",
        ),
        pytest.param(lambda doc: doc["memo"].update(version=99), id="other memo layout"),
        pytest.param(lambda doc: doc["memo"]["days"].pop(), id="truncated"),
        pytest.param(lambda doc: doc.update(memo="not a memo"), id="not an object"),
        pytest.param(lambda doc: doc["memo"].update(days={"x": 1}), id="wrong types"),
    ],
)
def test_damaged_memo_is_dropped_and_rebuilt(
    first: HistoryState, tmp_path: Path, damage: Callable[[dict[str, Any]], object]
) -> None:
    settings = _settings(tmp_path)
    doc = _stored(tmp_path, first)
    damage(doc)
    loaded = _reload(tmp_path, doc)
    assert not loaded.memo
    assert len(loaded.activities) == len(first.activities)
    assert _bytes(_build(loaded, settings)) == _bytes(_build(first.without_memo(), settings))


def test_memo_with_a_valid_seal_but_other_fields_is_dropped(
    first: HistoryState, tmp_path: Path
) -> None:
    """A memo written when a row had other fields (another version's rows) is not read,
    even when its seal matches its content."""
    from section11.outputs.history_memo import digest

    doc = _stored(tmp_path, first)
    memo = doc["memo"]
    memo["week_fields"] = [*memo["week_fields"][:-1], "renamed_field"]
    body = {k: memo[k] for k in ("first_day", "days", "week_fields", "weeks", "month_fields")}
    memo["seal"] = digest({**body, "months": memo["months"]})
    assert not _reload(tmp_path, doc).memo


def test_foreign_memo_is_not_trusted(first: HistoryState, tmp_path: Path) -> None:
    """The memo of another state (every activity's load +1, e.g. another account) keeps a
    valid seal, but none of its keys match this state's inputs: nothing is reused."""
    other = HistoryState.of(
        {
            k: replace(r, load=r.load + 1 if r.load is not None else None)
            for k, r in first.activities.items()
        },
        first.wellness,
        first.covered,
        first.updated_at,
        first.phases,
    )
    settings = _settings(tmp_path)
    foreign_memo = _on_disk(
        HistoryState.of(
            other.activities,
            other.wellness,
            other.covered,
            other.updated_at,
            other.phases,
            _sync_memo(other, settings),
        ),
        tmp_path,
    ).memo
    assert foreign_memo
    mixed = HistoryState.of(
        first.activities,
        first.wellness,
        first.covered,
        first.updated_at,
        first.phases,
        foreign_memo,
    )
    assert _bytes(_build(mixed, settings)) == _bytes(_build(first.without_memo(), settings))


def _sync_memo(state: HistoryState, settings: Settings) -> HistoryMemo:
    """The memo a run over ``state`` leaves (no requests: nothing is missing)."""

    def no_fetch(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        raise AssertionError(f"no fetch expected ({oldest} … {newest})")

    result = update_history(state, [], [], TODAY, no_fetch, FTP, settings, TODAY, NOW)
    return result.state.memo


# ------------------------------------------------------------------------------ whole sync


def test_sync_with_and_without_the_memo_writes_the_same_files(
    fake_api: FakeIntervalsServer, demo_athlete: DemoAthlete, tmp_path: Path
) -> None:
    """Two real syncs (the CLI, fake server): the second after a new activity. Run once
    from the stored state with its memo and once from a copy whose memo was removed: the
    files and the dashboard are the same."""
    out = tmp_path / "out"
    assert run_cli(["--output-dir", str(out)], fake_api, tmp_path) == 0
    bare = tmp_path / "bare"
    shutil.copytree(out, bare)
    state_file = state_path(bare)
    doc = json.loads(state_file.read_text("utf-8"))
    assert "memo" in doc
    del doc["memo"]
    state_file.write_text(json.dumps(doc), "utf-8")

    demo_athlete.add_activity(
        {
            "id": "i99000002",
            "start_date_local": f"{TODAY.isoformat()}T07:00:00",
            "type": "Ride",
            "icu_training_load": 55,
            "moving_time": 3600,
            "distance": 30000.0,
        }
    )
    for folder in (out, bare):
        assert run_cli(["--output-dir", str(folder)], fake_api, tmp_path) == 0
    for name in ("history.json", "latest.json", "dashboard.html"):
        assert (out / name).read_bytes() == (bare / name).read_bytes(), name
    assert state_path(out).read_bytes() == state_path(bare).read_bytes()
