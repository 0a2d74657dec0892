"""``section11 check``: is the setup right? One line per check, then the raw addresses.

1. The API key and the athlete id: ``/athlete/0`` names the key's own athlete (one
   request); an ATHLETE_ID that differs is named with the right value.
2. Write access to the data repository: a trial push (``git push --dry-run``) from the
   folder, which in GitHub Actions uses the workflow's own token.
3. The ``raw.githubusercontent.com`` addresses of the output files, for the AI.

Exit code 0 when every check passed, 1 when one failed, 2 for a setting that is malformed.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from collections.abc import Mapping, Sequence

import requests

from section11.config import LATEST_FILENAME, Secret, Settings, resolve_settings
from section11.errors import ConfigError
from section11.publish.actions import in_actions, write_job_summary
from section11.publish.git import GitRepo, PublishError

__all__ = ["main_check", "raw_urls"]

OUTPUT_NAMES = (
    LATEST_FILENAME,
    "history.json",
    "intervals.json",
    "routes.json",
    "ftp_history.json",
)
_GITHUB_REMOTE = re.compile(r"github\.com[:/]([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?$")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{message} (see section11 check --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="section11 check",
        description="Verify the API key, the athlete id and write access to the data "
        "repository, and print the addresses your AI should read.",
    )
    parser.add_argument("--athlete-id", help="athlete id to verify (else env ATHLETE_ID)")
    parser.add_argument("--intervals-key", help="API key (prefer env INTERVALS_KEY)")
    parser.add_argument("--api-base", metavar="URL", help="Intervals.icu API base URL")
    parser.add_argument("--config", metavar="FILE", help="JSON config file")
    parser.add_argument(
        "--output-dir", metavar="DIR", help="the data repository checkout (default: current)"
    )
    return parser


def raw_urls(repo: str, branch: str) -> list[str]:
    """The ``raw.githubusercontent.com`` address of every output file."""
    return [f"https://raw.githubusercontent.com/{repo}/{branch}/{name}" for name in OUTPUT_NAMES]


def main_check(args: Sequence[str], env: Mapping[str, str]) -> int:
    values = vars(_parser().parse_args(list(args)))
    settings = resolve_settings(values, env)  # a malformed id stops here, before any request
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        code = _run_checks(settings, env)
    report = captured.getvalue()
    print(report, end="")
    if in_actions(env):
        # Run from the workflow (a manual run): the result is on the run's page.
        lines = "\n".join(f"    {line}" for line in report.splitlines())
        write_job_summary(f"## section11 setup check\n\n{lines}\n", env)
    return code


def _run_checks(settings: Settings, env: Mapping[str, str]) -> int:
    problems = 0

    if settings.intervals_key is None:
        _say("problem", "INTERVALS_KEY is not set (Intervals.icu → Settings → Developer Settings)")
        problems += 1
    else:
        problems += _check_key(settings.api_base, settings.intervals_key, settings.athlete_id)

    folder = settings.output_dir
    repo = GitRepo(folder)
    branch = "main"
    if not repo.is_repo():
        _say("note", f"{folder} is not a git checkout: publishing (--publish) is not possible")
    else:
        problems += _check_push(repo)
        branch = repo.current_branch() or branch

    name = env.get("GITHUB_REPOSITORY", "").strip() or _repo_from_remote(repo)
    if name:
        print(f"Addresses for your AI (repository {name}, branch {branch}):")
        for url in raw_urls(name, branch):
            print(f"  {url}")
        print(
            "  (in a private repository these answer 404 without a token: use a GitHub "
            "connector in your AI instead)"
        )
    else:
        _say("note", "no GitHub repository found (no github.com remote): no addresses to show")
    print("all checks passed" if problems == 0 else f"{problems} check(s) failed")
    return 0 if problems == 0 else 1


def _say(kind: str, text: str) -> None:
    print(f"{kind}: {text}")


def _check_key(api_base: str, key: Secret, athlete_id: str | None) -> int:
    try:
        response = requests.get(
            f"{api_base}/athlete/0",
            auth=("API_KEY", key.reveal()),
            headers={"Accept": "application/json"},
            timeout=20,
        )
    except requests.RequestException as exc:
        _say("problem", f"Intervals.icu could not be reached ({type(exc).__name__}); try later")
        return 1
    if response.status_code in (401, 403):
        _say(
            "problem",
            f"Intervals.icu refused the API key (HTTP {response.status_code}); copy it again "
            "from Settings → Developer Settings",
        )
        return 1
    owner = _owner(response)
    if response.status_code != 200 or owner is None:
        _say("problem", f"Intervals.icu answered HTTP {response.status_code}; try again later")
        return 1
    _say("ok", f"the API key works and belongs to athlete {owner}")
    if athlete_id is None:
        _say("ok", "ATHLETE_ID is not set: the key's own athlete is used (that is fine)")
        return 0
    if athlete_id != owner:
        _say(
            "problem",
            f"ATHLETE_ID is {athlete_id} but the key belongs to {owner}: set ATHLETE_ID to "
            f"{owner}, or remove it",
        )
        return 1
    _say("ok", f"ATHLETE_ID {athlete_id} matches the key")
    return 0


def _owner(response: requests.Response) -> str | None:
    try:
        data = response.json()
    except ValueError:
        return None
    found = data.get("id") if isinstance(data, dict) else None
    if isinstance(found, int) and not isinstance(found, bool):
        return str(found)
    return found if isinstance(found, str) and found else None


def _check_push(repo: GitRepo) -> int:
    try:
        target = repo.push_target()
    except PublishError as exc:
        _say("problem", str(exc))
        return 1
    if target is None:
        _say("note", "the checkout has no remote: --publish commits locally only")
        return 0
    remote, branch = target
    reason = repo.push_dry_run(remote, branch)
    if reason is not None:
        _say(
            "problem",
            f"{reason}; the sync cannot push (in GitHub Actions: Settings → Actions → General "
            "→ Workflow permissions → Read and write permissions)",
        )
        return 1
    _say("ok", f"write access to {remote}/{branch} (a trial push succeeded)")
    return 0


def _repo_from_remote(repo: GitRepo) -> str | None:
    if not repo.is_repo():
        return None
    try:
        target = repo.push_target()
    except PublishError:
        return None
    url = repo.remote_url(target[0]) if target else None
    found = _GITHUB_REMOTE.search(url) if url else None
    return found.group(1) if found else None
