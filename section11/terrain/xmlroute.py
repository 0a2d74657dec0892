"""GPX and TCX read in one streaming pass with expat: linear time, memory bounded by depth.

No tree is built, so a huge or deeply nested file cannot exhaust memory or the C stack
(nesting beyond ``MAX_DEPTH`` is refused anyway). A DOCTYPE or ENTITY declaration is
refused as soon as expat meets it, so no entity is ever expanded ("billion laughs") and no
external resource is ever read. Only the few leaf elements we use keep their text, and only
their first ``_MAX_TEXT`` characters.
"""

from __future__ import annotations

import math
import xml.parsers.expat
from datetime import datetime
from typing import Literal

from section11.terrain.raw import RawPoint, RawRoute

MAX_DEPTH = 64
_CHUNK = 1 << 16
_MAX_TEXT = 64

RouteFormat = Literal["gpx", "tcx"]
ROOTS: dict[str, RouteFormat] = {"gpx": "gpx", "TrainingCenterDatabase": "tcx"}


class XmlRouteError(ValueError):
    """The XML cannot be read as a route; the message says why in a few words."""


class _Refused(Exception):
    """Raised inside expat callbacks to stop parsing at once."""


def read_xml_route(data: bytes) -> tuple[RouteFormat, RawRoute]:
    """Stream ``data`` (a GPX or TCX document) into raw points.

    Raises XmlRouteError for malformed XML, a DTD, excessive nesting, or another root.
    """
    reader = _Reader()
    # No namespace processing: element names are matched by local name, and a prefix that a
    # sloppy exporter never declared (``<gpxtpx:hr>``) is not an error.
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.buffer_text = True
    try:
        for offset in range(0, len(data), _CHUNK):
            parser.Parse(data[offset : offset + _CHUNK], False)
        parser.Parse(b"", True)
    except _Refused as exc:
        raise XmlRouteError(str(exc)) from None
    except xml.parsers.expat.ExpatError as exc:
        if reader.format is None:
            raise XmlRouteError("is not well-formed XML (damaged or truncated)") from None
        raise XmlRouteError(
            f"is not well-formed XML (damaged or truncated at line {exc.lineno})"
        ) from None
    if reader.format is None:
        raise XmlRouteError("is not well-formed XML (damaged or truncated)")
    return reader.format, reader.finish()


def _refuse_dtd(*_args: object) -> None:
    raise _Refused("contains a DOCTYPE or ENTITY declaration, which is refused")


# Leaf elements whose text we keep, per format.
_GPX_LEAVES = frozenset({"ele", "time"})
_TCX_LEAVES = frozenset(
    {"LatitudeDegrees", "LongitudeDegrees", "AltitudeMeters", "DistanceMeters", "Time"}
)


class _Reader:
    def __init__(self) -> None:
        self.format: RouteFormat | None = None
        self.depth = 0
        self.stack: list[str] = []
        self.text_parts: list[str] | None = None
        self.text_len = 0
        self.track: list[RawPoint] = []  # GPX <trk> points, or TCX trackpoints
        self.route: list[RawPoint] = []  # GPX <rte> points
        self.piece = -1
        self.point: RawPoint | None = None
        self.lap_totals: list[float] = []
        self.lap_total_seen = False

    # --- expat callbacks ---------------------------------------------------------------

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rsplit(":", 1)[-1]
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"is nested more than {MAX_DEPTH} elements deep")
        if self.format is None:
            fmt = ROOTS.get(name)
            if fmt is None:
                raise _Refused(f"is not a GPX or TCX file (its root element is <{name[:40]}>)")
            self.format = fmt
        self.stack.append(name)
        if self.format == "gpx":
            self._gpx_start(name, attrs)
        else:
            self._tcx_start(name)
        leaves = _GPX_LEAVES if self.format == "gpx" else _TCX_LEAVES
        if (self.point is not None and name in leaves) or (
            self.format == "tcx" and name == "TotalDistanceMeters" and self._parent() == "Lap"
        ):
            self.text_parts, self.text_len = [], 0

    def text(self, chunk: str) -> None:
        if self.text_parts is not None and self.text_len < _MAX_TEXT:
            self.text_parts.append(chunk[: _MAX_TEXT - self.text_len])
            self.text_len += len(chunk)

    def end(self, tag: str) -> None:
        name = tag.rsplit(":", 1)[-1]
        value = "".join(self.text_parts) if self.text_parts is not None else None
        self.text_parts = None
        self.stack.pop()
        self.depth -= 1
        if self.format == "gpx":
            self._gpx_end(name, value)
        else:
            self._tcx_end(name, value)

    def _parent(self) -> str | None:
        return self.stack[-2] if len(self.stack) >= 2 else None

    # --- GPX ---------------------------------------------------------------------------

    def _gpx_start(self, name: str, attrs: dict[str, str]) -> None:
        if name in ("trkseg", "rte"):
            self.piece += 1
        elif name in ("trkpt", "rtept"):
            self.point = RawPoint(
                _number(attrs.get("lat")), _number(attrs.get("lon")), piece=self.piece
            )

    def _gpx_end(self, name: str, value: str | None) -> None:
        point = self.point
        if point is None:
            return
        if name == "ele":
            point.ele = _number(value)
        elif name == "time":
            point.time = _timestamp(value)
        elif name == "trkpt":
            self.track.append(point)
            self.point = None
        elif name == "rtept":
            self.route.append(point)
            self.point = None

    # --- TCX ---------------------------------------------------------------------------

    def _tcx_start(self, name: str) -> None:
        if name == "Track":
            self.piece += 1
        elif name == "Trackpoint":
            self.point = RawPoint(None, None, piece=max(self.piece, 0))

    def _tcx_end(self, name: str, value: str | None) -> None:
        if name == "TotalDistanceMeters" and value is not None:
            total = _number(value)
            self.lap_total_seen = True
            if total is not None and total >= 0:
                self.lap_totals.append(total)
            return
        point = self.point
        if point is None:
            return
        if name == "LatitudeDegrees":
            point.lat = _number(value)
        elif name == "LongitudeDegrees":
            point.lon = _number(value)
        elif name == "AltitudeMeters":
            point.ele = _number(value)
        elif name == "DistanceMeters":
            point.distance = _number(value)
        elif name == "Time":
            point.time = _timestamp(value)
        elif name == "Trackpoint":
            self.track.append(point)
            self.point = None

    # --- result ------------------------------------------------------------------------

    def finish(self) -> RawRoute:
        if self.format == "tcx":
            declared = sum(self.lap_totals) if self.lap_totals else None
            return RawRoute(self.track, declared if declared else None)
        # A GPX <rte> is a planned course in its own right; waypoints (<wpt>) are not. The
        # track comes first; the route stands in when the track gives no usable course.
        return RawRoute(self.track, None, self.route)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _timestamp(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        return None
