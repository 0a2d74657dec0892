"""Which source feeds a run, and the Garmin Connect settings.

``SECTION11_SOURCE`` (or ``--source``) picks the mode:

- ``intervals`` — Intervals.icu only (the default without ``GARMIN_TOKENS``);
- ``both`` — Intervals.icu stays the primary source, Garmin adds its own daily signals
  (the default when ``GARMIN_TOKENS`` is set);
- ``garmin`` — Garmin Connect alone (must be asked for explicitly).

``GARMIN_TOKENS`` holds the session blob that ``section11 garmin-login`` prints. There is
no Garmin password setting: a sync never logs in, it only resumes that session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from section11.errors import ConfigError
from section11.sources.garmin.tokens import LOGIN_HINT, GarminTokens, parse_token_blob

Source = Literal["intervals", "garmin", "both"]
SOURCES: tuple[Source, ...] = ("intervals", "garmin", "both")
DEFAULT_DETAIL_CAP = 60  # per-activity detail requests a day
DEFAULT_API_BASE = "https://connectapi.garmin.com"
DEFAULT_TOKEN_URL = "https://diauth.garmin.com/di-oauth2-service/oauth/token"


@dataclass(frozen=True)
class GarminSettings:
    source: Source
    tokens: GarminTokens | None = None
    api_base: str = DEFAULT_API_BASE
    token_url: str = DEFAULT_TOKEN_URL
    detail_cap: int = DEFAULT_DETAIL_CAP
    # Not settable from the environment: staying below 2 requests/s is not optional.
    max_per_second: float = 2.0

    @property
    def uses_garmin(self) -> bool:
        return self.source != "intervals"

    @property
    def uses_intervals(self) -> bool:
        return self.source != "garmin"

    def require_tokens(self) -> GarminTokens:
        if self.tokens is None:
            raise ConfigError(f"SECTION11_SOURCE={self.source} needs GARMIN_TOKENS; {LOGIN_HINT}")
        return self.tokens


def resolve_garmin_settings(cli_source: str | None, env: Mapping[str, str]) -> GarminSettings:
    """Settings from ``--source`` / the environment; one ConfigError per bad value."""

    def value(name: str) -> str | None:
        raw = env.get(name)
        return raw.strip() if raw is not None and raw.strip() else None

    blob = value("GARMIN_TOKENS")
    raw_source = cli_source or value("SECTION11_SOURCE")
    where = "--source" if cli_source else "SECTION11_SOURCE"
    if raw_source is None:
        source: Source = "both" if blob else "intervals"
    elif raw_source.strip().lower() in SOURCES:
        source = cast(Source, raw_source.strip().lower())
    else:
        raise ConfigError(f"{where} must be one of {', '.join(SOURCES)} (got {raw_source!r})")
    tokens = parse_token_blob(blob) if blob and source != "intervals" else None
    cap_raw = value("SECTION11_GARMIN_DETAIL_CAP")
    cap = DEFAULT_DETAIL_CAP
    if cap_raw is not None:
        if not cap_raw.isdigit():
            raise ConfigError(
                f"SECTION11_GARMIN_DETAIL_CAP must be a whole number of requests a day "
                f"(got {cap_raw!r})"
            )
        cap = int(cap_raw)
    settings = GarminSettings(
        source=source,
        tokens=tokens,
        api_base=value("SECTION11_GARMIN_API_BASE") or DEFAULT_API_BASE,
        token_url=value("SECTION11_GARMIN_TOKEN_URL") or DEFAULT_TOKEN_URL,
        detail_cap=cap,
    )
    if settings.uses_garmin:
        settings.require_tokens()
    return settings
