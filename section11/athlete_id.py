"""The athlete id: the common ways to get it wrong, caught with the fix, and the key's own
athlete found through ``/athlete/0``.

The API treats athlete id ``0`` as "the athlete who owns this key", so ATHLETE_ID is
optional: without it the first request (the athlete profile) goes to ``/athlete/0`` and
the rest of the run uses the id that comes back. With a wrong id the API answers 403;
one request to ``/athlete/0`` then names the right one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import requests

from section11.errors import ConfigError

if TYPE_CHECKING:
    from section11.config import Secret

__all__ = ["KEY_OWNER", "check_athlete_id", "key_owner"]

KEY_OWNER = "0"  # the API's "the athlete who owns the key"

_VALID = re.compile(r"^i\d+$")
_IN_URL = re.compile(r"athletes?/(i\d+)", re.IGNORECASE)


def check_athlete_id(value: str, source: str) -> str:
    """``value`` if it is a valid id (``i`` + digits); else ConfigError with the fix."""
    candidate = value.strip().strip("'\"").strip()
    if _VALID.match(candidate) or candidate == KEY_OWNER:
        return candidate
    unset = f"or remove {source} and the API key's own athlete is used"
    if candidate.isdigit():
        raise ConfigError(
            f"{source} {candidate!r} lacks the leading 'i': use i{candidate} (as shown in "
            f"Intervals.icu Settings), {unset}"
        )
    if re.fullmatch(r"I\d+", candidate):
        raise ConfigError(f"{source} must start with a lower-case 'i': use i{candidate[1:]}")
    found = _IN_URL.search(candidate)
    if found:
        raise ConfigError(
            f"{source} is a web address; use only the id in it: {found.group(1).lower()}"
        )
    if re.fullmatch(r"[A-Za-z0-9]{16,}", candidate):
        # Never echo it: it may be the API key pasted into the wrong field.
        raise ConfigError(
            f"{source} looks like an API key, not an athlete id (which looks like i123456); "
            f"check that the two values are not swapped, {unset}"
        )
    shown = candidate if len(candidate) <= 40 else candidate[:37] + "..."
    raise ConfigError(
        f"{source} {shown!r} does not look like an Intervals.icu athlete id; copy it from "
        f"Settings in Intervals.icu (it looks like i123456), {unset}"
    )


def key_owner(
    api_base: str, key: Secret, *, timeout: float = 20.0, session: requests.Session | None = None
) -> str | None:
    """The id of the athlete who owns ``key`` (one GET of ``/athlete/0``); None when the
    key is refused or the API cannot be asked."""
    http = session or requests.Session()
    try:
        response = http.get(
            f"{api_base.rstrip('/')}/athlete/{KEY_OWNER}",
            auth=("API_KEY", key.reveal()),
            headers={"Accept": "application/json"},
            timeout=timeout,
        )
        if response.status_code != 200:
            return None
        data = response.json()
    except (requests.RequestException, ValueError):
        return None
    finally:
        if session is None:
            http.close()
    found = data.get("id") if isinstance(data, dict) else None
    if isinstance(found, int) and not isinstance(found, bool):
        found = str(found)
    return found if isinstance(found, str) and found else None
