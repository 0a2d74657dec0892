"""One exception hierarchy; each error knows the process exit code it maps to.

Messages are written for the athlete: what is wrong and what to do. They never contain
credentials.
"""

from __future__ import annotations


class Section11Error(Exception):
    """Base class. ``exit_code`` is what the CLI returns when this error ends a run."""

    exit_code = 1


class ConfigError(Section11Error):
    """A missing or malformed setting (CLI flag, environment variable, config file)."""

    exit_code = 2


class DataFileError(Section11Error):
    """A file on disk that we must not overwrite could not be read (it was moved aside)."""

    exit_code = 1


class ApiError(Section11Error):
    """Base for errors talking to the Intervals.icu API."""

    exit_code = 4


class AuthenticationError(ApiError):
    """401/403: wrong athlete id or API key."""

    exit_code = 3


class NotFoundError(ApiError):
    """404/410 for a resource (e.g. an activity deleted upstream)."""

    exit_code = 4


class ApiUnavailableError(ApiError):
    """The API kept failing (429, 5xx, timeouts, malformed JSON) after every retry."""

    exit_code = 4
