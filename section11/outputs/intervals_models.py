"""The intervals.json models (``schema_version`` 1).

Null rule: every key of every model is always present; ``null`` means Intervals.icu did
not report the value (or it cannot be computed from what it reported). A genuine ``0`` is
a value. Keys are never dropped, so a reader can rely on the shape.

The fetch bookkeeping (when to fetch an activity again) is run state, not part of this
file: see :mod:`section11.outputs.intervals_fetch_state`. Files written by earlier versions
carried it as a root ``fetch_state`` block; dropping a block readers were told to ignore
left ``schema_version`` at 1.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from section11.metrics.dfa import DfaBlock
from section11.units import ShownValue

SCHEMA_VERSION: Literal[1] = 1

ZoneBasis = Literal["power", "hr", "pace"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IntervalSegment(_Model):
    """One interval as Intervals.icu detected or the athlete edited it."""

    type: str | None = Field(description="WORK or RECOVERY (as reported by Intervals.icu)")
    label: str | None = Field(description="Interval label, else its group id (e.g. '5m@250w')")
    start_secs: int | None = Field(description="Start, seconds of elapsed time from the start")
    end_secs: int | None = Field(description="End, seconds of elapsed time from the start")
    duration_secs: int | None = Field(description="Elapsed seconds")
    moving_secs: int | None
    distance_m: float | None
    avg_power: int | None = Field(description="Watts")
    normalized_power: int | None = Field(description="Weighted average watts (NP-like)")
    max_power: int | None
    avg_hr: int | None = Field(description="Beats per minute")
    min_hr: int | None
    max_hr: int | None
    avg_cadence: float | None = Field(description="rpm (runs: strides per minute)")
    avg_speed_kmh: float | None
    zone: int | None = Field(description="Zone number on the basis given by zone_basis")
    w_bal_start: int | None = Field(description="W' balance at the start, joules")
    w_bal_end: int | None = Field(description="W' balance at the end, joules")
    training_load: float | None


class PhaseStats(_Model):
    """Totals and time-weighted averages of the segments of one phase."""

    count: int
    duration_secs: int
    distance_km: float | None = Field(
        description="Null unless every segment of the phase reports a distance"
    )
    avg_speed_kmh: float | None
    avg_power: int | None
    avg_hr: int | None
    distance: ShownValue = Field(description="distance_km in the athlete's units")
    avg_speed: ShownValue = Field(description="avg_speed_kmh in the athlete's units")


class Phases(_Model):
    """A coach's view of the session.

    warmup: non-WORK segments before the first WORK; active: WORK segments; recovery:
    non-WORK segments between two WORK segments; cooldown: non-WORK after the last WORK.
    """

    warmup: PhaseStats
    active: PhaseStats
    recovery: PhaseStats
    cooldown: PhaseStats


class SessionContext(_Model):
    """Activity-level figures, to read the intervals against."""

    duration_secs: int | None = Field(description="Moving time of the whole activity")
    elapsed_secs: int | None
    distance_km: float | None
    distance: ShownValue = Field(description="distance_km in the athlete's units")
    tss: float | None = Field(description="Intervals.icu training load of the activity")
    avg_power: int | None
    normalized_power: int | None
    avg_hr: int | None
    ftp: int | None = Field(description="FTP Intervals.icu used for this activity, watts")


class IntervalsActivity(_Model):
    activity_id: str
    date: str = Field(description="Athlete-local date, YYYY-MM-DD")
    start_datetime: str | None = Field(description="Athlete-local start, YYYY-MM-DDTHH:MM:SS")
    type: str | None
    name: str | None
    interval_summary: list[str] | None = Field(description="Intervals.icu's one-line summaries")
    session: SessionContext
    zone_basis: ZoneBasis | None = Field(
        description="What the segment zones refer to; null when unknown or ambiguous"
    )
    phases: Phases | None = Field(description="Null when the session has no WORK segment")
    intervals: list[IntervalSegment]
    dfa: DfaBlock | None = Field(
        default=None,
        description="DFA a1 analysis of an AlphaHRV recording (docs/sessions-and-dfa.md); "
        "null when the session has none",
    )


class IntervalsFile(_Model):
    schema_version: Literal[1] = SCHEMA_VERSION
    generated_at: str = Field(description="UTC time this file was built")
    window_days: int
    description: str
    activities: list[IntervalsActivity]
