"""GitRepo against real repositories in temp dirs (a bare repo plays the remote)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from section11.errors import Section11Error
from section11.logsetup import clear_secrets, register_secret
from section11.publish.git import (
    FALLBACK_IDENTITY,
    GitRepo,
    PublishError,
    PushStatus,
    redact_credentials,
)


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GITHUB_ACTIONS",
    ):
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Tester", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def make_remote(tmp_path: Path) -> Path:
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(bare)], check=True)
    seed = tmp_path / "seed"
    subprocess.run(["git", "clone", "--quiet", str(bare), str(seed)], check=True)
    (seed / "latest.json").write_text('{"a": 1}\n')
    git(seed, "add", "latest.json")
    git(seed, "commit", "--quiet", "-m", "seed")
    git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    return bare


def clone(bare: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(bare), str(dest)], check=True)
    return dest


def test_publish_error_is_a_section11_error_with_exit_code_1() -> None:
    assert issubclass(PublishError, Section11Error)
    assert PublishError.exit_code == 1


def test_is_repo(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert GitRepo(plain).is_repo() is False
    assert GitRepo(tmp_path / "missing").is_repo() is False
    subprocess.run(["git", "init", "--quiet", str(plain)], check=True)
    assert GitRepo(plain).is_repo() is True


def test_empty_repo_has_no_head_and_commit_uses_fallback_identity(tmp_path: Path) -> None:
    repo_dir = tmp_path / "r"
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo_dir)], check=True)
    repo = GitRepo(repo_dir)
    assert repo.head() is None
    (repo_dir / "f.txt").write_text("x\n")
    assert repo.status_porcelain(["f.txt"]) == ["?? f.txt"]
    repo.add(["f.txt"])
    sha = repo.commit("first")
    assert sha == repo.head()
    assert len(sha) == 40
    # No user configured anywhere (empty global config): the fallback identity is used.
    author = git(repo_dir, "log", "-1", "--format=%an <%ae>")
    assert author == f"{FALLBACK_IDENTITY[0]} <{FALLBACK_IDENTITY[1]}>"
    assert repo.status_porcelain() == []
    assert repo.show_head("f.txt") == b"x\n"
    assert repo.show_head("absent.txt") is None


def test_commit_only_paths_leaves_other_staged_changes_alone(tmp_path: Path) -> None:
    repo_dir = tmp_path / "r"
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo_dir)], check=True)
    repo = GitRepo(repo_dir)
    (repo_dir / "ours.json").write_text("{}\n")
    (repo_dir / "users.txt").write_text("draft\n")
    repo.add(["ours.json", "users.txt"])
    repo.commit("only ours", ["ours.json"])
    assert git(repo_dir, "show", "--name-only", "--format=", "HEAD") == "ours.json"
    # The user's file is still staged, untouched.
    assert repo.status_porcelain(["users.txt"]) == ["A  users.txt"]


def test_push_target_and_rejected_push(tmp_path: Path) -> None:
    bare = make_remote(tmp_path)
    a = GitRepo(clone(bare, tmp_path / "a"))
    b = GitRepo(clone(bare, tmp_path / "b"))
    assert a.push_target() == ("origin", "main")

    (a.path / "latest.json").write_text('{"a": 2}\n')
    a.commit("from a", ["latest.json"])
    assert a.push("origin", "main").status is PushStatus.OK

    (b.path / "other.txt").write_text("b\n")
    b.add(["other.txt"])
    b.commit("from b", ["other.txt"])
    outcome = b.push("origin", "main")
    assert outcome.status is PushStatus.REJECTED

    outcome_rebase = b.pull_rebase("origin", "main")
    assert outcome_rebase.done
    assert b.push("origin", "main").status is PushStatus.OK
    log = git(bare, "log", "--format=%s", "main").splitlines()
    assert log == ["from b", "from a", "seed"]


@pytest.mark.parametrize(
    ("refusal", "hint"),
    [
        ("GH006: Protected branch update failed", "allow this sync to push there"),
        ("Permission to athlete/data.git denied to github-actions[bot].", "needs write access"),
        ("fatal: unable to access: The requested URL returned error: 403", "needs write access"),
        # Any other refusal by the remote's hooks.
        ("something else went wrong", "the remote refuses pushes to main"),
    ],
)
def test_a_refused_push_says_what_to_do(tmp_path: Path, refusal: str, hint: str) -> None:
    # The remote lives under a folder whose name holds "403" (as pytest's numbered temp
    # folders can): only git's own wording of an HTTP 403 may count as one.
    base = tmp_path / "pytest-403"
    base.mkdir()
    bare = make_remote(base)
    hook = bare / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho '{refusal}' >&2\nexit 1\n")
    hook.chmod(0o755)
    repo = GitRepo(clone(bare, base / "a"))
    (repo.path / "latest.json").write_text('{"a": 2}\n')
    repo.commit("sync", ["latest.json"])
    with pytest.raises(PublishError) as caught:
        repo.push("origin", "main")
    assert hint in str(caught.value)
    assert "kept locally" in str(caught.value)


def test_repo_without_remote_has_no_push_target(tmp_path: Path) -> None:
    repo_dir = tmp_path / "r"
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo_dir)], check=True)
    assert GitRepo(repo_dir).push_target() is None


def test_detached_head_is_a_clear_error(tmp_path: Path) -> None:
    bare = make_remote(tmp_path)
    repo_dir = clone(bare, tmp_path / "a")
    git(repo_dir, "checkout", "--quiet", "--detach")
    with pytest.raises(PublishError, match="detached HEAD"):
        GitRepo(repo_dir).push_target()


def test_redact_credentials_in_urls_and_registered_secrets() -> None:
    clear_secrets()
    register_secret("ghp_abcdef123456")
    try:
        text = "fatal: https://x-access-token:ghp_abcdef123456@github.com/u/r.git failed"
        assert redact_credentials(text) == "fatal: https://***@github.com/u/r.git failed"
        assert redact_credentials("token ghp_abcdef123456 here") == "token *** here"
        assert redact_credentials("https://github.com/u/r.git") == "https://github.com/u/r.git"
    finally:
        clear_secrets()


def test_push_failure_message_never_contains_the_token(tmp_path: Path) -> None:
    bare = make_remote(tmp_path)
    repo_dir = clone(bare, tmp_path / "a")
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    git(repo_dir, "remote", "set-url", "origin", "https://user:s3cr3t-token@127.0.0.1:9/r.git")
    repo = GitRepo(repo_dir)
    with pytest.raises(PublishError) as caught:
        repo.push("origin", "main")
    assert "s3cr3t-token" not in str(caught.value)
    assert "pushing to origin/main failed" in str(caught.value)


def test_failed_command_raises_publish_error_with_git_reason(tmp_path: Path) -> None:
    repo_dir = tmp_path / "r"
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo_dir)], check=True)
    with pytest.raises(PublishError, match=r"git add failed: .*did not match"):
        GitRepo(repo_dir).add(["nope.json"])
