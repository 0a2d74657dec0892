"""Logging for the command line: short lines on stderr, an optional rotating log file, and
redaction of every registered secret on every handler.

Secrets (the Intervals.icu API key, GitHub tokens) are registered once with
:func:`register_secret`; from then on any log record that contains one — in its message,
its ``%``-arguments or its exception text — is written with ``***`` instead. The Basic-auth
form of the API key (``base64("API_KEY:" + key)``, what an ``Authorization`` header
carries) is redacted too.

The log file rotates at ``max_bytes`` and keeps ``backups`` older files
(``sync.log.1`` … ``sync.log.N``); the first line of a fresh file says that it rotated, so a
reader knows where the earlier lines went.
"""

from __future__ import annotations

import base64
import copy
import logging
import logging.handlers
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from section11.safetext import NeutralizingFilter

__all__ = [
    "MIN_SECRET_LENGTH",
    "SecretRedactor",
    "clear_secrets",
    "configure_logging",
    "log_to_file_only",
    "redact",
    "register_secret",
]

REDACTED = "***"

# Shorter values are not secrets worth the collateral damage of replacing them everywhere
# (a 2-character "key" would blank out ordinary words in every log line).
MIN_SECRET_LENGTH = 4

_registry: set[str] = set()
_registry_lock = threading.Lock()

# Marks the handlers this module installed, so a second configure_logging() call replaces
# them instead of stacking duplicates (tests and the CLI may configure twice).
_OURS = "_section11_handler"


def _variants(secret: str) -> set[str]:
    """The secret itself plus the encodings it travels in."""
    basic = base64.b64encode(f"API_KEY:{secret}".encode()).decode("ascii")
    return {secret, basic}


def register_secret(value: str | None) -> None:
    """Add a value that must never appear in logs. Empty/None and very short values are ignored."""
    if value is None:
        return
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _registry_lock:
        _registry.update(_variants(value))


def clear_secrets() -> None:
    """Forget every registered secret (tests)."""
    with _registry_lock:
        _registry.clear()


def _redact_with(text: str, secrets: Iterable[str]) -> str:
    # Longest first, so a secret that contains another one is replaced as a whole.
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact(text: str) -> str:
    """Replace every registered secret in ``text`` with ``***``."""
    with _registry_lock:
        secrets = set(_registry)
    return _redact_with(text, secrets) if secrets else text


class SecretRedactor(logging.Filter):
    """Rewrites records so no registered secret reaches a handler's output.

    Uses the secrets given here plus the module registry (read at filter time, so secrets
    registered after logging was configured are covered too). Always lets the record
    through; it only rewrites it.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._own: set[str] = set()
        for value in secrets:
            if value and len(value.strip()) >= MIN_SECRET_LENGTH:
                self._own.update(_variants(value.strip()))

    def _secrets(self) -> set[str]:
        with _registry_lock:
            return self._own | _registry

    def filter(self, record: logging.LogRecord) -> bool:
        secrets = self._secrets()
        if not secrets:
            return True
        # Render the message once, then drop the args: a secret can hide in either.
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string must not hide the record
            message = f"{record.msg!s} {record.args!r}"
        record.msg = _redact_with(message, secrets)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _redact_with(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = _redact_with(record.stack_info, secrets)
        return True


class _ConsoleFormatter(logging.Formatter):
    """One short line per record; tracebacks only in debug mode.

    Outside debug mode an exception is summarised as its last traceback line
    (``ValueError: …``), taken from the already-redacted exception text.
    """

    def __init__(self, *, debug: bool) -> None:
        fmt = "%(levelname)s %(name)s: %(message)s" if debug else "%(message)s"
        super().__init__(fmt)
        self._debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if self._debug:
            return super().format(record)
        shown = copy.copy(record)  # other handlers still need the full exception
        summary = ""
        if shown.exc_text:
            summary = shown.exc_text.strip().splitlines()[-1]
        elif shown.exc_info and shown.exc_info[1] is not None:
            exc = shown.exc_info[1]
            summary = redact(f"{type(exc).__name__}: {exc}")
        shown.exc_info = None
        shown.exc_text = None
        shown.stack_info = None
        line = super().format(shown)
        if record.levelno >= logging.WARNING:
            line = f"{record.levelname.lower()}: {line}"
        if summary and summary not in line:
            line = f"{line} ({summary})"
        return line


class _UtcFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


class _AnnouncingRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose fresh file starts with a line saying it rotated."""

    def doRollover(self) -> None:
        super().doRollover()
        if self.stream is None:
            self.stream = self._open()
        note = logging.LogRecord(
            "section11.logsetup",
            logging.INFO,
            __file__,
            0,
            "log rotated at %d bytes; older lines are in %s.1",
            (self.maxBytes, Path(self.baseFilename).name),
            None,
        )
        self.stream.write(self.format(note) + self.terminator)
        self.stream.flush()


def _remove_our_handlers(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        if getattr(handler, _OURS, False):
            logger.removeHandler(handler)
            handler.close()


def configure_logging(
    *,
    level: int,
    quiet: bool,
    log_file: Path | None,
    max_bytes: int = 1_000_000,
    backups: int = 3,
) -> None:
    """Install the console handler (stderr) and, if ``log_file`` is given, a rotating file.

    ``level`` is the console level (``logging.DEBUG`` turns on tracebacks and logger
    names); ``quiet`` limits the console to warnings and errors. The file always records at
    least INFO, with UTC timestamps, so a quiet scheduled run still leaves a trail. Every
    handler gets a :class:`SecretRedactor`. Calling this again replaces the previous setup.
    """
    debug = level <= logging.DEBUG
    root = logging.getLogger()
    _remove_our_handlers(root)

    console_level = max(level, logging.WARNING) if quiet else level
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(console_level)
    console.setFormatter(_ConsoleFormatter(debug=debug))
    handlers: list[logging.Handler] = [console]

    file_level = min(level, logging.INFO)
    if log_file is not None:
        log_file = Path(log_file).expanduser().absolute()
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = _AnnouncingRotatingFileHandler(
            log_file,
            maxBytes=max(0, max_bytes),
            backupCount=max(0, backups),
            encoding="utf-8",
        )
        file_handler.setLevel(file_level)
        file_handler.setFormatter(_UtcFormatter())
        handlers.append(file_handler)

    for handler in handlers:
        handler.addFilter(SecretRedactor())
        handler.addFilter(NeutralizingFilter())  # no forged workflow commands via API text
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(min(console_level, file_level if log_file is not None else console_level))
    # Connection-pool chatter only when debugging.
    logging.getLogger("urllib3").setLevel(logging.DEBUG if debug else logging.WARNING)


def log_to_file_only(level: int, message: str) -> bool:
    """Write ``message`` to the configured log file(s) only, not to the console.

    For lines the CLI prints itself (the final error line): under ``pythonw.exe`` or a
    scheduler stderr may go nowhere, and the log file is the only trail. Redacted like
    every other record. False when no log file is configured.
    """
    written = False
    record = logging.LogRecord("section11", level, __file__, 0, "%s", (message,), None)
    for handler in logging.getLogger().handlers:
        ours = getattr(handler, _OURS, False) and isinstance(handler, logging.FileHandler)
        if ours and record.levelno >= handler.level and handler.filter(record):
            handler.emit(record)
            handler.flush()
            written = True
    return written
