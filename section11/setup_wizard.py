"""``section11 setup`` (the reference's ``--setup``): write the config file by answering
a few questions.

Asks for the API key, the athlete id (optional: Enter uses the key's own athlete), the
first day of the week and the zone preference; checks each answer with the same rules as
a sync; writes ``~/.config/section11/config.json`` (or ``--config FILE``) readable by you
only. Existing settings in the file are kept unless answered anew. No GitHub token is
asked for: publishing uses git (docs/migration.md).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from section11.config import (
    DEFAULT_CONFIG_PATH,
    WEEKDAYS,
    load_config_file,
    parse_api_key,
    parse_athlete_id,
    parse_week_start,
    parse_zone_preference,
)
from section11.errors import ConfigError

__all__ = ["main_setup"]


def _ask(prompt: str, *, secret: bool = False) -> str:
    if secret and sys.stdin.isatty():
        return getpass.getpass(prompt)
    print(prompt, end="", flush=True)
    line = sys.stdin.readline()
    if not line:
        raise ConfigError("setup needs answers on standard input; it was closed")
    return line.strip()


def _question(
    prompt: str, check: Callable[[str], object], *, secret: bool = False, optional: bool = False
) -> str | None:
    for _ in range(3):
        answer = _ask(prompt, secret=secret)
        if not answer and optional:
            return None
        try:
            check(answer)
        except ConfigError as exc:
            print(f"  {exc}")
            continue
        return answer
    raise ConfigError("setup stopped after three invalid answers; nothing was written")


def main_setup(args: Sequence[str], env: Mapping[str, str]) -> int:
    parser = argparse.ArgumentParser(prog="section11 setup", description=__doc__)
    parser.add_argument("--config", metavar="FILE", help=f"default {DEFAULT_CONFIG_PATH}")
    parsed = parser.parse_args(list(args))
    raw = parsed.config or env.get("SECTION11_CONFIG") or str(DEFAULT_CONFIG_PATH)
    path = Path(raw).expanduser()
    values: dict[str, Any] = load_config_file(path)

    print(f"section11 setup: answers go to {path} (readable by you only).")
    key = _question(
        "Intervals.icu API key (Settings → Developer Settings): ",
        lambda v: parse_api_key(v, "the API key"),
        secret=True,
    )
    athlete = _question(
        "Athlete id, e.g. i123456 (Enter: the key's own athlete): ",
        lambda v: parse_athlete_id(v, "the athlete id"),
        optional=True,
    )
    week = _question(
        f"First day of the training week ({'/'.join(WEEKDAYS)}, Enter: mon): ",
        lambda v: parse_week_start(v, "the week start"),
        optional=True,
    )
    zones = _question(
        "Zone basis per sport, e.g. run:hr,cycling:power (Enter: automatic): ",
        lambda v: parse_zone_preference(v, "the zone preference"),
        optional=True,
    )
    values["intervals_key"] = key
    for name, answer in (("athlete_id", athlete), ("week_start", week), ("zone_preference", zones)):
        if answer is not None:
            values[name] = answer.strip()
    _write_private(path, values)
    print(f"wrote {path}. Next: `section11 check` verifies the key and the athlete id.")
    return 0


def _write_private(path: Path, values: Mapping[str, Any]) -> None:
    """Write the JSON atomically with mode 600 from the start (it holds the API key)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(values, indent=2, sort_keys=True) + "\n")
        os.replace(temp, path)
    except OSError as exc:
        raise ConfigError(
            f"cannot write {path}: {exc.strerror or exc}; choose another --config"
        ) from None
