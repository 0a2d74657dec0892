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
from datetime import date, datetime, timedelta
from pathlib import Path

from section11 import __version__
from section11.clock import Clock, local_today
from section11.config import STATE_DIR, Secret, Settings
from section11.sources.intervals_icu.client import IntervalsClient, RetryPolicy
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

# Per-activity detail is retried by later runs, so a flaky endpoint should not hold this
# run up with six in-run attempts each.
DETAIL_RETRY = RetryPolicy(max_attempts=2, backoff_base=0.5, backoff_cap=5.0)


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
    from section11.outputs.ftp_history import load_ftp_history, update_ftp_history

    started = time.monotonic()
    out = settings.output_dir
    state_dir = out / STATE_DIR
    # Read what must never be overwritten first: a corrupt ftp_history stops the run
    # (it is moved aside) before any request is made.
    ftp_history = load_ftp_history(out / FTP_HISTORY_FILE, now_utc)

    progress("fetching athlete, activities, wellness and calendar")
    core = fetch_core(client, now_utc)
    outcome = SyncOutcome(today=core.today, warnings=list(core.warnings))
    ftp_history, _ = update_ftp_history(ftp_history, core.athlete, core.today)
    units = _units_for(core)

    history_file = _update_history(
        settings, client, core, ftp_history.outdoor, now_utc, state_dir, outcome, progress
    )
    extras, intervals_file, terrain_cache = _update_activity_detail(
        settings, client, core, units, now_utc, out, state_dir, outcome
    )
    routes_file, terrain_event_ids = _update_routes(client, core, units, now_utc, out, outcome)

    latest = _build_latest(
        settings, core, ftp_history, now_utc, history_file, extras, terrain_event_ids, outcome
    )

    # Write: state and secondary files first, latest.json (what the AI opens) last.
    writes: list[tuple[Path, object]] = [(out / FTP_HISTORY_FILE, ftp_history)]
    if history_file is not None:
        writes.append((out / HISTORY_FILE, history_file[0]))
        writes.append((state_dir / HISTORY_STATE_FILE, history_file[1]))
    if intervals_file is not None:
        writes.append((out / INTERVALS_FILE, intervals_file))
    if terrain_cache is not None:
        writes.append((state_dir / TERRAIN_CACHE_FILE, terrain_cache))
    if routes_file is not None:
        writes.append((out / ROUTES_FILE, routes_file))
    writes.append((settings.latest_path, latest))
    for path, model in writes:
        size = write_json_atomic(path, model)
        if path.parent == out:
            outcome.files[path.name] = size

    outcome.requests = client.stats.requests
    outcome.bytes_received = client.stats.bytes_received
    outcome.seconds = time.monotonic() - started
    return outcome


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


def _update_history(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    ftp_series: Mapping[str, int],
    now_utc: datetime,
    state_dir: Path,
    outcome: SyncOutcome,
    progress: Callable[[str], None],
) -> tuple[object, object] | None:
    from section11.outputs.history import load_history_state, update_history

    state, notes = load_history_state(state_dir / HISTORY_STATE_FILE, now_utc)
    outcome.warnings.extend(notes)
    result = update_history(
        state,
        core.activities,
        core.wellness,
        core.recent_start,
        lambda oldest, newest: fetch_history_range(client, oldest, newest),
        ftp_series,
        settings,
        core.today,
        now_utc,
        rebuild=settings.rebuild_history,
        progress=progress,
    )
    outcome.warnings.extend(result.warnings)
    return result.file, result.state


def _update_activity_detail(
    settings: Settings,
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    out: Path,
    state_dir: Path,
    outcome: SyncOutcome,
) -> tuple[dict[str, object], object | None, object | None]:
    from section11.outputs.activity_extras import load_terrain_cache, update_activity_terrain
    from section11.outputs.intervals import (
        activities_with_intervals,
        load_intervals_file,
        update_intervals,
    )
    from section11.sources.intervals_icu.detail import interval_fetcher, terrain_fetcher

    detail_client = client.with_retry(DETAIL_RETRY)
    previous, notes = load_intervals_file(out / INTERVALS_FILE, now_utc)
    outcome.warnings.extend(notes)
    intervals_file = update_intervals(
        previous,
        core.activities,
        interval_fetcher(detail_client),
        core.today,
        now_utc,
        anonymize=settings.anonymize,
        units=units,
    )
    cache, notes = load_terrain_cache(state_dir / TERRAIN_CACHE_FILE, now_utc)
    outcome.warnings.extend(notes)
    terrain_cache, terrain = update_activity_terrain(
        cache, core.activities, terrain_fetcher(detail_client), units, core.today
    )
    extras: dict[str, object] = {
        "has_intervals": activities_with_intervals(intervals_file),
        "terrain": terrain,
    }
    return extras, intervals_file, terrain_cache


def _update_routes(
    client: IntervalsClient,
    core: CoreData,
    units: DisplayUnits,
    now_utc: datetime,
    out: Path,
    outcome: SyncOutcome,
) -> tuple[object | None, frozenset[int]]:
    from section11.outputs.routes import (
        build_routes,
        load_routes_file,
        route_events,
        terrain_event_ids,
    )
    from section11.sources.intervals_icu.detail import attachment_fetcher

    previous, notes = load_routes_file(out / ROUTES_FILE, now_utc)
    outcome.warnings.extend(notes)
    routes = build_routes(
        route_events(core.events, core.today),
        previous,
        attachment_fetcher(client.with_retry(DETAIL_RETRY)),
        now_utc,
        units,
    )
    return routes, frozenset(terrain_event_ids(routes))


def _build_latest(
    settings: Settings,
    core: CoreData,
    ftp_history: object,
    now_utc: datetime,
    history: tuple[object, object] | None,
    extras: Mapping[str, object],
    terrain_event_ids: frozenset[int],
    outcome: SyncOutcome,
) -> object:
    from section11.outputs.history import history_block
    from section11.outputs.latest import LatestInputs, build_latest

    window_start = core.today - timedelta(days=settings.days - 1)
    in_window = [
        a for a in core.activities if a.local_date and window_start <= a.local_date <= core.today
    ]
    outcome.strava_stubs = sum(1 for a in in_window if a.is_strava_stub)
    outcome.activities_in_window = len(in_window) - outcome.strava_stubs
    if outcome.strava_stubs:
        outcome.warnings.append(
            f"{outcome.strava_stubs} activit{'y' if outcome.strava_stubs == 1 else 'ies'} "
            "came from Strava, which does not let Intervals.icu share them through its API; "
            "connect your device directly to Intervals.icu"
        )
    return build_latest(
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
            history=history_block(history[0] if history else None, now_utc),
            activity_extras=extras,
            terrain_event_ids=terrain_event_ids,
            warnings=tuple(outcome.warnings),
        )
    )


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
