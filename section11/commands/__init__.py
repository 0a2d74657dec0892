"""Commands that act on the Intervals.icu calendar, and the offline workout converter.

Each prints JSON on stdout (``"success": true|false``), writes only with ``--confirm``,
and fails with one line on stderr and a non-zero exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from section11.errors import Section11Error

if TYPE_CHECKING:  # a sync only needs COMMANDS: the commands load when one runs
    from types import ModuleType

    from section11.clock import Clock
    from section11.commands._common import Context, Parser


def _commands() -> dict[str, tuple[Callable[[], Parser], Callable[[Context], int]]]:
    from section11.commands import (
        annotate_cmd,
        calendar_cmds,
        pull_cmd,
        push_cmd,
        settings_cmd,
        workout_cmd,
    )

    def pair(module: ModuleType) -> tuple[Callable[[], Parser], Callable[[Context], int]]:
        return module.build_parser, module.run

    return {
        "workout": pair(workout_cmd),
        "push": pair(push_cmd),
        "list": (calendar_cmds.list_parser, calendar_cmds.run_list),
        "move": (calendar_cmds.move_parser, calendar_cmds.run_move),
        "delete": (calendar_cmds.delete_parser, calendar_cmds.run_delete),
        "set-threshold": pair(settings_cmd),
        "annotate": pair(annotate_cmd),
        "pull": pair(pull_cmd),
    }


#: The subcommand names ``section11 <name>`` hands to ``run_command``.
COMMANDS = frozenset(
    {"workout", "push", "list", "move", "delete", "set-threshold", "annotate", "pull"}
)


def run_command(name: str, args: list[str], env: Mapping[str, str], clock: Clock) -> int:
    """Run one command; errors become ``{"success": false, "error": ...}`` plus one line."""
    from section11.commands._common import Context, emit

    build, run = _commands()[name]
    try:
        parsed = build().parse_args(args)
        return run(Context(parsed, env, clock))
    except Section11Error as exc:
        problems = getattr(exc, "problems", None)
        payload = {"success": False, "command": name, "error": str(exc)}
        if problems:
            payload["problems"] = list(problems)
        emit(payload)
        for line in problems or [str(exc)]:
            print(f"section11: error: {line}", file=sys.stderr)
        return exc.exit_code


__all__ = ["COMMANDS", "run_command"]
