"""The Garmin Connect session that ``section11 garmin-login`` hands out, and its blob form.

The blob is the JSON that ``garminconnect`` itself stores (``di_token``, ``di_refresh_token``,
``di_client_id``), base64url-encoded so it fits on one line of a repository secret. Raw JSON
is accepted too. Nothing here ever prints or logs a token.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass

from section11.errors import ConfigError

LOGIN_HINT = (
    "run 'section11 garmin-login' on your own computer and store the printed blob as the "
    "GARMIN_TOKENS secret (or environment variable)"
)


@dataclass(frozen=True)
class GarminTokens:
    access_token: str
    refresh_token: str | None
    client_id: str | None

    def __repr__(self) -> str:
        return "GarminTokens(***)"

    __str__ = __repr__

    def expires_within(self, seconds: float, now: float | None = None) -> bool:
        """True when the access token's own expiry (JWT ``exp``) is that close or past.
        A token whose expiry cannot be read is treated as still valid (a 401 will tell)."""
        expiry = _jwt_claim(self.access_token, "exp")
        if not isinstance(expiry, int | float):
            return False
        return (time.time() if now is None else now) >= expiry - seconds

    def to_blob(self) -> str:
        data = {
            "di_token": self.access_token,
            "di_refresh_token": self.refresh_token,
            "di_client_id": self.client_id,
        }
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def parse_token_blob(blob: str, source: str = "GARMIN_TOKENS") -> GarminTokens:
    """The blob as tokens, or one clear ConfigError (which never echoes the value)."""
    text = blob.strip()
    if not text.startswith("{"):
        try:
            text = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            raise ConfigError(f"{source} is not a Garmin session blob; {LOGIN_HINT}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ConfigError(f"{source} is not a Garmin session blob; {LOGIN_HINT}") from None
    if not isinstance(data, dict) or not isinstance(data.get("di_token"), str):
        raise ConfigError(f"{source} holds no Garmin access token; {LOGIN_HINT}")
    refresh = data.get("di_refresh_token")
    client_id = data.get("di_client_id")
    return GarminTokens(
        access_token=data["di_token"],
        refresh_token=refresh if isinstance(refresh, str) else None,
        client_id=client_id if isinstance(client_id, str) else None,
    )


def _jwt_claim(token: str, claim: str) -> object:
    parts = token.split(".")
    if len(parts) < 2:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return payload.get(claim) if isinstance(payload, dict) else None
