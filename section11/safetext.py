"""Text from outside (the API, file names, URLs) made safe to print.

GitHub Actions reads every line a job prints: a line starting with ``::`` (or the older
``##[``) is a workflow command that can forge an annotation, mask text or stop command
processing. Everything the mirror prints to stdout/stderr/log, writes to the job summary,
a commit message or an Issue goes through :func:`neutralize` (the logging handlers do it
with :class:`NeutralizingFilter`): control characters are replaced and a line can no
longer start with a command marker. URLs are shown with :func:`display_url`: no user
info, query or fragment (a signed download URL carries its token there).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

__all__ = ["NeutralizingFilter", "display_url", "neutralize", "without_controls"]

# C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides
# that make text display in another order than it is read.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_COMMAND_START = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)
_REPLACEMENT = "\ufffd"


def neutralize(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters, and with no line starting with ``::``/``##[``.

    ``multiline=False`` (one line of output): line breaks become spaces.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ")
    text = _CONTROL.sub(_REPLACEMENT, text)
    return _COMMAND_START.sub(_defuse, text)


def without_controls(text: str) -> str:
    """``text`` with control characters replaced, line breaks kept as they are (for data
    that is escaped afterwards, such as a workflow command's message)."""
    return _CONTROL.sub(_REPLACEMENT, text)


def _defuse(match: re.Match[str]) -> str:
    marker = match.group(2)
    return match.group(1) + (": :" if marker == "::" else "# #[")


def display_url(url: str) -> str:
    """``scheme://host[:port]/path`` of ``url``: no user info, query or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "(unreadable URL)"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    scheme = f"{parts.scheme}://" if parts.scheme else ""
    return neutralize(f"{scheme}{netloc}{parts.path}")


class NeutralizingFilter(logging.Filter):
    """Neutralizes each record's message and exception text (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string must not hide the record
            message = f"{record.msg!s} {record.args!r}"
        record.msg = neutralize(message, multiline=True)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = neutralize(record.exc_text, multiline=True)
        return True
