"""HTTP client for the Garmin Connect API that the Connect mobile app uses.

Garmin has no personal API. ``garminconnect`` handles the fragile part, the login; the sync
then speaks HTTP itself with the tokens that login produced, because it needs what the
library's request layer hides: the 429 status with its ``Retry-After`` cooldown, one
keep-alive session, pacing, and a base URL that tests can point at a loopback server.

- Bearer auth with the access token; refreshed with the refresh token shortly before it
  expires or after a 401 (once). A refresh that Garmin refuses means the session is gone:
  one clear line on how to log in again. Tokens are kept in memory only.
- Paced to at most ``max_per_second`` requests; 429 waits the cooldown Garmin asks for (up to
  a bound, then gives up for this run); 5xx and connection errors are retried twice.
- A per-run request cap, so a bug can never hammer the account.
"""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import requests

from section11.errors import ApiError, ApiUnavailableError, AuthenticationError, NotFoundError
from section11.logsetup import register_secret
from section11.sources.garmin.settings import DEFAULT_API_BASE, DEFAULT_TOKEN_URL
from section11.sources.garmin.tokens import LOGIN_HINT, GarminTokens

log = logging.getLogger(__name__)

# The headers the Connect mobile app sends (as garminconnect 0.3.2 sends them); the API
# answers requests without them less reliably.
APP_HEADERS = {
    "User-Agent": "GCM-Android-5.23",
    "X-Garmin-User-Agent": (
        "com.garmin.android.apps.connectmobile/5.23; ; Google/sdk_gphone64_arm64/google; "
        "Android/33; Dalvik/2.1.0"
    ),
    "X-Garmin-Paired-App-Version": "10861",
    "X-Garmin-Client-Platform": "Android",
    "X-App-Ver": "10861",
    "X-Lang": "en",
    "X-GCExperience": "GC5",
    "Accept-Language": "en-US,en;q=0.9",
}
REFRESH_MARGIN_SECONDS = 900  # refresh when the access token has under 15 minutes left
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


class GarminSessionExpiredError(AuthenticationError):
    """The stored Garmin session was refused and could not be refreshed."""

    def __init__(self) -> None:
        super().__init__(f"the Garmin Connect session has expired or was revoked; {LOGIN_HINT}")


class GarminRateLimitedError(ApiUnavailableError):
    """Garmin asked us to wait longer than one run should."""


@dataclass(frozen=True)
class GarminLimits:
    max_per_second: float = 2.0
    max_cooldown_seconds: float = 120.0  # longer 429 cooldowns end this run's Garmin part
    max_requests: int = 400  # per run
    retries: int = 2
    timeout: tuple[float, float] = (10.0, 30.0)


@dataclass
class GarminStats:
    requests: int = 0
    bytes_received: int = 0
    refreshes: int = 0
    cooldown_seconds: float = 0.0


class GarminClient:
    """``with GarminClient(tokens) as client: client.get_json("/path")``."""

    def __init__(
        self,
        tokens: GarminTokens,
        *,
        api_base: str = DEFAULT_API_BASE,
        token_url: str = DEFAULT_TOKEN_URL,
        limits: GarminLimits | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._tokens = tokens
        self._api_base = api_base.rstrip("/")
        self._token_url = token_url
        self.limits = limits or GarminLimits()
        self._sleep = sleep
        self._clock = clock
        self._wall_clock = wall_clock
        self._session = requests.Session()
        self._lock = threading.Lock()
        self._last_request: float | None = None
        self.stats = GarminStats()

    def __enter__(self) -> GarminClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._session.close()

    @property
    def tokens(self) -> GarminTokens:
        """The current (possibly refreshed) tokens; kept in memory, never written."""
        return self._tokens

    # ------------------------------------------------------------------ requests

    def get_json(self, path: str, params: Mapping[str, str | int] | None = None) -> Any:
        """GET ``path`` under the API base. None for 204 (Garmin's "no data"); raises
        NotFoundError for 404, typed ApiErrors for everything else that fails."""
        with self._lock:
            if self._tokens.expires_within(REFRESH_MARGIN_SECONDS, self._wall_clock()):
                self._refresh()
            refreshed = False
            attempt = 0
            while True:
                response = self._send(path, params)
                status = response.status_code
                if status == 401 and not refreshed:
                    self._refresh()
                    refreshed = True
                    continue
                if status in (401, 403):
                    raise GarminSessionExpiredError()
                if status == 429:
                    wait = self._cooldown(response)
                    if attempt >= self.limits.retries or wait > self.limits.max_cooldown_seconds:
                        raise GarminRateLimitedError(
                            f"Garmin Connect is rate limiting this account (asked to wait "
                            f"{wait:.0f} s); the Garmin data is left as it was, the next run "
                            "tries again"
                        )
                    log.warning("Garmin Connect asked to slow down; waiting %.0f s", wait)
                    self.stats.cooldown_seconds += wait
                    self._sleep(wait)
                    attempt += 1
                    continue
                if status in RETRYABLE_STATUS and attempt < self.limits.retries:
                    attempt += 1
                    self._sleep(float(2**attempt))
                    continue
                return _decode(response, path)

    def _send(self, path: str, params: Mapping[str, str | int] | None) -> requests.Response:
        if self.stats.requests >= self.limits.max_requests:
            raise ApiUnavailableError(
                f"stopped after {self.limits.max_requests} Garmin Connect requests in one run "
                "(a safety cap); the next run continues"
            )
        self._pace()
        headers = {
            **APP_HEADERS,
            "Authorization": f"Bearer {self._tokens.access_token}",
            "Accept": "application/json",
        }
        url = f"{self._api_base}/{path.lstrip('/')}"
        try:
            response = self._session.get(
                url, params=params, headers=headers, timeout=self.limits.timeout
            )
        except requests.RequestException as exc:
            self.stats.requests += 1
            raise ApiUnavailableError(
                f"Garmin Connect could not be reached ({type(exc).__name__}); try again later"
            ) from None
        self.stats.requests += 1
        self.stats.bytes_received += len(response.content)
        return response

    def _pace(self) -> None:
        gap = 1.0 / self.limits.max_per_second
        now = self._clock()
        if self._last_request is not None and now - self._last_request < gap:
            self._sleep(gap - (now - self._last_request))
        self._last_request = self._clock()

    def _cooldown(self, response: requests.Response) -> float:
        value = response.headers.get("Retry-After")
        if value is None:
            return 30.0  # Garmin usually sends none; half a minute is the usual advice
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return 30.0
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - datetime.fromtimestamp(self._wall_clock(), UTC)).total_seconds())

    # ------------------------------------------------------------------ session

    def _refresh(self) -> None:
        tokens = self._tokens
        if not tokens.refresh_token or not tokens.client_id:
            raise GarminSessionExpiredError()
        self._pace()
        basic = base64.b64encode(f"{tokens.client_id}:".encode()).decode()
        try:
            response = self._session.post(
                self._token_url,
                headers={
                    **APP_HEADERS,
                    "Authorization": f"Basic {basic}",
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                data={
                    "grant_type": "refresh_token",
                    "client_id": tokens.client_id,
                    "refresh_token": tokens.refresh_token,
                },
                timeout=self.limits.timeout,
            )
        except requests.RequestException as exc:
            raise ApiUnavailableError(
                f"Garmin Connect's login service could not be reached ({type(exc).__name__}); "
                "try again later"
            ) from None
        self.stats.requests += 1
        if response.status_code == 429:
            raise GarminRateLimitedError(
                "Garmin Connect is rate limiting session refreshes; the next run tries again"
            )
        if response.status_code >= 500:
            raise ApiUnavailableError(
                f"Garmin Connect's login service answered {response.status_code}; try again later"
            )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not response.ok or not isinstance(data, dict):
            raise GarminSessionExpiredError()
        access = data.get("access_token")
        if not isinstance(access, str) or not access:
            raise GarminSessionExpiredError()
        refresh = data.get("refresh_token")
        register_secret(access)  # a fresh token is as secret as the stored ones
        register_secret(refresh if isinstance(refresh, str) else None)
        self._tokens = GarminTokens(
            access_token=access,
            refresh_token=refresh if isinstance(refresh, str) else tokens.refresh_token,
            client_id=tokens.client_id,
        )
        self.stats.refreshes += 1
        log.info("refreshed the Garmin Connect session")


def _decode(response: requests.Response, path: str) -> Any:
    status = response.status_code
    if status == 204 or (status == 200 and not response.content):
        return None
    if status == 404:
        raise NotFoundError(f"Garmin Connect has no {path.split('?')[0]}")
    if status >= 400:
        raise ApiError(f"Garmin Connect answered {status} for {path.split('?')[0]}")
    try:
        return json.loads(response.content)
    except ValueError:
        raise ApiUnavailableError(
            f"Garmin Connect sent a malformed answer for {path.split('?')[0]}"
        ) from None
