"""What every calendar command shares: flags, credentials, "today", JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from section11.clock import Clock
from section11.config import resolve_settings
from section11.errors import ConfigError
from section11.sources.intervals_icu.client import IntervalsClient
from section11.sources.intervals_icu.writes import CalendarApi
from section11.workouts.validate import resolve_date

JSON = dict[str, Any]


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line (ConfigError, exit code 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise ConfigError(f"{message} (see --help)")


def new_parser(name: str, description: str, *, api: bool = True, confirm: bool = False) -> Parser:
    parser = Parser(prog=f"section11 {name}", description=description)
    if api:
        creds = parser.add_argument_group("credentials (else env ATHLETE_ID / INTERVALS_KEY)")
        creds.add_argument("--athlete-id", help="Intervals.icu athlete id, e.g. i123456")
        creds.add_argument("--intervals-key", help="Intervals.icu API key (prefer the env var)")
        creds.add_argument(
            "--api-base", metavar="URL", help="API base URL (env INTERVALS_API_BASE)"
        )
        creds.add_argument("--config", metavar="FILE", help="JSON config file")
    parser.add_argument(
        "--timezone",
        metavar="TZ",
        help="IANA timezone that decides 'today' (default: this computer's)",
    )
    if confirm:
        parser.add_argument(
            "--confirm",
            action="store_true",
            help="really write; without it the command only previews and sends nothing",
        )
    return parser


@dataclass
class Context:
    args: argparse.Namespace
    env: Mapping[str, str]
    clock: Clock

    @property
    def today(self) -> date:
        """The local date: ``--timezone`` if given, else this computer's timezone."""
        now = self.clock.now_utc()
        if self.args.timezone:
            try:
                return now.astimezone(ZoneInfo(self.args.timezone)).date()
            except (ZoneInfoNotFoundError, ValueError):
                raise ConfigError(
                    f"--timezone {self.args.timezone!r} is not a timezone name such as "
                    "Europe/Berlin"
                ) from None
        return now.astimezone().date()

    def day(self, text: str, flag: str) -> date:
        try:
            return resolve_date(text, self.today)
        except ValueError:
            raise ConfigError(
                f"{flag} {text!r}: write YYYY-MM-DD, 'today' or '+N' (days from today)"
            ) from None

    def api(self) -> CalendarApi:
        from section11.logsetup import register_secret

        values = {
            "athlete_id": self.args.athlete_id,
            "intervals_key": self.args.intervals_key,
            "api_base": self.args.api_base,
            "config": self.args.config,
        }
        settings = resolve_settings(values, self.env)
        athlete_id, key = settings.require_credentials()
        register_secret(key.reveal())
        return CalendarApi(IntervalsClient(settings.api_base, athlete_id, key))


def emit(payload: JSON) -> None:
    """The command's result as JSON on stdout (what agents read)."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def positive_int(text: str, flag: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"{flag} must be a whole number (got {text!r})") from None
    if value <= 0:
        raise ConfigError(f"{flag} must be positive (got {value})")
    return value
