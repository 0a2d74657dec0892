"""Turn route files (GPX, TCX, FIT) and activity streams into cleaned track points.

The format is decided by what the file contains, not by how it starts: a TCX file with an
``<?xml ...?>`` declaration is still TCX, and whitespace before the declaration (as in
Strava exports) is skipped. The file extension is only a fallback for content we cannot
recognise. Reading is a single streaming pass (see ``xmlroute`` and ``fit``); cleaning rules
are in ``clean``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from section11.errors import Section11Error
from section11.terrain.clean import clean_points, clean_route
from section11.terrain.fit import FitRouteError, read_fit_route
from section11.terrain.raw import RawPoint, RawRoute
from section11.terrain.track import TrackPoint
from section11.terrain.xmlroute import XmlRouteError, read_xml_route

__all__ = [
    "ParsedRoute",
    "RouteParseError",
    "TrackPoint",
    "parse_route_file",
    "points_from_streams",
    "read_route_file",
]

# A FIT file has a 12- or 14-byte header whose bytes 8..11 spell ".FIT".
_FIT_SIGNATURE = b".FIT"
_FIT_SIGNATURE_OFFSET = 8
_UTF8_BOM = b"\xef\xbb\xbf"


class RouteParseError(Section11Error):
    """A route file that cannot be turned into a course; the message is one line."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class ParsedRoute:
    """The cleaned course of a file and the total distance the file itself declares."""

    points: list[TrackPoint]
    declared_distance_m: float | None
    format: str


def parse_route_file(data: bytes, filename: str) -> list[TrackPoint]:
    """The cleaned track points of a GPX, TCX or FIT file (see ``read_route_file``)."""
    return read_route_file(data, filename).points


def read_route_file(data: bytes, filename: str) -> ParsedRoute:
    """Parse and clean a route file.

    Raises RouteParseError for empty, malformed, truncated, corrupt or unsupported files,
    XML carrying a DOCTYPE/ENTITY declaration or nested absurdly deep, and courses of fewer
    than 2 usable points.
    """
    body = _strip_leading(data)
    if not body:
        raise RouteParseError(f"{_name(filename)} is empty")
    raw: RawRoute
    fmt: str
    if _looks_like_fit(body):
        fmt = "fit"
        try:
            raw = read_fit_route(body)
        except FitRouteError as exc:
            raise RouteParseError(f"{_name(filename)} {exc}") from None
    elif body.startswith((b"<", b"\xff\xfe", b"\xfe\xff")):
        try:
            fmt, raw = read_xml_route(body)
        except XmlRouteError as exc:
            raise RouteParseError(f"{_name(filename)} {exc}") from None
    elif _extension(filename) == "fit":
        raise RouteParseError(f"{_name(filename)} has a .fit name but no FIT header")
    else:
        raise RouteParseError(f"{_name(filename)} is not a GPX, TCX or FIT route file")

    cleaned = clean_route(raw)
    if len(cleaned.points) < 2:
        raise RouteParseError(f"{_name(filename)} has fewer than 2 track points")
    return ParsedRoute(cleaned.points, cleaned.declared_distance_m, fmt)


def points_from_streams(
    lat: Sequence[float | None],
    lon: Sequence[float | None],
    altitude: Sequence[float | None] | None,
) -> list[TrackPoint]:
    """Build cleaned track points from Intervals.icu activity streams.

    The ``latlng`` stream carries latitudes in ``data`` and longitudes in ``data2``. Points
    without a usable position are skipped; a missing altitude stays None (never 0). The same
    cleaning as for files applies (null island, impossible jumps, 0 m placeholders).
    """
    raw: list[RawPoint] = []
    n_alt = 0 if altitude is None else len(altitude)
    for i in range(min(len(lat), len(lon))):
        la, lo = lat[i], lon[i]
        ele = altitude[i] if altitude is not None and i < n_alt else None
        raw.append(RawPoint(_as_float(la), _as_float(lo), _as_float(ele)))
    return clean_points(raw)[0]


def _as_float(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _strip_leading(data: bytes) -> bytes:
    """Drop a UTF-8 BOM and whitespace before the first byte of content."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    return data.lstrip(b" \t\r\n")


def _looks_like_fit(data: bytes) -> bool:
    end = _FIT_SIGNATURE_OFFSET + len(_FIT_SIGNATURE)
    return data[_FIT_SIGNATURE_OFFSET:end] == _FIT_SIGNATURE


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _name(filename: str) -> str:
    return f"route file {filename!r}" if filename else "route file"
