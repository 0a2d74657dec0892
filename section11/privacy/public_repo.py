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
import logging
from collections.abc import Mapping

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
    if not repo or client is None:
        problem = "GITHUB_REPOSITORY and GITHUB_TOKEN are needed to ask GitHub"
        private: bool | None = None
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
