"""Command line: argument parsing, logging, exit codes — nothing else.

``section11`` (sync, the default) keeps the reference script's flags; ``section11 manifest``
and ``section11 schemas`` are maintainer commands.

Exit codes: 0 ok, 2 usage/configuration error, 3 authentication error, 4 API unavailable
after retries, 1 anything else.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from section11 import __version__
from section11.clock import Clock, SystemClock
from section11.config import WEEKDAYS, resolve_settings
from section11.errors import ConfigError, Section11Error
from section11.legacy_flags import translate_legacy_flags
from section11.lock import LockHeldError
from section11.privacy.levels import LEVEL_NAMES
from section11.safetext import neutralize

log = logging.getLogger("section11")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
# A sync holding the lock for this long is stuck, not slow (a first run takes minutes).
_STUCK_SECONDS = 2 * 3600


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{message} (see --help)")


def build_sync_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="section11",
        description=(
            "Mirror your Intervals.icu training data into JSON files for AI coaches "
            "(latest.json, history.json, intervals.json, routes.json, ftp_history.json). "
            "Other commands: 'section11 check' (verify your setup), 'section11 setup', "
            "'section11 manifest --help', 'section11 schemas --help', "
            "'section11 examples --help', 'section11 garmin-login --help'; workouts and "
            "the calendar: 'section11 workout', "
            "'push', 'list', 'move', 'delete', 'set-threshold', 'annotate', 'pull' "
            "(see docs/workouts.md). The reference script's flags are accepted or "
            "answered with what to use instead (docs/migration.md)."
        ),
        epilog="Exit codes: 0 ok, 2 configuration error, 3 authentication error, "
        "4 Intervals.icu unavailable, 1 other error.",
    )
    creds = parser.add_argument_group("credentials (else env ATHLETE_ID / INTERVALS_KEY)")
    creds.add_argument("--athlete-id", help="Intervals.icu athlete id, e.g. i123456")
    creds.add_argument("--intervals-key", help="Intervals.icu API key (prefer the env var)")
    data = parser.add_argument_group("what to write")
    data.add_argument(
        "--days", help="days of activities and wellness listed in latest.json (1-28, default 7)"
    )
    data.add_argument(
        "--output",
        metavar="FILE",
        help="path of latest.json; the other files go to the same folder",
    )
    data.add_argument(
        "--output-dir", metavar="DIR", help="folder for all output files (default: current)"
    )
    data.add_argument(
        "--week-start",
        metavar="DAY",
        help=f"first day of the training week: {', '.join(WEEKDAYS)} (default mon; env WEEK_START)",
    )
    data.add_argument(
        "--zone-preference",
        metavar="PREFS",
        help="zone basis per sport, e.g. run:hr,cycling:power (env ZONE_PREFERENCE)",
    )
    data.add_argument(
        "--no-anonymize",
        action="store_true",
        default=None,
        help="the same as --privacy full",
    )
    data.add_argument(
        "--privacy",
        metavar="LEVEL",
        help=f"what the files may reveal, one of {', '.join(LEVEL_NAMES)}: full (local files "
        "only), standard (default; a private repository), strict (a public repository or "
        "shared drive), metrics (numbers only); env SECTION11_PRIVACY",
    )
    data.add_argument(
        "--rebuild-history",
        action="store_true",
        default=None,
        help="refetch the full 3-year history instead of updating it",
    )
    source = parser.add_argument_group("source")
    source.add_argument(
        "--api-base", metavar="URL", help="Intervals.icu API base URL (env INTERVALS_API_BASE)"
    )
    source.add_argument(
        "--source",
        choices=("intervals", "garmin", "both"),
        help="intervals, garmin or both (env SECTION11_SOURCE; default both when "
        "GARMIN_TOKENS is set, else intervals; see docs/garmin.md)",
    )
    source.add_argument(
        "--demo",
        action="store_true",
        default=None,
        help="sync the built-in demo athlete (no credentials needed)",
    )
    run = parser.add_argument_group("running")
    run.add_argument(
        "--config",
        metavar="FILE",
        help="JSON config file (default ~/.config/section11/config.json)",
    )
    run.add_argument(
        "--publish",
        action="store_true",
        default=None,
        help="commit and push the files when the output folder is a git checkout",
    )
    run.add_argument(
        "--allow-public-repo",
        action="store_true",
        default=None,
        help="with --publish in GitHub Actions: publish to a public repository at a privacy "
        "level below strict (env SECTION11_ALLOW_PUBLIC_REPO=true)",
    )
    run.add_argument(
        "--archive-days",
        metavar="N",
        help="with --publish: keep archive snapshots for N days (default 30, 0 = none)",
    )
    run.add_argument(
        "--lockfile",
        nargs="?",
        const="",
        metavar="PATH",
        help="skip this run if another sync holds the lock (default <output>/.section11/sync.lock)",
    )
    run.add_argument("--log-file", metavar="FILE", help="also log to FILE (rotated at 1 MB)")
    run.add_argument("--quiet", action="store_true", default=None, help="only print problems")
    run.add_argument("--debug", action="store_true", default=None, help="verbose output")
    run.add_argument("--version", action="version", version=f"section11 {__version__}")
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    clock: Clock | None = None,
) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    environ = dict(os.environ if env is None else env)
    try:
        args = translate_legacy_flags(args)
        if args and args[0] in _calendar_commands():
            from section11.commands import run_command

            return run_command(args[0], args[1:], environ, clock or SystemClock())
        if args and args[0] == "garmin-login":
            from section11.sources.garmin.login import garmin_login_command

            return garmin_login_command(args[1:], environ)
        if args and args[0] in _MAINTENANCE:
            what, folder, action = _MAINTENANCE[args[0]]
            return _maintenance_command(args[0], what, folder, action, args[1:])
        if args and args[0] in _SETUP_COMMANDS:
            return _SETUP_COMMANDS[args[0]](args[1:], environ)
        return _sync_command(args, environ, clock or SystemClock())
    except Section11Error as exc:
        _print_error(str(exc), environ)
        return exc.exit_code
    except KeyboardInterrupt:
        _print_error("interrupted; files on disk were left as they were")
        return 130


def _sync_command(args: list[str], env: Mapping[str, str], clock: Clock) -> int:
    from section11.logsetup import configure_logging, register_secret
    from section11.pipeline import run
    from section11.sources.garmin.login import register_garmin_secrets

    register_secret(env.get("GITHUB_TOKEN"))
    register_secret(env.get("INTERVALS_KEY"))
    # Logging first, from the raw arguments: every later error (a bad flag or setting
    # included) also reaches --log-file, the only trail when stderr goes nowhere.
    log_file = _flag_value(args, "--log-file")
    try:
        configure_logging(
            level=logging.DEBUG if "--debug" in args else logging.INFO,
            quiet="--quiet" in args,
            log_file=Path(log_file).expanduser() if log_file else None,
        )
    except OSError as exc:
        raise ConfigError(
            f"cannot write the log file {log_file}: {_os_reason(exc)}; choose another --log-file"
        ) from None
    parsed = build_sync_parser().parse_args(args)
    values = vars(parsed)
    warnings: list[str] = []
    settings = resolve_settings(values, env, warnings=warnings)
    if settings.intervals_key is not None:
        register_secret(settings.intervals_key.reveal())
    register_garmin_secrets(settings.garmin.tokens)
    for warning in warnings:
        log.warning(warning)
    try:
        return run(settings, clock=clock, env=env)
    except LockHeldError as exc:
        # Usually not a problem: the other run does the work, so this is an info line
        # (in the log file even with --quiet). A holder running for hours is stuck, and
        # that is worth a warning on the console too.
        stuck = exc.held_seconds is not None and exc.held_seconds >= _STUCK_SECONDS
        log.log(logging.WARNING if stuck else logging.INFO, "%s", exc)
        return exc.exit_code
    except Section11Error:
        raise
    except Exception as exc:  # last resort: one line, details only with --debug
        log.debug("unexpected error", exc_info=True)
        _print_error(
            f"unexpected {type(exc).__name__}: {exc}; files on disk were left unchanged. "
            "Run again with --debug for details and report it if it persists",
            env,
        )
        return EXIT_FAILURE


def _maintenance_command(
    name: str, what: str, default_folder: str, run: Callable[[Path, bool], int], args: list[str]
) -> int:
    """``section11 <name> --generate|--check [--dir DIR]`` for a generated artefact."""
    parser = _Parser(prog=f"section11 {name}", description=f"Maintain {what}")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--generate", action="store_true", help=f"write {what}")
    mode.add_argument("--check", action="store_true", help=f"exit 1 if {what} is stale")
    parser.add_argument("--dir", default=default_folder, help=f"folder (default: {default_folder})")
    parsed = parser.parse_args(args)
    return run(Path(parsed.dir), bool(parsed.generate))


def _manifest(folder: Path, generate: bool) -> int:
    from section11.publish.manifest import main_manifest

    return main_manifest(folder, generate=generate)


def _schemas(folder: Path, generate: bool) -> int:
    from section11.schemas import main_schemas

    return main_schemas(folder, generate=generate)


def _examples(folder: Path, generate: bool) -> int:
    from section11.demo.examples import main_examples

    return main_examples(folder, generate=generate)


_MAINTENANCE: dict[str, tuple[str, str, Callable[[Path, bool], int]]] = {
    "manifest": ("manifest.json", ".", _manifest),
    "schemas": ("the JSON Schemas in schemas/", "schemas", _schemas),
    "examples": ("the demo example files", "examples/output", _examples),
}


def _calendar_commands() -> frozenset[str]:
    # Workout conversion and calendar writes: section11/commands (JSON on stdout).
    from section11.commands import COMMANDS

    return COMMANDS


def _print_error(message: str, env: Mapping[str, str] | None = None) -> None:
    from section11.logsetup import log_to_file_only, redact

    message = redact(message)
    print(f"section11: error: {neutralize(message)}", file=sys.stderr)
    log_to_file_only(logging.ERROR, message)
    if env is not None and env.get("GITHUB_ACTIONS") == "true":
        from section11.publish.actions import annotate, render_failure_summary, write_job_summary

        # An annotation puts the problem on the workflow run page, where the athlete looks;
        # the job summary says it plainly too.
        print(annotate("error", message), flush=True)
        # The summary is a courtesy; the error line above is what counts.
        with contextlib.suppress(OSError):
            write_job_summary(render_failure_summary(message), env)


def _flag_value(args: Sequence[str], flag: str) -> str | None:
    """The value of ``flag`` (``--flag VALUE`` or ``--flag=VALUE``), last one wins."""
    found: str | None = None
    for index, arg in enumerate(args):
        if arg == flag and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith(flag + "="):
            found = arg[len(flag) + 1 :]
    return found


def _check(args: list[str], env: Mapping[str, str]) -> int:
    from section11.check import main_check

    return main_check(args, env)


def _setup(args: list[str], env: Mapping[str, str]) -> int:
    from section11.setup_wizard import main_setup

    return main_setup(args, env)


# Commands for the athlete's setup (``section11 check``, ``section11 setup``).
_SETUP_COMMANDS: dict[str, Callable[[list[str], Mapping[str, str]], int]] = {
    "check": _check,
    "setup": _setup,
}


def _os_reason(exc: OSError) -> str:
    # mkdir of the parent says "File exists" when a part of the path is a file.
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return "a part of its path is a file, not a folder"
    return exc.strerror or str(exc)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
