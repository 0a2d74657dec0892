"""GitHubClient against the fake GitHub API over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_github import TOKEN, FakeGitHub, Fault

from section11.publish.github import (
    GitHubClient,
    GitHubError,
    GitHubNotFoundError,
    GitHubPermissionError,
    GitHubRateLimitError,
    GitHubResponseError,
    GitHubUnavailableError,
)

REPO = "athlete/training-data"


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def client(gh: FakeGitHub) -> Iterator[GitHubClient]:
    with GitHubClient(TOKEN, api_url=gh.url, timeout=(2.0, 0.5)) as c:
        yield c


def test_sends_auth_accept_and_version_headers(gh: FakeGitHub, client: GitHubClient) -> None:
    client.list_open_issues(REPO, "section11-update")
    headers = gh.requests[-1].headers
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/vnd.github+json"
    assert headers["X-GitHub-Api-Version"] == "2022-11-28"
    assert gh.requests[-1].query["labels"] == ["section11-update"]
    assert gh.requests[-1].query["state"] == ["open"]


def test_api_url_from_environment(gh: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_API_URL", gh.url + "/")
    assert GitHubClient(TOKEN).api_url == gh.url
    assert GitHubClient.from_env({"GITHUB_TOKEN": ""}) is None
    from_env = GitHubClient.from_env({"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url})
    assert from_env is not None and from_env.api_url == gh.url
    assert TOKEN not in repr(from_env)


def test_issue_lifecycle(gh: FakeGitHub, client: GitHubClient) -> None:
    gh.add_issue(REPO, "a pull request", "x", ["section11-update"], pull_request=True)
    gh.add_issue(REPO, "other label", "x", ["bug"])
    created = client.create_issue(REPO, "Title", "Body", labels=("section11-update",))
    # Two issues were added before, so the fake numbers this one 3.
    assert created.number == 3
    listed = client.list_open_issues(REPO, "section11-update")
    assert [i.number for i in listed] == [3]  # the PR (#1) and the other label (#2) excluded
    updated = client.update_issue(REPO, 3, body="New body")
    assert updated.body == "New body" and updated.title == "Title"
    closed = client.close_issue(REPO, 3, comment="done")
    assert closed.state == "closed"
    assert gh.issues[REPO][3].comments == ["done"]
    assert client.list_open_issues(REPO, "section11-update") == []


def test_list_follows_pages(gh: FakeGitHub, client: GitHubClient) -> None:
    for n in range(150):
        gh.add_issue(REPO, f"issue {n}", "", ["l"])
    # 150 issues at 100 per page: page 1 has 100, page 2 has 50 and ends the loop.
    assert len(client.list_open_issues(REPO, "l")) == 150
    assert gh.count("GET", f"/repos/{REPO}/issues") == 2


def test_ensure_label_creates_once(gh: FakeGitHub, client: GitHubClient) -> None:
    client.ensure_label(REPO, "section11-update", color="1d76db", description="d")
    client.ensure_label(REPO, "section11-update", color="1d76db", description="d")
    assert list(gh.labels[REPO]) == ["section11-update"]
    assert gh.count("POST", f"/repos/{REPO}/labels") == 1


def test_get_file_returns_exact_bytes(gh: FakeGitHub, client: GitHubClient) -> None:
    data = b'{"a": 1}\r\n\xff'
    gh.put_file("owner/template", "docs/a b.md", data, ref="v2")
    assert client.get_file("owner/template", "docs/a b.md", ref="v2") == data
    assert gh.requests[-1].headers["Accept"] == "application/vnd.github.raw+json"
    with pytest.raises(GitHubNotFoundError) as info:
        client.get_file("owner/template", "missing.json")
    assert info.value.status == 404


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault(status=500), GitHubUnavailableError),
        (Fault(status=403), GitHubPermissionError),
        (Fault(status=403, headers={"X-RateLimit-Remaining": "0"}), GitHubRateLimitError),
        (Fault(malformed=True), GitHubResponseError),
        (Fault(delay=1.5), GitHubUnavailableError),  # read timeout is 0.5 s
    ],
)
def test_failures_are_typed_and_never_show_the_token(
    gh: FakeGitHub, client: GitHubClient, fault: Fault, error: type[GitHubError]
) -> None:
    gh.fail("POST", r"/repos/.*/issues", fault)
    with pytest.raises(error) as info:
        client.create_issue(REPO, "t", "b")
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)


def test_wrong_token_is_a_permission_error(gh: FakeGitHub) -> None:
    with (
        GitHubClient("wrong-token", api_url=gh.url) as bad,
        pytest.raises(GitHubPermissionError) as info,
    ):
        bad.list_open_issues(REPO, "x")
    assert info.value.status == 401
    assert "wrong-token" not in str(info.value)


def test_connection_refused_is_unavailable() -> None:
    with FakeGitHub() as fake:
        url = fake.url
    # The server is closed now: nothing listens on that port.
    with (
        GitHubClient(TOKEN, api_url=url, timeout=(0.5, 0.5)) as c,
        pytest.raises(GitHubUnavailableError),
    ):
        c.list_open_issues(REPO, "x")


def test_rejects_bad_repository_names(client: GitHubClient) -> None:
    with pytest.raises(GitHubError):
        client.list_open_issues("not-a-repo", "x")
    with pytest.raises(GitHubError):
        client.list_open_issues("../../etc", "x")
