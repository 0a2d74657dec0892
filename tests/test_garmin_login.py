"""``section11 garmin-login``: refused on CI runners, MFA prompt passed through, one blob
printed that the sync (and garminconnect itself) can resume from."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable

import pytest
from garminconnect.client import Client as LibraryClient

from section11.cli import main
from section11.errors import ConfigError
from section11.sources.garmin.login import garmin_login_command
from section11.sources.garmin.tokens import GarminTokens, parse_token_blob

PASSWORD = "correct horse battery staple"
TOKENS = GarminTokens("access-abcdef-123456", "refresh-abcdef-654321", "CLIENT_ID_X")


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS"])
def test_refused_on_a_ci_runner_before_asking_for_the_password(
    variable: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["garmin-login"], env={variable: "true"}) == 2
    err = capsys.readouterr().err
    assert "own computer" in err and "GARMIN_TOKENS" in err

    asked: list[str] = []

    def record(prompt: str) -> str:
        asked.append(prompt)
        return "x"

    with pytest.raises(ConfigError):
        garmin_login_command([], {variable: "true"}, ask=record, ask_secret=record)
    assert asked == []


def test_login_with_mfa_prints_one_blob_the_sync_resumes_from() -> None:
    prompts: list[str] = []
    answers = {"Garmin MFA code: ": " 123456 "}

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return answers.get(prompt, "")

    def login(email: str, password: str, prompt_mfa: Callable[[], str]) -> GarminTokens:
        assert (email, password) == ("athlete@example.com", PASSWORD)
        assert prompt_mfa() == "123456"  # the code the athlete typed, trimmed
        return TOKENS

    out, err = io.StringIO(), io.StringIO()
    code = garmin_login_command(
        ["--email", "athlete@example.com"],
        {},
        login=login,
        ask=ask,
        ask_secret=lambda prompt: PASSWORD,
        out=out,
        err=err,
    )
    assert code == 0
    assert prompts == ["Garmin MFA code: "]
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert parse_token_blob(lines[0]) == TOKENS
    assert PASSWORD not in out.getvalue() + err.getvalue()
    assert "GARMIN_TOKENS" in err.getvalue()


def test_blob_matches_the_token_format_of_garminconnect() -> None:
    library = LibraryClient()
    library.di_token, library.di_refresh_token, library.di_client_id = (
        TOKENS.access_token,
        TOKENS.refresh_token,
        TOKENS.client_id,
    )
    # What the library stores reads as our tokens ...
    assert parse_token_blob(library.dumps()) == TOKENS
    # ... and our blob, decoded, is what the library loads.
    decoded = json.dumps(json.loads(_decode(TOKENS.to_blob())))
    resumed = LibraryClient()
    resumed.loads(decoded)
    assert (resumed.di_token, resumed.di_refresh_token, resumed.di_client_id) == (
        TOKENS.access_token,
        TOKENS.refresh_token,
        TOKENS.client_id,
    )


def _decode(blob: str) -> str:
    return base64.urlsafe_b64decode(blob + "=" * (-len(blob) % 4)).decode()
