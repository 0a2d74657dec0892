"""Run a calendar command from the environment variables of a dispatched workflow.

The calendar workflow hands every dispatch input to this module as an environment
variable (``CAL_COMMAND``, ``CAL_MESSAGE``, ...) and never pastes an input into a shell
script: whatever an input holds, it stays one argument. ``--confirm`` is added only when
``CAL_CONFIRM`` is exactly ``true``. The command's JSON also goes to the job summary.

Usage: ``python -m section11.commands.dispatch``
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from section11.errors import ConfigError

#: Commands the workflow may run (``workout`` and ``pull`` make no sense there).
DISPATCHABLE = ("list", "push", "move", "delete", "set-threshold", "annotate")
#: Optional flags: environment variable -> command-line flag.
_FLAGS = {
    "CAL_OLDEST": "--oldest",
    "CAL_NEWEST": "--newest",
    "CAL_CATEGORY": "--category",
    "CAL_SPORT": "--sport",
    "CAL_FTP": "--ftp",
    "CAL_INDOOR_FTP": "--indoor-ftp",
    "CAL_LTHR": "--lthr",
    "CAL_MAX_HR": "--max-hr",
    "CAL_THRESHOLD_PACE": "--threshold-pace",
    "CAL_ACTIVITY_ID": "--activity",
    "CAL_MESSAGE": "--message",
    "CAL_TIMEZONE": "--timezone",
}
_FLAGS_OF = {
    "list": ("CAL_OLDEST", "CAL_NEWEST", "CAL_CATEGORY"),
    "set-threshold": (
        "CAL_SPORT",
        "CAL_FTP",
        "CAL_INDOOR_FTP",
        "CAL_LTHR",
        "CAL_MAX_HR",
        "CAL_THRESHOLD_PACE",
    ),
    "annotate": ("CAL_ACTIVITY_ID", "CAL_MESSAGE"),
}


def argv_from_env(env: Mapping[str, str], plan_dir: Path) -> list[str]:
    """The ``section11`` arguments the inputs ask for; ConfigError when they do not fit."""

    def value(name: str) -> str:
        return env.get(name, "").strip()

    command = value("CAL_COMMAND")
    if command not in DISPATCHABLE:
        raise ConfigError(f"command {command!r} is not one of {', '.join(DISPATCHABLE)}")
    argv = [command]
    if command == "push":
        plan = env.get("CAL_WORKOUTS", "")
        if not plan.strip():
            raise ConfigError("push needs the workouts input (the plan as JSON)")
        path = plan_dir / "plan.json"
        path.write_text(plan, encoding="utf-8")
        argv.append(str(path))
    if command in ("move", "delete"):
        if not value("CAL_EVENT_ID"):
            raise ConfigError(f"{command} needs the event_id input")
        argv.append(value("CAL_EVENT_ID"))
    if command == "move":
        if not value("CAL_DATE"):
            raise ConfigError("move needs the date input")
        argv.append(value("CAL_DATE"))
    if command == "annotate" and value("CAL_EVENT_ID") and not value("CAL_ACTIVITY_ID"):
        argv += ["--event", value("CAL_EVENT_ID")]
    for name in (*_FLAGS_OF.get(command, ()), "CAL_TIMEZONE"):
        if value(name):
            argv += [_FLAGS[name], value(name)]
    if command == "annotate" and value("CAL_CHAT") == "true":
        argv.append("--chat")
    if command != "list" and value("CAL_CONFIRM") == "true":
        argv.append("--confirm")
    return argv


def main() -> int:
    from contextlib import redirect_stdout
    from io import StringIO

    from section11.cli import main as cli_main

    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        try:
            argv = argv_from_env(env, Path(folder))
        except ConfigError as exc:
            print(f"section11: error: {exc}", file=sys.stderr)
            return exc.exit_code
        captured = StringIO()
        with redirect_stdout(captured):
            code = cli_main(argv, env=env)
    output = captured.getvalue()
    sys.stdout.write(output)
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(f"### section11 {argv[0]}\n\n```json\n{output}```\n")
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
