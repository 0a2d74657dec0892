"""An in-memory GitHub REST API on 127.0.0.1, just the endpoints GitHubClient calls.

Issues, comments, labels and files live in dicts. Requests must carry the expected
bearer token. Faults can be injected per endpoint: an HTTP status, a slow answer, or a
malformed JSON body. Every request is recorded for assertions.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

TOKEN = "ghs_fakeTokenValue0123456789abcdef"


@dataclass
class Fault:
    """What to do instead of answering. ``times=None`` means for every matching request."""

    status: int | None = None  # answer with this status and a GitHub-style error body
    delay: float = 0.0  # sleep this long before answering (to trip the client timeout)
    malformed: bool = False  # answer 200 with a body that is not JSON
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = None


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeIssue:
    number: int
    title: str
    body: str
    labels: list[str]
    state: str = "open"
    comments: list[str] = field(default_factory=list)
    pull_request: bool = False


class FakeGitHub:
    """Start with ``with FakeGitHub() as gh:``; ``gh.url`` is the API base URL."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.issues: dict[str, dict[int, FakeIssue]] = {}
        self.labels: dict[str, dict[str, dict[str, str]]] = {}
        self.files: dict[tuple[str, str, str], bytes] = {}  # (repo, ref, path) -> bytes
        self.private: dict[str, bool] = {}  # repo -> its "private" flag (default: private)
        self.requests: list[Recorded] = []
        self._faults: list[tuple[str, re.Pattern[str], Fault]] = []
        self._lock = threading.Lock()
        self._next_number = 1
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> FakeGitHub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test helpers --------------------------------------------------------------------

    def put_file(self, repo: str, path: str, data: bytes, ref: str = "main") -> None:
        self.files[(repo, ref, path)] = data

    def add_issue(
        self, repo: str, title: str, body: str, labels: list[str], *, pull_request: bool = False
    ) -> FakeIssue:
        with self._lock:
            issue = FakeIssue(self._next_number, title, body, list(labels))
            issue.pull_request = pull_request
            self._next_number += 1
            self.issues.setdefault(repo, {})[issue.number] = issue
            return issue

    def open_issues(self, repo: str) -> list[FakeIssue]:
        return [i for i in self.issues.get(repo, {}).values() if i.state == "open"]

    def fail(self, method: str, path_regex: str, fault: Fault) -> None:
        """Apply ``fault`` to requests whose method and path match (path is a regex)."""
        self._faults.append((method.upper(), re.compile(path_regex), fault))

    def clear_faults(self) -> None:
        self._faults.clear()

    def count(self, method: str, path_regex: str = ".*") -> int:
        pattern = re.compile(path_regex)
        return sum(1 for r in self.requests if r.method == method and pattern.fullmatch(r.path))

    # -- dispatch ------------------------------------------------------------------------

    def _fault_for(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for m, pattern, fault in self._faults:
                if m == method and pattern.fullmatch(path):
                    if fault.times is not None:
                        if fault.times <= 0:
                            continue
                        fault.times -= 1
                    return fault
        return None

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, accept: str
    ) -> tuple[int, Any, str]:
        """Return (status, payload, content type). Payload bytes are sent verbatim."""
        rm = re.fullmatch(r"/repos/([^/]+/[^/]+)", path)
        if rm and method == "GET":
            repo = rm.group(1)
            return 200, {"full_name": repo, "private": self.private.get(repo, True)}, "json"
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/(.*)", path)
        if not m:
            return 404, {"message": "Not Found"}, "json"
        repo, rest = m.group(1), m.group(2)
        with self._lock:
            if rest == "issues" and method == "GET":
                return 200, self._list_issues(repo, query), "json"
            if rest == "issues" and method == "POST":
                return 201, self._create_issue(repo, body), "json"
            im = re.fullmatch(r"issues/(\d+)(/comments)?", rest)
            if im:
                issue = self.issues.get(repo, {}).get(int(im.group(1)))
                if issue is None:
                    return 404, {"message": "Not Found"}, "json"
                if im.group(2) and method == "POST":
                    issue.comments.append(str(body["body"]))
                    return 201, {"id": len(issue.comments), "body": body["body"]}, "json"
                if not im.group(2) and method == "PATCH":
                    for key in ("title", "body", "state"):
                        if key in body:
                            setattr(issue, key, body[key])
                    return 200, _issue_json(repo, issue), "json"
                if not im.group(2) and method == "GET":
                    return 200, _issue_json(repo, issue), "json"
            lm = re.fullmatch(r"labels/([^/]+)", rest)
            if lm and method == "GET":
                label = self.labels.get(repo, {}).get(lm.group(1))
                if label is None:
                    return 404, {"message": "Not Found"}, "json"
                return 200, label, "json"
            if rest == "labels" and method == "POST":
                existing = self.labels.setdefault(repo, {})
                if body["name"] in existing:
                    return 422, {"message": "Validation Failed"}, "json"
                existing[body["name"]] = dict(body)
                return 201, dict(body), "json"
            cm = re.fullmatch(r"contents/(.+)", rest)
            if cm and method == "GET":
                ref = query.get("ref", ["main"])[0]
                data = self.files.get((repo, ref, cm.group(1)))
                if data is None:
                    return 404, {"message": "Not Found"}, "json"
                if accept != "application/vnd.github.raw+json":
                    return 415, {"message": "this fake only serves the raw media type"}, "json"
                return 200, data, "raw"
        return 404, {"message": "Not Found"}, "json"

    def _list_issues(self, repo: str, query: dict[str, list[str]]) -> list[dict[str, Any]]:
        wanted = set(query.get("labels", [""])[0].split(",")) - {""}
        state = query.get("state", ["open"])[0]
        per_page = int(query.get("per_page", ["30"])[0])
        page = int(query.get("page", ["1"])[0])
        found = [
            _issue_json(repo, i)
            for i in sorted(self.issues.get(repo, {}).values(), key=lambda i: i.number)
            if (state == "all" or i.state == state) and wanted <= set(i.labels)
        ]
        return found[(page - 1) * per_page : page * per_page]

    def _create_issue(self, repo: str, body: dict[str, Any]) -> dict[str, Any]:
        issue = FakeIssue(self._next_number, body["title"], body.get("body", ""), body["labels"])
        self._next_number += 1
        self.issues.setdefault(repo, {})[issue.number] = issue
        return _issue_json(repo, issue)


def _issue_json(repo: str, issue: FakeIssue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": issue.number,
        "title": issue.title,
        "body": issue.body,
        "state": issue.state,
        "labels": [{"name": name} for name in issue.labels],
        "html_url": f"https://github.com/{repo}/issues/{issue.number}",
    }
    if issue.pull_request:
        data["pull_request"] = {"url": "x"}
    return data


def _handler_for(fake: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            query = parse_qs(parts.query)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            fake.requests.append(
                Recorded(self.command, path, query, dict(self.headers.items()), body)
            )
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                self._send(401, {"message": "Bad credentials"}, "json")
                return
            fault = fake._fault_for(self.command, path)
            if fault is not None:
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.malformed:
                    self._send(200, b'{"number": 1, "title": ', "rawjson")
                    return
                if fault.status is not None:
                    self._send(fault.status, {"message": "injected failure"}, "json", fault.headers)
                    return
            status, payload, kind = fake.handle(
                self.command, path, query, body, self.headers.get("Accept", "")
            )
            self._send(status, payload, kind)

        def _send(
            self, status: int, payload: Any, kind: str, headers: dict[str, str] | None = None
        ) -> None:
            if kind == "json":
                data = json.dumps(payload).encode()
                ctype = "application/json; charset=utf-8"
            else:
                data = payload
                ctype = "application/json" if kind == "rawjson" else "application/octet-stream"
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        do_GET = do_POST = do_PATCH = _serve

    return Handler
