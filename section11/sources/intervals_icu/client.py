"""HTTP client for the Intervals.icu API.

One keep-alive ``requests.Session`` with HTTP Basic auth (user ``API_KEY``), connect and
read timeouts, pacing below the API's ~10 requests/second, and retries with exponential
backoff and jitter on 429, 5xx, connection errors, bodies cut short, too slow or
undecodable, and malformed JSON (``Retry-After`` is honoured when present). Every body is
read within a byte cap and an overall deadline (``download.read_body``), so a trickling
server cannot stall a sync. Errors are typed (see ``section11.errors``) and never contain the
API key. The client is safe to share between the threads of a small worker pool.
"""

from __future__ import annotations

import contextlib
import copy
import email.utils
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from section11 import __version__
from section11.config import Secret
from section11.errors import (
    ApiError,
    ApiUnavailableError,
    AuthenticationError,
    NotFoundError,
    Section11Error,
)
from section11.safetext import display_url
from section11.sources.intervals_icu.download import (
    BodyError,
    DeadlineExceeded,
    DownloadLimits,
    check_url,
    read_body,
)
from section11.sources.intervals_icu.download import download as _download

log = logging.getLogger(__name__)

USER_AGENT = f"section11/{__version__} (training-data mirror for AI coaching; python-requests)"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
# An API response, however slowly it trickles in, is read within these limits (3 years of
# activities is a few MB).
API_RESPONSE_LIMITS = DownloadLimits(max_bytes=200 * 1024 * 1024, deadline=180.0)
# Only encodings the bounded reader decodes itself.
_ENCODINGS = {"Accept-Encoding": "gzip, deflate"}
QueryValue = str | int | float | bool | None


@dataclass
class ClientStats:
    """Counts every HTTP attempt (retries included), the bytes received, and the calls
    that ended in an error (after their retries), which a later run must try again."""

    requests: int = 0
    bytes_received: int = 0
    retries: int = 0
    failures: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, size: int, *, retry: bool) -> None:
        with self._lock:
            self.requests += 1
            self.bytes_received += size
            if retry:
                self.retries += 1

    def record_failure(self) -> None:
        with self._lock:
            self.failures += 1


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_retry_after: float = 300.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with jitter for the given (1-based) failed attempt."""
        ceiling: float = min(self.backoff_cap, self.backoff_base * 2.0 ** (attempt - 1))
        return ceiling * rng.uniform(0.5, 1.0)


class _Pacer:
    """Token bucket shared by all threads: ``rate`` requests/second sustained, with a short
    burst of ``burst`` requests (the API allows ~10/s "with a short burst multiplier")."""

    def __init__(self, rate: float, burst: int, sleep: Callable[[float], None]) -> None:
        self._rate = rate
        self._capacity = float(max(1, burst))
        self._tokens = self._capacity
        self._updated = time.monotonic()
        self._lock = threading.Lock()
        self._sleep = sleep

    def wait(self) -> None:
        if self._rate <= 0:
            return
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            self._tokens -= 1.0
            deficit = -self._tokens
        if deficit > 0:
            self._sleep(deficit / self._rate)


#: Order in which requests waiting for a connection get one (lower first): the main
#: client and chains of dependent requests (history's chunks, route files one at a time);
#: per-activity batches; requests whose answers need little work, best sent last (a cold
#: run is bound by the rate limit: what comes back last should be quick to handle).
LANE_FIRST, LANE_DETAIL, LANE_LAST = 0, 1, 2


class _Slots:
    """At most ``size`` requests in flight; a waiting request takes the next free slot
    only when no request of a lower lane is waiting (see ``LANE_FIRST``)."""

    def __init__(self, size: int) -> None:
        self._free = max(1, size)
        self._waiting = [0, 0, 0]
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def hold(self, lane: int) -> Iterator[None]:
        with self._changed:
            self._waiting[lane] += 1
            try:
                self._changed.wait_for(lambda: self._free > 0 and not any(self._waiting[:lane]))
            finally:
                self._waiting[lane] -= 1
            self._free -= 1
        try:
            yield
        finally:
            with self._changed:
                self._free += 1
                self._changed.notify_all()


class IntervalsClient:
    def __init__(
        self,
        base_url: str,
        athlete_id: str,
        api_key: Secret,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        max_rate: float = 10.0,
        burst: int = 20,
        pool_size: int = 8,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        download_limits: DownloadLimits | None = None,
        response_limits: DownloadLimits | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.athlete_id = athlete_id
        self.stats = ClientStats()
        self._timeout = (connect_timeout, read_timeout)
        self._retry = retry or RetryPolicy()
        self._download_limits = download_limits or DownloadLimits()
        self._response_limits = response_limits or API_RESPONSE_LIMITS
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._pacer = _Pacer(max_rate, burst, sleep)
        # At most one request per pooled connection in flight, whichever stages are
        # waiting: no connection is opened beyond the keep-alive pool.
        self._slots = _Slots(pool_size)
        self._lane = LANE_FIRST
        self._session = requests.Session()
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self._auth = ("API_KEY", api_key.reveal())

    def with_retry(self, retry: RetryPolicy, *, lane: int = LANE_FIRST) -> IntervalsClient:
        """A view of this client with another retry policy, sharing the connection pool,
        the rate limiter and the statistics (e.g. fewer in-run retries for per-activity
        detail that a later run can pick up). Its requests wait for a free connection in
        ``lane`` (see ``LANE_FIRST``)."""
        if lane not in (LANE_FIRST, LANE_DETAIL, LANE_LAST):
            raise ValueError(f"unknown lane {lane}")
        view = copy.copy(self)
        view._retry = retry
        view._lane = lane
        return view

    def __repr__(self) -> str:
        return f"IntervalsClient({self.base_url!r}, athlete_id={self.athlete_id!r})"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> IntervalsClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ endpoints

    def athlete(self) -> dict[str, Any]:
        data = self._expect_dict(self.get_json(f"/athlete/{self.athlete_id}"), "athlete")
        if self.athlete_id == "0" and isinstance(data.get("id"), str) and data["id"]:
            # "0" is the key's own athlete; some endpoints want the real id, so adopt it.
            self.athlete_id = data["id"]
        return data

    def activities(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        """Activities in a date range, newest first. ``fields`` limits the keys returned
        (and drops nulls): a much smaller download when only a few are needed."""
        params = {"oldest": oldest, "newest": newest}
        if fields:
            params["fields"] = ",".join(fields)
        data = self.get_json(f"/athlete/{self.athlete_id}/activities", params)
        return self._expect_list(data, "activities")

    def wellness(self, oldest: str, newest: str, *, fields: tuple[str, ...] = ()) -> list[Any]:
        params = {"oldest": oldest, "newest": newest}
        if fields:
            params["fields"] = ",".join(fields)
        data = self.get_json(f"/athlete/{self.athlete_id}/wellness", params)
        return self._expect_list(data, "wellness")

    def events(
        self, oldest: str, newest: str, *, categories: tuple[str, ...] = (), resolve: bool = True
    ) -> list[Any]:
        params: dict[str, QueryValue] = {"oldest": oldest, "newest": newest}
        if categories:
            params["category"] = ",".join(categories)
        if resolve:
            params["resolve"] = "true"
        data = self.get_json(f"/athlete/{self.athlete_id}/events", params)
        return self._expect_list(data, "events")

    def activity_with_intervals(self, activity_id: str) -> dict[str, Any]:
        data = self.get_json(f"/activity/{activity_id}", {"intervals": "true"})
        return self._expect_dict(data, f"activity {activity_id}")

    def activity_streams(self, activity_id: str, types: tuple[str, ...]) -> list[Any]:
        data = self.get_json(f"/activity/{activity_id}/streams.json", {"types": ",".join(types)})
        return self._expect_list(data, f"streams of activity {activity_id}")

    def athlete_curves(
        self, kind: Literal["power", "hr"], curves: tuple[str, ...], *, sport: str | None = None
    ) -> dict[str, Any]:
        """Best-effort curves (``DataCurveSet``) for the given curve ids, e.g. ``r.A.B``."""
        params: dict[str, QueryValue] = {"curves": ",".join(curves)}
        if sport is not None:
            params["type"] = sport
        data = self.get_json(f"/athlete/{self.athlete_id}/{kind}-curves.json", params)
        return self._expect_dict(data, f"{kind} curves")

    def activity_messages(self, activity_id: str) -> list[Any]:
        """Comments on an activity (``GET /activity/{id}/messages``), oldest first."""
        data = self.get_json(f"/activity/{activity_id}/messages")
        return self._expect_list(data, f"messages of activity {activity_id}")

    # ------------------------------------------------------------------ transport

    def get_json(self, path: str, params: Mapping[str, QueryValue] | None = None) -> Any:
        response = self._request(self.base_url + path, params, authenticated=True)
        return _decode_json(response)  # malformed JSON was already retried in _request

    def send_json(
        self,
        method: str,
        path: str,
        params: Mapping[str, QueryValue] | None = None,
        body: Any = None,
        *,
        idempotent: bool = True,
    ) -> Any:
        """A write (POST/PUT/DELETE) with a JSON body; the decoded answer (None when empty).
        A non-idempotent write is never retried after it may have reached the API."""
        response = self._request(
            self.base_url + path,
            params,
            authenticated=True,
            want_json=False,
            method=method,
            body=body,
            idempotent=idempotent,
        )
        if not response.content.strip():
            return None
        try:
            return _decode_json(response)
        except ValueError:
            return None

    def download(self, url: str) -> bytes:
        """Fetch an attachment. Credentials are only sent to the API's own host.

        Streamed within a byte cap and an overall deadline (see ``download``); a transient
        failure is retried per the retry policy (a blown deadline is not: that would cost
        another full deadline), anything else raises at once.
        """
        check_url(url)  # an unusable URL is refused before any request (and not counted)
        try:
            return self._download(url)
        except Section11Error:
            self.stats.record_failure()
            raise

    def _download(self, url: str) -> bytes:
        # https to the API's own host only (see key_allowed); elsewhere no credentials.
        auth = self._auth if key_allowed(url, self.base_url) else None
        for attempt in range(1, self._retry.max_attempts + 1):
            try:
                with self._turn():
                    data = _download(self._session, url, auth=auth, limits=self._download_limits)
            except ApiUnavailableError as exc:
                self.stats.record(0, retry=attempt > 1)
                if attempt >= self._retry.max_attempts or isinstance(exc, DeadlineExceeded):
                    raise
                delay = self._retry.backoff(attempt, self._rng)
                log.info("%s; retrying in %.1f s", exc, delay)
                self._sleep(delay)
                continue
            except ApiError:
                self.stats.record(0, retry=attempt > 1)
                raise
            self.stats.record(len(data), retry=attempt > 1)
            log.debug("GET %s -> %d bytes", display_url(url), len(data))
            return data
        raise ApiUnavailableError("the download was not attempted")  # max_attempts < 1

    @contextlib.contextmanager
    def _turn(self) -> Iterator[None]:
        """One attempt's turn: a free connection first, then the rate limit, so the request
        leaves when its token is taken (a request waiting for a connection holds no token)."""
        with self._slots.hold(self._lane):
            self._pacer.wait()
            yield

    def _request(
        self,
        url: str,
        params: Mapping[str, QueryValue] | None,
        *,
        authenticated: bool,
        want_json: bool = True,
        method: str = "GET",
        body: Any = None,
        idempotent: bool = True,
    ) -> requests.Response:
        try:
            return self._request_with_retries(
                url,
                params,
                authenticated=authenticated,
                want_json=want_json,
                method=method,
                body=body,
                idempotent=idempotent,
            )
        except Section11Error:
            self.stats.record_failure()
            raise

    def _request_with_retries(
        self,
        url: str,
        params: Mapping[str, QueryValue] | None,
        *,
        authenticated: bool,
        want_json: bool,
        method: str,
        body: Any,
        idempotent: bool,
    ) -> requests.Response:
        label = _describe(url, self.base_url)
        problem = "no attempt made"
        for attempt in range(1, self._retry.max_attempts + 1):
            try:
                with self._turn():
                    started = time.monotonic()
                    response = self._session.request(
                        method,
                        url,
                        params=params,
                        json=body,
                        auth=self._auth if authenticated else None,
                        timeout=self._timeout,
                        stream=True,
                        headers=_ENCODINGS,
                    )
                    _read_within_limits(response, self._response_limits, started)
            except BodyError as exc:
                # Cut short, too slow, too big or undecodable: retried like any other
                # network fault, then one clear line (exit 4), never a traceback.
                self.stats.record(0, retry=attempt > 1)
                problem = f"the response {exc.reason}"
                delay = self._retry.backoff(attempt, self._rng)
            except requests.Timeout:
                self.stats.record(0, retry=attempt > 1)
                problem = "the request timed out"
                delay = self._retry.backoff(attempt, self._rng)
            except requests.ConnectionError:
                self.stats.record(0, retry=attempt > 1)
                problem = "could not connect"
                delay = self._retry.backoff(attempt, self._rng)
            except requests.RequestException as exc:
                # A redirect loop or another protocol fault: retried the same way.
                self.stats.record(0, retry=attempt > 1)
                problem = _network_problem(exc)
                delay = self._retry.backoff(attempt, self._rng)
            else:
                self.stats.record(len(response.content), retry=attempt > 1)
                log.debug(
                    "%s %s -> %s (%d bytes, %.2fs)",
                    method,
                    label,
                    response.status_code,
                    len(response.content),
                    time.monotonic() - started,
                )
                status = response.status_code
                if status < 400:
                    if not want_json or _json_ok(response):
                        return response
                    problem = "the API returned malformed JSON"
                    if "html" in response.headers.get("Content-Type", "").lower():
                        problem = (
                            "the API returned a web page instead of JSON (check the API "
                            f"base URL, {self.base_url})"
                        )
                    delay = self._retry.backoff(attempt, self._rng)
                elif status in RETRYABLE_STATUS:
                    problem = f"HTTP {status}"
                    delay = self._retry.backoff(attempt, self._rng)
                    wait = _retry_after_seconds(response.headers.get("Retry-After"))
                    if wait is not None:
                        if wait > self._retry.max_retry_after:
                            raise ApiUnavailableError(
                                f"Intervals.icu asked us to wait {wait:.0f} s ({label}); "
                                "try again later"
                            )
                        delay = max(wait, 0.0)
                else:
                    raise _error_for_status(status, label)
            if not idempotent and problem != "HTTP 429":
                # The write may have been applied: repeating it could duplicate it.
                raise ApiUnavailableError(
                    f"Intervals.icu did not confirm the {method} of {label} ({problem}); "
                    "it may or may not have been applied: check with 'section11 list' "
                    "before trying again"
                )
            if attempt < self._retry.max_attempts:
                log.info("%s: %s; retrying in %.1f s", label, problem, delay)
                self._sleep(delay)
        raise ApiUnavailableError(
            f"Intervals.icu is unavailable: {problem} for {label} after "
            f"{self._retry.max_attempts} attempts; files on disk were left unchanged, "
            "try again later"
        )

    @staticmethod
    def _expect_list(data: Any, what: str) -> list[Any]:
        if isinstance(data, list):
            return data
        raise _unexpected(data, what, "list")

    @staticmethod
    def _expect_dict(data: Any, what: str) -> dict[str, Any]:
        if isinstance(data, dict):
            return data
        raise _unexpected(data, what, "object")


def _unexpected(data: Any, what: str, expected: str) -> ApiUnavailableError:
    return ApiUnavailableError(
        f"Intervals.icu returned unexpected data for {what} (expected a JSON {expected}, "
        f"got {type(data).__name__}); files on disk were left unchanged"
    )


def _read_within_limits(
    response: requests.Response, limits: DownloadLimits, started: float
) -> None:
    """Read a ``stream=True`` response's body within ``limits`` and keep it as its content;
    the connection goes back to the pool for the next request."""
    try:
        body = read_body(response, limits, started)
    except BodyError:
        response.close()
        raise
    response._content = body
    response._content_consumed = True  # type: ignore[attr-defined]
    response.close()


def _network_problem(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "the response body could not be decompressed"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the response was cut short"
    return f"the request failed ({type(exc).__name__})"


def _json_ok(response: requests.Response) -> bool:
    try:
        _decode_json(response)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return False
    return True


def _not_a_number(_constant: str) -> None:
    """NaN and ±Infinity are not JSON; a value we cannot use is missing (None), not a crash
    later on (our own files are written with allow_nan=False)."""
    return None


def _decode_json(response: requests.Response) -> Any:
    return json.loads(response.content, parse_constant=_not_a_number)


def _describe(url: str, base_url: str) -> str:
    """A short, secret-free label for messages: the path relative to the API base."""
    if url.startswith(base_url + "/"):
        return urlsplit(url).path.removeprefix(urlsplit(base_url).path) or "/"
    return display_url(url)  # no user info, query or fragment


_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def key_allowed(url: str, base_url: str) -> bool:
    """Whether the API key may go with a request to ``url``: only to the API's own scheme,
    host and port, over https (plain http only to this machine: the demo and the tests),
    and never to a URL that carries user info of its own."""
    try:
        target, base = urlsplit(url), urlsplit(base_url)
        target_port, base_port = target.port, base.port
    except ValueError:
        return False
    if target.username is not None or target.password is not None:
        return False
    scheme = target.scheme.lower()
    host = (target.hostname or "").lower()
    if (scheme, host, target_port or _DEFAULT_PORTS.get(scheme)) != (
        base.scheme.lower(),
        (base.hostname or "").lower(),
        base_port or _DEFAULT_PORTS.get(base.scheme.lower()),
    ):
        return False
    return scheme == "https" or host in _LOOPBACK_HOSTS


def _retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After as delta-seconds or an HTTP date; None when absent or unusable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _error_for_status(status: int, label: str) -> ApiError:
    if status in (401, 403):
        return AuthenticationError(
            f"Intervals.icu refused the credentials (HTTP {status}) for {label}: check "
            "ATHLETE_ID (it starts with 'i', e.g. i123456, as shown in Intervals.icu "
            "Settings) and INTERVALS_KEY (Settings → Developer Settings → API key)"
        )
    if status in (404, 410):
        return NotFoundError(f"Intervals.icu has no {label} (HTTP {status})")
    return ApiError(
        f"Intervals.icu rejected the request for {label} (HTTP {status}); files on disk were "
        "left unchanged. Check --api-base / INTERVALS_API_BASE, and try again later"
    )
