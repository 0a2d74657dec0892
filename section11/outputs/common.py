"""Small formatting helpers shared by the output builders.

All of them pass None through: a value we do not have is never turned into 0 or "0m".
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_serializer
from pydantic_core.core_schema import SerializerFunctionWrapHandler

SECONDS_PER_HOUR = 3600.0
_NOTE_PREFIX = "NOTE:"


class OutputModel(BaseModel):
    """Base of every output block: fields are exactly the declared ones.

    ``omit_when_none`` (a class constant) names optional keys that are left out of the JSON
    when they have no value (the reference omits them rather than writing null, and readers
    test presence).
    Every other field is always written, as null when unknown.
    """

    model_config = ConfigDict(extra="forbid")

    omit_when_none: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _drop_absent_optionals(self, handler: SerializerFunctionWrapHandler) -> object:
        data = handler(self)
        if isinstance(data, dict) and self.omit_when_none:
            for key in self.omit_when_none:
                if key in data and data[key] is None:
                    del data[key]
        return data


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
