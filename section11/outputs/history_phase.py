"""The training phase of each finalized week in history.json, and each month's dominant one.

A week's phase is detected once, when the week is complete, from that week and the three
before it (stream 1 only: no calendar for the past), and is then kept in the history state
so later data never rewrites it (``--rebuild-history`` starts over).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from section11.metrics.decisions import PhaseInputs, WeekSummary, detect_phase
from section11.outputs.history_models import WeeklyRow

LOOKBACK_WEEKS = 4


def _summary(row: WeeklyRow) -> WeekSummary:
    primary = row.primary_sport
    # A week with neither training nor fitness values is before the athlete's data (or a
    # gap): its zeros are not a rest week.
    has_data = bool(row.activity_count) or row.ctl_end is not None
    return WeekSummary(
        week_start=row.week_start,
        total_tss=row.total_tss if has_data else None,
        primary_sport_tss=row.sport_tss_breakdown.get(primary) if primary else None,
        hard_days=row.hard_days if has_data else None,
        activity_count=row.activity_count or 0,
        ctl_end=row.ctl_end,
        acwr=row.acwr,
        monotony=row.monotony,
        has_data=has_data,
    )


def week_phases(
    rows: Sequence[WeeklyRow], stored: Mapping[date, str | None]
) -> dict[date, str | None]:
    """Phase of every complete row: the stored one when there is one, else detected now."""
    out: dict[date, str | None] = {}
    history: list[str | None] = []
    for i, row in enumerate(rows):
        if not row.complete:
            break
        if row.week_start in stored:
            phase = stored[row.week_start]
        else:
            window = rows[max(0, i - LOOKBACK_WEEKS + 1) : i + 1]
            previous = list(history)
            while previous and previous[0] is None:
                previous.pop(0)
            phase = detect_phase(
                PhaseInputs(
                    finalized=[_summary(r) for r in window],
                    previous_phases=previous,
                    backfill=True,
                )
            ).phase
        out[row.week_start] = phase
        history.append(phase)
    return out


def dominant_phase(first: date, last: date, rows: Sequence[WeeklyRow]) -> str | None:
    """The most frequent phase among the weeks overlapping [first, last]; a tie goes to
    the phase whose weeks carried the most load. None when no overlapping week has one."""
    counts: Counter[str] = Counter()
    load: Counter[str] = Counter()
    for row in rows:
        if row.phase_detected is None:
            continue
        if row.week_start > last or row.week_start + timedelta(days=6) < first:
            continue
        counts[row.phase_detected] += 1
        load[row.phase_detected] += round(row.total_tss or 0)
    if not counts:
        return None
    return max(counts, key=lambda p: (counts[p], load[p], p))
