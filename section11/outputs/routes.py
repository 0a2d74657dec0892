"""routes.json: terrain of the GPX/TCX/FIT files attached to planned events.

A pure builder. The pipeline maps API events to ``RouteEvent`` and gives a ``fetch``
callable that downloads one attachment URL and classifies failures; this module decides
what to fetch, what to reuse from the previous file and what to report.

Cache rules, keyed by attachment id:
- a previous ``ok`` entry is reused without fetching (event metadata refreshed, display
  blocks recomputed for the current units);
- a previous ``error`` entry without ``retry_after`` is a permanent failure (404/410, an
  odd or malformed URL, a redirect loop, a file over the size cap, a bad gzip body, an
  unreadable or corrupt file) and is not fetched again;
- a transient failure (5xx, 429, timeout, deadline, connection error, truncated body) keeps
  a previous ``ok`` entry if there is one; otherwise it is written as an ``error`` entry
  with ``failures`` and ``retry_after``, and fetched again only once that time has passed:
  1 hour after the first failure, doubling each time up to 7 days. After
  ``MAX_TRANSIENT_FAILURES`` the failure is treated as permanent. An error is never
  reported as terrain.
The cache is only trusted when it was written by the same ``terrain_version``, so a change
to the analysis (or new FIT support) re-reads every attachment once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field

from section11.outputs.common import OutputModel, omitted_when_none
from section11.sources.intervals_icu.models import Event
from section11.store import load_model
from section11.terrain import (
    RouteParseError,
    TerrainSummary,
    analyze_terrain,
    apply_display_units,
    read_route_file,
)
from section11.units import DisplayUnits

SCHEMA_VERSION: Literal[1] = 1
# Bump when parsing or analysis changes what a route's summary would be.
# 2: pieces, null island, 0 m placeholders, impossible steps, gain hysteresis, FIT files.
TERRAIN_VERSION = 2
ROUTE_EXTENSIONS = ("gpx", "tcx", "fit")
# Events considered, relative to the athlete's today (the reference's window).
PAST_DAYS = 14
FUTURE_DAYS = 90
# Retries of a transiently failing download: first after 1 h, doubling, at most 7 days apart.
RETRY_FIRST = timedelta(hours=1)
RETRY_CAP = timedelta(days=7)
MAX_TRANSIENT_FAILURES = 8


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RouteAttachment:
    attachment_id: str
    filename: str
    url: str


@dataclass(frozen=True, slots=True)
class RouteEvent:
    """A planned event as far as routes are concerned; ``start_time`` is "HH:MM" or None."""

    event_id: int
    event_name: str | None
    event_date: str
    category: str | None
    start_time: str | None = None
    attachments: Sequence[RouteAttachment] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Outcome of downloading one attachment; build with ``ok``/``transient``/``permanent``."""

    kind: Literal["ok", "transient", "permanent"]
    data: bytes | None = None
    error: str | None = None

    @classmethod
    def ok(cls, data: bytes) -> FetchResult:
        return cls("ok", data=data)

    @classmethod
    def transient(cls, error: str) -> FetchResult:
        """Worth retrying later: 5xx, 429, timeout, connection error."""
        return cls("transient", error=error)

    @classmethod
    def permanent(cls, error: str) -> FetchResult:
        """Will not get better by retrying: 404/410, forbidden, not a route file."""
        return cls("permanent", error=error)


# --- output models ----------------------------------------------------------------------


class RouteEntry(OutputModel):
    """One route attachment of one event."""

    event_id: int
    event_name: str | None
    event_date: str
    category: str | None
    start_time: str | None = omitted_when_none("Local start time HH:MM when not midnight")
    attachment_id: str
    filename: str
    status: Literal["ok", "error"]
    terrain_summary: TerrainSummary | None = omitted_when_none("Present when status is ok")
    error: str | None = omitted_when_none("Present when status is error")
    failures: int | None = omitted_when_none(
        "Transient download failures in a row (an error that may still go away)"
    )
    retry_after: datetime | None = omitted_when_none(
        "A transient error is fetched again only after this time (UTC); absent for an "
        "error that is final"
    )


class RoutesFile(OutputModel):
    """routes.json."""

    schema_version: Literal[1] = SCHEMA_VERSION
    terrain_version: int = Field(
        default=TERRAIN_VERSION, description="Version of the terrain analysis behind the cache"
    )
    generated_at: datetime
    events: list[RouteEntry]


# --- mapping and loading (for the pipeline) ---------------------------------------------


def route_events(events: Sequence[Event], today: date) -> list[RouteEvent]:
    """API events with route attachments, from ``today`` - 14 days to ``today`` + 90 days.

    Events without an id or a date, and attachments without an id, a file name or a URL,
    are skipped; only .gpx/.tcx/.fit attachments are kept.
    """
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)
    result: list[RouteEvent] = []
    for ev in events:
        day = ev.local_date
        if ev.id is None or day is None or not first <= day <= last:
            continue
        attachments = tuple(
            RouteAttachment(att.id, att.filename, att.url)
            for att in ev.attachments or []
            if att is not None
            and att.id is not None
            and att.url is not None
            and att.filename is not None
            and is_route_filename(att.filename)
        )
        if not attachments:
            continue
        when = ev.local_datetime
        start_time = (
            when.strftime("%H:%M")
            if when is not None and (when.hour, when.minute) != (0, 0)
            else None  # midnight is how all-day events are stored: no start time
        )
        result.append(
            RouteEvent(
                event_id=ev.id,
                event_name=ev.name,
                event_date=day.isoformat(),
                category=ev.category,
                start_time=start_time,
                attachments=attachments,
            )
        )
    return result


def load_routes_file(path: Path, now_utc: datetime) -> tuple[RoutesFile | None, list[str]]:
    """The previous routes.json as a cache, plus warnings. An unreadable file (or one of
    another shape, such as the reference tool's) is moved aside and rebuilt."""
    return load_model(path, RoutesFile, now_utc, consequence="route terrain will be rebuilt")


# --- builder ----------------------------------------------------------------------------


def build_routes(
    events: Sequence[RouteEvent],
    previous: RoutesFile | None,
    fetch: Callable[[str], FetchResult],
    now: datetime,
    units: DisplayUnits,
) -> RoutesFile:
    """Build routes.json for ``events``, reusing ``previous`` where the cache rules allow."""
    cached: dict[str, RouteEntry] = {}
    if previous is not None and previous.terrain_version == TERRAIN_VERSION:
        cached = {e.attachment_id: e for e in previous.events}
    # Kept on transient failure even when the analysis version changed: an older summary
    # of the same file beats no summary.
    last_ok: dict[str, RouteEntry] = {}
    if previous is not None:
        last_ok = {e.attachment_id: e for e in previous.events if e.status == "ok"}

    # One download per attachment per run, even if several events share it.
    outcomes: dict[str, _Outcome | None] = {}
    entries: list[RouteEntry] = []
    for event in events:
        for att in event.attachments:
            if not is_route_filename(att.filename):
                continue
            if att.attachment_id not in outcomes:
                outcomes[att.attachment_id] = _resolve(
                    att,
                    cached.get(att.attachment_id),
                    last_ok.get(att.attachment_id),
                    fetch,
                    units,
                    now,
                )
            outcome = outcomes[att.attachment_id]
            if outcome is None:
                continue  # transient failure with nothing to fall back on: retry next run
            entries.append(_entry(event, att, outcome))
    return RoutesFile(generated_at=now, events=entries)


def terrain_event_ids(routes: RoutesFile) -> set[int]:
    """Events with at least one successfully analysed route (errors do not count)."""
    return {e.event_id for e in routes.events if e.status == "ok" and e.terrain_summary is not None}


def is_route_filename(filename: str) -> bool:
    return "." in filename and filename.rsplit(".", 1)[-1].lower() in ROUTE_EXTENSIONS


# --- internals --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Failure:
    error: str
    failures: int | None = None
    retry_after: datetime | None = None


# A terrain summary or a failure; None for "nothing to report this run".
_Outcome = TerrainSummary | _Failure


def _resolve(
    att: RouteAttachment,
    cached: RouteEntry | None,
    last_ok: RouteEntry | None,
    fetch: Callable[[str], FetchResult],
    units: DisplayUnits,
    now: datetime,
) -> _Outcome | None:
    failures = 0
    if cached is not None:
        if cached.status == "ok" and cached.terrain_summary is not None:
            return apply_display_units(cached.terrain_summary, units)
        if cached.status == "error" and cached.error is not None:
            if cached.retry_after is None:
                return _Failure(cached.error)  # final: never fetched again
            if now < cached.retry_after:
                return _Failure(cached.error, cached.failures, cached.retry_after)
            failures = cached.failures or 0

    result = fetch(att.url)
    if result.kind == "ok":
        outcome = _analyse(result.data or b"", att.filename, units)
        return outcome if isinstance(outcome, TerrainSummary) else _Failure(outcome)
    if result.kind == "permanent":
        return _Failure(result.error or "download failed")
    if last_ok is not None and last_ok.terrain_summary is not None:
        return apply_display_units(last_ok.terrain_summary, units)
    return _transient(result.error or "download failed for now", failures + 1, now)


def _transient(error: str, failures: int, now: datetime) -> _Failure:
    if failures >= MAX_TRANSIENT_FAILURES:
        return _Failure(f"{error} (gave up after {failures} failed attempts on separate runs)")
    wait = min(RETRY_CAP, RETRY_FIRST * 2 ** (failures - 1))
    return _Failure(f"{error} (will retry)", failures, now + wait)


def _analyse(data: bytes, filename: str, units: DisplayUnits) -> TerrainSummary | str:
    try:
        route = read_route_file(data, filename)
    except RouteParseError as exc:
        return str(exc)
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        # A file no reader foresaw must still not stop the sync: it is recorded as an error.
        return f"route file {filename!r} could not be read ({type(exc).__name__})"
    summary = analyze_terrain(
        route.points,
        source=f"{route.format}_attachment",
        units=units,
        include_polyline=True,
        declared_distance_m=route.declared_distance_m,
    )
    if summary is None:
        return f"route file {filename!r} is too short to analyse (under 100 m)"
    return summary


def _entry(event: RouteEvent, att: RouteAttachment, outcome: _Outcome) -> RouteEntry:
    failure = outcome if isinstance(outcome, _Failure) else None
    return RouteEntry(
        event_id=event.event_id,
        event_name=event.event_name,
        event_date=event.event_date,
        category=event.category,
        start_time=event.start_time,
        attachment_id=att.attachment_id,
        filename=att.filename,
        status="error" if failure else "ok",
        terrain_summary=outcome if isinstance(outcome, TerrainSummary) else None,
        error=failure.error if failure else None,
        failures=failure.failures if failure else None,
        retry_after=failure.retry_after if failure else None,
    )
