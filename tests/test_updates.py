"""The daily template update check, end to end against the fake GitHub API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_github import TOKEN, FakeGitHub, Fault

from section11.publish.github import GitHubClient
from section11.publish.manifest import build_manifest, write_manifest
from section11.publish.updates import (
    DEFAULT_STATE_PATH,
    ISSUE_MARKER,
    UPDATE_LABEL,
    UpdateCheckResult,
    check_template_updates,
)

DATA = "athlete/training-data"
TEMPLATE = "coach/section11"
T0 = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)

WORKFLOW = (
    "name: sync\non:\n  schedule:\n    - cron: '7,27,47 5-22 * * *'\n"
    "jobs:\n  sync:\n    runs-on: ubuntu-latest\n    env:\n      SECTION11_ARCHIVE_DAYS: '30'\n"
)
BASE_FILES = {
    "sync.py": b"print('sync v1')\n",
    "section11/__init__.py": b"__version__ = '1.0.0'\n",
    "schemas/latest.schema.json": b"{}\n",
    "README.md": b"# section11 (template readme)\n",
    ".github/workflows/sync.yml": WORKFLOW.encode(),
}


def _write_tree(root: Path, files: dict[str, bytes], version: str = "1.0.0") -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    write_manifest(root, build_manifest(root, TEMPLATE, version))


def _publish_template(gh: FakeGitHub, tmp: Path, files: dict[str, bytes], version: str) -> None:
    """Lay out a template tree, build its manifest and serve both through the fake API."""
    root = tmp / f"template-{version}-{len(gh.files)}"
    _write_tree(root, files, version)
    for path in [*files, "manifest.json"]:
        gh.put_file(TEMPLATE, path, (root / path).read_bytes())


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def client(gh: FakeGitHub) -> Iterator[GitHubClient]:
    with GitHubClient(TOKEN, api_url=gh.url, timeout=(2.0, 0.5)) as c:
        yield c


@pytest.fixture
def data_repo(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    files = dict(BASE_FILES)
    files["README.md"] = b"# My training data\n"  # the athlete's own README
    _write_tree(root, files)
    return root


def _check(
    data_repo: Path, client: GitHubClient, now: datetime, *, force: bool = False
) -> UpdateCheckResult:
    return check_template_updates(
        data_repo,
        data_repo=DATA,
        template_repo=TEMPLATE,
        client=client,
        now_utc=now,
        state_path=DEFAULT_STATE_PATH,
        force=force,
    )


def _v2_files() -> dict[str, bytes]:
    files = dict(BASE_FILES)
    files["sync.py"] = b"print('sync v2 with more')\n"  # 6 + 19 + 1 + newline = 27 bytes
    files["schemas/routes.schema.json"] = b"# Routes!\n"  # 9 characters + newline = 10 bytes
    files["README.md"] = b"# section11 template readme, new text\n"
    return files


def test_first_check_creates_one_labelled_issue(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    _publish_template(gh, tmp_path, _v2_files(), "1.1.0")
    result = _check(data_repo, client, T0)
    assert result.status == "issue_created"
    assert result.new_files == ["schemas/routes.schema.json"]
    assert result.changed_files == ["sync.py"]  # README.md differs too but is the athlete's
    assert result.warnings == []
    issues = gh.open_issues(DATA)
    assert [i.number for i in issues] == [result.issue_number]
    body = issues[0].body
    assert ISSUE_MARKER in body and issues[0].labels == [UPDATE_LABEL]
    assert "**1.1.0**" in body and "(this repository: 1.0.0)" in body
    assert "| new | 10 B |" in body and "| changed | 27 B |" in body
    assert f"git remote add template https://github.com/{TEMPLATE}.git" in body
    assert "git checkout template/main -- schemas/routes.schema.json sync.py manifest.json" in body
    # The sync pushes every 20 minutes: pull with rebase before committing and pushing.
    commands = body.split("```sh")[1].split("```")[0].splitlines()
    pulls = [i for i, line in enumerate(commands) if line.startswith("git pull --rebase")]
    commit = next(i for i, line in enumerate(commands) if line.startswith("git commit"))
    assert len(pulls) == 2 and pulls[0] < commit < pulls[1] < len(commands) - 1
    assert commands[-1] == "git push"
    assert "[`README.md`]" not in body  # not a row of the table
    assert UPDATE_LABEL in gh.labels[DATA]
    state = json.loads((data_repo / DEFAULT_STATE_PATH).read_text())
    assert state["last_checked_utc"] == "2026-03-01T06:00:00Z"
    assert state["last_error"] is None


def test_second_run_is_gated_then_updates_the_same_issue(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    _publish_template(gh, tmp_path, _v2_files(), "1.1.0")
    first = _check(data_repo, client, T0)
    requests_after_first = len(gh.requests)

    later = _check(data_repo, client, T0 + timedelta(hours=23))
    assert later.status == "skipped_recent"
    assert len(gh.requests) == requests_after_first  # the gate makes no API call at all

    forced = _check(data_repo, client, T0 + timedelta(hours=1), force=True)
    assert forced.status == "issue_updated"
    assert forced.issue_number == first.issue_number
    assert gh.count("POST", f"/repos/{DATA}/issues") == 1
    assert gh.count("PATCH", rf"/repos/{DATA}/issues/\d+") == 0  # same body: nothing to edit
    assert len(gh.open_issues(DATA)) == 1

    next_day = _check(data_repo, client, T0 + timedelta(days=1, hours=1))  # 1 day after forced
    assert next_day.status == "issue_updated"
    assert len(gh.open_issues(DATA)) == 1


def test_changed_differences_rewrite_the_issue(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    _publish_template(gh, tmp_path, _v2_files(), "1.1.0")
    first = _check(data_repo, client, T0)
    v3 = _v2_files()
    v3["section11/__init__.py"] = b"__version__ = '1.2.0'\n"
    _publish_template(gh, tmp_path, v3, "1.2.0")
    second = _check(data_repo, client, T0 + timedelta(days=1))
    assert second.status == "issue_updated"
    assert second.issue_number == first.issue_number
    assert second.changed_files == ["section11/__init__.py", "sync.py"]
    assert gh.count("PATCH", rf"/repos/{DATA}/issues/\d+") == 1
    body = gh.issues[DATA][first.issue_number or 0].body
    assert "**1.2.0**" in body and "section11/__init__.py" in body


def test_applying_the_update_closes_the_issue_on_the_next_sync(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    files = _v2_files()
    _publish_template(gh, tmp_path, files, "1.1.0")
    created = _check(data_repo, client, T0)
    # The athlete checks out the template's files (their README stays theirs).
    for path in ("sync.py", "schemas/routes.schema.json", "manifest.json"):
        target = data_repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gh.files[(TEMPLATE, "main", path)])
    # Only 20 minutes later: the gate is bypassed because the local files changed.
    closed = _check(data_repo, client, T0 + timedelta(minutes=20))
    assert closed.status == "issue_closed"
    assert closed.issue_number == created.issue_number
    assert gh.open_issues(DATA) == []
    assert "up to date" in gh.issues[DATA][created.issue_number or 0].comments[-1]

    again = _check(data_repo, client, T0 + timedelta(days=2))
    assert again.status == "up_to_date" and again.issue_number is None


def test_up_to_date_without_issue(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    _publish_template(gh, tmp_path, dict(BASE_FILES), "1.0.0")
    result = _check(data_repo, client, T0)
    assert result.status == "up_to_date"
    assert gh.count("POST", ".*") == 0


def test_only_marked_issues_are_ours_and_duplicates_are_closed(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    own = gh.add_issue(DATA, "my note", "about updates", [UPDATE_LABEL])  # no marker
    first = gh.add_issue(DATA, "old", f"{ISSUE_MARKER}\nold", [UPDATE_LABEL])
    dup = gh.add_issue(DATA, "old", f"{ISSUE_MARKER}\nold", [UPDATE_LABEL])
    _publish_template(gh, tmp_path, _v2_files(), "1.1.0")
    result = _check(data_repo, client, T0)
    assert result.status == "issue_updated"
    assert result.issue_number == first.number
    assert gh.issues[DATA][dup.number].state == "closed"
    assert gh.issues[DATA][own.number].state == "open"
    assert gh.issues[DATA][own.number].body == "about updates"
    assert sorted(i.number for i in gh.open_issues(DATA)) == [own.number, first.number]


def test_cron_edits_are_not_updates_but_workflow_changes_are(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    wf = data_repo / ".github/workflows/sync.yml"
    # The athlete's own schedule and archive window:
    wf.write_text(WORKFLOW.replace("7,27,47 5-22", "0 6-20").replace("'30'", "'90'"))
    _publish_template(gh, tmp_path, dict(BASE_FILES), "1.0.0")
    assert _check(data_repo, client, T0).status == "up_to_date"

    changed = dict(BASE_FILES)
    changed[".github/workflows/sync.yml"] = (WORKFLOW + "    timeout-minutes: 20\n").encode()
    _publish_template(gh, tmp_path, changed, "1.0.1")
    result = _check(data_repo, client, T0 + timedelta(days=1))
    assert result.status == "issue_created"
    assert result.changed_files == [".github/workflows/sync.yml"]
    body = gh.open_issues(DATA)[0].body
    assert "put your own `cron:` schedule" in body
    assert "the `workflow` scope" in body  # what pushing a workflow change needs


def test_a_file_the_template_dropped_is_listed_as_obsolete(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path, tmp_path: Path
) -> None:
    slimmer = dict(BASE_FILES)
    del slimmer["schemas/latest.schema.json"]
    _publish_template(gh, tmp_path, slimmer, "1.0.1")
    result = _check(data_repo, client, T0)
    assert result.status == "issue_created"
    assert result.obsolete_files == ["schemas/latest.schema.json"]
    assert (result.new_files, result.changed_files) == ([], [])
    body = gh.open_issues(DATA)[0].body
    assert "| `schemas/latest.schema.json` | obsolete: delete it | — |" in body
    assert "git rm --quiet -- schemas/latest.schema.json" in body


@pytest.mark.parametrize(
    ("method", "path", "fault", "hint"),
    [
        (
            "GET",
            r"/repos/coach/section11/contents/manifest\.json",
            Fault(status=500),
            "unavailable",
        ),
        ("GET", r"/repos/coach/section11/contents/manifest\.json", Fault(delay=1.5), "unavailable"),
        ("GET", r"/repos/coach/section11/contents/manifest\.json", Fault(status=404), "exists"),
        (
            "GET",
            r"/repos/coach/section11/contents/manifest\.json",
            Fault(malformed=True),
            "manifest",
        ),
        ("POST", r"/repos/athlete/training-data/issues", Fault(status=403), "issues: write"),
        ("GET", r"/repos/athlete/training-data/issues", Fault(status=403), "issues: write"),
        ("POST", r"/repos/athlete/training-data/labels", Fault(status=500), "unavailable"),
    ],
)
def test_failures_become_warnings(
    gh: FakeGitHub,
    client: GitHubClient,
    data_repo: Path,
    tmp_path: Path,
    method: str,
    path: str,
    fault: Fault,
    hint: str,
) -> None:
    _publish_template(gh, tmp_path, _v2_files(), "1.1.0")
    gh.fail(method, path, fault)
    result = _check(data_repo, client, T0)
    assert result.status == "failed"
    assert len(result.warnings) == 1 and hint in result.warnings[0]
    assert TOKEN not in repr(result)
    assert gh.open_issues(DATA) == []
    state = json.loads((data_repo / DEFAULT_STATE_PATH).read_text())
    assert state["last_checked_utc"] is None and state["last_error"] == result.warnings[0]

    # A failure is retried after an hour (not on every sync, not only the next day).
    gh.clear_faults()
    assert _check(data_repo, client, T0 + timedelta(minutes=59)).status == "skipped_recent"
    assert _check(data_repo, client, T0 + timedelta(minutes=61)).status == "issue_created"


def test_unsafe_template_manifest_is_rejected(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path
) -> None:
    evil = {
        "schema_version": 1,
        "template_repository": TEMPLATE,
        "version": "9",
        "files": {"x; rm -rf ~": {"sha256": "0" * 64, "size": 1}},
    }
    gh.put_file(TEMPLATE, "manifest.json", json.dumps(evil).encode())
    result = _check(data_repo, client, T0)
    assert result.status == "failed"
    assert "unsafe path" in result.warnings[0]
    assert gh.count("POST", ".*") == 0


def test_never_raises_even_on_programming_errors(client: GitHubClient, data_repo: Path) -> None:
    naive = datetime(2026, 3, 1, 6, 0)  # no tzinfo: rejected inside, reported as a warning
    result = _check(data_repo, client, naive)
    assert result.status == "failed" and result.warnings


def test_template_repository_itself_is_not_checked(
    gh: FakeGitHub, client: GitHubClient, data_repo: Path
) -> None:
    result = check_template_updates(
        data_repo,
        data_repo=TEMPLATE.upper(),
        template_repo=TEMPLATE,
        client=client,
        now_utc=T0,
        state_path=DEFAULT_STATE_PATH,
    )
    assert result.status == "up_to_date"
    assert gh.requests == []
