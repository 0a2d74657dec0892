"""Settings resolution: precedence, validation, one clear error per bad value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from section11.config import (
    DEFAULT_API_BASE,
    Secret,
    Settings,
    parse_zone_preference,
    resolve_settings,
)
from section11.errors import ConfigError


class _NoAccessOs:
    """``os`` as seen from section11.config, where nothing is writable."""

    def __getattr__(self, name: str) -> Any:
        import os

        return getattr(os, name)

    @staticmethod
    def access(path: object, mode: int) -> bool:
        return False


def _settings(
    tmp_path: Path, cli: dict[str, Any] | None = None, env: dict[str, str] | None = None
) -> Settings:
    # An empty config file keeps the developer's own ~/.config out of the tests.
    empty = tmp_path / "empty-config.json"
    empty.write_text("{}")
    return resolve_settings(cli or {}, {"SECTION11_CONFIG": str(empty), **(env or {})})


def test_defaults(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert settings.days == 7
    assert settings.week_start == 0
    assert settings.week_start_name == "mon"
    assert settings.zone_preference == {}
    assert settings.anonymize is True
    assert settings.api_base == DEFAULT_API_BASE
    assert settings.latest_path == Path("latest.json")


def test_cli_beats_env_beats_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"athlete_id": "i3", "week_start": "wed", "days": 5}))
    config.chmod(0o600)
    env = {"SECTION11_CONFIG": str(config), "ATHLETE_ID": "i2", "WEEK_START": "tue"}
    from_file = resolve_settings({}, {"SECTION11_CONFIG": str(config)})
    assert (from_file.athlete_id, from_file.week_start, from_file.days) == ("i3", 2, 5)
    from_env = resolve_settings({}, env)
    assert (from_env.athlete_id, from_env.week_start) == ("i2", 1)
    from_cli = resolve_settings({"athlete_id": "i1", "week_start": "sun"}, env)
    assert (from_cli.athlete_id, from_cli.week_start) == ("i1", 6)


def test_empty_env_values_mean_unset(tmp_path: Path) -> None:
    # GitHub passes a missing optional secret as an empty string.
    settings = _settings(tmp_path, env={"WEEK_START": "", "ZONE_PREFERENCE": "  "})
    assert settings.week_start == 0
    assert settings.zone_preference == {}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("mon", 0), ("SUN", 6), ("Wednesday", 2), (" fri ", 4)],
)
def test_week_start_values(tmp_path: Path, value: str, expected: int) -> None:
    assert _settings(tmp_path, env={"WEEK_START": value}).week_start == expected


def test_invalid_week_start_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"WEEK_START must be one of mon, tue.*'funday'") as info:
        _settings(tmp_path, env={"WEEK_START": "funday"})
    assert info.value.exit_code == 2


def test_zone_preference_parsing() -> None:
    assert parse_zone_preference("run:hr, cycling:POWER", "X") == {"run": "hr", "cycling": "power"}
    assert parse_zone_preference("", "X") == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("run=hr", "is not sport:basis"),
        ("running:hr", "unknown sport 'running'"),
        ("run:pace", "must be power or hr"),
        ("run:", "is not sport:basis"),
    ],
)
def test_invalid_zone_preference(tmp_path: Path, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _settings(tmp_path, env={"ZONE_PREFERENCE": value})


@pytest.mark.parametrize("value", ["0", "29", "seven", "-1"])
def test_invalid_days(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match="--days"):
        _settings(tmp_path, cli={"days": value})


@pytest.mark.parametrize("value", ["i123456", " i123456 ", '"i123456"'])
def test_athlete_id_forms(tmp_path: Path, value: str) -> None:
    assert _settings(tmp_path, env={"ATHLETE_ID": value}).athlete_id == "i123456"


def test_bad_athlete_id_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"does not look like an Intervals.icu athlete id"):
        _settings(tmp_path, env={"ATHLETE_ID": "john@example.com"})


def test_api_key_is_secret(tmp_path: Path) -> None:
    settings = _settings(tmp_path, env={"INTERVALS_KEY": " abc123 "})
    assert settings.intervals_key == Secret("abc123")
    assert "abc123" not in repr(settings)
    assert "abc123" not in str(settings.intervals_key)


def test_missing_credentials_message(tmp_path: Path) -> None:
    settings = _settings(tmp_path, env={"ATHLETE_ID": "i1"})
    with pytest.raises(ConfigError, match=r"missing INTERVALS_KEY.*--demo"):
        settings.require_credentials()


def test_output_file_sets_directory(tmp_path: Path) -> None:
    settings = _settings(tmp_path, cli={"output": str(tmp_path / "data" / "my.json")})
    assert settings.output_dir == tmp_path / "data"
    assert settings.latest_path == tmp_path / "data" / "my.json"


def test_output_and_output_dir_conflict(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="either --output FILE or --output-dir"):
        _settings(tmp_path, cli={"output": "a.json", "output_dir": "b"})


def test_broken_config_file_is_reported_not_ignored(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"athlete_id": "i1",')
    with pytest.raises(ConfigError, match=r"not valid JSON \(line 1"):
        resolve_settings({}, {"SECTION11_CONFIG": str(config)})
    assert config.read_text() == '{"athlete_id": "i1",'  # untouched


def test_world_readable_config_with_key_warns(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"intervals_key": "k"}))
    config.chmod(0o644)
    warnings: list[str] = []
    resolve_settings({}, {"SECTION11_CONFIG": str(config)}, warnings=warnings)
    assert any("chmod 600" in w for w in warnings)


def test_config_inside_published_output_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"intervals_key": "k"}))
    with pytest.raises(ConfigError, match="inside the output folder"):
        resolve_settings(
            {"output_dir": str(tmp_path), "publish": True}, {"SECTION11_CONFIG": str(config)}
        )


def test_lockfile_default_lives_in_state_dir(tmp_path: Path) -> None:
    settings = _settings(tmp_path, cli={"output_dir": str(tmp_path), "lockfile": ""})
    assert settings.lockfile == tmp_path / ".section11" / "sync.lock"
    assert _settings(tmp_path).lockfile is None


def test_api_base_validation(tmp_path: Path) -> None:
    assert _settings(
        tmp_path, env={"INTERVALS_API_BASE": "http://127.0.0.1:9/api/v1/"}
    ).api_base == ("http://127.0.0.1:9/api/v1")
    with pytest.raises(ConfigError, match="http"):
        _settings(tmp_path, env={"INTERVALS_API_BASE": "ftp://x"})


def test_config_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_bytes(b'\xff\xfe{"athlete_id": "i1"}')  # e.g. saved as UTF-16
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        resolve_settings({}, {"SECTION11_CONFIG": str(config)})


def test_config_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_bytes(b'\xef\xbb\xbf{"week_start": "sun"}')  # Windows Notepad's UTF-8
    assert resolve_settings({}, {"SECTION11_CONFIG": str(config)}).week_start == 6


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"intervals_key": ["secret-key-1234"]}, "intervals_key in"),
        ({"zone_preference": {"run": "hr"}}, "must be a string, not an object"),
        ({"days": True}, "must be a number or a string, not true/false"),
        ({"athlete_id": 123456}, "must be a string, not a number"),
    ],
)
def test_config_values_of_the_wrong_type_are_refused(
    tmp_path: Path, values: dict[str, Any], fragment: str
) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(values))
    with pytest.raises(ConfigError) as info:
        resolve_settings({}, {"SECTION11_CONFIG": str(config)})
    assert fragment in str(info.value)
    assert "secret-key-1234" not in str(info.value)  # only the type is shown, never the value


def test_unknown_config_keys_are_warned_about(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"weekstart": "sun", "days": 5}))
    notes: list[str] = []
    settings = resolve_settings({}, {"SECTION11_CONFIG": str(config)}, warnings=notes)
    assert settings.days == 5 and settings.week_start == 0
    assert len(notes) == 1 and "unknown setting 'weekstart' ignored" in notes[0]


def test_output_pointing_at_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data.json"
    folder.mkdir()
    with pytest.raises(ConfigError, match="is a folder; use --output-dir"):
        _settings(tmp_path, {"output": str(folder)})


def test_output_dir_below_a_file_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    with pytest.raises(ConfigError, match=r"is not a folder \(.*notes.txt is a file\)"):
        _settings(tmp_path, {"output_dir": str(blocker / "sub" / "data")})


def test_unwritable_output_dir_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # os.access stands in for a read-only folder: as root, chmod alone would not stop writes.
    import section11.config as config_module

    monkeypatch.setattr(config_module, "os", _NoAccessOs())
    with pytest.raises(ConfigError, match="is not writable"):
        _settings(tmp_path, {"output_dir": str(tmp_path / "new" / "data")})
