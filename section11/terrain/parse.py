"""Turn route files (GPX, TCX) and activity streams into a list of track points.

The format is decided by what the file contains, not by how it starts: a TCX file with an
``<?xml ...?>`` declaration is still TCX. The file extension is only a fallback for content
we cannot recognise.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import gpxpy
import gpxpy.gpx

from section11.errors import Section11Error

_Format = Literal["gpx", "tcx", "fit"]

# A FIT file has a 12- or 14-byte header whose bytes 8..11 spell ".FIT".
_FIT_SIGNATURE = b".FIT"
_FIT_SIGNATURE_OFFSET = 8

# Leading items allowed before the root element: declaration, comments, processing
# instructions and whitespace. DOCTYPE is refused separately.
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?)")
# Entity expansion ("billion laughs") and external entities both need a DTD, so a file
# carrying any DOCTYPE or ENTITY declaration is refused before an XML parser sees it.
_DTD_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOTS: dict[str, _Format] = {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}
_DECLARED_ENCODING = re.compile(r"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")


class RouteParseError(Section11Error):
    """A route file that cannot be turned into a course; the message is one line."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One point of a course. ``ele`` is metres above sea level, None when unknown."""

    lat: float
    lon: float
    ele: float | None = None


def parse_route_file(data: bytes, filename: str) -> list[TrackPoint]:
    """Parse a GPX or TCX route file into track points.

    Raises RouteParseError for empty, malformed, truncated or unsupported files (FIT), for
    XML that carries a DOCTYPE/ENTITY declaration, and for courses of fewer than 2 points.
    """
    if not data.strip():
        raise RouteParseError(f"{_name(filename)} is empty")
    if _looks_like_fit(data):
        raise RouteParseError("FIT route files are not supported yet")

    text = _decode(data)
    if _DTD_DECLARATION.search(text):
        raise RouteParseError(
            f"{_name(filename)} contains a DOCTYPE or ENTITY declaration, which is refused"
        )
    root = _root_element(text)
    if root is not None and root not in _ROOTS:
        raise RouteParseError(
            f"{_name(filename)} is not a GPX or TCX file (its root element is <{root}>)"
        )
    fmt = _ROOTS[root] if root is not None else _format_from_extension(filename)
    if fmt is None:
        raise RouteParseError(f"{_name(filename)} is not a GPX, TCX or FIT route file")
    if fmt == "fit":
        # The extension says FIT but the header does not: a damaged or mislabelled file.
        raise RouteParseError(f"{_name(filename)} has a .fit name but no FIT header")

    points = _parse_gpx(text, filename) if fmt == "gpx" else _parse_tcx(text, filename)
    if len(points) < 2:
        raise RouteParseError(f"{_name(filename)} has fewer than 2 track points")
    return points


def points_from_streams(
    lat: Sequence[float | None],
    lon: Sequence[float | None],
    altitude: Sequence[float | None] | None,
) -> list[TrackPoint]:
    """Build track points from Intervals.icu activity streams.

    The ``latlng`` stream carries latitudes in ``data`` and longitudes in ``data2``. Points
    without a usable position are skipped; a missing altitude stays None (never 0).
    """
    points: list[TrackPoint] = []
    n_alt = 0 if altitude is None else len(altitude)
    for i in range(min(len(lat), len(lon))):
        la, lo = lat[i], lon[i]
        if la is None or lo is None or not _valid_position(la, lo):
            continue
        ele = altitude[i] if altitude is not None and i < n_alt else None
        points.append(TrackPoint(float(la), float(lo), _clean_elevation(ele)))
    return points


# --- format detection -------------------------------------------------------------------


def _looks_like_fit(data: bytes) -> bool:
    end = _FIT_SIGNATURE_OFFSET + len(_FIT_SIGNATURE)
    return data[_FIT_SIGNATURE_OFFSET:end] == _FIT_SIGNATURE


def _decode(data: bytes) -> str:
    """Bytes to text, honouring a BOM or the declared encoding; never raises."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:200].decode("ascii", errors="replace")
    match = _DECLARED_ENCODING.match(head)
    if match:
        try:
            return data.decode(match.group(1), errors="replace")
        except LookupError:
            pass
    return data.decode("latin-1")


def _root_element(text: str) -> str | None:
    """Local name of the first element after the prolog; None when the text is not XML."""
    pos = 0
    while True:
        match = _PROLOG_ITEM.match(text, pos)
        if match is None or match.end() == pos:
            break
        pos = match.end()
    root = _ROOT_NAME.match(text, pos)
    return None if root is None else root.group(1).rsplit(":", 1)[-1]


def _format_from_extension(filename: str) -> _Format | None:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in ("gpx", "tcx", "fit"):
        return ext  # type: ignore[return-value]
    return None


# --- GPX --------------------------------------------------------------------------------


def _parse_gpx(text: str, filename: str) -> list[TrackPoint]:
    try:
        gpx = gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise RouteParseError(
            f"{_name(filename)} is not well-formed XML (damaged or truncated)"
        ) from exc
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        raise RouteParseError(
            f"{_name(filename)} is not a valid GPX file: {_one_line(exc)}"
        ) from exc

    track = [
        (p.latitude, p.longitude, p.elevation)
        for trk in gpx.tracks
        for seg in trk.segments
        for p in seg.points
    ]
    # A GPX <rte> is a planned course in its own right; waypoints (<wpt>) are not.
    route = [(p.latitude, p.longitude, p.elevation) for rte in gpx.routes for p in rte.points]
    return _clean_points(track or route)


# --- TCX --------------------------------------------------------------------------------


def _parse_tcx(text: str, filename: str) -> list[TrackPoint]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise RouteParseError(
            f"{_name(filename)} is not well-formed XML (damaged or truncated)"
        ) from exc
    if _local(root.tag) != "TrainingCenterDatabase":
        raise RouteParseError(f"{_name(filename)} is not a TCX file")

    raw: list[tuple[float | None, float | None, float | None]] = []
    # Trackpoints live under Activities/Activity/Lap/Track or Courses/Course/Track; both
    # have the same shape, so walk every Trackpoint regardless of namespace prefix.
    for tp in root.iter():
        if _local(tp.tag) != "Trackpoint":
            continue
        lat = lon = ele = None
        for child in tp:
            name = _local(child.tag)
            if name == "Position":
                for coord in child:
                    cname = _local(coord.tag)
                    if cname == "LatitudeDegrees":
                        lat = _to_float(coord.text)
                    elif cname == "LongitudeDegrees":
                        lon = _to_float(coord.text)
            elif name == "AltitudeMeters":
                ele = _to_float(child.text)
        raw.append((lat, lon, ele))
    return _clean_points(raw)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _to_float(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return float(text.strip())
    except ValueError:
        return None


# --- shared -----------------------------------------------------------------------------


def _clean_points(
    raw: Iterable[tuple[float | None, float | None, float | None]],
) -> list[TrackPoint]:
    points: list[TrackPoint] = []
    for lat, lon, ele in raw:
        if lat is None or lon is None or not _valid_position(lat, lon):
            continue  # e.g. indoor trackpoints without a Position
        points.append(TrackPoint(float(lat), float(lon), _clean_elevation(ele)))
    return points


def _valid_position(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180


def _clean_elevation(ele: float | None) -> float | None:
    if ele is None:
        return None
    value = float(ele)
    return value if math.isfinite(value) else None


def _name(filename: str) -> str:
    return f"route file {filename!r}" if filename else "route file"


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
