"""Output that cannot be turned against the athlete: public repositories, workflow
commands, credentials, file modes, a symlinked archive, all-or-nothing writes."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
import subprocess
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fake_github import TOKEN, FakeGitHub, Fault
from tests_support_privacy import NOW

from section11.cli import main
from section11.clock import FixedClock
from section11.config import Secret
from section11.demo import DEMO_API_KEY, DEMO_ATHLETE_ID, FakeIntervalsServer
from section11.logsetup import configure_logging
from section11.publish.actions import SummaryData, annotate, render_summary, write_job_summary
from section11.publish.archive import apply_retention, write_snapshot
from section11.publish.git import PublishError
from section11.safetext import display_url, neutralize
from section11.sources.intervals_icu.client import IntervalsClient, key_allowed
from section11.store import FileWrite, write_files_atomic

DATA_REPO = "athlete/training-data"
GIT_ENV = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**GIT_ENV, "HOME": str(cwd)},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    """A git checkout with one commit and no remote (the publisher commits locally)."""
    repo = tmp_path / "data"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# Training data\n")
    git(repo, "add", "README.md")
    git(repo, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "init")
    return repo


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


def run_sync(
    fake_api: FakeIntervalsServer,
    out: Path,
    tmp_path: Path,
    *flags: str,
    env: dict[str, str] | None = None,
) -> int:
    config = tmp_path / "config.json"
    config.write_text("{}")
    full_env = {
        "SECTION11_CONFIG": str(config),
        "ATHLETE_ID": DEMO_ATHLETE_ID,
        "INTERVALS_KEY": DEMO_API_KEY,
        "INTERVALS_API_BASE": fake_api.base_url,
        **GIT_ENV,
        "HOME": str(tmp_path),
        **(env or {}),
    }
    return main(["--output-dir", str(out), *flags], env=full_env, clock=FixedClock(NOW))


def actions_env(github: FakeGitHub, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": DATA_REPO,
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": github.url,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "SECTION11_TEMPLATE_REPO": DATA_REPO,  # no update check: the template itself
        **extra,
    }


def privacy_written(repo: Path) -> str:
    return str(json.loads((repo / "latest.json").read_text())["metadata"]["privacy"])


# --------------------------------------------------------------- public repositories


def test_public_repository_is_refused_below_strict_before_any_request(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    github.private[DATA_REPO] = False
    env = actions_env(github, tmp_path)
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 2
    err = capsys.readouterr().err
    assert f"{DATA_REPO} is a public repository" in err and "SECTION11_ALLOW_PUBLIC_REPO" in err
    assert fake_api.requests == []  # refused before Intervals.icu was asked anything
    assert git(data_repo, "rev-list", "--count", "HEAD") == "1"
    assert github.count("GET", f"/repos/{DATA_REPO}") == 1


def test_public_repository_publishes_at_strict_or_with_the_override(
    fake_api: FakeIntervalsServer, data_repo: Path, github: FakeGitHub, tmp_path: Path
) -> None:
    github.private[DATA_REPO] = False
    env = actions_env(github, tmp_path)
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", "--privacy", "strict", env=env) == 0
    assert privacy_written(data_repo) == "strict"
    assert not (data_repo / "archive").exists()  # strict keeps no archive
    allowed = actions_env(github, tmp_path, SECTION11_ALLOW_PUBLIC_REPO="true")
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=allowed) == 0
    assert privacy_written(data_repo) == "standard"


def test_private_repository_keeps_standard_and_github_down_means_strict(
    fake_api: FakeIntervalsServer, data_repo: Path, github: FakeGitHub, tmp_path: Path
) -> None:
    env = actions_env(github, tmp_path)  # the fake's repositories are private by default
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    assert privacy_written(data_repo) == "standard"
    github.fail("GET", f"/repos/{DATA_REPO}", Fault(status=500))
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    assert privacy_written(data_repo) == "strict"


def test_the_runners_event_payload_answers_without_an_api_request(
    fake_api: FakeIntervalsServer, data_repo: Path, github: FakeGitHub, tmp_path: Path
) -> None:
    event = tmp_path / "event.json"
    env = actions_env(github, tmp_path, GITHUB_EVENT_PATH=str(event))
    # The payload says public (GitHub's API would say private): the payload wins, no request.
    event.write_text(json.dumps({"repository": {"full_name": DATA_REPO, "private": False}}))
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 2
    assert github.count("GET", f"/repos/{DATA_REPO}") == 0
    event.write_text(json.dumps({"repository": {"full_name": DATA_REPO, "private": True}}))
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    assert privacy_written(data_repo) == "standard"
    assert github.count("GET", f"/repos/{DATA_REPO}") == 0
    # A payload about another repository, or a broken one, is not trusted: GitHub is asked.
    event.write_text(json.dumps({"repository": {"full_name": "someone/else", "private": True}}))
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    event.write_text("{not json")
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    assert github.count("GET", f"/repos/{DATA_REPO}") == 2


def test_outside_actions_github_is_not_asked(
    fake_api: FakeIntervalsServer, data_repo: Path, github: FakeGitHub, tmp_path: Path
) -> None:
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": github.url, "GITHUB_REPOSITORY": DATA_REPO}
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", env=env) == 0
    assert github.count("GET", f"/repos/{DATA_REPO}") == 0


# --------------------------------------------------------------- workflow commands


def forged(text: str) -> list[str]:
    """Lines the Actions runner would read as a command we did not write."""
    ours = ("::warning::", "::error::", "::notice::")
    return [
        line
        for line in text.splitlines()
        if line.lstrip().startswith(("::", "##["))
        and not (line.startswith(ours) and "forged" not in line.split("::")[1])
    ]


def test_event_name_and_attachment_url_cannot_forge_a_workflow_command(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    github: FakeGitHub,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    race = next(e for e in fake_api.athlete.events if e.get("name") == "Spring Gran Fondo")
    race["name"] = "Spring Gran Fondo\n::error title=x::forged by an event name\x1b[2J"
    port = fake_api.origin.rsplit(":", 1)[1]
    race["attachments"][0]["url"] = (
        f"http://intruder:hunter2@127.0.0.1:{port}/attachments/att-9001/"
        "gran\n::error::forged-by-url.gpx"
    )
    env = actions_env(github, tmp_path)
    # --debug logs every request with its URL.
    flags = ("--publish", "--privacy", "full", "--debug")
    assert run_sync(fake_api, data_repo, tmp_path, *flags, env=env) == 0
    captured = capsys.readouterr()
    summary = (tmp_path / "summary.md").read_text()
    shown = captured.out + captured.err + summary
    # Logged without its user info (the line break was already dropped when it was parsed).
    assert f"GET http://127.0.0.1:{port}/attachments/att-9001/gran" in captured.err
    assert forged(shown) == []
    assert "hunter2" not in shown and "\x1b" not in shown
    # The event name is kept as data in the file (level full), where no runner reads it.
    routes = json.loads((data_repo / "routes.json").read_text())
    assert any("forged by an event name" in (e["event_name"] or "") for e in routes["events"])

    # Everything else printed goes through the same helper: logs, annotations, summary.
    name = race["name"]
    configure_logging(level=logging.INFO, quiet=False, log_file=tmp_path / "sync.log")
    logging.getLogger("section11").warning("route of %s", name)
    print(annotate("warning", name))
    write_job_summary(render_summary(SummaryData(warnings=[name])) + name, env)
    captured = capsys.readouterr()
    shown = captured.out + captured.err + (tmp_path / "summary.md").read_text()
    shown += (tmp_path / "sync.log").read_text()
    assert "forged by an event name" in shown and forged(shown) == []


def test_neutralize_and_display_url() -> None:
    assert neutralize("a\n::set-env name=X::1") == "a ::set-env name=X::1"  # one line
    assert neutralize("::stop-commands::x") == ": :stop-commands::x"
    assert neutralize("  ::error::x\n##[error]y", multiline=True) == "  : :error::x\n# #[error]y"
    assert neutralize("bell\x07 and \u202eevil") == "bell\ufffd and \ufffdevil"
    assert display_url("https://u:p@host.example:8443/a/b.gpx?sig=1#f") == (
        "https://host.example:8443/a/b.gpx"
    )


def test_commit_messages_are_neutralized(data_repo: Path) -> None:
    from section11.publish.git import GitRepo

    (data_repo / "x.txt").write_text("x")
    repo = GitRepo(data_repo)
    git(data_repo, "add", "x.txt")
    repo.commit("Sync\n::error::forged")
    assert git(data_repo, "log", "-1", "--format=%B") == "Sync\n: :error::forged"


# --------------------------------------------------------------- the API key


def test_the_key_goes_only_to_the_api_host_over_https() -> None:
    base = "https://intervals.icu/api/v1"
    assert key_allowed("https://intervals.icu/api/v1/activity/1/file", base)
    assert key_allowed("https://intervals.icu:443/attachments/a.gpx", base)
    assert not key_allowed("http://intervals.icu/attachments/a.gpx", base)  # not encrypted
    assert not key_allowed("https://intervals.icu:8443/a.gpx", base)
    assert not key_allowed("https://files.example/a.gpx", base)
    assert not key_allowed("https://user:pw@intervals.icu/a.gpx", base)
    assert not key_allowed("https://intervals.icu.evil.example/a.gpx", base)
    loopback = "http://127.0.0.1:8080/api/v1"  # the demo and the tests
    assert key_allowed("http://127.0.0.1:8080/attachments/a.gpx", loopback)
    assert not key_allowed("http://127.0.0.1:8081/attachments/a.gpx", loopback)


class _Recorder(BaseHTTPRequestHandler):
    seen: ClassVar[list[str | None]] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.headers.get("Authorization"))
        body = b"data"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_downloads_carry_the_key_only_to_the_api_host() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    _Recorder.seen = []
    try:
        with IntervalsClient(f"http://127.0.0.1:{port}/api/v1", "i1", Secret("k3y-value")) as c:
            c.download(f"http://127.0.0.1:{port}/attachments/a.gpx")
            c.download(f"http://user:pw@127.0.0.1:{port}/attachments/b.gpx")
            c.download(f"http://localhost:{port}/attachments/c.gpx")
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.seen[0] is not None and _Recorder.seen[0].startswith("Basic ")
    # requests sends the URL's own user info as Basic auth, never our key with it.
    assert _Recorder.seen[1] == "Basic " + base64.b64encode(b"user:pw").decode()
    assert _Recorder.seen[2] is None


def test_api_base_over_plain_http_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.json"
    config.write_text("{}")
    env = {"SECTION11_CONFIG": str(config), "INTERVALS_API_BASE": "http://intervals.icu/api/v1"}
    assert main(["--output-dir", str(tmp_path)], env=env) == 2
    assert "must be an https URL" in capsys.readouterr().err


# --------------------------------------------------------------- files on disk


def modes(out: Path) -> dict[str, int]:
    return {
        str(p.relative_to(out)): stat.S_IMODE(p.stat().st_mode)
        for p in out.rglob("*")
        if p.is_file()
    }


def test_files_honour_the_umask_and_state_is_owner_only(
    fake_api: FakeIntervalsServer, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "latest.json").write_text("{}")
    os.chmod(out / "latest.json", 0o644)  # written by an older version
    old = os.umask(0o077)
    try:
        assert run_sync(fake_api, out, tmp_path, "--quiet") == 0
    finally:
        os.umask(old)
    found = modes(out)
    # The 5 outputs, the dashboard and the state files, every one of them checked below.
    assert set(found) >= {
        "latest.json",
        "history.json",
        "intervals.json",
        "routes.json",
        "ftp_history.json",
        "dashboard.html",
        ".section11/activity-terrain.json",
        ".section11/history-state.json",
    }, found
    assert set(found.values()) == {0o600}, found  # 0o666 & ~0o077, 0o644 & ~0o077 = 0o600

    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh"
        assert run_sync(fake_api, fresh, tmp_path, "--quiet") == 0
    finally:
        os.umask(old)
    found = modes(fresh)
    assert found["latest.json"] == 0o644  # 0o666 & ~0o022
    assert found[".section11/activity-terrain.json"] == 0o600  # owner only, whatever the umask


def test_all_or_nothing_writes(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("old a")
    (tmp_path / "c.json").mkdir()  # a folder where a file should go: its rename fails
    files = [
        FileWrite(tmp_path / "a.json", b"new a"),
        FileWrite(tmp_path / "b.json", b"new b"),
        FileWrite(tmp_path / "c.json", b"new c"),
    ]
    with pytest.raises(OSError):
        write_files_atomic(files)
    assert (tmp_path / "a.json").read_text() == "old a"
    assert not (tmp_path / "b.json").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "c.json"]  # no temp files

    (tmp_path / "c.json").rmdir()
    write_files_atomic(files)
    assert [(tmp_path / n).read_text() for n in ("a.json", "b.json", "c.json")] == [
        "new a",
        "new b",
        "new c",
    ]


def test_symlinked_archive_is_refused(tmp_path: Path) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    (outside / "2020-01").mkdir(parents=True)
    precious = outside / "2020-01" / "20200101T000000Z.json"
    precious.write_text("{}")
    repo.mkdir()
    (repo / "archive").symlink_to(outside, target_is_directory=True)
    with pytest.raises(PublishError, match="symbolic link"):
        apply_retention(repo, 30, NOW)
    with pytest.raises(PublishError, match="symbolic link"):
        write_snapshot(repo, b"{}", NOW)
    assert precious.exists()

    # A month folder linked out of the repository is refused too.
    (repo / "archive").unlink()
    (repo / "archive").mkdir()
    (repo / "archive" / "2020-01").symlink_to(outside / "2020-01", target_is_directory=True)
    with pytest.raises(PublishError, match="2020-01"):
        apply_retention(repo, 30, NOW + timedelta(days=1))
    assert precious.exists()


def test_publishing_with_a_symlinked_archive_fails_cleanly(
    fake_api: FakeIntervalsServer,
    data_repo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    outside = tmp_path / "outside" / "2020-01"
    outside.mkdir(parents=True)
    (outside / "20200101T000000Z.json").write_text("{}")
    (data_repo / "archive").symlink_to(outside.parent, target_is_directory=True)
    assert run_sync(fake_api, data_repo, tmp_path, "--publish", "--quiet") == 1
    assert "symbolic link" in capsys.readouterr().err
    assert (outside / "20200101T000000Z.json").exists()
