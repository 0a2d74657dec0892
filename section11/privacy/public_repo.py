"""Publishing from GitHub Actions to a public repository needs privacy strict or metrics.

Anyone can read a public repository: below ``strict`` its files would carry the
athlete's places and free text. GitHub's API tells whether the repository is private;
the athlete can still choose otherwise, explicitly, with ``--allow-public-repo`` (or
``SECTION11_ALLOW_PUBLIC_REPO=true``). Checked before any request to Intervals.icu.
When GitHub cannot answer, the run goes on at ``strict`` (a GitHub outage never fails a
sync, and never publishes more than is safe).
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from pathlib import Path

from section11.config import Settings
from section11.errors import ConfigError
from section11.privacy.levels import PrivacyLevel

log = logging.getLogger("section11")

OVERRIDE_HINT = (
    "set SECTION11_PRIVACY=strict (or metrics) for this repository, make it private, or "
    "accept the risk explicitly with SECTION11_ALLOW_PUBLIC_REPO=true (--allow-public-repo)"
)


def check_repository_visibility(settings: Settings, env: Mapping[str, str]) -> Settings:
    """The settings to run with: ConfigError when this run would publish below ``strict``
    to a public repository; privacy ``strict`` for this run when GitHub cannot tell."""
    if not settings.publish or env.get("GITHUB_ACTIONS") != "true":
        return settings
    if settings.privacy.at_least(PrivacyLevel.STRICT):
        return settings
    from section11.publish.github import GitHubClient, GitHubError

    repo = env.get("GITHUB_REPOSITORY", "").strip()
    try:
        client = GitHubClient.from_env(env)
    except GitHubError:
        client = None
    private: bool | None = _private_from_event(env, repo)
    if private is not None:
        problem = ""  # the runner's event payload said it: no API call needed
    elif not repo or client is None:
        problem = "GITHUB_REPOSITORY and GITHUB_TOKEN are needed to ask GitHub"
    else:
        with client:
            try:
                private = client.repository_is_private(repo)
                problem = ""
            except GitHubError as exc:
                private, problem = None, str(exc)
    if private:
        return settings
    if settings.allow_public_repo:
        log.warning(
            "publishing at privacy level %s to %s repository %s, as allowed by "
            "SECTION11_ALLOW_PUBLIC_REPO / --allow-public-repo",
            settings.privacy,
            "a public" if private is False else "a possibly public",
            repo or "(unknown)",
        )
        return settings
    if private is False:
        raise ConfigError(
            f"{repo} is a public repository and the privacy level is {settings.privacy}: "
            f"anyone could read the athlete's places and notes; {OVERRIDE_HINT}"
        )
    log.warning(
        "cannot tell whether %s is private (%s): this run is written at privacy level "
        "strict instead of %s",
        repo or "this repository",
        problem,
        settings.privacy,
    )
    return dataclasses.replace(
        settings, privacy=PrivacyLevel.STRICT, anonymize=True, archive_days=0
    )


def _private_from_event(env: Mapping[str, str], repo: str) -> bool | None:
    """The ``repository.private`` flag of the event that started this workflow run.

    Every runner writes the event payload to ``GITHUB_EVENT_PATH``; for scheduled and
    manual runs it names the repository and whether it is private. Reading it saves a
    GitHub API request on every run. None when the file is missing, unreadable or about
    another repository (the API is asked then).
    """
    path = env.get("GITHUB_EVENT_PATH", "").strip()
    if not path or not repo:
        return None
    try:
        with Path(path).open(encoding="utf-8") as fh:
            payload = json.load(fh)
    except (OSError, ValueError):
        return None
    repository = payload.get("repository") if isinstance(payload, dict) else None
    if not isinstance(repository, dict):
        return None
    name, private = repository.get("full_name"), repository.get("private")
    if not isinstance(name, str) or name.lower() != repo.lower() or not isinstance(private, bool):
        return None
    return private
