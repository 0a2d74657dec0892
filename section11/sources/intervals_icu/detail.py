"""Per-activity detail requests (intervals, streams) with classified outcomes.

Each per-activity call ends in one ``FetchOutcome``:

- ``ok``        — 200 with usable data (``data`` holds the decoded payload);
- ``no_data``   — 200 but nothing usable yet (e.g. intervals not computed, no GPS stream);
- ``transient`` — worth retrying on a later run: retries exhausted on 429/5xx, timeouts,
  connection errors, malformed JSON (``ApiUnavailableError``);
- ``permanent`` — 404/410 (``NotFoundError``) or another 4xx the API will keep refusing.

An ``AuthenticationError`` is not an outcome: it propagates and ends the run, because no
other request can succeed with the same credentials.

Which client to pass
--------------------
The functions here take the ``IntervalsClient`` the pipeline configured; they never build
one. Per-activity detail has a cross-run retry ladder (``section11.outputs.intervals``), so
the client should not spend the default six in-run attempts (with up to 30 s of backoff) on
each activity of a flaky endpoint. The pipeline passes a view of its main client with a
short policy, ``client.with_retry(DETAIL_RETRY, lane=LANE_DETAIL)``, which keeps the shared
connection pool, statistics and token bucket (so concurrent workers, and the stages running
at the same time, stay within the API's rate limit); its lane lets the main client's
requests (history's chunks) have the next free connection first.

``fetch_many`` runs one callable per key in a bounded ``ThreadPoolExecutor``; the client's
token bucket, not the pool size, keeps the request rate within limits. An empty key list
makes no request and starts no thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from section11.errors import ApiError, ApiUnavailableError, AuthenticationError, NotFoundError
from section11.sources.intervals_icu.client import IntervalsClient, RetryPolicy

if TYPE_CHECKING:
    from section11.outputs.routes import FetchResult as RouteFetchResult

log = logging.getLogger(__name__)

# One quick in-run retry for a blip; anything longer is left to the next run.
DETAIL_RETRY = RetryPolicy(max_attempts=2, backoff_base=0.5, backoff_cap=2.0)
DEFAULT_MAX_WORKERS = 6  # well under the connection pool (8); the token bucket sets the pace
# Terrain needs positions and elevation only; asking for every stream of a ride downloads
# megabytes of watts/heart rate/cadence that would be thrown away.
TERRAIN_STREAM_TYPES: tuple[str, ...] = ("latlng", "altitude")
# AlphaHRV's DFA a1 and artefact rate, and the HR and power to read them against.
DFA_STREAM_TYPES: tuple[str, ...] = ("dfa_a1", "artifacts", "heartrate", "watts")

OutcomeKind = Literal["ok", "no_data", "transient", "permanent"]
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class FetchOutcome:
    """The result of one per-activity request. Build it with the class methods."""

    kind: OutcomeKind
    data: Any = None
    reason: str | None = None
    retry_after: float | None = None  # seconds the API asked us to wait, when it said so

    @classmethod
    def ok(cls, data: Any) -> FetchOutcome:
        return cls("ok", data=data)

    @classmethod
    def no_data(cls, reason: str = "no data") -> FetchOutcome:
        return cls("no_data", reason=reason)

    @classmethod
    def transient(cls, reason: str, retry_after: float | None = None) -> FetchOutcome:
        return cls("transient", reason=reason, retry_after=retry_after)

    @classmethod
    def permanent(cls, reason: str) -> FetchOutcome:
        return cls("permanent", reason=reason)


Fetcher = Callable[[Sequence[str]], Mapping[str, FetchOutcome]]


def guarded(call: Callable[[], Any], usable: Callable[[Any], bool]) -> FetchOutcome:
    """Run one client call and classify what happened (see the module docstring)."""
    try:
        data = call()
    except AuthenticationError:
        raise
    except NotFoundError as exc:
        return FetchOutcome.permanent(str(exc))
    except ApiUnavailableError as exc:
        return FetchOutcome.transient(str(exc))
    except ApiError as exc:
        # 400/422 and friends: the same request will be refused again.
        return FetchOutcome.permanent(str(exc))
    if not usable(data):
        return FetchOutcome.no_data()
    return FetchOutcome.ok(data)


def fetch_activity_intervals(client: IntervalsClient, activity_id: str) -> FetchOutcome:
    """``GET /activity/{id}?intervals=true``; ``no_data`` while ``icu_intervals`` is empty."""
    return guarded(lambda: client.activity_with_intervals(activity_id), _has_intervals)


def fetch_activity_streams(
    client: IntervalsClient, activity_id: str, types: tuple[str, ...]
) -> FetchOutcome:
    """``GET /activity/{id}/streams.json?types=...``; ``no_data`` when none of the requested
    streams came back with data."""
    wanted = frozenset(types)
    return guarded(
        lambda: client.activity_streams(activity_id, types),
        lambda data: _has_streams(data, wanted),
    )


def fetch_many(
    items: Iterable[K],
    fn: Callable[[K], FetchOutcome],
    max_workers: int = DEFAULT_MAX_WORKERS,
) -> dict[K, FetchOutcome]:
    """Run ``fn`` for every item on at most ``max_workers`` threads; results keyed by item.

    ``fn`` is expected to classify its own failures (see ``guarded``); an exception it
    raises (e.g. ``AuthenticationError``) cancels the items not yet started and propagates.
    """
    keys = list(dict.fromkeys(items))  # de-duplicated, order kept
    if not keys:
        return {}
    if max_workers <= 1 or len(keys) == 1:
        return {key: fn(key) for key in keys}
    pool = ThreadPoolExecutor(max_workers=min(max_workers, len(keys)), thread_name_prefix="detail")
    try:
        futures: dict[K, Future[FetchOutcome]] = {key: pool.submit(fn, key) for key in keys}
        results = {key: future.result() for key, future in futures.items()}
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results


def interval_fetcher(client: IntervalsClient, max_workers: int = DEFAULT_MAX_WORKERS) -> Fetcher:
    """The ``fetcher`` argument of ``update_intervals``: intervals of many activities."""

    def fetch(ids: Sequence[str]) -> dict[str, FetchOutcome]:
        return fetch_many(ids, lambda aid: fetch_activity_intervals(client, aid), max_workers)

    return fetch


def terrain_fetcher(client: IntervalsClient, max_workers: int = DEFAULT_MAX_WORKERS) -> Fetcher:
    """The ``fetcher`` argument of ``update_activity_terrain``: ``latlng`` and ``altitude``
    streams of many activities."""

    def fetch(ids: Sequence[str]) -> dict[str, FetchOutcome]:
        return fetch_many(
            ids,
            lambda aid: fetch_activity_streams(client, aid, TERRAIN_STREAM_TYPES),
            max_workers,
        )

    return fetch


def dfa_fetcher(client: IntervalsClient, max_workers: int = DEFAULT_MAX_WORKERS) -> Fetcher:
    """The ``fetcher`` argument of ``update_dfa_sessions``: the AlphaHRV streams (and HR
    and power) of many activities; ``no_data`` when there is no ``dfa_a1`` stream."""

    def fetch(ids: Sequence[str]) -> dict[str, FetchOutcome]:
        return fetch_many(
            ids,
            lambda aid: guarded(
                lambda: client.activity_streams(aid, DFA_STREAM_TYPES),
                lambda data: _has_streams(data, frozenset({"dfa_a1"})),
            ),
            max_workers,
        )

    return fetch


def message_fetcher(client: IntervalsClient, max_workers: int = DEFAULT_MAX_WORKERS) -> Fetcher:
    """The ``fetcher`` argument of ``update_chat_notes``: the comments of many activities
    (an empty list is a valid answer: ``ok`` with no messages).

    Comments are optional context: a refusal (401/403) here does not end the run, since the
    run's core requests already succeeded with the same credentials; it settles the
    activity as ``permanent``."""

    def one(aid: str) -> FetchOutcome:
        try:
            return guarded(lambda: client.activity_messages(aid), lambda _data: True)
        except AuthenticationError:
            return FetchOutcome.permanent("comments not permitted for this key")

    def fetch(ids: Sequence[str]) -> dict[str, FetchOutcome]:
        return fetch_many(ids, one, max_workers)

    return fetch


def attachment_fetcher(client: IntervalsClient) -> Callable[[str], RouteFetchResult]:
    """The ``fetch`` argument of ``build_routes``: download one route attachment by URL.

    Credentials are only sent to the API's own host (see ``IntervalsClient.download``).
    """
    from section11.outputs.routes import FetchResult

    def fetch(url: str) -> RouteFetchResult:
        try:
            data = client.download(url)
        except AuthenticationError:
            raise
        except NotFoundError as exc:
            return FetchResult.permanent(str(exc))
        except ApiUnavailableError as exc:
            return FetchResult.transient(str(exc))
        except ApiError as exc:
            return FetchResult.permanent(str(exc))
        except Exception as exc:  # no attachment may stop a sync; try again next run
            log.warning("download of an attachment failed unexpectedly: %s", type(exc).__name__)
            return FetchResult.transient(f"the download failed unexpectedly ({type(exc).__name__})")
        return FetchResult.ok(data)

    return fetch


def _has_intervals(data: Any) -> bool:
    intervals = data.get("icu_intervals") if isinstance(data, dict) else None
    return isinstance(intervals, list) and any(isinstance(i, dict) for i in intervals)


def _has_streams(data: Any, wanted: frozenset[str]) -> bool:
    if not isinstance(data, list):
        return False
    for stream in data:
        if not isinstance(stream, dict) or stream.get("type") not in wanted:
            continue
        values = stream.get("data")
        if isinstance(values, list) and any(v is not None for v in values):
            return True
    return False
