"""One sync run: fetch -> (nothing new? stop) -> metrics -> outputs -> store (-> publish).

Nothing is written until every core fetch has succeeded, so a failed run leaves the
previous files exactly as they were. When the core answers, the settings and the code are
those of the last clean build and its files are untouched, the run stops after the fetch
(see ``build_record``); otherwise :mod:`section11.build` makes and writes every file.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from section11 import build_record
from section11.clock import Clock, local_today
from section11.config import STATE_DIR, Secret, Settings
from section11.errors import AuthenticationError
from section11.outputs.ftp_history import load_ftp_history
from section11.previous_zone import timezone_of
from section11.privacy.public_repo import check_repository_visibility
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.fetch import CoreData, fetch_core
from section11.store import read_json

log = logging.getLogger("section11")

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
    # The previous latest.json (None when missing or unreadable): its timezone lets the
    # athlete request go out with the others; a rerun with nothing new reports from it.
    previous = read_json(settings.latest_path).data
    # Garmin-only runs read everything from one local load: nothing to overlap there.
    hint = timezone_of(previous) if settings.garmin.source != "garmin" else None
    core = fetch_core(client, now_utc, hint)
    outcome = SyncOutcome(today=core.today, warnings=list(core.warnings))
    record_path = state_dir / build_record.RECORD_FILE
    inputs = _inputs_if_recordable(settings, core)
    if inputs is not None and _unchanged_since_last_build(
        settings, record_path, inputs, core, now_utc, outcome, previous
    ):
        return _finish(outcome, client, started, garmin_requests=0)
    # Only a build loads the builders: a rerun with nothing new never imports them.
    from section11.build import build_files

    garmin_requests = build_files(
        settings,
        client,
        core,
        ftp_history,
        now_utc,
        outcome,
        progress,
        record_path=record_path,
        inputs=inputs,
    )
    return _finish(outcome, client, started, garmin_requests=garmin_requests)


def _finish(
    outcome: SyncOutcome, client: IntervalsClient, started: float, *, garmin_requests: int
) -> SyncOutcome:
    outcome.requests = client.stats.requests + garmin_requests
    outcome.bytes_received = client.stats.bytes_received
    outcome.seconds = time.monotonic() - started
    return outcome


# ------------------------------------------------------------------------------ rerun record


def _inputs_if_recordable(settings: Settings, core: CoreData) -> str | None:
    """The digest of this run's inputs, or None when a build must always run (Garmin
    signals are not part of the digest; ``--rebuild-history`` asks for a build)."""
    if settings.garmin.source != "intervals" or settings.rebuild_history:
        return None
    return build_record.inputs_digest(settings, core)


def _unchanged_since_last_build(
    settings: Settings,
    record_path: Path,
    inputs: str,
    core: CoreData,
    now_utc: datetime,
    outcome: SyncOutcome,
    previous: Any,
) -> bool:
    """True when the last build stands: the outcome is filled from ``previous`` (the
    latest.json it wrote, decoded)."""
    record = build_record.load_record(record_path)
    reason = build_record.why_build(record, inputs, core.today, now_utc, settings.output_dir)
    if reason is not None or record is None:
        log.debug("building the files: %s", reason)
        return False
    quality = _dig(previous, "derived_metrics", "data_quality")
    kept = quality.get("warnings") if isinstance(quality, dict) else None
    outcome.warnings = list(core.warnings) + [
        w
        for w in (kept if isinstance(kept, list) else [])
        if isinstance(w, str) and w not in core.warnings
    ]
    stubs = quality.get("strava_stub_activities") if isinstance(quality, dict) else None
    outcome.strava_stubs = stubs if isinstance(stubs, int) else 0
    if outcome.strava_stubs:
        outcome.warnings.append(strava_warning(outcome.strava_stubs))
    recent = _dig(previous, "recent_activities")
    outcome.activities_in_window = sum(
        1
        for a in (recent if isinstance(recent, list) else [])
        if isinstance(a, dict) and a.get("in_display_window")
    )
    outcome.files.update(record.sizes)
    log.info(
        "nothing new since the build of %s: the files were left as they were",
        record.built_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    return True


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def strava_warning(count: int) -> str:
    return (
        f"{count} activit{'y' if count == 1 else 'ies'} of the last 28 days came from Strava, "
        "which does not let Intervals.icu share them through its API; connect your device "
        "directly to Intervals.icu"
    )


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
