"""``--publish`` semantics against real git: a bare repo as the remote and clones of it.

Also the archive retention rules and the README last-sync line.
"""

from __future__ import annotations

import json
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from section11.publish.archive import apply_retention, snapshot_path, write_snapshot
from section11.publish.git import PublishError
from section11.publish.readme import update_last_sync_line
from section11.publish.runner import PublishResult, normalized_for_comparison, publish

NOW = datetime(2026, 11, 21, 10, 15, 0, tzinfo=UTC)
README = "# Training data\n\n**Last successful sync:** _updated automatically_\n\nRaw URLs below.\n"


@pytest.fixture(autouse=True)
def isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Sync Bot")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "bot@example.org")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Sync Bot")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "bot@example.org")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def latest(value: int, stamp: str = "2026-11-21T09:00:00Z") -> str:
    return json.dumps(
        {"metadata": {"last_updated": stamp}, "ctl": value, "days": [{"generated_at": stamp}]},
        indent=2,
    )


def history(stamp: str = "2026-11-21T09:00:00Z") -> str:
    return json.dumps({"generated_at": stamp, "weeks": [1, 2, 3]}, indent=2)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    bare = tmp_path / "origin.git"
    subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(bare)], check=True)
    seed = tmp_path / "seed"
    subprocess.run(["git", "clone", "--quiet", str(bare), str(seed)], check=True)
    (seed / "README.md").write_text(README)
    (seed / "latest.json").write_text(latest(40))
    (seed / "history.json").write_text(history())
    git(seed, "add", ".")
    git(seed, "commit", "--quiet", "-m", "seed")
    git(seed, "push", "--quiet", "origin", "HEAD:refs/heads/main")
    return bare


def clone(bare: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "--quiet", str(bare), str(dest)], check=True)
    return dest


def outputs(repo: Path) -> list[Path]:
    return [repo / "latest.json", repo / "history.json", repo / "intervals.json"]


def subjects(repo: Path, rev: str = "main") -> list[str]:
    return git(repo, "log", "--format=%s", rev).splitlines()


def no_sleep(_: float) -> None:
    return None


# -- normalisation -------------------------------------------------------------------------


def test_normalized_ignores_volatile_keys_at_any_depth_and_key_order() -> None:
    a = b'{"metadata": {"last_updated": "x"}, "ctl": 1, "list": [{"generated_at": "1"}]}'
    b = b'{"ctl": 1, "list": [{"generated_at": "2"}], "metadata": {"last_updated": "y"}}'
    assert normalized_for_comparison(a) == normalized_for_comparison(b)
    c = b'{"ctl": 2, "list": [{"generated_at": "2"}], "metadata": {"last_updated": "y"}}'
    assert normalized_for_comparison(a) != normalized_for_comparison(c)
    # "age" (the athlete's age) is data, not a timestamp.
    assert normalized_for_comparison(b'{"age": 39}') != normalized_for_comparison(b'{"age": 40}')
    assert normalized_for_comparison(b"not json") == b"not json"


# -- publishing ---------------------------------------------------------------------------


def test_changed_data_makes_exactly_one_commit_with_snapshot_and_readme(
    remote: Path, tmp_path: Path
) -> None:
    repo = clone(remote, tmp_path / "a")
    (repo / "latest.json").write_text(latest(41, "2026-11-21T10:15:00Z"))
    (repo / "history.json").write_text(history("2026-11-21T10:15:00Z"))  # timestamp only
    (repo / "intervals.json").write_text('{"sessions": []}\n')  # new file

    result = publish(repo, outputs(repo), NOW, sleep=no_sleep)

    snapshot = repo / "archive" / "2026-11" / "20261121T101500Z.json"
    assert result == PublishResult(
        changed=True,
        commit=git(repo, "rev-parse", "HEAD"),
        pushed=True,
        attempts=1,
        archived=snapshot,
        removed_snapshots=0,
    )
    assert subjects(remote) == ["Sync training data 2026-11-21T10:15:00Z", "seed"]
    files = git(remote, "show", "--name-only", "--format=", "main").splitlines()
    # history.json changed only its generated_at: not part of the commit.
    assert sorted(files) == [
        "README.md",
        "archive/2026-11/20261121T101500Z.json",
        "intervals.json",
        "latest.json",
    ]
    assert snapshot.read_text() == latest(41, "2026-11-21T10:15:00Z")
    readme = git(remote, "show", "main:README.md")
    assert "**Last successful sync:** 2026-11-21 10:15:00 UTC" in readme
    # history.json went back to its committed content; nothing is left modified.
    assert (repo / "history.json").read_text() == history()
    assert git(repo, "status", "--porcelain") == ""


def test_only_timestamps_changed_means_no_commit_and_clean_tree(
    remote: Path, tmp_path: Path
) -> None:
    repo = clone(remote, tmp_path / "a")
    head_before = git(repo, "rev-parse", "HEAD")
    (repo / "latest.json").write_text(latest(40, "2026-11-21T10:15:00Z"))
    (repo / "history.json").write_text(history("2026-11-21T10:15:00Z"))

    result = publish(repo, outputs(repo), NOW, sleep=no_sleep)

    assert result == PublishResult(False, None, False, 0, None, 0)
    assert git(repo, "rev-parse", "HEAD") == head_before
    assert subjects(remote) == ["seed"]
    assert not (repo / "archive").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert (repo / "latest.json").read_text() == latest(40)


def test_second_writer_is_rejected_then_rebases_and_both_commits_land(
    remote: Path, tmp_path: Path
) -> None:
    a = clone(remote, tmp_path / "a")
    b = clone(remote, tmp_path / "b")
    # Both regenerate latest.json differently: a textual conflict on the same lines.
    (a / "latest.json").write_text(latest(41, "2026-11-21T10:15:00Z"))
    (b / "latest.json").write_text(latest(42, "2026-11-21T10:16:00Z"))
    later = NOW + timedelta(minutes=1)

    first = publish(a, outputs(a), NOW, commit_message="run a", sleep=no_sleep)
    second = publish(b, outputs(b), later, commit_message="run b", sleep=no_sleep)

    assert first.pushed and first.attempts == 1
    # b's first push is rejected (a pushed first); the rebased second push lands.
    assert second.pushed and second.attempts == 2
    assert second.commit == git(remote, "rev-parse", "main")
    assert subjects(remote) == ["run b", "run a", "seed"]
    # The conflicting generated file and the README line are b's (the later run's).
    assert git(remote, "show", "main:latest.json") == latest(42, "2026-11-21T10:16:00Z")
    readme = git(remote, "show", "main:README.md")
    assert "**Last successful sync:** 2026-11-21 10:16:00 UTC" in readme
    assert readme.count("Last successful sync") == 1
    # Both runs' snapshots are in the archive.
    archived = git(remote, "ls-tree", "-r", "--name-only", "main", "archive").splitlines()
    assert archived == [
        "archive/2026-11/20261121T101500Z.json",
        "archive/2026-11/20261121T101600Z.json",
    ]
    assert git(b, "status", "--porcelain") == ""


def test_rebase_keeps_the_users_readme_edits_elsewhere(remote: Path, tmp_path: Path) -> None:
    user = clone(remote, tmp_path / "user")
    (user / "README.md").write_text(README + "\nMy own notes.\n")
    git(user, "commit", "--quiet", "-am", "notes")
    git(user, "push", "--quiet", "origin", "main")

    repo = clone(remote, tmp_path / "a")
    git(repo, "reset", "--quiet", "--hard", "HEAD~1")  # a runner that checked out earlier
    (repo / "latest.json").write_text(latest(41))
    result = publish(repo, outputs(repo), NOW, sleep=no_sleep)

    assert result.pushed and result.attempts == 2
    readme = git(remote, "show", "main:README.md")
    assert "My own notes." in readme
    assert "**Last successful sync:** 2026-11-21 10:15:00 UTC" in readme
    assert subjects(remote)[:2] == ["Sync training data 2026-11-21T10:15:00Z", "notes"]


def test_two_clones_publishing_concurrently_both_land(remote: Path, tmp_path: Path) -> None:
    repos = [clone(remote, tmp_path / name) for name in ("a", "b")]
    for value, repo in enumerate(repos, start=41):
        (repo / "latest.json").write_text(latest(value))
    results: dict[str, PublishResult] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(len(repos))

    def run(index: int, repo: Path) -> None:
        try:
            start.wait()
            results[repo.name] = publish(
                repo,
                outputs(repo),
                NOW + timedelta(seconds=index),
                commit_message=f"run {repo.name}",
                backoff_seconds=0.01,
            )
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(repos)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert all(r.pushed for r in results.values())
    assert sorted(subjects(remote)) == ["run a", "run b", "seed"]
    # Both started from the same commit, so whoever pushed second was rejected at least once.
    assert sum(r.attempts for r in results.values()) >= 3


def test_retention_deletions_are_part_of_the_single_commit(remote: Path, tmp_path: Path) -> None:
    repo = clone(remote, tmp_path / "a")
    old = repo / "archive" / "2026-10" / "20261001T000000Z.json"  # 51 days before NOW
    kept = repo / "archive" / "2026-11" / "20261101T000000Z.json"  # 20 days before NOW
    for path in (old, kept):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    git(repo, "add", "archive")
    git(repo, "commit", "--quiet", "-m", "old archive")
    git(repo, "push", "--quiet", "origin", "main")

    (repo / "latest.json").write_text(latest(41))
    result = publish(repo, outputs(repo), NOW, retention_days=30, sleep=no_sleep)

    assert result.removed_snapshots == 1
    assert subjects(remote)[0] == "Sync training data 2026-11-21T10:15:00Z"
    tree = git(remote, "ls-tree", "-r", "--name-only", "main", "archive").splitlines()
    assert tree == [
        "archive/2026-11/20261101T000000Z.json",
        "archive/2026-11/20261121T101500Z.json",
    ]
    assert not old.parent.exists()
    assert git(repo, "status", "--porcelain") == ""


def test_retention_zero_disables_the_archive(remote: Path, tmp_path: Path) -> None:
    repo = clone(remote, tmp_path / "a")
    (repo / "latest.json").write_text(latest(41))
    result = publish(repo, outputs(repo), NOW, retention_days=0, sleep=no_sleep)
    assert result.changed and result.archived is None
    assert not (repo / "archive").exists()


def test_repository_without_remote_commits_locally(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    repo = tmp_path / "local"
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(repo)], check=True)
    (repo / "latest.json").write_text(latest(41))

    with caplog.at_level("WARNING"):
        result = publish(repo, outputs(repo), NOW)

    assert result.changed and not result.pushed and result.attempts == 0
    assert result.commit == git(repo, "rev-parse", "HEAD")
    assert subjects(repo) == ["Sync training data 2026-11-21T10:15:00Z"]
    assert "no remote" in caplog.text


def test_non_git_directory_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "latest.json").write_text(latest(41))
    with pytest.raises(PublishError, match="is not a git repository"):
        publish(tmp_path, outputs(tmp_path), NOW)


def test_output_outside_the_repository_is_refused(remote: Path, tmp_path: Path) -> None:
    repo = clone(remote, tmp_path / "a")
    with pytest.raises(PublishError, match="outside the data repository"):
        publish(repo, [tmp_path / "elsewhere.json"], NOW)


def test_unpushed_commit_from_an_earlier_run_is_pushed_later(remote: Path, tmp_path: Path) -> None:
    repo = clone(remote, tmp_path / "a")
    (repo / "latest.json").write_text(latest(41))
    git(repo, "remote", "rename", "origin", "offline")
    # Point the remote somewhere that does not exist: this run's push fails.
    git(repo, "remote", "set-url", "offline", str(tmp_path / "missing.git"))
    with pytest.raises(PublishError):
        publish(repo, outputs(repo), NOW, sleep=no_sleep)
    committed = git(repo, "rev-parse", "HEAD")

    git(repo, "remote", "set-url", "offline", str(remote))
    result = publish(repo, outputs(repo), NOW + timedelta(minutes=1), sleep=no_sleep)

    assert result.changed is False and result.pushed is True
    assert git(remote, "rev-parse", "main") == committed


def test_conflict_in_a_file_we_do_not_own_stops_with_the_commit_kept(
    remote: Path, tmp_path: Path
) -> None:
    other = clone(remote, tmp_path / "other")
    (other / "notes.txt").write_text("remote version\n")
    git(other, "add", "notes.txt")
    git(other, "commit", "--quiet", "-m", "remote notes")
    git(other, "push", "--quiet", "origin", "main")

    repo = clone(remote, tmp_path / "a")
    git(repo, "reset", "--quiet", "--hard", "HEAD~1")
    (repo / "notes.txt").write_text("local version\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "--quiet", "-m", "local notes")
    (repo / "latest.json").write_text(latest(41))

    with pytest.raises(PublishError, match=r"conflict with the remote in notes\.txt"):
        publish(repo, outputs(repo), NOW, sleep=no_sleep)
    assert subjects(repo, "HEAD")[:2] == ["Sync training data 2026-11-21T10:15:00Z", "local notes"]
    assert git(repo, "status", "--porcelain") == ""


def test_push_attempts_are_bounded(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    b = clone(remote, tmp_path / "b")
    (a / "latest.json").write_text(latest(41))
    publish(a, outputs(a), NOW, sleep=no_sleep)
    (b / "latest.json").write_text(latest(42))
    with pytest.raises(PublishError, match="rejected 1 times"):
        publish(b, outputs(b), NOW, max_push_attempts=1, sleep=no_sleep)


# -- archive ------------------------------------------------------------------------------


def test_write_snapshot_path_and_content(tmp_path: Path) -> None:
    path = write_snapshot(tmp_path, b'{"x": 1}', NOW)
    assert path == tmp_path / "archive" / "2026-11" / "20261121T101500Z.json"
    assert path.read_bytes() == b'{"x": 1}'
    assert [p.name for p in path.parent.iterdir()] == ["20261121T101500Z.json"]  # no temp left
    with pytest.raises(ValueError):
        snapshot_path(tmp_path, datetime(2026, 11, 21))


def test_retention_by_age_and_empty_month_folders(tmp_path: Path) -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)  # cutoff for 30 days: 2026-10-22T12:00
    names = {
        "2026-09/20260930T235959Z.json": False,  # older than the cutoff
        "2026-10/20261022T115959Z.json": False,  # one second before the cutoff
        "2026-10/20261022T120000Z.json": True,  # exactly at the cutoff: kept
        "2026-10/20261001_000000.json": False,  # reference-tool name, old
        "2026-10/notes.txt": True,  # not a snapshot: never touched
        "2026-11/20261121T115959Z.json": True,
    }
    for name in names:
        path = tmp_path / "archive" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}")

    removed = apply_retention(tmp_path, 30, now)

    assert len(removed) == 3
    for name, kept in names.items():
        assert (tmp_path / "archive" / name).exists() is kept, name
    assert not (tmp_path / "archive" / "2026-09").exists()


def test_retention_zero_removes_every_snapshot(tmp_path: Path) -> None:
    write_snapshot(tmp_path, b"{}", NOW)
    write_snapshot(tmp_path, b"{}", NOW - timedelta(days=40))
    assert len(apply_retention(tmp_path, 0, NOW)) == 2
    assert list((tmp_path / "archive").iterdir()) == []


def _quarter_hourly(tmp_path: Path) -> list[str]:
    # Every 15 minutes from 2026-11-19T12:00 to 2026-11-21T11:45: 48 h × 4 = 192 snapshots.
    start = datetime(2026, 11, 19, 12, 0, tzinfo=UTC)
    names = []
    for i in range(192):
        names.append(write_snapshot(tmp_path, b"{}", start + timedelta(minutes=15 * i)).name)
    return names


THIN_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def _remaining(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "archive" / "2026-11").iterdir())


def test_folder_cap_thins_older_snapshots_to_one_per_hour(tmp_path: Path) -> None:
    _quarter_hourly(tmp_path)
    # Last 24 h (after 2026-11-20T12:00): 12:15 … 11:45 = 95 snapshots, kept as they are.
    # Older: 2026-11-19T12:00 … 2026-11-20T12:00 = 97 snapshots in 25 clock hours
    # (19th 12h … 20th 11h, plus 20th 12:00) → one per hour = 25. 25 + 95 = 120 ≤ 120.
    removed = apply_retention(tmp_path, 30, THIN_NOW, max_per_folder=120)
    assert len(removed) == 192 - 120
    left = _remaining(tmp_path)
    assert len(left) == 120
    assert "20261119T124500Z.json" in left and "20261119T123000Z.json" not in left
    assert "20261120T120000Z.json" in left and "20261120T121500Z.json" in left


def test_folder_cap_uses_the_first_coarser_step_that_fits(tmp_path: Path) -> None:
    _quarter_hourly(tmp_path)
    # cap 100: 1 h → 25+95 = 120; 2 h → 13+95 = 108; 3 h → 9+95 = 104; 4 h → 7+95 = 102;
    # 6 h → 5+95 = 100 fits: newest of [12,18) [18,24) on the 19th, [0,6) [6,12) [12,18) on
    # the 20th.
    apply_retention(tmp_path, 30, THIN_NOW, max_per_folder=100)
    left = _remaining(tmp_path)
    assert len(left) == 100
    assert left[:5] == [
        "20261119T174500Z.json",
        "20261119T234500Z.json",
        "20261120T054500Z.json",
        "20261120T114500Z.json",
        "20261120T120000Z.json",
    ]


def test_folder_cap_drops_oldest_when_the_last_day_alone_is_too_many(tmp_path: Path) -> None:
    _quarter_hourly(tmp_path)
    # cap 50 < 95 recent: keep the newest 50 = 11:45 back 49 × 15 min = 2026-11-20T23:30.
    apply_retention(tmp_path, 30, THIN_NOW, max_per_folder=50)
    left = _remaining(tmp_path)
    assert len(left) == 50
    assert left[0] == "20261120T233000Z.json" and left[-1] == "20261121T114500Z.json"


# -- README -------------------------------------------------------------------------------


def test_readme_line_replaced_in_place_and_idempotent() -> None:
    once = update_last_sync_line(README, NOW)
    assert once == (
        "# Training data\n\n**Last successful sync:** 2026-11-21 10:15:00 UTC\n\nRaw URLs below.\n"
    )
    assert update_last_sync_line(once, NOW) == once


def test_readme_line_inserted_under_first_heading() -> None:
    text = "Intro\n# Data\nText\n## More\n"
    assert update_last_sync_line(text, NOW) == (
        "Intro\n# Data\n\n**Last successful sync:** 2026-11-21 10:15:00 UTC\n\nText\n## More\n"
    )


def test_readme_line_without_heading_and_crlf() -> None:
    assert update_last_sync_line("", NOW) == "**Last successful sync:** 2026-11-21 10:15:00 UTC\n"
    crlf = "# T\r\n**Last successful sync:** old\r\nx\r\n"
    assert update_last_sync_line(crlf, NOW) == (
        "# T\r\n**Last successful sync:** 2026-11-21 10:15:00 UTC\r\nx\r\n"
    )


def test_shallow_clones_like_actions_checkout_still_rebase(remote: Path, tmp_path: Path) -> None:
    # actions/checkout fetches only the tip commit (depth 1).
    url = remote.as_uri()
    a = tmp_path / "a"
    b = tmp_path / "b"
    for dest in (a, b):
        subprocess.run(["git", "clone", "--quiet", "--depth", "1", url, str(dest)], check=True)
    assert git(a, "rev-parse", "--is-shallow-repository") == "true"
    (a / "latest.json").write_text(latest(41))
    (b / "latest.json").write_text(latest(42))

    publish(a, outputs(a), NOW, commit_message="run a", sleep=no_sleep)
    result = publish(b, outputs(b), NOW, commit_message="run b", sleep=no_sleep)

    assert result.pushed and result.attempts == 2
    assert subjects(remote) == ["run b", "run a", "seed"]
