"""``section11 garmin-login``: log in to Garmin Connect once, on the athlete's own computer.

The login itself (with the MFA prompt) is garminconnect's; it needs the optional extra
(``pip install 'section11[garmin]'``). The command prints one line, the session blob, to
store as the ``GARMIN_TOKENS`` secret; syncs resume from it and never see a password.
It refuses to run on a CI runner: Garmin challenges and blocks logins from cloud
addresses, and a password has no business there.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TextIO

from section11.errors import ApiUnavailableError, AuthenticationError, ConfigError
from section11.sources.garmin.tokens import GarminTokens

LoginFn = Callable[[str, str, Callable[[], str]], GarminTokens]
CI_VARIABLES = ("CI", "GITHUB_ACTIONS")


def register_garmin_secrets(tokens: GarminTokens | None) -> None:
    """Keep every form of the Garmin session out of the logs."""
    from section11.logsetup import register_secret

    if tokens is None:
        return
    register_secret(tokens.access_token)
    register_secret(tokens.refresh_token)
    register_secret(tokens.to_blob())


def garmin_login_command(
    args: Sequence[str],
    env: Mapping[str, str],
    *,
    login: LoginFn | None = None,
    ask: Callable[[str], str] = input,
    ask_secret: Callable[[str], str] = getpass.getpass,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    parser = argparse.ArgumentParser(
        prog="section11 garmin-login",
        description=(
            "Log in to Garmin Connect once (MFA included) and print the session blob to store "
            "as the GARMIN_TOKENS secret. Run it on your own computer; see docs/garmin.md."
        ),
    )
    parser.add_argument("--email", help="Garmin account email (else asked, or env GARMIN_EMAIL)")
    parsed = parser.parse_args(list(args))
    if any(env.get(name, "").strip().lower() not in ("", "0", "false") for name in CI_VARIABLES):
        raise ConfigError(
            "garmin-login needs your Garmin password and is refused on a CI runner (Garmin "
            "blocks logins from cloud addresses); run it on your own computer and store the "
            "blob it prints as the GARMIN_TOKENS secret"
        )
    stdout, stderr = out or sys.stdout, err or sys.stderr
    email = (parsed.email or env.get("GARMIN_EMAIL") or "").strip() or ask("Garmin email: ")
    password = ask_secret("Garmin password (not stored): ")
    if not email.strip() or not password:
        raise ConfigError("garmin-login needs your Garmin email and password")
    tokens = (login or library_login)(
        email.strip(), password, lambda: ask("Garmin MFA code: ").strip()
    )
    register_garmin_secrets(tokens)
    print(
        "Logged in. Store the next line as the repository secret GARMIN_TOKENS (or export it "
        "as GARMIN_TOKENS for local syncs). It is a password-equivalent: keep it private.",
        file=stderr,
    )
    print(tokens.to_blob(), file=stdout)
    return 0


def library_login(email: str, password: str, prompt_mfa: Callable[[], str]) -> GarminTokens:
    """Log in through garminconnect and take its native tokens."""
    try:
        from garminconnect import (
            Garmin,
            GarminConnectAuthenticationError,
            GarminConnectConnectionError,
            GarminConnectTooManyRequestsError,
        )
    except ImportError:
        raise ConfigError(
            "garmin-login needs the Garmin extra: pip install 'section11[garmin]'"
        ) from None
    api = Garmin(email, password, prompt_mfa=prompt_mfa)
    try:
        api.login()
    except GarminConnectAuthenticationError:
        raise AuthenticationError(
            "Garmin Connect refused the login (email, password or MFA code); try again"
        ) from None
    except GarminConnectTooManyRequestsError:
        raise ApiUnavailableError(
            "Garmin Connect is rate limiting logins from this address; wait an hour and try "
            "again (repeated attempts extend the block)"
        ) from None
    except GarminConnectConnectionError as exc:
        raise ApiUnavailableError(
            f"Garmin Connect login failed ({type(exc).__name__}); try again later"
        ) from None
    data = json.loads(api.client.dumps())
    access = data.get("di_token")
    if not isinstance(access, str):
        raise AuthenticationError(
            "Garmin Connect logged in but handed out no token this library version can "
            "resume; update section11 and garminconnect"
        )
    return GarminTokens(access, data.get("di_refresh_token"), data.get("di_client_id"))
