"""The build of one sync: every stage after the core fetch, and the write of all files.

Optional parts (history, interval detail, terrain, routes, curves, DFA, comments) degrade
to warnings instead of failing the run. All files are reduced to the privacy level and
written at once, or none; the dashboard follows, from the files just written. A clean
build is recorded (``build_record``) so that a rerun with nothing new can stop early.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from section11 import __version__, build_record
from section11.config import STATE_DIR, Settings
from section11.errors import AuthenticationError, Section11Error
from section11.metrics.dfa_profile import DfaSession, dfa_summary
from section11.metrics.sports import is_outdoor
from section11.outputs.activity_extras import (
    ActivityTerrainResult,
    TerrainCache,
    load_terrain_cache,
    update_activity_terrain,
    weather_summary,
)
from section11.outputs.chat_notes import ChatCache, load_chat_cache, update_chat_notes
from section11.outputs.curve_cache import CurveResult, curves_for_run
from section11.outputs.dfa_sessions import (
    DfaCache,
    has_dfa,
    load_dfa_cache,
    update_dfa_sessions,
    with_dfa,
)
from section11.outputs.ftp_history import FtpHistory, update_ftp_history
from section11.outputs.history import HistoryResult, history_block, update_history
from section11.outputs.history_models import HistoryFile
from section11.outputs.history_store import load_history_file, load_history_state
from section11.outputs.intervals import activities_with_intervals, update_intervals
from section11.outputs.intervals_fetch_state import (
    FETCH_STATE_FILE,
    IntervalsResult,
    load_previous_intervals,
)
from section11.outputs.latest import ActivityExtras, LatestInputs, build_latest
from section11.outputs.latest_models import HistoryBlock, LatestFile
from section11.outputs.routes import (
    RoutesFile,
    build_routes,
    load_routes_file,
    route_events,
    terrain_event_ids,
)
from section11.pipeline import (
    CHAT_CACHE_FILE,
    DFA_CACHE_FILE,
    FTP_HISTORY_FILE,
    HISTORY_FILE,
    HISTORY_STATE_FILE,
    INTERVALS_FILE,
    ROUTES_FILE,
    TERRAIN_CACHE_FILE,
    SyncOutcome,
    strava_warning,
)
from section11.pipeline_stages import Stages
from section11.privacy.apply import protect_documents
from section11.privacy.levels import PrivacyLevel, privacy_relaxed
from section11.sources.intervals_icu.client import LANE_DETAIL, LANE_LAST, IntervalsClient
from section11.sources.intervals_icu.detail import (
    DETAIL_RETRY,
    attachment_fetcher,
    dfa_fetcher,
    interval_fetcher,
    message_fetcher,
    terrain_fetcher,
)
from section11.sources.intervals_icu.fetch import CoreData, fetch_history_range
from section11.store import FileWrite, dumps, write_files_atomic
from section11.terrain import ROUTE_ONLY_FIELDS
from section11.units import DisplayUnits

if TYPE_CHECKING:
    from section11.sources.garmin.signals import GarminSignals

log = logging.getLogger("section11")
T = TypeVar("T")


def build_files(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    ftp_history: FtpHistory,
    now_utc: datetime,
    outcome: SyncOutcome,
    progress: Callable[[str], None],
    *,
    record_path: Path,
    inputs: str | None,
) -> int:
    """Every stage after the core fetch, then all files written at once; returns the Garmin
    requests made (when Garmin is a second source). Raises before writing on failures."""
    out = settings.output_dir
    state_dir = out / STATE_DIR
    garmin = _garmin_signals(settings, client, core, now_utc, state_dir, outcome, progress)
    ftp_history, _ = update_ftp_history(ftp_history, core.athlete, core.today)
    units = _units_for(core)
    detail_client = client.with_retry(DETAIL_RETRY, lane=LANE_DETAIL)
    # Route files come one at a time (each parsed before the next): like history's chunks,
    # a chain that takes the next free connection first. Curves and comments need little
    # work once they are back: sent last.
    route_client = client.with_retry(DETAIL_RETRY)
    light_client = client.with_retry(DETAIL_RETRY, lane=LANE_LAST)

    # Caches written at a stricter privacy level lack what this level keeps: rebuild them.
    fresh = privacy_relaxed(settings.latest_path, settings.privacy)

    def notes(warnings: list[str]) -> SyncOutcome:  # a stage's own warnings (see Stages)
        return SyncOutcome(today=core.today, warnings=warnings)

    # These stages need only the core data: they run at the same time, every request
    # through the client's one rate limit; warnings are joined in this order.
    stages = Stages()
    history_stage = stages.add(
        "history",
        lambda w: _update_history(
            settings, client, core, ftp_history, units, now_utc, notes(w), progress
        ),
    )
    intervals_stage = stages.add(
        "intervals",
        lambda w: _update_intervals(
            settings, detail_client, core, units, now_utc, notes(w), fresh=fresh
        ),
    )
    terrain_stage = stages.add(
        "terrain",
        lambda w: _update_terrain(
            detail_client, core, units, now_utc, state_dir, notes(w), fresh=fresh
        ),
    )
    routes_stage = stages.add(
        "routes",
        lambda w: _update_routes(route_client, core, units, now_utc, out, notes(w), fresh=fresh),
    )
    curves_stage = stages.add(
        "curves", lambda w: _curves(light_client, core, state_dir, now_utc, notes(w))
    )
    dfa_stage = stages.add(
        "dfa", lambda w: _update_dfa(settings, detail_client, core, now_utc, state_dir, notes(w))
    )
    chat_stage = stages.add(
        "comments",
        lambda w: _update_chat(settings, light_client, core, now_utc, state_dir, notes(w)),
    )
    outcome.warnings.extend(stages.run())
    history, intervals = history_stage.result(), intervals_stage.result()
    (terrain_cache, terrain), routes = terrain_stage.result(), routes_stage.result()
    curves, dfa = curves_stage.result(), dfa_stage.result()
    chat_cache, chat_notes = chat_stage.result()
    intervals = replace(
        intervals,
        file=with_dfa(
            intervals.file,
            dfa.cache,
            core.activities,
            core.today,
            anonymize=settings.anonymize,
            units=units,
        ),
    )
    extras = _activity_extras(core, units, activities_with_intervals(intervals), terrain)
    extras = _with_session_detail(extras, core, dfa, chat_notes, intervals)
    latest = _build_latest(
        settings,
        core,
        ftp_history,
        now_utc,
        history.file if history else None,
        extras,
        frozenset(terrain_event_ids(routes)),
        outcome,
        curves,
        dfa.sessions,
    )
    if garmin is not None:
        from section11.outputs.garmin_signals import add_garmin  # Garmin runs only

        latest = add_garmin(
            latest, garmin, core.today, garmin_only=settings.garmin.source == "garmin"
        )

    # Write all files or none, each reduced to the privacy level first (the run state
    # too: it is published with the outputs). Run state and secondary files first,
    # latest.json (what the AI opens) last.
    documents: dict[Path, BaseModel | dict[str, Any]] = {}
    if history is not None:
        # Its on-disk layout is JSON data already: as a model, the privacy pass would
        # have pydantic walk its rows again (a megabyte on a busy account).
        documents[state_dir / HISTORY_STATE_FILE] = history.state.to_doc()
    documents[state_dir / FETCH_STATE_FILE] = intervals.state_file()
    documents[state_dir / TERRAIN_CACHE_FILE] = terrain_cache
    documents[curves.path] = curves.cache
    documents[state_dir / DFA_CACHE_FILE] = dfa.cache
    documents[state_dir / CHAT_CACHE_FILE] = chat_cache
    for name, state in (garmin.states if garmin is not None else {}).items():
        documents[state_dir / name] = state
    documents[out / FTP_HISTORY_FILE] = ftp_history
    documents[out / INTERVALS_FILE] = intervals.file
    documents[out / ROUTES_FILE] = routes
    if history is not None:
        documents[out / HISTORY_FILE] = history.file
    documents[settings.latest_path] = latest
    protected = protect_documents(documents, settings.privacy)
    writes = [
        FileWrite(
            path,
            dumps(data, compact=path.name == HISTORY_STATE_FILE),
            owner_only=path.parent == state_dir,
        )
        for path, data in protected.items()
    ]
    with _writing(out):
        write_files_atomic(writes)
    outcome.files.update({w.path.name: len(w.payload) for w in writes if w.path.parent == out})
    dashboard = _write_dashboard(
        settings,
        core,
        protected[settings.latest_path],
        protected.get(out / HISTORY_FILE),
        history,
        outcome,
    )

    if inputs is not None and history is not None and dashboard is not None:
        _record_build(
            record_path,
            inputs,
            core,
            now_utc,
            client,
            intervals,
            routes,
            folder=out,
            written={w.path: w.payload for w in writes}
            | {out / name: payload for name, payload in dashboard.items()},
            sizes=outcome.files,
        )
    else:
        build_record.forget_record(record_path)
    return garmin.requests if garmin and settings.garmin.source == "both" else 0


def _record_build(
    record_path: Path,
    inputs: str,
    core: CoreData,
    now_utc: datetime,
    client: IntervalsClient,
    intervals: IntervalsResult,
    routes: RoutesFile,
    *,
    folder: Path,
    written: Mapping[Path, bytes],
    sizes: Mapping[str, int],
) -> None:
    """Record a clean build (``written``: every file it wrote, under the output ``folder``);
    one with a failed request or a fetch due on the next run is not recorded, so the next
    run builds again."""
    states = intervals.fetch_state.values()
    due_next_run = client.stats.failures > 0 or any(
        st.status == "pending" and st.next_retry_at is None for st in states
    )
    if due_next_run:
        build_record.forget_record(record_path)
        return
    recheck_at = build_record.earliest(
        [
            *(datetime.fromisoformat(st.next_retry_at) for st in states if st.next_retry_at),
            *(entry.retry_after for entry in routes.events),
        ]
    )
    build_record.save_record(
        record_path,
        inputs=inputs,
        today=core.today,
        now_utc=now_utc,
        recheck_at=recheck_at,
        written=written,
        folder=folder,
        sizes=sizes,
    )


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A failed write (disk full, permissions) is one clear line, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise Section11Error(
            f"cannot write {exc.filename or path}: {exc.strerror or exc}; check the free disk "
            "space and the permissions of the output folder (no file was changed)"
        ) from None


# ------------------------------------------------------------------------------ stages


def _units_for(core: CoreData) -> DisplayUnits:
    athlete = core.athlete
    return DisplayUnits.from_athlete_settings(
        measurement_preference=athlete.measurement_preference,
        weight_pref_lb=athlete.weight_pref_lb,
        fahrenheit=athlete.fahrenheit,
        wind_speed=athlete.wind_speed,
        rain=athlete.rain,
        height_units=athlete.height_units,
    )


def _garmin_signals(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    now_utc: datetime,
    state_dir: Path,
    outcome: SyncOutcome,
    progress: Callable[[str], None],
) -> GarminSignals | None:
    """Garmin's own daily signals when Garmin is a second source (docs/garmin.md)."""
    if not settings.garmin.uses_garmin:
        return None
    # Imported here: an Intervals.icu-only run never loads the Garmin modules.
    from section11.sources.garmin.signals import GarminSignals, fetch_signals

    signals = getattr(client, "signals", None)  # Garmin alone: fetched with the core data
    if not isinstance(signals, GarminSignals):
        progress("fetching Garmin Connect signals")
        signals = fetch_signals(
            settings.garmin, state_dir, core.today, activities=core.activities, now_utc=now_utc
        )
    outcome.warnings.extend(signals.warnings)
    return signals


def _update_history(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    ftp_history: FtpHistory,
    units: DisplayUnits,
    now_utc: datetime,
    outcome: SyncOutcome,
    progress: Callable[[str], None],
) -> HistoryResult | None:
    """history.json from its stored state; any failure here is a warning, never fatal."""
    out = settings.output_dir
    # A corrupt or foreign history.json is moved aside (it is rebuilt from the state).
    _, notes = load_history_file(out / HISTORY_FILE, now_utc)
    outcome.warnings.extend(notes)
    state, notes = load_history_state(out / STATE_DIR / HISTORY_STATE_FILE, now_utc)
    outcome.warnings.extend(notes)
    try:
        result = update_history(
            state,
            core.activities,
            core.wellness,
            core.recent_start,
            lambda oldest, newest: fetch_history_range(client, oldest, newest),
            ftp_history.outdoor,
            settings,
            core.today,
            now_utc,
            rebuild=settings.rebuild_history,
            progress=progress,
            indoor_ftp_series=ftp_history.indoor,
            units=units,
        )
    except AuthenticationError:
        raise
    except Section11Error as exc:
        outcome.warnings.append(f"history.json was not updated: {exc}")
        return None
    outcome.warnings.extend(result.warnings)
    return result


def _update_intervals(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    outcome: SyncOutcome,
    *,
    fresh: bool = False,
) -> IntervalsResult:
    out = settings.output_dir
    previous, notes = load_previous_intervals(
        out / INTERVALS_FILE, out / STATE_DIR / FETCH_STATE_FILE, now_utc
    )
    outcome.warnings.extend(notes)
    return update_intervals(
        None if fresh else previous,
        core.activities,
        interval_fetcher(client),
        core.today,
        now_utc,
        anonymize=settings.anonymize,
        units=units,
    )


def _update_terrain(
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    state_dir: Path,
    outcome: SyncOutcome,
    *,
    fresh: bool = False,
) -> tuple[TerrainCache, dict[str, ActivityTerrainResult]]:
    cache, notes = load_terrain_cache(state_dir / TERRAIN_CACHE_FILE, now_utc)
    outcome.warnings.extend(notes)
    return update_activity_terrain(
        None if fresh else cache, core.activities, terrain_fetcher(client), units, core.today
    )


@dataclass(frozen=True)
class _DfaResult:
    cache: DfaCache
    sessions: list[DfaSession]


def _update_dfa(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    now_utc: datetime,
    state_dir: Path,
    outcome: SyncOutcome,
) -> _DfaResult:
    cache, sessions = update_dfa_sessions(
        _loaded(load_dfa_cache(state_dir / DFA_CACHE_FILE, now_utc), outcome),
        core.activities,
        dfa_fetcher(client),
        core.today,
        anonymize=settings.anonymize,
    )
    return _DfaResult(cache, sessions)


def _curves(
    client: IntervalsClient,
    core: CoreData,
    state_dir: Path,
    now_utc: datetime,
    outcome: SyncOutcome,
) -> CurveResult:
    curves = curves_for_run(client, core, state_dir, now_utc)
    outcome.warnings.extend(curves.warnings)
    return curves


def _update_chat(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    now_utc: datetime,
    state_dir: Path,
    outcome: SyncOutcome,
) -> tuple[ChatCache, dict[str, list[str]]]:
    if settings.privacy.at_least(PrivacyLevel.STRICT):
        # No free text at these levels: comments are neither fetched nor kept.
        return ChatCache(), {}
    return update_chat_notes(
        _loaded(load_chat_cache(state_dir / CHAT_CACHE_FILE, now_utc), outcome),
        core.activities,
        message_fetcher(client),
        core.today,
    )


def _loaded(result: tuple[T | None, list[str]], outcome: SyncOutcome) -> T | None:
    """A loaded state file; its warnings go to the run's warnings."""
    model, notes = result
    outcome.warnings.extend(notes)
    return model


def _with_session_detail(
    extras: Mapping[str, ActivityExtras],
    core: CoreData,
    dfa: _DfaResult,
    chat_notes: Mapping[str, list[str]],
    intervals: IntervalsResult,
) -> dict[str, ActivityExtras]:
    """DFA and comments of each activity, next to its terrain and weather. An activity
    without an intervals.json entry has no intervals (False), unless its fetch is pending."""
    pending = {aid for aid, st in intervals.fetch_state.items() if st.status == "pending"}
    flags = has_dfa(dfa.cache, core.activities, core.today)
    blocks = {aid: e.dfa for aid, e in dfa.cache.activities.items()}
    out: dict[str, ActivityExtras] = {}
    for aid, extra in extras.items():
        out[aid] = replace(
            extra,
            has_intervals=extra.has_intervals
            if extra.has_intervals is not None or aid in pending
            else False,
            has_dfa=flags.get(aid),
            dfa_summary=dfa_summary(blocks.get(aid)),
            chat_notes=tuple(chat_notes.get(aid, ())),
        )
    return out


def _update_routes(
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    out: Path,
    outcome: SyncOutcome,
    *,
    fresh: bool = False,
) -> RoutesFile:
    previous, notes = load_routes_file(out / ROUTES_FILE, now_utc)
    outcome.warnings.extend(notes)
    return build_routes(
        route_events(core.events, core.today),
        None if fresh else previous,
        attachment_fetcher(client),
        now_utc,
        units,
    )


def _activity_extras(
    core: CoreData,
    units: DisplayUnits,
    has_intervals: Mapping[str, bool],
    terrain: Mapping[str, ActivityTerrainResult],
) -> dict[str, ActivityExtras]:
    extras: dict[str, ActivityExtras] = {}
    for activity in core.activities:
        if activity.id is None or activity.is_strava_stub:
            continue
        result = terrain.get(activity.id)
        weather = (
            weather_summary(activity, units)
            if is_outdoor(activity.type, activity.trainer)
            else None
        )
        extras[activity.id] = ActivityExtras(
            has_intervals=has_intervals.get(activity.id),
            terrain_summary=(
                result.terrain_summary.model_dump(mode="json", exclude=set(ROUTE_ONLY_FIELDS))
                if result is not None and result.terrain_summary is not None
                else None
            ),
            terrain_status=result.status if result is not None else None,
            terrain_error=result.error if result is not None and result.status != "ok" else None,
            weather_summary=weather.model_dump(mode="json") if weather is not None else None,
        )
    return extras


def _build_latest(
    settings: Settings,
    core: CoreData,
    ftp_history: FtpHistory,
    now_utc: datetime,
    history: HistoryFile | None,
    extras: Mapping[str, ActivityExtras],
    route_event_ids: frozenset[int],
    outcome: SyncOutcome,
    curves: CurveResult | None = None,
    dfa_sessions: Sequence[DfaSession] = (),
) -> LatestFile:
    latest = build_latest(
        LatestInputs(
            athlete=core.athlete,
            activities=core.activities,
            wellness=core.wellness,
            events=core.events,
            health_events=core.health_events,
            ftp_history=ftp_history,
            settings=settings,
            now_utc=now_utc,
            today=core.today,
            version=__version__,
            history=HistoryBlock.model_validate(history_block(history, now_utc)),
            activity_extras=extras,
            terrain_event_ids=route_event_ids,
            warnings=tuple(outcome.warnings),
            weekly_phases={
                row.week_start: row.phase_detected for row in history.weekly_180d if row.complete
            }
            if history is not None
            else {},
            curves=curves.curves if curves is not None else None,
            dfa_sessions=dfa_sessions,
        )
    )
    # Counts for the console and the Actions summary come from the file the AI reads.
    outcome.activities_in_window = sum(1 for a in latest.recent_activities if a.in_display_window)
    outcome.strava_stubs = latest.derived_metrics.data_quality.strava_stub_activities or 0
    if outcome.strava_stubs:
        outcome.warnings.append(strava_warning(outcome.strava_stubs))
    return latest


def _write_dashboard(
    settings: Settings,
    core: CoreData,
    latest_json: dict[str, Any],
    history_json: dict[str, Any] | None,
    history: HistoryResult | None,
    outcome: SyncOutcome,
) -> Mapping[str, bytes] | None:
    """dashboard.html and its SVG charts, from the data just written (already reduced to the
    privacy level); never fails the sync. Returns the files written (name -> bytes), or
    None (and a warning) when they were not written."""
    from section11.outputs.dashboard import (
        RUN_LOG_DAYS,
        DashboardOptions,
        calendar_facts,
        render_dashboard,
        write_dashboard,
    )

    try:
        facts = calendar_facts(core.activities, core.events, core.health_events, core.today)
        if history is not None:
            # A year of rows shaped like daily_90d, from the days history.json was built from.
            rows = history.daily_rows(RUN_LOG_DAYS)
            facts = facts.with_daily_rows(row.model_dump(mode="json") for row in rows)
        if settings.privacy in (PrivacyLevel.STRICT, PrivacyLevel.METRICS):
            facts = facts.without_names()  # no free text at these levels
        files = render_dashboard(
            latest_json,
            history_json,
            facts,
            DashboardOptions(anonymize=settings.anonymize),
        )
        outcome.files.update(write_dashboard(settings.output_dir, files))
    except Exception as exc:  # the JSON files are written: a chart must not fail the run
        log.debug("dashboard rendering failed", exc_info=True)
        outcome.warnings.append(f"dashboard.html was not updated: {type(exc).__name__}: {exc}")
        return None
    return files
