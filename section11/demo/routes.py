"""Route files for the demo athlete: hilly tracks around Oslo as GPX and TCX bytes.

The generators are public so terrain tests can build their own fixtures (a route with a
known climb, a track with missing elevation, a TCX with an XML declaration ...).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from xml.sax.saxutils import escape

#: (latitude, longitude, elevation in metres or None when the point has no <ele>)
TrackPoint = tuple[float, float, float | None]

OSLO_LAT = 59.9139
OSLO_LON = 10.7522

_EARTH_RADIUS_M = 6_371_000.0
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lat, lon) pairs."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(h))


def hilly_points(
    rng: random.Random,
    *,
    distance_m: float,
    n_points: int,
    start: tuple[float, float] = (OSLO_LAT, OSLO_LON),
    base_ele: float = 60.0,
    climb_m: float = 160.0,
    climbs: int = 2,
) -> list[TrackPoint]:
    """A plausible track: a wandering line of ``distance_m`` with ``climbs`` hills.

    Elevation follows a sum of raised-cosine hills (each ``climb_m`` high, give or take
    15 %) plus a little noise, so climb detection has real 100 m+ climbs to find.
    """
    if n_points < 2:
        raise ValueError("a track needs at least two points")
    step = distance_m / (n_points - 1)
    heading = rng.uniform(0.0, 2 * math.pi)
    lat, lon = start
    heights = [climb_m * rng.uniform(0.85, 1.15) for _ in range(climbs)]
    points: list[TrackPoint] = []
    for i in range(n_points):
        frac = i / (n_points - 1)
        ele = base_ele
        for k, height in enumerate(heights):
            # Hill k occupies the k-th slice of the route; 0 at its ends, `height` mid-way.
            local = frac * climbs - k
            if 0.0 <= local <= 1.0:
                ele += height * (1 - math.cos(2 * math.pi * local)) / 2
        ele += rng.uniform(-0.4, 0.4)
        points.append((round(lat, 6), round(lon, 6), round(ele, 1)))
        heading += rng.uniform(-0.25, 0.25)
        dlat = step * math.cos(heading) / _EARTH_RADIUS_M
        dlon = step * math.sin(heading) / (_EARTH_RADIUS_M * math.cos(math.radians(lat)))
        lat += math.degrees(dlat)
        lon += math.degrees(dlon)
    return points


def gpx_track(points: Sequence[TrackPoint], name: str = "Demo track") -> bytes:
    """GPX 1.1 with one <trk>/<trkseg>; points whose elevation is None get no <ele>."""
    rows = []
    for lat, lon, ele in points:
        inner = "" if ele is None else f"<ele>{ele}</ele>"
        rows.append(f'      <trkpt lat="{lat}" lon="{lon}">{inner}</trkpt>')
    body = "\n".join(rows)
    text = (
        _XML_DECLARATION
        + '<gpx version="1.1" creator="section11-demo" xmlns="http://www.topografix.com/GPX/1/1">\n'
        + f"  <trk>\n    <name>{escape(name)}</name>\n    <trkseg>\n{body}\n    </trkseg>\n"
        + "  </trk>\n</gpx>\n"
    )
    return text.encode("utf-8")


def gpx_route(points: Sequence[TrackPoint], name: str = "Demo route") -> bytes:
    """GPX 1.1 with a <rte> of <rtept> only (no track), as route planners export."""
    rows = []
    for lat, lon, ele in points:
        inner = "" if ele is None else f"<ele>{ele}</ele>"
        rows.append(f'    <rtept lat="{lat}" lon="{lon}">{inner}</rtept>')
    body = "\n".join(rows)
    text = (
        _XML_DECLARATION
        + '<gpx version="1.1" creator="section11-demo" xmlns="http://www.topografix.com/GPX/1/1">\n'
        + f"  <rte>\n    <name>{escape(name)}</name>\n{body}\n  </rte>\n</gpx>\n"
    )
    return text.encode("utf-8")


def tcx_course(
    points: Sequence[TrackPoint], name: str = "Demo course", *, xml_declaration: bool = True
) -> bytes:
    """A TCX <Course> with cumulative DistanceMeters; the declaration is optional."""
    rows = []
    dist = 0.0
    prev: tuple[float, float] | None = None
    for lat, lon, ele in points:
        if prev is not None:
            dist += haversine_m(prev, (lat, lon))
        prev = (lat, lon)
        alt = "" if ele is None else f"<AltitudeMeters>{ele}</AltitudeMeters>"
        rows.append(
            "        <Trackpoint><Position>"
            f"<LatitudeDegrees>{lat}</LatitudeDegrees><LongitudeDegrees>{lon}</LongitudeDegrees>"
            f"</Position>{alt}<DistanceMeters>{dist:.1f}</DistanceMeters></Trackpoint>"
        )
    body = "\n".join(rows)
    text = (
        ('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' if xml_declaration else "")
        + '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
        + 'TrainingCenterDatabase/v2">\n'
        + f"  <Courses>\n    <Course>\n      <Name>{escape(name)}</Name>\n      <Track>\n"
        + f"{body}\n      </Track>\n    </Course>\n  </Courses>\n</TrainingCenterDatabase>\n"
    )
    return text.encode("utf-8")


def corrupt_gpx() -> bytes:
    """Bytes that start like a GPX file and then stop mid-element (a broken download)."""
    good = gpx_track([(OSLO_LAT, OSLO_LON, 10.0), (OSLO_LAT + 0.001, OSLO_LON, 12.0)])
    return good[: len(good) // 2] + b"\x00\xff<trkpt lat="
