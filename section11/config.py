"""Settings for one run, resolved CLI > environment > config file, each value validated.

A bad value stops the run before any request with one line that names the setting, says
what is wrong and what a good value looks like (exit code 2).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from section11.errors import ConfigError
from section11.privacy.levels import (
    DEFAULT_LEVEL,
    PrivacyLevel,
    parse_flag,
    parse_privacy_level,
)
from section11.sources.garmin.settings import GarminSettings, resolve_garmin_settings

DEFAULT_API_BASE = "https://intervals.icu/api/v1"
DEFAULT_CONFIG_PATH = Path("~/.config/section11/config.json")
LATEST_FILENAME = "latest.json"
STATE_DIR = ".section11"  # caches and run state inside the output folder (not for the AI)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = {
    **{name: index for index, name in enumerate(WEEKDAYS)},
    **{
        full: index
        for index, full in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}

SPORT_FAMILY_NAMES = ("cycling", "run", "ski", "rowing", "swim", "walk", "strength", "other")
ZoneBasis = Literal["power", "hr"]

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_DAYS = 28


class Secret:
    """A credential that never shows itself in repr/str/logs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    athlete_id: str | None
    intervals_key: Secret | None
    output_dir: Path
    latest_name: str = LATEST_FILENAME
    days: int = 7
    week_start: int = 0
    zone_preference: Mapping[str, ZoneBasis] = field(default_factory=dict)
    anonymize: bool = True  # False only at privacy level full
    privacy: PrivacyLevel = DEFAULT_LEVEL
    allow_public_repo: bool = False  # publish below strict to a public repository anyway
    api_base: str = DEFAULT_API_BASE
    demo: bool = False
    debug: bool = False
    quiet: bool = False
    publish: bool = False
    lockfile: Path | None = None
    log_file: Path | None = None
    rebuild_history: bool = False
    archive_days: int = 30
    template_repo: str | None = None
    config_path: Path | None = None
    garmin: GarminSettings = field(default_factory=lambda: GarminSettings(source="intervals"))

    @property
    def latest_path(self) -> Path:
        return self.output_dir / self.latest_name

    @property
    def week_start_name(self) -> str:
        return WEEKDAYS[self.week_start]

    def require_credentials(self) -> tuple[str, Secret]:
        """(athlete id, key); without ATHLETE_ID the id is the API's "key owner" (0)."""
        if self.demo:
            raise AssertionError("demo runs use the demo athlete's credentials")
        if self.intervals_key is None:
            raise ConfigError(
                "missing INTERVALS_KEY: pass --intervals-key, set the environment variable, "
                "or put it in the config file (ATHLETE_ID is optional) "
                "(or try --demo to run on the built-in demo athlete)"
            )
        from section11.athlete_id import KEY_OWNER

        return self.athlete_id or KEY_OWNER, self.intervals_key


# --------------------------------------------------------------------------- parsing


def parse_week_start(value: str, source: str) -> int:
    key = value.strip().lower()
    if key in _WEEKDAY_NAMES:
        return _WEEKDAY_NAMES[key]
    raise ConfigError(f"{source} must be one of {', '.join(WEEKDAYS)} (got {value!r})")


def parse_zone_preference(value: str, source: str) -> dict[str, ZoneBasis]:
    """Parse ``run:hr,cycling:power`` into ``{"run": "hr", "cycling": "power"}``."""
    result: dict[str, ZoneBasis] = {}
    for raw_pair in value.split(","):
        pair = raw_pair.strip()
        if not pair:
            continue
        sport, sep, basis = pair.partition(":")
        sport, basis = sport.strip().lower(), basis.strip().lower()
        if not sep or not sport or not basis:
            raise ConfigError(
                f"{source}: {pair!r} is not sport:basis; use e.g. run:hr,cycling:power"
            )
        if sport not in SPORT_FAMILY_NAMES:
            raise ConfigError(
                f"{source}: unknown sport {sport!r}; use one of {', '.join(SPORT_FAMILY_NAMES)}"
            )
        if basis not in ("power", "hr"):
            raise ConfigError(f"{source}: basis for {sport} must be power or hr (got {basis!r})")
        result[sport] = "power" if basis == "power" else "hr"
    return result


def parse_athlete_id(value: str, source: str) -> str:
    from section11.athlete_id import check_athlete_id

    return check_athlete_id(value, source)


def parse_api_key(value: str, source: str) -> Secret:
    candidate = value.strip()
    if not candidate or any(ch.isspace() for ch in candidate):
        raise ConfigError(
            f"{source} is empty or contains spaces; copy the API key from Intervals.icu "
            "Settings → Developer Settings"
        )
    return Secret(candidate)


def parse_days(value: Any, source: str) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source} must be a whole number of days (got {value!r})") from None
    if not 1 <= days <= MAX_DAYS:
        raise ConfigError(f"{source} must be between 1 and {MAX_DAYS} (got {days})")
    return days


def parse_archive_days(value: Any, source: str) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        raise ConfigError(f"{source} must be a whole number of days (got {value!r})") from None
    if days < 0:
        raise ConfigError(f"{source} must be 0 (no archive) or more (got {days})")
    return days


def parse_api_base(value: str, source: str) -> str:
    candidate = value.strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+", candidate):
        raise ConfigError(f"{source} must be an http(s) URL such as {DEFAULT_API_BASE}")
    parts = urlsplit(candidate)
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{source} must not contain a user name or password")
    if parts.scheme.lower() != "https" and (parts.hostname or "") not in _LOOPBACK_HOSTS:
        raise ConfigError(
            f"{source} must be an https URL: the API key would travel unencrypted "
            f"(plain http is only accepted for this machine, e.g. http://127.0.0.1:8080)"
        )
    return candidate


def load_config_file(path: Path) -> dict[str, Any]:
    """Read the optional JSON config file; a broken file is an error, never ignored."""
    try:
        raw = path.read_text(encoding="utf-8-sig")  # -sig: Notepad saves a BOM
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(
            f"config file {path} is not UTF-8 text; save it as UTF-8 JSON or remove it"
        ) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"config file {path} is not valid JSON (line {exc.lineno}, column {exc.colno}); "
            "fix it or remove it"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must contain a JSON object")
    return data


# Keys the config file understands, and the JSON types each accepts.
CONFIG_KEYS: dict[str, tuple[type, ...]] = {
    "athlete_id": (str,),
    "intervals_key": (str,),
    "week_start": (str,),
    "zone_preference": (str,),
    "days": (int, str),
    "api_base": (str,),
    "archive_days": (int, str),
    "template_repo": (str,),
    "privacy": (str,),
}


def _check_config_values(values: Mapping[str, Any], path: Path, notes: list[str]) -> None:
    """A value of the wrong JSON type is an error; an unknown key (a typo) is a warning."""
    for key, value in values.items():
        allowed = CONFIG_KEYS.get(key)
        if allowed is None:
            notes.append(
                f"config file {path}: unknown setting {key!r} ignored; known settings: "
                + ", ".join(CONFIG_KEYS)
            )
        elif value is not None and (isinstance(value, bool) or not isinstance(value, allowed)):
            kind = "a number or a string" if int in allowed else "a string"
            # The type only, never the value: it may be the API key.
            raise ConfigError(
                f"{key} in {path} must be {kind}, not {_json_type(value)}; "
                f'e.g. "{key}": {_CONFIG_EXAMPLES[key]}'
            )


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a number" if isinstance(value, int | float) else "a string"


_CONFIG_EXAMPLES = {
    "athlete_id": '"i123456"',
    "intervals_key": '"your-api-key"',
    "week_start": '"mon"',
    "zone_preference": '"run:hr,cycling:power"',
    "days": "7",
    "api_base": f'"{DEFAULT_API_BASE}"',
    "archive_days": "30",
    "template_repo": '"owner/name"',
    "privacy": '"standard"',
}


def _insecure_permissions(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return os.name == "posix" and bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


# --------------------------------------------------------------------------- resolve


def resolve_settings(
    cli: Mapping[str, Any], env: Mapping[str, str], *, warnings: list[str] | None = None
) -> Settings:
    """Combine CLI values (None = not given), environment and config file into Settings."""
    notes = warnings if warnings is not None else []

    def env_value(name: str) -> str | None:
        value = env.get(name)
        return value if value is not None and value.strip() != "" else None

    config_path_raw = cli.get("config") or env_value("SECTION11_CONFIG")
    config_path = Path(config_path_raw or DEFAULT_CONFIG_PATH).expanduser()
    file_values = load_config_file(config_path)
    if config_path_raw and not config_path.exists():
        raise ConfigError(f"config file {config_path} does not exist")
    _check_config_values(file_values, config_path, notes)
    if file_values.get("intervals_key") and _insecure_permissions(config_path):
        notes.append(
            f"config file {config_path} holds your API key but other users can read it; "
            f"run: chmod 600 {config_path}"
        )

    def pick(cli_key: str, env_key: str | None, file_key: str | None) -> tuple[Any, str] | None:
        if cli.get(cli_key) is not None:
            return cli[cli_key], "--" + cli_key.replace("_", "-")
        if env_key is not None and env_value(env_key) is not None:
            return env_value(env_key), env_key
        if file_key is not None and file_values.get(file_key) not in (None, ""):
            return file_values[file_key], f"{file_key} in {config_path}"
        return None

    athlete = pick("athlete_id", "ATHLETE_ID", "athlete_id")
    key = pick("intervals_key", "INTERVALS_KEY", "intervals_key")
    week = pick("week_start", "WEEK_START", "week_start")
    zones = pick("zone_preference", "ZONE_PREFERENCE", "zone_preference")
    days = pick("days", "SECTION11_DAYS", "days")
    api = pick("api_base", "INTERVALS_API_BASE", "api_base")
    archive = pick("archive_days", "SECTION11_ARCHIVE_DAYS", "archive_days")
    template = pick("template_repo", "SECTION11_TEMPLATE_REPO", "template_repo")
    privacy = _privacy_level(cli, pick("privacy", "SECTION11_PRIVACY", "privacy"))
    allow_public = pick("allow_public_repo", "SECTION11_ALLOW_PUBLIC_REPO", None)
    archive_days = parse_archive_days(*archive) if archive else 30
    if privacy.at_least(PrivacyLevel.STRICT):
        archive_days = 0  # no snapshots of a public repository's history

    output_file = cli.get("output")
    output_dir_raw = cli.get("output_dir") or env_value("SECTION11_OUTPUT_DIR")
    if output_file and output_dir_raw:
        raise ConfigError("use either --output FILE or --output-dir DIR, not both")
    if output_file:
        latest_path = Path(output_file).expanduser()
        if latest_path.is_dir():
            raise ConfigError(
                f"--output {output_file} is a folder; use --output-dir {output_file}, or "
                "--output FILE.json to name latest.json"
            )
        if latest_path.suffix.lower() != ".json":
            raise ConfigError(f"--output must name a .json file (got {output_file!r})")
        output_dir, latest_name = latest_path.parent, latest_path.name
    else:
        output_dir, latest_name = Path(output_dir_raw or ".").expanduser(), LATEST_FILENAME
    _check_output_dir(output_dir)

    if config_path.exists() and _is_inside(config_path, output_dir) and cli.get("publish"):
        raise ConfigError(
            f"config file {config_path} (it holds your API key) is inside the output folder "
            f"{output_dir}, which gets published; move it to {DEFAULT_CONFIG_PATH}"
        )

    lockfile = cli.get("lockfile")
    log_file = cli.get("log_file")
    return Settings(
        athlete_id=parse_athlete_id(str(athlete[0]), athlete[1]) if athlete else None,
        intervals_key=parse_api_key(str(key[0]), key[1]) if key else None,
        output_dir=output_dir,
        latest_name=latest_name,
        days=parse_days(*days) if days else 7,
        week_start=parse_week_start(str(week[0]), week[1]) if week else 0,
        zone_preference=parse_zone_preference(str(zones[0]), zones[1]) if zones else {},
        anonymize=privacy is not PrivacyLevel.FULL,
        privacy=privacy,
        allow_public_repo=parse_flag(*allow_public) if allow_public else False,
        api_base=parse_api_base(str(api[0]), api[1]) if api else DEFAULT_API_BASE,
        demo=bool(cli.get("demo")),
        debug=bool(cli.get("debug")),
        quiet=bool(cli.get("quiet")),
        publish=bool(cli.get("publish")),
        lockfile=_lockfile_path(lockfile, output_dir),
        log_file=Path(log_file).expanduser() if log_file else None,
        rebuild_history=bool(cli.get("rebuild_history")),
        archive_days=archive_days,
        template_repo=str(template[0]).strip() if template else None,
        config_path=config_path if config_path.exists() else None,
        garmin=resolve_garmin_settings(cli.get("source"), env),
    )


def _privacy_level(cli: Mapping[str, Any], chosen: tuple[Any, str] | None) -> PrivacyLevel:
    """``--privacy`` > SECTION11_PRIVACY > config file; ``--no-anonymize`` means ``full``."""
    level = parse_privacy_level(str(chosen[0]), chosen[1]) if chosen else DEFAULT_LEVEL
    if not cli.get("no_anonymize"):
        return level
    if cli.get("privacy") is not None and level is not PrivacyLevel.FULL:
        raise ConfigError(
            f"--no-anonymize means --privacy full, which contradicts --privacy {level}; "
            "give only one of them"
        )
    return PrivacyLevel.FULL


def _check_output_dir(output_dir: Path) -> None:
    """The output folder (or, if it does not exist yet, the folder it would be created in)
    must be a writable folder: found here, before any request, not after a long fetch."""
    existing = output_dir.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "" if existing == output_dir.absolute() else f" ({existing} is a file)"
        raise ConfigError(
            f"output folder {output_dir} is not a folder{where}; choose another --output-dir"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            f"output folder {output_dir} is not writable ({existing}: permission denied); "
            "fix its permissions or choose another --output-dir"
        )


def _lockfile_path(value: str | None, output_dir: Path) -> Path | None:
    """``--lockfile`` alone means the default lock inside the output folder's state dir."""
    if value is None:
        return None
    if value == "":
        return output_dir / STATE_DIR / "sync.lock"
    return Path(value).expanduser()


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True
