"""Benchmark Index: FTP change over 8 weeks, read against the seasonal expectation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from section11.metrics._common import MetricModel

BENCHMARK_DAYS = 56

# Northern-hemisphere training calendar by month.
_SEASONS: tuple[tuple[frozenset[int], str, tuple[float, float]], ...] = (
    (frozenset({11, 12}), "Off-season / Transition", (-0.05, -0.02)),
    (frozenset({1, 2}), "Early Base", (-0.02, 0.01)),
    (frozenset({3, 4}), "Late Base / Build", (0.02, 0.05)),
    (frozenset({5, 6}), "Build / Early Race Season", (0.01, 0.04)),
    (frozenset({7, 8}), "Peak Race Season", (0.01, 0.03)),
    (frozenset({9, 10}), "Late Season / Transition", (-0.03, 0.00)),
)


def _season(month: int) -> tuple[str, tuple[float, float]]:
    for months, label, expected in _SEASONS:
        if month in months:
            return label, expected
    raise ValueError(f"month must be 1..12 (got {month})")


def seasonal_context(month: int) -> str:
    """Training season of a calendar month (1..12)."""
    return _season(month)[0]


def seasonal_expected_range(month: int) -> tuple[float, float]:
    """Expected 8-week FTP change (fractions, inclusive bounds) in that month's season."""
    return _season(month)[1]


def _parse(key: str) -> date | None:
    try:
        return date.fromisoformat(key)
    except ValueError:
        return None


def ftp_in_effect(series: Mapping[str, int], on: date) -> int | None:
    """The value of the latest entry dated on or before ``on``; None if none is."""
    best: tuple[date, int] | None = None
    for key, value in series.items():
        day = _parse(key)
        if day is not None and day <= on and (best is None or day > best[0]):
            best = (day, value)
    return best[1] if best else None


class Benchmark(MetricModel):
    current_ftp: int | None
    ftp_8_weeks_ago: int | None
    benchmark_index: float | None
    benchmark_percentage: str | None
    # True/False: the index lies within this season's expected range; None: no index.
    seasonal_expected: bool | None


def benchmark_index(
    series: Mapping[str, int], today: date, *, current_ftp: int | None
) -> Benchmark:
    """current FTP / FTP in effect 56 days ago − 1 (3 dp); an unchanged FTP gives 0.0.

    The series only records changes, so the value 8 weeks ago is whichever entry was in
    effect then, not an entry dated exactly then.
    """
    previous = ftp_in_effect(series, today - timedelta(days=BENCHMARK_DAYS))
    index: float | None = None
    if current_ftp is not None and previous is not None and previous > 0:
        index = round(current_ftp / previous - 1, 3)
    expected: bool | None = None
    if index is not None:
        low, high = seasonal_expected_range(today.month)
        expected = low <= index <= high
    return Benchmark(
        current_ftp=current_ftp,
        ftp_8_weeks_ago=previous,
        benchmark_index=index,
        benchmark_percentage=f"{index:+.1%}" if index is not None else None,
        seasonal_expected=expected,
    )
