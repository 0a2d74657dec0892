"""history.json tiers on small hand-built records, where every number can be worked out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from section11.config import Settings
from section11.errors import ApiUnavailableError
from section11.outputs.history import FetchRange, HistoryResult, history_block, update_history
from section11.outputs.history_models import HistoryFile, WeeklyRow
from section11.sources.intervals_icu.models import Activity, Wellness

TODAY = date(2025, 3, 19)  # a Wednesday
RECENT_START = TODAY - timedelta(days=41)  # 2025-02-06
NOW = datetime(2025, 3, 19, 6, 0, tzinfo=UTC)
SETTINGS = Settings(athlete_id=None, intervals_key=None, output_dir=Path("."))


def _act(
    act_id: str, day: date, load: float | None, *, secs: float = 3600, kind: str = "Ride"
) -> Activity:
    return Activity.model_validate(
        {
            "id": act_id,
            "start_date_local": f"{day.isoformat()}T08:00:00",
            "type": kind,
            "icu_training_load": load,
            "moving_time": secs,
        }
    )


def _well(day: date, **fields: float | None) -> Wellness:
    return Wellness.model_validate({"id": day.isoformat(), **fields})


def _days(start: date, end: date) -> Iterable[date]:
    for n in range((end - start).days + 1):
        yield start + timedelta(days=n)


def _nothing_older(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
    """The API answers for older days, with nothing in them (a new athlete)."""
    return [], []


def _must_not_fetch(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
    raise AssertionError(f"unexpected fetch {oldest} … {newest}")


def _build(
    activities: Sequence[Activity],
    wellness: Sequence[Wellness] = (),
    *,
    fetch: FetchRange = _nothing_older,
    settings: Settings = SETTINGS,
    today: date = TODAY,
    recent_start: date = RECENT_START,
    previous: HistoryResult | None = None,
) -> HistoryResult:
    return update_history(
        previous.state if previous else None,
        activities,
        wellness,
        recent_start,
        fetch,
        {"2024-06-01": 250, "2025-03-01": 262},
        settings,
        today,
        NOW,
    )


def _week(file: HistoryFile, start: date) -> WeeklyRow:
    return next(row for row in file.weekly_180d if row.week_start == start)


# ------------------------------------------------------------------------------ ACWR


def test_weekly_acwr_is_the_7_over_28_definition_at_the_weeks_last_day() -> None:
    # Load 10 every day 2025-02-17 … 03-09 (21 days), 40 every day 03-10 … 03-16 (7 days).
    acts = [_act(f"a{d}", d, 10) for d in _days(date(2025, 2, 17), date(2025, 3, 9))]
    acts += [_act(f"b{d}", d, 40) for d in _days(date(2025, 3, 10), date(2025, 3, 16))]
    file = _build(acts).file
    done = _week(file, date(2025, 3, 10))
    # 28 days ending Sun 03-16: acute = 40; chronic = (21·10 + 7·40) / 28 = 490/28 = 17.5;
    # 40 / 17.5 = 2.2857 → 2.29. (The reference's 7-vs-preceding-21 would give 40/10 = 4.0.)
    assert done.acwr == 2.29
    # Current week, evaluated at today (Wed 03-19): window 02-20 … 03-19.
    # acute = 03-13 … 03-19 = 4·40 + 3·0 = 160 → 160/7; chronic = 18·10 + 7·40 = 460 → 460/28;
    # (160/7) / (460/28) = 4480/3220 = 1.391 → 1.39.
    current = _week(file, date(2025, 3, 17))
    assert current.complete is False
    assert current.acwr == 1.39
    # Monotony only for complete weeks: 7 equal days of 40 have no spread → None, strain None.
    assert done.monotony is None and done.strain is None
    assert current.monotony is None
    assert done.total_tss == 280.0  # 7 · 40
    assert done.activity_count == 7


def test_monotony_and_strain_of_a_complete_week() -> None:
    # Week Mon 03-10 … Sun 03-16 with loads 100, 0, 50, 0, 100, 0, 50.
    loads = [100, 0, 50, 0, 100, 0, 50]
    acts = [
        _act(f"m{i}", date(2025, 3, 10) + timedelta(days=i), load)
        for i, load in enumerate(loads)
        if load
    ]
    row = _week(_build(acts).file, date(2025, 3, 10))
    # mean = 300/7 = 42.857; sample stdev = sqrt(Σ(x−mean)²/6):
    # (57.143² · 2 + 7.143² · 2 + 42.857² · 3) / 6 = (6530.6 + 102.0 + 5510.2) / 6 = 2023.8
    # → stdev 44.99; monotony = 42.857 / 44.99 = 0.95; strain = 300 · 0.95 = 285.
    assert row.monotony == 0.95
    assert row.strain == 285.0
    assert row.primary_sport == "cycling"
    assert row.sport_tss_breakdown == {"cycling": 300.0}
    assert row.sport_hours_breakdown == {"cycling": 4.0}


# ------------------------------------------------------------------------------ statuses, gaps


def test_days_tell_activity_rest_and_no_data_apart() -> None:
    def api_down(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        raise ApiUnavailableError("Intervals.icu did not answer (HTTP 503) after 6 attempts")

    acts = [_act("x1", date(2025, 3, 1), 0.0)]  # a genuine 0 load is still an activity
    result = _build(acts, fetch=api_down)
    file = result.file
    rows = {r.date: r for r in file.daily_90d}
    # Before the recent window nothing was fetched: null totals and count, not zeros.
    assert rows[date(2025, 2, 5)].total_tss is None
    assert rows[date(2025, 2, 5)].activity_count is None
    # A rest day the API answered for: a count of 0 and a load of 0.
    assert rows[date(2025, 2, 6)].activity_count == 0
    assert rows[date(2025, 2, 6)].total_tss == 0.0
    assert rows[date(2025, 3, 1)].total_tss == 0.0
    assert rows[date(2025, 3, 1)].activity_count == 1
    assert len(result.warnings) == 1 and "HTTP 503" in result.warnings[0]
    # The week Mon 02-03 … Sun 02-09: 02-03 … 02-05 were not fetched (no_data_days 3),
    # 02-06 … 02-09 are rest days; its ACWR window reaches into unfetched days → None.
    week = _week(file, date(2025, 2, 3))
    assert week.no_data_days == 3
    assert week.total_tss == 0.0
    assert week.acwr is None
    # Whole weeks before the fetched range have no totals at all.
    early = _week(file, date(2025, 1, 6))
    assert early.no_data_days == 7 and early.total_tss is None and early.activity_count is None


def test_data_gaps_kinds() -> None:
    wellness_days = list(_days(RECENT_START, TODAY))
    no_activity = set(_days(date(2025, 2, 20), date(2025, 2, 23)))  # 4 days: reported
    short_break = set(_days(date(2025, 3, 1), date(2025, 3, 2)))  # 2 days: too short
    acts = [
        _act(f"g{d}", d, 30)
        for d in _days(RECENT_START, TODAY)
        if d not in no_activity and d not in short_break
    ]
    no_wellness = set(_days(date(2025, 3, 5), date(2025, 3, 6)))
    wellness = [
        _well(d, ctl=40.0, atl=45.0, hrv=60.0)
        for d in wellness_days
        if d not in no_wellness and d != date(2025, 3, 7)
    ]
    # 03-07 has a record, but only the CTL/ATL Intervals.icu computes: nothing measured.
    wellness.append(_well(date(2025, 3, 7), ctl=40.0, atl=44.0))

    def first_chunk_fails(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        if newest == RECENT_START - timedelta(days=1):
            raise ApiUnavailableError("Intervals.icu did not answer")
        return [], []

    gaps = _build(acts, wellness, fetch=first_chunk_fails).file.data_gaps
    by_kind = {(g.kind, g.start, g.end, g.days_missing) for g in gaps}
    horizon = TODAY - timedelta(days=1095)
    assert by_kind == {
        # Everything older than the recent window: the first (newest) chunk failed and the
        # rest were not tried. today−1095 … 02-05 = 1096 − 42 = 1054 days.
        ("no_api_data", horizon, date(2025, 2, 5), 1054),
        ("no_activity", date(2025, 2, 20), date(2025, 2, 23), 4),
        ("no_wellness", date(2025, 3, 5), date(2025, 3, 7), 3),
    }
    # The reference's names are there too: the season report lists "period, days_missing".
    no_activity_gap = next(g for g in gaps if g.kind == "no_activity")
    assert no_activity_gap.model_dump(mode="json") == {
        "period": "2025-02-20 to 2025-02-23",
        "days_missing": 4,
        "start": "2025-02-20",
        "end": "2025-02-23",
        "kind": "no_activity",
    }


# ------------------------------------------------------------------------------ incremental


def test_rest_days_before_the_first_activity_are_not_gaps() -> None:
    acts = [_act("only", date(2025, 3, 18), 50)]
    file = _build(acts).file
    assert [g for g in file.data_gaps if g.kind == "no_activity"] == []
    assert file.data_range.earliest == date(2025, 3, 18)
    assert file.data_range.total_months == 0  # 2 days / 30.44
    assert file.history_confidence == "low"


def test_next_day_makes_no_request_and_a_long_pause_fetches_only_the_hole() -> None:
    first = _build([_act("a", date(2025, 3, 10), 50)])
    # Tomorrow: the recent window slides one day; everything older is already covered.
    tomorrow = TODAY + timedelta(days=1)
    second = _build(
        [_act("a", date(2025, 3, 10), 50)],
        fetch=_must_not_fetch,
        today=tomorrow,
        recent_start=tomorrow - timedelta(days=41),
        previous=first,
    )
    assert second.fetched_ranges == 0
    # 60 days later the state ends at TODAY+1 and the new window starts at TODAY+60−41:
    # the hole TODAY+2 … TODAY+18 (17 days) is fetched in one call, nothing else.
    later = TODAY + timedelta(days=60)
    calls: list[tuple[date, date]] = []

    def record(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        calls.append((oldest, newest))
        return [_act("late", oldest + timedelta(days=3), 70)], []

    third = _build(
        [],
        fetch=record,
        today=later,
        recent_start=later - timedelta(days=41),
        previous=second,
    )
    assert calls == [(TODAY + timedelta(days=2), TODAY + timedelta(days=18))]
    assert third.fetched_ranges == 1
    assert {"a", "late"} <= set(third.state.activities)


def test_activity_ids_are_deduplicated_and_replaced_in_the_recent_window() -> None:
    first = _build([_act("dup", date(2025, 3, 3), 50), _act("gone", date(2025, 3, 4), 20)])
    # The recent window now lists "dup" twice (moved to 03-05, load edited) and no "gone".
    second = _build(
        [_act("dup", date(2025, 3, 3), 50), _act("dup", date(2025, 3, 5), 65)],
        fetch=_must_not_fetch,
        previous=first,
    )
    assert set(second.state.activities) == {"dup"}
    rows = {r.date: r for r in second.file.daily_90d}
    assert rows[date(2025, 3, 3)].activity_count == 0
    assert rows[date(2025, 3, 4)].activity_count == 0
    assert rows[date(2025, 3, 5)].total_tss == 65.0
    assert _week(second.file, date(2025, 3, 3)).total_tss == 65.0


def test_zone_preference_change_applies_to_stored_days() -> None:
    # Power says all Z2, HR says all Z4: the preference decides which one counts. The day
    # (01-15) is older than the recent window, so the second run reads it from the state.
    day = date(2025, 1, 15)
    act = Activity.model_validate(
        {
            "id": "z",
            "start_date_local": f"{day.isoformat()}T08:00:00",
            "type": "Run",
            "icu_training_load": 60,
            "moving_time": 3600,
            "icu_zone_times": [{"id": "Z2", "secs": 3600}],
            "icu_hr_zone_times": [0, 0, 0, 3600, 0, 0, 0],
        }
    )

    def older(oldest: date, newest: date) -> tuple[list[Activity], list[Wellness]]:
        return ([act] if oldest <= day <= newest else []), []

    power_first = _build([], fetch=older)
    hr_settings = Settings(
        athlete_id=None, intervals_key=None, output_dir=Path("."), zone_preference={"run": "hr"}
    )
    hr_first = _build([], fetch=_must_not_fetch, settings=hr_settings, previous=power_first)
    day_p = next(r for r in power_first.file.daily_90d if r.date == day)
    day_h = next(r for r in hr_first.file.daily_90d if r.date == day)
    assert (day_p.z1_z2_pct, day_p.z4_plus_pct, day_p.zone_basis) == (100.0, 0.0, "power")
    assert (day_h.z1_z2_pct, day_h.z4_plus_pct, day_h.zone_basis) == (0.0, 100.0, "hr")
    # HR: 3600 s in Z4 ≥ 600 s → hard; power: 3600 s in Z2 only → not hard.
    assert day_p.is_hard_day is False and day_h.is_hard_day is True


# ------------------------------------------------------------------------------ small parts


def test_daily_wellness_and_ftp_fields() -> None:
    wellness = [
        _well(date(2025, 3, 18), ctl=50.04, atl=50.04, hrv=300.0, restingHR=44, sleepSecs=27000),
        _well(date(2025, 3, 19), ctl=0.0, atl=12.0, hrv=55.0, weight=70.26, fatigue=3),
    ]
    rows = {r.date: r for r in _build([], wellness).file.daily_90d}
    yesterday, today = rows[date(2025, 3, 18)], rows[date(2025, 3, 19)]
    assert yesterday.tsb == 0.0  # 50.0 − 50.0: a genuine zero, not missing
    assert yesterday.hrv is None  # 300 ms is outside the plausible 10–250 ms rMSSD range
    assert yesterday.sleep_hours == 7.5  # 27000 s / 3600
    assert yesterday.rhr == 44
    assert today.ctl == 0.0 and today.tsb == -12.0  # CTL 0 is a value
    assert today.weight_kg == 70.3 and today.fatigue == 3
    # FTP in effect: 250 from 2024-06-01, 262 from 2025-03-01.
    assert rows[date(2025, 2, 28)].ftp == 250 and today.ftp == 262


def test_summaries_count_activities_not_days() -> None:
    day = date(2025, 3, 12)
    acts = [_act("s1", day, 30), _act("s2", day, 20, kind="Run"), _act("s3", day, 10)]
    s90 = _build(acts).file.summaries["90d"]
    assert s90.total_activities == 3
    assert s90.active_days == 1
    # The older chunks answered (empty), so all 90 days have API data: 89 rest days.
    assert s90.days_with_api_data == 90 and s90.rest_days == 89
    assert s90.total_tss == 60.0
    # 60 over 90/7 = 12.857 weeks → 4.7 per week.
    assert s90.avg_weekly_tss == 4.7


def test_history_block_for_latest_json() -> None:
    file = _build([_act("h", date(2025, 3, 18), 40)]).file
    block = history_block(file, NOW + timedelta(hours=30))
    assert block["available"] is True
    assert block["age_hours"] == 30.0 and block["age_days"] == 1.2  # 30 h / 24 = 1.25 → 1.2
    assert block["history_confidence"] == "low"
    assert block["last_generated"] == "2025-03-19T06:00:00Z"
    missing = history_block(None, NOW)
    assert missing["available"] is False and missing["age_hours"] is None


@pytest.mark.parametrize("week_start", [0, 2, 6])
def test_weekly_rows_cover_180_days_for_any_week_start(week_start: int) -> None:
    settings = Settings(
        athlete_id=None, intervals_key=None, output_dir=Path("."), week_start=week_start
    )
    weeks = _build([], settings=settings).file.weekly_180d
    first_day = TODAY - timedelta(days=179)
    assert weeks[0].week_start <= first_day <= weeks[0].week_end
    assert weeks[-1].week_start <= TODAY <= weeks[-1].week_end
    assert all(w.week_start.weekday() == week_start for w in weeks)
    assert all(b.week_start - a.week_start == timedelta(days=7) for a, b in pairwise(weeks))
