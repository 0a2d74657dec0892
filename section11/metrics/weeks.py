"""Calendar weeks that start on the athlete's chosen weekday (0 = Monday … 6 = Sunday)."""

from __future__ import annotations

from datetime import date, timedelta


def week_start_of(day: date, week_start: int) -> date:
    """First day of the week containing ``day``."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_days(start: date) -> list[date]:
    """The seven dates of the week beginning ``start``."""
    return [start + timedelta(days=i) for i in range(7)]


def weeks_between(first: date, last: date, week_start: int) -> list[date]:
    """Start dates of every week touching ``first``..``last`` (empty if last < first)."""
    if last < first:
        return []
    out: list[date] = []
    current = week_start_of(first, week_start)
    while current <= last:
        out.append(current)
        current += timedelta(days=7)
    return out
