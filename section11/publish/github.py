"""A small GitHub REST client: the few Issues, Labels and Contents endpoints we use.

One ``requests.Session`` with bearer auth, explicit timeouts and typed errors. No retries:
the callers (the daily update check) run again on the next sync, and retrying a POST could
create a duplicate Issue. Error messages name the request and the HTTP status, never the
token; any text that came back from the network is scrubbed of it all the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote

import requests

from section11 import __version__
from section11.errors import Section11Error
from section11.safetext import neutralize

DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 15.0)  # (connect, read) seconds

_JSON_MEDIA_TYPE = "application/vnd.github+json"
_RAW_MEDIA_TYPE = "application/vnd.github.raw+json"
_REPO_RE = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_MAX_PAGES = 10  # 1,000 open issues with one label is far beyond anything we create


class GitHubError(Section11Error):
    """A GitHub API request failed. ``status`` is the HTTP status, or None without a response."""

    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHubPermissionError(GitHubError):
    """401/403 without rate limiting: the token lacks a permission (or is invalid)."""


class GitHubRateLimitError(GitHubError):
    """403/429 with the rate limit exhausted."""


class GitHubNotFoundError(GitHubError):
    """404: the repository, file or issue does not exist or is not visible to the token."""


class GitHubUnavailableError(GitHubError):
    """Timeouts, connection errors and 5xx responses."""


class GitHubResponseError(GitHubError):
    """A 2xx response whose body is not what the endpoint documents (e.g. malformed JSON)."""


@dataclass(frozen=True)
class Issue:
    """The fields of an Issue we use."""

    number: int
    title: str
    body: str
    state: str
    labels: tuple[str, ...]
    html_url: str


def validate_repo(repo: str) -> str:
    """Return ``repo`` if it looks like ``owner/name``, else raise GitHubError."""
    if not _REPO_RE.match(repo) or ".." in repo:
        raise GitHubError(f"not a GitHub repository name (expected owner/name): {repo!r}")
    return repo


class GitHubClient:
    """Issues, labels and file contents over the GitHub REST API.

    ``api_url`` defaults to ``$GITHUB_API_URL`` (set by GitHub Actions, also on GitHub
    Enterprise Server) and then to https://api.github.com.
    """

    def __init__(
        self,
        token: str,
        *,
        api_url: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        if not token.strip():
            raise GitHubError("no GitHub token given (GITHUB_TOKEN is empty)")
        self._token = token.strip()
        base = api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL
        self.api_url = base.rstrip("/")
        self.timeout = timeout
        self._session = session or requests.Session()
        self._session.headers.update(
            {
                "Authorization": f"Bearer {self._token}",
                "Accept": _JSON_MEDIA_TYPE,
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": f"section11/{__version__}",
            }
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GitHubClient | None:
        """A client from ``GITHUB_TOKEN`` / ``GITHUB_API_URL``, or None without a token."""
        source = os.environ if env is None else env
        token = source.get("GITHUB_TOKEN", "").strip()
        if not token:
            return None
        return cls(token, api_url=source.get("GITHUB_API_URL") or None)

    # -- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:  # never show the token
        return f"GitHubClient(api_url={self.api_url!r})"

    # -- repository --------------------------------------------------------------------

    def repository_is_private(self, repo: str) -> bool:
        """GitHub's ``private`` flag of ``repo``; GitHubResponseError when it is missing."""
        path = f"/repos/{validate_repo(repo)}"
        data = self._json("GET", path)
        private = data.get("private") if isinstance(data, dict) else None
        if not isinstance(private, bool):
            raise GitHubResponseError(f"GET {path}: GitHub did not say whether it is private")
        return private

    # -- issues ------------------------------------------------------------------------

    def list_open_issues(self, repo: str, label: str) -> list[Issue]:
        """Open issues (not pull requests) carrying ``label``, oldest first."""
        path = f"/repos/{validate_repo(repo)}/issues"
        issues: list[Issue] = []
        for page in range(1, _MAX_PAGES + 1):
            params = {
                "labels": label,
                "state": "open",
                "per_page": "100",
                "page": str(page),
                "sort": "created",
                "direction": "asc",
            }
            data = self._json("GET", path, params=params)
            if not isinstance(data, list):
                raise GitHubResponseError(f"GET {path}: expected a JSON list of issues")
            issues.extend(
                _parse_issue(item, path)
                for item in data
                if isinstance(item, dict) and "pull_request" not in item
            )
            if len(data) < 100:
                break
        return issues

    def create_issue(self, repo: str, title: str, body: str, labels: tuple[str, ...] = ()) -> Issue:
        path = f"/repos/{validate_repo(repo)}/issues"
        payload: dict[str, Any] = {
            "title": neutralize(title),
            "body": neutralize(body, multiline=True),
            "labels": list(labels),
        }
        return _parse_issue(self._json("POST", path, json=payload), path)

    def update_issue(
        self, repo: str, number: int, *, title: str | None = None, body: str | None = None
    ) -> Issue:
        path = f"/repos/{validate_repo(repo)}/issues/{int(number)}"
        payload: dict[str, Any] = {}
        if title is not None:
            payload["title"] = neutralize(title)
        if body is not None:
            payload["body"] = neutralize(body, multiline=True)
        return _parse_issue(self._json("PATCH", path, json=payload), path)

    def add_comment(self, repo: str, number: int, body: str) -> None:
        path = f"/repos/{validate_repo(repo)}/issues/{int(number)}/comments"
        self._json("POST", path, json={"body": neutralize(body, multiline=True)})

    def close_issue(self, repo: str, number: int, comment: str | None = None) -> Issue:
        """Close an issue, first adding ``comment`` when given."""
        if comment:
            self.add_comment(repo, number, comment)
        path = f"/repos/{validate_repo(repo)}/issues/{int(number)}"
        payload = {"state": "closed", "state_reason": "completed"}
        return _parse_issue(self._json("PATCH", path, json=payload), path)

    # -- labels ------------------------------------------------------------------------

    def ensure_label(self, repo: str, name: str, *, color: str, description: str) -> None:
        """Create the label unless it exists. A concurrent creation (422) counts as success."""
        repo = validate_repo(repo)
        try:
            self._json("GET", f"/repos/{repo}/labels/{quote(name, safe='')}")
            return
        except GitHubNotFoundError:
            pass
        payload = {"name": name, "color": color, "description": description}
        try:
            self._json("POST", f"/repos/{repo}/labels", json=payload)
        except GitHubError as exc:
            if exc.status != 422:  # 422 "already_exists"
                raise

    # -- contents ----------------------------------------------------------------------

    def get_file(self, repo: str, path: str, *, ref: str = "main") -> bytes:
        """The exact bytes of ``path`` in ``repo`` at ``ref`` (private repos included)."""
        url_path = f"/repos/{validate_repo(repo)}/contents/{quote(path.lstrip('/'), safe='/')}"
        response = self._request(
            "GET", url_path, params={"ref": ref}, headers={"Accept": _RAW_MEDIA_TYPE}
        )
        return response.content

    # -- transport ---------------------------------------------------------------------

    def _json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
    ) -> Any:
        response = self._request(method, path, params=params, json=json)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            raise GitHubResponseError(
                f"{method} {path}: GitHub returned a body that is not valid JSON",
                status=response.status_code,
            ) from None

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        what = f"{method} {path}"
        try:
            response = self._session.request(
                method,
                self.api_url + path,
                params=params,
                json=json,
                headers=dict(headers) if headers else None,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise GitHubUnavailableError(
                f"{what}: GitHub did not answer within {self.timeout[1]:g} s"
            ) from None
        except requests.RequestException as exc:
            # ``from None``: the chained exception may carry request details we do not control.
            raise GitHubUnavailableError(
                f"{what}: could not reach GitHub ({self._scrub(type(exc).__name__)})"
            ) from None
        if response.status_code >= 400:
            raise self._error_for(what, response)
        return response

    def _error_for(self, what: str, response: requests.Response) -> GitHubError:
        status = response.status_code
        detail = self._scrub(_error_message(response))
        text = f"{what}: HTTP {status}" + (f" ({detail})" if detail else "")
        remaining = response.headers.get("X-RateLimit-Remaining")
        if status == 429 or (status == 403 and remaining == "0"):
            return GitHubRateLimitError(f"{text}; the API rate limit is used up", status=status)
        if status in (401, 403):
            return GitHubPermissionError(text, status=status)
        if status == 404:
            return GitHubNotFoundError(text, status=status)
        if status >= 500:
            return GitHubUnavailableError(text, status=status)
        return GitHubError(text, status=status)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def _error_message(response: requests.Response) -> str:
    """GitHub's one-line ``message`` from an error body, shortened; '' if there is none."""
    try:
        data = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return " ".join(data["message"].split())[:200]
    return ""


def _parse_issue(data: Any, path: str) -> Issue:
    if not isinstance(data, dict):
        raise GitHubResponseError(f"{path}: expected a JSON object describing an issue")
    try:
        number = int(data["number"])
    except (KeyError, TypeError, ValueError):
        raise GitHubResponseError(f"{path}: issue without a number") from None
    labels = tuple(
        str(label["name"])
        for label in data.get("labels") or []
        if isinstance(label, dict) and "name" in label
    )
    return Issue(
        number=number,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        state=str(data.get("state") or ""),
        labels=labels,
        html_url=str(data.get("html_url") or ""),
    )
