"""``--publish``: commit the freshly written output files to the data repository and push.

Called after the sync has written its files. One run makes at most ONE commit, holding
the changed output files, the archive snapshot of latest.json, the archive retention
deletions, README.md's "Last successful sync" line, the run's bookkeeping files
(``.section11/`` state) and, on a new data repository's first publish, the removal of the
template files it does not need.

Bookkeeping files never cause a commit on their own: they ride along with the next data
change. So a run where nothing but bookkeeping changed makes no commit, in GitHub Actions
exactly as locally (locally the changed state simply stays in the work tree).

Change detection ignores volatile fields: a file whose only difference from HEAD is a
key in :data:`VOLATILE_KEYS` (at any depth) is not a change, and is put back to its HEAD
content so the work tree stays clean. When no output changed there is no snapshot and no
commit.

Pushing races with other writers (an overlapping scheduled run, a manual dispatch, a
second machine): a rejected push is followed by fetch + rebase and another push, with a
short randomised backoff, up to ``max_push_attempts`` times. Conflicts in the files this
run generates (outputs, archive, README.md) are resolved by keeping this run's version —
they are regenerated on every run. Conflicts in any other file stop the run with the local
commit intact. Commits are never dropped: the other writer's commits stay in history and
ours is replayed on top.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from section11.json_layout import plain_numbers
from section11.publish.archive import DEFAULT_RETENTION_DAYS, apply_retention, write_snapshot
from section11.publish.git import GitRepo, PublishError, PushStatus
from section11.publish.readme import update_last_sync_line
from section11.store import write_bytes_atomic

__all__ = [
    "VOLATILE_KEYS",
    "PublishResult",
    "normalized_for_comparison",
    "pending_data_changes",
    "publish",
]

log = logging.getLogger(__name__)

# Keys whose value changes on every run without the athlete's data changing: run
# timestamps and ages computed from "now". Dropped (at any depth) before comparing.
VOLATILE_KEYS: frozenset[str] = frozenset(
    {
        "last_updated",
        "last_updated_utc",
        "updated_at",
        "age_hours",
        "generated_at",
        "calculation_timestamp",
        "last_generated",
        "age_days",
        "synced_at",
        "fetched_at",
    }
)

# The same for markup (dashboard.html): the run time sits in <time data-volatile="…">.
_VOLATILE_MARKUP = re.compile(rb'(<time data-volatile="[a-z_]+">)[^<]*(</time>)')

README_NAME = "README.md"
LATEST_NAME = "latest.json"


@dataclass(frozen=True)
class PublishResult:
    changed: bool
    commit: str | None
    pushed: bool
    attempts: int
    archived: Path | None
    removed_snapshots: int


def _strip_volatile(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_volatile(v) for k, v in value.items() if k not in VOLATILE_KEYS}
    if isinstance(value, list):
        return [_strip_volatile(v) for v in value]
    return value


def normalized_for_comparison(json_bytes: bytes) -> bytes:
    """Canonical bytes of a JSON document without its :data:`VOLATILE_KEYS`.

    Key order, whitespace and the spelling of a number (``40.0`` or ``40``) do not matter
    either. Bytes that are not JSON are compared as they are, except for the text of
    ``<time data-volatile="…">`` elements.
    """
    try:
        data = json.loads(json_bytes.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _VOLATILE_MARKUP.sub(rb"\1\2", json_bytes)
    canonical = json.dumps(
        plain_numbers(_strip_volatile(data)),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return canonical.encode("utf-8")


def _utc(now_utc: datetime) -> datetime:
    if now_utc.tzinfo is None:
        raise ValueError("now_utc must be timezone-aware")
    return now_utc.astimezone(UTC)


def _relative(repo_dir: Path, path: Path) -> str:
    absolute = Path(os.path.abspath(path if path.is_absolute() else repo_dir / path))
    try:
        return absolute.relative_to(repo_dir).as_posix()
    except ValueError:
        raise PublishError(
            f"{path} is outside the data repository {repo_dir}; write the output files "
            "inside the repository to publish them"
        ) from None


class _Publisher:
    def __init__(
        self,
        repo_dir: Path,
        now: datetime,
        *,
        retention_days: int,
        max_push_attempts: int,
        commit_message: str | None,
        backoff_seconds: float,
        sleep: Callable[[float], None],
        latest_name: str = LATEST_NAME,
    ) -> None:
        self.repo_dir = repo_dir
        self.latest_name = latest_name
        self.repo = GitRepo(repo_dir)
        self.now = now
        self.retention_days = retention_days
        self.max_push_attempts = max(1, max_push_attempts)
        self.message = commit_message or f"Sync training data {now:%Y-%m-%dT%H:%M:%SZ}"
        self.backoff_seconds = backoff_seconds
        self.sleep = sleep
        # What this run generated (path -> bytes), re-imposed after a rebase.
        self.generated: dict[str, bytes] = {}
        self.owned_dirs: tuple[str, ...] = ("archive/",)
        self.readme_committed = False

    # -- preparation ------------------------------------------------------------------

    def check_repository(self) -> None:
        if not self.repo.is_repo():
            raise PublishError(
                f"{self.repo_dir} is not a git repository; publish from a clone of your data "
                "repository (git clone …), create one with `git init`, or run without --publish"
            )
        unfinished = self.repo.operation_in_progress()
        if unfinished is not None:
            raise PublishError(
                f"a {unfinished} is unfinished in {self.repo_dir}; finish or abort it "
                f"(`git {unfinished} --abort`) and run again"
            )

    def data_changed(self, rel: str) -> bool:
        current = (self.repo_dir / rel).read_bytes()
        at_head = self.repo.show_head(rel)
        if at_head is None:
            return True
        if current == at_head:
            return False
        return normalized_for_comparison(current) != normalized_for_comparison(at_head)

    # -- the commit -------------------------------------------------------------------

    def build_commit(
        self, changed: list[str], bookkeeping: list[str], deleted: list[str]
    ) -> tuple[str, Path | None, int]:
        stage: list[str] = [*changed, *bookkeeping]
        unstage: list[str] = list(deleted)
        for rel in stage:
            self.generated[rel] = (self.repo_dir / rel).read_bytes()

        archived: Path | None = None
        latest = next((rel for rel in changed if Path(rel).name == self.latest_name), None)
        if self.retention_days > 0 and latest is not None:
            archived = write_snapshot(self.repo_dir, self.generated[latest], self.now)
            rel = _relative(self.repo_dir, archived)
            self.generated[rel] = self.generated[latest]
            stage.append(rel)
        removed = apply_retention(self.repo_dir, self.retention_days, self.now)
        for path in removed:
            rel = _relative(self.repo_dir, path)
            if self.repo.show_head(rel) is not None:
                unstage.append(rel)

        readme = self.repo_dir / README_NAME
        if readme.is_file() and README_NAME not in self.repo.ignored([README_NAME]):
            text = readme.read_text(encoding="utf-8")
            updated = update_last_sync_line(text, self.now)
            if updated != text:
                write_bytes_atomic(readme, updated.encode("utf-8"))
            stage.append(README_NAME)
            self.readme_committed = True

        self.repo.add(stage)
        self.repo.remove_cached(unstage)
        sha = self.repo.commit(self.message, [*stage, *unstage])
        log.info("committed %s (%d file(s) changed)", sha[:12], len(stage) + len(unstage))
        return sha, archived, len(removed)

    # -- after a rebase: this run's files win ------------------------------------------

    def _owned(self, rel: str) -> bool:
        return rel in self.generated or rel == README_NAME or rel.startswith(self.owned_dirs)

    def resolve_conflicts(self, conflicts: Sequence[str]) -> None:
        foreign = [p for p in conflicts if not self._owned(p)]
        if foreign:
            self.repo.rebase_abort()
            raise PublishError(
                "local commits conflict with the remote in "
                + ", ".join(foreign)
                + "; resolve with `git pull --rebase` in "
                + str(self.repo_dir)
                + " (this run's commit is kept)"
            )
        keep: list[str] = []
        drop: list[str] = []
        readme: list[str] = []
        for rel in conflicts:
            # In a rebase, stage 2 ("ours") is the upstream, stage 3 ("theirs") the commit
            # being replayed — i.e. this run's.
            if rel == README_NAME and self.repo.has_stage(rel, 2):
                readme.append(rel)
            elif self.repo.has_stage(rel, 3):
                keep.append(rel)
            else:
                drop.append(rel)
        self.repo.take_replayed_version(keep)
        self.repo.remove(drop)
        if readme:
            # The README is the athlete's document: keep the remote's text (their edits)
            # and set only the last-sync line to this run's time.
            self.repo.take_upstream_version(readme)
            path = self.repo_dir / README_NAME
            text = path.read_text(encoding="utf-8")
            write_bytes_atomic(path, update_last_sync_line(text, self.now).encode("utf-8"))
            self.repo.add(readme)

    def rebase_onto(self, upstream: str) -> None:
        outcome = self.repo.rebase(upstream)
        rounds = 0
        while not outcome.done:
            rounds += 1
            if rounds > 1000:  # pragma: no cover - a rebase replays finitely many commits
                self.repo.rebase_abort()
                raise PublishError("rebase did not finish; run `git pull --rebase` by hand")
            log.info(
                "resolving rebase conflict(s) in %s with this run's version",
                ", ".join(outcome.conflicts),
            )
            self.resolve_conflicts(outcome.conflicts)
            outcome = self.repo.rebase_continue()

    def reimpose_generated(self, upstream: str) -> str | None:
        """Make HEAD hold exactly this run's generated bytes; returns our commit sha."""
        fix: list[str] = []
        for rel, payload in self.generated.items():
            path = self.repo_dir / rel
            if not path.is_file() or path.read_bytes() != payload:
                write_bytes_atomic(path, payload)
                fix.append(rel)
        readme = self.repo_dir / README_NAME
        if self.readme_committed and readme.is_file():
            text = readme.read_text(encoding="utf-8")
            updated = update_last_sync_line(text, self.now)
            if updated != text:
                write_bytes_atomic(readme, updated.encode("utf-8"))
                fix.append(README_NAME)
        ahead = self.repo.count_commits(f"{upstream}..HEAD")
        if not fix:
            return self.repo.head() if ahead else None
        self.repo.add(fix)
        ours_on_top = ahead > 0 and self.repo.head_subject() == self.message.splitlines()[0]
        log.debug("re-imposing this run's version of %s", ", ".join(fix))
        return self.repo.commit(self.message, fix, amend=ours_on_top)

    # -- pushing ----------------------------------------------------------------------

    def push(self, target: tuple[str, str], commit: str | None) -> tuple[str | None, int]:
        remote, branch = target
        attempt = 0
        while True:
            attempt += 1
            outcome = self.repo.push(remote, branch)
            if outcome.status is PushStatus.OK:
                log.info("pushed to %s/%s", remote, branch)
                return commit, attempt
            log.info("push attempt %d rejected (%s)", attempt, outcome.detail)
            if attempt >= self.max_push_attempts:
                raise PublishError(
                    f"push to {remote}/{branch} was rejected {attempt} times because other "
                    f"writers kept pushing; commit {commit[:12] if commit else 'HEAD'} is kept "
                    "locally and is pushed by the next run"
                )
            # Randomised, growing pause so two racing runners stop colliding.
            self.sleep(self.backoff_seconds * attempt * (0.5 + random.random()))
            upstream = self.repo.fetch(remote, branch)
            self.rebase_onto(upstream)
            commit = self.reimpose_generated(upstream)
            if commit is None and self.repo.count_commits(f"{upstream}..HEAD") == 0:
                log.info("the remote already holds this run's data; nothing left to push")
                return None, attempt


def publish(
    repo_dir: Path,
    output_files: Sequence[Path],
    now_utc: datetime,
    *,
    retention_days: int = DEFAULT_RETENTION_DAYS,
    max_push_attempts: int = 5,
    commit_message: str | None = None,
    backoff_seconds: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    latest_name: str = LATEST_NAME,
    bookkeeping: Sequence[Path] = (),
    removed: Sequence[str] = (),
    after_restore: Callable[[], None] | None = None,
) -> PublishResult:
    """Commit the changed output files (plus archive snapshot and README line) and push.

    ``bookkeeping`` files (run state) are committed only together with a data change.
    ``removed`` are repository paths already deleted from the work tree whose deletion
    belongs in this run's commit (the slimming of a new data repository); it counts as
    a change.

    ``after_restore`` runs once the files whose only change is a volatile key are back at
    their HEAD version, before anything is staged (the run record takes their bytes).

    ``output_files`` may be absolute or relative to ``repo_dir`` and must lie inside it;
    files that do not exist are skipped; ``latest_name`` is the file snapshotted into
    ``archive/`` (``--output`` may rename latest.json). ``retention_days`` is the archive window
    (0 disables the archive and removes existing snapshots). Without a remote the commit
    stays local and ``pushed`` is False. Raises :class:`PublishError` with what to do.
    """
    repo_dir = Path(os.path.abspath(Path(repo_dir).expanduser()))
    now = _utc(now_utc)
    if retention_days < 0:
        raise PublishError("archive retention must be 0 (no archive) or a positive number of days")
    pub = _Publisher(
        repo_dir,
        now,
        retention_days=retention_days,
        max_push_attempts=max_push_attempts,
        commit_message=commit_message,
        backoff_seconds=backoff_seconds,
        sleep=sleep,
        latest_name=latest_name,
    )
    pub.check_repository()

    candidates = _committable(pub, output_files)
    riders = [rel for rel in _committable(pub, bookkeeping) if rel not in candidates]
    deletions = [rel for rel in removed if pub.repo.show_head(rel) is not None]

    changed = [rel for rel in candidates if pub.data_changed(rel)]
    moved_riders = [rel for rel in riders if pub.data_changed(rel)]
    unchanged = [rel for rel in [*candidates, *riders] if rel not in [*changed, *moved_riders]]
    # Files whose only difference is a timestamp go back to HEAD: no churn in the tree.
    differs = [rel for rel in unchanged if (repo_dir / rel).read_bytes() != pub.repo.show_head(rel)]
    pub.repo.restore_from_head(differs)
    if after_restore is not None:
        after_restore()

    target = pub.repo.push_target()
    if not changed and not deletions:
        log.info("publish: no data changes; nothing to commit")
        # A commit left by an earlier run whose push failed is still pushed now.
        if target is not None and pub.repo.head() is not None:
            tracking = pub.repo.rev_parse(f"refs/remotes/{target[0]}/{target[1]}")
            if tracking is not None and pub.repo.count_commits(f"{tracking}..HEAD") > 0:
                head, attempts = pub.push(target, pub.repo.head())
                return PublishResult(False, head, True, attempts, None, 0)
        return PublishResult(False, None, False, 0, None, 0)

    commit, archived, pruned = pub.build_commit(changed, moved_riders, deletions)
    if target is None:
        log.warning("publish: the repository has no remote; committed %s locally only", commit[:12])
        return PublishResult(True, commit, False, 0, archived, pruned)
    final, attempts = pub.push(target, commit)
    return PublishResult(True, final, True, attempts, archived, pruned)


def _committable(pub: _Publisher, files: Sequence[Path]) -> list[str]:
    """Repository paths of ``files`` that exist and are not excluded by .gitignore."""
    present: list[str] = []
    for rel in dict.fromkeys(_relative(pub.repo_dir, Path(path)) for path in files):
        if (pub.repo_dir / rel).is_file():
            present.append(rel)
        else:
            log.debug("publish: %s was not written this run; skipped", rel)
    ignored = pub.repo.ignored(present)
    for rel in sorted(ignored):
        log.warning("publish: %s is excluded by .gitignore; not committed", rel)
    return [rel for rel in present if rel not in ignored]


def pending_data_changes(
    repo_dir: Path, output_files: Sequence[Path], now_utc: datetime
) -> list[str]:
    """Output files (repository paths) whose data differs from HEAD, volatile keys aside.

    What :func:`publish` would commit; lets the caller do once-a-day work (the update
    check) only in a run that commits anyway, so that work never makes a commit by itself.
    """
    repo_dir = Path(os.path.abspath(Path(repo_dir).expanduser()))
    pub = _Publisher(
        repo_dir,
        _utc(now_utc),
        retention_days=0,
        max_push_attempts=1,
        commit_message=None,
        backoff_seconds=0.0,
        sleep=time.sleep,
    )
    if not pub.repo.is_repo():
        return []
    return [rel for rel in _committable(pub, output_files) if pub.data_changed(rel)]
