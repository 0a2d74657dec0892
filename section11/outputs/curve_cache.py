"""Power and HR curves for the capability block, fetched only when something changed.

The curves of a 28- or 42-day window change only when an activity in it is added, edited
or removed, or when the window moves (a new day). So the answers are kept in
``<output_dir>/.section11/curves.json`` together with a fingerprint of what they were
fetched for: today's date, the requests (their curve ids embed the windows) and, for every
fetched activity, its id, date, type, duration, load and analysis/sync stamps. A run whose
fingerprint matches makes no curve request at all.

A request that fails transiently (5xx, timeout) keeps its previous answer and leaves the
fingerprint unset, so the next run asks again; a request the API refuses for good (4xx) is
stored as empty, so it is not repeated every run. Curves are matched to windows by id, so
an answer kept from an earlier day never stands in for today's windows.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from section11.metrics.sports import family_of
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.curve_models import DataCurve
from section11.sources.intervals_icu.curves import CurveRequest, curve_fetcher, curve_requests
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.fetch import CoreData
from section11.sources.intervals_icu.models import Activity
from section11.store import load_model

log = logging.getLogger(__name__)

CACHE_VERSION: Literal[1] = 1
CACHE_FILE = "curves.json"

CurveFetcher = Callable[[Sequence[CurveRequest]], Mapping[CurveRequest, FetchOutcome]]


class CurveCache(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cache_version: Literal[1] = CACHE_VERSION
    fingerprint: str | None = Field(
        default=None, description="What the stored answers were fetched for; null = retry"
    )
    curves: dict[str, list[DataCurve]] = Field(
        default_factory=dict, description="Answers by request key (power:Ride, hr:all, ...)"
    )


@dataclass
class CurveResult:
    cache: CurveCache
    curves: dict[str, list[DataCurve]]
    requests_made: int = 0
    warnings: list[str] = field(default_factory=list)
    path: Path = Path(CACHE_FILE)  # where the pipeline writes ``cache``

    def get(self, kind: str, sport: str | None) -> list[DataCurve]:
        return self.curves.get(f"{kind}:{sport or 'all'}", [])


def load_curve_cache(path: Path, now_utc: datetime) -> tuple[CurveCache | None, list[str]]:
    return load_model(
        path,
        CurveCache,
        now_utc,
        consequence="the power and HR curves are fetched again",
        version_key="cache_version",
        version=CACHE_VERSION,
    )


def curves_fingerprint(
    today: date, requests: Iterable[CurveRequest], activities: Iterable[Activity]
) -> str:
    """A digest of everything the curve answers depend on that this run can see."""
    acts = sorted(
        (
            a.id or "",
            a.start_date_local or "",
            a.type or "",
            a.moving_time,
            a.icu_training_load,
            a.analyzed or "",
            a.icu_sync_date or "",
        )
        for a in activities
        if not a.is_strava_stub
    )
    payload = {
        "today": today.isoformat(),
        "requests": sorted([r.key, *r.curves] for r in requests),
        "activities": acts,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def update_curves(
    cache: CurveCache | None,
    requests: Sequence[CurveRequest],
    fingerprint: str,
    fetch: CurveFetcher,
) -> CurveResult:
    """The curves for this run: the cached ones when nothing changed, else fetched."""
    cache = cache or CurveCache()
    if cache.fingerprint == fingerprint:
        return CurveResult(cache=cache, curves=dict(cache.curves))
    outcomes = fetch(requests)
    curves: dict[str, list[DataCurve]] = {}
    warnings: list[str] = []
    complete = True
    for request in requests:
        outcome = outcomes.get(request)
        if outcome is None or outcome.kind == "transient":
            complete = False
            curves[request.key] = list(cache.curves.get(request.key, []))
            reason = outcome.reason if outcome is not None else "not fetched"
            warnings.append(
                f"{request.kind} curves ({request.sport or 'all sports'}) could not be fetched "
                f"({reason}); the curve metrics keep the last answer for the same windows, "
                "or are null, until the next run"
            )
        elif outcome.kind == "ok":
            curves[request.key] = list(outcome.data)
        else:  # no_data, or refused for good: nothing to show, and nothing to retry
            if outcome.kind == "permanent":
                log.info("%s curves refused: %s", request.key, outcome.reason)
            curves[request.key] = []
    new_cache = CurveCache(fingerprint=fingerprint if complete else None, curves=curves)
    return CurveResult(
        cache=new_cache, curves=curves, requests_made=len(requests), warnings=warnings
    )


def curves_for_run(
    client: IntervalsClient, core: CoreData, state_dir: Path, now_utc: datetime
) -> CurveResult:
    """Load the cache, fetch what changed and say where to write the cache back."""
    path = state_dir / CACHE_FILE
    cache, notes = load_curve_cache(path, now_utc)
    window_28 = core.today - timedelta(days=27)
    families = {
        family_of(a.type)
        for a in core.activities
        if not a.is_strava_stub and a.local_date is not None and window_28 <= a.local_date
    }
    requests = curve_requests(core.today, families)
    result = update_curves(
        cache,
        requests,
        curves_fingerprint(core.today, requests, core.activities),
        curve_fetcher(client),
    )
    result.path = path
    result.warnings[:0] = notes
    return result
