"""Power and HR curves for the capability block, fetched only when something changed.

The curves of a 28- or 42-day window change only when an activity in it is added, edited
or removed, or when the window moves (a new day). So the answers are kept in
``<output_dir>/.section11/curves.json`` together with, per request, a fingerprint of what
it was fetched for: today's date, the request (its curve ids embed the windows) and, for
every fetched activity the curve can include, its id, date, type, duration, load and
analysis/sync stamps. A curve of one sport (``power:Ride``, ``hr:Rowing``) includes the
activities of that sport's family only, so a new run makes only the all-sports HR curve be
asked again. A request whose fingerprint matches is not repeated.

A request that fails transiently (5xx, timeout) keeps its previous answer and no
fingerprint, so the next run asks again; a request the API refuses for good (4xx) is
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
from section11.sources.intervals_icu.curves import (
    FAMILY_SPORT,
    CurveRequest,
    curve_fetcher,
    curve_requests,
)
from section11.sources.intervals_icu.detail import FetchOutcome
from section11.sources.intervals_icu.fetch import CoreData
from section11.sources.intervals_icu.models import Activity
from section11.store import load_model

log = logging.getLogger(__name__)

CACHE_VERSION: Literal[2] = 2  # 2: one fingerprint per request
CACHE_FILE = "curves.json"

CurveFetcher = Callable[[Sequence[CurveRequest]], Mapping[CurveRequest, FetchOutcome]]


class CurveCache(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cache_version: Literal[2] = CACHE_VERSION
    fingerprints: dict[str, str] = Field(
        default_factory=dict,
        description="What each stored answer was fetched for, by request key; absent = retry",
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


# The family whose activities each sport's curve is built from (the inverse of FAMILY_SPORT).
_SPORT_FAMILY: dict[str, str] = {sport: family for family, sport in FAMILY_SPORT.items()}


def curves_fingerprints(
    today: date, requests: Iterable[CurveRequest], activities: Iterable[Activity]
) -> dict[str, str]:
    """Per request key, a digest of everything its answer depends on that this run can see."""
    rows = sorted(
        (
            family_of(a.type),
            (
                a.id or "",
                a.start_date_local or "",
                a.type or "",
                a.moving_time,
                a.icu_training_load,
                a.analyzed or "",
                a.icu_sync_date or "",
            ),
        )
        for a in activities
        if not a.is_strava_stub
    )
    prints: dict[str, str] = {}
    for request in requests:
        family = _SPORT_FAMILY.get(request.sport) if request.sport else None
        payload = {
            "today": today.isoformat(),
            "request": [request.key, *request.curves],
            "activities": [row for fam, row in rows if family is None or fam == family],
        }
        prints[request.key] = hashlib.sha256(
            json.dumps(payload, sort_keys=True).encode()
        ).hexdigest()
    return prints


def update_curves(
    cache: CurveCache | None,
    requests: Sequence[CurveRequest],
    fingerprints: Mapping[str, str],
    fetch: CurveFetcher,
) -> CurveResult:
    """The curves for this run: each from the cache while its fingerprint matches, the
    others fetched (together, in one concurrent round)."""
    cache = cache or CurveCache()
    due = [r for r in requests if cache.fingerprints.get(r.key) != fingerprints.get(r.key)]
    outcomes = fetch(due) if due else {}
    curves: dict[str, list[DataCurve]] = {}
    kept: dict[str, str] = {}
    warnings: list[str] = []
    for request in requests:
        if request not in due:
            curves[request.key] = list(cache.curves.get(request.key, []))
            kept[request.key] = fingerprints[request.key]
            continue
        outcome = outcomes.get(request)
        if outcome is None or outcome.kind == "transient":
            curves[request.key] = list(cache.curves.get(request.key, []))
            reason = outcome.reason if outcome is not None else "not fetched"
            warnings.append(
                f"{request.kind} curves ({request.sport or 'all sports'}) could not be fetched "
                f"({reason}); the curve metrics keep the last answer for the same windows, "
                "or are null, until the next run"
            )
            continue
        if outcome.kind == "ok":
            curves[request.key] = list(outcome.data)
        else:  # no_data, or refused for good: nothing to show, and nothing to retry
            if outcome.kind == "permanent":
                log.info("%s curves refused: %s", request.key, outcome.reason)
            curves[request.key] = []
        kept[request.key] = fingerprints[request.key]
    new_cache = CurveCache(fingerprints=kept, curves=curves)
    return CurveResult(cache=new_cache, curves=curves, requests_made=len(due), warnings=warnings)


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
        curves_fingerprints(core.today, requests, core.activities),
        curve_fetcher(client),
    )
    result.path = path
    result.warnings[:0] = notes
    return result
