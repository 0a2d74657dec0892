"""The privacy levels, from most to least revealing, and how they are chosen."""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path

from section11.errors import ConfigError
from section11.store import read_json

log = logging.getLogger("section11")


class PrivacyLevel(StrEnum):
    """What the written files may reveal about the athlete.

    - ``full``: everything the mirror knows (local files only).
    - ``standard``: the default for a private repository read by an AI connector.
    - ``strict``: public repositories and shared drives: no coordinates, no free text.
    - ``metrics``: numbers only.
    """

    FULL = "full"
    STANDARD = "standard"
    STRICT = "strict"
    METRICS = "metrics"

    @property
    def rank(self) -> int:
        return _ORDER.index(self)

    def at_least(self, other: PrivacyLevel) -> bool:
        """True when this level hides at least as much as ``other``."""
        return self.rank >= other.rank


_ORDER = (PrivacyLevel.FULL, PrivacyLevel.STANDARD, PrivacyLevel.STRICT, PrivacyLevel.METRICS)
DEFAULT_LEVEL = PrivacyLevel.STANDARD
LEVEL_NAMES = tuple(level.value for level in _ORDER)


def parse_privacy_level(value: str, source: str) -> PrivacyLevel:
    key = value.strip().lower()
    for level in _ORDER:
        if level.value == key:
            return level
    raise ConfigError(f"{source} must be one of {', '.join(LEVEL_NAMES)} (got {value!r})")


def parse_flag(value: object, source: str) -> bool:
    """A yes/no setting from the environment or the config file."""
    if isinstance(value, bool):
        return value
    key = str(value).strip().lower()
    if key in ("1", "true", "yes", "on"):
        return True
    if key in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{source} must be true or false (got {value!r})")


def privacy_relaxed(latest_path: Path, level: PrivacyLevel) -> bool:
    """True when the previous latest.json was written at a stricter level than ``level``.

    Then the caches (intervals, routes, activity terrain) hold less than this level keeps
    and are rebuilt once. A file from before privacy levels counts as ``standard``
    (anonymized) or ``full``.
    """
    loaded = read_json(latest_path)
    if loaded.status != "ok" or not isinstance(loaded.data, dict):
        return False
    metadata = loaded.data.get("metadata")
    if not isinstance(metadata, dict):
        return False
    previous = metadata.get("privacy")
    if previous not in LEVEL_NAMES:
        previous = "full" if metadata.get("anonymized") is False else "standard"
    relaxed = PrivacyLevel(previous).rank > level.rank
    if relaxed:
        log.info(
            "privacy level %s (was %s): intervals, routes and activity terrain are rebuilt",
            level,
            previous,
        )
    return relaxed
