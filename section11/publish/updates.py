"""Tell the athlete, through one GitHub Issue in the data repository, when the template
has newer files.

Once a day (state in ``.section11/update-check.json``, committed with the data) the sync
fetches the template's ``manifest.json`` through the contents API and compares every
listed file with the data repository's copy by SHA-256:

* a file listed by the template but missing locally is *new*;
* a file whose bytes differ is *changed*;
* a file the local manifest lists, still present, that the template no longer lists is
  *obsolete* (to delete);
* files the athlete owns (:data:`ATHLETE_OWNED`) are never compared; in the workflow
  files only the ``cron:`` lines and the ``SECTION11_ARCHIVE_DAYS:`` line are the
  athlete's, so when a workflow differs we fetch the template's copy and ignore
  differences in those lines.

Differences update the one open Issue labelled ``section11-update`` whose body carries
:data:`ISSUE_MARKER` (or create it); no differences close it with a comment. The daily
gate is skipped when the local files changed since the last check, so applying an update
closes the Issue on the next sync instead of a day later.

Nothing here raises: every failure becomes a warning in :class:`UpdateCheckResult` and
the sync carries on.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from section11.publish.github import (
    GitHubClient,
    GitHubError,
    GitHubNotFoundError,
    GitHubPermissionError,
    GitHubRateLimitError,
    GitHubUnavailableError,
    Issue,
)
from section11.publish.manifest import (
    MANIFEST_FILENAME,
    Manifest,
    ManifestError,
    parse_manifest,
    read_manifest,
)
from section11.store import sha256_file, write_bytes_atomic

DEFAULT_STATE_PATH = Path(".section11/update-check.json")
UPDATE_LABEL = "section11-update"
ISSUE_MARKER = "<!-- section11-update-check -->"
ISSUE_TITLE = "section11 updates are available"
# Files in the data repository that belong to the athlete and are never compared.
ATHLETE_OWNED = frozenset({"README.md"})
# Files the athlete may edit in part: only lines matching the pattern are theirs (the
# schedule and the archive retention setting in the workflows).
_ATHLETE_LINES = re.compile(r"^\s*(?:-\s*cron:|SECTION11_ARCHIVE_DAYS:).*$", re.MULTILINE)
_CUSTOMISABLE_LINES: dict[str, re.Pattern[str]] = {
    ".github/workflows/sync.yml": _ATHLETE_LINES,
    ".github/workflows/sync-on-demand.yml": _ATHLETE_LINES,
}
# After a failed check, try again after this long rather than on every sync.
FAILURE_RETRY = timedelta(hours=1)
_STATE_VERSION = 1

Status = Literal[
    "skipped_recent", "up_to_date", "issue_created", "issue_updated", "issue_closed", "failed"
]


@dataclass(frozen=True)
class UpdateCheckResult:
    status: Status
    warnings: list[str] = field(default_factory=list)
    new_files: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    issue_number: int | None = None
    obsolete_files: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _State:
    last_checked_utc: datetime | None = None
    last_attempt_utc: datetime | None = None
    last_error: str | None = None
    template_manifest_sha256: str | None = None
    local_fingerprint: str | None = None


def check_template_updates(
    repo_root: Path,
    *,
    data_repo: str,
    template_repo: str,
    client: GitHubClient,
    now_utc: datetime,
    state_path: Path,
    min_interval: timedelta = timedelta(days=1),
    template_ref: str = "main",
    force: bool = False,
) -> UpdateCheckResult:
    """Compare the data repository with the template and keep the update Issue in step.

    ``state_path`` may be relative to ``repo_root``. ``force`` ignores the daily gate.
    Never raises (a bug in here must not cost the athlete a sync).
    """
    try:
        return _check(
            repo_root,
            data_repo=data_repo,
            template_repo=template_repo,
            client=client,
            now_utc=now_utc,
            state_path=state_path if state_path.is_absolute() else repo_root / state_path,
            min_interval=min_interval,
            template_ref=template_ref,
            force=force,
        )
    except Exception as exc:  # last line of defence; messages below never carry tokens
        return UpdateCheckResult(
            "failed", warnings=[f"update check failed unexpectedly: {type(exc).__name__}"]
        )


def _check(
    repo_root: Path,
    *,
    data_repo: str,
    template_repo: str,
    client: GitHubClient,
    now_utc: datetime,
    state_path: Path,
    min_interval: timedelta,
    template_ref: str,
    force: bool,
) -> UpdateCheckResult:
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    if data_repo.lower() == template_repo.lower():
        return UpdateCheckResult("up_to_date")  # the template itself: nothing to compare
    state, state_warning = _read_state(state_path)
    warnings = [state_warning] if state_warning else []
    local_manifest = _local_manifest(repo_root, warnings)
    fingerprint = _local_fingerprint(repo_root, local_manifest)
    if not force and _recent(state, now_utc, min_interval, fingerprint):
        return UpdateCheckResult("skipped_recent", warnings=warnings)

    try:
        raw = client.get_file(template_repo, MANIFEST_FILENAME, ref=template_ref)
        template = parse_manifest(raw)
        new, changed = _compare(repo_root, template, client, template_repo, template_ref)
        obsolete = _obsolete(repo_root, template, local_manifest)
        result = _sync_issue(
            client,
            data_repo=data_repo,
            template_repo=template_repo,
            template_ref=template_ref,
            template=template,
            local=local_manifest,
            new=new,
            changed=changed,
            obsolete=obsolete,
        )
    except (GitHubError, ManifestError) as exc:
        message = _explain(exc, data_repo=data_repo, template_repo=template_repo)
        _write_state(
            state_path,
            _State(
                last_checked_utc=state.last_checked_utc,
                last_attempt_utc=now_utc,
                last_error=message,
                template_manifest_sha256=state.template_manifest_sha256,
                local_fingerprint=state.local_fingerprint,
            ),
            warnings,
        )
        return UpdateCheckResult("failed", warnings=[*warnings, message])

    _write_state(
        state_path,
        _State(
            last_checked_utc=now_utc,
            last_attempt_utc=now_utc,
            last_error=None,
            template_manifest_sha256=hashlib.sha256(raw).hexdigest(),
            local_fingerprint=fingerprint,
        ),
        warnings,
    )
    return UpdateCheckResult(
        result.status,
        warnings=[*warnings, *result.warnings],
        new_files=result.new_files,
        changed_files=result.changed_files,
        issue_number=result.issue_number,
        obsolete_files=result.obsolete_files,
    )


# -- comparison ----------------------------------------------------------------------------


def _compare(
    root: Path,
    template: Manifest,
    client: GitHubClient,
    template_repo: str,
    ref: str,
) -> tuple[list[str], list[str]]:
    new: list[str] = []
    changed: list[str] = []
    for path, entry in sorted(template.files.items()):
        if path in ATHLETE_OWNED:
            continue
        local = root / path
        if not local.is_file():
            new.append(path)
            continue
        if sha256_file(local) == entry.sha256:
            continue
        pattern = _CUSTOMISABLE_LINES.get(path)
        if pattern is not None:
            theirs = client.get_file(template_repo, path, ref=ref)
            if _without(pattern, theirs) == _without(pattern, local.read_bytes()):
                continue
        changed.append(path)
    return new, changed


def _obsolete(root: Path, template: Manifest, local: Manifest | None) -> list[str]:
    """Files this repository got from an earlier template version that the template no
    longer ships (still present here): the update removes them."""
    if local is None:
        return []
    return sorted(
        path
        for path in local.files
        if path not in template.files and path not in ATHLETE_OWNED and (root / path).is_file()
    )


def _without(pattern: re.Pattern[str], data: bytes) -> str:
    return pattern.sub("", data.decode("utf-8", errors="replace"))


def _local_manifest(root: Path, warnings: list[str]) -> Manifest | None:
    try:
        return read_manifest(root)
    except ManifestError as exc:
        warnings.append(f"local {MANIFEST_FILENAME} ignored: {exc}")
        return None


def _local_fingerprint(root: Path, local: Manifest | None) -> str:
    """A hash over the local copies of the distributed files (by the local manifest's list)."""
    digest = hashlib.sha256()
    paths = sorted(local.files) if local is not None else []
    for path in paths:
        full = root / path
        digest.update(path.encode())
        digest.update(sha256_file(full).encode() if full.is_file() else b"-")
    return digest.hexdigest()


def _recent(state: _State, now: datetime, interval: timedelta, fingerprint: str) -> bool:
    if state.last_error is not None and state.last_attempt_utc is not None:
        return now - state.last_attempt_utc < min(interval, FAILURE_RETRY)
    if state.last_checked_utc is None:
        return False
    if state.local_fingerprint is not None and state.local_fingerprint != fingerprint:
        return False  # the athlete changed files (e.g. applied an update): look again now
    return now - state.last_checked_utc < interval


# -- the Issue -----------------------------------------------------------------------------


def _sync_issue(
    client: GitHubClient,
    *,
    data_repo: str,
    template_repo: str,
    template_ref: str,
    template: Manifest,
    local: Manifest | None,
    new: list[str],
    changed: list[str],
    obsolete: list[str],
) -> UpdateCheckResult:
    warnings: list[str] = []
    open_issues = [
        issue
        for issue in client.list_open_issues(data_repo, UPDATE_LABEL)
        if ISSUE_MARKER in issue.body
    ]
    keep: Issue | None = open_issues[0] if open_issues else None
    for duplicate in open_issues[1:]:
        assert keep is not None
        client.close_issue(
            data_repo, duplicate.number, f"Closing as a duplicate of #{keep.number}."
        )
        warnings.append(f"closed duplicate update issue #{duplicate.number}")

    if not new and not changed and not obsolete:
        if keep is None:
            return UpdateCheckResult("up_to_date", warnings=warnings)
        client.close_issue(
            data_repo,
            keep.number,
            f"All files match {template_repo} (version {template.version}) now. "
            "This repository is up to date; closing.",
        )
        return UpdateCheckResult("issue_closed", warnings=warnings, issue_number=keep.number)

    body = render_issue_body(
        data_repo=data_repo,
        template_repo=template_repo,
        template_ref=template_ref,
        template=template,
        local_version=local.version if local is not None else None,
        new=new,
        changed=changed,
        obsolete=obsolete,
    )
    if keep is not None:
        if keep.body != body or keep.title != ISSUE_TITLE:
            client.update_issue(data_repo, keep.number, title=ISSUE_TITLE, body=body)
        return UpdateCheckResult(
            "issue_updated",
            warnings=warnings,
            new_files=new,
            changed_files=changed,
            issue_number=keep.number,
            obsolete_files=obsolete,
        )
    client.ensure_label(
        data_repo,
        UPDATE_LABEL,
        color="1d76db",
        description="Newer section11 files are available in the template repository",
    )
    created = client.create_issue(data_repo, ISSUE_TITLE, body, labels=(UPDATE_LABEL,))
    return UpdateCheckResult(
        "issue_created",
        warnings=warnings,
        new_files=new,
        changed_files=changed,
        issue_number=created.number,
        obsolete_files=obsolete,
    )


def render_issue_body(
    *,
    data_repo: str,
    template_repo: str,
    template_ref: str,
    template: Manifest,
    local_version: str | None,
    new: list[str],
    changed: list[str],
    obsolete: Sequence[str] = (),
) -> str:
    """The Issue text. Deterministic for the same inputs (no timestamps), so an unchanged
    set of differences does not rewrite the Issue."""
    web = f"https://github.com/{template_repo}"
    have = local_version or "unknown"
    lines = [
        ISSUE_MARKER,
        f"The template repository [{template_repo}]({web}) has section11 version "
        f"**{template.version}** (this repository: {have}). "
        f"{len(new)} new, {len(changed)} changed and {len(obsolete)} obsolete file(s):",
        "",
        "| File | Status | Size |",
        "|---|---|---|",
    ]
    for status, paths in (("new", new), ("changed", changed)):
        for path in paths:
            size = _human_size(template.files[path].size)
            lines.append(f"| [`{path}`]({web}/blob/{template_ref}/{path}) | {status} | {size} |")
    for path in obsolete:
        lines.append(f"| `{path}` | obsolete: delete it | — |")
    paths = [*new, *changed]
    workflows = [p for p in paths if p.startswith(".github/workflows/")]
    if workflows:
        lines += [
            "",
            "**A workflow file is listed.** GitHub accepts changes to `.github/workflows/` "
            "only from a token with the *workflow* scope: over HTTPS use a personal access "
            "token with the `workflow` scope (classic) or *Workflows: Read and write* "
            "(fine-grained), or sign in through GitHub Desktop, the `gh` command or the "
            "browser. The sync's own token can never change workflow files, which is why "
            "the sync does not update itself. After updating, put your own `cron:` schedule "
            "and `SECTION11_ARCHIVE_DAYS` lines back if you had changed them (differences "
            "in those lines alone are never reported).",
        ]
    checkout = " ".join(shlex.quote(p) for p in [*paths, MANIFEST_FILENAME])
    name = data_repo.split("/")[-1]
    commands = [
        f"git clone https://github.com/{data_repo}.git   # first time only",
        f"cd {shlex.quote(name)}",
        "git pull --rebase   # the sync pushes every 20 minutes: start from the newest commit",
        f"git remote add template {web}.git   # first time only",
        f"git fetch template {template_ref}",
        f"git checkout template/{template_ref} -- {checkout}",
    ]
    if obsolete:
        commands.append("git rm --quiet -- " + " ".join(shlex.quote(p) for p in obsolete))
    commands += [
        f'git commit -m "Update section11 files to {template.version}"',
        "git pull --rebase   # a sync may have pushed meanwhile; your commit goes on top",
        "git push",
    ]
    lines += [
        "",
        "### Update with git (on your computer)",
        "",
        "```sh",
        *commands,
        "```",
        "",
        "If `git push` is rejected because a sync pushed in between, run the last two lines "
        "again. Your data files, `archive/` and `README.md` are not touched.",
        "",
        "### Update in the browser",
        "",
        "For each new or changed file in the table: open the link, press **Copy raw file**, "
        "then in this repository open the same path, press the pencil (**Edit**), replace "
        "everything, and **Commit changes** (each commit lands on top of the sync's, so "
        "there is nothing to pull). For a *new* file use **Add file → Create new file** and "
        "type the full path (folders are created for you); an *obsolete* file is removed "
        "with **… → Delete file**. Update `manifest.json` the same way last.",
        "",
        "The next sync that brings new data after the update closes this Issue. Ignore it "
        "safely if you want to stay on your version; it is refreshed at most once a day.",
    ]
    return "\n".join(lines) + "\n"


def _human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _explain(exc: GitHubError | ManifestError, *, data_repo: str, template_repo: str) -> str:
    """One line for the sync log: what failed and what to do."""
    prefix = "update check skipped"
    if isinstance(exc, ManifestError):
        return f"{prefix}: the manifest.json of {template_repo} is unusable ({exc})"
    if isinstance(exc, GitHubRateLimitError):
        return f"{prefix}: GitHub API rate limit reached; will retry later ({exc})"
    if isinstance(exc, GitHubPermissionError):
        return (
            f"{prefix}: GitHub refused access ({exc}). The workflow needs "
            "`permissions: issues: write` (and contents: write) in "
            ".github/workflows/sync.yml, and Settings → Actions → General → Workflow "
            "permissions must be 'Read and write permissions'"
        )
    if isinstance(exc, GitHubNotFoundError):
        return (
            f"{prefix}: not found ({exc}). Check that {template_repo} exists and is "
            f"public, or set SECTION11_TEMPLATE_REPO; and that {data_repo} is right"
        )
    if isinstance(exc, GitHubUnavailableError):
        return f"{prefix}: GitHub is unavailable ({exc}); will retry later"
    return f"{prefix}: {exc}"


# -- state ---------------------------------------------------------------------------------


def _read_state(path: Path) -> tuple[_State, str | None]:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _State(), None
    except (OSError, ValueError):
        return _State(), f"{path.name} was unreadable; starting the update check afresh"
    if not isinstance(data, dict):
        return _State(), f"{path.name} was unreadable; starting the update check afresh"
    return (
        _State(
            last_checked_utc=_parse_time(data.get("last_checked_utc")),
            last_attempt_utc=_parse_time(data.get("last_attempt_utc")),
            last_error=data.get("last_error") if isinstance(data.get("last_error"), str) else None,
            template_manifest_sha256=_str_or_none(data.get("template_manifest_sha256")),
            local_fingerprint=_str_or_none(data.get("local_fingerprint")),
        ),
        None,
    )


def _write_state(path: Path, state: _State, warnings: list[str]) -> None:
    data = {
        "state_version": _STATE_VERSION,
        "last_checked_utc": _format_time(state.last_checked_utc),
        "last_attempt_utc": _format_time(state.last_attempt_utc),
        "last_error": state.last_error,
        "template_manifest_sha256": state.template_manifest_sha256,
        "local_fingerprint": state.local_fingerprint,
    }
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    try:
        write_bytes_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        warnings.append(f"could not save {path.name}: {exc.strerror}")


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _format_time(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
