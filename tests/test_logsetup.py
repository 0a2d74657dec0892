"""Logging setup: console and rotating file, secrets redacted on every handler."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from section11.logsetup import (
    SecretRedactor,
    clear_secrets,
    configure_logging,
    redact,
    register_secret,
)

KEY = "k3y-abcdef-123456"


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    clear_secrets()
    yield
    clear_secrets()
    for handler in list(root.handlers):
        if handler not in saved[0]:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(saved[1])


def flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_secret_redacted_in_message_args_and_exception(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "sync.log"
    configure_logging(level=logging.INFO, quiet=False, log_file=log_file)
    register_secret(KEY)
    basic = base64.b64encode(f"API_KEY:{KEY}".encode()).decode()
    log = logging.getLogger("section11.test")

    log.info("key in message " + KEY)
    log.warning("key in args %s and header Basic %s", KEY, basic)
    try:
        raise RuntimeError(f"request failed with {KEY}")
    except RuntimeError:
        log.exception("fetch failed")
    flush()

    console = capsys.readouterr().err
    written = log_file.read_text()
    for output in (console, written):
        assert KEY not in output
        assert basic not in output
        assert "key in message ***" in output
        assert "key in args *** and header Basic ***" in output
    # The file keeps the (redacted) traceback; the console shows one summary line.
    assert "Traceback" in written and "RuntimeError: request failed with ***" in written
    assert "Traceback" not in console
    assert "error: fetch failed (RuntimeError: request failed with ***)" in console


def test_debug_console_shows_tracebacks(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level=logging.DEBUG, quiet=False, log_file=None)
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("section11.x").exception("failed")
    err = capsys.readouterr().err
    assert "Traceback" in err and "ERROR section11.x: failed" in err


def test_quiet_console_shows_only_warnings_but_file_keeps_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "sync.log"
    configure_logging(level=logging.INFO, quiet=True, log_file=log_file)
    log = logging.getLogger("section11.q")
    log.info("routine")
    log.warning("odd")
    flush()
    err = capsys.readouterr().err
    assert err == "warning: odd\n"
    text = log_file.read_text()
    assert "INFO    section11.q: routine" in text and "WARNING section11.q: odd" in text
    assert text.startswith("20") and "Z INFO" in text  # UTC timestamp first


def test_reconfiguring_replaces_handlers(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(level=logging.INFO, quiet=False, log_file=None)
    configure_logging(level=logging.INFO, quiet=False, log_file=None)
    logging.getLogger("section11.r").info("once")
    assert capsys.readouterr().err == "once\n"


def test_file_rotates_and_says_so(tmp_path: Path) -> None:
    log_file = tmp_path / "sync.log"
    configure_logging(level=logging.INFO, quiet=True, log_file=log_file, max_bytes=300, backups=2)
    log = logging.getLogger("section11.rot")
    for i in range(20):
        log.info("line %02d %s", i, "x" * 40)
    flush()
    # Each record is ~90 bytes, so 300-byte files hold 3 lines; 2 backups are kept at most.
    assert (tmp_path / "sync.log.1").exists() and (tmp_path / "sync.log.2").exists()
    assert not (tmp_path / "sync.log.3").exists()
    first = log_file.read_text().splitlines()[0]
    assert "log rotated at 300 bytes; older lines are in sync.log.1" in first


def test_secret_redactor_with_explicit_secrets() -> None:
    record = logging.LogRecord("n", logging.INFO, __file__, 1, "token=%s", ("ghp_zzzz9999",), None)
    assert SecretRedactor(["ghp_zzzz9999"]).filter(record) is True
    assert record.getMessage() == "token=***"


def test_short_values_are_not_registered() -> None:
    register_secret("ab")
    register_secret(None)
    register_secret("")
    assert redact("ab cd") == "ab cd"
    register_secret(KEY)
    assert redact(f"x{KEY}y") == "x***y"
