"""A small typed wrapper over the git command line.

Only what publishing needs: inspect the work tree, stage, commit, fetch, rebase, push.
Every command runs with ``-C <repo>`` (never the process's working directory), the C
locale (messages we parse are English), and terminal prompts disabled (a missing
credential fails fast instead of hanging a scheduled run).

Error messages never contain credentials: URLs of the form ``https://user:token@host``
are rewritten to ``https://***@host`` and registered secrets are replaced with ``***``.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from section11.errors import Section11Error
from section11.logsetup import redact
from section11.safetext import neutralize

__all__ = [
    "ACTIONS_BOT_IDENTITY",
    "FALLBACK_IDENTITY",
    "GitRepo",
    "PublishError",
    "PushOutcome",
    "PushStatus",
    "RebaseOutcome",
    "redact_credentials",
]

log = logging.getLogger(__name__)

# The identity GitHub shows with the Actions avatar; used when git has no user configured.
ACTIONS_BOT_IDENTITY = (
    "github-actions[bot]",
    "41898282+github-actions[bot]@users.noreply.github.com",
)
FALLBACK_IDENTITY = ("section11 sync", "sync@section11.invalid")

# Network operations: generous, but a stalled connection must not hold the lock forever.
NETWORK_TIMEOUT_SECONDS = 300
LOCAL_TIMEOUT_SECONDS = 120

_URL_CREDENTIALS = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")
# How git reports an HTTP 403 from the remote: "The requested URL returned error: 403".
_HTTP_403 = re.compile(r"error: 403\b")


class PublishError(Section11Error):
    """Committing or pushing the output files failed; the message says what to do."""

    exit_code = 1


def redact_credentials(text: str) -> str:
    """Remove ``user:token@`` from URLs and every registered secret from ``text``."""
    return redact(_URL_CREDENTIALS.sub(r"\g<scheme>***@", text))


class PushStatus(Enum):
    OK = "ok"
    # Someone else pushed first (non-fast-forward) or the ref was locked by a concurrent
    # push: fetch, rebase and try again.
    REJECTED = "rejected"


@dataclass(frozen=True)
class PushOutcome:
    status: PushStatus
    detail: str


@dataclass(frozen=True)
class RebaseOutcome:
    """``conflicts`` is empty when the rebase finished; otherwise it stopped on these paths."""

    conflicts: tuple[str, ...]

    @property
    def done(self) -> bool:
        return not self.conflicts


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("hint:"):
            return line
    return ""


class GitRepo:
    """A git work tree at ``path`` (paths passed to methods are relative to it)."""

    def __init__(self, path: Path, *, identity: tuple[str, str] | None = None) -> None:
        self.path = Path(path).expanduser().absolute()
        self._identity = identity
        self._identity_env: dict[str, str] | None = None

    # -- plumbing ---------------------------------------------------------------------

    def _base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "LC_ALL": "C",
                "LANGUAGE": "C",
                "GIT_TERMINAL_PROMPT": "0",
                # Rebase/commit must never open an editor in a scheduled run.
                "GIT_EDITOR": "true",
                "GIT_SEQUENCE_EDITOR": "true",
            }
        )
        return env

    def _run(
        self,
        *args: str,
        check: bool = True,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = LOCAL_TIMEOUT_SECONDS,
        what: str | None = None,
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["git", "-C", str(self.path), *args]
        try:
            done = subprocess.run(
                command,
                input=stdin,
                capture_output=True,
                env=dict(env) if env is not None else self._base_env(),
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError:
            raise PublishError(
                "git is not installed or not on PATH; install git or run without --publish"
            ) from None
        except subprocess.TimeoutExpired:
            raise PublishError(
                f"git {args[0]} did not finish within {int(timeout)} s; check the network "
                "connection to your data repository"
            ) from None
        if check and done.returncode != 0:
            raise PublishError(self._failure(what or f"git {args[0]}", done))
        return done

    @staticmethod
    def _failure(what: str, done: subprocess.CompletedProcess[bytes]) -> str:
        stderr = done.stderr.decode("utf-8", "replace")
        stdout = done.stdout.decode("utf-8", "replace")
        reason = _first_line(stderr) or _first_line(stdout) or f"exit status {done.returncode}"
        return redact_credentials(f"{what} failed: {reason}")

    @staticmethod
    def _out(done: subprocess.CompletedProcess[bytes]) -> str:
        return done.stdout.decode("utf-8", "replace").strip()

    @staticmethod
    def _nul_paths(paths: Iterable[str | os.PathLike[str]]) -> bytes:
        return b"".join(os.fsencode(os.fspath(p)) + b"\0" for p in paths)

    def _commit_env(self) -> dict[str, str]:
        """Environment for commands that create commits; adds an identity only if git has none."""
        if self._identity_env is None:
            extra: dict[str, str] = {}
            name, email = self._identity or (None, None)
            if name is None or email is None:
                configured_name = self.config_get("user.name")
                configured_email = self.config_get("user.email")
                if configured_name is None or configured_email is None:
                    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
                    name, email = ACTIONS_BOT_IDENTITY if in_actions else FALLBACK_IDENTITY
            if name is not None and email is not None:
                for role in ("AUTHOR", "COMMITTER"):
                    # Explicit GIT_* variables from the caller still win.
                    if f"GIT_{role}_NAME" not in os.environ:
                        extra[f"GIT_{role}_NAME"] = name
                    if f"GIT_{role}_EMAIL" not in os.environ:
                        extra[f"GIT_{role}_EMAIL"] = email
            self._identity_env = extra
        env = self._base_env()
        env.update(self._identity_env)
        return env

    # -- inspection -------------------------------------------------------------------

    def is_repo(self) -> bool:
        """True when ``path`` exists and is inside a git work tree."""
        if not self.path.is_dir():
            return False
        done = self._run("rev-parse", "--is-inside-work-tree", check=False)
        return done.returncode == 0 and self._out(done) == "true"

    def toplevel(self) -> Path:
        return Path(self._out(self._run("rev-parse", "--show-toplevel")))

    def config_get(self, key: str) -> str | None:
        done = self._run("config", "--get", key, check=False)
        value = self._out(done)
        return value if done.returncode == 0 and value else None

    def head(self) -> str | None:
        """The commit HEAD points at, or None in a repository without commits."""
        done = self._run("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return self._out(done) if done.returncode == 0 else None

    def head_subject(self) -> str:
        return self._out(self._run("log", "-1", "--format=%s", "HEAD"))

    def current_branch(self) -> str | None:
        """The checked-out branch name, or None on a detached HEAD."""
        done = self._run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return self._out(done) if done.returncode == 0 else None

    def remotes(self) -> list[str]:
        return [line for line in self._out(self._run("remote")).splitlines() if line]

    def push_target(self) -> tuple[str, str] | None:
        """``(remote, branch)`` to publish to, or None when the repository has no remote.

        The branch's configured upstream wins; otherwise ``origin`` (or the only remote)
        and a branch of the same name.
        """
        branch = self.current_branch()
        if branch is None:
            raise PublishError(
                f"{self.path} has a detached HEAD; check out the branch to publish to "
                "(e.g. `git checkout main`)"
            )
        remotes = self.remotes()
        if not remotes:
            return None
        remote = self.config_get(f"branch.{branch}.remote")
        merge = self.config_get(f"branch.{branch}.merge")
        if remote in remotes and merge and merge.startswith("refs/heads/"):
            return remote, merge.removeprefix("refs/heads/")
        if "origin" in remotes:
            return "origin", branch
        if len(remotes) == 1:
            return remotes[0], branch
        raise PublishError(
            f"branch {branch} has no upstream and there is no 'origin' remote; set one with "
            f"`git branch --set-upstream-to=<remote>/{branch}`"
        )

    def rev_parse(self, rev: str) -> str | None:
        done = self._run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        return self._out(done) if done.returncode == 0 else None

    def count_commits(self, range_spec: str) -> int:
        return int(self._out(self._run("rev-list", "--count", range_spec)) or "0")

    def status_porcelain(self, paths: Sequence[str | os.PathLike[str]] = ()) -> list[str]:
        """``git status --porcelain`` lines (``XY path``), limited to ``paths`` if given."""
        args = ["status", "--porcelain=v1", "--untracked-files=all"]
        if paths:
            args += ["--", *(os.fspath(p) for p in paths)]
        return [line for line in self._out(self._run(*args)).splitlines() if line]

    def tracked_files(self) -> list[str]:
        """Every path git tracks (index), relative to the repository path, POSIX style."""
        done = self._run("ls-files", "-z", "--cached")
        return [p for p in done.stdout.decode("utf-8", errors="replace").split("\0") if p]

    def show_head(self, path: str | os.PathLike[str]) -> bytes | None:
        """The bytes of ``path`` (relative to the repo path) at HEAD; None if absent there."""
        rel = Path(os.fspath(path)).as_posix()
        done = self._run("show", f"HEAD:./{rel}", check=False)
        return done.stdout if done.returncode == 0 else None

    def ignored(self, paths: Sequence[str | os.PathLike[str]]) -> set[str]:
        """Which of ``paths`` a .gitignore excludes."""
        if not paths:
            return set()
        done = self._run("check-ignore", "-z", "--stdin", stdin=self._nul_paths(paths), check=False)
        if done.returncode not in (0, 1):
            raise PublishError(self._failure("git check-ignore", done))
        return {p for p in done.stdout.decode("utf-8", "replace").split("\0") if p}

    def operation_in_progress(self) -> str | None:
        """'rebase' or 'merge' when a previous operation was left unfinished, else None."""
        for name, marker in (
            ("rebase", "rebase-merge"),
            ("rebase", "rebase-apply"),
            ("merge", "MERGE_HEAD"),
        ):
            git_path = self._out(self._run("rev-parse", "--git-path", marker))
            candidate = Path(git_path)
            if not candidate.is_absolute():
                candidate = self.path / candidate
            if candidate.exists():
                return name
        return None

    def conflicted_paths(self) -> list[str]:
        done = self._run("diff", "--name-only", "--diff-filter=U", "-z")
        return [p for p in done.stdout.decode("utf-8", "replace").split("\0") if p]

    def has_stage(self, path: str, stage: int) -> bool:
        """Whether the index holds ``path`` at merge stage ``stage`` (1 base, 2 ours, 3 theirs)."""
        done = self._run("ls-files", "-u", "-z", "--", path)
        for entry in done.stdout.decode("utf-8", "replace").split("\0"):
            meta, _, _name = entry.partition("\t")
            fields = meta.split()
            if len(fields) == 3 and fields[2] == str(stage):
                return True
        return False

    # -- changing things --------------------------------------------------------------

    def add(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        if paths:
            self._run(
                "add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=self._nul_paths(paths)
            )

    def remove_cached(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """Stage the deletion of ``paths`` (already gone from disk or not)."""
        if paths:
            self._run(
                "rm",
                "--cached",
                "--quiet",
                "--ignore-unmatch",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                stdin=self._nul_paths(paths),
            )

    def remove(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """``git rm``: delete ``paths`` from the index and the work tree."""
        if paths:
            self._run(
                "rm",
                "--quiet",
                "--ignore-unmatch",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                stdin=self._nul_paths(paths),
            )

    def take_replayed_version(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """During a stopped rebase, resolve ``paths`` to the version of the commit being replayed.

        In a rebase, ``--theirs`` is the replayed (local) commit, ``--ours`` the upstream.
        """
        if paths:
            self._run("checkout", "--theirs", "--", *(os.fspath(p) for p in paths))
            self.add(paths)

    def take_upstream_version(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """During a stopped rebase, resolve ``paths`` to the upstream (``--ours``) version."""
        if paths:
            self._run("checkout", "--ours", "--", *(os.fspath(p) for p in paths))
            self.add(paths)

    def restore_from_head(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """Put ``paths`` back to their HEAD content (index and work tree)."""
        if paths:
            self._run(
                "checkout",
                "HEAD",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                stdin=self._nul_paths(paths),
            )

    def commit(
        self,
        message: str,
        paths: Sequence[str | os.PathLike[str]] | None = None,
        *,
        amend: bool = False,
    ) -> str:
        """Commit and return the new HEAD sha.

        With ``paths`` only those paths are committed (``git commit --only``), so anything
        else the user had staged stays staged and out of our commit.
        """
        args = ["commit", "--quiet", "--no-verify", "-m", neutralize(message, multiline=True)]
        if amend:
            args.append("--amend")
        stdin = None
        if paths is not None:
            args += ["--only", "--pathspec-from-file=-", "--pathspec-file-nul"]
            stdin = self._nul_paths(paths)
        self._run(*args, stdin=stdin, env=self._commit_env(), what="git commit")
        sha = self.head()
        if sha is None:  # pragma: no cover - a successful commit always moves HEAD
            raise PublishError("git commit reported success but HEAD has no commit")
        return sha

    def fetch(self, remote: str, branch: str) -> str:
        """Fetch ``branch`` from ``remote``; returns the fetched commit sha."""
        self._run(
            "fetch",
            "--quiet",
            "--no-tags",
            remote,
            f"refs/heads/{branch}",
            timeout=NETWORK_TIMEOUT_SECONDS,
            what=f"fetching {branch} from {remote}",
        )
        sha = self.rev_parse("FETCH_HEAD")
        if sha is None:  # pragma: no cover
            raise PublishError(f"fetching {branch} from {remote} returned no commit")
        return sha

    def rebase(self, onto: str, *, prefer_replayed: bool = False) -> RebaseOutcome:
        """Replay local commits onto ``onto``; stops and reports conflicting paths.

        ``prefer_replayed`` passes ``-X theirs`` (in a rebase "theirs" is the commit being
        replayed, i.e. the LOCAL commit), which resolves overlapping hunks in every file in
        favour of the local side. Local modifications outside the commits are stashed and
        restored (``--autostash``).
        """
        args = ["rebase", "--autostash"]
        if prefer_replayed:
            args += ["-X", "theirs"]
        args.append(onto)
        done = self._run(*args, check=False, env=self._commit_env())
        return self._rebase_outcome(done, "git rebase")

    def rebase_continue(self) -> RebaseOutcome:
        done = self._run("rebase", "--continue", check=False, env=self._commit_env())
        return self._rebase_outcome(done, "git rebase --continue")

    def rebase_abort(self) -> None:
        self._run("rebase", "--abort", check=False)

    def _rebase_outcome(self, done: subprocess.CompletedProcess[bytes], what: str) -> RebaseOutcome:
        if done.returncode == 0 and self.operation_in_progress() is None:
            return RebaseOutcome(())
        conflicts = self.conflicted_paths()
        if self.operation_in_progress() == "rebase" and conflicts:
            return RebaseOutcome(tuple(conflicts))
        if self.operation_in_progress() == "rebase":
            self.rebase_abort()
        raise PublishError(self._failure(what, done))

    def push_dry_run(self, remote: str, branch: str) -> str | None:
        """``git push --dry-run``: None when the remote would take a push, else the reason.

        Against GitHub this authenticates and asks for write access without changing
        anything (``section11 check``).
        """
        done = self._run(
            "push",
            "--dry-run",
            "--porcelain",
            remote,
            f"HEAD:refs/heads/{branch}",
            check=False,
            timeout=NETWORK_TIMEOUT_SECONDS,
        )
        if done.returncode == 0:
            return None
        return self._failure(f"a trial push to {remote}/{branch}", done)

    def remote_url(self, remote: str) -> str | None:
        return self.config_get(f"remote.{remote}.url")

    def pull_rebase(self, remote: str, branch: str) -> RebaseOutcome:
        """``git pull --rebase`` in two explicit steps: fetch, then rebase onto what came."""
        return self.rebase(self.fetch(remote, branch))

    def push(self, remote: str, branch: str) -> PushOutcome:
        """Push HEAD to ``remote``'s ``branch``.

        Returns REJECTED when another writer got there first (retry after rebasing);
        raises PublishError for anything a retry cannot fix (authentication, permissions,
        protected branch, network).
        """
        done = self._run(
            "push",
            "--porcelain",
            remote,
            f"HEAD:refs/heads/{branch}",
            check=False,
            timeout=NETWORK_TIMEOUT_SECONDS,
        )
        stdout = done.stdout.decode("utf-8", "replace")
        stderr = done.stderr.decode("utf-8", "replace")
        if done.returncode == 0:
            return PushOutcome(PushStatus.OK, _first_line(stdout))
        text = f"{stdout}\n{stderr}"
        lowered = text.lower()
        # Non-fast-forward ("[rejected] ... (fetch first)" / "(non-fast-forward)") or a
        # concurrent push holding the remote's ref lock: both resolve by rebasing and retrying.
        retryable = (
            "[rejected]" in lowered
            or "non-fast-forward" in lowered
            or "fetch first" in lowered
            or "cannot lock ref" in lowered
            or "failed to update ref" in lowered
            or "incorrect old value" in lowered
        )
        if retryable:
            detail = next(
                (line.strip() for line in text.splitlines() if "rejected" in line.lower()),
                _first_line(stderr),
            )
            return PushOutcome(PushStatus.REJECTED, redact_credentials(detail))
        hint = ""
        # An HTTP 403 is matched as git words it ("error: 403"), never as bare digits, which
        # a path or a URL may hold (a temp folder "pytest-403").
        if "permission" in lowered or _HTTP_403.search(lowered) or "denied" in lowered:
            hint = (
                "; the token needs write access (Actions: Settings → Actions → General → "
                "Workflow permissions → Read and write)"
            )
        elif "authentication" in lowered or "could not read username" in lowered:
            hint = "; git has no valid credentials for this remote"
        elif "protected branch" in lowered or "hook declined" in lowered:
            hint = (
                f"; the remote refuses pushes to {branch} (e.g. a branch protection rule): "
                "allow this sync to push there, or publish from another branch"
            )
        else:
            hint = "; check the remote's URL and your network, then run again"
        raise PublishError(
            self._failure(f"pushing to {remote}/{branch}", done)
            + hint
            + " (the commit is kept locally and pushed by the next run)"
        )
