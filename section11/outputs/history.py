"""history.json: keep a three-year state current and rebuild every tier from it each run.

The first run (or ``--rebuild-history``) pulls up to three years in date-range chunks of at
most 365 days, oldest data last so the most useful recent history lands first. Later runs
reuse the stored state and replace everything dated on or after ``recent_start`` with the
data the latest.json run already fetched: new uploads appear, deleted activities vanish,
edited loads are recounted. Older days are final and never fetched again, except for date
ranges the API has not answered for yet (a failed chunk, or a gap left by a long pause
between runs), which are fetched on the next run. A run with nothing missing makes no
requests at all for history. A ``--rebuild-history`` whose fetch fails keeps the days the
state already held for the ranges it could not refetch.

history.json is rebuilt from the state on every run, so it is always as current as
latest.json; there is no refresh window. Days, weeks and months whose inputs did not change
since the last run are taken from the memo in the state (history_memo.py) instead of being
recomputed; the file is the same either way.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from section11.config import Settings
from section11.errors import Section11Error
from section11.metrics import benchmark, load, weeks, zones
from section11.metrics.sports import FAMILIES
from section11.metrics.wellness import is_valid_hrv
from section11.outputs.history_memo import DayFacts, HistoryMemo, digest
from section11.outputs.history_models import (
    Confidence,
    DailyRow,
    DataGap,
    DataRange,
    FtpPoint,
    GapKind,
    HistoryFile,
    MonthlyRow,
    TierBounds,
    WeeklyRow,
    WeeklySeilerTID,
    WindowSummary,
    ZoneSplit,
)
from section11.outputs.history_phase import dominant_phase, week_phases
from section11.outputs.history_store import (
    ActivityRecord,
    DateRange,
    HistoryState,
    WellnessRecord,
    load_history_file,
    load_history_state,
    missing_ranges,
    save_history_state,
    state_path,
)

__all__ = [
    "HistoryFile",
    "HistoryResult",
    "HistoryState",
    "build_history_file",
    "history_block",
    "load_history_file",
    "load_history_state",
    "save_history_state",
    "state_path",
    "update_history",
]
from section11.outputs.history_reference import (
    DAYS_PER_MONTH,
    TIER_YEARS,
    avg_weight,
    avg_weight_display,
    hard_days_per_week,
    longest_hours,
    tier_applies,
    tier_of_month,
    tier_start,
    weekly_reference,
    weight_display,
)
from section11.sources.intervals_icu.models import Activity, Wellness
from section11.units import METRIC, DisplayUnits

log = logging.getLogger(__name__)

# today−1095 … today: three years, which always contains the 36 calendar months of the
# monthly tier (36 months span at most 1096 days).
HORIZON_DAYS = 1096
CHUNK_DAYS = 365
DAILY_DAYS = 90
WEEKLY_DAYS = 180
MONTHS = 36
# A run of this many days without activity (or without wellness) is reported as a gap.
MIN_GAP_DAYS = 3
SUMMARY_WINDOWS: tuple[tuple[str, int], ...] = (
    ("90d", 90),
    ("180d", 180),
    ("1y", 365),
    ("2y", 730),
    ("3y", HORIZON_DAYS),
)
HISTORY_FILENAME = "history.json"

FetchRange = Callable[[date, date], tuple[list[Activity], list[Wellness]]]
RowT = TypeVar("RowT", bound=BaseModel)


@dataclass(frozen=True)
class HistoryResult:
    file: HistoryFile
    state: HistoryState
    # fetch_range calls made (each is one activities and one wellness request).
    fetched_ranges: int
    warnings: list[str] = field(default_factory=list)
    # The per-day aggregates history.json was built from (the whole horizon, oldest first).
    days: Sequence[_Day] = ()
    ftp_series: Mapping[str, int] = field(default_factory=dict)
    # Every monthly row (from the first month with data, at most 37); the file's
    # monthly_1y/2y/3y split it into three consecutive runs.
    months: Sequence[MonthlyRow] = ()
    units: DisplayUnits | None = None  # of weight in the daily rows' display

    def daily_rows(self, count: int) -> list[DailyRow]:
        """Rows shaped like ``daily_90d`` over the last ``count`` days (at most the
        horizon), from the days this run built history.json from: nothing is recomputed."""
        return [_daily_row(d, self.ftp_series, self.units) for d in self.days[-count:]]


# ------------------------------------------------------------------------------ update


def update_history(
    previous: HistoryState | None,
    recent_activities: Sequence[Activity],
    recent_wellness: Sequence[Wellness],
    recent_start: date,
    fetch_range: FetchRange,
    ftp_series: Mapping[str, int],
    settings: Settings,
    today: date,
    now_utc: datetime,
    *,
    rebuild: bool = False,
    progress: Callable[[str], None] = lambda msg: None,
    indoor_ftp_series: Mapping[str, int] | None = None,
    units: DisplayUnits | None = None,
) -> HistoryResult:
    """Bring the state up to date and build history.json from it.

    ``recent_activities``/``recent_wellness`` are the latest.json run's records covering
    ``recent_start`` … ``today``; they replace whatever the state held for those days.
    ``fetch_range(start, end)`` returns both activities and wellness of an inclusive date
    range and is called only for days the state has never had an answer for.
    """
    if recent_start > today:
        raise ValueError(f"recent_start {recent_start} is after today {today}")
    horizon = today - timedelta(days=HORIZON_DAYS - 1)
    warnings: list[str] = []
    base = HistoryState.of({}, {}, (), None) if previous is None or rebuild else previous
    older_end = recent_start - timedelta(days=1)

    activities = {k: r for k, r in base.activities.items() if horizon <= r.day <= older_end}
    wellness = {d: w for d, w in base.wellness.items() if horizon <= d <= older_end}
    covered = [
        (max(s, horizon), min(e, older_end))
        for s, e in base.covered
        if e >= horizon and s <= older_end
    ]

    chunks = _chunks(missing_ranges(covered, horizon, older_end)) if horizon <= older_end else []
    calls = 0
    for index, (start, end) in enumerate(chunks):
        calls += 1
        try:
            fetched_acts, fetched_well = fetch_range(start, end)
        except (Section11Error, OSError) as exc:
            left = chunks[index:]
            message = (
                f"history: could not fetch {left[-1][0]} … {end} ({exc}); those days are "
                "marked as no data from the API and will be fetched on the next run"
            )
            if (
                rebuild
                and previous is not None
                and _restore(previous, left, activities, wellness, covered)
            ):
                # A failed refetch never throws away what the state already held.
                message = (
                    f"history: could not fetch {left[-1][0]} … {end} again ({exc}); the "
                    "days stored before are kept (run with --rebuild-history again to "
                    "refresh them), any others will be fetched on the next run"
                )
            log.warning(message)
            warnings.append(message)
            progress(message)
            break
        n_acts = n_well = 0
        for activity in fetched_acts:
            record = ActivityRecord.from_activity(activity)
            if record is not None and start <= record.day <= end:
                activities[record.id] = record
                n_acts += 1
        for entry in fetched_well:
            w = WellnessRecord.from_wellness(entry)
            if w is not None and start <= w.day <= end:
                wellness[w.day] = w
                n_well += 1
        covered.append((start, end))
        progress(f"history: fetched {start} … {end} ({n_acts} activities, {n_well} wellness days)")

    # The recent window replaces the stored days; keyed by id, so an activity whose date
    # moved into the window is not counted twice.
    for activity in recent_activities:
        record = ActivityRecord.from_activity(activity)
        if record is not None and recent_start <= record.day <= today:
            activities[record.id] = record
    for entry in recent_wellness:
        w = WellnessRecord.from_wellness(entry)
        if w is not None and recent_start <= w.day <= today:
            wellness[w.day] = w
    covered.append((max(recent_start, horizon), today))

    kept = {d: p for d, p in base.phases.items() if d >= horizon}
    state = HistoryState.of(activities, wellness, covered, now_utc, kept, base.memo)
    built = _build(state, settings, today, now_utc, ftp_series, indoor_ftp_series or {}, units)
    file = built.file
    # Phases of weeks that completed since the last run are now fixed.
    detected = {r.week_start: r.phase_detected for r in file.weekly_180d if r.complete}
    state = HistoryState.of(
        activities, wellness, covered, now_utc, {**detected, **kept}, built.memo
    )
    return HistoryResult(
        file=file,
        state=state,
        fetched_ranges=calls,
        warnings=warnings,
        days=built.days,
        ftp_series=ftp_series,
        months=built.months,
        units=units,
    )


def _restore(
    previous: HistoryState,
    ranges: Iterable[DateRange],
    activities: dict[str, ActivityRecord],
    wellness: dict[date, WellnessRecord],
    covered: list[DateRange],
) -> bool:
    """Put back what ``previous`` held for ``ranges`` (a rebuild that could not refetch
    them); True when any stored day was put back. Records already refetched win."""
    restored = False
    for start, end in ranges:
        for record in previous.activities.values():
            if start <= record.day <= end:
                activities.setdefault(record.id, record)
        for day, w in previous.wellness.items():
            if start <= day <= end:
                wellness.setdefault(day, w)
        for c_start, c_end in previous.covered:
            if c_start <= end and c_end >= start:
                covered.append((max(c_start, start), min(c_end, end)))
                restored = True
    return restored


def _chunks(holes: Iterable[DateRange]) -> list[DateRange]:
    """Split ranges into pieces of at most CHUNK_DAYS, newest first."""
    out: list[DateRange] = []
    for start, end in holes:
        cursor = end
        while cursor >= start:
            piece_start = max(start, cursor - timedelta(days=CHUNK_DAYS - 1))
            out.append((piece_start, cursor))
            cursor = piece_start - timedelta(days=1)
    return sorted(out, reverse=True)


# ------------------------------------------------------------------------------ per day


@dataclass
class _Day:
    """Everything the tiers need about one calendar day; every tier sums these."""

    day: date
    covered: bool
    records: list[ActivityRecord]
    wellness: WellnessRecord | None
    facts: DayFacts
    hours: float
    # Of the day's activity rows, wellness row and coverage: what the day's rows are built from.
    digest: str
    built: list[Activity] | None = None

    @property
    def load(self) -> float:  # unrounded, for ACWR/monotony
        return self.facts.load

    @property
    def tss(self) -> float:  # rounded once per day so every tier adds the same numbers
        return round(self.facts.load, 1)

    @property
    def hard(self) -> bool | None:
        return self.facts.hard

    @property
    def ctl(self) -> float | None:
        return self.wellness.ctl if self.wellness is not None else None

    @property
    def activities(self) -> list[Activity]:
        """The day's records as activities, built only when a period is recomputed."""
        if self.built is None:
            self.built = [r.to_activity() for r in self.records]
        return self.built


_REST = DayFacts(load=0.0, hard=None, zones=ZoneSplit())


def _build_days(
    state: HistoryState,
    settings: Settings,
    start: date,
    today: date,
    memo: HistoryMemo,
    fresh: HistoryMemo,
) -> list[_Day]:
    """One ``_Day`` per day ``start`` … ``today``. A day's load, hard flag and zone split come
    from ``memo`` when its activities and the zone preference are unchanged; every day
    with activities is recorded in ``fresh``, the memo of this run."""
    by_day: dict[date, list[ActivityRecord]] = defaultdict(list)
    for record in state.activities.values():
        if start <= record.day <= today:
            by_day[record.day].append(record)
    preference = _preference(settings)
    out: list[_Day] = []
    for offset in range((today - start).days + 1):
        day = start + timedelta(days=offset)
        records = sorted(by_day.get(day, []), key=lambda r: r.id)
        wellness = state.wellness.get(day)
        covered = state.is_covered(day) or bool(records)
        facts, built = _REST, None
        rows = digest([r.as_row() for r in records]) if records else None
        if records:
            key = digest([preference, rows])
            memoized = memo.day(day, key)
            if memoized is None:
                built = [r.to_activity() for r in records]
                memoized = _day_facts(built, day, settings)
            facts = memoized
            fresh.days[day] = (key, facts)
        hours = sum(r.moving_time for r in records if r.moving_time is not None) / 3600
        out.append(
            _Day(
                day=day,
                covered=covered,
                records=records,
                wellness=wellness,
                facts=facts,
                hours=round(hours, 2),
                digest=digest([rows, wellness.as_row() if wellness else None, covered]),
                built=built,
            )
        )
    return out


def _day_facts(activities: Sequence[Activity], day: date, settings: Settings) -> DayFacts:
    return DayFacts(
        load=load.daily_loads(activities, day, day)[0],
        hard=zones.hard_day(activities, settings.zone_preference).is_hard,
        zones=_zone_split(activities, settings),
    )


def _preference(settings: Settings) -> list[list[str]]:
    return sorted([family, basis] for family, basis in settings.zone_preference.items())


def _memoized(model: type[RowT], row: dict[str, Any] | None) -> RowT | None:
    """A memoized row, or None when it no longer fits the model (it is then recomputed)."""
    if row is None:
        return None
    try:
        return model.model_validate(row)
    except ValidationError:
        return None


# ------------------------------------------------------------------------------ build


def build_history_file(
    state: HistoryState,
    settings: Settings,
    today: date,
    now_utc: datetime,
    ftp_series: Mapping[str, int],
    *,
    indoor_ftp_series: Mapping[str, int] | None = None,
    units: DisplayUnits | None = None,
) -> HistoryFile:
    """Build every tier of history.json from the state (pure: no I/O, no clock)."""
    return _build(state, settings, today, now_utc, ftp_series, indoor_ftp_series or {}, units).file


@dataclass(frozen=True)
class _Built:
    file: HistoryFile
    days: list[_Day]
    months: list[MonthlyRow]
    memo: HistoryMemo  # what this build computed or reused, for the next run


def _build(
    state: HistoryState,
    settings: Settings,
    today: date,
    now_utc: datetime,
    ftp_series: Mapping[str, int],
    indoor_ftp_series: Mapping[str, int],
    units: DisplayUnits | None,
) -> _Built:
    """history.json from the state, reusing ``state.memo`` for periods whose inputs did not
    change; the file is the same as a build without any memo."""
    horizon = today - timedelta(days=HORIZON_DAYS - 1)
    fresh = HistoryMemo()
    days = _build_days(state, settings, horizon, today, state.memo, fresh)
    index = {d.day: i for i, d in enumerate(days)}
    context = _Context(settings, today, units, state.memo, fresh)

    daily = [_daily_row(d, ftp_series, units) for d in days[-DAILY_DAYS:]]
    weekly = _weekly_rows(days, index, context)
    phases = week_phases(weekly, state.phases)
    weekly = [r.model_copy(update={"phase_detected": phases.get(r.week_start)}) for r in weekly]
    data_range = _data_range(days)
    monthly = [
        m.model_copy(update={"dominant_phase": _month_phase(m.month, weekly)})
        for m in _monthly_rows(days, ftp_series, context, data_range.earliest)
    ]
    tiers_by_years = {
        f"monthly_{n}y": [m for m in monthly if tier_of_month(m.month, today) == n]
        if tier_applies(n, today, data_range.earliest, weekly[0].week_start)
        else []
        for n in TIER_YEARS
    }

    tiers = {
        "daily_90d": TierBounds(start=daily[0].date, end=today, rows=len(daily)),
        "weekly_180d": TierBounds(
            start=weekly[0].week_start, end=weekly[-1].week_end, rows=len(weekly)
        ),
    }
    for n in TIER_YEARS:
        rows = tiers_by_years[f"monthly_{n}y"]
        if rows:
            first = date.fromisoformat(f"{rows[0].month}-01")
            end = today if n == 1 else tier_start(today, n - 1) - timedelta(days=1)
            tiers[f"monthly_{n}y"] = TierBounds(start=first, end=end, rows=len(rows))

    file = HistoryFile(
        generated_at=now_utc.astimezone(UTC).replace(microsecond=0),
        today=today,
        week_start=settings.week_start_name,
        data_range=data_range,
        history_confidence=_confidence(data_range.total_months),
        tiers=tiers,
        summaries={name: _summary(days[-n:]) for name, n in SUMMARY_WINDOWS},
        daily_90d=daily,
        weekly_180d=weekly,
        monthly_1y=tiers_by_years["monthly_1y"],
        monthly_2y=tiers_by_years["monthly_2y"],
        monthly_3y=tiers_by_years["monthly_3y"],
        ftp_timeline=_ftp_timeline(ftp_series, indoor_ftp_series),
        data_gaps=_data_gaps(days),
    )
    return _Built(file=file, days=days, months=monthly, memo=fresh)


@dataclass(frozen=True)
class _Context:
    """What every weekly and monthly row reads besides its days."""

    settings: Settings
    today: date
    units: DisplayUnits | None
    memo: HistoryMemo  # of the previous run
    fresh: HistoryMemo  # of this run

    def key(self, *parts: object) -> str:
        """The memo key of a period: its own inputs plus the settings every row reads."""
        units = astuple(self.units or METRIC)
        return digest([_preference(self.settings), units, *parts])


def daily_rows(
    state: HistoryState,
    settings: Settings,
    today: date,
    days: int,
    ftp_series: Mapping[str, int],
    units: DisplayUnits | None = None,
) -> list[DailyRow]:
    """Rows shaped like ``daily_90d`` over ``days`` days ending today (the dashboard's
    year-long run log), built exactly like history.json's own rows. A sync run uses
    ``HistoryResult.daily_rows`` instead, which reuses the days history.json was built from."""
    start = today - timedelta(days=days - 1)
    built = _build_days(state, settings, start, today, state.memo, HistoryMemo())
    return [_daily_row(d, ftp_series, units) for d in built]


def _zone_split(activities: Sequence[Activity], settings: Settings) -> ZoneSplit:
    agg = zones.aggregate_zones(activities, settings.zone_preference)
    z3, z4 = agg.grey_zone_percentage, agg.quality_intensity_percentage
    if z3 is None or z4 is None:
        return ZoneSplit()
    return ZoneSplit(
        z1_z2_pct=round(100 - z3 - z4, 1), z3_pct=z3, z4_plus_pct=z4, zone_basis=agg.zone_basis
    )


def _daily_row(d: _Day, ftp_series: Mapping[str, int], units: DisplayUnits | None) -> DailyRow:
    w = d.wellness or WellnessRecord(day=d.day)
    weight = _r1(w.weight)
    ctl, atl = _r1(w.ctl), _r1(w.atl)
    types = sorted({r.type or "Unknown" for r in d.records})
    return DailyRow(
        date=d.day,
        total_tss=d.tss if d.covered else None,
        total_hours=d.hours if d.covered else None,
        activity_count=len(d.records) if d.covered else None,
        activity_types=types if d.covered else None,
        ctl=ctl,
        atl=atl,
        tsb=round(ctl - atl, 1) if ctl is not None and atl is not None else None,
        is_hard_day=d.hard,
        hrv=w.hrv if is_valid_hrv(w.hrv) else None,
        rhr=w.rhr,
        sleep_hours=round(w.sleep_secs / 3600, 2) if w.sleep_secs is not None else None,
        sleep_quality=w.sleep_quality,
        weight_kg=weight,
        display={"weight": weight_display(weight, units).weight},
        fatigue=w.fatigue,
        soreness=w.soreness,
        stress=w.stress,
        mood=w.mood,
        motivation=w.motivation,
        injury=w.injury,
        ftp=benchmark.ftp_in_effect(ftp_series, d.day),
        **d.facts.zones.model_dump(),
    )


class _Totals:
    """Sums over a run of days, shared by weekly rows, monthly rows and summaries. The
    per-sport sums and the activities are worked out only when a row asks for them."""

    def __init__(self, days: Sequence[_Day]) -> None:
        covered = [d for d in days if d.covered]
        self._covered = covered
        self.covered = len(covered)
        self.tss = round(sum(d.tss for d in covered), 1) if covered else None
        self.hours = round(sum(d.hours for d in covered), 2) if covered else None
        self.count = sum(len(d.records) for d in covered) if covered else None
        self.hard_days = sum(1 for d in covered if d.hard is True)
        self.active_days = sum(1 for d in covered if d.records)
        self.rest_days = sum(1 for d in covered if not d.records)

    @cached_property
    def _by_sport(self) -> tuple[dict[str, float], dict[str, float]]:
        sport_tss: dict[str, float] = defaultdict(float)
        sport_hours: dict[str, float] = defaultdict(float)
        for d in self._covered:
            for r in d.records:
                sport_tss[r.family] += r.load or 0.0
                sport_hours[r.family] += (r.moving_time or 0.0) / 3600
        order = {f: i for i, f in enumerate(FAMILIES)}
        families = sorted(sport_tss, key=lambda f: order.get(f, len(order)))
        return (
            {f: round(sport_tss[f], 1) for f in families},
            {f: round(sport_hours[f], 2) for f in families},
        )

    @property
    def sport_tss(self) -> dict[str, float]:
        return self._by_sport[0]

    @property
    def sport_hours(self) -> dict[str, float]:
        return self._by_sport[1]

    @cached_property
    def activities(self) -> list[Activity]:
        return [a for d in self._covered for a in d.activities]


def _totals(days: Sequence[_Day]) -> _Totals:
    return _Totals(days)


def _weekly_rows(
    days: Sequence[_Day], index: Mapping[date, int], context: _Context
) -> list[WeeklyRow]:
    today = context.today
    first = today - timedelta(days=WEEKLY_DAYS - 1)
    starts = weeks.weeks_between(first, today, context.settings.week_start)
    # One week more at the front so the first row's ramp has a previous ctl_end.
    previous_start = starts[0] - timedelta(days=7)
    prev_ctl = _last([d.ctl for d in _span(days, index, previous_start)])
    rows: list[WeeklyRow] = []
    for ws in starts:
        we = ws + timedelta(days=6)
        # The week, and the three before it that its ramp (previous ctl_end) and its
        # 28-day ACWR read; a week that is not over also depends on today.
        before = ws - timedelta(days=load.CHRONIC_DAYS - 7)
        key = context.key(
            "week",
            ws.isoformat(),
            we < today,
            min(we, today).isoformat(),
            [_digest_at(days, index, before + timedelta(days=i)) for i in range(28)],
        )
        stored = context.memo.week(ws, key)
        row = _memoized(WeeklyRow, stored)
        if row is None or stored is None:
            row = _weekly_row(days, index, ws, prev_ctl, context)
            stored = row.model_dump(mode="json")
        context.fresh.weeks[ws] = (key, stored)
        rows.append(row)
        prev_ctl = row.ctl_end
    return rows


def _digest_at(days: Sequence[_Day], index: Mapping[date, int], day: date) -> str | None:
    i = index.get(day)
    return days[i].digest if i is not None else None


def _weekly_row(
    days: Sequence[_Day],
    index: Mapping[date, int],
    ws: date,
    prev_ctl: float | None,
    context: _Context,
) -> WeeklyRow:
    settings, today, units = context.settings, context.today, context.units
    we = ws + timedelta(days=6)
    span = _span(days, index, ws)
    t = _totals(span)
    w_recs = [d.wellness for d in span if d.wellness is not None]
    ctl_end = _last([d.ctl for d in span])
    complete = we < today
    day_loads = [d.load for d in span]
    mono = load.monotony(day_loads) if complete and t.covered == 7 else None
    atl_end = _last([w.atl for w in w_recs])
    ramp = round(ctl_end - prev_ctl, 1) if ctl_end is not None and prev_ctl is not None else None
    reference = weekly_reference(
        [d.activities for d in span],
        w_recs,
        t.sport_tss,
        _primary(t),
        ctl_end,
        atl_end,
        ramp,
        None,
        settings,
    )
    feels = [r.feel for d in span for r in d.records if r.feel is not None]
    rpes = [r.rpe for d in span for r in d.records if r.rpe is not None]
    return WeeklyRow(
        week_start=ws,
        week_end=we,
        complete=complete,
        no_data_days=len(span) - t.covered,
        total_tss=t.tss,
        total_hours=t.hours,
        activity_count=t.count,
        sport_tss_breakdown=t.sport_tss,
        sport_hours_breakdown=t.sport_hours,
        primary_sport=_primary(t),
        ctl_end=ctl_end,
        atl_end=atl_end,
        acwr=_acwr_at(days, index, min(we, today)),
        monotony=mono,
        strain=load.strain(sum(day_loads), mono),
        seiler_tid=WeeklySeilerTID.of(zones.seiler_tid(t.activities, settings.zone_preference)),
        hard_days=t.hard_days,
        avg_feel=_mean(feels),
        feel_count=len(feels),
        avg_rpe=_mean(rpes),
        rpe_count=len(rpes),
        avg_hrv=_mean(_valid_hrvs(w_recs)),
        avg_rhr=_mean([w.rhr for w in w_recs if w.rhr is not None and w.rhr > 0]),
        **_zone_split(t.activities, settings).model_dump(),
        **reference.model_dump(),
        display={"weight": weight_display(reference.weight_kg, units).weight},
    )


def _span(days: Sequence[_Day], index: Mapping[date, int], start: date) -> list[_Day]:
    """The days of the week starting ``start`` that lie inside the horizon and not after today."""
    out = []
    for offset in range(7):
        i = index.get(start + timedelta(days=offset))
        if i is not None:
            out.append(days[i])
    return out


def _acwr_at(days: Sequence[_Day], index: Mapping[date, int], end: date) -> float | None:
    """load.acwr over the 28 days ending ``end``; None unless the API answered for all 28."""
    i_end = index.get(end)
    i_start = index.get(end - timedelta(days=load.CHRONIC_DAYS - 1))
    if i_end is None or i_start is None:
        return None
    window = days[i_start : i_end + 1]
    if not all(d.covered for d in window):
        return None
    return load.acwr([d.load for d in window])


def _primary(t: _Totals) -> str | None:
    if not t.sport_tss:
        return None
    return max(t.sport_tss, key=lambda f: (t.sport_tss[f], t.sport_hours.get(f, 0.0)))


def _month_phase(month: str, weekly: Sequence[WeeklyRow]) -> str | None:
    first = date.fromisoformat(f"{month}-01")
    return dominant_phase(first, _month_start(first, -1) - timedelta(days=1), weekly)


def _month_start(day: date, back: int = 0) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def _monthly_rows(
    days: Sequence[_Day],
    ftp_series: Mapping[str, int],
    context: _Context,
    earliest: date | None,
) -> list[MonthlyRow]:
    if earliest is None:
        return []
    today = context.today
    first = max(_month_start(today, MONTHS - 1), _month_start(earliest))
    groups: dict[date, list[_Day]] = defaultdict(list)
    for d in days:
        if d.day >= first:
            groups[_month_start(d.day)].append(d)
    rows: list[MonthlyRow] = []
    for month, span in sorted(groups.items()):
        month_end = _month_start(month, -1) - timedelta(days=1)
        ftp = benchmark.ftp_in_effect(ftp_series, min(month_end, today))
        name = month.strftime("%Y-%m")
        key = context.key(
            "month",
            name,
            month_end < today,
            ftp,
            [[d.day.isoformat(), d.digest] for d in span],
        )
        stored = context.memo.month(name, key)
        row = _memoized(MonthlyRow, stored)
        if row is None or stored is None:
            row = _monthly_row(month, span, ftp, context)
            stored = row.model_dump(mode="json")
        context.fresh.months[name] = (key, stored)
        rows.append(row)
    return rows


def _monthly_row(
    month: date, span: Sequence[_Day], ftp: int | None, context: _Context
) -> MonthlyRow:
    t = _totals(span)
    ctls = [d.ctl for d in span if d.ctl is not None]
    w_recs = [d.wellness for d in span if d.wellness is not None]
    month_end = _month_start(month, -1) - timedelta(days=1)
    return MonthlyRow(
        month=month.strftime("%Y-%m"),
        complete=month_end < context.today,
        no_data_days=len(span) - t.covered,
        total_tss=t.tss,
        total_hours=t.hours,
        activity_count=t.count,
        sport_hours_breakdown=t.sport_hours,
        ctl_peak=_r1(max(ctls)) if ctls else None,
        ctl_low=_r1(min(ctls)) if ctls else None,
        ctl_end=_r1(ctls[-1]) if ctls else None,
        ftp=ftp,
        hard_days=t.hard_days,
        avg_hrv=_mean(_valid_hrvs(w_recs)),
        avg_rhr=_mean([w.rhr for w in w_recs if w.rhr is not None and w.rhr > 0]),
        days_with_data=sum(1 for d in span if d.records or d.wellness is not None),
        **_zone_split(t.activities, context.settings).model_dump(),
        hard_days_avg_per_week=hard_days_per_week(t.hard_days, len(span)),
        longest_ride_hours=longest_hours(t.activities),
        avg_weight_kg=(weight := avg_weight(w_recs)),
        display={"avg_weight": avg_weight_display(weight, context.units).avg_weight},
    )


def _summary(days: Sequence[_Day]) -> WindowSummary:
    t = _totals(days)
    ctls = [d.ctl for d in days if d.ctl is not None]
    weeks_covered = t.covered / 7
    return WindowSummary(
        start=days[0].day,
        end=days[-1].day,
        days_with_api_data=t.covered,
        total_tss=t.tss,
        avg_weekly_tss=round(t.tss / weeks_covered, 1) if t.tss is not None else None,
        avg_weekly_hours=round(t.hours / weeks_covered, 2) if t.hours is not None else None,
        ctl_start=_r1(ctls[0]) if ctls else None,
        ctl_end=_r1(ctls[-1]) if ctls else None,
        ctl_peak=_r1(max(ctls)) if ctls else None,
        ctl_low=_r1(min(ctls)) if ctls else None,
        total_activities=t.count or 0,
        active_days=t.active_days,
        rest_days=t.rest_days,
        hard_days=t.hard_days,
    )


def _data_range(days: Sequence[_Day]) -> DataRange:
    with_data = [d.day for d in days if d.records or d.wellness is not None]
    if not with_data:
        return DataRange(earliest=None, latest=None, total_months=0)
    earliest, latest = with_data[0], with_data[-1]
    months = int(((latest - earliest).days + 1) / DAYS_PER_MONTH)
    return DataRange(earliest=earliest, latest=latest, total_months=months)


def _confidence(total_months: int) -> Confidence:
    if total_months >= 12:
        return "high"
    if total_months >= 3:
        return "medium"
    return "low"


def _ftp_timeline(outdoor: Mapping[str, int], indoor: Mapping[str, int]) -> list[FtpPoint]:
    points: list[FtpPoint] = []
    kinds: tuple[tuple[Literal["indoor", "outdoor"], Mapping[str, int]], ...] = (
        ("outdoor", outdoor),
        ("indoor", indoor),
    )
    for kind, series in kinds:
        for key, value in series.items():
            try:
                day = date.fromisoformat(key[:10])
            except ValueError:
                continue
            points.append(FtpPoint(date=day, ftp=value, type=kind))
    return sorted(points, key=lambda p: (p.date, p.type))


def _data_gaps(days: Sequence[_Day]) -> list[DataGap]:
    gaps: list[DataGap] = []
    gaps += _runs(days, lambda d: not d.covered, "no_api_data", 1)
    first_activity = next((d.day for d in days if d.records), None)
    if first_activity is not None:
        after = [d for d in days if d.day >= first_activity]
        gaps += _runs(after, lambda d: d.covered and not d.records, "no_activity", MIN_GAP_DAYS)
    first_measured = next(
        (d.day for d in days if d.wellness is not None and d.wellness.has_measurement), None
    )
    if first_measured is not None:
        after = [d for d in days if d.day >= first_measured]
        gaps += _runs(
            after,
            lambda d: d.covered and (d.wellness is None or not d.wellness.has_measurement),
            "no_wellness",
            MIN_GAP_DAYS,
        )
    return sorted(gaps, key=lambda g: (g.start, g.kind))


def _runs(
    days: Sequence[_Day], match: Callable[[_Day], bool], kind: GapKind, min_days: int
) -> list[DataGap]:
    out: list[DataGap] = []
    run: list[date] = []
    for d in [*days, None]:
        if d is not None and match(d):
            run.append(d.day)
            continue
        if len(run) >= min_days:
            out.append(
                DataGap(
                    period=f"{run[0]} to {run[-1]}",
                    days_missing=len(run),
                    start=run[0],
                    end=run[-1],
                    kind=kind,
                )
            )
        run = []
    return out


def _valid_hrvs(records: Iterable[WellnessRecord]) -> list[float]:
    return [w.hrv for w in records if w.hrv is not None and is_valid_hrv(w.hrv)]


def _last(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return _r1(found[-1]) if found else None


def _mean(values: Sequence[float | int]) -> float | None:
    return round(statistics.fmean(values), 1) if values else None


def _r1(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


# ------------------------------------------------------------------------------ latest.json


def history_block(file: HistoryFile | None, now_utc: datetime) -> dict[str, Any]:
    """The ``history`` block of latest.json: is history.json there, how old, how deep."""
    if file is None:
        return {
            "available": False,
            "file": HISTORY_FILENAME,
            "last_generated": None,
            "age_hours": None,
            "age_days": None,
            "history_confidence": None,
            "total_months": None,
            "note": "history.json has not been generated yet; it is built on the next "
            "successful run.",
        }
    age = max(timedelta(0), now_utc - file.generated_at)
    hours = age.total_seconds() / 3600
    months = file.data_range.total_months
    return {
        "available": True,
        "file": HISTORY_FILENAME,
        "last_generated": file.generated_at.isoformat().replace("+00:00", "Z"),
        "age_hours": round(hours, 1),
        "age_days": round(hours / 24, 1),
        "history_confidence": file.history_confidence,
        "total_months": months,
        "note": (
            f"{months} month(s) of data"
            + (f" from {file.data_range.earliest}" if file.data_range.earliest else "")
            + ", rebuilt every run: daily rows for 90 days, weekly for 180 days, monthly "
            "for up to 36 months."
        ),
    }
