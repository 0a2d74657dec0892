"""One sync run: fetch -> metrics -> outputs -> store (-> publish).

Nothing is written until every core fetch has succeeded, so a failed run leaves the
previous files exactly as they were. Optional parts (history, interval detail, terrain,
routes, the update check) degrade to warnings instead of failing the run.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import BaseModel

from section11 import __version__
from section11.clock import Clock, local_today
from section11.config import STATE_DIR, Secret, Settings
from section11.errors import AuthenticationError, Section11Error
from section11.metrics.sports import is_outdoor
from section11.outputs.activity_extras import (
    ActivityTerrainResult,
    TerrainCache,
    load_terrain_cache,
    update_activity_terrain,
    weather_summary,
)
from section11.outputs.ftp_history import FtpHistory, load_ftp_history, update_ftp_history
from section11.outputs.garmin_signals import add_garmin
from section11.outputs.history import HistoryResult, history_block, update_history
from section11.outputs.history_models import HistoryFile
from section11.outputs.history_store import (
    load_history_file,
    load_history_state,
    save_history_state,
)
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
from section11.sources.garmin.signals import GarminSignals, fetch_signals
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.detail import (
    DETAIL_RETRY,
    attachment_fetcher,
    interval_fetcher,
    terrain_fetcher,
)
from section11.sources.intervals_icu.fetch import CoreData, fetch_core, fetch_history_range
from section11.store import write_json_atomic
from section11.units import DisplayUnits

log = logging.getLogger("section11")

FTP_HISTORY_FILE = "ftp_history.json"
HISTORY_FILE = "history.json"
INTERVALS_FILE = "intervals.json"
ROUTES_FILE = "routes.json"
HISTORY_STATE_FILE = "history-state.json"
TERRAIN_CACHE_FILE = "activity-terrain.json"


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
    lock = (
        SyncLock(settings.lockfile, now=now_utc) if settings.lockfile else contextlib.nullcontext()
    )
    with lock, _client_for(settings, now_utc) as client:
        outcome = sync(settings, client, now_utc, progress=_progress(settings))
        _report(settings, outcome)
        if settings.publish:
            from section11.publish.flow import publish_run

            return publish_run(settings, outcome, now_utc, env)
    return 0


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
    core = fetch_core(client, now_utc)
    outcome = SyncOutcome(today=core.today, warnings=list(core.warnings))
    garmin = _garmin_signals(settings, client, core, now_utc, state_dir, outcome, progress)
    ftp_history, _ = update_ftp_history(ftp_history, core.athlete, core.today)
    units = _units_for(core)
    detail_client = client.with_retry(DETAIL_RETRY)

    history = _update_history(settings, client, core, ftp_history, now_utc, outcome, progress)
    intervals = _update_intervals(settings, detail_client, core, units, now_utc, outcome)
    terrain_cache, terrain = _update_terrain(
        detail_client, core, units, now_utc, state_dir, outcome
    )
    routes = _update_routes(detail_client, core, units, now_utc, out, outcome)
    extras = _activity_extras(core, units, activities_with_intervals(intervals), terrain)
    latest = _build_latest(
        settings,
        core,
        ftp_history,
        now_utc,
        history.file if history else None,
        extras,
        frozenset(terrain_event_ids(routes)),
        outcome,
    )
    if garmin is not None:
        latest = add_garmin(
            latest, garmin, core.today, garmin_only=settings.garmin.source == "garmin"
        )

    # Write: run state and secondary files first, latest.json (what the AI opens) last.
    if history is not None:
        state_path = state_dir / HISTORY_STATE_FILE
        with _writing(state_path):
            save_history_state(state_path, history.state)
    for name, state in (garmin.states if garmin is not None else {}).items():
        with _writing(state_dir / name):
            write_json_atomic(state_dir / name, state)
    with _writing(state_dir / TERRAIN_CACHE_FILE):
        write_json_atomic(state_dir / TERRAIN_CACHE_FILE, terrain_cache)
    files: list[tuple[Path, BaseModel]] = [
        (out / FTP_HISTORY_FILE, ftp_history),
        (out / INTERVALS_FILE, intervals),
        (out / ROUTES_FILE, routes),
    ]
    if history is not None:
        files.append((out / HISTORY_FILE, history.file))
    files.append((settings.latest_path, latest))
    for path, model in files:
        with _writing(path):
            outcome.files[path.name] = write_json_atomic(path, model)

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
            f"cannot write {path}: {exc.strerror or exc}; check the free disk space and the "
            "permissions of the output folder (the previous version of the file was kept)"
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
) -> IntervalsFile:
    previous, notes = load_intervals_file(settings.output_dir / INTERVALS_FILE, now_utc)
    outcome.warnings.extend(notes)
    return update_intervals(
        previous,
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
) -> tuple[TerrainCache, dict[str, ActivityTerrainResult]]:
    cache, notes = load_terrain_cache(state_dir / TERRAIN_CACHE_FILE, now_utc)
    outcome.warnings.extend(notes)
    return update_activity_terrain(
        cache, core.activities, terrain_fetcher(client), units, core.today
    )


def _update_routes(
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    out: Path,
    outcome: SyncOutcome,
) -> RoutesFile:
    previous, notes = load_routes_file(out / ROUTES_FILE, now_utc)
    outcome.warnings.extend(notes)
    return build_routes(
        route_events(core.events, core.today),
        previous,
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
        )
    )
    # Counts for the console and the Actions summary come from the file the AI reads.
    outcome.activities_in_window = len(latest.recent_activities)
    outcome.strava_stubs = latest.derived_metrics.data_quality.strava_stub_activities or 0
    if outcome.strava_stubs:
        outcome.warnings.append(
            f"{outcome.strava_stubs} activit{'y' if outcome.strava_stubs == 1 else 'ies'} of the "
            "last 28 days came from Strava, which does not let Intervals.icu share them through "
            "its API; connect your device directly to Intervals.icu"
        )
    return latest


# ------------------------------------------------------------------------------ console


def _progress(settings: Settings) -> Callable[[str], None]:
    def emit(message: str) -> None:
        if not settings.quiet:
            log.info("%s", message)

    return emit


def _report(settings: Settings, outcome: SyncOutcome) -> None:
    for warning in outcome.warnings:
        log.warning("%s", warning)
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
