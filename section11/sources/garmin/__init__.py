"""Garmin Connect as a second source (see docs/garmin.md): a session resumed from the
tokens ``section11 garmin-login`` printed, Garmin's daily signals, and activities.

Only the settings, session and client are re-exported here: the settings module is read
by ``section11.config``, which the record-producing modules (through the Intervals.icu
models they share) import in turn."""

from section11.sources.garmin.client import (
    GarminClient,
    GarminLimits,
    GarminRateLimitedError,
    GarminSessionExpiredError,
)
from section11.sources.garmin.settings import GarminSettings, resolve_garmin_settings
from section11.sources.garmin.tokens import GarminTokens, parse_token_blob

__all__ = [
    "GarminClient",
    "GarminLimits",
    "GarminRateLimitedError",
    "GarminSessionExpiredError",
    "GarminSettings",
    "GarminTokens",
    "parse_token_blob",
    "resolve_garmin_settings",
]
