"""``--publish``: after a successful sync, check for template updates, commit and push once.

Order matters for "one commit per run": the update check writes its small state file
first, then the publisher stages the outputs, the run state and that file together.
Problems the athlete must act on become GitHub Actions annotations and a job summary.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from section11.config import STATE_DIR, Settings
from section11.errors import ConfigError
from section11.pipeline import SyncOutcome
from section11.publish.actions import (
    FileEntry,
    SummaryData,
    annotate,
    in_actions,
    render_summary,
    write_job_summary,
)
from section11.publish.git import GitRepo
from section11.publish.github import GitHubClient
from section11.publish.manifest import resolve_template_repository
from section11.publish.runner import publish
from section11.publish.updates import DEFAULT_STATE_PATH, check_template_updates

log = logging.getLogger("section11")


def check_publishable(settings: Settings) -> None:
    """``--publish`` needs the output folder to be a git checkout; say so before syncing."""
    folder = settings.output_dir
    if not GitRepo(folder).is_repo():
        raise ConfigError(
            f"--publish needs the output folder {folder} to be a git checkout of your data "
            "repository (git clone …, or `git init`); or run without --publish"
        )


def publish_run(
    settings: Settings, outcome: SyncOutcome, now_utc: datetime, env: Mapping[str, str]
) -> int:
    # Absolute: the file paths below must not be re-resolved against the folder itself.
    repo_dir = settings.output_dir.absolute()
    warnings = list(outcome.warnings)
    warnings.extend(_check_updates(settings, repo_dir, now_utc, env))

    files = [repo_dir / name for name in sorted(outcome.files)]
    state_dir = repo_dir / STATE_DIR
    if state_dir.is_dir():
        # Run state (history, terrain cache, update check) must travel with the data:
        # in GitHub Actions every run starts from a fresh checkout.
        files.extend(sorted(p for p in state_dir.glob("*.json") if p.is_file()))
    result = publish(
        repo_dir,
        files,
        now_utc,
        retention_days=settings.archive_days,
        latest_name=settings.latest_name,
    )
    if result.changed:
        log.info(
            "published commit %s%s",
            (result.commit or "")[:10],
            "" if result.pushed else " (not pushed: no remote)",
        )

    if in_actions(env):
        for warning in warnings:
            print(annotate("warning", warning), flush=True)
        summary = SummaryData(
            files=[FileEntry(name, size) for name, size in sorted(outcome.files.items())],
            activities=outcome.activities_in_window,
            strava_only=outcome.strava_stubs,
            warnings=warnings,
            changed=result.changed,
            commit=result.commit,
            pushed=result.pushed,
        )
        write_job_summary(render_summary(summary), env)
    return 0


def _check_updates(
    settings: Settings, repo_dir: Path, now_utc: datetime, env: Mapping[str, str]
) -> list[str]:
    """Keep the data repo's update Issue current. Never fails the sync."""
    data_repo = env.get("GITHUB_REPOSITORY", "").strip()
    client = GitHubClient.from_env(env)
    if not data_repo or client is None:
        log.debug("template update check skipped (needs GITHUB_REPOSITORY and GITHUB_TOKEN)")
        return []
    template = resolve_template_repository(repo_dir, configured=settings.template_repo, env={})
    if template == data_repo:
        return []  # the template repository itself has nothing to update from
    result = check_template_updates(
        repo_dir,
        data_repo=data_repo,
        template_repo=template,
        client=client,
        now_utc=now_utc,
        state_path=DEFAULT_STATE_PATH,
    )
    log.info("template update check: %s", result.status.replace("_", " "))
    return list(result.warnings)
