"""Garmin Connect as a second source (see docs/garmin.md): a session resumed from the
tokens ``section11 garmin-login`` printed, Garmin's daily signals, and activities."""

from section11.sources.garmin.client import (
    GarminClient,
    GarminLimits,
    GarminRateLimitedError,
    GarminSessionExpiredError,
)
from section11.sources.garmin.settings import GarminSettings, resolve_garmin_settings
from section11.sources.garmin.tokens import GarminTokens, parse_token_blob
from section11.sources.garmin.wellness import GarminDay

__all__ = [
    "GarminClient",
    "GarminDay",
    "GarminLimits",
    "GarminRateLimitedError",
    "GarminSessionExpiredError",
    "GarminSettings",
    "GarminTokens",
    "parse_token_blob",
    "resolve_garmin_settings",
]
