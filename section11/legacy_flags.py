"""The reference script's flags: each is honoured with the same meaning where that makes
sense here, or answered with one line saying what to use instead (docs/migration.md).

- ``--generate-history`` rebuilds history.json from three years of data: ``--rebuild-history``.
- ``--generate-manifest`` writes manifest.json: ``section11 manifest --generate``.
- ``--setup`` writes the config file interactively: ``section11 setup``.
- ``--init``, ``--update``, ``--github-token``, ``--github-repo`` belong to the reference's
  download-and-upload model; git does that job here, so they get a migration hint.
"""

from __future__ import annotations

from section11.errors import ConfigError

__all__ = ["translate_legacy_flags"]

# Same meaning, new spelling: the argument list is rewritten and the run goes on.
_RENAMED = {"--generate-history": "--rebuild-history"}

# Maintainer/setup commands: the whole command line becomes this command.
_COMMANDS = {"--generate-manifest": ["manifest", "--generate"], "--setup": ["setup"]}

_HINTS = {
    "--init": (
        "--init is not needed: get the code with `git clone https://github.com/section11/"
        "section11.git` and install requirements.txt (docs/local-sync.md)"
    ),
    "--update": (
        "--update is replaced by git: run `git pull` in your section11 checkout; a data "
        "repository on GitHub gets an update Issue with instructions (docs/migration.md)"
    ),
    "--github-token": (
        "--github-token is not used: in GitHub Actions the workflow's own token publishes; "
        "locally use --publish in a git clone of your data repository (docs/migration.md)"
    ),
    "--github-repo": (
        "--github-repo is not used: --publish pushes to the clone's own remote, so run it in "
        "a git clone of your data repository (docs/migration.md)"
    ),
}


def translate_legacy_flags(args: list[str]) -> list[str]:
    """``args`` with the reference's flags translated; ConfigError (exit 2) with a
    one-line hint for a flag that has no counterpart here."""
    for arg in args:
        flag = arg.split("=", 1)[0]
        if flag in _HINTS:
            raise ConfigError(_HINTS[flag])
        if flag in _COMMANDS:
            return [*_COMMANDS[flag], *(other for other in args if other != arg)]
    return [_RENAMED.get(arg, arg) for arg in args]
