"""``--publish``: after a successful sync, check for template updates, commit and push once.

Order matters for "one commit per run": a new data repository first sheds the template
files it does not need; when the run will commit (new data, or that removal) the daily
update check writes its small state file; then the publisher stages the outputs, the run
state and the removal together. A run with nothing new commits nothing and makes no
GitHub API call. Problems the athlete must act on become GitHub Actions annotations and a
job summary.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from section11.build_record import RECORD_FILE, refresh_file_digests
from section11.config import STATE_DIR, Settings
from section11.errors import ConfigError
from section11.outputs.intervals_fetch_state import FETCH_STATE_FILE
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
from section11.publish.manifest import ManifestError, read_manifest, resolve_template_repository
from section11.publish.runner import pending_data_changes, publish
from section11.publish.slim import SlimResult, slim_data_repository
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
    slimmed = _slim_if_new(settings, repo_dir, env)

    files = [repo_dir / name for name in sorted(outcome.files)]
    # The interval fetch state commits when it changes, as it did inside intervals.json: a
    # fresh checkout (every Actions run) must see the retry times, or it asks on every run
    # what the retry ladder spaces out. It changes only when intervals were asked for or a
    # session left the 14 days (a new day, a deletion: the data changes then anyway).
    files.append(repo_dir / STATE_DIR / FETCH_STATE_FILE)
    # The once-a-day update check runs only in a run that commits anyway, so its state
    # file never makes a commit of its own (in Actions every run starts from a fresh
    # checkout: state that is not committed is forgotten).
    if not (env.get("GITHUB_REPOSITORY", "").strip() and env.get("GITHUB_TOKEN", "").strip()):
        update = _UpdateNote("not run (needs GITHUB_REPOSITORY and GITHUB_TOKEN)", [])
    elif slimmed.removed or pending_data_changes(repo_dir, files, now_utc):
        update = _check_updates(settings, repo_dir, now_utc, env)
    else:
        update = _UpdateNote("waits for a run with new data", [])
    warnings.extend(update.warnings)

    state_dir = repo_dir / STATE_DIR
    # Run state (history, terrain cache, update check) travels with the data: in GitHub
    # Actions every run starts from a fresh checkout. It is committed only with a data
    # change, never on its own.
    bookkeeping = (
        sorted(p for p in state_dir.glob("*.json") if p.is_file()) if state_dir.is_dir() else []
    )
    result = publish(
        repo_dir,
        files,
        now_utc,
        retention_days=settings.archive_days,
        latest_name=settings.latest_name,
        bookkeeping=bookkeeping,
        removed=slimmed.removed,
        # Files put back to HEAD hold the same data as the build's: the run record takes
        # their bytes before it is committed, so the next run can still stop early.
        after_restore=lambda: refresh_file_digests(state_dir / RECORD_FILE, repo_dir),
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
            update_check=update.status,
            removed_template_files=len(slimmed.removed),
        )
        write_job_summary(render_summary(summary), env)
    return 0


@dataclass(frozen=True)
class _UpdateNote:
    status: str  # one line for the job summary
    warnings: list[str]


def _slim_if_new(settings: Settings, repo_dir: Path, env: Mapping[str, str]) -> SlimResult:
    """In GitHub Actions, a data repository still holding template-only files sheds them.

    Only there: ``GITHUB_REPOSITORY`` names the data repository for sure, and a local
    clone of the template itself must never lose its tests.
    """
    data_repo = env.get("GITHUB_REPOSITORY", "").strip()
    if not in_actions(env) or not data_repo:
        return SlimResult([], False)
    try:
        manifest = read_manifest(repo_dir)
    except ManifestError as exc:
        log.warning("manifest.json unreadable (%s); template files were not removed", exc)
        return SlimResult([], False)
    if manifest is None:
        return SlimResult([], False)
    template = resolve_template_repository(repo_dir, configured=settings.template_repo, env={})
    if template.lower() == data_repo.lower():
        return SlimResult([], False)
    return slim_data_repository(repo_dir, manifest, data_repo)


def _check_updates(
    settings: Settings, repo_dir: Path, now_utc: datetime, env: Mapping[str, str]
) -> _UpdateNote:
    """Keep the data repo's update Issue current. Never fails the sync."""
    data_repo = env.get("GITHUB_REPOSITORY", "").strip()
    client = GitHubClient.from_env(env)
    if not data_repo or client is None:
        log.debug("template update check skipped (needs GITHUB_REPOSITORY and GITHUB_TOKEN)")
        return _UpdateNote("not run (needs GITHUB_REPOSITORY and GITHUB_TOKEN)", [])
    template = resolve_template_repository(repo_dir, configured=settings.template_repo, env={})
    if template.lower() == data_repo.lower():
        return _UpdateNote("not run (this is the template repository)", [])
    result = check_template_updates(
        repo_dir,
        data_repo=data_repo,
        template_repo=template,
        client=client,
        now_utc=now_utc,
        state_path=DEFAULT_STATE_PATH,
    )
    status = _STATUS_TEXT.get(result.status, result.status.replace("_", " "))
    if result.issue_number is not None:
        status += f" (Issue #{result.issue_number})"
    log.info("template update check: %s", status)
    return _UpdateNote(status, list(result.warnings))


_STATUS_TEXT = {
    "skipped_recent": "already done in the last 24 hours",
    "up_to_date": "up to date",
    "issue_created": "updates available: Issue opened",
    "issue_updated": "updates available: Issue refreshed",
    "issue_closed": "up to date: update Issue closed",
    "failed": "failed (see the warnings)",
}
