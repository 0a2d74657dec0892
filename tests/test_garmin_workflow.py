"""The data repository's workflow guard with Garmin Connect alone: it runs on the Garmin
session secret without Intervals.icu secrets, and fails clearly when that secret is missing."""

from __future__ import annotations

from pathlib import Path

from test_workflows import _run_guard

DATA = {"GITHUB_REPOSITORY": "athlete/training-data", "ATHLETE_ID": "", "INTERVALS_KEY": ""}


def test_garmin_alone_runs_without_intervals_secrets(tmp_path: Path) -> None:
    env = {**DATA, "SECTION11_SOURCE": "garmin", "GARMIN_TOKENS": "blob"}
    code, _, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **env)
    assert (code, outputs.strip()) == (0, "run=true")


def test_garmin_alone_without_the_session_secret_fails_with_instructions(tmp_path: Path) -> None:
    env = {**DATA, "SECTION11_SOURCE": "Garmin", "GARMIN_TOKENS": ""}
    code, out, outputs = _run_guard(tmp_path, GITHUB_EVENT_NAME="schedule", **env)
    assert code == 2 and "::error::" in out and "section11 garmin-login" in out
    assert "run=true" not in outputs


def test_intervals_secrets_are_still_required_without_garmin_alone(tmp_path: Path) -> None:
    env = {**DATA, "GARMIN_TOKENS": "blob", "SECTION11_SOURCE": ""}
    code, out, _ = _run_guard(tmp_path, GITHUB_EVENT_NAME="workflow_dispatch", **env)
    assert code == 2 and "INTERVALS_KEY is not set" in out
