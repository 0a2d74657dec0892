"""Athlete best-effort curves (power and heart rate) for the capability metrics.

What is asked, in one request per line (a cycling-only athlete makes three):

- power, sport ``Ride``: the current and previous 28-day windows (power-curve delta) and
  the last 42 days (cycling sustainability);
- heart rate, all sports: the current and previous 28-day windows (HR-curve delta);
- heart rate, sport ``Ride``: the last 42 days (cycling sustainability);
- for ski and rowing, when the athlete did that sport in the last 28 days: power and heart
  rate of the last 42 days for that sport.

Curves are identified by their id ``r.<start>.<end>`` (inclusive local dates), never by
their position in the answer. Each curve point names the activity that set it, which tells
indoor from outdoor efforts without a request per activity type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.curve_models import DataCurve
from section11.sources.intervals_icu.detail import FetchOutcome, fetch_many, guarded
from section11.sources.intervals_icu.models import parse_records

CurveKind = Literal["power", "hr"]

DELTA_WINDOW_DAYS = 28
SUSTAINABILITY_WINDOW_DAYS = 42
# The sport whose curve stands for each family (Intervals.icu includes every activity type
# of that sport's settings, e.g. VirtualRide under Ride).
FAMILY_SPORT: dict[str, str] = {"cycling": "Ride", "ski": "NordicSki", "rowing": "Rowing"}
SUSTAINABILITY_FAMILIES: tuple[str, ...] = ("cycling", "ski", "rowing")


def curve_id(start: date, end: date) -> str:
    return f"r.{start.isoformat()}.{end.isoformat()}"


@dataclass(frozen=True)
class CurveWindows:
    """The date windows every curve metric uses, ending ``today``."""

    today: date

    @property
    def current(self) -> tuple[date, date]:
        return self.today - timedelta(days=DELTA_WINDOW_DAYS - 1), self.today

    @property
    def previous(self) -> tuple[date, date]:
        end = self.today - timedelta(days=DELTA_WINDOW_DAYS)
        return end - timedelta(days=DELTA_WINDOW_DAYS - 1), end

    @property
    def sustainability_days(self) -> int:
        return SUSTAINABILITY_WINDOW_DAYS

    @property
    def sustainability(self) -> tuple[date, date]:
        return self.today - timedelta(days=SUSTAINABILITY_WINDOW_DAYS - 1), self.today

    @property
    def current_id(self) -> str:
        return curve_id(*self.current)

    @property
    def previous_id(self) -> str:
        return curve_id(*self.previous)

    @property
    def sustainability_id(self) -> str:
        return curve_id(*self.sustainability)


@dataclass(frozen=True)
class CurveRequest:
    kind: CurveKind
    sport: str | None  # None: every sport (HR only; power curves need a sport)
    curves: tuple[str, ...]

    @property
    def key(self) -> str:
        """Where the answer is kept: ``power:Ride``, ``hr:all`` ..."""
        return f"{self.kind}:{self.sport or 'all'}"


def curve_requests(today: date, families: Iterable[str]) -> list[CurveRequest]:
    """What to ask for, given the families the athlete trained in over the last 28 days."""
    w = CurveWindows(today)
    requests = [
        CurveRequest("power", "Ride", (w.current_id, w.previous_id, w.sustainability_id)),
        CurveRequest("hr", None, (w.current_id, w.previous_id)),
    ]
    active = set(families)
    for family in SUSTAINABILITY_FAMILIES:
        if family not in active:
            continue
        sport = FAMILY_SPORT[family]
        if family != "cycling":  # cycling power is already in the first request
            requests.append(CurveRequest("power", sport, (w.sustainability_id,)))
        requests.append(CurveRequest("hr", sport, (w.sustainability_id,)))
    return requests


def find_curve(curves: Iterable[DataCurve] | None, wanted_id: str) -> DataCurve | None:
    for curve in curves or ():
        if curve.id == wanted_id:
            return curve
    return None


def parse_curve_set(raw: dict[str, Any]) -> list[DataCurve]:
    """The curves of a ``DataCurveSet`` answer; unreadable curves or fields are dropped
    (read as missing) instead of failing the run."""
    items = raw.get("list")
    if not isinstance(items, list):
        return []
    return parse_records(DataCurve, items, "curve")


def curve_fetcher(
    client: IntervalsClient,
) -> Callable[[Sequence[CurveRequest]], dict[CurveRequest, FetchOutcome]]:
    """Fetch several curve requests concurrently; each ends in a classified ``FetchOutcome``
    whose data is the list of ``DataCurve`` (``no_data`` when the answer holds none)."""

    def one(request: CurveRequest) -> FetchOutcome:
        def call() -> list[DataCurve]:
            raw = client.athlete_curves(request.kind, request.curves, sport=request.sport)
            return parse_curve_set(raw)

        return guarded(call, lambda curves: bool(curves))

    def fetch(requests: Sequence[CurveRequest]) -> dict[CurveRequest, FetchOutcome]:
        return fetch_many(requests, one)

    return fetch
