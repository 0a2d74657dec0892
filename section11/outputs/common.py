"""Small formatting helpers shared by the output builders.

All of them pass None through: a value we do not have is never turned into 0 or "0m".
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SECONDS_PER_HOUR = 3600.0
_NOTE_PREFIX = "NOTE:"


class OutputModel(BaseModel):
    """Base of every output block: exactly the declared fields, nothing else."""

    model_config = ConfigDict(extra="forbid")


def _is_none(value: object) -> bool:
    return value is None


def omitted_when_none(description: str | None = None) -> Any:
    """A field default for optional keys left out of the JSON when they have no value.

    The reference omits these keys rather than writing null, and readers test presence.
    Every other field is always written, as null when unknown.
    """
    return Field(default=None, exclude_if=_is_none, description=description)


def round_or_none(value: float | None, digits: int) -> float | None:
    """``round(value, digits)``, keeping None."""
    return None if value is None else round(value, digits)


def int_or_none(value: float | None) -> int | None:
    """The value rounded to a whole number, keeping None."""
    return None if value is None else round(value)


def hours(seconds: float | None, digits: int = 2) -> float | None:
    """Seconds as decimal hours (2 dp by default)."""
    return None if seconds is None else round(seconds / SECONDS_PER_HOUR, digits)


def format_duration(seconds: float | None) -> str | None:
    """Seconds as "1h05m" (or "45m" under an hour), rounded to the nearest minute."""
    if seconds is None or seconds < 0:
        return None
    total_minutes = round(seconds / 60)
    h, m = divmod(total_minutes, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m"


def format_hours(value_hours: float | None) -> str | None:
    """Decimal hours as "1h05m"."""
    return None if value_hours is None else format_duration(value_hours * SECONDS_PER_HOUR)


def km(metres: float | None, digits: int = 2) -> float | None:
    """Metres as kilometres."""
    return None if metres is None else round(metres / 1000.0, digits)


def kmh(metres_per_second: float | None, digits: int = 1) -> float | None:
    """m/s as km/h."""
    return None if metres_per_second is None else round(metres_per_second * 3.6, digits)


def clean_text(text: str | None) -> str | None:
    """Trimmed text, or None when nothing is left."""
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def split_coach_notes(text: str | None) -> tuple[list[str], str | None]:
    """Split leading "NOTE:" lines off a description.

    Returns the note texts (prefix removed) and the rest of the description. Blank lines
    between notes are skipped; the first other line ends the notes.
    """
    if text is None:
        return [], None
    lines = text.strip().splitlines()
    notes: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        if line.upper().startswith(_NOTE_PREFIX):
            note = line[len(_NOTE_PREFIX) :].strip()
            if note:
                notes.append(note)
        elif line:
            break
        index += 1
    return notes, clean_text("\n".join(lines[index:]))
