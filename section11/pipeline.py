"""One sync run: fetch -> metrics -> outputs -> store (-> publish).

Nothing is written until every core fetch has succeeded, so a failed run leaves the
previous files exactly as they were. Optional parts (history, interval detail, terrain,
routes, the update check) degrade to warnings instead of failing the run.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from section11 import __version__
from section11.clock import Clock, local_today
from section11.config import STATE_DIR, Secret, Settings
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
from section11.outputs.ftp_history import FtpHistory, load_ftp_history, update_ftp_history
from section11.outputs.history import HistoryResult, history_block, update_history
from section11.outputs.history_models import HistoryFile
from section11.outputs.history_store import load_history_file, load_history_state
from section11.outputs.intervals import (
    activities_with_intervals,
    load_intervals_file,
    update_intervals,
)
from section11.outputs.intervals_models import IntervalsFile
from section11.outputs.latest import ActivityExtras, LatestInputs, build_latest
from section11.outputs.latest_models import HistoryBlock, LatestFile
from section11.outputs.routes import (
    RoutesFile,
    build_routes,
    load_routes_file,
    route_events,
    terrain_event_ids,
)
from section11.pipeline_stages import Stages
from section11.previous_zone import previous_timezone
from section11.privacy import PrivacyLevel, privacy_relaxed, protect_documents
from section11.privacy.public_repo import check_repository_visibility
from section11.sources.intervals_icu.client import LANE_DETAIL, LANE_LAST, IntervalsClient
from section11.sources.intervals_icu.detail import (
    DETAIL_RETRY,
    attachment_fetcher,
    dfa_fetcher,
    interval_fetcher,
    message_fetcher,
    terrain_fetcher,
)
from section11.sources.intervals_icu.fetch import CoreData, fetch_core, fetch_history_range
from section11.store import FileWrite, dumps, write_files_atomic
from section11.units import DisplayUnits

if TYPE_CHECKING:
    from section11.sources.garmin.signals import GarminSignals

log = logging.getLogger("section11")
T = TypeVar("T")

FTP_HISTORY_FILE = "ftp_history.json"
HISTORY_FILE = "history.json"
INTERVALS_FILE = "intervals.json"
ROUTES_FILE = "routes.json"
HISTORY_STATE_FILE = "history-state.json"
TERRAIN_CACHE_FILE = "activity-terrain.json"
QUIET_WARNINGS_FILE = "quiet-warnings.json"
DFA_CACHE_FILE = "activity-dfa.json"
CHAT_CACHE_FILE = "activity-messages.json"


@dataclass
class SyncOutcome:
    """What a run wrote and noticed; used for the console and the Actions job summary."""

    today: date
    files: dict[str, int] = field(default_factory=dict)  # file name -> bytes written
    warnings: list[str] = field(default_factory=list)
    activities_in_window: int = 0
    strava_stubs: int = 0
    requests: int = 0
    bytes_received: int = 0
    seconds: float = 0.0


def run(settings: Settings, *, clock: Clock, env: Mapping[str, str]) -> int:
    """Run one sync from settings; returns the process exit code."""
    from section11.lock import SyncLock

    now_utc = clock.now_utc()
    if settings.publish:
        from section11.publish.flow import check_publishable

        check_publishable(settings)  # before the lock and any request, not after a long sync
        settings = check_repository_visibility(settings, env)  # public repos: strict
    lock = (
        SyncLock(settings.lockfile, now=now_utc) if settings.lockfile else contextlib.nullcontext()
    )
    with lock, _client_for(settings, now_utc) as client:
        try:
            outcome = sync(settings, client, now_utc, progress=_progress(settings))
        except AuthenticationError as exc:
            _name_the_right_athlete(settings, exc)
            raise
        _report(settings, outcome, now_utc)
        if settings.publish:
            from section11.publish.flow import publish_run

            return publish_run(settings, outcome, now_utc, env)
    return 0


def _name_the_right_athlete(settings: Settings, exc: AuthenticationError) -> None:
    """A refused ATHLETE_ID: ask ``/athlete/0`` whose key this is and say so (one request)."""
    from section11.athlete_id import KEY_OWNER, key_owner

    if settings.demo or settings.athlete_id in (None, KEY_OWNER) or settings.intervals_key is None:
        return

    owner = key_owner(settings.api_base, settings.intervals_key)
    if owner is not None and owner != settings.athlete_id:
        raise AuthenticationError(
            f"ATHLETE_ID {settings.athlete_id} does not match the API key, which belongs to "
            f"athlete {owner}: set ATHLETE_ID to {owner}, or remove it (it is optional)"
        ) from exc


@contextlib.contextmanager
def _client_for(settings: Settings, now_utc: datetime) -> Iterator[IntervalsClient]:
    if settings.demo:
        from section11.demo import DEMO_TIMEZONE, FakeIntervalsServer, generate_demo_athlete

        athlete = generate_demo_athlete(local_today(now_utc, DEMO_TIMEZONE))
        with FakeIntervalsServer(athlete) as server:
            log.info("demo: serving the demo athlete on %s", server.base_url)
            with IntervalsClient(
                server.base_url, athlete.athlete_id, Secret(athlete.api_key)
            ) as client:
                yield client
        return
    if settings.garmin.source == "garmin":
        from section11.sources.garmin.garmin_only import GarminOnlyClient

        with GarminOnlyClient(settings.garmin, settings.output_dir / STATE_DIR, now_utc) as only:
            yield only
        return
    athlete_id, key = settings.require_credentials()
    with IntervalsClient(settings.api_base, athlete_id, key) as client:
        yield client


def sync(
    settings: Settings,
    client: IntervalsClient,
    now_utc: datetime,
    *,
    progress: Callable[[str], None] = lambda message: None,
) -> SyncOutcome:
    """Fetch, compute and write every output file. Raises before writing on core failures."""
    started = time.monotonic()
    out = settings.output_dir
    state_dir = out / STATE_DIR
    # Read what must never be overwritten first: a corrupt ftp_history stops the run
    # (it is moved aside) before any request is made.
    ftp_history = load_ftp_history(out / FTP_HISTORY_FILE, now_utc)

    progress("fetching athlete, activities, wellness and calendar")
    # Garmin-only runs read everything from one local load: nothing to overlap there.
    hint = previous_timezone(settings.latest_path) if settings.garmin.source != "garmin" else None
    core = fetch_core(client, now_utc, hint)
    outcome = SyncOutcome(today=core.today, warnings=list(core.warnings))
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
        lambda w: _update_history(settings, client, core, ftp_history, now_utc, notes(w), progress),
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
    intervals = with_dfa(
        intervals, dfa.cache, core.activities, core.today, anonymize=settings.anonymize, units=units
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
    documents: dict[Path, BaseModel] = {}
    if history is not None:
        documents[state_dir / HISTORY_STATE_FILE] = history.state
    documents[state_dir / TERRAIN_CACHE_FILE] = terrain_cache
    documents[curves.path] = curves.cache
    documents[state_dir / DFA_CACHE_FILE] = dfa.cache
    documents[state_dir / CHAT_CACHE_FILE] = chat_cache
    for name, state in (garmin.states if garmin is not None else {}).items():
        documents[state_dir / name] = state
    documents[out / FTP_HISTORY_FILE] = ftp_history
    documents[out / INTERVALS_FILE] = intervals
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
    _write_dashboard(
        settings,
        core,
        protected[settings.latest_path],
        protected.get(out / HISTORY_FILE),
        history,
        ftp_history,
        outcome,
    )

    outcome.requests = client.stats.requests + (
        garmin.requests if garmin and settings.garmin.source == "both" else 0
    )
    outcome.bytes_received = client.stats.bytes_received
    outcome.seconds = time.monotonic() - started
    return outcome


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
            units=_units_for(core),
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
) -> IntervalsFile:
    previous, notes = load_intervals_file(settings.output_dir / INTERVALS_FILE, now_utc)
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
    intervals: IntervalsFile,
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
                result.terrain_summary.model_dump(mode="json")
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
        outcome.warnings.append(
            f"{outcome.strava_stubs} activit{'y' if outcome.strava_stubs == 1 else 'ies'} of the "
            "last 28 days came from Strava, which does not let Intervals.icu share them through "
            "its API; connect your device directly to Intervals.icu"
        )
    return latest


def _write_dashboard(
    settings: Settings,
    core: CoreData,
    latest_json: dict[str, Any],
    history_json: dict[str, Any] | None,
    history: HistoryResult | None,
    ftp_history: FtpHistory,
    outcome: SyncOutcome,
) -> None:
    """dashboard.html and its SVG charts, from the data just written (already reduced to the
    privacy level); never fails the sync."""
    from section11.outputs.dashboard import (
        RUN_LOG_DAYS,
        DashboardOptions,
        calendar_facts,
        render_dashboard,
        write_dashboard,
    )
    from section11.outputs.history import daily_rows

    try:
        facts = calendar_facts(core.activities, core.events, core.health_events, core.today)
        if history is not None:
            # A year of rows shaped like daily_90d, from the state history.json is built from.
            rows = daily_rows(
                history.state, settings, core.today, RUN_LOG_DAYS, ftp_history.outdoor
            )
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


# ------------------------------------------------------------------------------ console


def _progress(settings: Settings) -> Callable[[str], None]:
    def emit(message: str) -> None:
        if not settings.quiet:
            log.info("%s", message)

    return emit


def _report(settings: Settings, outcome: SyncOutcome, now_utc: datetime) -> None:
    shown, repeated = list(outcome.warnings), list[str]()
    if settings.quiet:
        from section11.warning_digest import split_repeats

        state = settings.output_dir / STATE_DIR / QUIET_WARNINGS_FILE
        shown, repeated = split_repeats(state, outcome.warnings, now_utc)
    for warning in shown:
        log.warning("%s", warning)
    for warning in repeated:  # the log file only: --quiet mails the console once a day
        log.info("%s (still true; on the console once a day)", warning)
    files = ", ".join(f"{name} ({size / 1024:.0f} KB)" for name, size in outcome.files.items())
    log.info(
        "synced %d activities up to %s into %s: %s — %d requests, %.0f KB, %.1f s",
        outcome.activities_in_window,
        outcome.today.isoformat(),
        settings.output_dir,
        files,
        outcome.requests,
        outcome.bytes_received / 1024,
        outcome.seconds,
    )
